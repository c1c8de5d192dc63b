// Copyright 2016-2019, Pulumi Corporation.  All rights reserved.
// View the full example code here: https://github.com/pulumi/examples/tree/master/aws-ts-secrets-manager

import * as aws from "@smxlabs/pulumi-smx";

// Create a secret
const secret = new aws.secretsmanager.Secret("secret");

// Store a new secret version
const secretVersion = new aws.secretsmanager.SecretVersion("secretVersion", {
    secretId: secret.id,
    secretString: "mysecret",
});

// Export secret ID (in this case the ARN)
export const secretId = secret.id;
