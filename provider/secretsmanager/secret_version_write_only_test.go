package secretsmanager_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// writeOnlyValue is unique to these tests, so that finding it anywhere is
// a leak of a write-only value.
const writeOnlyValue = "wo-7f3a9c-never-in-state"

func writeOnlyInputs(secretID string, value string, version float64) pm {
	return pm{"secretId": str(secretID), "secretStringWo": str(value).WithSecret(true), "secretStringWoVersion": num(version)}
}

// requireNoValue fails when value appears anywhere in m, secret or not.
func requireNoValue(t *testing.T, what string, m property.Map, value string) {
	t.Helper()
	var walk func(v property.Value) bool
	walk = func(v property.Value) bool {
		switch {
		case v.IsString():
			return strings.Contains(v.AsString(), value)
		case v.IsArray():
			for _, item := range v.AsArray().All {
				if walk(item) {
					return true
				}
			}
		case v.IsMap():
			for _, item := range v.AsMap().All {
				if walk(item) {
					return true
				}
			}
		}
		return false
	}
	require.Falsef(t, walk(property.New(m)), "%s holds the write-only value", what)
}

func currentValue(t *testing.T, h *harness, secretID string) *sm.GetSecretValueOutput {
	t.Helper()
	out, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(secretID)})
	require.NoError(t, err)
	return out
}

// ---------------------------------------------------------------------------
// Check

func TestWriteOnlyCheckLeavesTheValueOutOfTheInputs(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, news := range []pm{
		writeOnlyInputs("app", writeOnlyValue, 1),
		{"secretId": str("app"), "secretBinaryWo": str(base64.StdEncoding.EncodeToString([]byte(writeOnlyValue))), "secretStringWoVersion": num(1)},
	} {
		inputs := h.checkOK(versionType, "v", property.Map{}, news)
		_, hasString := inputs.GetOk("secretStringWo")
		_, hasBinary := inputs.GetOk("secretBinaryWo")
		assert.False(t, hasString || hasBinary, "the checked inputs, which the engine records, have no write-only value")
		requireNoValue(t, "the checked inputs", inputs, writeOnlyValue)
		requireNoValue(t, "the checked inputs", inputs, base64.StdEncoding.EncodeToString([]byte(writeOnlyValue)))
		assert.Equal(t, 1.0, inputs.Get("secretStringWoVersion").AsNumber())
	}
}

func TestWriteOnlyCheckRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	binary := str(base64.StdEncoding.EncodeToString([]byte(writeOnlyValue)))
	for name, tc := range map[string]struct {
		news pm
		prop string
	}{
		"no version":          {pm{"secretId": str("app"), "secretStringWo": str(writeOnlyValue)}, "secretStringWoVersion"},
		"version alone":       {pm{"secretId": str("app"), "secretString": str("stored"), "secretStringWoVersion": num(1)}, "secretStringWoVersion"},
		"version zero":        {writeOnlyInputs("app", writeOnlyValue, 0), "secretStringWoVersion"},
		"with secretString":   {pmWith(writeOnlyInputs("app", writeOnlyValue, 1), "secretString", str("other")), "secretString"},
		"both write-only":     {pmWith(writeOnlyInputs("app", writeOnlyValue, 1), "secretBinaryWo", binary), "secretStringWo"},
		"empty":               {writeOnlyInputs("app", "", 1), "secretStringWo"},
		"too long":            {writeOnlyInputs("app", writeOnlyValue+strings.Repeat("x", 65536), 1), "secretStringWo"},
		"binary not base64":   {pm{"secretId": str("app"), "secretBinaryWo": str(writeOnlyValue + "!"), "secretStringWoVersion": num(1)}, "secretBinaryWo"},
		"binary empty":        {pm{"secretId": str("app"), "secretBinaryWo": str(""), "secretStringWoVersion": num(1)}, "secretBinaryWo"},
		"version not integer": {writeOnlyInputs("app", writeOnlyValue, 1.5), "secretStringWoVersion"},
	} {
		t.Run(name, func(t *testing.T) {
			resp := h.check(versionType, "v", property.Map{}, tc.news)
			assert.NotEmpty(t, failuresOn(resp, tc.prop), "%v", resp.Failures)
			assert.NotContains(t, fmt.Sprintf("%v", resp.Failures), writeOnlyValue, "a failure never quotes the value")
			requireNoValue(t, "the inputs of a failed Check", resp.Inputs, writeOnlyValue)
		})
	}
	// An unknown write-only value is not validated, but still needs its
	// version, and is still a value.
	assert.Empty(t, h.check(versionType, "v", property.Map{}, pm{"secretId": str("app"), "secretStringWo": computed(), "secretStringWoVersion": num(1)}).Failures)
	assert.NotEmpty(t, failuresOn(h.check(versionType, "v", property.Map{}, pm{"secretId": str("app"), "secretStringWo": computed()}), "secretStringWoVersion"))
}

// ---------------------------------------------------------------------------
// Create

func TestWriteOnlyCreateWritesTheValueAndRecordsNone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	h.fake.ResetCalls()
	v := h.create(versionType, "v", writeOnlyInputs(s.id, writeOnlyValue, 1))
	assert.Equal(t, map[string]int{fakesm.OpPutSecretValue: 1}, h.fake.Calls())

	current := currentValue(t, h, s.id)
	assert.Equal(t, writeOnlyValue, aws.ToString(current.SecretString), "AWS holds the value")
	assert.Equal(t, s.id+"|"+aws.ToString(current.VersionId), v.id)
	requireNoValue(t, "the state", v.state, writeOnlyValue)
	requireNoValue(t, "the inputs", v.inputs, writeOnlyValue)
	_, hasString := v.state.GetOk("secretString")
	assert.False(t, hasString)
	assert.True(t, v.state.Get("hasSecretStringWo").AsBool())
	assert.False(t, v.state.Get("hasSecretBinaryWo").AsBool())
	assert.Equal(t, 1.0, v.state.Get("secretStringWoVersion").AsNumber())
	assert.Equal(t, []string{"AWSCURRENT"}, stagesValue(t, v.state))
}

func TestWriteOnlyCreateBinary(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/bin")
	raw := []byte{0, 1, 2, 0xfe, 0xff}
	encoded := base64.StdEncoding.EncodeToString(raw)
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretBinaryWo": str(encoded).WithSecret(true), "secretStringWoVersion": num(3)})
	assert.Equal(t, raw, currentValue(t, h, s.id).SecretBinary)
	requireNoValue(t, "the state", v.state, encoded)
	assert.True(t, v.state.Get("hasSecretBinaryWo").AsBool())
	assert.False(t, v.state.Get("hasSecretStringWo").AsBool())
}

// A Create in a provider process that never ran the Check (the value lives
// only in the memory of the process that did) fails, and writes nothing:
// never an empty or stale value.
func TestWriteOnlyCreateWithoutItsCheckFails(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	inputs := h.checkOK(versionType, "v", property.Map{}, writeOnlyInputs(s.id, writeOnlyValue, 1))

	_, err := newHarnessOn(t, h.fake).server.Create(p.CreateRequest{Urn: urnOf(versionType, "v"), Properties: inputs})
	require.ErrorContains(t, err, "holds no write-only value")
	assert.Zero(t, h.fake.Calls()[fakesm.OpPutSecretValue])

	// And the value is used once: a second Create has nothing to write.
	urn := urnOf(versionType, "v")
	_, err = h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	require.NoError(t, err)
	_, err = h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	require.ErrorContains(t, err, "holds no write-only value")
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpPutSecretValue])
}

// ---------------------------------------------------------------------------
// Diff

func TestWriteOnlyDiffFollowsTheVersionNumberOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", writeOnlyInputs(s.id, writeOnlyValue, 1))

	_, same := h.diff(v, writeOnlyInputs(s.id, "a-changed-value", 1))
	assert.False(t, same.HasChanges, "a new value under the same version number writes nothing")

	_, bumped := h.diff(v, writeOnlyInputs(s.id, "a-changed-value", 2))
	require.True(t, bumped.HasChanges)
	assert.Equal(t, map[string]p.PropertyDiff{"secretStringWoVersion": {Kind: p.UpdateReplace}}, bumped.DetailedDiff)
	assert.NotContains(t, fmt.Sprintf("%+v", bumped), "a-changed-value")
}

// A version bump replaces the SecretVersion: the new value is a new AWS
// version, the old one stays as AWSPREVIOUS.
func TestWriteOnlyVersionBumpWritesANewVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	first := h.create(versionType, "v", writeOnlyInputs(s.id, writeOnlyValue, 1))
	h.fake.ResetCalls()
	second := h.create(versionType, "v", writeOnlyInputs(s.id, "second-value", 2))
	assert.Equal(t, map[string]int{fakesm.OpPutSecretValue: 1}, h.fake.Calls(),
		"one write (this run created the secret, so there is no version to adopt)")
	assert.NotEqual(t, first.id, second.id)
	assert.Equal(t, "second-value", aws.ToString(currentValue(t, h, s.id).SecretString))
	requireNoValue(t, "the state", second.state, "second-value")
}

// ---------------------------------------------------------------------------
// Read

func TestWriteOnlyRefreshNeverReadsTheValue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", writeOnlyInputs(s.id, writeOnlyValue, 1))
	h.fake.ResetCalls()
	resp := h.read(v)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "no GetSecretValue")
	assert.Equal(t, v.id, resp.ID)
	assert.Equal(t, v.state, resp.Properties, "nothing drifted")
	requireNoValue(t, "the refreshed state", resp.Properties, writeOnlyValue)
	requireNoValue(t, "the refreshed inputs", resp.Inputs, writeOnlyValue)
}

// AWSCURRENT moved out of band: refresh shows the version's labels as they
// are. A program that names AWSCURRENT gets it back from `pulumi up`, which
// moves the label without writing the value; one that leaves the labels
// unset has no opinion on them (as in pulumi-aws), and is warned.
func TestWriteOnlyRefreshSeesAWSCURRENTMove(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	news := pmWith(writeOnlyInputs(s.id, writeOnlyValue, 1), "versionStages", strList("AWSCURRENT"))
	v := h.create(versionType, "v", news)
	_, err := h.fake.PutValueOutOfBand(s.id, "rotated-value")
	require.NoError(t, err)

	resp := h.read(v)
	require.Equal(t, v.id, resp.ID)
	assert.Equal(t, []string{"AWSPREVIOUS"}, stagesValue(t, resp.Properties))
	refreshed := created{urn: v.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	h.fake.ResetCalls()
	restored := h.update(refreshed, news)
	assert.Zero(t, h.fake.Calls()[fakesm.OpPutSecretValue])
	assert.Equal(t, []string{"AWSCURRENT"}, stagesValue(t, restored.state))
	assert.Equal(t, writeOnlyValue, aws.ToString(currentValue(t, h, s.id).SecretString))

	unset := h.create(versionType, "unset", writeOnlyInputs(h.newSecret("app/other").id, writeOnlyValue, 1))
	_, err = h.fake.PutValueOutOfBand("app/other", "rotated-value")
	require.NoError(t, err)
	resp = h.read(unset)
	assert.Equal(t, []string{"AWSPREVIOUS"}, stagesValue(t, resp.Properties))
	_, d := h.diff(created{urn: unset.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties},
		writeOnlyInputs("app/other", writeOnlyValue, 1))
	assert.False(t, d.HasChanges, "unset labels are no opinion: %v", d.DetailedDiff)
}

// A version whose only label was moved to another version outside Pulumi
// still exists (DescribeSecret leaves it out; ListSecretVersionIds has it):
// refresh records that it holds no label, and `pulumi up` puts the label
// back. A version AWS has deleted is gone.
func TestWriteOnlyRefreshOfAnUnlabeledVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	_, err := h.fake.PutValueOutOfBand(s.id, "current")
	require.NoError(t, err)
	news := pmWith(writeOnlyInputs(s.id, writeOnlyValue, 1), "versionStages", strList("pending"))
	v := h.create(versionType, "v", news)
	_, err = h.fake.PutSecretValue(t.Context(), &sm.PutSecretValueInput{
		SecretId: aws.String(s.id), SecretString: aws.String("two"), VersionStages: []string{"pending"},
	})
	require.NoError(t, err)
	h.fake.ResetCalls()
	resp := h.read(v)
	require.Equal(t, v.id, resp.ID, "the unlabeled version is still there")
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpListSecretVersionIds: 1}, h.fake.Calls(), "still no GetSecretValue")
	assert.Empty(t, stagesValue(t, resp.Properties))
	restored := h.update(created{urn: v.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}, news)
	assert.Equal(t, []string{"pending"}, stagesValue(t, restored.state))
	snap, _ := h.fake.Snapshot(s.id)
	assert.Equal(t, []string{"pending"}, snap.VersionStages[getString(t, v.state, "versionId")])

	_, err = h.fake.UpdateSecretVersionStage(t.Context(), &sm.UpdateSecretVersionStageInput{
		SecretId: aws.String(s.id), VersionStage: aws.String("pending"), RemoveFromVersionId: aws.String(getString(t, v.state, "versionId")),
	})
	require.NoError(t, err)
	require.NoError(t, h.fake.DropVersion(s.id, getString(t, v.state, "versionId")))
	assert.Empty(t, h.read(v).ID, "a version AWS has deleted is gone")
	_, err = h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.Empty(t, h.read(v).ID, "secret scheduled for deletion")
}

// ---------------------------------------------------------------------------
// Switching to and from write-only

func TestSwitchingToWriteOnlyKeepsTheAWSVersion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str(writeOnlyValue)})

	_, d := h.diff(v, writeOnlyInputs(s.id, writeOnlyValue, 1))
	assert.Equal(t, map[string]p.PropertyDiff{
		"secretString":          {Kind: p.Delete},
		"secretStringWoVersion": {Kind: p.Add},
	}, d.DetailedDiff, "an update in place: the value leaves the state")

	h.fake.ResetCalls()
	switched := h.update(v, writeOnlyInputs(s.id, writeOnlyValue, 1))
	assert.Zero(t, h.fake.TotalCalls(), "nothing to write")
	assert.Equal(t, v.id, switched.id)
	requireNoValue(t, "the state", switched.state, writeOnlyValue)
	requireNoValue(t, "the inputs", switched.inputs, writeOnlyValue)
	assert.True(t, switched.state.Get("hasSecretStringWo").AsBool())

	// Switching back stores a new version from secretString.
	_, back := h.diff(switched, pm{"secretId": str(s.id), "secretString": str(writeOnlyValue)})
	assert.Equal(t, map[string]p.PropertyDiff{
		"secretString":          {Kind: p.AddReplace},
		"secretStringWoVersion": {Kind: p.DeleteReplace},
	}, back.DetailedDiff)
}

func TestSwitchingToADifferentWriteOnlyValueReplaces(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("stored-value")})
	_, d := h.diff(v, writeOnlyInputs(s.id, writeOnlyValue, 1))
	assert.Equal(t, map[string]p.PropertyDiff{
		"secretString":          {Kind: p.DeleteReplace},
		"secretStringWoVersion": {Kind: p.AddReplace},
	}, d.DetailedDiff)
	assert.NotContains(t, fmt.Sprintf("%+v", d), writeOnlyValue)
}
