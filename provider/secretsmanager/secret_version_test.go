package secretsmanager_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
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

// secretValue is a value no message, diff or log may ever contain.
const secretValue = "hunter2-TOP-SECRET-value"

// newSecret creates a secret through the provider and returns it.
func (h *harness) newSecret(name string) created {
	h.t.Helper()
	return h.create(secretType, name, pm{"name": str(name)})
}

// ---------------------------------------------------------------------------
// Check

// The value is the one input AWS limits in bytes ("Secret value size:
// 65,536 bytes"), while stage labels are limited in characters like every
// other string: 21,845 "€" (65,535 bytes) fit, 21,846 (65,538 bytes) do
// not, although either is far below 65,536 characters.
func TestSecretVersionCheckCountsValueBytesAndLabelCharacters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := str("arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf")
	fits := h.check(versionType, "v", property.Map{}, pm{"secretId": id, "secretString": str(strings.Repeat("€", 21845)),
		"versionStages": strList(strings.Repeat("秘", 256))})
	assert.Empty(t, fits.Failures, "65,535 bytes of value and a 256-character label (768 bytes) fit")

	resp := h.check(versionType, "v", property.Map{}, pm{"secretId": id, "secretString": str(strings.Repeat("€", 21846)),
		"versionStages": strList(strings.Repeat("秘", 257))})
	assert.Equal(t, []string{"must be 1 to 65536 bytes long, got 65538 bytes"}, failuresOn(resp, "secretString"))
	if labels := failuresOn(resp, "versionStages"); assert.Len(t, labels, 1) {
		assert.Contains(t, labels[0], "each stage label must be 1 to 256 characters long")
	}
}

func TestSecretVersionCheckValue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := str("arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf")
	ok := h.check(versionType, "v", property.Map{}, pm{"secretId": id, "secretString": str(secretValue)})
	assert.Empty(t, ok.Failures)
	requireSecret(t, ok.Inputs, "secretString", secretValue)

	ok = h.check(versionType, "v", property.Map{}, pm{"secretId": id, "secretBinary": str(base64.StdEncoding.EncodeToString([]byte(secretValue)))})
	assert.Empty(t, ok.Failures)
	requireSecret(t, ok.Inputs, "secretBinary", "")

	for name, tc := range map[string]struct {
		news pm
		prop string
	}{
		"both":           {pm{"secretId": id, "secretString": str(secretValue), "secretBinary": str("aGk=")}, "secretString"},
		"neither":        {pm{"secretId": id}, "secretString"},
		"empty string":   {pm{"secretId": id, "secretString": str("")}, "secretString"},
		"too long":       {pm{"secretId": id, "secretString": str(secretValue + strings.Repeat("x", 65536))}, "secretString"},
		"bad base64":     {pm{"secretId": id, "secretBinary": str(secretValue + "!!")}, "secretBinary"},
		"empty binary":   {pm{"secretId": id, "secretBinary": str("")}, "secretBinary"},
		"empty secretId": {pm{"secretId": str(""), "secretString": str(secretValue)}, "secretId"},
		"duplicate stage": {
			pm{"secretId": id, "secretString": str(secretValue), "versionStages": strList("AWSCURRENT", "AWSCURRENT")},
			"versionStages",
		},
	} {
		t.Run(name, func(t *testing.T) {
			resp := h.check(versionType, "v", property.Map{}, tc.news)
			assert.NotEmpty(t, failuresOn(resp, tc.prop), "%v", resp.Failures)
			for _, f := range resp.Failures {
				assert.NotContains(t, f.Reason, secretValue, "a check failure must not quote the value")
			}
		})
	}
}

func TestSecretVersionCheckUnknownInputsAreNotValidated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for name, news := range map[string]pm{
		"secretId":      {"secretId": computed(), "secretString": str(secretValue)},
		"secretString":  {"secretId": str("app"), "secretString": computed()},
		"secretBinary":  {"secretId": str("app"), "secretBinary": computed()},
		"versionStages": {"secretId": str("app"), "secretString": str(secretValue), "versionStages": computed()},
		"one stage":     {"secretId": str("app"), "secretString": str(secretValue), "versionStages": property.New([]property.Value{computed()})},
	} {
		resp := h.check(versionType, "v", property.Map{}, news)
		assert.Emptyf(t, resp.Failures, "unknown %s", name)
	}
	// An unknown value is still a value: it cannot be combined with another.
	resp := h.check(versionType, "v", property.Map{}, pm{"secretId": str("app"), "secretString": computed(), "secretBinary": str("aGk=")})
	assert.NotEmpty(t, failuresOn(resp, "secretString"))
}

// ---------------------------------------------------------------------------
// Create

func TestSecretVersionCreateMakesExactlyOneCall(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	inputs := h.checkOK(versionType, "v", property.Map{}, pm{"secretId": str(s.id), "secretString": str(secretValue)})
	urn := urnOf(versionType, "v")
	h.fake.ResetCalls()

	preview, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs, DryRun: true})
	require.NoError(t, err)
	assert.Zero(t, h.fake.TotalCalls(), "a preview makes no API call")
	requireSecret(t, preview.Properties, "secretString", "")
	assert.True(t, preview.Properties.Get("versionId").IsComputed(), "the version ID is unknown in a preview")

	resp, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{fakesm.OpPutSecretValue: 1}, h.fake.Calls(), "one PutSecretValue, no read-after-write")

	in := h.fake.Requests(fakesm.OpPutSecretValue)[0].(*sm.PutSecretValueInput)
	token := aws.ToString(in.ClientRequestToken)
	assert.GreaterOrEqual(t, len(token), 32, "an idempotency token is always sent")
	assert.Nil(t, in.VersionStages, "default stages: AWS moves AWSCURRENT itself")

	current, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.Equal(t, secretValue, aws.ToString(current.SecretString))
	versionID := aws.ToString(current.VersionId)
	assert.Equal(t, token, versionID)

	assert.Equal(t, s.id+"|"+versionID, resp.ID, "ID is `arn|versionId`")
	assert.Equal(t, s.id, getString(t, resp.Properties, "arn"))
	assert.Equal(t, versionID, getString(t, resp.Properties, "versionId"))
	assert.Equal(t, []string{"AWSCURRENT"}, stagesValue(t, resp.Properties))
	requireSecret(t, resp.Properties, "secretString", secretValue)
}

func TestSecretVersionCreateBySecretName(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str("app/db"), "secretString": str(secretValue)})
	assert.True(t, strings.HasPrefix(v.id, s.id+"|"), "the ID uses the ARN even when secretId is a name: %s", v.id)
	assert.Equal(t, "app/db", getString(t, v.state, "secretId"))
}

func TestSecretVersionCreateBinary(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/bin")
	raw := []byte{0, 1, 2, 250, 251}
	encoded := base64.StdEncoding.EncodeToString(raw)
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretBinary": str(encoded)})
	requireSecret(t, v.state, "secretBinary", encoded)
	got, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.Equal(t, raw, got.SecretBinary, "the value is stored decoded")
	assert.Nil(t, got.SecretString)

	resp := h.read(v)
	requireSecret(t, resp.Properties, "secretBinary", encoded)
}

func TestSecretVersionCreateWithStages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	first := h.create(versionType, "first", pm{"secretId": str(s.id), "secretString": str("one")})
	pending := h.create(versionType, "pending", pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": strList("pending")})
	assert.Equal(t, []string{"pending"}, stagesValue(t, pending.state))
	assert.Equal(t, []string{"pending"}, h.fake.Requests(fakesm.OpPutSecretValue)[1].(*sm.PutSecretValueInput).VersionStages)
	current, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.Equal(t, getString(t, first.state, "versionId"), aws.ToString(current.VersionId), "AWSCURRENT stays on the first version")
}

// Error messages must never carry the secret value, whatever fails.
func TestSecretVersionErrorsNeverContainTheValue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	inputs := h.checkOK(versionType, "v", property.Map{}, pm{"secretId": str(s.id), "secretString": str(secretValue)})
	urn := urnOf(versionType, "v")

	for name, inject := range map[string]error{
		"internal":  &types.InternalServiceError{Message: aws.String("internal failure")},
		"limit":     &types.LimitExceededException{Message: aws.String("too many versions")},
		"parameter": &types.InvalidParameterException{Message: aws.String("bad parameter")},
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.FailNext(fakesm.OpPutSecretValue, inject)
			_, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
			require.Error(t, err)
			assert.Contains(t, err.Error(), inject.Error(), "the cause is reported")
			assert.NotContains(t, err.Error(), secretValue)
		})
	}

	// Errors of the service itself: a missing secret, one scheduled for deletion.
	missing := h.checkOK(versionType, "v", property.Map{}, pm{"secretId": str("no/such/secret"), "secretString": str(secretValue)})
	_, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: missing})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secretValue)

	_, err = h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	_, err = h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "marked for deletion")
	assert.NotContains(t, err.Error(), secretValue)
}

// ---------------------------------------------------------------------------
// Read

func TestSecretVersionReadMarksValueSecret(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str(secretValue)})
	h.fake.ResetCalls()
	resp := h.read(v)
	assert.Equal(t, map[string]int{fakesm.OpGetSecretValue: 1}, h.fake.Calls())
	assert.Equal(t, v.id, resp.ID)
	requireSecret(t, resp.Properties, "secretString", secretValue)
	requireSecret(t, resp.Inputs, "secretString", secretValue)
	assert.Equal(t, []string{"AWSCURRENT"}, stagesValue(t, resp.Properties))
}

// Import (`pulumi import ... arn|versionId`) reads with no prior state. The
// engine records the inputs Read returns and `pulumi import` prints them as
// the program's code: they hold a placeholder, never the value. The value is
// in the outputs, marked secret (or it would land in the state in
// plaintext), where Diff compares the program's value with it and refresh
// sees it change.
func TestSecretVersionImportHoldsAPlaceholderForTheValue(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		kind, property string
		create         *sm.CreateSecretInput
		value          string // as the program sets it
		placeholder    string
	}{
		{"text", "secretString", &sm.CreateSecretInput{SecretString: aws.String(secretValue)}, secretValue,
			"<replace with this version's value, which pulumi import never prints>"},
		{"binary", "secretBinary", &sm.CreateSecretInput{SecretBinary: []byte(secretValue)},
			base64.StdEncoding.EncodeToString([]byte(secretValue)),
			"<replace with this version's value, base64-encoded, which pulumi import never prints>"},
	} {
		t.Run(c.kind, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			c.create.Name = aws.String("legacy/db")
			out, err := h.fake.CreateSecret(t.Context(), c.create)
			require.NoError(t, err)
			for _, id := range []string{aws.ToString(out.VersionId), "AWSCURRENT"} {
				id = aws.ToString(out.ARN) + "|" + id
				urn := urnOf(versionType, "imported")
				resp, err := h.server.Read(p.ReadRequest{ID: id, Urn: urn})
				require.NoError(t, err)
				assert.Equal(t, aws.ToString(out.ARN)+"|"+aws.ToString(out.VersionId), resp.ID)
				assert.Equal(t, aws.ToString(out.VersionId), getString(t, resp.Properties, "versionId"))
				requireSecret(t, resp.Properties, c.property, c.value)
				requireSecret(t, resp.Inputs, c.property, c.placeholder)
				for _, key := range []string{"secretString", "secretBinary", "secretStringWo", "secretBinaryWo"} {
					if _, has := resp.Inputs.GetOk(key); key != c.property {
						assert.Falsef(t, has, "the imported inputs hold %s", key)
					}
				}
				requireNoValue(t, "the imported inputs", resp.Inputs, c.value)
				requireNoValue(t, "the imported inputs", resp.Inputs, secretValue)
				assert.Equal(t, aws.ToString(out.ARN), getString(t, resp.Inputs, "secretId"))

				// The engine checks the imported inputs next: no failure,
				// which it would report as a bug of smx (a note says what to
				// do instead). Only that one Check is spared: the generated
				// code as it is fails to preview, so the placeholder is never
				// stored as the value.
				assert.Empty(t, h.check(versionType, "imported", resp.Inputs, resp.Inputs.AsMap()).Failures)
				again := h.check(versionType, "imported", resp.Inputs, resp.Inputs.AsMap())
				require.Len(t, failuresOn(again, c.property), 1)
				assert.Contains(t, failuresOn(again, c.property)[0], "holds the placeholder that `pulumi import` wrote")
				requireNoValue(t, "the failure", property.NewMap(pm{"reason": str(failuresOn(again, c.property)[0])}), c.placeholder)

				// The generated code with the user's own value previews with
				// no change, and with another value replaces the version.
				imported := created{urn: urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
				program := resp.Inputs.AsMap()
				program[c.property] = str(c.value).WithSecret(true)
				_, d := h.diff(imported, program)
				assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
				program[c.property] = str(base64.StdEncoding.EncodeToString([]byte("another value"))).WithSecret(true)
				_, d = h.diff(imported, program)
				assert.Equal(t, p.UpdateReplace, d.DetailedDiff[c.property].Kind)
			}
		})
	}
}

// `pulumi import --properties secretId,...` imports only the properties
// named: the inputs then hold no value at all, which the Check after the
// import accepts, and every later one refuses.
func TestSecretVersionImportOfSomePropertiesOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("legacy/db"), SecretString: aws.String(secretValue)})
	require.NoError(t, err)
	resp, err := h.server.Read(p.ReadRequest{ID: aws.ToString(out.ARN) + "|AWSCURRENT", Urn: urnOf(versionType, "imported")})
	require.NoError(t, err)
	named := pm{"secretId": resp.Inputs.Get("secretId")}
	assert.Empty(t, h.check(versionType, "imported", property.NewMap(named), named).Failures)
	assert.Equal(t, []string{"set exactly one of secretString, secretBinary, secretStringWo and secretBinaryWo"},
		failuresOn(h.check(versionType, "imported", property.NewMap(named), named), "secretString"))
}

// With the `import` resource option the engine checks the program's inputs
// first, then reads: the program's value is checked as usual, and the read
// changes nothing for the next Check.
func TestSecretVersionImportOptionChecksTheProgramsValue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("legacy/db"), SecretString: aws.String(secretValue)})
	require.NoError(t, err)
	program := pm{"secretId": str(aws.ToString(out.ARN)), "secretString": str(secretValue).WithSecret(true)}
	inputs := h.checkOK(versionType, "imported", property.Map{}, program)
	resp, err := h.server.Read(p.ReadRequest{ID: aws.ToString(out.ARN) + "|AWSCURRENT", Urn: urnOf(versionType, "imported")})
	require.NoError(t, err)
	d, err := h.server.Diff(p.DiffRequest{ID: resp.ID, Urn: urnOf(versionType, "imported"), State: resp.Properties, Inputs: inputs, OldInputs: resp.Inputs})
	require.NoError(t, err)
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
	assert.NotEmpty(t, failuresOn(h.check(versionType, "imported", resp.Inputs, pm{"secretId": str(aws.ToString(out.ARN)),
		"secretString": str("")}), "secretString"), "a later Check judges the value as usual")
}

// A refresh keeps the value in the inputs, as the program set it.
func TestSecretVersionRefreshKeepsTheValueInTheInputs(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str(secretValue)})
	resp := h.read(v)
	requireSecret(t, resp.Inputs, "secretString", secretValue)
	assert.NotEmpty(t, failuresOn(h.check(versionType, "v", resp.Inputs, pm{"secretId": str(s.id)}), "secretString"),
		"a Check after a refresh still requires the value")
}

func TestSecretVersionReadInvalidID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, id := range []string{"no-separator", "|version", "arn|"} {
		_, err := h.server.Read(p.ReadRequest{ID: id, Urn: urnOf(versionType, "imported")})
		assert.Errorf(t, err, "%q", id)
	}
	assert.Zero(t, h.fake.TotalCalls())
}

// A rotation or a manual edit stores a new version and moves AWSCURRENT to
// it. Refresh must report the secret's value as it now is, so that the drift
// is visible: a version follows AWSCURRENT, and refresh reports value drift
// honestly (README, "smx:secretsmanager:SecretVersion").
func TestSecretVersionReadReportsValueChangedOutOfBand(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("program-value")})
	_, err := h.fake.PutValueOutOfBand(s.id, "rotated-value")
	require.NoError(t, err)

	resp := h.read(v)
	require.NotEmpty(t, resp.ID, "the secret and the version still exist")
	requireSecret(t, resp.Properties, "secretString", "rotated-value")

	// The next preview shows the value drift (and never the values).
	refreshed := created{urn: v.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, pm{"secretId": str(s.id), "secretString": str("program-value")})
	assert.True(t, d.HasChanges)
	assert.Contains(t, d.DetailedDiff, "secretString")
	assert.NotContains(t, fmt.Sprintf("%+v", d), "program-value")
	assert.NotContains(t, fmt.Sprintf("%+v", d), "rotated-value")
}

// Whatever Read reports about the version's value, it must see that the
// version no longer holds AWSCURRENT.
func TestSecretVersionReadReportsStageDrift(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("program-value")})
	_, err := h.fake.PutValueOutOfBand(s.id, "rotated-value")
	require.NoError(t, err)
	resp := h.read(v)
	require.NotEmpty(t, resp.ID)
	stages := stagesValue(t, resp.Properties)
	if getString(t, resp.Properties, "versionId") == getString(t, v.state, "versionId") {
		assert.Equal(t, []string{"AWSPREVIOUS"}, stages)
	} else {
		assert.Equal(t, []string{"AWSCURRENT"}, stages)
	}
}

func TestSecretVersionReadGarbageCollectedIsGone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	_, err := h.fake.PutValueOutOfBand(s.id, "current")
	require.NoError(t, err)
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("one"), "versionStages": strList("pending")})
	assert.Equal(t, []string{"pending"}, stagesValue(t, v.state))
	// Another version takes "pending"; this one is left unlabeled and AWS
	// collects it.
	_, err = h.fake.PutSecretValue(t.Context(), &sm.PutSecretValueInput{
		SecretId: aws.String(s.id), SecretString: aws.String("two"), VersionStages: []string{"pending"},
	})
	require.NoError(t, err)
	require.NoError(t, h.fake.DropVersion(s.id, getString(t, v.state, "versionId")))
	assert.Empty(t, h.read(v).ID)
}

func TestSecretVersionReadDeletedSecretIsGone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str(secretValue)})
	_, err := h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.Empty(t, h.read(v).ID, "scheduled for deletion")
	_, err = h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(s.id), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)
	assert.Empty(t, h.read(v).ID, "deleted")
}

func TestSecretVersionReadErrorNeverContainsTheValue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str(secretValue)})
	h.fake.FailNext(fakesm.OpGetSecretValue, &types.InternalServiceError{Message: aws.String("internal failure")})
	_, err := h.server.Read(p.ReadRequest{ID: v.id, Urn: v.urn, Properties: v.state, Inputs: v.inputs})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secretValue)
}

// ---------------------------------------------------------------------------
// Diff

func TestSecretVersionDiff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	news := pm{"secretId": str(s.id), "secretString": str(secretValue)}
	v := h.create(versionType, "v", news)

	h.requireNoChange(v, news, "the program it was created from")
	h.requireNoChange(v, pm{"secretId": str(s.id), "secretString": str(secretValue), "versionStages": strList("AWSCURRENT")},
		"[AWSCURRENT] is the default")

	const newValue = "another-TOP-SECRET-value"
	_, d := h.diff(v, pm{"secretId": str(s.id), "secretString": str(newValue)})
	assert.True(t, d.HasChanges)
	assert.Equal(t, map[string]p.PropertyDiff{"secretString": {Kind: p.UpdateReplace}}, d.DetailedDiff)
	rendered := fmt.Sprintf("%#v", d)
	assert.NotContains(t, rendered, secretValue, "the diff carries no value")
	assert.NotContains(t, rendered, newValue, "the diff carries no value")

	_, d = h.diff(v, pm{"secretId": str(s.id), "secretBinary": str(base64.StdEncoding.EncodeToString([]byte(secretValue)))})
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["secretBinary"].Kind)
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["secretString"].Kind)

	other := h.newSecret("app/other")
	_, d = h.diff(v, pm{"secretId": str(other.id), "secretString": str(secretValue)})
	assert.Equal(t, map[string]p.PropertyDiff{"secretId": {Kind: p.UpdateReplace}}, d.DetailedDiff)

	// Each label that comes or goes is named by its place: in the program's
	// list for one attached, in the state's for one detached.
	_, d = h.diff(v, pm{"secretId": str(s.id), "secretString": str(secretValue), "versionStages": strList("AWSCURRENT", "blue")})
	assert.Equal(t, map[string]p.PropertyDiff{"versionStages[1]": {Kind: p.Add}}, d.DetailedDiff)
	blue := h.update(v, pm{"secretId": str(s.id), "secretString": str(secretValue), "versionStages": strList("AWSCURRENT", "blue")})
	_, d = h.diff(blue, pm{"secretId": str(s.id), "secretString": str(secretValue), "versionStages": strList("green", "AWSCURRENT")})
	assert.Equal(t, map[string]p.PropertyDiff{"versionStages[0]": {Kind: p.Add}, "versionStages[1]": {Kind: p.Delete}}, d.DetailedDiff)
}

// secretId may name the secret by name or by ARN: switching between the two
// is no change (sameSecret in secret_version.go promises as much).
func TestSecretVersionDiffSecretIdFromNameToARN(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str("app/db"), "secretString": str(secretValue)})
	_, d := h.diff(v, pm{"secretId": str(s.id), "secretString": str(secretValue)})
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}

func TestSecretVersionDiffSecretIdFromARNToName(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str(secretValue)})
	_, d := h.diff(v, pm{"secretId": str("app/db"), "secretString": str(secretValue)})
	assert.False(t, d.HasChanges, "the secret's name and its ARN are the same secret: %v", d.DetailedDiff)
}

// ---------------------------------------------------------------------------
// Update

func TestSecretVersionUpdateMovesStages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	first := h.create(versionType, "first", pm{"secretId": str(s.id), "secretString": str("one")})
	second := h.create(versionType, "second", pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": strList("pending")})
	firstID, secondID := getString(t, first.state, "versionId"), getString(t, second.state, "versionId")

	// Promote the second version: AWSCURRENT moves from the first.
	h.fake.ResetCalls()
	second = h.update(second, pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": strList("AWSCURRENT", "pending")})
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpUpdateSecretVersionStage])
	in := h.fake.Requests(fakesm.OpUpdateSecretVersionStage)[0].(*sm.UpdateSecretVersionStageInput)
	assert.Equal(t, "AWSCURRENT", aws.ToString(in.VersionStage))
	assert.Equal(t, secondID, aws.ToString(in.MoveToVersionId))
	assert.Equal(t, firstID, aws.ToString(in.RemoveFromVersionId))
	assert.Equal(t, []string{"AWSCURRENT", "pending"}, stagesValue(t, second.state))
	requireSecret(t, second.state, "secretString", "two")
	snap, _ := h.fake.Snapshot(s.id)
	assert.ElementsMatch(t, []string{"AWSCURRENT", "pending"}, snap.VersionStages[secondID])
	assert.Equal(t, []string{"AWSPREVIOUS"}, snap.VersionStages[firstID])

	// Swap a custom label: add first, then remove.
	h.fake.ResetCalls()
	second = h.update(second, pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": strList("AWSCURRENT", "blue")})
	reqs := h.fake.Requests(fakesm.OpUpdateSecretVersionStage)
	require.Len(t, reqs, 2)
	assert.Equal(t, "blue", aws.ToString(reqs[0].(*sm.UpdateSecretVersionStageInput).VersionStage))
	assert.Equal(t, "pending", aws.ToString(reqs[1].(*sm.UpdateSecretVersionStageInput).VersionStage))
	snap, _ = h.fake.Snapshot(s.id)
	assert.ElementsMatch(t, []string{"AWSCURRENT", "blue"}, snap.VersionStages[secondID])
	assert.Equal(t, []string{"AWSCURRENT", "blue"}, stagesValue(t, second.state))
}

// AWSCURRENT cannot be removed from a version, only moved to another one.
// A program that stops naming it on the current version therefore changes
// nothing about AWSCURRENT, and says so at preview; its other labels are
// applied, and no preview or update fails on it (the stack never gets stuck).
func TestSecretVersionDroppingCurrentKeepsItAndWarns(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str(secretValue)})
	news := pm{"secretId": str(s.id), "secretString": str(secretValue), "versionStages": strList("blue")}
	resp := h.check(versionType, "v", v.inputs, news)
	require.Empty(t, resp.Failures)
	h.fake.ResetCalls()
	updated := h.update(v, news)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpUpdateSecretVersionStage: 1}, h.fake.Calls(),
		"blue is attached; AWSCURRENT is left where it is")
	assert.Equal(t, []string{"AWSCURRENT", "blue"}, stagesValue(t, updated.state))
	_, d := h.diff(updated, news)
	assert.False(t, d.HasChanges, "AWSCURRENT held without being asked for is AWS's, not drift: %v", d.DetailedDiff)
	current, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.Equal(t, getString(t, v.state, "versionId"), aws.ToString(current.VersionId))
}

// ---------------------------------------------------------------------------
// Delete

func TestSecretVersionDeleteKeepsCurrent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str(secretValue)})
	h.fake.ResetCalls()
	require.NoError(t, h.delete(v))
	assert.Zero(t, h.fake.Calls()[fakesm.OpUpdateSecretVersionStage], "AWSCURRENT is never detached")

	got, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(s.id)})
	require.NoError(t, err, "the secret stays readable")
	assert.Equal(t, secretValue, aws.ToString(got.SecretString))
	assert.Equal(t, getString(t, v.state, "versionId"), aws.ToString(got.VersionId))
	assert.Contains(t, got.VersionStages, "AWSCURRENT")
}

func TestSecretVersionDeleteDetachesOtherStages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	current := h.create(versionType, "current", pm{"secretId": str(s.id), "secretString": str("one"), "versionStages": strList("AWSCURRENT", "blue")})
	pending := h.create(versionType, "pending", pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": strList("pending")})
	currentID, pendingID := getString(t, current.state, "versionId"), getString(t, pending.state, "versionId")

	h.fake.ResetCalls()
	require.NoError(t, h.delete(pending))
	require.NoError(t, h.delete(current))
	// Each delete reads who holds the labels (a replacement may have taken
	// them) and detaches only its own.
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 2, fakesm.OpUpdateSecretVersionStage: 2}, h.fake.Calls())
	snap, _ := h.fake.Snapshot(s.id)
	assert.Empty(t, snap.VersionStages[pendingID], "an unlabeled version is left for AWS to collect")
	assert.Equal(t, []string{"AWSCURRENT"}, snap.VersionStages[currentID])
	got, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.Equal(t, "one", aws.ToString(got.SecretString))
}

func TestSecretVersionDeleteWhenSecretIsGone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("one"), "versionStages": strList("AWSCURRENT", "blue")})
	_, err := h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.NoError(t, h.delete(v), "scheduled for deletion")
	_, err = h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(s.id), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)
	assert.NoError(t, h.delete(v), "deleted")
}

// A secret whose value is replaced: the new version takes AWSCURRENT, the
// old one is deleted by Pulumi afterwards (create-before-delete) and must not
// disturb the new current value.
func TestSecretVersionReplaceKeepsNewValueCurrent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	old := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("one")})
	_, d := h.diff(old, pm{"secretId": str(s.id), "secretString": str("two")})
	require.Equal(t, p.UpdateReplace, d.DetailedDiff["secretString"].Kind)
	require.False(t, d.DeleteBeforeReplace)
	replacement := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("two")})
	require.NoError(t, h.delete(old))

	got, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(s.id)})
	require.NoError(t, err)
	assert.Equal(t, "two", aws.ToString(got.SecretString))
	assert.Equal(t, getString(t, replacement.state, "versionId"), aws.ToString(got.VersionId))
}

// After a rotation (a new version takes AWSCURRENT, this one AWSPREVIOUS), a
// refresh followed by `pulumi up` must not fail, and the state it records
// must match what AWS then holds.
func TestSecretVersionUpAfterRotation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	news := pm{"secretId": str(s.id), "secretString": str("program-value")}
	v := h.create(versionType, "v", news)
	_, err := h.fake.PutValueOutOfBand(s.id, "rotated-value")
	require.NoError(t, err)

	// pulumi refresh
	resp := h.read(v)
	require.NotEmpty(t, resp.ID)
	refreshed := created{urn: v.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}

	// pulumi up with the unchanged program
	inputs, d := h.diff(refreshed, news)
	require.True(t, d.HasChanges, "the drift is visible")
	if replace := slices.ContainsFunc([]p.PropertyDiff{d.DetailedDiff["secretString"], d.DetailedDiff["secretId"]},
		func(pd p.PropertyDiff) bool { return pd.Kind == p.UpdateReplace }); replace {
		return // a replacement stores the program's value anew: covered by the create tests
	}
	out, err := h.server.Update(p.UpdateRequest{ID: refreshed.id, Urn: refreshed.urn, State: refreshed.state, Inputs: inputs, OldInputs: refreshed.inputs})
	require.NoError(t, err, "pulumi up after a rotation must succeed")

	after := h.read(created{urn: v.urn, id: refreshed.id, inputs: inputs, state: out.Properties})
	assert.Equal(t, stagesValue(t, after.Properties), stagesValue(t, out.Properties),
		"the state recorded by Update matches AWS")
	snap, _ := h.fake.Snapshot(s.id)
	for id, stages := range snap.VersionStages {
		if id != getString(t, v.state, "versionId") {
			assert.NotEmpty(t, stages, "the rotated version keeps a label, so AWS does not collect it")
		}
	}
}

// Replacing a version that carries custom labels (a new value, create before
// delete): PutSecretValue moves the labels to the new version, as AWS
// documents, so deleting the old version must not fail on labels it no
// longer holds, nor take them from the new version.
func TestSecretVersionReplaceWithCustomStages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	stages := strList("AWSCURRENT", "blue")
	old := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("one"), "versionStages": stages})
	_, d := h.diff(old, pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": stages})
	require.Equal(t, p.UpdateReplace, d.DetailedDiff["secretString"].Kind)
	require.False(t, d.DeleteBeforeReplace)
	replacement := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("two"), "versionStages": stages})
	newID := getString(t, replacement.state, "versionId")

	require.NoError(t, h.delete(old), "deleting the replaced version must succeed")
	snap, _ := h.fake.Snapshot(s.id)
	assert.ElementsMatch(t, []string{"AWSCURRENT", "blue"}, snap.VersionStages[newID], "the new version keeps its labels")
}

// A secret created a moment ago may not be visible to PutSecretValue yet
// (AWS is eventually consistent): a version of a secret named by ARN retries
// "not found", with the same ClientRequestToken, so no retry can make a
// second version. A secret named by the program's own words fails at once.
func TestSecretVersionCreateRetriesNotFoundForAFreshARN(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	notYet := &types.ResourceNotFoundException{Message: aws.String("Secrets Manager can't find the specified secret.")}

	h.fake.FailNext(fakesm.OpPutSecretValue, notYet)
	h.fake.ResetCalls()
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("value")})
	assert.Equal(t, 2, h.fake.Calls()[fakesm.OpPutSecretValue], "one retry after the not-found answer")
	requests := h.fake.Requests(fakesm.OpPutSecretValue)
	first, second := requests[0].(*sm.PutSecretValueInput), requests[1].(*sm.PutSecretValueInput)
	assert.Equal(t, aws.ToString(first.ClientRequestToken), aws.ToString(second.ClientRequestToken), "the retry reuses the token")
	assert.Equal(t, aws.ToString(first.ClientRequestToken), getString(t, v.state, "versionId"))

	h.fake.FailNext(fakesm.OpPutSecretValue, notYet)
	h.fake.ResetCalls()
	inputs := h.checkOK(versionType, "byname", property.Map{}, pm{"secretId": str("app/db"), "secretString": str("value")})
	_, err := h.server.Create(p.CreateRequest{Urn: urnOf(versionType, "byname"), Properties: inputs})
	require.Error(t, err)
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpPutSecretValue], "a name is not retried")
}

// After a crash, the next `pulumi up` creates the SecretVersion again. If the
// lost run already stored the value as AWSCURRENT, that version is adopted:
// no second copy, and AWSPREVIOUS keeps naming the value current before.
func TestSecretVersionCreateAdoptsTheVersionALostRunWrote(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("app/db"), SecretString: aws.String("old")})
	require.NoError(t, err)
	previous := aws.ToString(out.VersionId)
	lost, err := h.fake.PutSecretValue(t.Context(), &sm.PutSecretValueInput{SecretId: out.ARN, SecretString: aws.String("new")})
	require.NoError(t, err)

	h.fake.ResetCalls()
	v := h.create(versionType, "v", pm{"secretId": str(aws.ToString(out.ARN)), "secretString": str("new")})
	assert.Equal(t, map[string]int{fakesm.OpGetSecretValue: 1}, h.fake.Calls(), "one read, no write")
	assert.Equal(t, aws.ToString(lost.VersionId), getString(t, v.state, "versionId"))
	requireSecret(t, v.state, "secretString", "new")
	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, []string{"AWSPREVIOUS"}, snap.VersionStages[previous], "AWSPREVIOUS still names the old value")

	// A different value is written as usual.
	h.fake.ResetCalls()
	h.create(versionType, "w", pm{"secretId": str(aws.ToString(out.ARN)), "secretString": str("newer")})
	assert.Equal(t, map[string]int{fakesm.OpGetSecretValue: 1, fakesm.OpPutSecretValue: 1}, h.fake.Calls())
}

// Only the value outputs are secret: versionId and arn stay plain, so
// programs and tools can read them.
func TestSecretVersionIdentifiersAreNotSecret(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.create(secretType, "secret", pm{"name": str("app/db")})
	v := h.create(versionType, "version", pm{"secretId": str("app/db"), "secretString": str("hunter2").WithSecret(true)})
	for _, output := range []string{"versionId", "arn", "secretId"} {
		assert.False(t, v.state.Get(output).Secret(), "%s is not secret", output)
	}
	assert.True(t, v.state.Get("secretString").Secret())
}

// secretArn is pulumi-aws 7's second name for arn: every state says the
// same in both, a state recorded before smx had secretArn included.
func TestSecretVersionSecretArnIsTheSecretsARN(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("app/db")
	r := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str(secretValue)})
	assert.Equal(t, s.id, getString(t, r.state, "secretArn"))
	assert.Equal(t, getString(t, r.state, "arn"), getString(t, r.state, "secretArn"))

	r = h.update(r, pm{"secretId": str(s.id), "secretString": str(secretValue), "versionStages": strList("AWSCURRENT", "blue")})
	assert.Equal(t, s.id, getString(t, r.state, "secretArn"), "after an update")

	// A state written before smx recorded secretArn reads, and gets it.
	old := r.state.Delete("secretArn")
	resp, err := h.server.Read(p.ReadRequest{ID: r.id, Urn: r.urn, Properties: old, Inputs: r.inputs})
	require.NoError(t, err)
	assert.Equal(t, s.id, getString(t, resp.Properties, "secretArn"))
	_, hasValue := resp.Properties.GetOk("secretStringWo")
	assert.False(t, hasValue, "secretStringWo is never in state")
}
