package secretsmanager_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
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
			_, migrated := requireMigratesWithoutCalls(t, "v7.48", c.file, "smx:secretsmanager:SecretRotation", fixtureARN, c.program)
			_, oldState := loadPulumiAWSFixture(t, "v7.48", c.file)
			assert.Equal(t, oldState.Get("rotationEnabled"), migrated.Get("rotationEnabled"))
			if c.file == "secret_rotation_external" {
				assert.Equal(t, str(fixtureRole), migrated.Get("externalSecretRotationRoleArn"))
				assert.Equal(t, metadataList("adminSecretArn", fixtureAdminSecret, "apiVersion", "v65.0"),
					migrated.Get("externalSecretRotationMetadatas"), "the items without the bridge's __defaults")
			}
		})
	}
}
