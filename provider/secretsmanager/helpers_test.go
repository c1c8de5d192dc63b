package secretsmanager_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/provider"
)

// The helpers every test of this package shares: the harness that serves
// the real provider in process against the fake, the constructors of input
// values, and the readers of outputs.

// ---------------------------------------------------------------------------
// Harness shared by the Secret and SecretVersion tests: the real provider,
// served in process by pulumi-go-provider's integration server, calling an
// in-process fake of Secrets Manager that follows the AWS API reference.

const (
	secretType  tokens.Type = "smx:secretsmanager:Secret"
	versionType tokens.Type = "smx:secretsmanager:SecretVersion"
)

type harness struct {
	t      *testing.T
	fake   *fakesm.Fake // the provider's region
	server integration.Server
	// otherRegions are the Secrets Managers of the other regions the
	// provider reaches, so that "no call" means no call anywhere.
	otherRegions []*fakesm.Fake
}

func newHarness(t *testing.T, opts ...provider.Option) *harness {
	t.Helper()
	return newHarnessOn(t, fakesm.New(), opts...)
}

// newHarnessOn is another provider process on the same Secrets Manager.
func newHarnessOn(t *testing.T, fake *fakesm.Fake, opts ...provider.Option) *harness {
	t.Helper()
	prov, err := provider.New(append([]provider.Option{provider.WithSecretsManager(fake)}, opts...)...)
	require.NoError(t, err)
	server, err := integration.NewServer(t.Context(), "smx", semver.MustParse("0.1.0"), integration.WithProvider(prov))
	require.NoError(t, err)
	return &harness{t: t, fake: fake, server: server}
}

func urnOf(typ tokens.Type, name string) resource.URN {
	return resource.NewURN("test", "test", "", typ, name)
}

type pm = map[string]property.Value

func str(s string) property.Value { return property.New(s) }

func num(n float64) property.Value { return property.New(n) }

func computed() property.Value { return property.New(property.Computed) }

func strMap(m map[string]string) property.Value {
	out := pm{}
	for k, v := range m {
		out[k] = str(v)
	}
	return property.New(out)
}

func strList(items ...string) property.Value {
	out := make([]property.Value, 0, len(items))
	for _, s := range items {
		out = append(out, str(s))
	}
	return property.New(out)
}

// check runs Check for a new resource (no old inputs) or an existing one.
func (h *harness) check(typ tokens.Type, name string, olds property.Map, news pm) p.CheckResponse {
	h.t.Helper()
	resp, err := h.server.Check(p.CheckRequest{Urn: urnOf(typ, name), State: olds, Inputs: property.NewMap(news)})
	require.NoError(h.t, err)
	return resp
}

// checkOK runs Check and requires it to pass.
func (h *harness) checkOK(typ tokens.Type, name string, olds property.Map, news pm) property.Map {
	h.t.Helper()
	resp := h.check(typ, name, olds, news)
	require.Empty(h.t, resp.Failures)
	return resp.Inputs
}

// created is a resource as the engine would record it after a create.
type created struct {
	urn    resource.URN
	id     string
	inputs property.Map // checked inputs
	state  property.Map // outputs
}

// create runs Check, a preview Create and the Create, as the engine does.
func (h *harness) create(typ tokens.Type, name string, news pm) created {
	h.t.Helper()
	inputs := h.checkOK(typ, name, property.Map{}, news)
	urn := urnOf(typ, name)
	_, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs, DryRun: true})
	require.NoError(h.t, err)
	resp, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	require.NoError(h.t, err)
	require.NotEmpty(h.t, resp.ID)
	return created{urn: urn, id: resp.ID, inputs: inputs, state: resp.Properties}
}

// diff runs Check with the recorded inputs as old inputs, then Diff.
func (h *harness) diff(r created, news pm) (property.Map, p.DiffResponse) {
	h.t.Helper()
	inputs := h.checkOK(r.urn.Type(), r.urn.Name(), r.inputs, news)
	resp, err := h.server.Diff(p.DiffRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: inputs, OldInputs: r.inputs})
	require.NoError(h.t, err)
	return inputs, resp
}

// update runs Check, Diff (requiring an in-place update), a preview Update
// and the Update.
func (h *harness) update(r created, news pm) created {
	h.t.Helper()
	inputs, d := h.diff(r, news)
	require.True(h.t, d.HasChanges)
	for prop, pd := range d.DetailedDiff {
		require.NotContainsf(h.t, []p.DiffKind{p.AddReplace, p.DeleteReplace, p.UpdateReplace}, pd.Kind, "%s must update in place", prop)
	}
	req := p.UpdateRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: inputs, OldInputs: r.inputs, DryRun: true}
	_, err := h.server.Update(req)
	require.NoError(h.t, err)
	req.DryRun = false
	resp, err := h.server.Update(req)
	require.NoError(h.t, err)
	return created{urn: r.urn, id: r.id, inputs: inputs, state: resp.Properties}
}

func (h *harness) read(r created) p.ReadResponse {
	h.t.Helper()
	resp, err := h.server.Read(p.ReadRequest{ID: r.id, Urn: r.urn, Properties: r.state, Inputs: r.inputs})
	require.NoError(h.t, err)
	return resp
}

func (h *harness) delete(r created) error {
	h.t.Helper()
	return h.server.Delete(p.DeleteRequest{ID: r.id, Urn: r.urn, Properties: r.state, OldInputs: r.inputs})
}

func (h *harness) describe(secretID string) *sm.DescribeSecretOutput {
	h.t.Helper()
	out, err := h.fake.DescribeSecret(h.t.Context(), &sm.DescribeSecretInput{SecretId: aws.String(secretID)})
	require.NoError(h.t, err)
	return out
}

// failuresOn returns the reasons of the check failures on property.
func failuresOn(resp p.CheckResponse, property string) []string {
	var out []string
	for _, f := range resp.Failures {
		if f.Property == property {
			out = append(out, f.Reason)
		}
	}
	return out
}

// getString returns the string at key, secret or not.
func getString(t *testing.T, m property.Map, key string) string {
	t.Helper()
	v, ok := m.GetOk(key)
	require.Truef(t, ok, "%s is missing from %v", key, m)
	if v.Secret() {
		v = v.WithSecret(false)
	}
	require.Truef(t, v.IsString(), "%s is not a string: %v", key, v)
	return v.AsString()
}

// programTags drops the tags smx keeps for itself (prefix "smx:") from tags
// read from the fake: only the program's tags are compared.
func programTags(tags map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range tags {
		if !strings.HasPrefix(k, "smx:") {
			out[k] = v
		}
	}
	return out
}

func (h *harness) invoke(token string, args pm) (property.Map, error) {
	h.t.Helper()
	resp, err := h.server.Invoke(p.InvokeRequest{Token: tokens.Type(token), Args: property.NewMap(args)})
	if err == nil && len(resp.Failures) > 0 {
		return property.Map{}, fmt.Errorf("invoke failures: %v", resp.Failures)
	}
	return resp.Return, err
}

func (h *harness) invokeOK(token string, args pm) property.Map {
	h.t.Helper()
	out, err := h.invoke(token, args)
	require.NoError(h.t, err)
	return out
}

// createSecretDirectly creates a secret directly in the fake, with a string value.
func (h *harness) createSecretDirectly(name string, in *sm.CreateSecretInput) *sm.CreateSecretOutput {
	h.t.Helper()
	if in == nil {
		in = &sm.CreateSecretInput{}
	}
	in.Name = aws.String(name)
	out, err := h.fake.CreateSecret(h.t.Context(), in)
	require.NoError(h.t, err)
	return out
}

func stringsOf(t *testing.T, v property.Value) []string {
	t.Helper()
	require.Truef(t, v.IsArray(), "not a list: %v", v)
	out := []string{}
	for _, e := range v.AsArray().All {
		require.True(t, e.IsString())
		out = append(out, e.AsString())
	}
	return out
}

func requireNotSecret(t *testing.T, m property.Map, keys ...string) {
	t.Helper()
	for _, key := range keys {
		v, ok := m.GetOk(key)
		require.Truef(t, ok, "%s is missing", key)
		assert.Falsef(t, v.Secret(), "%s carries no secret value and must not be marked secret", key)
	}
}

// requireRFC3339 checks a date output: RFC 3339, in UTC.
func requireRFC3339(t *testing.T, s string) {
	t.Helper()
	when, err := time.Parse(time.RFC3339, s)
	require.NoErrorf(t, err, "%q is not RFC 3339", s)
	assert.Equal(t, time.UTC, when.Location())
}

func emptyIfNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// pmWith is a copy of in with key set to v.
func pmWith(in pm, key string, v property.Value) pm {
	out := pm{key: v}
	for k, e := range in {
		if k != key {
			out[k] = e
		}
	}
	return out
}

func object(rules pm) property.Value { return property.New(rules) }

func boolean(b bool) property.Value { return property.New(b) }

// requireSecret asserts that key is present in m, known, marked secret, and
// (when want is not empty) holds want.
func requireSecret(t *testing.T, m property.Map, key, want string) {
	t.Helper()
	v, ok := m.GetOk(key)
	require.Truef(t, ok, "%s is missing", key)
	assert.Truef(t, v.Secret(), "%s must be marked secret", key)
	if want != "" {
		require.Truef(t, v.IsString(), "%s is not a string: %v", key, v)
		assert.Equal(t, want, v.AsString())
	}
}

func stagesValue(t *testing.T, m property.Map) []string {
	t.Helper()
	v := m.Get("versionStages")
	require.Truef(t, v.IsArray(), "versionStages is not a list: %v", v)
	var out []string
	for _, s := range v.AsArray().All {
		out = append(out, s.AsString())
	}
	slices.Sort(out)
	return out
}

// replica is one element of `replicas`; kmsKeyID "" leaves the key unset.
func replica(region, kmsKeyID string) property.Value {
	m := pm{"region": str(region)}
	if kmsKeyID != "" {
		m["kmsKeyId"] = str(kmsKeyID)
	}
	return property.New(m)
}

func replicaList(replicas ...property.Value) property.Value {
	if replicas == nil {
		replicas = []property.Value{}
	}
	return property.New(replicas)
}

// recordedReplica is a replica as recorded in state.
type recordedReplica struct {
	Region, KmsKeyID, Status, StatusMessage string
}

// replicasIn returns the replicas recorded in m (state or inputs).
func replicasIn(t *testing.T, m property.Map) []recordedReplica {
	t.Helper()
	v, ok := m.GetOk("replicas")
	if !ok || v.IsNull() {
		return nil
	}
	require.Truef(t, v.IsArray(), "replicas is not a list: %#v", v)
	var out []recordedReplica
	for _, e := range v.AsArray().All {
		require.Truef(t, e.IsMap(), "a replica is not an object: %#v", e)
		r := e.AsMap()
		field := func(key string) string {
			if f, ok := r.GetOk(key); ok && f.IsString() {
				return f.AsString()
			}
			return ""
		}
		out = append(out, recordedReplica{
			Region: field("region"), KmsKeyID: field("kmsKeyId"), Status: field("status"), StatusMessage: field("statusMessage"),
		})
	}
	return out
}

func regionsOf(replicas []recordedReplica) []string {
	var out []string
	for _, r := range replicas {
		out = append(out, r.Region)
	}
	return out
}

// createRaw runs Check, the preview Create and the Create, as the engine
// does, and returns the Create's answer as is (for failures h.create cannot
// express).
func (h *harness) createRaw(name string, news pm) (property.Map, p.CreateResponse, error) {
	h.t.Helper()
	inputs := h.checkOK(secretType, name, property.Map{}, news)
	urn := urnOf(secretType, name)
	_, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs, DryRun: true})
	require.NoError(h.t, err, "preview")
	resp, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	return inputs, resp, err
}

// updateRaw runs Check and Diff (requiring a change) and the Update, and
// returns the Update's answer as is.
func (h *harness) updateRaw(r created, news pm) (property.Map, p.UpdateResponse, error) {
	h.t.Helper()
	inputs, d := h.diff(r, news)
	require.True(h.t, d.HasChanges)
	resp, err := h.server.Update(p.UpdateRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: inputs, OldInputs: r.inputs})
	return inputs, resp, err
}

// policyDoc is a resource policy as a program would write it: indented, with
// a two-element Action list and a one-element Statement list.
const policyDoc = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AppReads",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"},
      "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      "Resource": "*"
    }
  ]
}`

// oneActionPolicyDoc has a one-element Action array, which fakesm (like AWS)
// stores rewritten as a plain string.
const oneActionPolicyDoc = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::123456789012:role/app"},
      "Action": ["secretsmanager:GetSecretValue"],
      "Resource": "*"
    }
  ]
}`

// otherPolicyDoc means something else than policyDoc.
const otherPolicyDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:DeleteSecret","Resource":"*"}]}`

// requireInitFailed asserts that err is pulumi-go-provider's "created (or
// updated) but failed to initialize" answer, which makes the engine keep the
// resource with the returned state, and returns the reasons it gives.
func requireInitFailed(t *testing.T, err error, partial *p.InitializationFailed) string {
	t.Helper()
	require.Error(t, err)
	var initFailed infer.ResourceInitFailedError
	require.Truef(t, errors.As(err, &initFailed), "want infer.ResourceInitFailedError (resource kept in state), got %T: %v", err, err)
	require.NotNil(t, partial, "the response carries the partial state")
	return strings.Join(partial.Reasons, "\n")
}

// requireNoChange runs Check and Diff for r with news, as a preview does,
// and requires that they plan nothing and call AWS not at all, in any
// region; why says what makes it no change. It counts the calls the Diff
// makes without resetting the fakes, so a test's own count of what came
// before still holds.
func (h *harness) requireNoChange(r created, news pm, why ...string) {
	h.t.Helper()
	before := h.callsInEveryRegion()
	_, d := h.diff(r, news)
	assert.False(h.t, d.HasChanges, "%s: %v", strings.Join(why, "; "), d.DetailedDiff)
	assert.Empty(h.t, d.DetailedDiff, strings.Join(why, "; "))
	assert.Equal(h.t, before, h.callsInEveryRegion(), "a preview with no change calls AWS")
}

// callsInEveryRegion counts the calls of each operation, summed over the
// provider's region and the others.
func (h *harness) callsInEveryRegion() map[string]int {
	calls := h.fake.Calls()
	for _, other := range h.otherRegions {
		for op, n := range other.Calls() {
			calls[op] += n
		}
	}
	return calls
}
