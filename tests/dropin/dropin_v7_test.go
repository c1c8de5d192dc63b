package dropin

import (
	"reflect"
	"testing"

	aws7 "github.com/pulumi/pulumi-aws/sdk/v7/go/aws/secretsmanager"

	smxsm "github.com/smxlabs/pulumi-smx/sdk/go/smx/secretsmanager"
)

// pulumi-aws v7.0.0: every resource's arguments and outputs, and every
// function's arguments (both forms) and results, with `region` throughout
// and getSecretRotation, match smx's SDK field by field.
func TestPulumiAWSv7IsADropIn(t *testing.T) {
	for _, pair := range []struct{ aws, smx reflect.Type }{
		// Resources: arguments, and the outputs a program reads.
		{reflect.TypeFor[aws7.SecretArgs](), reflect.TypeFor[smxsm.SecretArgs]()},
		{reflect.TypeFor[aws7.Secret](), reflect.TypeFor[smxsm.Secret]()},
		{reflect.TypeFor[aws7.SecretReplicaArgs](), reflect.TypeFor[smxsm.SecretReplicaArgs]()},
		{reflect.TypeFor[aws7.SecretReplica](), reflect.TypeFor[smxsm.SecretReplica]()},
		{reflect.TypeFor[aws7.SecretVersionArgs](), reflect.TypeFor[smxsm.SecretVersionArgs]()},
		{reflect.TypeFor[aws7.SecretVersion](), reflect.TypeFor[smxsm.SecretVersion]()},
		{reflect.TypeFor[aws7.SecretRotationArgs](), reflect.TypeFor[smxsm.SecretRotationArgs]()},
		{reflect.TypeFor[aws7.SecretRotation](), reflect.TypeFor[smxsm.SecretRotation]()},
		{reflect.TypeFor[aws7.SecretRotationRotationRulesArgs](), reflect.TypeFor[smxsm.SecretRotationRotationRulesArgs]()},
		{reflect.TypeFor[aws7.SecretRotationRotationRules](), reflect.TypeFor[smxsm.SecretRotationRotationRules]()},
		{reflect.TypeFor[aws7.SecretPolicyArgs](), reflect.TypeFor[smxsm.SecretPolicyArgs]()},
		{reflect.TypeFor[aws7.SecretPolicy](), reflect.TypeFor[smxsm.SecretPolicy]()},
		// Functions: plain arguments, Output-form arguments, results.
		{reflect.TypeFor[aws7.LookupSecretArgs](), reflect.TypeFor[smxsm.LookupSecretArgs]()},
		{reflect.TypeFor[aws7.LookupSecretOutputArgs](), reflect.TypeFor[smxsm.LookupSecretOutputArgs]()},
		{reflect.TypeFor[aws7.LookupSecretResult](), reflect.TypeFor[smxsm.LookupSecretResult]()},
		{reflect.TypeFor[aws7.LookupSecretVersionArgs](), reflect.TypeFor[smxsm.LookupSecretVersionArgs]()},
		{reflect.TypeFor[aws7.LookupSecretVersionOutputArgs](), reflect.TypeFor[smxsm.LookupSecretVersionOutputArgs]()},
		{reflect.TypeFor[aws7.LookupSecretVersionResult](), reflect.TypeFor[smxsm.LookupSecretVersionResult]()},
		{reflect.TypeFor[aws7.GetSecretVersionsArgs](), reflect.TypeFor[smxsm.GetSecretVersionsArgs]()},
		{reflect.TypeFor[aws7.GetSecretVersionsOutputArgs](), reflect.TypeFor[smxsm.GetSecretVersionsOutputArgs]()},
		{reflect.TypeFor[aws7.GetSecretVersionsResult](), reflect.TypeFor[smxsm.GetSecretVersionsResult]()},
		{reflect.TypeFor[aws7.GetSecretVersionsVersion](), reflect.TypeFor[smxsm.GetSecretVersionsVersion]()},
		{reflect.TypeFor[aws7.GetSecretsArgs](), reflect.TypeFor[smxsm.GetSecretsArgs]()},
		{reflect.TypeFor[aws7.GetSecretsOutputArgs](), reflect.TypeFor[smxsm.GetSecretsOutputArgs]()},
		{reflect.TypeFor[aws7.GetSecretsResult](), reflect.TypeFor[smxsm.GetSecretsResult]()},
		{reflect.TypeFor[aws7.GetSecretsFilter](), reflect.TypeFor[smxsm.GetSecretsFilter]()},
		{reflect.TypeFor[aws7.GetSecretsFilterArgs](), reflect.TypeFor[smxsm.GetSecretsFilterArgs]()},
		{reflect.TypeFor[aws7.GetRandomPasswordArgs](), reflect.TypeFor[smxsm.GetRandomPasswordArgs]()},
		{reflect.TypeFor[aws7.GetRandomPasswordOutputArgs](), reflect.TypeFor[smxsm.GetRandomPasswordOutputArgs]()},
		{reflect.TypeFor[aws7.GetRandomPasswordResult](), reflect.TypeFor[smxsm.GetRandomPasswordResult]()},
		{reflect.TypeFor[aws7.LookupSecretRotationArgs](), reflect.TypeFor[smxsm.LookupSecretRotationArgs]()},
		{reflect.TypeFor[aws7.LookupSecretRotationOutputArgs](), reflect.TypeFor[smxsm.LookupSecretRotationOutputArgs]()},
		{reflect.TypeFor[aws7.LookupSecretRotationResult](), reflect.TypeFor[smxsm.LookupSecretRotationResult]()},
		{reflect.TypeFor[aws7.GetSecretRotationRotationRule](), reflect.TypeFor[smxsm.GetSecretRotationRotationRule]()},
	} {
		t.Run(pair.aws.Name(), func(t *testing.T) { assertDropIn(t, pair.aws, pair.smx) })
	}
}
