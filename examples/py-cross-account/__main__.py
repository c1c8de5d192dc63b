import pulumi
import pulumi_smx as smx

# pulumi config set region us-east-1
# pulumi config set primaryAccessKey <key ID>; pulumi config set --secret primarySecretKey <key>
# pulumi config set replicaAccessKey <key ID>; pulumi config set --secret replicaSecretKey <key>
# pulumi config set --secret dbPassword <value>
config = pulumi.Config()
# Cross-account replication stays in one region: both accounts use it.
region = config.require("region")
# A customer managed KMS key of the replica's account, which the primary's
# account may use (its key policy says so).
replica_kms_key_id = config.get("replicaKmsKeyId") or "alias/replica-secrets"

# One provider per account, each with that account's credentials.
primary_account = smx.Provider("primaryAccount",
    region=region,
    access_key=config.require("primaryAccessKey"),
    secret_key=config.require_secret("primarySecretKey"))
replica_account = smx.Provider("replicaAccount",
    region=region,
    access_key=config.require("replicaAccessKey"),
    secret_key=config.require_secret("replicaSecretKey"))

# In the primary account: the secret and its value.
primary = smx.secretsmanager.Secret("primary",
    description="Password of the orders database, replicated to the replica account",
    opts=pulumi.ResourceOptions(provider=primary_account))
smx.secretsmanager.SecretVersion("primaryValue",
    secret_id=primary.id,
    secret_string=config.require_secret("dbPassword"),
    opts=pulumi.ResourceOptions(provider=primary_account))

# In the replica account: a replica with no value, description or type of
# its own, encrypted with its own account's key.
replica = smx.secretsmanager.Secret("replica",
    cross_account_primary_arn=primary.arn,
    kms_key_id=replica_kms_key_id,
    opts=pulumi.ResourceOptions(provider=replica_account))

# In the primary account again: start replicating to it. NoRestriction
# instead of SameOrg lets the replica's account be outside the primary's
# AWS Organization.
replication = smx.secretsmanager.CrossAccountReplication("replication",
    secret_id=primary.arn,
    cross_account_replica_arn=replica.arn,
    replica_restriction="SameOrg",
    opts=pulumi.ResourceOptions(provider=primary_account))

pulumi.export("primaryArn", primary.arn)
pulumi.export("replicaArn", replica.arn)
pulumi.export("replicationStatus", replication.replication_status)
