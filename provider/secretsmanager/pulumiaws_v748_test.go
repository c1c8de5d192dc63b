package secretsmanager_test

import (
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The SecretRotation states pulumi-aws 7.48 records with its new inputs
// (tests/fixtures/pulumi-aws/v7.48, sources in SOURCES.md): a managed
// external secret's rotation and a rotation turned off. As for the v6 and
// v7 states, moving them to smx rewrites only the bridge's bookkeeping,
// including 7.48's `__pulumi_raw_state_delta`, with no Secrets Manager call.
func TestPulumiAWSv748RotationStatesMigrateWithoutCalls(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		file    string
		program pm
	}{
		{"secret_rotation_external", pm{
			"secretId":                        str(fixtureARN),
			"rotationRules":                   property.New(pm{"automaticallyAfterDays": num(30)}),
			"externalSecretRotationRoleArn":   str(fixtureRole),
			"externalSecretRotationMetadatas": metadataList("adminSecretArn", fixtureAdminSecret, "apiVersion", "v65.0"),
		}},
		{"secret_rotation_disabled", pm{"secretId": str(fixtureARN), "rotationEnabled": boolean(false)}},
	} {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			const token = "smx:secretsmanager:SecretRotation"
			oldInputs, oldState := loadPulumiAWSFixture(t, "v7.48", c.file)
			urn := urnOf(token, "migrated")
			inputs := h.checkOK(token, "migrated", oldInputs, c.program)

			d, err := h.server.Diff(p.DiffRequest{ID: fixtureARN, Urn: urn, State: oldState, Inputs: inputs, OldInputs: oldInputs})
			require.NoError(t, err)
			assert.True(t, d.HasChanges, "the state's shape changes, so up rewrites it")
			for prop, diff := range d.DetailedDiff {
				assert.True(t, strings.HasPrefix(prop, "__") || prop == "id", "only the bridge's bookkeeping changes, not %s (%v)", prop, diff)
				assert.Equal(t, p.Delete, diff.Kind)
			}

			resp, err := h.server.Update(p.UpdateRequest{ID: fixtureARN, Urn: urn, State: oldState, Inputs: inputs, OldInputs: oldInputs})
			require.NoError(t, err)
			assert.Zero(t, h.fake.TotalCalls(), "migrating makes no Secrets Manager call: %v", h.fake.Calls())
			for _, key := range []string{"__meta", "__defaults", "__pulumi_raw_state_delta", "id"} {
				_, ok := resp.Properties.GetOk(key)
				assert.False(t, ok, "the rewritten state holds no %q", key)
			}
			assert.Equal(t, oldState.Get("rotationEnabled"), resp.Properties.Get("rotationEnabled"))
			if c.file == "secret_rotation_external" {
				assert.Equal(t, str(fixtureRole), resp.Properties.Get("externalSecretRotationRoleArn"))
				assert.Equal(t, metadataList("adminSecretArn", fixtureAdminSecret, "apiVersion", "v65.0"),
					resp.Properties.Get("externalSecretRotationMetadatas"), "the items without the bridge's __defaults")
			}

			// The next diff, from smx's own state, finds nothing.
			again, err := h.server.Diff(p.DiffRequest{ID: fixtureARN, Urn: urn, State: resp.Properties, Inputs: inputs, OldInputs: inputs})
			require.NoError(t, err)
			assert.False(t, again.HasChanges, "%v", again.DetailedDiff)
		})
	}
}
