package secretsmanager_test

// Tests of SecretVersion's staging labels against the fake, which attaches
// labels as AWS does (moto drops custom labels from the version AWSCURRENT
// leaves: see moto.md). The rule: after any `pulumi up`, a preview with or
// without a refresh shows no change, for any set of versions of one secret,
// whatever order they are written in.

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// versionSpec is one SecretVersion of a program: its name, value and the
// labels it names (nil: unset).
type versionSpec struct {
	name   string
	value  string
	stages []string
}

func (v versionSpec) inputs(secretID string) pm {
	in := pm{"secretId": str(secretID), "secretString": str(v.value)}
	if v.stages != nil {
		in["versionStages"] = strList(v.stages...)
	}
	return in
}

// requireConverged checks what `pulumi preview` and then
// `pulumi preview --refresh` would find for each version: no change, and a
// refresh that keeps each resource on its own version.
func requireConverged(t *testing.T, h *harness, secretID string, specs []versionSpec, made map[string]created) {
	t.Helper()
	for _, spec := range specs {
		r := made[spec.name]
		_, d := h.diff(r, spec.inputs(secretID))
		assert.Falsef(t, d.HasChanges, "%s: a plain preview right after up plans %v", spec.name, d.DetailedDiff)
		resp := h.read(r)
		require.Equalf(t, r.id, resp.ID, "%s: the refresh re-points the resource at another version", spec.name)
		refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
		_, d = h.diff(refreshed, spec.inputs(secretID))
		assert.Falsef(t, d.HasChanges, "%s: a refreshing preview plans %v (labels now %v)", spec.name, d.DetailedDiff,
			stagesValue(t, resp.Properties))
	}
}

func TestSecretVersionLabelsConvergeInEveryOrder(t *testing.T) {
	t.Parallel()
	for name, specs := range map[string][]versionSpec{
		// A first version written with custom labels gets AWSCURRENT too.
		"first version with a custom label": {{"blue", "one", []string{"blue"}}},
		// terraform-provider-aws's TestAccSecretsManagerSecretVersion_multipleVersions.
		"one, two, three+AWSCURRENT": {
			{"test1", "test1", []string{"one"}},
			{"test2", "test2", []string{"two", "2"}},
			{"test3", "test3", []string{"three", "AWSCURRENT"}},
		},
		// TestAccSecretsManagerSecretVersionsDataSource_basic: labels unset.
		"two versions with unset labels":   {{"test", "test-string", nil}, {"test2", "test-string2", nil}},
		"custom label beside an unset one": {{"blue", "one", []string{"blue"}}, {"current", "two", nil}},
	} {
		for _, order := range orders(len(specs)) {
			t.Run(fmt.Sprintf("%s/%v", name, order), func(t *testing.T) {
				t.Parallel()
				h := newHarness(t)
				s := h.newSecret("app/db")
				made := map[string]created{}
				for _, i := range order {
					made[specs[i].name] = h.create(versionType, specs[i].name, specs[i].inputs(s.id))
				}
				requireConverged(t, h, s.id, specs, made)
			})
		}
	}
}

// orders lists every order of n items (n is small).
func orders(n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var out [][]int
	for _, rest := range orders(n - 1) {
		for at := 0; at <= len(rest); at++ {
			order := slices.Insert(slices.Clone(rest), at, n-1)
			out = append(out, order)
		}
	}
	return out
}

// The first version of a secret, written with custom labels only: AWS
// attaches AWSCURRENT, the state records it, and neither a preview nor an
// update of the labels fails on it.
func TestSecretVersionFirstVersionGetsCurrent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("one"), "versionStages": strList("blue")})
	assert.Equal(t, []string{"AWSCURRENT", "blue"}, stagesValue(t, v.state), "the state records what AWS attached")
	updated := h.update(v, pm{"secretId": str(s.id), "secretString": str("one"), "versionStages": strList("green")})
	assert.Equal(t, []string{"AWSCURRENT", "green"}, stagesValue(t, updated.state))
	_, d := h.diff(updated, pm{"secretId": str(s.id), "secretString": str("one"), "versionStages": strList("green")})
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}

// A version whose only label was moved to another version outside Pulumi
// is kept by AWS with no label: refresh records none (not the AWSCURRENT it
// never had), the preview shows the label coming back, and `pulumi up` puts
// it back, as terraform-provider-aws does.
func TestSecretVersionLeftWithNoLabel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	current := h.create(versionType, "current", pm{"secretId": str(s.id), "secretString": str("one")})
	news := pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": strList("blue")}
	blue := h.create(versionType, "blue", news)
	_, err := h.fake.UpdateSecretVersionStage(t.Context(), &sm.UpdateSecretVersionStageInput{
		SecretId: aws.String(s.id), VersionStage: aws.String("blue"),
		MoveToVersionId:     aws.String(getString(t, current.state, "versionId")),
		RemoveFromVersionId: aws.String(getString(t, blue.state, "versionId")),
	})
	require.NoError(t, err)

	resp := h.read(blue)
	require.Equal(t, blue.id, resp.ID)
	assert.Empty(t, stagesValue(t, resp.Properties), "the version holds no label")
	requireSecret(t, resp.Properties, "secretString", "two")
	assert.Equal(t, []string{"blue"}, stagesValue(t, resp.Inputs), "the program's label stays its input")
	refreshed := created{urn: blue.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.Equal(t, map[string]p.PropertyDiff{"versionStages[0]": {Kind: p.Add}}, d.DetailedDiff, "blue comes back")

	h.fake.ResetCalls()
	restored := h.update(refreshed, news)
	assert.Equal(t, []string{"blue"}, stagesValue(t, restored.state))
	in := h.fake.Requests(fakesm.OpUpdateSecretVersionStage)[0].(*sm.UpdateSecretVersionStageInput)
	assert.Equal(t, getString(t, current.state, "versionId"), aws.ToString(in.RemoveFromVersionId), "taken from its holder")
	requireConverged(t, h, s.id, []versionSpec{{"current", "one", nil}, {"blue", "two", []string{"blue"}}},
		map[string]created{"current": current, "blue": restored})
}

// A version the program asks to be current still follows AWSCURRENT when a
// write outside the stack (a rotation, the console) moves it, and warns; it
// does not when a newer version of the same stack took it.
func TestSecretVersionFollowsCurrentOnlyWhenMovedOutsideTheStack(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	news := pm{"secretId": str(s.id), "secretString": str("program-value")}
	v := h.create(versionType, "v", news)
	rotated, err := h.fake.PutValueOutOfBand(s.id, "rotated-value")
	require.NoError(t, err)
	resp := h.read(v)
	assert.Equal(t, rotated, getString(t, resp.Properties, "versionId"), "follows the rotation")
	_, d := h.diff(created{urn: v.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}, news)
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["secretString"].Kind, "and shows the value changed outside Pulumi")

	other := h.newSecret("app/other")
	older := h.create(versionType, "older", pm{"secretId": str(other.id), "secretString": str("one")})
	h.create(versionType, "newer", pm{"secretId": str(other.id), "secretString": str("two")})
	resp = h.read(older)
	assert.Equal(t, older.id, resp.ID, "a newer version of the stack took AWSCURRENT: no drift")
	assert.Equal(t, []string{"AWSPREVIOUS"}, stagesValue(t, resp.Properties))
}

// Two versions of one secret naming the same label can never both hold it:
// Check refuses the second, naming the first, before any call.
func TestSecretVersionCheckRefusesALabelTwoVersionsAskFor(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	h.create(versionType, "first", pm{"secretId": str(s.id), "secretString": str("one"), "versionStages": strList("AWSCURRENT", "blue")})
	h.fake.ResetCalls()
	resp := h.check(versionType, "second", property.Map{}, pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": strList("blue")})
	reasons := strings.Join(failuresOn(resp, "versionStages"), "; ")
	assert.Contains(t, reasons, `"blue" is also asked for by first`)
	assert.Zero(t, h.fake.TotalCalls())
	assert.Empty(t, h.check(versionType, "second", property.Map{}, pm{"secretId": str(s.id), "secretString": str("two")}).Failures,
		"unset labels claim nothing")
	assert.Empty(t, h.check(versionType, "first", property.Map{}, pm{"secretId": str(s.id), "secretString": str("one"), "versionStages": strList("blue")}).Failures,
		"a resource's own earlier claim is no conflict")
}

// The versions of one program are updated in parallel: a label this update
// read on one version may have left it a moment later, and AWS refuses the
// move naming the old holder. The holder is read again and the move made.
func TestSecretVersionMoveRetriesWhenTheHolderChanged(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	h.create(versionType, "current", pm{"secretId": str(s.id), "secretString": str("one")})
	news := pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": strList("AWSCURRENT", "blue")}
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": strList("blue")})
	h.fake.FailNext(fakesm.OpUpdateSecretVersionStage, &smtypes.InvalidParameterException{Message: aws.String(
		"When you move staging label AWSCURRENT, if you specify RemoveFromVersionId, it must be set to the version that currently has the staging label AWSCURRENT.")})
	h.fake.ResetCalls()
	updated := h.update(v, news)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 2, fakesm.OpUpdateSecretVersionStage: 2}, h.fake.Calls())
	assert.Equal(t, []string{"AWSCURRENT", "blue"}, stagesValue(t, updated.state))
	current, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.Equal(t, getString(t, v.state, "versionId"), aws.ToString(current.VersionId))
}
