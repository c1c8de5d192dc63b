import * as pulumi from "@pulumi/pulumi";
import * as aws from "@smxlabs/pulumi-smx";

// pulumi config set --secret dbPassword <value>   (kept in Pulumi.<stack>.yaml, encrypted)
// pulumi config set passwordVersion 2             (to store a new value)
const config = new pulumi.Config();
const dbPassword = config.requireSecret("dbPassword");
const passwordVersion = config.getNumber("passwordVersion") ?? 1;

// Create a secret
const secret = new aws.secretsmanager.Secret("secret", {
    description: "Password of the orders database",
});

// Store a new secret version from a value that never reaches Pulumi state.
// A changed dbPassword is written only when passwordVersion changes.
const secretVersion = new aws.secretsmanager.SecretVersion("secretVersion", {
    secretId: secret.id,
    secretStringWo: dbPassword,
    secretStringWoVersion: passwordVersion,
});

// Export secret ID (in this case the ARN)
export const secretId = secret.id;
export const versionId = secretVersion.versionId;
export const hasSecretStringWo = secretVersion.hasSecretStringWo;
