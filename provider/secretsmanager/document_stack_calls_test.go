package secretsmanager_test

// "Few calls" proof for the stack of the AWS Secrets Manager article the
// examples follow (examples/*): a Secret with no arguments and a
// SecretVersion holding its value,
//
//	secret  := smx.secretsmanager.Secret("secret", {})
//	version := smx.secretsmanager.SecretVersion("version", {secretId: secret.id, secretString: "mysecret"})
//
// driven through the real provider exactly as the engine drives it, counting
// the Secrets Manager calls of each command:
//
//	command          provider calls (engine order)                          Secrets Manager calls
//	---------------  -----------------------------------------------------  ---------------------------------------------
//	pulumi up        preview: Check+Create(dry) Secret,                     DescribeSecret  1 (preview: is the name
//	                          Check+Create(dry) SecretVersion                                    scheduled for deletion?)
//	                          (secretId unknown in the preview);            CreateSecret    1
//	                 update:  Check+Create Secret,                          PutSecretValue  1
//	                          Check+Create SecretVersion                    (total 3)
//	pulumi preview   Check+Diff Secret, Check+Diff SecretVersion            none (total 0)
//	(no change)
//	pulumi refresh   Read Secret, Read SecretVersion                        DescribeSecret 1, GetResourcePolicy 1,
//	                                                                        GetSecretValue 1 (total 3)
//	pulumi destroy   Delete SecretVersion (holds AWSCURRENT: no call),      DeleteSecret    1 (total 1)
//	                 Delete Secret
//
// Along the way, no property map, diff, check failure or error may carry the
// value in plaintext. Note that fmt's %v of a property.Map prints a secret
// value's contents (property.Value has no String method), so "plaintext"
// here means: present anywhere without the secret mark, or visible in the
// redacted rendering that plaintext logs use (property.Map.RedactedLogValue).

import (
	"fmt"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// docValue is the document's secret value.
const docValue = "mysecret"

// docPlaintextPaths returns the paths in v at which docValue appears without
// the secret mark (values marked secret are encrypted in state and redacted
// in logs and diffs, so their contents are not searched).
func docPlaintextPaths(v property.Value, path string) []string {
	switch {
	case v.Secret():
		return nil
	case v.IsString():
		if strings.Contains(v.AsString(), docValue) {
			return []string{path}
		}
	case v.IsArray():
		var out []string
		for i, e := range v.AsArray().All {
			out = append(out, docPlaintextPaths(e, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case v.IsMap():
		var out []string
		for k, e := range v.AsMap().All {
			out = append(out, docPlaintextPaths(e, path+"."+k)...)
		}
		return out
	}
	return nil
}

// docLeakChecker collects everything the provider returns and checks each
// for the value in plaintext.
type docLeakChecker struct {
	t       *testing.T
	checked int
}

func (c *docLeakChecker) props(label string, m property.Map) {
	c.t.Helper()
	c.checked++
	assert.Emptyf(c.t, docPlaintextPaths(property.New(m), label), "%s carries %q without the secret mark", label, docValue)
	redacted := fmt.Sprintf("%v", m.RedactedLogValue())
	assert.NotContainsf(c.t, redacted, docValue, "%s: the redacted rendering shows the value", label)
}

func (c *docLeakChecker) diff(label string, d p.DiffResponse) {
	c.t.Helper()
	c.checked++
	assert.NotContainsf(c.t, fmt.Sprintf("%#v", d), docValue, "%s: a diff never carries values", label)
	for prop, pd := range d.DetailedDiff {
		// PropertyDiff holds a kind and a flag, never a value.
		assert.Equalf(c.t, p.PropertyDiff{Kind: pd.Kind, InputDiff: pd.InputDiff}, pd, "%s.%s", label, prop)
	}
}

func (c *docLeakChecker) check(label string, resp p.CheckResponse) {
	c.t.Helper()
	c.props(label+" inputs", resp.Inputs)
	for _, f := range resp.Failures {
		assert.NotContainsf(c.t, f.Reason, docValue, "%s: a check failure quotes the value", label)
	}
}

func (c *docLeakChecker) err(label string, err error) {
	c.t.Helper()
	if err != nil {
		c.checked++
		assert.NotContainsf(c.t, err.Error(), docValue, "%s: an error quotes the value", label)
		assert.NotContainsf(c.t, fmt.Sprintf("%+v", err), docValue, "%s: an error quotes the value", label)
	}
}

// docCheck runs Check as the engine does and checks its answer for leaks.
func (h *harness) docCheck(leaks *docLeakChecker, label string, typ string, olds property.Map, news pm) property.Map {
	h.t.Helper()
	urn := urnOf(secretType, "secret")
	if typ == "version" {
		urn = urnOf(versionType, "version")
	}
	resp, err := h.server.Check(p.CheckRequest{Urn: urn, State: olds, Inputs: property.NewMap(news)})
	leaks.err(label, err)
	require.NoError(h.t, err)
	leaks.check(label, resp)
	require.Empty(h.t, resp.Failures)
	return resp.Inputs
}

func TestDocumentStackCalls(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	leaks := &docLeakChecker{t: t}
	secretURN, versionURN := urnOf(secretType, "secret"), urnOf(versionType, "version")

	// -----------------------------------------------------------------------
	// pulumi up: the preview, then the update.
	h.fake.ResetCalls()

	secretIn := h.docCheck(leaks, "up/preview: Check Secret", "secret", property.Map{}, pm{})
	secretPreview, err := h.server.Create(p.CreateRequest{Urn: secretURN, Properties: secretIn, DryRun: true})
	leaks.err("up/preview: Create Secret", err)
	require.NoError(t, err)
	leaks.props("up/preview: Create Secret", secretPreview.Properties)
	assert.Equal(t, getString(t, secretIn, "name"), getString(t, secretPreview.Properties, "name"), "the preview shows the name")

	// The secret's ID is unknown until it is created.
	versionIn := h.docCheck(leaks, "up/preview: Check SecretVersion", "version", property.Map{},
		pm{"secretId": computed(), "secretString": str(docValue)})
	requireSecret(t, versionIn, "secretString", docValue)
	versionPreview, err := h.server.Create(p.CreateRequest{Urn: versionURN, Properties: versionIn, DryRun: true})
	leaks.err("up/preview: Create SecretVersion", err)
	require.NoError(t, err)
	leaks.props("up/preview: Create SecretVersion", versionPreview.Properties)
	requireSecret(t, versionPreview.Properties, "secretString", "")
	assert.True(t, versionPreview.Properties.Get("versionId").IsComputed(), "the version ID is unknown in the preview")

	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(),
		"up, preview: one DescribeSecret (is the name scheduled for deletion?), nothing for the SecretVersion")

	// The update runs the program again: Check again, then Create.
	secretIn = h.docCheck(leaks, "up: Check Secret", "secret", property.Map{}, pm{})
	secret, err := h.server.Create(p.CreateRequest{Urn: secretURN, Properties: secretIn})
	leaks.err("up: Create Secret", err)
	require.NoError(t, err)
	require.NotEmpty(t, secret.ID)
	leaks.props("up: Create Secret", secret.Properties)

	versionIn = h.docCheck(leaks, "up: Check SecretVersion", "version", property.Map{},
		pm{"secretId": str(secret.ID), "secretString": str(docValue)})
	version, err := h.server.Create(p.CreateRequest{Urn: versionURN, Properties: versionIn})
	leaks.err("up: Create SecretVersion", err)
	require.NoError(t, err)
	require.NotEmpty(t, version.ID)
	leaks.props("up: Create SecretVersion", version.Properties)
	requireSecret(t, version.Properties, "secretString", docValue)

	assert.Equal(t, map[string]int{
		fakesm.OpDescribeSecret: 1, // the preview's name check
		fakesm.OpCreateSecret:   1,
		fakesm.OpPutSecretValue: 1,
	}, h.fake.Calls(), "pulumi up")
	assert.Equal(t, 3, h.fake.TotalCalls())

	// -----------------------------------------------------------------------
	// pulumi preview, nothing changed: Check and Diff only, no API call.
	h.fake.ResetCalls()

	secretIn2 := h.docCheck(leaks, "preview: Check Secret", "secret", secretIn, pm{})
	secretDiff, err := h.server.Diff(p.DiffRequest{ID: secret.ID, Urn: secretURN, State: secret.Properties, Inputs: secretIn2, OldInputs: secretIn})
	leaks.err("preview: Diff Secret", err)
	require.NoError(t, err)
	leaks.diff("preview: Diff Secret", secretDiff)
	assert.False(t, secretDiff.HasChanges, "%v", secretDiff.DetailedDiff)

	versionIn2 := h.docCheck(leaks, "preview: Check SecretVersion", "version", versionIn,
		pm{"secretId": str(secret.ID), "secretString": str(docValue)})
	versionDiff, err := h.server.Diff(p.DiffRequest{ID: version.ID, Urn: versionURN, State: version.Properties, Inputs: versionIn2, OldInputs: versionIn})
	leaks.err("preview: Diff SecretVersion", err)
	require.NoError(t, err)
	leaks.diff("preview: Diff SecretVersion", versionDiff)
	assert.False(t, versionDiff.HasChanges, "%v", versionDiff.DetailedDiff)

	assert.Empty(t, h.fake.Calls(), "pulumi preview with no change makes no API call")

	// -----------------------------------------------------------------------
	// pulumi refresh: one Read each.
	h.fake.ResetCalls()

	secretRead, err := h.server.Read(p.ReadRequest{ID: secret.ID, Urn: secretURN, Properties: secret.Properties, Inputs: secretIn})
	leaks.err("refresh: Read Secret", err)
	require.NoError(t, err)
	leaks.props("refresh: Read Secret state", secretRead.Properties)
	leaks.props("refresh: Read Secret inputs", secretRead.Inputs)
	assert.Equal(t, secret.ID, secretRead.ID)
	assert.Equal(t, secret.Properties, secretRead.Properties, "no drift")

	versionRead, err := h.server.Read(p.ReadRequest{ID: version.ID, Urn: versionURN, Properties: version.Properties, Inputs: versionIn})
	leaks.err("refresh: Read SecretVersion", err)
	require.NoError(t, err)
	leaks.props("refresh: Read SecretVersion state", versionRead.Properties)
	leaks.props("refresh: Read SecretVersion inputs", versionRead.Inputs)
	assert.Equal(t, version.ID, versionRead.ID)
	requireSecret(t, versionRead.Properties, "secretString", docValue)
	requireSecret(t, versionRead.Inputs, "secretString", docValue)

	// The program sets no policy, so none is read: GetResourcePolicy would
	// spend the 50/s quota that policy writes share.
	assert.Equal(t, map[string]int{
		fakesm.OpDescribeSecret: 1,
		fakesm.OpGetSecretValue: 1,
	}, h.fake.Calls(), "pulumi refresh")

	// -----------------------------------------------------------------------
	// pulumi destroy: dependents first.
	h.fake.ResetCalls()

	err = h.server.Delete(p.DeleteRequest{ID: version.ID, Urn: versionURN, Properties: versionRead.Properties, OldInputs: versionRead.Inputs})
	leaks.err("destroy: Delete SecretVersion", err)
	require.NoError(t, err)
	assert.Empty(t, h.fake.Calls(), "a version holding AWSCURRENT is left to its secret: no call")

	err = h.server.Delete(p.DeleteRequest{ID: secret.ID, Urn: secretURN, Properties: secretRead.Properties, OldInputs: secretRead.Inputs})
	leaks.err("destroy: Delete Secret", err)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{fakesm.OpDeleteSecret: 1}, h.fake.Calls(), "pulumi destroy")
	assert.NotNil(t, h.describe(secret.ID).DeletedDate, "deletion is scheduled (30-day recovery window)")

	// 6 Check answers, 4 Create answers, 2 diffs, 2 Reads (state and inputs).
	assert.Equal(t, 16, leaks.checked, "every answer was checked for leaks")
}

// The leak checker itself: it finds an unmarked value, accepts a marked one,
// and the redacted rendering hides marked values.
func TestDocumentStackLeakChecker(t *testing.T) {
	t.Parallel()
	marked := property.NewMap(pm{"secretString": str(docValue).WithSecret(true), "arn": str("arn")})
	assert.Empty(t, docPlaintextPaths(property.New(marked), "state"))
	assert.NotContains(t, fmt.Sprintf("%v", marked.RedactedLogValue()), docValue)
	t.Logf("fmt %%v of a map with a marked value: %v", marked) // shows the contents: why %v is not the test

	unmarked := property.NewMap(pm{"nested": property.New(pm{"list": strList("x", "prefix-"+docValue)})})
	assert.Equal(t, []string{"state.nested.list[1]"}, docPlaintextPaths(property.New(unmarked), "state"))
	assert.Contains(t, fmt.Sprintf("%v", unmarked.RedactedLogValue()), docValue)
}

// A preview of a changed value shows that secretString changes (and that
// the version is replaced), never either value.
func TestDocumentStackValueChangeDiffShowsNoValues(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	leaks := &docLeakChecker{t: t}
	secret := h.create(secretType, "secret", pm{})
	version := h.create(versionType, "version", pm{"secretId": str(secret.id), "secretString": str(docValue)})
	leaks.props("create: SecretVersion", version.state)

	h.fake.ResetCalls()
	const newValue = "changed-value"
	inputs := h.docCheck(leaks, "preview: Check SecretVersion", "version", version.inputs,
		pm{"secretId": str(secret.id), "secretString": str(newValue)})
	requireSecret(t, inputs, "secretString", newValue)
	d, err := h.server.Diff(p.DiffRequest{ID: version.id, Urn: version.urn, State: version.state, Inputs: inputs, OldInputs: version.inputs})
	require.NoError(t, err)
	leaks.diff("preview: Diff SecretVersion", d)
	assert.NotContains(t, fmt.Sprintf("%#v", d), newValue)
	assert.Equal(t, map[string]p.PropertyDiff{"secretString": {Kind: p.UpdateReplace}}, d.DetailedDiff)
	assert.Zero(t, h.fake.TotalCalls())
}
