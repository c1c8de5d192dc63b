using System.Collections.Generic;
using Pulumi;
using Pulumi.Smx.SecretsManager;

// pulumi config set region us-east-1
// pulumi config set primaryAccessKey <key ID>; pulumi config set --secret primarySecretKey <key>
// pulumi config set replicaAccessKey <key ID>; pulumi config set --secret replicaSecretKey <key>
// pulumi config set --secret dbPassword <value>
return await Deployment.RunAsync(() =>
{
    var config = new Config();
    // Cross-account replication stays in one region: both accounts use it.
    var region = config.Require("region");
    // A customer managed KMS key of the replica's account, which the primary's
    // account may use (its key policy says so).
    var replicaKmsKeyId = config.Get("replicaKmsKeyId") ?? "alias/replica-secrets";

    // One provider per account, each with that account's credentials.
    var primaryAccount = new Pulumi.Smx.Provider("primaryAccount", new Pulumi.Smx.ProviderArgs
    {
        Region = region,
        AccessKey = config.Require("primaryAccessKey"),
        SecretKey = config.RequireSecret("primarySecretKey"),
    });
    var replicaAccount = new Pulumi.Smx.Provider("replicaAccount", new Pulumi.Smx.ProviderArgs
    {
        Region = region,
        AccessKey = config.Require("replicaAccessKey"),
        SecretKey = config.RequireSecret("replicaSecretKey"),
    });

    // In the primary account: the secret and its value.
    var primary = new Secret("primary", new SecretArgs
    {
        Description = "Password of the orders database, replicated to the replica account",
    }, new CustomResourceOptions { Provider = primaryAccount });
    new SecretVersion("primaryValue", new SecretVersionArgs
    {
        SecretId = primary.Id,
        SecretString = config.RequireSecret("dbPassword"),
    }, new CustomResourceOptions { Provider = primaryAccount });

    // In the replica account: a replica with no value, description or type of
    // its own, encrypted with its own account's key.
    var replica = new Secret("replica", new SecretArgs
    {
        CrossAccountPrimaryArn = primary.Arn,
        KmsKeyId = replicaKmsKeyId,
    }, new CustomResourceOptions { Provider = replicaAccount });

    // In the primary account again: start replicating to it. NoRestriction
    // instead of SameOrg lets the replica's account be outside the primary's
    // AWS Organization.
    var replication = new CrossAccountReplication("replication", new CrossAccountReplicationArgs
    {
        SecretId = primary.Arn,
        CrossAccountReplicaArn = replica.Arn,
        ReplicaRestriction = "SameOrg",
    }, new CustomResourceOptions { Provider = primaryAccount });

    return new Dictionary<string, object?>
    {
        ["primaryArn"] = primary.Arn,
        ["replicaArn"] = replica.Arn,
        ["replicationStatus"] = replication.ReplicationStatus,
    };
});
