package secretsmanager_test

// Tests of a Secret whose name is taken: by a secret scheduled for deletion
// (restore and adopt, or explain), by the secret a same-name replacement in
// the same run deleted, or by a live secret (import it).

import (
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

// scheduledSecret makes a secret outside Pulumi, with a value, a
// description and tags, and schedules its deletion, as `pulumi destroy` of
// an earlier stack would.
func (h *harness) scheduledSecret(name string) (arn, versionID string) {
	h.t.Helper()
	out, err := h.fake.CreateSecret(h.t.Context(), &sm.CreateSecretInput{
		Name: aws.String(name), Description: aws.String("old description"), SecretString: aws.String("old-value"),
		Tags: []types.Tag{{Key: aws.String("old"), Value: aws.String("1")}},
	})
	require.NoError(h.t, err)
	_, err = h.fake.DeleteSecret(h.t.Context(), &sm.DeleteSecretInput{SecretId: out.ARN})
	require.NoError(h.t, err)
	h.fake.ResetCalls()
	return aws.ToString(out.ARN), aws.ToString(out.VersionId)
}

func TestSecretPreviewNameScheduledForDeletion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.scheduledSecret("app/db")
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db")})
	_, err := h.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs, DryRun: true})
	require.Error(t, err, "the preview already fails")
	assert.Contains(t, err.Error(), "scheduled for deletion")
	assert.Contains(t, err.Error(), "restoreIfScheduledForDeletion", "and says how to proceed")
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "one look-up, nothing changed")
}

func TestSecretRestoreIfScheduledForDeletion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	oldARN, oldVersion := h.scheduledSecret("app/db")
	news := pm{
		"name": str("app/db"), "description": str("new description"), "tags": strMap(map[string]string{"env": "prod"}),
		"restoreIfScheduledForDeletion": property.New(true),
	}
	r := h.create(secretType, "secret", news)

	assert.Equal(t, oldARN, r.id, "the old secret is adopted: same ARN")
	assert.Equal(t, oldARN, getString(t, r.state, "arn"))
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpRestoreSecret])
	snap, ok := h.fake.Snapshot("app/db")
	require.True(t, ok)
	assert.Nil(t, snap.DeletedDate, "restored")
	assert.Equal(t, "new description", snap.Description, "brought to the program's description")
	assert.Equal(t, map[string]string{"env": "prod"}, programTags(snap.Tags), "and tags")
	assert.Equal(t, "new description", getString(t, r.state, "description"))
	assert.Equal(t, strMap(map[string]string{"env": "prod"}), r.state.Get("tags"))
	assert.Equal(t, strMap(map[string]string{"env": "prod"}), r.state.Get("tagsAll"))

	got, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(oldARN)})
	require.NoError(t, err, "its versions are still readable")
	assert.Equal(t, "old-value", aws.ToString(got.SecretString))
	assert.Equal(t, oldVersion, aws.ToString(got.VersionId))

	h.fake.ResetCalls()
	_, d := h.diff(r, news)
	assert.False(t, d.HasChanges, "the adopted secret matches the program: %v", d.DetailedDiff)
	assert.Zero(t, h.fake.TotalCalls())
}

// A same-name replacement within one `pulumi up`: the engine deletes the old
// secret (default 30-day window), then creates the new one under the same
// name. The provider finishes the deletion it started and creates anew.
func TestSecretSameNameReplacementWithinOneRun(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	old := h.create(secretType, "secret", pm{"name": str("x")})
	require.NoError(t, h.delete(old))
	require.NotNil(t, h.describe("x").DeletedDate, "scheduled for deletion, 30-day window")

	h.fake.ResetCalls()
	replacement := h.create(secretType, "secret", pm{"name": str("x")})
	assert.NotEqual(t, old.id, replacement.id, "a new secret")
	assert.Zero(t, h.fake.Calls()[fakesm.OpRestoreSecret], "not a restore")
	assert.Equal(t, 1, h.fake.Len(), "the fake holds one secret named x")
	snap, ok := h.fake.Snapshot("x")
	require.True(t, ok)
	assert.Nil(t, snap.DeletedDate, "and it is live")
	assert.Equal(t, replacement.id, snap.ARN)
}

func TestSecretCreateLiveNameTakenSaysImport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("app/db")})
	require.NoError(t, err)
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db")})
	urn := urnOf(secretType, "secret")
	_, err = h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs, DryRun: true})
	require.NoError(t, err, "a live secret may be the one this update replaces: the preview does not fail")
	resp, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pulumi import")
	assert.Contains(t, err.Error(), "app/db")
	assert.Empty(t, resp.ID, "nothing was created, nothing is kept in state")
	assert.Equal(t, 1, h.fake.Len())
}
