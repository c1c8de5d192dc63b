package secretsmanager_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

const policyType tokens.Type = "smx:secretsmanager:SecretPolicy"

const readPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
	`"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["secretsmanager:GetSecretValue"],"Resource":"*"}]}`

const publicPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",` +
	`"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`

func TestSecretPolicyCheck(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for name, tc := range map[string]struct {
		inputs   pm
		property string
	}{
		"malformed JSON":  {pm{"secretArn": str("s"), "policy": str("{not json")}, "policy"},
		"a JSON array":    {pm{"secretArn": str("s"), "policy": str("[]")}, "policy"},
		"JSON null":       {pm{"secretArn": str("s"), "policy": str("null")}, "policy"},
		"too long":        {pm{"secretArn": str("s"), "policy": str(`{"a":"` + strings.Repeat("x", 20480) + `"}`)}, "policy"},
		"empty secretArn": {pm{"secretArn": str(""), "policy": str(readPolicy)}, "secretArn"},
		"empty policy":    {pm{"secretArn": str("s"), "policy": str("")}, "policy"},
	} {
		t.Run(name, func(t *testing.T) {
			resp := h.check(policyType, "policy", property.Map{}, tc.inputs)
			assert.NotEmpty(t, failuresOn(resp, tc.property))
		})
	}
	// Unknown values are validated later, not as empty.
	resp := h.check(policyType, "policy", property.Map{}, pm{"secretArn": computed(), "policy": computed()})
	assert.Empty(t, resp.Failures)
	assert.Zero(t, h.fake.TotalCalls(), "Check makes no API call")
}

func TestSecretPolicyLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")

	h.fake.ResetCalls()
	pol := h.create(policyType, "policy", pm{"secretArn": str(s.id), "policy": str(readPolicy), "blockPublicPolicy": property.New(true)})
	assert.Equal(t, map[string]int{fakesm.OpPutResourcePolicy: 1}, h.fake.Calls(), "one PutResourcePolicy")
	assert.Equal(t, s.id, pol.id, "the ID is the secret's ARN")
	put := h.fake.Requests(fakesm.OpPutResourcePolicy)[0].(*sm.PutResourcePolicyInput)
	assert.True(t, aws.ToBool(put.BlockPublicPolicy))

	// AWS stores the policy rewritten: a refresh shows no drift and the
	// next preview no change, with no call for the preview.
	h.fake.ResetCalls()
	read := h.read(pol)
	assert.Equal(t, readPolicyNormalized, getString(t, read.Properties, "policy"))
	_, d := h.diff(created{urn: pol.urn, id: read.ID, inputs: read.Inputs, state: read.Properties},
		pm{"secretArn": str(s.id), "policy": str(readPolicy), "blockPublicPolicy": property.New(true)})
	assert.False(t, d.HasChanges)
	assert.Equal(t, map[string]int{fakesm.OpGetResourcePolicy: 1}, h.fake.Calls())

	// Changed out of band: drift.
	other := strings.Replace(readPolicy, "123456789012:root", "210987654321:root", 1)
	require.NoError(t, h.fake.SetResourcePolicy(s.id, other))
	drift := h.read(pol)
	assert.Contains(t, getString(t, drift.Properties, "policy"), "210987654321")

	// An update puts the program's policy back; the secret given by name is
	// the same secret, not a replacement.
	_, d = h.diff(pol, pm{"secretArn": str("app/db"), "policy": str(other), "blockPublicPolicy": property.New(true)})
	assert.NotContains(t, d.DetailedDiff, "secretArn")
	pol = h.update(pol, pm{"secretArn": str(s.id), "policy": str(other), "blockPublicPolicy": property.New(true)})

	// Delete removes it; deleting again (already gone) is fine.
	require.NoError(t, h.delete(pol))
	got, err := h.fake.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.Nil(t, got.ResourcePolicy)
	require.NoError(t, h.delete(pol))
	gone := h.read(pol)
	assert.Empty(t, gone.ID, "no policy: the resource is gone")
}

func TestSecretPolicyPublicPolicyIsExplained(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	inputs := h.checkOK(policyType, "policy", property.Map{}, pm{"secretArn": str(s.id), "policy": str(publicPolicy), "blockPublicPolicy": property.New(true)})
	_, err := h.server.Create(p.CreateRequest{Urn: urnOf(policyType, "policy"), Properties: inputs})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "blockPublicPolicy")
	var public *types.PublicPolicyException
	assert.ErrorAs(t, err, &public)
}

// A principal created a moment before may be rejected until it propagates.
func TestSecretPolicyRetriesAPrincipalStillPropagating(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	h.fake.FailNext(fakesm.OpPutResourcePolicy, &types.MalformedPolicyDocumentException{
		Message: aws.String("This resource policy contains an unsupported principal."),
	})
	h.fake.ResetCalls()
	h.create(policyType, "policy", pm{"secretArn": str(s.id), "policy": str(readPolicy)})
	assert.Equal(t, 2, h.fake.Calls()[fakesm.OpPutResourcePolicy])
}

// pulumi-aws's docs manage a secret's policy with a SecretPolicy beside a
// Secret that sets none. The Secret must not fight it: its refresh neither
// reads nor adopts the policy, and its next diff proposes nothing.
func TestSecretWithoutPolicyLeavesSecretPolicyAlone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	secret := h.create(secretType, "secret", pm{"name": str("app/db")})
	h.create(policyType, "policy", pm{"secretArn": str(secret.id), "policy": str(readPolicy)})

	h.fake.ResetCalls()
	read := h.read(secret)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "refresh: no GetResourcePolicy")
	_, inInputs := read.Inputs.GetOk("policy")
	assert.Equal(t, "", getString(t, read.Properties, "policy"), "the Secret claims no policy it does not manage")
	assert.False(t, inInputs, "an unset policy stays unset")

	refreshed := created{urn: secret.urn, id: read.ID, inputs: read.Inputs, state: read.Properties}
	_, d := h.diff(refreshed, pm{"name": str("app/db")})
	assert.False(t, d.HasChanges, "the Secret does not propose removing the SecretPolicy's policy: %v", d.DetailedDiff)
	snap, _ := h.fake.Snapshot("app/db")
	assert.Contains(t, snap.ResourcePolicy, "secretsmanager:GetSecretValue", "the policy is still attached")
}
