package secretsmanager_test

// Tests of a Secret's own `policy` input (the SecretPolicy resource has
// secret_policy_test.go): compared by meaning, retried while AWS propagates
// a principal, refreshed only where the program sets one.

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

func TestSecretCheckPolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, policy := range []string{policyDoc, oneActionPolicyDoc, otherPolicyDoc, `{}`} {
		resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "policy": str(policy)})
		assert.Emptyf(t, resp.Failures, "%s", policy)
	}

	huge := `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("a", 20480) + `","Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	for name, tc := range map[string]struct {
		policy string
		reason []string // words the reason must contain, saying what is allowed
	}{
		"malformed JSON":  {`{"Version": "2012-10-17", "Statement": [`, []string{"JSON", "object"}},
		"not JSON at all": {`allow everyone`, []string{"JSON", "object"}},
		"a JSON array":    {`[{"Effect": "Allow"}]`, []string{"JSON", "object"}},
		"a JSON string":   {`"{}"`, []string{"JSON", "object"}},
		"a JSON number":   {`42`, []string{"JSON", "object"}},
		"JSON null":       {`null`, []string{"JSON", "object"}},
		"too long":        {huge, []string{"20480"}},
	} {
		t.Run(name, func(t *testing.T) {
			resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "policy": str(tc.policy)})
			reasons := failuresOn(resp, "policy")
			require.NotEmptyf(t, reasons, "policy %.60q must be rejected on property \"policy\"; failures: %v", tc.policy, resp.Failures)
			for _, word := range tc.reason {
				assert.Contains(t, strings.Join(reasons, "; "), word, "the reason says what is allowed")
			}
		})
	}
	assert.Zero(t, h.fake.TotalCalls(), "Check makes no API call")
}

// AWS rewrites the policies it stores; equivalent documents must not show a
// change, and a preview that shows none makes no API call.
func TestSecretDiffPolicyEquivalentIsNoChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "policy": str(policyDoc)})
	for name, policy := range map[string]string{
		"same text":  policyDoc,
		"whitespace": `{"Version":"2012-10-17","Statement":[{"Sid":"AppReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"*"}]}`,
		"key order": `{"Statement":[{"Resource":"*","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],
			"Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Effect":"Allow","Sid":"AppReads"}],"Version":"2012-10-17"}`,
		"one-element arrays": `{"Version":"2012-10-17","Statement":{"Sid":"AppReads","Effect":"Allow",
			"Principal":{"AWS":["arn:aws:iam::123456789012:role/app"]},"Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":["*"]}}`,
		"array order": `{"Version":"2012-10-17","Statement":[{"Sid":"AppReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},
			"Action":["secretsmanager:DescribeSecret","secretsmanager:GetSecretValue"],"Resource":"*"}]}`,
	} {
		h.requireNoChange(r, pm{"name": str("app/db"), "policy": str(policy)}, name, "the same policy, written otherwise")
	}

	for name, policy := range map[string]string{
		"other effect":  strings.Replace(policyDoc, `"Allow"`, `"Deny"`, 1),
		"fewer actions": strings.Replace(policyDoc, `, "secretsmanager:DescribeSecret"`, "", 1),
		"other policy":  otherPolicyDoc,
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, d := h.diff(r, pm{"name": str("app/db"), "policy": str(policy)})
			assert.True(t, d.HasChanges)
			assert.Equal(t, map[string]p.PropertyDiff{"policy": {Kind: p.Update}}, d.DetailedDiff)
			assert.Zero(t, h.fake.TotalCalls())
		})
	}
	_, d := h.diff(r, pm{"name": str("app/db"), "policy": str("")})
	assert.Equal(t, map[string]p.PropertyDiff{"policy": {Kind: p.Update}}, d.DetailedDiff, "an empty policy deletes it")
	_, d = h.diff(r, pm{"name": str("app/db")})
	assert.False(t, d.HasChanges, "an unset policy is no opinion (pulumi-aws: optional and computed): %v", d.DetailedDiff)
}

func TestSecretCreateWithPolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "policy": str(oneActionPolicyDoc)})
	urn := urnOf(secretType, "secret")

	_, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs, DryRun: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "the preview's single name look-up")

	h.fake.ResetCalls()
	resp, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	require.NoError(t, err)
	assert.Nil(t, resp.PartialState)
	assert.Equal(t, map[string]int{fakesm.OpCreateSecret: 1, fakesm.OpPutResourcePolicy: 1}, h.fake.Calls())

	put := h.fake.Requests(fakesm.OpPutResourcePolicy)[0].(*sm.PutResourcePolicyInput)
	assert.Equal(t, resp.ID, aws.ToString(put.SecretId), "the policy is attached by ARN")
	assert.Equal(t, oneActionPolicyDoc, aws.ToString(put.ResourcePolicy))
	snap, ok := h.fake.Snapshot("app/db")
	require.True(t, ok)
	assert.NotEmpty(t, snap.ResourcePolicy)
	assert.Equal(t, pulumiAWSPolicy(t, oneActionPolicyDoc), getString(t, resp.Properties, "policy"), "state records the program's policy normalized, as pulumi-aws does")
}

func TestSecretCreatePolicyRetriedWhileSecretPropagates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.fake.FailNext(fakesm.OpPutResourcePolicy, &types.ResourceNotFoundException{
		Message: aws.String("Secrets Manager can't find the specified secret."),
	})
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "policy": str(policyDoc)})
	assert.Equal(t, 2, h.fake.Calls()[fakesm.OpPutResourcePolicy], "retried once, then succeeded")
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpCreateSecret])
	snap, _ := h.fake.Snapshot("app/db")
	assert.NotEmpty(t, snap.ResourcePolicy)
	assert.Equal(t, normalizedPolicyDoc, getString(t, r.state, "policy"))
}

func TestSecretCreatePolicyRetriedWhilePrincipalPropagates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.fake.FailNext(fakesm.OpPutResourcePolicy, &types.MalformedPolicyDocumentException{
		Message: aws.String("This resource policy contains an unsupported principal."),
	})
	h.create(secretType, "secret", pm{"name": str("app/db"), "policy": str(policyDoc)})
	assert.Equal(t, 2, h.fake.Calls()[fakesm.OpPutResourcePolicy], "a principal IAM does not see yet is retried")
}

func TestSecretCreateMalformedPolicyIsNotRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.fake.FailNext(fakesm.OpPutResourcePolicy, &types.MalformedPolicyDocumentException{
		Message: aws.String("This resource policy contains a syntax error."),
	})
	_, resp, err := h.createRaw("secret", pm{"name": str("app/db"), "policy": str(policyDoc)})
	reasons := requireInitFailed(t, err, resp.PartialState)
	assert.Contains(t, reasons, "syntax error")
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpPutResourcePolicy], "not retried")

	snap, ok := h.fake.Snapshot("app/db")
	require.True(t, ok)
	assert.Equal(t, snap.ARN, resp.ID, "the secret exists and is kept in state")
	assert.Empty(t, snap.ResourcePolicy)
	assert.Equal(t, "", getString(t, resp.Properties, "policy"), "state does not claim the policy that was not attached")
}

func TestSecretUpdatePolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "policy": str(policyDoc)})

	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "policy": str(otherPolicyDoc)})
	assert.Equal(t, map[string]int{fakesm.OpPutResourcePolicy: 1}, h.fake.Calls())
	assert.Equal(t, pulumiAWSPolicy(t, otherPolicyDoc), getString(t, r.state, "policy"))
	snap, _ := h.fake.Snapshot("app/db")
	assert.Contains(t, snap.ResourcePolicy, "Deny")

	h.requireNoChange(r, pm{"name": str("app/db")}, "an unset policy is no opinion")

	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "policy": str("")})
	assert.Equal(t, map[string]int{fakesm.OpDeleteResourcePolicy: 1}, h.fake.Calls(), "an empty policy deletes it")
	snap, _ = h.fake.Snapshot("app/db")
	assert.Empty(t, snap.ResourcePolicy)
}

func TestSecretReadPolicyRewrittenByAWSIsNoDrift(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db"), "policy": str(oneActionPolicyDoc)}
	r := h.create(secretType, "secret", news)
	snap, _ := h.fake.Snapshot("app/db")
	require.NotEqual(t, oneActionPolicyDoc, snap.ResourcePolicy, "the fake stores the policy rewritten, as AWS does")
	require.Contains(t, snap.ResourcePolicy, `"Action":"secretsmanager:GetSecretValue"`)

	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpGetResourcePolicy: 1}, h.fake.Calls())
	assert.Equal(t, pulumiAWSPolicy(t, oneActionPolicyDoc), getString(t, resp.Properties, "policy"), "the program's document, not AWS's rewriting")
	assert.Equal(t, pulumiAWSPolicy(t, oneActionPolicyDoc), getString(t, resp.Inputs, "policy"))
	assert.Equal(t, r.state, resp.Properties)

	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}

func TestSecretReadPolicyChangedOutOfBand(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db"), "policy": str(policyDoc)}
	r := h.create(secretType, "secret", news)
	require.NoError(t, h.fake.SetResourcePolicy("app/db", otherPolicyDoc))
	snap, _ := h.fake.Snapshot("app/db")

	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpGetResourcePolicy: 1}, h.fake.Calls())
	assert.Equal(t, pulumiAWSPolicy(t, snap.ResourcePolicy), getString(t, resp.Properties, "policy"), "the drift is visible")
	assert.Equal(t, pulumiAWSPolicy(t, snap.ResourcePolicy), getString(t, resp.Inputs, "policy"))

	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.Equal(t, map[string]p.PropertyDiff{"policy": {Kind: p.Update}}, d.DetailedDiff, "and the way back")

	// A policy removed out of band shows too.
	require.NoError(t, h.fake.SetResourcePolicy("app/db", ""))
	resp = h.read(r)
	assert.Equal(t, "", getString(t, resp.Properties, "policy"))
	assert.Equal(t, "", getString(t, resp.Inputs, "policy"), "the program's opinion stays, so the next refresh reads the policy again")
}
