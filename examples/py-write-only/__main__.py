import pulumi
from pulumi_smx import secretsmanager

# pulumi config set --secret dbPassword <value>   (kept in Pulumi.<stack>.yaml, encrypted)
# pulumi config set passwordVersion 2             (to store a new value)
config = pulumi.Config()
db_password = config.require_secret("dbPassword")
password_version = config.get_int("passwordVersion") or 1

# Create a secret
secret = secretsmanager.Secret("secret", description="Password of the orders database")

# Store a new secret version from a value that never reaches Pulumi state.
# A changed dbPassword is written only when passwordVersion changes.
secret_version = secretsmanager.SecretVersion(
    "secret_version",
    secret_id=secret.id,
    secret_string_wo=db_password,
    secret_string_wo_version=password_version,
)

# Export secret ID (in this case the ARN)
pulumi.export("secretId", secret.id)
pulumi.export("versionId", secret_version.version_id)
pulumi.export("hasSecretStringWo", secret_version.has_secret_string_wo)
