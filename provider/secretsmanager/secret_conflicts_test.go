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

	h.requireNoChange(r, news, "the adopted secret matches the program")
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

// A live secret outside the stack holds the name: `pulumi up` would fail
// ("already exists"), so the preview already fails, with the same advice.
func TestSecretCreateLiveNameTakenSaysImport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("app/db")})
	require.NoError(t, err)
	h.fake.ResetCalls()
	urn := urnOf(secretType, "secret")
	for _, restore := range []bool{false, true} {
		inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "restoreIfScheduledForDeletion": property.New(restore)})
		_, previewErr := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs, DryRun: true})
		require.Errorf(t, previewErr, "the preview fails (restoreIfScheduledForDeletion %v: the secret is not scheduled for deletion)", restore)
		for _, want := range []string{`cannot create secret "app/db"`, "already exists", "pulumi import smx:secretsmanager:Secret <resource name> app/db", "choose another name"} {
			assert.Contains(t, previewErr.Error(), want)
		}
		assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "one look-up, nothing changed")
		h.fake.ResetCalls()

		resp, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
		require.Error(t, err, "and `up` fails as the preview said")
		assert.Contains(t, err.Error(), "already exists; to manage it with Pulumi, import it (`pulumi import smx:secretsmanager:Secret <resource name> app/db`) or choose another name")
		assert.Empty(t, resp.ID, "nothing was created, nothing is kept in state")
		assert.Equal(t, 1, h.fake.Len())
		h.fake.ResetCalls()
	}
}

// A live secret that is this resource's own is not refused at preview: one
// smx created for it (its owner tag names the resource) whose create answer
// was lost, or the one a replacement that keeps the name replaces.
func TestSecretPreviewGivesWayToItsOwnSecret(t *testing.T) {
	t.Parallel()
	fake := fakesm.New()
	first := newHarnessOn(t, fake)
	first.create(secretType, "secret", pm{"name": str("app/own")})

	// A crash lost the state: the next run creates the resource again.
	again := newHarnessOn(t, fake)
	inputs := again.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/own")})
	_, err := again.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs, DryRun: true})
	require.NoError(t, err, "the owner tag names this resource: up adopts it")
	adopted, err := again.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs})
	require.NoError(t, err)
	assert.Equal(t, 1, fake.Len())
	snap, _ := fake.Snapshot("app/own")
	assert.Equal(t, snap.ARN, adopted.ID)

	// Another resource of the stack wanting the same name gets up's refusal.
	other := again.checkOK(secretType, "other", property.Map{}, pm{"name": str("app/own")})
	_, err = again.server.Create(p.CreateRequest{Urn: urnOf(secretType, "other"), Properties: other, DryRun: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already exists")
}

// A secret smx did not create (imported, or moved from pulumi-aws) has no
// owner tag. When a replacement keeps its name, the engine deletes it before
// creating the new one (delete-before-replace): the preview, which sees it
// still live, gives way to the secret the resource's recorded inputs name.
func TestSecretPreviewOfASameNameReplacementOfAnImportedSecret(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("app/imported"), Description: aws.String("old")})
	require.NoError(t, err)
	read, err := h.server.Read(p.ReadRequest{ID: "app/imported", Urn: urnOf(secretType, "secret")})
	require.NoError(t, err)
	imported := created{urn: urnOf(secretType, "secret"), id: aws.ToString(out.ARN), inputs: read.Inputs, state: read.Properties}
	require.Equal(t, "app/imported", getString(t, imported.inputs, "name"))

	// The engine checks the resource with its recorded inputs, diffs, and
	// on a replacement checks it again without them, then previews the create.
	news := pm{"name": str("app/imported"), "description": str("new")}
	h.fake.ResetCalls()
	inputs, _ := h.diff(imported, news)
	replacement := h.checkOK(secretType, "secret", property.Map{}, news)
	_, err = h.server.Create(p.CreateRequest{Urn: imported.urn, Properties: replacement, DryRun: true})
	require.NoError(t, err, "the live secret is the one being replaced")
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())

	// up: delete first, then create under the same name.
	require.NoError(t, h.delete(imported))
	resp, err := h.server.Create(p.CreateRequest{Urn: imported.urn, Properties: inputs})
	require.NoError(t, err)
	assert.NotEqual(t, imported.id, resp.ID, "a new secret")

	// The recorded name is the resource's in its own region only.
	elsewhere := newHarness(t)
	_, err = elsewhere.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("app/imported")})
	require.NoError(t, err)
	elsewhere.checkOK(secretType, "secret", property.NewMap(pm{"name": str("app/imported")}), pm{"name": str("app/imported")})
	moved := elsewhere.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/imported"), "region": str("eu-west-1")})
	_, err = elsewhere.server.Create(p.CreateRequest{Urn: imported.urn, Properties: moved, DryRun: true})
	require.Error(t, err, "a move to another region finds someone else's secret there")
	assert.Contains(t, err.Error(), "already exists")
	// A recorded region input that is the provider's own region is no move
	// (pulumi-aws v7 records one).
	elsewhere.checkOK(secretType, "v7", property.NewMap(pm{"name": str("app/imported"), "region": str(elsewhere.fake.Region())}),
		pm{"name": str("app/imported")})
	fromV7 := elsewhere.checkOK(secretType, "v7", property.Map{}, pm{"name": str("app/imported")})
	_, err = elsewhere.server.Create(p.CreateRequest{Urn: urnOf(secretType, "v7"), Properties: fromV7, DryRun: true})
	require.NoError(t, err)
}
