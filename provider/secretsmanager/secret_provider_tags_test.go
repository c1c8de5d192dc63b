package secretsmanager_test

import (
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/provider"
	"github.com/smxlabs/pulumi-smx/provider/config"
)

// The provider's defaultTags and ignoreTags (config.TagSettings), as
// pulumi-aws and terraform-provider-aws apply them: default tags are on the
// secret and in tagsAll, never in tags, the resource's own tags winning on
// the same key; ignored tags are in neither, never drift, and are never
// added nor removed.

func withDefaultTags(tags map[string]string) provider.Option {
	return provider.WithTags(config.TagSettings{Defaults: tags})
}

func TestSecretGetsTheDefaultTagsInTagsAllAndItsOwnWin(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withDefaultTags(map[string]string{"team": "payments", "env": "default"}))
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "tags": strMap(map[string]string{"env": "prod"})})

	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, map[string]string{"team": "payments", "env": "prod"}, programTags(snap.Tags),
		"the secret carries the default tags, its own env winning")
	assert.Equal(t, strMap(map[string]string{"env": "prod"}), r.state.Get("tags"), "tags holds the program's only")
	assert.Equal(t, strMap(map[string]string{"team": "payments", "env": "prod"}), r.state.Get("tagsAll"))
	assert.Equal(t, map[string]int{fakesm.OpCreateSecret: 1, fakesm.OpDescribeSecret: 1}, h.fake.Calls(),
		"the tags go with CreateSecret (the preview's look-up aside)")

	// A refresh splits the live tags the same way, and the next preview
	// has nothing to do, with no call.
	read := h.read(r)
	assert.Equal(t, strMap(map[string]string{"env": "prod"}), read.Properties.Get("tags"))
	assert.Equal(t, strMap(map[string]string{"team": "payments", "env": "prod"}), read.Properties.Get("tagsAll"))
	refreshed := created{urn: r.urn, id: r.id, inputs: read.Inputs, state: read.Properties}
	h.requireNoChange(refreshed, pm{"name": str("app/db"), "tags": strMap(map[string]string{"env": "prod"})})
}

// A default tag that the program also sets to the default's value stays the
// program's: terraform-provider-aws's read drops it from tags, which makes
// such a program diff for ever.
func TestSecretRefreshKeepsAProgramTagEqualToADefault(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withDefaultTags(map[string]string{"team": "payments"}))
	program := strMap(map[string]string{"team": "payments"})
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "tags": program})
	read := h.read(r)
	assert.Equal(t, program, read.Properties.Get("tags"))
	assert.Equal(t, program, read.Inputs.Get("tags"))
	refreshed := created{urn: r.urn, id: r.id, inputs: read.Inputs, state: read.Properties}
	_, d := h.diff(refreshed, pm{"name": str("app/db"), "tags": program})
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}

// Changing the provider's default tags (another provider process, as after
// `pulumi config set`) updates every secret in place: tagsAll changes, tags
// does not, and the update makes only the tag calls it needs.
func TestChangingTheDefaultTagsUpdatesTagsAllInPlace(t *testing.T) {
	t.Parallel()
	fake := fakesm.New()
	before := newHarnessOn(t, fake, withDefaultTags(map[string]string{"team": "payments", "cost": "1"}))
	r := before.create(secretType, "secret", pm{"name": str("app/db"), "tags": strMap(map[string]string{"env": "prod"})})

	after := newHarnessOn(t, fake, withDefaultTags(map[string]string{"team": "billing"}))
	fake.ResetCalls()
	inputs, d := after.diff(r, pm{"name": str("app/db"), "tags": strMap(map[string]string{"env": "prod"})})
	assert.True(t, d.HasChanges)
	assert.Equal(t, map[string]p.PropertyDiff{`tagsAll["team"]`: {Kind: p.Update}, `tagsAll["cost"]`: {Kind: p.Delete}},
		d.DetailedDiff, "each default tag that changes, and only those")
	assert.Equal(t, strMap(map[string]string{"team": "billing", "env": "prod"}), inputs.Get("tagsAll"),
		"the checked inputs hold the new tagsAll, which the preview shows")
	assert.Zero(t, fake.TotalCalls(), "Check and Diff make no call")

	updated := after.update(r, pm{"name": str("app/db"), "tags": strMap(map[string]string{"env": "prod"})})
	assert.Equal(t, map[string]int{fakesm.OpTagResource: 1, fakesm.OpUntagResource: 1}, fake.Calls())
	snap, _ := fake.Snapshot("app/db")
	assert.Equal(t, map[string]string{"team": "billing", "env": "prod"}, programTags(snap.Tags))
	assert.Equal(t, strMap(map[string]string{"env": "prod"}), updated.state.Get("tags"))
	assert.Equal(t, strMap(map[string]string{"team": "billing", "env": "prod"}), updated.state.Get("tagsAll"))
}

// A tag that other tooling adds, which ignoreTags names, is no drift on
// refresh and is never removed, even when the program changes its tags.
func TestIgnoredTagsNeverDriftAndAreNeverRemoved(t *testing.T) {
	t.Parallel()
	h := newHarness(t, provider.WithTags(config.TagSettings{
		Defaults:           map[string]string{"team": "payments"},
		IgnoredKeys:        []string{"CostCenter"},
		IgnoredKeyPrefixes: []string{"kubernetes.io/"},
	}))
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "tags": strMap(map[string]string{"env": "prod"})})
	snap, _ := h.fake.Snapshot("app/db")
	outside := map[string]string{"CostCenter": "42", "kubernetes.io/cluster": "main"}
	require.NoError(t, h.fake.SetTags("app/db", withTags(snap.Tags, outside)))

	read := h.read(r)
	assert.Equal(t, strMap(map[string]string{"env": "prod"}), read.Properties.Get("tags"))
	assert.Equal(t, strMap(map[string]string{"team": "payments", "env": "prod"}), read.Properties.Get("tagsAll"),
		"ignored tags are in neither tags nor tagsAll")
	refreshed := created{urn: r.urn, id: r.id, inputs: read.Inputs, state: read.Properties}
	_, d := h.diff(refreshed, pm{"name": str("app/db"), "tags": strMap(map[string]string{"env": "prod"})})
	assert.False(t, d.HasChanges, "an ignored tag is no drift: %v", d.DetailedDiff)

	// Even a state recorded before the tag was ignored (its tagsAll lists
	// it) never removes it.
	stale := r
	stale.state = r.state.Set("tagsAll", strMap(withTags(map[string]string{"team": "payments", "env": "prod"}, outside)))
	h.fake.ResetCalls()
	h.update(stale, pm{"name": str("app/db")})
	assert.Equal(t, map[string]int{fakesm.OpUntagResource: 1}, h.fake.Calls())
	snap, _ = h.fake.Snapshot("app/db")
	assert.Equal(t, withTags(map[string]string{"team": "payments"}, outside), programTags(snap.Tags),
		"only the program's env went")
}

func TestSecretCheckJudgesTagsWithTheProviderTagSettings(t *testing.T) {
	t.Parallel()
	defaults := map[string]string{}
	for i := range 30 {
		defaults[string(rune('a'+i%26))+string(rune('a'+i/26))] = "v"
	}
	h := newHarness(t, provider.WithTags(config.TagSettings{Defaults: defaults, IgnoredKeyPrefixes: []string{"ops:"}}))
	own := map[string]string{"ops:owner": "x"}
	for i := range 21 {
		own["own"+string(rune('a'+i))] = "v"
	}
	resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "tags": strMap(own)})
	reasons := failuresOn(resp, "tags")
	require.Len(t, reasons, 2, "%v", reasons)
	assert.Contains(t, reasons[0], `tag key "ops:owner" is ignored by the provider's ignoreTags`)
	assert.Contains(t, reasons[1], "may hold at most 50 tags together with the provider's defaultTags: the secret would carry 51")
	assert.Zero(t, h.fake.TotalCalls())

	// tagsAll is computed, never the program's.
	resp = h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "tagsAll": strMap(map[string]string{"a": "b"})})
	assert.Contains(t, failuresOn(resp, "tagsAll")[0], "is an output")
}

// On a secret smx creates, its owner tag counts too: 49 of the program's
// and the default tags together.
func TestSecretCreateCountsDefaultTagsAndTheOwnerTag(t *testing.T) {
	t.Parallel()
	defaults := map[string]string{}
	for i := range 40 {
		defaults["default"+string(rune('A'+i%26))+string(rune('A'+i/26))] = "v"
	}
	h := newHarness(t, withDefaultTags(defaults))
	own := map[string]string{}
	for i := range 10 {
		own["own"+string(rune('a'+i))] = "v"
	}
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "tags": strMap(own)})
	_, err := h.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs, DryRun: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the program sets 10 tags and the provider's defaultTags add 40, and smx adds its own tag")
	assert.Zero(t, h.fake.TotalCalls())
}
