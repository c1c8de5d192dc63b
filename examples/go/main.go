// Copyright 2016-2021, Pulumi Corporation.
// View the full example code here: https://github.com/pulumi/examples/tree/master/aws-go-secrets-manager

package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/smxlabs/pulumi-smx/sdk/go/smx/secretsmanager"
)

func main() {
	pulumi.Run(createSecret)
}

// createSecret is the document's program, unchanged but for its import; it
// is a named function so that the end-to-end tests can run it inline.
func createSecret(ctx *pulumi.Context) error {
	secret, err := secretsmanager.NewSecret(ctx, "secretcontainer", nil)
	if err != nil {
		return err
	}

	_, err = secretsmanager.NewSecretVersion(ctx, "secret", &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: pulumi.String("mysecret"),
	})
	if err != nil {
		return err
	}

	// Export the ID (in this case the ARN) of the secret
	ctx.Export("secretContainer", secret.ID())
	return nil
}
