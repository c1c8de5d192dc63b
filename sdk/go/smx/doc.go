// A native Pulumi provider for AWS Secrets Manager, drop-in compatible with aws.secretsmanager.
package smx
