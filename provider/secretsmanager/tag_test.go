package secretsmanager_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/provider"
	"github.com/smxlabs/pulumi-smx/provider/config"
	"github.com/smxlabs/pulumi-smx/provider/secretsmanager"
)

// Tag (pulumi-aws's aws.secretsmanager.Tag): one tag of a secret, with the
// ID `<secretId>,<key>`. Create and Update are one TagResource each, Read
// one DescribeSecret, Delete one UntagResource; Check and Diff make none.

const tagType tokens.Type = "smx:secretsmanager:Tag"

func tagInputs(secretID, key, value string) pm {
	return pm{"secretId": str(secretID), "key": str(key), "value": str(value)}
}

func TestTagLifecycleCallsOneAPIEach(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	arn := aws.ToString(h.createSecretDirectly("rds/db", nil).ARN)

	h.fake.ResetCalls()
	tag := h.create(tagType, "costCenter", tagInputs(arn, "CostCenter", "4711"))
	assert.Equal(t, arn+",CostCenter", tag.id, "pulumi-aws's ID: secretId,key")
	assert.Equal(t, map[string]int{fakesm.OpTagResource: 1}, h.fake.Calls(), "create: one TagResource, none in the preview")
	assert.Equal(t, map[string]string{"CostCenter": "4711"}, programTags(h.describeTags("rds/db")))
	assert.Equal(t, "us-east-1", getString(t, tag.state, "region"))
	assert.Equal(t, "4711", getString(t, tag.state, "value"))

	// A preview with no change makes no call.
	h.requireNoChange(tag, tagInputs(arn, "CostCenter", "4711"))

	h.fake.ResetCalls()
	read := h.read(tag)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "refresh: one DescribeSecret")
	assert.Equal(t, tag.id, read.ID)
	assert.Equal(t, tag.state, read.Properties)

	h.fake.ResetCalls()
	tag = h.update(tag, tagInputs(arn, "CostCenter", "4712"))
	assert.Equal(t, map[string]int{fakesm.OpTagResource: 1}, h.fake.Calls(), "update: one TagResource, none in the preview")
	assert.Equal(t, map[string]string{"CostCenter": "4712"}, programTags(h.describeTags("rds/db")))

	h.fake.ResetCalls()
	require.NoError(t, h.delete(tag))
	assert.Equal(t, map[string]int{fakesm.OpUntagResource: 1}, h.fake.Calls(), "destroy: one UntagResource")
	assert.Empty(t, programTags(h.describeTags("rds/db")))
}

func (h *harness) describeTags(secretID string) map[string]string {
	h.t.Helper()
	tags := map[string]string{}
	for _, t := range h.describe(secretID).Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return tags
}

func TestTagDiff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	arn := aws.ToString(h.createSecretDirectly("rds/db", nil).ARN)
	other := aws.ToString(h.createSecretDirectly("rds/other", nil).ARN)
	tag := h.create(tagType, "tag", tagInputs(arn, "CostCenter", "4711"))
	for _, c := range []struct {
		name string
		news pm
		want map[string]p.PropertyDiff
	}{
		{"value", tagInputs(arn, "CostCenter", "4712"), map[string]p.PropertyDiff{"value": {Kind: p.Update}}},
		{"key", tagInputs(arn, "Team", "4711"), map[string]p.PropertyDiff{"key": {Kind: p.UpdateReplace}}},
		{"secret", tagInputs(other, "CostCenter", "4711"), map[string]p.PropertyDiff{"secretId": {Kind: p.UpdateReplace}}},
		{"region", pmWith(tagInputs(arn, "CostCenter", "4711"), "region", str("eu-west-1")),
			map[string]p.PropertyDiff{"region": {Kind: p.UpdateReplace}}},
		{"unknown key", pmWith(tagInputs(arn, "", "4711"), "key", computed()),
			map[string]p.PropertyDiff{"key": {Kind: p.UpdateReplace}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, d := h.diff(tag, c.news)
			assert.Equal(t, c.want, d.DetailedDiff)
			assert.Zero(t, h.fake.TotalCalls())
		})
	}
	// The secret's name for its ARN is the same secret.
	h.requireNoChange(tag, tagInputs("rds/db", "CostCenter", "4711"))
}

// Key and value obey a Secret's tag rules, judged before any call; unknown
// values are judged when known.
func TestTagCheck(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, c := range []struct {
		name     string
		inputs   pm
		property string
		reason   string
	}{
		{"aws: prefix", tagInputs("app/db", "aws:cloudformation:stack-name", "x"), "key", `uses the prefix "aws:", which AWS reserves`},
		{"AWS: prefix", tagInputs("app/db", "AWS:Owner", "x"), "key", `uses the prefix "aws:"`},
		{"smx: prefix", tagInputs("app/db", "smx:owner", "x"), "key", `which smx reserves for its own tag`},
		{"empty key", tagInputs("app/db", "", "x"), "key", "must be 1 to 127 characters long, got 0"},
		{"long key", tagInputs("app/db", strings.Repeat("k", 128), "x"), "key", "must be 1 to 127 characters long, got 128"},
		{"key characters", tagInputs("app/db", "cost#center", "x"), "key", "may contain only letters, digits, spaces and _.:/=+-@"},
		{"long value", tagInputs("app/db", "team", strings.Repeat("v", 256)), "value", "must be at most 255 characters long, got 256"},
		{"value characters", tagInputs("app/db", "team", "a;b"), "value", "may contain only letters, digits, spaces"},
		{"empty secret", tagInputs("", "team", "x"), "secretId", "must be the ARN or name of a secret"},
		{"region", pmWith(tagInputs("app/db", "team", "x"), "region", str("mars-1")), "region", "omit it to use the provider's region"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := h.check(tagType, "tag", property.Map{}, c.inputs)
			reasons := failuresOn(resp, c.property)
			require.Len(t, reasons, 1, "%v", resp.Failures)
			assert.Contains(t, reasons[0], c.reason)
		})
	}
	// An empty value is a value, as in AWS.
	h.checkOK(tagType, "tag", property.Map{}, tagInputs("app/db", "team", ""))
	// Unknown in a preview: judged later, never as empty.
	h.checkOK(tagType, "tag", property.Map{}, pm{"secretId": computed(), "key": computed(), "value": computed()})
	assert.Zero(t, h.fake.TotalCalls())
}

// A key the provider's ignoreTags names may have a Tag, as in pulumi-aws,
// whose Tag does not use ignoreTags; a key of the defaultTags too (with a
// warning in the log, which the harness does not capture).
func TestTagOnIgnoredOrDefaultKeysIsAllowed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, provider.WithTags(config.TagSettings{
		Defaults: map[string]string{"team": "payments"}, IgnoredKeys: []string{"CostCenter"},
	}))
	h.createSecretDirectly("rds/db", nil)
	h.create(tagType, "ignored", tagInputs("rds/db", "CostCenter", "4711"))
	h.create(tagType, "default", tagInputs("rds/db", "team", "billing"))
	assert.Equal(t, map[string]string{"CostCenter": "4711", "team": "billing"}, h.describeTags("rds/db"))
}

// A key removed out of band, or a secret deleted (or scheduled for
// deletion), is the tag gone: Read returns no ID, and a later up puts it back.
func TestTagReadReportsGone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.createSecretDirectly("rds/db", nil)
	tag := h.create(tagType, "tag", tagInputs("rds/db", "CostCenter", "4711"))

	require.NoError(t, h.fake.SetTags("rds/db", map[string]string{"team": "x"}))
	assert.Empty(t, h.read(tag).ID, "the key is gone")

	require.NoError(t, h.fake.SetTags("rds/db", map[string]string{"CostCenter": "changed"}))
	read := h.read(tag)
	assert.Equal(t, tag.id, read.ID)
	assert.Equal(t, "changed", getString(t, read.Properties, "value"), "a value changed by hand is drift")
	assert.Equal(t, "changed", getString(t, read.Inputs, "value"))
	refreshed := created{urn: tag.urn, id: tag.id, inputs: read.Inputs, state: read.Properties}
	_, d := h.diff(refreshed, tagInputs("rds/db", "CostCenter", "4711"))
	assert.Equal(t, map[string]p.PropertyDiff{"value": {Kind: p.Update}}, d.DetailedDiff, "the next up puts it back")

	_, err := h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("rds/db")})
	require.NoError(t, err)
	h.fake.ResetCalls()
	assert.Empty(t, h.read(tag).ID, "the secret is scheduled for deletion")
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	// Destroying a tag whose secret is going is fine.
	require.NoError(t, h.delete(tag))
}

// Import by pulumi-aws's ID, `<secret ARN or name>,<key>`: the inputs are
// the tag's, so the generated program previews with no change.
func TestTagImport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	arn := aws.ToString(h.createSecretDirectly("rds/db", nil).ARN)
	require.NoError(t, h.fake.SetTags("rds/db", map[string]string{"CostCenter": "4711", "team": "x"}))

	h.fake.ResetCalls()
	urn := urnOf(tagType, "imported")
	resp, err := h.server.Read(p.ReadRequest{ID: arn + ",CostCenter", Urn: urn})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	assert.Equal(t, arn+",CostCenter", resp.ID)
	assert.Equal(t, tagInputs(arn, "CostCenter", "4711"), resp.Inputs.AsMap(), "no region: the provider's")
	require.Empty(t, h.check(tagType, "imported", resp.Inputs, resp.Inputs.AsMap()).Failures)
	imported := created{urn: urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	h.requireNoChange(imported, tagInputs(arn, "CostCenter", "4711"))

	// By the secret's name too; a key the secret lacks imports nothing.
	resp, err = h.server.Read(p.ReadRequest{ID: "rds/db,team", Urn: urn})
	require.NoError(t, err)
	assert.Equal(t, "rds/db", getString(t, resp.Properties, "secretId"))
	resp, err = h.server.Read(p.ReadRequest{ID: "rds/db,missing", Urn: urn})
	require.NoError(t, err)
	assert.Empty(t, resp.ID)

	for id, reason := range map[string]string{
		"rds/db":                    "must be <secret ARN or name>,<tag key>",
		"rds/db,":                   "must be <secret ARN or name>,<tag key>",
		",team":                     "must be <secret ARN or name>,<tag key>",
		"rds/db,aws:cloudformation": `uses the prefix "aws:"`,
	} {
		h.fake.ResetCalls()
		_, err := h.server.Read(p.ReadRequest{ID: id, Urn: urn})
		require.Error(t, err, id)
		assert.Contains(t, err.Error(), reason)
		assert.Zero(t, h.fake.TotalCalls(), "%s: refused before any call", id)
	}
}

// Creating a tag on a secret that does not exist fails, saying so; deleting
// one fine.
func TestTagOnAMissingSecret(t *testing.T) {
	t.Parallel()
	timing := secretsmanager.DefaultTiming()
	timing.PropagationWindow = 50 * time.Millisecond
	h := newHarness(t, provider.WithTiming(timing))
	inputs := h.checkOK(tagType, "tag", property.Map{}, tagInputs("no/such", "team", "x"))
	_, err := h.server.Create(p.CreateRequest{Urn: urnOf(tagType, "tag"), Properties: inputs})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `tagging tag "team" of secret "no/such": the secret does not exist or is scheduled for deletion`)
	assert.Greater(t, h.fake.Calls()[fakesm.OpTagResource], 1, "retried while a new secret may not be visible yet")
}

func TestTagInASecondRegion(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	s := h.create(secretType, "secret", withRegion(pm{"name": str("app/db")}, otherRegion))
	h.resetCalls()
	tag := h.create(tagType, "tag", withRegion(tagInputs(s.id, "team", "core"), otherRegion))
	assert.Equal(t, otherRegion, getString(t, tag.state, "region"))
	assert.Equal(t, map[string]int{fakesm.OpTagResource: 1}, h.other.Calls())
	read := h.read(tag)
	assert.Equal(t, tag.id, read.ID)
	require.NoError(t, h.delete(tag))
	assert.Equal(t, 1, h.other.Calls()[fakesm.OpUntagResource])
	assert.Zero(t, h.fake.TotalCalls(), "nothing reaches the provider's region")

	// Imported by ARN, it is found where the ARN says, and its inputs keep it there.
	resp, err := h.server.Read(p.ReadRequest{ID: s.id + ",team", Urn: urnOf(tagType, "imported")})
	require.NoError(t, err)
	assert.Empty(t, resp.ID, "deleted above")
	_, err = h.other.TagResource(t.Context(), &sm.TagResourceInput{SecretId: aws.String(s.id), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}}})
	require.NoError(t, err)
	resp, err = h.server.Read(p.ReadRequest{ID: s.id + ",team", Urn: urnOf(tagType, "imported")})
	require.NoError(t, err)
	assert.Equal(t, otherRegion, getString(t, resp.Inputs, "region"))
}
