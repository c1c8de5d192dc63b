// Package dropin proves that smx's Go SDK is a drop-in for pulumi-aws's
// aws.secretsmanager: every argument a pulumi-aws program can set exists in
// smx's SDK with the same name and the same Go type, so changing the import
// line is all a program needs; and that the Provider's settings of the
// TypeScript and Python SDKs take what pulumi-aws 7's do (provider_test.go).
// It lives in its own module so that neither the provider nor the SDK depends
// on pulumi-aws.
package dropin

import (
	"reflect"
	"strings"
	"testing"

	awssm "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	smxsm "github.com/smxlabs/pulumi-smx/sdk/go/smx/secretsmanager"
)

// leftOut lists pulumi-aws fields smx deliberately does not offer, keyed
// `<major>:<type>.<field>`, with the reason.
var leftOut = map[string]string{}

// optionalNow lists fields that pulumi-aws v6 and v7.0.0 require and that
// pulumi-aws 7.48, and smx with it, makes optional, keyed like leftOut: the
// Go type is then the Ptr form of the same type (an `XPtrInput` for an
// `XInput`, an `XPtrOutput` for an `XOutput`). A program written for the
// older SDKs still builds: every value of an `XInput` (an `XArgs`, a pointer
// to one, an `XOutput`) is an `XPtrInput` too, and an `XPtrOutput` has every
// field accessor of an `XOutput` (TestOptionalNowFieldsTakeTheOldValues).
var optionalNow = map[string]string{
	"v6:SecretRotationArgs.RotationRules": "rotationEnabled false omits rotationRules (pulumi-aws 7.48)",
	"v7:SecretRotationArgs.RotationRules": "rotationEnabled false omits rotationRules (pulumi-aws 7.48)",
	"v7:SecretRotation.RotationRules":     "rotationEnabled false omits rotationRules (pulumi-aws 7.48)",
}

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
		{reflect.TypeFor[awssm.LookupSecretRotationArgs](), reflect.TypeFor[smxsm.LookupSecretRotationArgs]()},
		{reflect.TypeFor[awssm.LookupSecretRotationResult](), reflect.TypeFor[smxsm.LookupSecretRotationResult]()},
		{reflect.TypeFor[awssm.GetSecretRotationRotationRule](), reflect.TypeFor[smxsm.GetSecretRotationRotationRule]()},
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
	major := "v6"
	if strings.Contains(aws.PkgPath(), "/sdk/v7/") {
		major = "v7"
	}
	for i := range aws.NumField() {
		field := aws.Field(i)
		key := major + ":" + aws.Name() + "." + field.Name
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
		if _, ok := optionalNow[key]; ok {
			if !samePtrForm(field.Type, got.Type) {
				t.Errorf("%s: pulumi-aws has type %s, smx has %s, not its Ptr form", key, field.Type, got.Type)
			}
			continue
		}
		if !sameType(field.Type, got.Type) {
			t.Errorf("%s: pulumi-aws has type %s, smx has %s", key, field.Type, got.Type)
		}
	}
	if checked == 0 {
		t.Fatalf("no field of %s was compared", aws.Name())
	}
}

// samePtrForm reports whether smx's type is the Ptr form of pulumi-aws's:
// `XPtrInput` for `XInput`, `XPtrOutput` for `XOutput`, generated by smx.
func samePtrForm(aws, smx reflect.Type) bool {
	for _, suffix := range []string{"Input", "Output"} {
		if base, ok := strings.CutSuffix(aws.Name(), suffix); ok && pulumiAWSPackages[aws.PkgPath()] {
			return smx.Name() == base+"Ptr"+suffix && smx.PkgPath() != aws.PkgPath()
		}
	}
	return false
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
		pulumiAWSPackages[aws.PkgPath()]
}

// pulumiAWSPackages are the packages whose own types smx's SDK mirrors by
// name: aws.secretsmanager of each pulumi-aws major version checked here.
var pulumiAWSPackages = map[string]bool{
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager": true,
	"github.com/pulumi/pulumi-aws/sdk/v7/go/aws/secretsmanager": true,
}

// What optionalNow promises, at compile time: the rules a program wrote for
// pulumi-aws v6 or v7.0.0 (an Args value, a pointer to one, an Output) are
// still rotationRules in smx, and the rules read back have the same fields.
func TestOptionalNowFieldsTakeTheOldValues(t *testing.T) {
	rules := smxsm.SecretRotationRotationRulesArgs{AutomaticallyAfterDays: pulumi.Int(30)}
	for _, input := range []smxsm.SecretRotationRotationRulesPtrInput{
		rules, &rules, rules.ToSecretRotationRotationRulesOutput(),
	} {
		args := smxsm.SecretRotationArgs{SecretId: pulumi.String("app/db"), RotationRules: input}
		if args.RotationRules == nil {
			t.Fatal("rotationRules was dropped")
		}
	}
	var read smxsm.SecretRotationRotationRulesPtrOutput
	var _ interface {
		AutomaticallyAfterDays() pulumi.IntPtrOutput
		Duration() pulumi.StringPtrOutput
		ScheduleExpression() pulumi.StringPtrOutput
	} = read
}
