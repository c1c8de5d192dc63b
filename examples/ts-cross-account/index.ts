import * as pulumi from "@pulumi/pulumi";
import * as smx from "@smxlabs/pulumi-smx";

// pulumi config set region us-east-1
// pulumi config set primaryAccessKey <key ID>; pulumi config set --secret primarySecretKey <key>
// pulumi config set replicaAccessKey <key ID>; pulumi config set --secret replicaSecretKey <key>
// pulumi config set --secret dbPassword <value>
const config = new pulumi.Config();
// Cross-account replication stays in one region: both accounts use it.
const region = config.require("region");
// A customer managed KMS key of the replica's account, which the primary's
// account may use (its key policy says so).
const replicaKmsKeyId = config.get("replicaKmsKeyId") ?? "alias/replica-secrets";

// One provider per account, each with that account's credentials.
const primaryAccount = new smx.Provider("primaryAccount", {
    region,
    accessKey: config.require("primaryAccessKey"),
    secretKey: config.requireSecret("primarySecretKey"),
});
const replicaAccount = new smx.Provider("replicaAccount", {
    region,
    accessKey: config.require("replicaAccessKey"),
    secretKey: config.requireSecret("replicaSecretKey"),
});

// In the primary account: the secret and its value.
const primary = new smx.secretsmanager.Secret("primary", {
    description: "Password of the orders database, replicated to the replica account",
}, { provider: primaryAccount });
new smx.secretsmanager.SecretVersion("primaryValue", {
    secretId: primary.id,
    secretString: config.requireSecret("dbPassword"),
}, { provider: primaryAccount });

// In the replica account: a replica with no value, description or type of
// its own, encrypted with its own account's key.
const replica = new smx.secretsmanager.Secret("replica", {
    crossAccountPrimaryArn: primary.arn,
    kmsKeyId: replicaKmsKeyId,
}, { provider: replicaAccount });

// In the primary account again: start replicating to it. NoRestriction
// instead of SameOrg lets the replica's account be outside the primary's
// AWS Organization.
const replication = new smx.secretsmanager.CrossAccountReplication("replication", {
    secretId: primary.arn,
    crossAccountReplicaArn: replica.arn,
    replicaRestriction: "SameOrg",
}, { provider: primaryAccount });

export const primaryArn = primary.arn;
export const replicaArn = replica.arn;
export const replicationStatus = replication.replicationStatus;
