// Package dropin proves that smx's Go SDK is a drop-in for pulumi-aws's
// aws.secretsmanager: every argument a pulumi-aws program can set exists in
// smx's SDK with the same name and the same Go type, so changing the import
// line is all a program needs. It lives in its own module so that neither the
// provider nor the SDK depends on pulumi-aws.
package dropin

import (
	"reflect"
	"testing"

	awssm "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	smxsm "github.com/smxlabs/pulumi-smx/sdk/go/smx/secretsmanager"
)

// leftOut lists pulumi-aws arguments smx deliberately does not offer, with
// the reason. It is empty: smx covers every argument of the two resources.
var leftOut = map[string]string{}

func TestSecretArgsAreADropIn(t *testing.T) {
	assertDropIn(t, reflect.TypeFor[awssm.SecretArgs](), reflect.TypeFor[smxsm.SecretArgs]())
}

func TestSecretVersionArgsAreADropIn(t *testing.T) {
	assertDropIn(t, reflect.TypeFor[awssm.SecretVersionArgs](), reflect.TypeFor[smxsm.SecretVersionArgs]())
}

// The replica type's fields match too, so a `replicas` literal written for
// pulumi-aws compiles against smx.
func TestSecretReplicaArgsAreADropIn(t *testing.T) {
	assertDropIn(t, reflect.TypeFor[awssm.SecretReplicaArgs](), reflect.TypeFor[smxsm.SecretReplicaArgs]())
}

// The other resources and every data function, arguments and results.
func TestTheRestOfTheModuleIsADropIn(t *testing.T) {
	for _, pair := range []struct{ aws, smx reflect.Type }{
		{reflect.TypeFor[awssm.SecretRotationArgs](), reflect.TypeFor[smxsm.SecretRotationArgs]()},
		{reflect.TypeFor[awssm.SecretRotationRotationRulesArgs](), reflect.TypeFor[smxsm.SecretRotationRotationRulesArgs]()},
		{reflect.TypeFor[awssm.SecretPolicyArgs](), reflect.TypeFor[smxsm.SecretPolicyArgs]()},
		{reflect.TypeFor[awssm.LookupSecretArgs](), reflect.TypeFor[smxsm.LookupSecretArgs]()},
		{reflect.TypeFor[awssm.LookupSecretResult](), reflect.TypeFor[smxsm.LookupSecretResult]()},
		{reflect.TypeFor[awssm.LookupSecretVersionArgs](), reflect.TypeFor[smxsm.LookupSecretVersionArgs]()},
		{reflect.TypeFor[awssm.LookupSecretVersionResult](), reflect.TypeFor[smxsm.LookupSecretVersionResult]()},
		{reflect.TypeFor[awssm.GetSecretVersionsArgs](), reflect.TypeFor[smxsm.GetSecretVersionsArgs]()},
		{reflect.TypeFor[awssm.GetSecretVersionsResult](), reflect.TypeFor[smxsm.GetSecretVersionsResult]()},
		{reflect.TypeFor[awssm.GetSecretsArgs](), reflect.TypeFor[smxsm.GetSecretsArgs]()},
		{reflect.TypeFor[awssm.GetSecretsResult](), reflect.TypeFor[smxsm.GetSecretsResult]()},
		{reflect.TypeFor[awssm.GetRandomPasswordArgs](), reflect.TypeFor[smxsm.GetRandomPasswordArgs]()},
		{reflect.TypeFor[awssm.GetRandomPasswordResult](), reflect.TypeFor[smxsm.GetRandomPasswordResult]()},
	} {
		t.Run(pair.aws.Name(), func(t *testing.T) { assertDropIn(t, pair.aws, pair.smx) })
	}
}

// assertDropIn checks every field of pulumi-aws's args type against smx's.
// Types from pulumi's SDK (pulumi.StringPtrInput and the like) must be the
// very same type; types that each package generates for itself (such as
// SecretReplicaArrayInput) must have the same name and kind.
func assertDropIn(t *testing.T, aws, smx reflect.Type) {
	t.Helper()
	checked := 0
	for i := range aws.NumField() {
		field := aws.Field(i)
		key := aws.Name() + "." + field.Name
		if reason, ok := leftOut[key]; ok {
			t.Logf("%s deliberately left out: %s", key, reason)
			continue
		}
		got, ok := smx.FieldByName(field.Name)
		if !ok {
			t.Errorf("smx's %s has no field %s (pulumi-aws: %s)", smx.Name(), field.Name, field.Type)
			continue
		}
		checked++
		if !sameType(field.Type, got.Type) {
			t.Errorf("%s: pulumi-aws has type %s, smx has %s", key, field.Type, got.Type)
		}
	}
	if checked == 0 {
		t.Fatalf("no field of %s was compared", aws.Name())
	}
}

func sameType(aws, smx reflect.Type) bool {
	if aws == smx {
		return true
	}
	if aws.Kind() != smx.Kind() {
		return false
	}
	switch aws.Kind() {
	case reflect.Slice, reflect.Array, reflect.Pointer:
		return aws.Name() == smx.Name() && sameType(aws.Elem(), smx.Elem())
	case reflect.Map:
		return aws.Name() == smx.Name() && sameType(aws.Key(), smx.Key()) && sameType(aws.Elem(), smx.Elem())
	}
	return aws.Name() == smx.Name() &&
		aws.PkgPath() != smx.PkgPath() && // only types each SDK generates itself
		aws.PkgPath() == "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
}
