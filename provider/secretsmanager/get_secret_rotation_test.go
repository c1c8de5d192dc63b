package secretsmanager_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// rotationRulesOf returns getSecretRotation's rotationRules as plain maps.
func rotationRulesOf(t *testing.T, out property.Map) []map[string]any {
	t.Helper()
	v := out.Get("rotationRules")
	require.Truef(t, v.IsArray(), "rotationRules is not a list: %v", v)
	var rules []map[string]any
	for _, e := range v.AsArray().All {
		rule := map[string]any{}
		for k, f := range e.AsMap().All {
			switch {
			case f.IsNumber():
				rule[k] = f.AsNumber()
			case f.IsString():
				rule[k] = f.AsString()
			}
		}
		rules = append(rules, rule)
	}
	return rules
}

func TestGetSecretRotation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	days := h.createSecretDirectly("rot/days", &sm.CreateSecretInput{SecretString: aws.String(fnValue)})
	_, err := h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: days.ARN, RotationLambdaARN: aws.String(rotationLambda),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(30)}})
	require.NoError(t, err)
	cron := h.createSecretDirectly("rot/cron", &sm.CreateSecretInput{SecretString: aws.String(fnValue)})
	_, err = h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: cron.ARN, RotationLambdaARN: aws.String(rotationLambda),
		RotationRules: &types.RotationRulesType{ScheduleExpression: aws.String("rate(4 hours)"), Duration: aws.String("2h")}})
	require.NoError(t, err)
	off := h.createSecretDirectly("rot/off", &sm.CreateSecretInput{SecretString: aws.String(fnValue)})
	h.fake.ResetCalls()

	out := h.invokeOK(getSecretRotationToken, pm{"secretId": str("rot/days")})
	assert.Equal(t, aws.ToString(days.ARN), getString(t, out, "id"), "the ID is the secret's ARN, as in pulumi-aws")
	assert.Equal(t, "rot/days", getString(t, out, "secretId"))
	assert.Equal(t, "us-east-1", getString(t, out, "region"))
	assert.True(t, out.Get("rotationEnabled").AsBool())
	assert.Equal(t, rotationLambda, getString(t, out, "rotationLambdaArn"))
	assert.Equal(t, []map[string]any{{"automaticallyAfterDays": 30.0, "duration": "", "scheduleExpression": ""}}, rotationRulesOf(t, out))
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "one DescribeSecret")

	out = h.invokeOK(getSecretRotationToken, pm{"secretId": str(aws.ToString(cron.ARN))})
	assert.Equal(t, []map[string]any{{"automaticallyAfterDays": 0.0, "duration": "2h", "scheduleExpression": "rate(4 hours)"}},
		rotationRulesOf(t, out), "the days AWS derives from an expression are not reported")

	out = h.invokeOK(getSecretRotationToken, pm{"secretId": str("rot/off")})
	assert.False(t, out.Get("rotationEnabled").AsBool())
	assert.Equal(t, "", getString(t, out, "rotationLambdaArn"))
	assert.Empty(t, rotationRulesOf(t, out))
	assert.Equal(t, aws.ToString(off.ARN), getString(t, out, "id"))
	assert.Equal(t, "", getString(t, out, "externalSecretRotationRoleArn"), "pulumi-aws's empty string for none")
	assert.Equal(t, property.New([]property.Value{}), out.Get("externalSecretRotationMetadatas"), "an empty list for none")
}

// pulumi-aws 7.48's getSecretRotation reports a managed external secret's
// rotation role and metadata, exactly as DescribeSecret does, in one call.
func TestGetSecretRotationExternalSettings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.createSecretDirectly("rot/external", &sm.CreateSecretInput{SecretString: aws.String(fnValue)})
	_, err := h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: s.ARN, RotateImmediately: aws.Bool(false),
		RotationRules:                  &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(30)},
		ExternalSecretRotationRoleArn:  aws.String(externalRole),
		ExternalSecretRotationMetadata: awsMetadata("apiVersion", "v65.0", "adminSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf"),
	})
	require.NoError(t, err)
	h.fake.ResetCalls()

	out := h.invokeOK(getSecretRotationToken, pm{"secretId": str("rot/external")})
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	assert.True(t, out.Get("rotationEnabled").AsBool())
	assert.Equal(t, "", getString(t, out, "rotationLambdaArn"), "a partner rotates it: no function")
	assert.Equal(t, externalRole, getString(t, out, "externalSecretRotationRoleArn"))
	assert.Equal(t, metadataList("apiVersion", "v65.0", "adminSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf"),
		out.Get("externalSecretRotationMetadatas"))
}

func TestGetSecretRotationErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.invoke(getSecretRotationToken, pm{"secretId": str("missing")})
	require.ErrorContains(t, err, "getSecretRotation")
	assert.ErrorContains(t, err, "not found")

	gone := h.createSecretDirectly("rot/gone", &sm.CreateSecretInput{SecretString: aws.String(fnValue)})
	_, err = h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: gone.ARN})
	require.NoError(t, err)
	_, err = h.invoke(getSecretRotationToken, pm{"secretId": str("rot/gone")})
	assert.ErrorContains(t, err, "scheduled for deletion")

	h.fake.ResetCalls()
	_, err = h.invoke(getSecretRotationToken, pm{"secretId": str("")})
	assert.ErrorContains(t, err, "secretId")
	assert.Zero(t, h.fake.TotalCalls(), "invalid arguments make no call")
}
