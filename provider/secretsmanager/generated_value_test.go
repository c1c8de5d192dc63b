package secretsmanager_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

func generate(fields pm) property.Value { return property.New(fields) }

func TestGenerateSecretStringCheck(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for name, tc := range map[string]struct {
		generate pm
		property string
	}{
		"length 0":             {pm{"passwordLength": num(0)}, "generateSecretString.passwordLength"},
		"length 4097":          {pm{"passwordLength": num(4097)}, "generateSecretString.passwordLength"},
		"template without key": {pm{"secretStringTemplate": str(`{"username":"app"}`)}, "generateSecretString.generateStringKey"},
		"key without template": {pm{"generateStringKey": str("password")}, "generateSecretString.generateStringKey"},
		"template not an object": {pm{"secretStringTemplate": str(`"text"`), "generateStringKey": str("password")},
			"generateSecretString.secretStringTemplate"},
		"key already in template": {pm{"secretStringTemplate": str(`{"password":"x"}`), "generateStringKey": str("password")},
			"generateSecretString.generateStringKey"},
	} {
		t.Run(name, func(t *testing.T) {
			resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "generateSecretString": generate(tc.generate)})
			assert.NotEmpty(t, failuresOn(resp, tc.property), "failures: %v", resp.Failures)
		})
	}
	assert.Zero(t, h.fake.TotalCalls())
}

// The value is made by GetRandomPassword and stored as the first version, in
// the same CreateSecret call; it appears in no output of the resource.
func TestGenerateSecretStringCreatesTheFirstVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.fake.ResetCalls()
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "generateSecretString": generate(pm{
		"passwordLength":       num(24),
		"excludePunctuation":   property.New(true),
		"secretStringTemplate": str(`{"username":"app"}`),
		"generateStringKey":    str("password"),
	})})
	calls := h.fake.Calls()
	assert.Equal(t, 1, calls[fakesm.OpGetRandomPassword])
	assert.Equal(t, 1, calls[fakesm.OpCreateSecret], "the value goes in with CreateSecret: no second call")
	assert.Zero(t, calls[fakesm.OpPutSecretValue])

	got, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(r.id)})
	require.NoError(t, err)
	var value map[string]string
	require.NoError(t, json.Unmarshal([]byte(aws.ToString(got.SecretString)), &value))
	assert.Equal(t, "app", value["username"])
	assert.Len(t, value["password"], 24)
	assert.Contains(t, got.VersionStages, "AWSCURRENT")

	for what, props := range map[string]property.Map{"inputs": r.inputs, "state": r.state} {
		assert.NotContainsf(t, fmt.Sprint(props), value["password"], "the generated value is not in the %s", what)
	}
}

// Changing the generation settings stores a newly generated value as a new
// current version; an unchanged program generates nothing.
func TestGenerateSecretStringChangeGeneratesANewValue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	settings := pm{"passwordLength": num(16)}
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "generateSecretString": generate(settings)})
	first, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(r.id)})
	require.NoError(t, err)

	h.requireNoChange(r, pm{"name": str("app/db"), "generateSecretString": generate(settings)})

	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "generateSecretString": generate(pm{"passwordLength": num(40)})})
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpGetRandomPassword])
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpPutSecretValue])
	second, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(r.id)})
	require.NoError(t, err)
	assert.Len(t, aws.ToString(second.SecretString), 40)
	assert.NotEqual(t, aws.ToString(first.VersionId), aws.ToString(second.VersionId))
	assert.False(t, strings.Contains(fmt.Sprint(r.state), aws.ToString(second.SecretString)))
}
