module github.com/smxlabs/pulumi-smx/sdk

go 1.26.8

require github.com/pulumi/pulumi/sdk/v3 v3.274.1
