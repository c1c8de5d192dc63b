package secretsmanager_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// Every resource has state inputs, as pulumi-aws's do: its outputs, none
// required, each as secret as the output. The SDKs make `X.get(name, id,
// state)` and the `XState` types from them.
func TestEveryResourceHasStateInputs(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	resp, err := h.server.GetSchema(p.GetSchemaRequest{})
	require.NoError(t, err)
	type propSpec struct {
		Secret bool `json:"secret"`
	}
	var spec struct {
		Resources map[string]struct {
			Properties  map[string]propSpec `json:"properties"`
			StateInputs *struct {
				Description string              `json:"description"`
				Properties  map[string]propSpec `json:"properties"`
				Required    []string            `json:"required"`
			} `json:"stateInputs"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal([]byte(resp.Schema), &spec))
	require.NotEmpty(t, spec.Resources)
	for token, resource := range spec.Resources {
		require.NotNil(t, resource.StateInputs, "%s has no stateInputs", token)
		assert.ElementsMatch(t, slices.Collect(maps.Keys(resource.Properties)), slices.Collect(maps.Keys(resource.StateInputs.Properties)), token)
		assert.Empty(t, resource.StateInputs.Required, "%s: no state input is required", token)
		assert.NotEmpty(t, resource.StateInputs.Description, token)
		for name, prop := range resource.Properties {
			assert.Equal(t, prop.Secret, resource.StateInputs.Properties[name].Secret, "%s.%s: as secret as the output", token, name)
		}
	}
}

// `Secret.get(name, id, state)` reads the secret by its ID: the state a
// program gives qualifies the lookup, as in pulumi-aws, and what AWS holds
// wins over it.
func TestSecretGetWithStateReadsWhatAWSHolds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out := h.createSecretDirectly("app/db", nil)
	h.fake.ResetCalls()
	resp, err := h.server.Read(p.ReadRequest{
		ID: aws.ToString(out.ARN), Urn: urnOf(secretType, "looked-up"),
		Properties: property.NewMap(map[string]property.Value{"description": str("what the program guessed")}),
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpGetResourcePolicy: 1}, h.fake.Calls())
	assert.Equal(t, aws.ToString(out.ARN), resp.ID)
	assert.Equal(t, "app/db", getString(t, resp.Properties, "name"))
	_, hasDescription := resp.Properties.GetOk("description")
	assert.False(t, hasDescription, "the secret has no description, whatever the program guessed")
}
