package secretsmanager_test

import (
	"fmt"
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

// AWS's reserved tags — keys with the prefix aws:, which services such as
// CloudFormation put on the secrets they make — are not the program's: smx
// ignores them as it ignores its own owner tag. They are in neither `tags`
// nor `tagsAll` (terraform-provider-aws drops them on read, so pulumi-aws
// never records them), never in an import's inputs (which become the
// generated code), and never untagged: the fake, like AWS, refuses
// UntagResource of an aws: key.

// cloudFormationTags are the tags CloudFormation puts on a secret it creates.
var cloudFormationTags = map[string]string{
	"aws:cloudformation:stack-name": "app",
	"aws:cloudformation:logical-id": "DbSecret",
	"AWS:CloudFormation:stack-id":   "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1",
}

// withTags is tags plus more, as one new map.
func withTags(tags map[string]string, more map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range []map[string]string{tags, more} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func TestSecretImportIgnoresAWSTags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out := h.createSecretDirectly("stack/db", &sm.CreateSecretInput{
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}},
	})
	require.NoError(t, h.fake.SetTags("stack/db", withTags(cloudFormationTags, map[string]string{"env": "prod"})))

	resp, err := h.server.Read(p.ReadRequest{ID: aws.ToString(out.ARN), Urn: urnOf(secretType, "imported")})
	require.NoError(t, err)
	program := strMap(map[string]string{"env": "prod"})
	assert.Equal(t, program, resp.Inputs.Get("tags"), "the generated code holds the secret's own tags only")
	assert.Equal(t, program, resp.Properties.Get("tags"))
	assert.Equal(t, program, resp.Properties.Get("tagsAll"))

	// The imported inputs pass smx's own validation (the engine checks them
	// on import), and the generated program previews with no change.
	imported := created{urn: urnOf(secretType, "imported"), id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	require.Empty(t, h.check(secretType, "imported", resp.Inputs, resp.Inputs.AsMap()).Failures)
	_, d := h.diff(imported, pm{"name": str("stack/db"), "tags": program})
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)

	// A program that changes its tags leaves AWS's alone.
	h.fake.ResetCalls()
	h.update(imported, pm{"name": str("stack/db"), "tags": strMap(map[string]string{"env": "staging"})})
	assert.Equal(t, map[string]int{fakesm.OpTagResource: 1}, h.fake.Calls())
	snap, _ := h.fake.Snapshot("stack/db")
	assert.Equal(t, withTags(cloudFormationTags, map[string]string{"env": "staging"}), snap.Tags)
}

// A service tags a secret smx created (the refresh sees the tag), and the
// program then removes every tag of its own: only those are untagged.
func TestSecretRefreshAndUpdateIgnoreAWSTags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "core"})})
	snap, _ := h.fake.Snapshot("app/db")
	require.NoError(t, h.fake.SetTags("app/db", withTags(snap.Tags, cloudFormationTags)))

	read := h.read(r)
	assert.Equal(t, strMap(map[string]string{"team": "core"}), read.Inputs.Get("tags"))
	assert.Equal(t, strMap(map[string]string{"team": "core"}), read.Properties.Get("tagsAll"))
	refreshed := created{urn: r.urn, id: r.id, inputs: read.Inputs, state: read.Properties}
	_, d := h.diff(refreshed, pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "core"})})
	assert.False(t, d.HasChanges, "AWS's tags are no drift: %v", d.DetailedDiff)

	h.fake.ResetCalls()
	r = h.update(refreshed, pm{"name": str("app/db")})
	assert.Equal(t, map[string]int{fakesm.OpUntagResource: 1}, h.fake.Calls())
	untag := h.fake.Requests(fakesm.OpUntagResource)[0].(*sm.UntagResourceInput)
	assert.Equal(t, []string{"team"}, untag.TagKeys)
	assert.Equal(t, property.New(pm{}), r.state.Get("tagsAll"))
	snap, _ = h.fake.Snapshot("app/db")
	assert.Equal(t, cloudFormationTags, programTags(snap.Tags))
}

// A state recorded before smx ignored AWS's tags holds them in `tags` and
// `tagsAll`. The program cannot name them (Check rejects the aws: prefix), so
// they are no change, and an update of other tags never untags them.
func TestSecretStateWithAWSTagsFromAnEarlierImport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out := h.createSecretDirectly("stack/db", &sm.CreateSecretInput{
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}},
	})
	all := withTags(cloudFormationTags, map[string]string{"env": "prod"})
	require.NoError(t, h.fake.SetTags("stack/db", all))
	resp, err := h.server.Read(p.ReadRequest{ID: aws.ToString(out.ARN), Urn: urnOf(secretType, "imported")})
	require.NoError(t, err)
	earlier := created{
		urn: urnOf(secretType, "imported"), id: resp.ID,
		inputs: resp.Inputs.Set("tags", strMap(all)),
		state:  resp.Properties.Set("tags", strMap(all)).Set("tagsAll", strMap(all)),
	}

	_, d := h.diff(earlier, pm{"name": str("stack/db"), "tags": strMap(map[string]string{"env": "prod"})})
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)

	h.fake.ResetCalls()
	r := h.update(earlier, pm{"name": str("stack/db"), "tags": strMap(map[string]string{"team": "core"})})
	assert.Equal(t, map[string]int{fakesm.OpUntagResource: 1, fakesm.OpTagResource: 1}, h.fake.Calls())
	untag := h.fake.Requests(fakesm.OpUntagResource)[0].(*sm.UntagResourceInput)
	assert.Equal(t, []string{"env"}, untag.TagKeys, "only the program's own tags are untagged")
	assert.Equal(t, strMap(map[string]string{"team": "core"}), r.state.Get("tagsAll"))
	snap, _ := h.fake.Snapshot("stack/db")
	assert.Equal(t, withTags(cloudFormationTags, map[string]string{"team": "core"}), snap.Tags)
}

func TestGetSecretIgnoresAWSTags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.createSecretDirectly("stack/db", nil)
	require.NoError(t, h.fake.SetTags("stack/db", withTags(cloudFormationTags, map[string]string{"team": "core"})))
	out := h.invokeOK(getSecretToken, pm{"name": str("stack/db")})
	assert.Equal(t, strMap(map[string]string{"team": "core"}), out.Get("tags"))
}

// fiftyTags are as many tags as AWS allows on a secret.
func fiftyTags() map[string]string {
	tags := map[string]string{}
	for i := range 50 {
		tags[fmt.Sprintf("tag%02d", i)] = "v"
	}
	return tags
}

// AWS allows 50 tags on a secret. smx adds its owner tag to the secrets it
// creates, so those have room for 49 of the program's; an imported or a
// migrated secret never gets that tag, and takes all 50.
func TestSecretCheckAllowsFiftyTags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	assert.Empty(t, h.check(secretType, "secret", property.Map{}, pm{"tags": strMap(fiftyTags())}).Failures)
	resp := h.check(secretType, "secret", property.Map{}, pm{"tags": strMap(withTags(fiftyTags(), map[string]string{"one": "more"}))})
	assert.Equal(t, []string{"may hold at most 50 tags, got 51"}, failuresOn(resp, "tags"))
}

func TestSecretCreateWithFiftyTagsSaysTheOwnerTagPushesItOver(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "tags": strMap(fiftyTags())})
	for _, dryRun := range []bool{true, false} {
		_, err := h.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs, DryRun: dryRun})
		require.Error(t, err, "preview: %v", dryRun)
		assert.Contains(t, err.Error(), `tags: the program sets 50 tags, and smx adds its own tag "smx:owner" to every secret it creates`)
		assert.Contains(t, err.Error(), "which makes 51: AWS allows 50. Set at most 49 tags on a secret smx creates")
		assert.Contains(t, err.Error(), "pulumi import smx:secretsmanager:Secret")
	}
	assert.Zero(t, h.fake.TotalCalls(), "nothing is called: %v", h.fake.Calls())

	fortyNine := fiftyTags()
	delete(fortyNine, "tag00")
	h.create(secretType, "secret", pm{"name": str("app/db"), "tags": strMap(fortyNine)})
	snap, _ := h.fake.Snapshot("app/db")
	assert.Len(t, snap.Tags, 50, "the program's 49 and smx's own")
}

func TestSecretImportedWithFiftyTags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tags := make([]types.Tag, 0, 50)
	for key, value := range fiftyTags() {
		tags = append(tags, types.Tag{Key: aws.String(key), Value: aws.String(value)})
	}
	out := h.createSecretDirectly("legacy/db", &sm.CreateSecretInput{Tags: tags})
	resp, err := h.server.Read(p.ReadRequest{ID: aws.ToString(out.ARN), Urn: urnOf(secretType, "imported")})
	require.NoError(t, err)
	assert.Equal(t, strMap(fiftyTags()), resp.Inputs.Get("tags"))
	// The engine checks the imported inputs, which become the generated code.
	require.Empty(t, h.check(secretType, "imported", resp.Inputs, resp.Inputs.AsMap()).Failures)
	imported := created{urn: urnOf(secretType, "imported"), id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(imported, pm{"name": str("legacy/db"), "tags": strMap(fiftyTags())})
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)

	// It has no owner tag: the program may change its 50 tags.
	changed := withTags(fiftyTags(), map[string]string{"tag00": "changed"})
	h.fake.ResetCalls()
	r := h.update(imported, pm{"name": str("legacy/db"), "tags": strMap(changed)})
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 2, fakesm.OpTagResource: 1}, h.fake.Calls(),
		"one look for the owner tag in the preview and one in the update")
	assert.Equal(t, strMap(changed), r.state.Get("tagsAll"))
	snap, _ := h.fake.Snapshot("legacy/db")
	assert.Equal(t, changed, snap.Tags)
}

// A pulumi-aws stack whose secret has 50 tags moves over with no call.
func TestPulumiAWSSecretWithFiftyTagsMigrates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	oldInputs, oldState := loadPulumiAWSFixture(t, "v7", "secret")
	oldInputs = oldInputs.Set("tags", strMap(fiftyTags())).Set("tagsAll", strMap(fiftyTags()))
	oldState = oldState.Set("tags", strMap(fiftyTags())).Set("tagsAll", strMap(fiftyTags()))
	urn := urnOf(secretType, "migrated")
	inputs := h.checkOK(secretType, "migrated", oldInputs, pm{"tags": strMap(fiftyTags())})
	d, err := h.server.Diff(p.DiffRequest{ID: fixtureARN, Urn: urn, State: oldState, Inputs: inputs, OldInputs: oldInputs})
	require.NoError(t, err)
	for prop := range d.DetailedDiff {
		assert.Contains(t, []string{"__meta", "__defaults", "id"}, prop, "only the bridge's bookkeeping changes")
	}
	resp, err := h.server.Update(p.UpdateRequest{ID: fixtureARN, Urn: urn, State: oldState, Inputs: inputs, OldInputs: oldInputs})
	require.NoError(t, err)
	assert.Zero(t, h.fake.TotalCalls(), "migrating makes no Secrets Manager call: %v", h.fake.Calls())
	assert.Equal(t, strMap(fiftyTags()), resp.Properties.Get("tagsAll"))
}

// A secret smx created carries the owner tag: the program's 50th tag is
// refused at preview, before any change, saying why.
func TestSecretUpdateToFiftyTagsOnASecretSmxCreated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "core"})})
	inputs, d := h.diff(r, pm{"name": str("app/db"), "tags": strMap(fiftyTags())})
	require.True(t, d.HasChanges)
	h.fake.ResetCalls()
	for _, dryRun := range []bool{true, false} {
		_, err := h.server.Update(p.UpdateRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: inputs, OldInputs: r.inputs, DryRun: dryRun})
		require.Error(t, err, "preview: %v", dryRun)
		assert.Contains(t, err.Error(), `tags: the program sets 50 tags, and secret "app/db" carries smx's own tag "smx:owner"`)
		assert.Contains(t, err.Error(), "which makes 51: AWS allows 50. Set at most 49 tags on this secret")
	}
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 2}, h.fake.Calls(), "nothing is changed")
	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, map[string]string{"team": "core"}, programTags(snap.Tags))
}
