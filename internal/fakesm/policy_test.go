package fakesm_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

func getPolicy(t *testing.T, f *fakesm.Fake, secretID string) *string {
	t.Helper()
	out, err := f.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String(secretID)})
	require.NoError(t, err)
	return out.ResourcePolicy
}

func TestResourcePolicyIsStoredRewritten(t *testing.T) {
	f := fakesm.New()
	arn := aws.ToString(create(t, f, "p", nil).ARN)
	assert.Nil(t, getPolicy(t, f, "p"), "no policy yet")

	policy := `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "one", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]},
     "Action": ["secretsmanager:GetSecretValue"], "Resource": "*"},
    {"Sid": "two<&>", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::123456789012:role/r"},
     "Action": ["secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret"], "Resource": ["*"]}
  ]
}`
	put, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String("p"), ResourcePolicy: aws.String(policy)})
	require.NoError(t, err)
	assert.Equal(t, arn, aws.ToString(put.ARN))
	assert.Equal(t, "p", aws.ToString(put.Name))
	assert.Equal(t, fakesm.DefaultPolicyName, aws.ToString(put.PolicyName))

	got, err := f.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String(arn)})
	require.NoError(t, err)
	assert.Equal(t, arn, aws.ToString(got.ARN))
	assert.Equal(t, "p", aws.ToString(got.Name))
	// Compacted, member order kept, the one-element Action array becomes a
	// string; other one-element arrays (Principal.AWS, Resource) and
	// longer Action arrays stay as they were.
	want := `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"one","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},` +
		`"Action":"secretsmanager:GetSecretValue","Resource":"*"},` +
		`{"Sid":"two<&>","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/r"},` +
		`"Action":["secretsmanager:PutSecretValue","secretsmanager:DeleteSecret"],"Resource":["*"]}]}`
	assert.Equal(t, want, aws.ToString(got.ResourcePolicy))
	assert.JSONEq(t, want, aws.ToString(got.ResourcePolicy))
	snap, _ := f.Snapshot("p")
	assert.Equal(t, want, snap.ResourcePolicy)

	// A single statement object (not in an array) is rewritten too.
	_, err = f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String("p"), ResourcePolicy: aws.String(
		`{"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": ["secretsmanager:*"], "Resource": "*"}}`)})
	require.NoError(t, err)
	assert.Equal(t, `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:*","Resource":"*"}}`,
		aws.ToString(getPolicy(t, f, "p")))

	del, err := f.DeleteResourcePolicy(t.Context(), &sm.DeleteResourcePolicyInput{SecretId: aws.String("p")})
	require.NoError(t, err)
	assert.Equal(t, arn, aws.ToString(del.ARN))
	assert.Equal(t, "p", aws.ToString(del.Name))
	assert.Nil(t, getPolicy(t, f, "p"))
	_, err = f.DeleteResourcePolicy(t.Context(), &sm.DeleteResourcePolicyInput{SecretId: aws.String("p")})
	require.NoError(t, err, "deleting a policy that is not there succeeds")
}

func TestPutResourcePolicyRejectsMalformed(t *testing.T) {
	f := fakesm.New()
	create(t, f, "p", nil)
	for _, policy := range []string{`{"Statement": [`, `not json`, `["a"]`, `"text"`, `{"a":1} {"b":2}`} {
		_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String("p"), ResourcePolicy: aws.String(policy)})
		requireErrorAs[*types.MalformedPolicyDocumentException](t, err)
	}
	for _, in := range []*sm.PutResourcePolicyInput{
		{SecretId: aws.String("p")},
		{SecretId: aws.String("p"), ResourcePolicy: aws.String("")},
		{SecretId: aws.String("p"), ResourcePolicy: aws.String(`{"a":"` + strings.Repeat("x", 20480) + `"}`)},
		{SecretId: aws.String("p"), ResourcePolicy: aws.String(`{}`), PolicyName: aws.String("other")},
	} {
		_, err := f.PutResourcePolicy(t.Context(), in)
		requireErrorAs[*types.InvalidParameterException](t, err)
	}
	assert.Nil(t, getPolicy(t, f, "p"), "rejected calls store nothing")

	_, err := f.DeleteResourcePolicy(t.Context(), &sm.DeleteResourcePolicyInput{SecretId: aws.String("p"), PolicyName: aws.String("other")})
	requireErrorAs[*types.InvalidParameterException](t, err)
	_, err = f.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String("p"), PolicyName: aws.String("other")})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
	_, err = f.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String("p"), PolicyName: aws.String(fakesm.DefaultPolicyName)})
	require.NoError(t, err)
}

func TestPutResourcePolicyBlockPublicPolicy(t *testing.T) {
	statement := func(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }
	const rest = `"Action":"secretsmanager:GetSecretValue","Resource":"*"`
	public := map[string]string{
		"principal star":        statement(`{"Effect":"Allow","Principal":"*",` + rest + `}`),
		"AWS star":              statement(`{"Effect":"Allow","Principal":{"AWS":"*"},` + rest + `}`),
		"AWS star in a list":    statement(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","*"]},` + rest + `}`),
		"second statement":      statement(`{"Effect":"Deny","Principal":"*",` + rest + `},{"Effect":"Allow","Principal":"*",` + rest + `}`),
		"single statement only": `{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},` + rest + `}}`,
	}
	notPublic := map[string]string{
		"named principal": statement(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},` + rest + `}`),
		"deny star":       statement(`{"Effect":"Deny","Principal":"*",` + rest + `}`),
		"star with condition": statement(`{"Effect":"Allow","Principal":"*",` + rest +
			`,"Condition":{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}}`),
		"service star": statement(`{"Effect":"Allow","Principal":{"Service":"*"},` + rest + `}`),
	}
	f := fakesm.New()
	create(t, f, "p", nil)
	for name, policy := range public {
		_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{
			SecretId: aws.String("p"), ResourcePolicy: aws.String(policy), BlockPublicPolicy: aws.Bool(true),
		})
		requireErrorAs[*types.PublicPolicyException](t, err)
		assert.Nil(t, getPolicy(t, f, "p"), name)
	}
	for name, policy := range public {
		_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String("p"), ResourcePolicy: aws.String(policy)})
		require.NoError(t, err, "public policies are not blocked by default: %s", name)
		_, err = f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{
			SecretId: aws.String("p"), ResourcePolicy: aws.String(policy), BlockPublicPolicy: aws.Bool(false),
		})
		require.NoError(t, err, name)
	}
	for name, policy := range notPublic {
		_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{
			SecretId: aws.String("p"), ResourcePolicy: aws.String(policy), BlockPublicPolicy: aws.Bool(true),
		})
		require.NoError(t, err, name)
	}
}

func TestResourcePolicyOnDeletedOrUnknownSecret(t *testing.T) {
	f := fakesm.New()
	create(t, f, "gone", nil)
	const policy = `{"Statement":[]}`
	_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String("gone"), ResourcePolicy: aws.String(policy)})
	require.NoError(t, err)
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("gone")})
	require.NoError(t, err)

	calls := map[string]func(id string) error{
		fakesm.OpGetResourcePolicy: func(id string) error {
			_, err := f.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String(id)})
			return err
		},
		fakesm.OpPutResourcePolicy: func(id string) error {
			_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String(id), ResourcePolicy: aws.String(policy)})
			return err
		},
		fakesm.OpDeleteResourcePolicy: func(id string) error {
			_, err := f.DeleteResourcePolicy(t.Context(), &sm.DeleteResourcePolicyInput{SecretId: aws.String(id)})
			return err
		},
	}
	for op, call := range calls {
		e := errorAs[*types.InvalidRequestException](t, call("gone"))
		assert.Contains(t, e.ErrorMessage(), "marked for deletion", op)
		requireErrorAs[*types.ResourceNotFoundException](t, call("never"))
	}
	snap, _ := f.Snapshot("gone")
	assert.Equal(t, policy, snap.ResourcePolicy, "the policy survives a scheduled deletion")
}

func TestValidateResourcePolicy(t *testing.T) {
	f := fakesm.New()
	create(t, f, "guarded", aws.String("v"))
	account := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`

	out, err := f.ValidateResourcePolicy(t.Context(), &sm.ValidateResourcePolicyInput{SecretId: aws.String("guarded"), ResourcePolicy: aws.String(account)})
	require.NoError(t, err)
	assert.True(t, out.PolicyValidationPassed)
	assert.Empty(t, out.ValidationErrors)

	out, err = f.ValidateResourcePolicy(t.Context(), &sm.ValidateResourcePolicyInput{ResourcePolicy: aws.String(public)})
	require.NoError(t, err, "a policy that fails validation is an answer, not an error")
	assert.False(t, out.PolicyValidationPassed)
	require.Len(t, out.ValidationErrors, 1)
	assert.Contains(t, aws.ToString(out.ValidationErrors[0].ErrorMessage), "broad access")

	_, err = f.ValidateResourcePolicy(t.Context(), &sm.ValidateResourcePolicyInput{ResourcePolicy: aws.String("{not json")})
	requireErrorAs[*types.MalformedPolicyDocumentException](t, err)
	_, err = f.ValidateResourcePolicy(t.Context(), &sm.ValidateResourcePolicyInput{SecretId: aws.String("missing"), ResourcePolicy: aws.String(account)})
	requireErrorAs[*types.ResourceNotFoundException](t, err)

	snap, _ := f.Snapshot("guarded")
	assert.Empty(t, snap.ResourcePolicy, "validating attaches nothing")
	assert.Equal(t, 4, f.Calls()[fakesm.OpValidateResourcePolicy])
}
