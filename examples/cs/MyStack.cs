// Copyright 2016-2021, Pulumi Corporation.
// View the full example code here: https://github.com/pulumi/examples/tree/master/aws-cs-secrets-manager

using Pulumi;
using Pulumi.Smx.SecretsManager;

class MyStack : Stack
{
    public MyStack()
    {
        // Create secret
        var secret = new Secret("secret");

        // Create secret version
        var secretVersion = new SecretVersion("secretVersion", new SecretVersionArgs
        {
            SecretId = secret.Id,
            SecretString = "mysecret"
        });

        this.SecretId = secret.Id;
    }

    [Output]
    public Output<string> SecretId { get; set; }
}
