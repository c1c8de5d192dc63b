package secretsmanager_test

import (
	"testing"

	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// A Secret's tags and Tag resources on other keys of the same secret
// coexist (tags.go): the Secret manages the keys it declares and leaves the
// others alone, through refresh and up --refresh too. In pulumi-aws the two
// fight: its Secret untags whatever its Tag adds.

// refreshed is r after a `pulumi refresh`: Read's inputs and state, as the
// engine records them.
func (h *harness) refreshed(r created) created {
	h.t.Helper()
	read := h.read(r)
	require.Equal(h.t, r.id, read.ID, "%s is still there", r.urn.Name())
	return created{urn: r.urn, id: read.ID, inputs: read.Inputs, state: read.Properties}
}

func TestSecretTagsAndATagResourceCoexist(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	program := pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "core"})}
	secret := h.create(secretType, "secret", program)
	tag := h.create(tagType, "costCenter", tagInputs(secret.id, "CostCenter", "4711"))
	assert.Equal(t, map[string]string{"team": "core", "CostCenter": "4711"}, programTags(h.describeTags("app/db")))

	// refresh: the Secret shows the Tag's key in tagsAll, not in tags.
	h.fake.ResetCalls()
	secret, tag = h.refreshed(secret), h.refreshed(tag)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 2}, h.fake.Calls(), "one DescribeSecret each")
	assert.Equal(t, strMap(map[string]string{"team": "core"}), secret.state.Get("tags"))
	assert.Equal(t, strMap(map[string]string{"team": "core", "CostCenter": "4711"}), secret.state.Get("tagsAll"))
	assert.Equal(t, strMap(map[string]string{"team": "core"}), secret.inputs.Get("tags"))

	// preview after the refresh: nothing to do for either, with no call.
	h.requireNoChange(secret, program, "the Tag's key is not the Secret's")
	h.requireNoChange(tag, tagInputs(secret.id, "CostCenter", "4711"))

	// up --refresh: the same Read again changes nothing.
	again := h.refreshed(secret)
	assert.Equal(t, secret.state, again.state)
	assert.Equal(t, secret.inputs, again.inputs)

	// An update of the Secret's own tags leaves the Tag's key alone.
	changed := pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "payments"})}
	_, d := h.diff(secret, changed)
	assert.Equal(t, map[string]p.PropertyDiff{"tags": {Kind: p.Update}, `tagsAll["team"]`: {Kind: p.Update}}, d.DetailedDiff,
		"the preview shows only the Secret's key changing")
	h.fake.ResetCalls()
	secret = h.update(secret, changed)
	assert.Equal(t, map[string]int{fakesm.OpTagResource: 1}, h.fake.Calls(), "no UntagResource")
	assert.Equal(t, map[string]string{"team": "payments", "CostCenter": "4711"}, programTags(h.describeTags("app/db")))
	assert.Equal(t, strMap(map[string]string{"team": "payments", "CostCenter": "4711"}), secret.state.Get("tagsAll"),
		"tagsAll still shows the Tag's key")
	h.requireNoChange(h.refreshed(secret), changed)
	h.requireNoChange(h.refreshed(tag), tagInputs(secret.id, "CostCenter", "4711"))
}

// The Secret still puts back its own key when someone changes or removes it
// by hand, and removes a key the program stops declaring; the Tag's key
// stays through all of it.
func TestSecretPutsBackAndRemovesOnlyItsOwnKeys(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	program := pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "core", "env": "prod"})}
	secret := h.create(secretType, "secret", program)
	tag := h.create(tagType, "costCenter", tagInputs(secret.id, "CostCenter", "4711"))

	// By hand: team changed, env removed, and a tag of another tool added.
	owner := h.describeTags("app/db")["smx:owner"]
	require.NoError(t, h.fake.SetTags("app/db", map[string]string{
		"smx:owner": owner, "team": "edited", "CostCenter": "4711", "backup": "daily",
	}))
	secret = h.refreshed(secret)
	assert.Equal(t, strMap(map[string]string{"team": "edited"}), secret.state.Get("tags"))
	assert.Equal(t, strMap(map[string]string{"team": "edited", "CostCenter": "4711", "backup": "daily"}), secret.state.Get("tagsAll"))
	_, d := h.diff(secret, program)
	assert.Equal(t, map[string]p.PropertyDiff{
		"tags": {Kind: p.Update}, `tagsAll["team"]`: {Kind: p.Update}, `tagsAll["env"]`: {Kind: p.Add},
	}, d.DetailedDiff, "the Secret's two keys are drift; CostCenter and backup are not")

	h.fake.ResetCalls()
	secret = h.update(secret, program)
	assert.Equal(t, map[string]int{fakesm.OpTagResource: 1}, h.fake.Calls(), "both keys back in one call, nothing untagged")
	assert.Equal(t, map[string]string{"team": "core", "env": "prod", "CostCenter": "4711", "backup": "daily"},
		programTags(h.describeTags("app/db")))

	// The program stops declaring env: env goes, nothing else.
	dropped := pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "core"})}
	secret = h.refreshed(secret)
	_, d = h.diff(secret, dropped)
	assert.Equal(t, map[string]p.PropertyDiff{"tags": {Kind: p.Update}, `tagsAll["env"]`: {Kind: p.Delete}}, d.DetailedDiff)
	h.fake.ResetCalls()
	secret = h.update(secret, dropped)
	assert.Equal(t, map[string]int{fakesm.OpUntagResource: 1}, h.fake.Calls())
	untag := h.fake.Requests(fakesm.OpUntagResource)[0].(*sm.UntagResourceInput)
	assert.Equal(t, []string{"env"}, untag.TagKeys)
	assert.Equal(t, map[string]string{"team": "core", "CostCenter": "4711", "backup": "daily"}, programTags(h.describeTags("app/db")))

	// The program drops its tags altogether: only its own team goes.
	none := pm{"name": str("app/db")}
	h.fake.ResetCalls()
	secret = h.update(h.refreshed(secret), none)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpUntagResource: 1}, h.fake.Calls(), "the refresh and one untag")
	assert.Equal(t, map[string]string{"CostCenter": "4711", "backup": "daily"}, programTags(h.describeTags("app/db")))
	h.requireNoChange(h.refreshed(secret), none)
	h.requireNoChange(h.refreshed(tag), tagInputs(secret.id, "CostCenter", "4711"))
}

// A default tag is declared too: dropped from the provider's defaultTags,
// it is removed, even after a refresh that saw the Tag's key beside it.
func TestADroppedDefaultTagIsRemovedButNotTheTagResourceKey(t *testing.T) {
	t.Parallel()
	fake := fakesm.New()
	before := newHarnessOn(t, fake, withDefaultTags(map[string]string{"team": "payments", "cost": "1"}))
	program := pm{"name": str("app/db"), "tags": strMap(map[string]string{"env": "prod"})}
	secret := before.create(secretType, "secret", program)
	before.create(tagType, "costCenter", tagInputs(secret.id, "CostCenter", "4711"))
	secret = before.refreshed(secret)
	assert.Equal(t, strMap(map[string]string{"team": "payments", "cost": "1", "env": "prod", "CostCenter": "4711"}),
		secret.state.Get("tagsAll"))

	after := newHarnessOn(t, fake, withDefaultTags(map[string]string{"team": "payments"}))
	_, d := after.diff(secret, program)
	assert.Equal(t, map[string]p.PropertyDiff{`tagsAll["cost"]`: {Kind: p.Delete}}, d.DetailedDiff)
	fake.ResetCalls()
	secret = after.update(secret, program)
	assert.Equal(t, map[string]int{fakesm.OpUntagResource: 1}, fake.Calls())
	assert.Equal(t, map[string]string{"team": "payments", "env": "prod", "CostCenter": "4711"}, programTags(after.describeTags("app/db")))
	assert.Equal(t, strMap(map[string]string{"team": "payments", "env": "prod", "CostCenter": "4711"}), secret.state.Get("tagsAll"))
}

// The preview of an update shows the outputs the update will record: the
// undeclared key stays in tagsAll. (When the tags change, the preview shows
// tagsAll unknown, as every output that follows a changed input.)
func TestSecretUpdatePreviewKeepsUndeclaredKeysInTagsAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	secret := h.create(secretType, "secret", pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "core"})})
	h.create(tagType, "costCenter", tagInputs(secret.id, "CostCenter", "4711"))
	secret = h.refreshed(secret)
	changed := pm{"name": str("app/db"), "description": str("orders"), "tags": strMap(map[string]string{"team": "core"})}
	inputs, _ := h.diff(secret, changed)
	h.fake.ResetCalls()
	preview, err := h.server.Update(p.UpdateRequest{ID: secret.id, Urn: secret.urn, State: secret.state, Inputs: inputs,
		OldInputs: secret.inputs, DryRun: true})
	require.NoError(t, err)
	assert.Zero(t, h.fake.TotalCalls())
	assert.Equal(t, strMap(map[string]string{"team": "core", "CostCenter": "4711"}), preview.Properties.Get("tagsAll"))
}
