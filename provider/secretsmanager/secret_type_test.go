package secretsmanager_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// A Secret's `type` names the partner of a managed external secret. AWS
// keeps adding partners, so any exact name is taken; an empty one or one
// with whitespace is no partner's name, and fails before any call.
func TestSecretCheckType(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, partner := range []string{"SalesforceClientSecret", "SnowflakeKeyPairAuthentication", "BigIDClientSecret", "SomePartnerAWSAddsNext"} {
		assert.Empty(t, h.check(secretType, "secret", property.Map{}, pm{"type": str(partner)}).Failures, partner)
	}
	for partner, rule := range map[string]string{
		"":                         "must not be empty",
		"Salesforce Client Secret": "without whitespace",
		"SalesforceClientSecret\n": "without whitespace",
	} {
		failures := failuresOn(h.check(secretType, "secret", property.Map{}, pm{"type": str(partner)}), "type")
		require.Len(t, failures, 1, "%q", partner)
		assert.Contains(t, failures[0], rule)
	}
	assert.Zero(t, h.fake.TotalCalls())
}

func TestSecretTypeCreateReadUpdate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("crm/client"), "type": str("SalesforceClientSecret")}
	r := h.create(secretType, "secret", news)
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpCreateSecret], "the type goes in the one CreateSecret")
	assert.Equal(t, "SalesforceClientSecret", aws.ToString(h.fake.Requests(fakesm.OpCreateSecret)[0].(*sm.CreateSecretInput).Type))
	assert.Equal(t, "SalesforceClientSecret", getString(t, r.state, "type"))

	// Refresh reads it back: no drift.
	resp := h.read(r)
	assert.Equal(t, r.state, resp.Properties)
	h.requireNoChange(created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}, news)

	// A new partner is an in-place update, as UpdateSecret takes Type.
	changed := pmWith(news, "type", str("BigIDClientSecret"))
	_, d := h.diff(r, changed)
	assert.Equal(t, p.Update, d.DetailedDiff["type"].Kind)
	h.fake.ResetCalls()
	r = h.update(r, changed)
	assert.Equal(t, map[string]int{fakesm.OpUpdateSecret: 1}, h.fake.Calls())
	in := h.fake.Requests(fakesm.OpUpdateSecret)[0].(*sm.UpdateSecretInput)
	assert.Equal(t, "BigIDClientSecret", aws.ToString(in.Type))
	assert.Nil(t, in.Description, "only the type is sent")
	assert.Equal(t, "BigIDClientSecret", aws.ToString(h.describe("crm/client").Type))
	assert.Equal(t, "BigIDClientSecret", getString(t, r.state, "type"))

	// Unset is no opinion: no call can make the secret an ordinary one, so
	// a program that stops setting it changes nothing and keeps the output.
	unset := pm{"name": str("crm/client")}
	h.requireNoChange(r, unset, "an unset type is no opinion")
	h.fake.ResetCalls()
	r = h.update(r, pmWith(unset, "description", str("crm")))
	assert.Nil(t, h.fake.Requests(fakesm.OpUpdateSecret)[0].(*sm.UpdateSecretInput).Type)
	assert.Equal(t, "BigIDClientSecret", getString(t, r.state, "type"))
}

func TestSecretTypeDriftAndImport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("crm/client"), "type": str("SalesforceClientSecret")}
	r := h.create(secretType, "secret", news)
	_, err := h.fake.UpdateSecret(t.Context(), &sm.UpdateSecretInput{SecretId: aws.String("crm/client"), Type: aws.String("BigIDClientSecret")})
	require.NoError(t, err)

	resp := h.read(r)
	assert.Equal(t, "BigIDClientSecret", getString(t, resp.Properties, "type"))
	assert.Equal(t, "BigIDClientSecret", getString(t, resp.Inputs, "type"), "the program set it: the input follows, so the way back shows")
	_, d := h.diff(created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}, news)
	assert.Equal(t, p.Update, d.DetailedDiff["type"].Kind)

	// An import records the partner as an input, so the program that
	// `pulumi import` writes says it.
	out := h.createSecretDirectly("warehouse/key", &sm.CreateSecretInput{Type: aws.String("SnowflakeKeyPairAuthentication")})
	imported, err := h.server.Read(p.ReadRequest{ID: aws.ToString(out.ARN), Urn: urnOf(secretType, "imported")})
	require.NoError(t, err)
	assert.Equal(t, "SnowflakeKeyPairAuthentication", getString(t, imported.Inputs, "type"))
	plain := h.createSecretDirectly("plain", nil)
	imported, err = h.server.Read(p.ReadRequest{ID: aws.ToString(plain.ARN), Urn: urnOf(secretType, "plain")})
	require.NoError(t, err)
	_, hasType := imported.Inputs.GetOk("type")
	assert.False(t, hasType, "an ordinary secret imports with no type")
}

// The preview of an update shows the partner the update will set.
func TestSecretTypeUpdatePreview(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("crm/client"), "type": str("SalesforceClientSecret")})
	h.fake.ResetCalls()
	resp, err := h.server.Update(p.UpdateRequest{
		ID: r.id, Urn: r.urn, State: r.state, OldInputs: r.inputs, DryRun: true,
		Inputs: h.checkOK(secretType, "secret", r.inputs, pm{"name": str("crm/client"), "type": str("BigIDClientSecret")}),
	})
	require.NoError(t, err)
	assert.Equal(t, "BigIDClientSecret", getString(t, resp.Properties, "type"))
	assert.Equal(t, r.id, getString(t, resp.Properties, "arn"), "the ARN stays known: a type change is in place")
	assert.Zero(t, h.fake.TotalCalls())
}
