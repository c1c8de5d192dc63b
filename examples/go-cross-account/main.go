// Command smx-cross-account-go replicates a secret to another AWS account:
// one program, one smx provider per account.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/smxlabs/pulumi-smx/sdk/go/smx"
	"github.com/smxlabs/pulumi-smx/sdk/go/smx/secretsmanager"
)

func main() {
	pulumi.Run(replicateToAnotherAccount)
}

// pulumi config set region us-east-1
// pulumi config set primaryAccessKey <key ID>; pulumi config set --secret primarySecretKey <key>
// pulumi config set replicaAccessKey <key ID>; pulumi config set --secret replicaSecretKey <key>
// pulumi config set --secret dbPassword <value>
func replicateToAnotherAccount(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	// Cross-account replication stays in one region: both accounts use it.
	region := cfg.Require("region")
	// A customer managed KMS key of the replica's account, which the primary's
	// account may use (its key policy says so).
	replicaKmsKeyID := cfg.Get("replicaKmsKeyId")
	if replicaKmsKeyID == "" {
		replicaKmsKeyID = "alias/replica-secrets"
	}

	// One provider per account, each with that account's credentials.
	primaryAccount, err := smx.NewProvider(ctx, "primaryAccount", &smx.ProviderArgs{
		Region:    pulumi.String(region),
		AccessKey: pulumi.String(cfg.Require("primaryAccessKey")),
		SecretKey: cfg.RequireSecret("primarySecretKey"),
	})
	if err != nil {
		return err
	}
	replicaAccount, err := smx.NewProvider(ctx, "replicaAccount", &smx.ProviderArgs{
		Region:    pulumi.String(region),
		AccessKey: pulumi.String(cfg.Require("replicaAccessKey")),
		SecretKey: cfg.RequireSecret("replicaSecretKey"),
	})
	if err != nil {
		return err
	}

	// In the primary account: the secret and its value.
	primary, err := secretsmanager.NewSecret(ctx, "primary", &secretsmanager.SecretArgs{
		Description: pulumi.String("Password of the orders database, replicated to the replica account"),
	}, pulumi.Provider(primaryAccount))
	if err != nil {
		return err
	}
	_, err = secretsmanager.NewSecretVersion(ctx, "primaryValue", &secretsmanager.SecretVersionArgs{
		SecretId:     primary.ID(),
		SecretString: cfg.RequireSecret("dbPassword"),
	}, pulumi.Provider(primaryAccount))
	if err != nil {
		return err
	}

	// In the replica account: a replica with no value, description or type of
	// its own, encrypted with its own account's key.
	replica, err := secretsmanager.NewSecret(ctx, "replica", &secretsmanager.SecretArgs{
		CrossAccountPrimaryArn: primary.Arn,
		KmsKeyId:               pulumi.String(replicaKmsKeyID),
	}, pulumi.Provider(replicaAccount))
	if err != nil {
		return err
	}

	// In the primary account again: start replicating to it. NoRestriction
	// instead of SameOrg lets the replica's account be outside the primary's
	// AWS Organization.
	replication, err := secretsmanager.NewCrossAccountReplication(ctx, "replication", &secretsmanager.CrossAccountReplicationArgs{
		SecretId:               primary.Arn,
		CrossAccountReplicaArn: replica.Arn,
		ReplicaRestriction:     pulumi.String("SameOrg"),
	}, pulumi.Provider(primaryAccount))
	if err != nil {
		return err
	}

	ctx.Export("primaryArn", primary.Arn)
	ctx.Export("replicaArn", replica.Arn)
	ctx.Export("replicationStatus", replication.ReplicationStatus)
	return nil
}
