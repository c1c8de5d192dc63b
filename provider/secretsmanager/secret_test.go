package secretsmanager_test

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// ---------------------------------------------------------------------------
// Check

func TestSecretCheckAutoNamesFromResourceName(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	first := h.checkOK(secretType, "secret", property.Map{}, pm{})
	name := getString(t, first, "name")
	assert.Regexp(t, `^secret-[a-z0-9]{7}$`, name)

	// Re-checking with the old inputs keeps the name: no spurious replace.
	again := h.checkOK(secretType, "secret", first, pm{})
	assert.Equal(t, name, getString(t, again, "name"))
	again = h.checkOK(secretType, "secret", first, pm{"description": str("now described")})
	assert.Equal(t, name, getString(t, again, "name"))

	// A fresh resource gets a fresh suffix.
	other := h.checkOK(secretType, "secret", property.Map{}, pm{})
	assert.NotEqual(t, name, getString(t, other, "name"))

	// A long resource name is trimmed so that the unique suffix still fits
	// after its hyphen.
	long := h.checkOK(secretType, strings.Repeat("n", 600), property.Map{}, pm{})
	assert.Len(t, getString(t, long, "name"), 512)
	assert.Regexp(t, `^n+-[a-z0-9]{7}$`, getString(t, long, "name"))
	assert.Zero(t, h.fake.TotalCalls(), "Check makes no API call")
}

// The engine sends a random seed with every Check and keeps it in a saved
// plan; `pulumi up --plan` checks again with the same seed, and the plan
// holds only if the generated name is the one it showed.
func TestSecretCheckNameFollowsTheEngineSeed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	checkWithSeed := func(seed string, news pm) string {
		resp, err := h.server.Check(p.CheckRequest{Urn: urnOf(secretType, "secret"), State: property.Map{},
			Inputs: property.NewMap(news), RandomSeed: []byte(seed)})
		require.NoError(t, err)
		require.Empty(t, resp.Failures)
		return getString(t, resp.Inputs, "name")
	}
	planned := checkWithSeed("seed of the saved plan", pm{})
	assert.Regexp(t, `^secret-[a-z0-9]{7}$`, planned)
	assert.Equal(t, planned, checkWithSeed("seed of the saved plan", pm{}), "same seed, same name")
	assert.NotEqual(t, planned, checkWithSeed("another deployment's seed", pm{}))

	prefixed := checkWithSeed("seed of the saved plan", pm{"namePrefix": str("app/db-")})
	assert.Regexp(t, `^app/db-[0-9a-f]{26}$`, prefixed)
	assert.Equal(t, prefixed, checkWithSeed("seed of the saved plan", pm{"namePrefix": str("app/db-")}))
}

func TestSecretCheckNamePrefix(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	first := h.checkOK(secretType, "secret", property.Map{}, pm{"namePrefix": str("app/db-")})
	name := getString(t, first, "name")
	assert.Regexp(t, `^app/db-[0-9a-f]{26}$`, name)
	assert.Equal(t, "app/db-", getString(t, first, "namePrefix"))

	again := h.checkOK(secretType, "secret", first, pm{"namePrefix": str("app/db-")})
	assert.Equal(t, name, getString(t, again, "name"), "same prefix, same name")

	changed := h.checkOK(secretType, "secret", first, pm{"namePrefix": str("app/cache-")})
	assert.Regexp(t, `^app/cache-[0-9a-f]{26}$`, getString(t, changed, "name"), "new prefix, new name")

	resp := h.check(secretType, "secret", property.Map{}, pm{"namePrefix": str(strings.Repeat("p", 487))})
	assert.NotEmpty(t, failuresOn(resp, "namePrefix"), "a prefix longer than 486 leaves no room for the suffix")
	resp = h.check(secretType, "secret", property.Map{}, pm{"namePrefix": str("bad prefix")})
	assert.NotEmpty(t, failuresOn(resp, "namePrefix"))
}

func TestSecretCheckNameAndNamePrefixConflict(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app"), "namePrefix": str("app-")})
	assert.NotEmpty(t, failuresOn(resp, "name"))
	// Even when one of them is still unknown.
	resp = h.check(secretType, "secret", property.Map{}, pm{"name": computed(), "namePrefix": str("app-")})
	assert.NotEmpty(t, failuresOn(resp, "name"))
}

func TestSecretCheckNames(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// Names ending in a hyphen and six characters ("my-secret") are valid in
	// AWS and common in pulumi-aws programs: Check warns about them (lookups
	// by partial ARN can be ambiguous) but accepts them.
	for _, name := range []string{"a", "app/db", "a/b_c+d=e.f@g-h", strings.Repeat("a", 512), "name-abcde", "name-abcdefg",
		"name-abcdef", "db-ABC123", "my-secret"} {
		resp := h.check(secretType, "secret", property.Map{}, pm{"name": str(name)})
		assert.Emptyf(t, resp.Failures, "%q should be valid", name)
		if len(resp.Failures) == 0 {
			assert.Equal(t, name, getString(t, resp.Inputs, "name"), "an explicit name is kept as is")
		}
	}
	for _, name := range []string{"", strings.Repeat("a", 513), "has space", "star*", "ünï"} {
		resp := h.check(secretType, "secret", property.Map{}, pm{"name": str(name)})
		assert.NotEmptyf(t, failuresOn(resp, "name"), "%q should be rejected", name)
	}
}

func TestSecretCheckRecoveryWindow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, days := range []float64{0, 7, 15, 30} {
		resp := h.check(secretType, "secret", property.Map{}, pm{"recoveryWindowInDays": num(days)})
		assert.Emptyf(t, resp.Failures, "%v days", days)
	}
	for _, days := range []float64{-1, 1, 6, 31, 365} {
		resp := h.check(secretType, "secret", property.Map{}, pm{"recoveryWindowInDays": num(days)})
		assert.NotEmptyf(t, failuresOn(resp, "recoveryWindowInDays"), "%v days", days)
	}
}

func TestSecretCheckTags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ok := h.check(secretType, "secret", property.Map{}, pm{"tags": strMap(map[string]string{"env": "prod", "team:owner": "a b"})})
	assert.Empty(t, ok.Failures)

	for _, tags := range []map[string]string{
		{"aws:createdBy": "me"},
		{"AWS:x": "y"},
		{strings.Repeat("k", 128): "v"},
		{"k": strings.Repeat("v", 256)},
	} {
		resp := h.check(secretType, "secret", property.Map{}, pm{"tags": strMap(tags)})
		assert.NotEmptyf(t, failuresOn(resp, "tags"), "%v", tags)
	}
	many := map[string]string{}
	for i := range 51 {
		many[fmt.Sprintf("k%d", i)] = "v"
	}
	resp := h.check(secretType, "secret", property.Map{}, pm{"tags": strMap(many)})
	assert.NotEmpty(t, failuresOn(resp, "tags"))
}

func TestSecretCheckKmsKeyID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, key := range []string{
		"1234abcd-12ab-34cd-56ef-1234567890ab",
		"mrk-1234abcd12ab34cd56ef1234567890ab",
		"alias/my-key",
		"alias/aws/secretsmanager",
		"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws:kms:us-east-1:123456789012:alias/my-key",
		"arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	} {
		resp := h.check(secretType, "secret", property.Map{}, pm{"kmsKeyId": str(key)})
		assert.Emptyf(t, resp.Failures, "%q should be valid", key)
	}
	for _, key := range []string{
		"",
		"my key",
		"alias/has space",
		"arn:aws:kms:us-east-1:12345:key/abc",
		"arn:aws:s3:::bucket",
		strings.Repeat("a", 2049),
	} {
		resp := h.check(secretType, "secret", property.Map{}, pm{"kmsKeyId": str(key)})
		assert.NotEmptyf(t, failuresOn(resp, "kmsKeyId"), "%q should be rejected", key)
	}
	// An alias name without its "alias/" prefix is caught at preview, with
	// the fix in the message: AWS would reject it only at create.
	resp := h.check(secretType, "secret", property.Map{}, pm{"kmsKeyId": str("my-app-key")})
	failures := failuresOn(resp, "kmsKeyId")
	require.NotEmpty(t, failures)
	assert.Contains(t, failures[0], `did you mean "alias/my-app-key"`)
	assert.Zero(t, h.fake.TotalCalls(), "Check makes no API call")
}

func TestSecretCheckDescription(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	assert.Empty(t, h.check(secretType, "secret", property.Map{}, pm{"description": str(strings.Repeat("d", 2048))}).Failures)
	assert.NotEmpty(t, failuresOn(h.check(secretType, "secret", property.Map{}, pm{"description": str(strings.Repeat("d", 2049))}), "description"))
}

// AWS counts length limits in characters ("Maximum key length: 127 Unicode
// characters in UTF-8"), not in UTF-8 bytes: a description of 700 "€"
// (2,100 bytes) is one the AWS CLI creates, so Check must accept it; past
// the limit, the reason gives the limit and the count in characters.
func TestSecretCheckCountsCharactersAsAWSDoes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	euro, cjk := "€", "秘"
	policyOf := func(text string) string { return `{"Version":"2012-10-17","Sid":"` + text + `"}` }
	policyOverhead := len(policyOf("")) // ASCII: bytes are characters
	for name, news := range map[string]pm{
		"description of 700 € (2,100 bytes)":      {"description": str(strings.Repeat(euro, 700))},
		"description of 2,048 € (6,144 bytes)":    {"description": str(strings.Repeat(euro, 2048))},
		"tag key of 60 CJK (180 bytes)":           {"tags": strMap(map[string]string{strings.Repeat(cjk, 60): "v"})},
		"tag key of 127 CJK (381 bytes)":          {"tags": strMap(map[string]string{strings.Repeat(cjk, 127): "v"})},
		"tag value of 200 CJK (600 bytes)":        {"tags": strMap(map[string]string{"team": strings.Repeat(cjk, 200)})},
		"tag value of 255 CJK (765 bytes)":        {"tags": strMap(map[string]string{"team": strings.Repeat(cjk, 255)})},
		"policy of 20,480 characters (60k bytes)": {"policy": str(policyOf(strings.Repeat(euro, 20480-policyOverhead)))},
	} {
		resp := h.check(secretType, "secret", property.Map{}, news)
		assert.Emptyf(t, resp.Failures, "%s: AWS accepts it", name)
	}
	for name, tc := range map[string]struct {
		news     pm
		property string
		reason   string
	}{
		"description of 2,049 €": {pm{"description": str(strings.Repeat(euro, 2049))}, "description",
			"must be at most 2048 characters long, got 2049"},
		"tag key of 128 CJK": {pm{"tags": strMap(map[string]string{strings.Repeat(cjk, 128): "v"})}, "tags",
			"must be 1 to 127 characters long, got 128"},
		"tag value of 256 CJK": {pm{"tags": strMap(map[string]string{"team": strings.Repeat(cjk, 256)})}, "tags",
			`the value of tag "team" must be at most 255 characters long, got 256`},
		"policy of 20,481 characters": {pm{"policy": str(policyOf(strings.Repeat(euro, 20481-policyOverhead)))}, "policy",
			"must be at most 20480 characters long, got 20481"},
		"kmsKeyId of 2,049 characters": {pm{"kmsKeyId": str("alias/" + strings.Repeat("k", 2043))}, "kmsKeyId",
			"must be 1 to 2048 characters long, got 2049"},
		"name of 513 characters": {pm{"name": str(strings.Repeat("n", 513))}, "name",
			"must be 1 to 512 characters long, got 513"},
		"namePrefix of 487 characters": {pm{"namePrefix": str(strings.Repeat("n", 487))}, "namePrefix",
			"must be 1 to 486 characters long (a 26-character unique suffix is appended), got 487"},
	} {
		resp := h.check(secretType, "secret", property.Map{}, tc.news)
		reasons := failuresOn(resp, tc.property)
		if assert.Lenf(t, reasons, 1, "%s: %v", name, resp.Failures) {
			assert.Containsf(t, reasons[0], tc.reason, "%s names the limit in characters", name)
		}
	}
	// The one limit AWS gives in bytes is the value's (secret_version_test.go).
	assert.Zero(t, h.fake.TotalCalls(), "Check makes no API call")

	// And the secret is created as the AWS CLI creates it.
	description, tags := strings.Repeat(euro, 700), map[string]string{strings.Repeat(cjk, 60): strings.Repeat(cjk, 200)}
	h.create(secretType, "unicode", pm{"name": str("app/unicode"), "description": str(description), "tags": strMap(tags)})
	snap, ok := h.fake.Snapshot("app/unicode")
	require.True(t, ok)
	assert.Equal(t, description, snap.Description)
	assert.Equal(t, tags, programTags(snap.Tags))
}

// During a preview, inputs that depend on other resources are unknown. They
// must not be validated as if they were empty.
func TestSecretCheckUnknownInputsAreNotValidated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, key := range []string{"name", "namePrefix", "description", "kmsKeyId", "tags", "recoveryWindowInDays"} {
		resp := h.check(secretType, "secret", property.Map{}, pm{key: computed()})
		assert.Emptyf(t, resp.Failures, "unknown %s", key)
		v, ok := resp.Inputs.GetOk(key)
		if assert.Truef(t, ok, "unknown %s is kept", key) {
			assert.Truef(t, v.IsComputed(), "unknown %s stays unknown, got %v", key, v)
		}
	}
	// An unknown tag value inside a known map.
	resp := h.check(secretType, "secret", property.Map{}, pm{"tags": property.New(pm{"env": computed()})})
	assert.Empty(t, resp.Failures)

	// With an unknown prefix the name is not settled yet: it must not be
	// invented from the resource name.
	resp = h.check(secretType, "secret", property.Map{}, pm{"namePrefix": computed()})
	require.Empty(t, resp.Failures)
	if v, ok := resp.Inputs.GetOk("name"); ok {
		assert.Truef(t, v.IsComputed() || v.IsNull(), "name must not be settled while namePrefix is unknown, got %v", v)
	}
}

// ---------------------------------------------------------------------------
// Create

func TestSecretCreateMakesExactlyOneCall(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{
		"name":        str("app/db"),
		"description": str("database credentials"),
		"kmsKeyId":    str("alias/app"),
		"tags":        strMap(map[string]string{"env": "test"}),
	})
	urn := urnOf(secretType, "secret")

	preview, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs, DryRun: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(),
		"a create preview looks the name up once, to report one scheduled for deletion")
	assert.Equal(t, "app/db", getString(t, preview.Properties, "name"))

	h.fake.ResetCalls()
	resp, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{fakesm.OpCreateSecret: 1}, h.fake.Calls(), "one CreateSecret, no read-after-write")

	snap, ok := h.fake.Snapshot("app/db")
	require.True(t, ok)
	assert.Equal(t, snap.ARN, resp.ID, "the ID is the ARN")
	assert.Equal(t, snap.ARN, getString(t, resp.Properties, "arn"))
	assert.Equal(t, "app/db", getString(t, resp.Properties, "name"))
	assert.Equal(t, "database credentials", snap.Description)
	assert.Equal(t, "alias/app", snap.KmsKeyID)
	assert.Equal(t, map[string]string{"env": "test"}, programTags(snap.Tags))
	assert.Len(t, snap.Tags["smx:owner"], 40, "smx tags the secrets it creates with their owner")
	assert.Equal(t, strMap(map[string]string{"env": "test"}), resp.Properties.Get("tagsAll"), "smx's own tag is hidden")
	assert.Equal(t, "database credentials", getString(t, resp.Properties, "description"))
}

func TestSecretCreateAutoNamed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{})
	name := getString(t, r.inputs, "name")
	assert.Equal(t, name, getString(t, r.state, "name"))
	_, ok := h.fake.Snapshot(name)
	assert.True(t, ok, "the secret is created under the name settled in Check")
	assert.Equal(t, property.New(pm{}), r.state.Get("tagsAll"))
}

func TestSecretCreateNameScheduledForDeletion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("taken")})
	require.NoError(t, err)
	_, err = h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("taken")})
	require.NoError(t, err)

	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("taken")})
	_, err = h.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "scheduled for deletion")
	assert.Contains(t, err.Error(), "restoreIfScheduledForDeletion", "the error says how to get out of it")
	assert.Contains(t, err.Error(), "--force-delete-without-recovery")
}

func TestSecretCreateNameTaken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("taken")})
	require.NoError(t, err)
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("taken")})
	_, err = h.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs})
	require.Error(t, err)
	var exists *types.ResourceExistsException
	assert.True(t, errors.As(err, &exists), "the SDK error is wrapped, not flattened: %v", err)
}

// ---------------------------------------------------------------------------
// Diff

func TestSecretDiffNoChangesMakesNoCalls(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for name, news := range map[string]pm{
		"explicit": {
			"name": str("app/db"), "description": str("d"), "kmsKeyId": str("alias/app"),
			"tags": strMap(map[string]string{"env": "test"}), "recoveryWindowInDays": num(7),
		},
		"autonamed": {},
		"prefixed":  {"namePrefix": str("app-")},
	} {
		r := h.create(secretType, name, news)
		h.requireNoChange(r, news, name, "the program it was created from")
	}
}

func TestSecretDiff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	base := pm{"name": str("app/db"), "description": str("d"), "tags": strMap(map[string]string{"env": "test"})}
	r := h.create(secretType, "secret", base)
	with := func(key string, v property.Value) pm {
		out := pm{}
		for k, val := range base {
			out[k] = val
		}
		if v.IsNull() {
			delete(out, key)
		} else {
			out[key] = v
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		news    pm
		prop    string
		kind    p.DiffKind
		replace bool
		// also are other properties that change with prop: tagsAll, the
		// secret's tags as AWS holds them, follows tags.
		also map[string]p.PropertyDiff
	}{
		{"description changed", with("description", str("other")), "description", p.Update, false, nil},
		{"description removed", with("description", property.New(property.Null)), "description", p.Delete, false, nil},
		{"kms key set", with("kmsKeyId", str("alias/app")), "kmsKeyId", p.Add, false, nil},
		{"tag changed", with("tags", strMap(map[string]string{"env": "prod"})), "tags", p.Update, false,
			map[string]p.PropertyDiff{`tagsAll["env"]`: {Kind: p.Update}}},
		{"tags removed", with("tags", property.New(property.Null)), "tags", p.Delete, false,
			map[string]p.PropertyDiff{`tagsAll["env"]`: {Kind: p.Delete}}},
		{"recovery window", with("recoveryWindowInDays", num(0)), "recoveryWindowInDays", p.Update, false, nil},
		{"name changed", with("name", str("app/db2")), "name", p.UpdateReplace, true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, d := h.diff(r, tc.news)
			assert.True(t, d.HasChanges)
			want := map[string]p.PropertyDiff{tc.prop: {Kind: tc.kind}}
			maps.Copy(want, tc.also)
			assert.Equal(t, want, d.DetailedDiff)
			if tc.replace {
				assert.False(t, d.DeleteBeforeReplace, "a new name can be created before the old secret is deleted")
			}
			assert.Zero(t, h.fake.TotalCalls())
		})
	}

	// Switching from an explicit name to a prefix replaces the secret.
	_, d := h.diff(r, pm{"namePrefix": str("app/db-"), "description": str("d"), "tags": strMap(map[string]string{"env": "test"})})
	assert.True(t, d.HasChanges)
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["name"].Kind)
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["namePrefix"].Kind)
}

// A name that is still unknown in a preview may change: the diff must say
// the secret may be replaced rather than claim there is no change.
func TestSecretDiffUnknownName(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	inputs := h.checkOK(secretType, "secret", r.inputs, pm{"name": computed()})
	d, err := h.server.Diff(p.DiffRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: inputs, OldInputs: r.inputs})
	require.NoError(t, err)
	assert.True(t, d.HasChanges)
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["name"].Kind)
}

// ---------------------------------------------------------------------------
// Update

func TestSecretUpdateDescription(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "description": str("one"), "tags": strMap(map[string]string{"env": "test"})})
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "description": str("two"), "tags": strMap(map[string]string{"env": "test"})})
	assert.Equal(t, map[string]int{fakesm.OpUpdateSecret: 1}, h.fake.Calls(), "one UpdateSecret, no tag calls, no reads")
	in := h.fake.Requests(fakesm.OpUpdateSecret)[0].(*sm.UpdateSecretInput)
	assert.Nil(t, in.KmsKeyId, "an unchanged key is not sent")
	assert.Nil(t, in.SecretString)
	assert.Equal(t, "two", aws.ToString(h.describe("app/db").Description))
	assert.Equal(t, "two", getString(t, r.state, "description"))

	// Removing the description clears it.
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "tags": strMap(map[string]string{"env": "test"})})
	assert.Equal(t, map[string]int{fakesm.OpUpdateSecret: 1}, h.fake.Calls())
	assert.Equal(t, "", aws.ToString(h.fake.Requests(fakesm.OpUpdateSecret)[0].(*sm.UpdateSecretInput).Description))
	assert.Nil(t, h.describe("app/db").Description)
	_, hasDescription := r.state.GetOk("description")
	assert.False(t, hasDescription)
}

func TestSecretUpdateTags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "tags": strMap(map[string]string{"keep": "1", "change": "a", "drop": "x"})})
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "tags": strMap(map[string]string{"keep": "1", "change": "b", "add": "new"})})
	assert.Equal(t, map[string]int{fakesm.OpTagResource: 1, fakesm.OpUntagResource: 1}, h.fake.Calls())
	untag := h.fake.Requests(fakesm.OpUntagResource)[0].(*sm.UntagResourceInput)
	assert.Equal(t, []string{"drop"}, untag.TagKeys)
	tag := h.fake.Requests(fakesm.OpTagResource)[0].(*sm.TagResourceInput)
	assert.ElementsMatch(t, []types.Tag{
		{Key: aws.String("add"), Value: aws.String("new")}, {Key: aws.String("change"), Value: aws.String("b")},
	}, tag.Tags, "only new and changed tags are sent")
	want := map[string]string{"keep": "1", "change": "b", "add": "new"}
	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, want, programTags(snap.Tags))
	assert.Equal(t, strMap(want), r.state.Get("tagsAll"))

	// Removing every tag.
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db")})
	assert.Equal(t, map[string]int{fakesm.OpUntagResource: 1}, h.fake.Calls())
	snap, _ = h.fake.Snapshot("app/db")
	assert.Empty(t, programTags(snap.Tags))
	assert.Contains(t, snap.Tags, "smx:owner", "updates never remove smx's own tag")
	assert.Equal(t, property.New(pm{}), r.state.Get("tagsAll"))
}

func TestSecretUpdateKmsKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "kmsKeyId": str("alias/app"), "description": str("with key")})
	assert.Equal(t, map[string]int{fakesm.OpUpdateSecret: 1}, h.fake.Calls(), "description and key in one call")
	in := h.fake.Requests(fakesm.OpUpdateSecret)[0].(*sm.UpdateSecretInput)
	assert.Equal(t, "alias/app", aws.ToString(in.KmsKeyId))
	assert.Equal(t, "with key", aws.ToString(in.Description))
	assert.Equal(t, "alias/app", aws.ToString(h.describe("app/db").KmsKeyId))

	// Removing the key goes back to the AWS managed key.
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "description": str("with key")})
	assert.Equal(t, map[string]int{fakesm.OpUpdateSecret: 1}, h.fake.Calls())
	in = h.fake.Requests(fakesm.OpUpdateSecret)[0].(*sm.UpdateSecretInput)
	assert.Equal(t, "alias/aws/secretsmanager", aws.ToString(in.KmsKeyId))
	assert.Nil(t, in.Description, "an unchanged description is not sent")
	assert.Nil(t, h.describe("app/db").KmsKeyId)
	_, hasKey := r.state.GetOk("kmsKeyId")
	assert.False(t, hasKey)
}

func TestSecretUpdateRecoveryWindowMakesNoCall(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "recoveryWindowInDays": num(7)})
	assert.Zero(t, h.fake.TotalCalls())
	assert.Equal(t, num(7), r.state.Get("recoveryWindowInDays"))
}

func TestSecretUpdateErrorIsReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	h.fake.FailNext(fakesm.OpUpdateSecret, &types.InternalServiceError{Message: aws.String("internal failure")})
	inputs, _ := h.diff(r, pm{"name": str("app/db"), "description": str("x")})
	_, err := h.server.Update(p.UpdateRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: inputs, OldInputs: r.inputs})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "internal failure")
	assert.Contains(t, err.Error(), "app/db")
}

// ---------------------------------------------------------------------------
// Read

// An input the program leaves unset never adopts what AWS reports: after a
// refresh the inputs still say what the program said, and the state shows
// the drift. Changes made out of band to description, KMS key, tags and
// replicas are proposed back; a policy is no opinion (see
// TestSecretWithoutPolicyLeavesSecretPolicyAlone).
func TestSecretReadKeepsUnsetInputsUnset(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	require.NoError(t, h.fake.SetDescription("app/db", "edited in the console"))
	require.NoError(t, h.fake.SetKmsKeyID("app/db", "alias/other"))
	require.NoError(t, h.fake.SetTags("app/db", map[string]string{"owner": "ops"}))
	require.NoError(t, h.fake.SetResourcePolicy("app/db", readPolicy))
	_, err := h.fake.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("app/db"), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-west-1")}},
	})
	require.NoError(t, err)

	resp := h.read(r)
	for _, input := range []string{"description", "kmsKeyId", "tags", "policy", "replicas"} {
		_, set := resp.Inputs.GetOk(input)
		assert.False(t, set, "%s: unset in the program, unset after refresh", input)
	}
	assert.Equal(t, "edited in the console", getString(t, resp.Properties, "description"), "the drift is in the state")
	// A tag the secret never declared is not its own: shown in tagsAll,
	// never in tags, and no drift (tags.go).
	assert.Equal(t, strMap(map[string]string{"owner": "ops"}), resp.Properties.Get("tagsAll"))
	_, inTags := resp.Properties.GetOk("tags")
	assert.False(t, inTags, "the program declares no tags")

	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, pm{"name": str("app/db")})
	// Each drifted property the program leaves unset shows going away, with
	// its value from the state (InputDiff false): neither the old inputs nor
	// the new hold it, so a diff of inputs would show an empty update.
	for _, drifted := range []string{"description", "kmsKeyId"} {
		assert.Equal(t, p.PropertyDiff{Kind: p.Delete}, d.DetailedDiff[drifted], "%s is proposed back to the program", drifted)
	}
	assert.NotContains(t, d.DetailedDiff, "tags", "a tag added by hand is left alone")
	assert.NotContains(t, d.DetailedDiff, `tagsAll["owner"]`)
	// Unset replicas and policy are no opinion (pulumi-aws: optional and
	// computed): the replica added outside Pulumi stays.
	assert.NotContains(t, d.DetailedDiff, "policy")
	assert.NotContains(t, d.DetailedDiff, "replicas")
}

func TestSecretReadReflectsDrift(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "description": str("mine"), "tags": strMap(map[string]string{"env": "test"})})
	require.NoError(t, h.fake.SetDescription("app/db", "edited in the console"))
	require.NoError(t, h.fake.SetTags("app/db", map[string]string{"env": "prod", "owner": "ops"}))
	require.NoError(t, h.fake.SetKmsKeyID("app/db", "alias/other"))
	h.fake.ResetCalls()

	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "no policy in the program: none read")
	assert.Equal(t, r.id, resp.ID)
	// env is declared: its new value is drift. owner was added by hand:
	// tagsAll shows it, but it is not the program's (tags.go).
	want := strMap(map[string]string{"env": "prod"})
	assert.Equal(t, "edited in the console", getString(t, resp.Properties, "description"))
	assert.Equal(t, "alias/other", getString(t, resp.Properties, "kmsKeyId"))
	assert.Equal(t, want, resp.Properties.Get("tags"))
	assert.Equal(t, strMap(map[string]string{"env": "prod", "owner": "ops"}), resp.Properties.Get("tagsAll"))
	// The inputs follow, so the next preview shows the way back.
	assert.Equal(t, "edited in the console", getString(t, resp.Inputs, "description"))
	assert.Equal(t, want, resp.Inputs.Get("tags"))
	assert.Equal(t, "app/db", getString(t, resp.Inputs, "name"))

	// And the next diff proposes an in-place update back to the program.
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, pm{"name": str("app/db"), "description": str("mine"), "tags": strMap(map[string]string{"env": "test"})})
	assert.True(t, d.HasChanges)
	assert.Equal(t, p.Update, d.DetailedDiff["description"].Kind)
	assert.Equal(t, p.Update, d.DetailedDiff["tags"].Kind)
	assert.Equal(t, p.Update, d.DetailedDiff[`tagsAll["env"]`].Kind)
	assert.NotContains(t, d.DetailedDiff, `tagsAll["owner"]`, "a tag added by hand is no drift")
	assert.Equal(t, p.Delete, d.DetailedDiff["kmsKeyId"].Kind, "the program sets no key: the one set outside goes")
}

func TestSecretReadNoDrift(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db"), "tags": strMap(map[string]string{"env": "test"}), "recoveryWindowInDays": num(7)}
	r := h.create(secretType, "secret", news)
	resp := h.read(r)
	assert.Equal(t, r.id, resp.ID)
	assert.Equal(t, r.state, resp.Properties)
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}

func TestSecretReadScheduledForDeletionIsGone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	_, err := h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(r.id)})
	require.NoError(t, err)
	assert.Empty(t, h.read(r).ID, "a secret scheduled for deletion is gone to Pulumi")
}

func TestSecretReadMissingIsGone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	_, err := h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(r.id), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)
	assert.Empty(t, h.read(r).ID)
}

func TestSecretReadErrorIsReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	h.fake.FailNext(fakesm.OpDescribeSecret, &types.InternalServiceError{Message: aws.String("internal failure")})
	_, err := h.server.Read(p.ReadRequest{ID: r.id, Urn: r.urn, Properties: r.state, Inputs: r.inputs})
	require.Error(t, err, "only not-found and scheduled-for-deletion mean gone")
}

func TestSecretImport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{
		Name: aws.String("legacy/db"), Description: aws.String("made by hand"),
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}},
	})
	require.NoError(t, err)
	arn := aws.ToString(out.ARN)

	for _, id := range []string{arn, "legacy/db"} {
		resp, err := h.server.Read(p.ReadRequest{ID: id, Urn: urnOf(secretType, "imported")})
		require.NoError(t, err, id)
		assert.Equal(t, arn, resp.ID, "imported by %q, identified by ARN", id)
		assert.Equal(t, arn, getString(t, resp.Properties, "arn"))
		assert.Equal(t, "legacy/db", getString(t, resp.Inputs, "name"))
		assert.Equal(t, "made by hand", getString(t, resp.Inputs, "description"))
		assert.Equal(t, strMap(map[string]string{"env": "prod"}), resp.Inputs.Get("tags"))

		// The program that matches the imported secret shows no change.
		imported := created{urn: urnOf(secretType, "imported"), id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
		_, d := h.diff(imported, pm{"name": str("legacy/db"), "description": str("made by hand"), "tags": strMap(map[string]string{"env": "prod"})})
		assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
	}
}

// ---------------------------------------------------------------------------
// Delete

func TestSecretDeleteDefaultRecoveryWindow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	h.fake.ResetCalls()
	require.NoError(t, h.delete(r))
	assert.Equal(t, map[string]int{fakesm.OpDeleteSecret: 1}, h.fake.Calls())
	in := h.fake.Requests(fakesm.OpDeleteSecret)[0].(*sm.DeleteSecretInput)
	assert.Equal(t, int64(30), aws.ToInt64(in.RecoveryWindowInDays))
	assert.False(t, aws.ToBool(in.ForceDeleteWithoutRecovery))
	assert.NotNil(t, h.describe(r.id).DeletedDate, "deletion is scheduled")
}

func TestSecretDeleteRecoveryWindows(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "seven", pm{"name": str("seven"), "recoveryWindowInDays": num(7)})
	h.fake.ResetCalls()
	require.NoError(t, h.delete(r))
	in := h.fake.Requests(fakesm.OpDeleteSecret)[0].(*sm.DeleteSecretInput)
	assert.Equal(t, int64(7), aws.ToInt64(in.RecoveryWindowInDays))
	assert.Nil(t, in.ForceDeleteWithoutRecovery)

	r = h.create(secretType, "zero", pm{"name": str("zero"), "recoveryWindowInDays": num(0)})
	h.fake.ResetCalls()
	require.NoError(t, h.delete(r))
	in = h.fake.Requests(fakesm.OpDeleteSecret)[0].(*sm.DeleteSecretInput)
	assert.True(t, aws.ToBool(in.ForceDeleteWithoutRecovery), "0 deletes without recovery")
	assert.Nil(t, in.RecoveryWindowInDays)
	_, exists := h.fake.Snapshot(r.id)
	assert.False(t, exists)
	// The name is free again at once.
	h.create(secretType, "zero-again", pm{"name": str("zero")})
}

func TestSecretDeleteAlreadyDeleted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	scheduled := h.create(secretType, "scheduled", pm{"name": str("scheduled")})
	_, err := h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(scheduled.id)})
	require.NoError(t, err)
	assert.NoError(t, h.delete(scheduled), "already scheduled for deletion")

	gone := h.create(secretType, "gone", pm{"name": str("gone")})
	_, err = h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(gone.id), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)
	assert.NoError(t, h.delete(gone), "already deleted")
}

func TestSecretDeleteErrorIsReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	h.fake.FailNext(fakesm.OpDeleteSecret, &types.InternalServiceError{Message: aws.String("internal failure")})
	require.Error(t, h.delete(r))
	snap, ok := h.fake.Snapshot(r.id)
	require.True(t, ok)
	assert.Nil(t, snap.DeletedDate)
}

// The full life cycle, as the engine drives it.
func TestSecretLifeCycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	integration.LifeCycleTest{
		Resource: secretType,
		Create: integration.Operation{
			Inputs: property.NewMap(pm{"name": str("life"), "description": str("one")}),
			Hook: func(_, output property.Map) {
				assert.Regexp(t, regexp.MustCompile(`^arn:aws:secretsmanager:us-east-1:123456789012:secret:life-[A-Za-z0-9]{6}$`), getString(t, output, "arn"))
			},
		},
		Updates: []integration.Operation{
			{Inputs: property.NewMap(pm{"name": str("life"), "description": str("two"), "tags": strMap(map[string]string{"a": "b"})})},
			{Inputs: property.NewMap(pm{"name": str("life"), "recoveryWindowInDays": num(0)})},
		},
	}.Run(t, h.server)
	assert.Zero(t, h.fake.Len(), "recoveryWindowInDays 0 deletes for good")
}

// A preview of an in-place update keeps the outputs the update cannot
// change known: a SecretPolicy on `secret.arn` must not preview as replaced
// because the secret's description changes.
func TestSecretUpdatePreviewKeepsArnKnown(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	inputs, d := h.diff(r, pm{"name": str("app/db"), "description": str("new")})
	require.True(t, d.HasChanges)
	resp, err := h.server.Update(p.UpdateRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: inputs, OldInputs: r.inputs, DryRun: true})
	require.NoError(t, err)
	for _, output := range []string{"arn", "name", "tagsAll"} {
		assert.False(t, resp.Properties.Get(output).IsComputed(), "%s stays known", output)
	}
	assert.Equal(t, r.id, getString(t, resp.Properties, "arn"))
	assert.Equal(t, "new", getString(t, resp.Properties, "description"))
}

func TestSecretUpdateFailureBeforeAnyChangeIsPlainError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "description": str("one"), "tags": strMap(map[string]string{"env": "dev"})})
	h.fake.FailNext(fakesm.OpUpdateSecret, &types.InternalServiceError{Message: aws.String("internal failure")})
	h.fake.ResetCalls()
	_, resp, err := h.updateRaw(r, pm{"name": str("app/db"), "description": str("two"), "tags": strMap(map[string]string{"env": "prod"})})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "internal failure", "the cause is reported")
	var initFailed infer.ResourceInitFailedError
	assert.False(t, errors.As(err, &initFailed), "nothing was applied: a plain error, the old state stands")
	assert.Nil(t, resp.PartialState)
	assert.Equal(t, map[string]int{fakesm.OpUpdateSecret: 1}, h.fake.Calls(), "nothing else is attempted")
	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, map[string]string{"env": "dev"}, programTags(snap.Tags))
}

func TestSecretUpdateFailureAfterTagsIsPartial(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "policy": str(policyDoc), "tags": strMap(map[string]string{"env": "dev"})})
	h.fake.FailNext(fakesm.OpPutResourcePolicy, &types.InternalServiceError{Message: aws.String("internal failure")})
	h.fake.ResetCalls()
	_, resp, err := h.updateRaw(r, pm{"name": str("app/db"), "policy": str(otherPolicyDoc), "tags": strMap(map[string]string{"env": "prod"})})
	reasons := requireInitFailed(t, err, resp.PartialState)
	assert.Contains(t, reasons, "internal failure")
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpTagResource], "tags were applied first")

	want := strMap(map[string]string{"env": "prod"})
	assert.Equal(t, want, resp.Properties.Get("tags"), "the partial state records the tags that were applied")
	assert.Equal(t, want, resp.Properties.Get("tagsAll"))
	assert.Equal(t, normalizedPolicyDoc, getString(t, resp.Properties, "policy"), "and the policy that was not")
	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, map[string]string{"env": "prod"}, programTags(snap.Tags))
}
