package secretsmanager_test

// Tests of Secret's policy, replicas, restore-and-adopt and same-name
// replacement behaviour (docs/secretsmanager.md, sections 1–3), through the
// real provider served in process against fakesm.

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// ---------------------------------------------------------------------------
// Fixtures

// prPolicy is a resource policy as a program would write it: indented, with
// a two-element Action list and a one-element Statement list.
const prPolicy = `{
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

// prPolicyOneAction has a one-element Action array, which fakesm (like AWS)
// stores rewritten as a plain string.
const prPolicyOneAction = `{
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

// prPolicyOther means something else than prPolicy.
const prPolicyOther = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"secretsmanager:DeleteSecret","Resource":"*"}]}`

// prReplica is one element of `replicas`; kmsKeyID "" leaves the key unset.
func prReplica(region, kmsKeyID string) property.Value {
	m := pm{"region": str(region)}
	if kmsKeyID != "" {
		m["kmsKeyId"] = str(kmsKeyID)
	}
	return property.New(m)
}

func prReplicas(replicas ...property.Value) property.Value {
	if replicas == nil {
		replicas = []property.Value{}
	}
	return property.New(replicas)
}

// prReplicaOut is a replica as recorded in state.
type prReplicaOut struct {
	Region, KmsKeyID, Status, StatusMessage string
}

// prReplicasIn returns the replicas recorded in m (state or inputs).
func prReplicasIn(t *testing.T, m property.Map) []prReplicaOut {
	t.Helper()
	v, ok := m.GetOk("replicas")
	if !ok || v.IsNull() {
		return nil
	}
	require.Truef(t, v.IsArray(), "replicas is not a list: %#v", v)
	var out []prReplicaOut
	for _, e := range v.AsArray().All {
		require.Truef(t, e.IsMap(), "a replica is not an object: %#v", e)
		r := e.AsMap()
		field := func(key string) string {
			if f, ok := r.GetOk(key); ok && f.IsString() {
				return f.AsString()
			}
			return ""
		}
		out = append(out, prReplicaOut{
			Region: field("region"), KmsKeyID: field("kmsKeyId"), Status: field("status"), StatusMessage: field("statusMessage"),
		})
	}
	return out
}

// prUserTags drops the tags smx keeps for itself (prefix "smx:") from tags
// read from the fake: only the program's tags are compared.
func prUserTags(tags map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range tags {
		if !strings.HasPrefix(k, "smx:") {
			out[k] = v
		}
	}
	return out
}

func prRegions(replicas []prReplicaOut) []string {
	var out []string
	for _, r := range replicas {
		out = append(out, r.Region)
	}
	return out
}

// prCreateRaw runs Check, the preview Create and the Create, as the engine
// does, and returns the Create's answer as is (for failures h.create cannot
// express).
func (h *harness) prCreateRaw(name string, news pm) (property.Map, p.CreateResponse, error) {
	h.t.Helper()
	inputs := h.checkOK(secretType, name, property.Map{}, news)
	urn := urnOf(secretType, name)
	_, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs, DryRun: true})
	require.NoError(h.t, err, "preview")
	resp, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	return inputs, resp, err
}

// prUpdateRaw runs Check and Diff (requiring a change) and the Update, and
// returns the Update's answer as is.
func (h *harness) prUpdateRaw(r created, news pm) (property.Map, p.UpdateResponse, error) {
	h.t.Helper()
	inputs, d := h.diff(r, news)
	require.True(h.t, d.HasChanges)
	resp, err := h.server.Update(p.UpdateRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: inputs, OldInputs: r.inputs})
	return inputs, resp, err
}

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

// ---------------------------------------------------------------------------
// Check

func TestSecretCheckPolicy(t *testing.T) {
	h := newHarness(t)
	for _, policy := range []string{prPolicy, prPolicyOneAction, prPolicyOther, `{}`} {
		resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "policy": str(policy)})
		assert.Emptyf(t, resp.Failures, "%s", policy)
	}

	huge := `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("a", 20480) + `","Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}`
	for name, tc := range map[string]struct {
		policy string
		reason []string // words the reason must contain, saying what is allowed
	}{
		"malformed JSON":  {`{"Version": "2012-10-17", "Statement": [`, []string{"JSON", "object"}},
		"not JSON at all": {`allow everyone`, []string{"JSON", "object"}},
		"a JSON array":    {`[{"Effect": "Allow"}]`, []string{"JSON", "object"}},
		"a JSON string":   {`"{}"`, []string{"JSON", "object"}},
		"a JSON number":   {`42`, []string{"JSON", "object"}},
		"JSON null":       {`null`, []string{"JSON", "object"}},
		"too long":        {huge, []string{"20480"}},
	} {
		t.Run(name, func(t *testing.T) {
			resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "policy": str(tc.policy)})
			reasons := failuresOn(resp, "policy")
			require.NotEmptyf(t, reasons, "policy %.60q must be rejected on property \"policy\"; failures: %v", tc.policy, resp.Failures)
			for _, word := range tc.reason {
				assert.Contains(t, strings.Join(reasons, "; "), word, "the reason says what is allowed")
			}
		})
	}
	assert.Zero(t, h.fake.TotalCalls(), "Check makes no API call")
}

func TestSecretCheckReplicas(t *testing.T) {
	h := newHarness(t)
	ok := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "replicas": prReplicas(
		prReplica("us-west-2", ""),
		prReplica("eu-west-1", "alias/eu"),
		prReplica("us-gov-west-1", "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
		prReplica("ap-southeast-2", "mrk-1234abcd12ab34cd56ef1234567890ab"),
	)})
	assert.Empty(t, ok.Failures)
	assert.Empty(t, h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "replicas": prReplicas()}).Failures,
		"an empty list is valid: no replicas")

	for name, tc := range map[string]struct {
		replicas property.Value
		prop     string
		reason   string
	}{
		"region mars":       {prReplicas(prReplica("mars", "")), "replicas[0].region", "AWS region"},
		"region upper case": {prReplicas(prReplica("us-west-2", ""), prReplica("US-EAST-1", "")), "replicas[1].region", "AWS region"},
		"region empty":      {prReplicas(prReplica("", "")), "replicas[0].region", "AWS region"},
		"region twice":      {prReplicas(prReplica("eu-west-1", ""), prReplica("eu-west-1", "alias/x")), "replicas[1].region", "eu-west-1"},
		"bad kms key":       {prReplicas(prReplica("us-west-2", ""), prReplica("eu-west-1", "my key")), "replicas[1].kmsKeyId", "alias/"},
		"empty kms key":     {prReplicas(property.New(pm{"region": str("us-west-2"), "kmsKeyId": str("")})), "replicas[0].kmsKeyId", "default key"},
	} {
		t.Run(name, func(t *testing.T) {
			resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "replicas": tc.replicas})
			reasons := failuresOn(resp, tc.prop)
			require.NotEmptyf(t, reasons, "want a failure on %s, got %v", tc.prop, resp.Failures)
			assert.Contains(t, strings.Join(reasons, "; "), tc.reason)
		})
	}
	assert.Zero(t, h.fake.TotalCalls(), "Check makes no API call")
}

// Values that depend on other resources are unknown during a preview: they
// are validated later, never as if they were empty or malformed.
func TestSecretCheckUnknownPolicyAndReplicas(t *testing.T) {
	h := newHarness(t)
	for name, news := range map[string]pm{
		"policy":          {"name": str("app/db"), "policy": computed()},
		"replicas":        {"name": str("app/db"), "replicas": computed()},
		"replica":         {"name": str("app/db"), "replicas": property.New([]property.Value{computed()})},
		"replica region":  {"name": str("app/db"), "replicas": prReplicas(property.New(pm{"region": computed()}))},
		"replica kms key": {"name": str("app/db"), "replicas": prReplicas(property.New(pm{"region": str("us-west-2"), "kmsKeyId": computed()}))},
	} {
		t.Run(name, func(t *testing.T) {
			resp := h.check(secretType, "secret", property.Map{}, news)
			assert.Empty(t, resp.Failures)
		})
	}
	resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "policy": computed()})
	assert.True(t, resp.Inputs.Get("policy").IsComputed(), "an unknown policy stays unknown")
}

// ---------------------------------------------------------------------------
// Diff

// AWS rewrites the policies it stores; equivalent documents must not show a
// change, and a preview that shows none makes no API call.
func TestSecretDiffPolicyEquivalentIsNoChange(t *testing.T) {
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "policy": str(prPolicy)})
	for name, policy := range map[string]string{
		"same text":  prPolicy,
		"whitespace": `{"Version":"2012-10-17","Statement":[{"Sid":"AppReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"*"}]}`,
		"key order": `{"Statement":[{"Resource":"*","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],
			"Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Effect":"Allow","Sid":"AppReads"}],"Version":"2012-10-17"}`,
		"one-element arrays": `{"Version":"2012-10-17","Statement":{"Sid":"AppReads","Effect":"Allow",
			"Principal":{"AWS":["arn:aws:iam::123456789012:role/app"]},"Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":["*"]}}`,
		"array order": `{"Version":"2012-10-17","Statement":[{"Sid":"AppReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},
			"Action":["secretsmanager:DescribeSecret","secretsmanager:GetSecretValue"],"Resource":"*"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, d := h.diff(r, pm{"name": str("app/db"), "policy": str(policy)})
			assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
			assert.Empty(t, d.DetailedDiff)
			assert.Zero(t, h.fake.TotalCalls(), "a preview with no changes makes no API call")
		})
	}

	for name, policy := range map[string]string{
		"other effect":  strings.Replace(prPolicy, `"Allow"`, `"Deny"`, 1),
		"fewer actions": strings.Replace(prPolicy, `, "secretsmanager:DescribeSecret"`, "", 1),
		"other policy":  prPolicyOther,
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, d := h.diff(r, pm{"name": str("app/db"), "policy": str(policy)})
			assert.True(t, d.HasChanges)
			assert.Equal(t, map[string]p.PropertyDiff{"policy": {Kind: p.Update, InputDiff: true}}, d.DetailedDiff)
			assert.Zero(t, h.fake.TotalCalls())
		})
	}
	_, d := h.diff(r, pm{"name": str("app/db"), "policy": str("")})
	assert.Equal(t, map[string]p.PropertyDiff{"policy": {Kind: p.Update, InputDiff: true}}, d.DetailedDiff, "an empty policy deletes it")
	_, d = h.diff(r, pm{"name": str("app/db")})
	assert.False(t, d.HasChanges, "an unset policy is no opinion (pulumi-aws: optional and computed): %v", d.DetailedDiff)
}

func TestSecretDiffReplicas(t *testing.T) {
	h := newHarness(t)
	one := prReplicas(prReplica("us-west-2", "alias/west"))
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "replicas": one})
	two := h.create(secretType, "two", pm{"name": str("app/two"), "replicas": prReplicas(prReplica("us-west-2", "alias/west"), prReplica("eu-west-1", "alias/eu"))})

	for _, tc := range []struct {
		name string
		r    created
		news pm
	}{
		{"adding one", r, pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-west-2", "alias/west"), prReplica("eu-west-1", ""))}},
		{"removing one", two, pm{"name": str("app/two"), "replicas": prReplicas(prReplica("eu-west-1", "alias/eu"))}},
		{"removing all: empty list", r, pm{"name": str("app/db"), "replicas": prReplicas()}},
		{"removing all: absent", r, pm{"name": str("app/db")}},
		{"changing the kms key", r, pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-west-2", "alias/other"))}},
		{"dropping the kms key", r, pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-west-2", ""))}},
		{"another region", r, pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-east-2", "alias/west"))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, d := h.diff(tc.r, tc.news)
			assert.True(t, d.HasChanges)
			assert.Equal(t, map[string]p.PropertyDiff{"replicas": {Kind: p.Update, InputDiff: true}}, d.DetailedDiff)
			assert.Zero(t, h.fake.TotalCalls())
		})
	}

	// The state carries AWS's status fields; they are not the program's and
	// never show as a change. Order does not matter either.
	replicas := prReplicasIn(t, two.state)
	require.Len(t, replicas, 2)
	assert.Equal(t, "InSync", replicas[0].Status)
	assert.Equal(t, fakesm.ReplicationSucceeded, replicas[0].StatusMessage)
	for name, news := range map[string]pm{
		"same":      {"name": str("app/two"), "replicas": prReplicas(prReplica("us-west-2", "alias/west"), prReplica("eu-west-1", "alias/eu"))},
		"reordered": {"name": str("app/two"), "replicas": prReplicas(prReplica("eu-west-1", "alias/eu"), prReplica("us-west-2", "alias/west"))},
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, d := h.diff(two, news)
			assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
			assert.Zero(t, h.fake.TotalCalls())
		})
	}
}

// A replica without a kmsKeyId uses the region's aws/secretsmanager key,
// which AWS (and fakesm) reports in ReplicationStatus as
// "alias/aws/secretsmanager". The unchanged program must show no change —
// otherwise every `pulumi up` removes and re-creates the replica.
func TestSecretDiffReplicaWithDefaultKeyIsNoChange(t *testing.T) {
	h := newHarness(t)
	news := pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-west-2", ""))}
	r := h.create(secretType, "secret", news)

	h.fake.ResetCalls()
	_, d := h.diff(r, news)
	assert.False(t, d.HasChanges, "unchanged program after create: %v (state replicas: %+v)", d.DetailedDiff, prReplicasIn(t, r.state))
	assert.Zero(t, h.fake.TotalCalls())

	// The same after a refresh.
	resp := h.read(r)
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d = h.diff(refreshed, news)
	assert.False(t, d.HasChanges, "unchanged program after refresh: %v (state replicas: %+v)", d.DetailedDiff, prReplicasIn(t, resp.Properties))
}

// ---------------------------------------------------------------------------
// Create

func TestSecretCreateWithPolicy(t *testing.T) {
	h := newHarness(t)
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "policy": str(prPolicyOneAction)})
	urn := urnOf(secretType, "secret")

	_, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs, DryRun: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "the preview's single name look-up")

	h.fake.ResetCalls()
	resp, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	require.NoError(t, err)
	assert.Nil(t, resp.PartialState)
	assert.Equal(t, map[string]int{fakesm.OpCreateSecret: 1, fakesm.OpPutResourcePolicy: 1}, h.fake.Calls())

	put := h.fake.Requests(fakesm.OpPutResourcePolicy)[0].(*sm.PutResourcePolicyInput)
	assert.Equal(t, resp.ID, aws.ToString(put.SecretId), "the policy is attached by ARN")
	assert.Equal(t, prPolicyOneAction, aws.ToString(put.ResourcePolicy))
	snap, ok := h.fake.Snapshot("app/db")
	require.True(t, ok)
	assert.NotEmpty(t, snap.ResourcePolicy)
	assert.Equal(t, prPolicyOneAction, getString(t, resp.Properties, "policy"), "state keeps the program's text")
}

func TestSecretCreateWithReplicas(t *testing.T) {
	h := newHarness(t)
	_, resp, err := h.prCreateRaw("secret", pm{"name": str("app/db"), "replicas": prReplicas(
		prReplica("us-west-2", ""), prReplica("eu-west-1", "alias/eu"),
	)})
	require.NoError(t, err)
	calls := h.fake.Calls()
	delete(calls, fakesm.OpDescribeSecret) // the preview's name look-up
	assert.Equal(t, map[string]int{fakesm.OpCreateSecret: 1}, calls, "replicas travel in the CreateSecret call")

	in := h.fake.Requests(fakesm.OpCreateSecret)[0].(*sm.CreateSecretInput)
	assert.Equal(t, []types.ReplicaRegionType{
		{Region: aws.String("us-west-2")},
		{Region: aws.String("eu-west-1"), KmsKeyId: aws.String("alias/eu")},
	}, in.AddReplicaRegions)
	assert.False(t, in.ForceOverwriteReplicaSecret)

	replicas := prReplicasIn(t, resp.Properties)
	require.Len(t, replicas, 2)
	assert.Equal(t, []string{"us-west-2", "eu-west-1"}, prRegions(replicas), "in the program's order")
	for _, r := range replicas {
		assert.Equalf(t, "InSync", r.Status, "%s", r.Region)
		assert.Equalf(t, fakesm.ReplicationSucceeded, r.StatusMessage, "%s", r.Region)
	}
	assert.Equal(t, "alias/eu", replicas[1].KmsKeyID)
	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, []string{"us-west-2", "eu-west-1"}, snap.ReplicaRegions)
}

// A replica AWS reports Failed is an error, not a success — but the secret
// exists, so it stays in state (with its ID) for the next `pulumi up`.
func TestSecretCreateFailedReplicaIsAnError(t *testing.T) {
	h := newHarness(t)
	h.fake.SetNameTakenInRegion("eu-west-1", "app/db")
	_, resp, err := h.prCreateRaw("secret", pm{"name": str("app/db"), "replicas": prReplicas(
		prReplica("us-west-2", ""), prReplica("eu-west-1", ""),
	)})
	reasons := requireInitFailed(t, err, resp.PartialState)
	assert.Contains(t, reasons, "eu-west-1", "the error names the failed region")
	assert.Contains(t, reasons, fakesm.NameTakenInRegion, "and AWS's reason")
	assert.NotContains(t, reasons, "us-west-2", "the replica that succeeded is not reported")

	snap, ok := h.fake.Snapshot("app/db")
	require.True(t, ok)
	assert.Equal(t, snap.ARN, resp.ID, "the response still carries the ID: the secret is kept in state")
	assert.Equal(t, snap.ARN, getString(t, resp.Properties, "arn"))
	replicas := prReplicasIn(t, resp.Properties)
	require.Len(t, replicas, 2)
	assert.Equal(t, "Failed", replicas[1].Status)

	// forceOverwriteReplicaSecret replaces the other region's secret.
	h.fake.SetNameTakenInRegion("eu-west-1", "app/forced")
	r := h.create(secretType, "forced", pm{"name": str("app/forced"), "forceOverwriteReplicaSecret": property.New(true),
		"replicas": prReplicas(prReplica("eu-west-1", ""))})
	assert.True(t, h.fake.Requests(fakesm.OpCreateSecret)[1].(*sm.CreateSecretInput).ForceOverwriteReplicaSecret)
	assert.Equal(t, "InSync", prReplicasIn(t, r.state)[0].Status)
}

// A replica can also fail after it was added (SetReplicaStatus): refresh
// reports it, status fields are not a change, and an update never reports
// success while a replica it leaves in place is Failed — it either repairs
// the replica or fails naming it.
func TestSecretReplicaFailedLaterIsReported(t *testing.T) {
	h := newHarness(t)
	news := pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-west-2", "alias/west"))}
	r := h.create(secretType, "secret", news)
	require.NoError(t, h.fake.SetReplicaStatus("app/db", "us-west-2", "Failed", "KMS key is disabled"))

	resp := h.read(r)
	replicas := prReplicasIn(t, resp.Properties)
	require.Len(t, replicas, 1)
	assert.Equal(t, "Failed", replicas[0].Status)
	assert.Equal(t, "KMS key is disabled", replicas[0].StatusMessage)
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.False(t, d.HasChanges, "a status is AWS's, not the program's: %v", d.DetailedDiff)

	_, upd, err := h.prUpdateRaw(refreshed, pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-west-2", "alias/west"), prReplica("eu-west-1", ""))})
	if err == nil {
		for _, rep := range prReplicasIn(t, upd.Properties) {
			assert.NotEqualf(t, "Failed", rep.Status, "update reported success with %s Failed", rep.Region)
		}
		return
	}
	reasons := requireInitFailed(t, err, upd.PartialState)
	assert.Contains(t, reasons, "us-west-2")
	assert.Contains(t, reasons, "KMS key is disabled")
}

// After a replica failed because its region holds a secret of the same name,
// the way out is forceOverwriteReplicaSecret: true. The next `pulumi up` must
// then actually replicate again (remove the failed replica and add it with
// ForceOverwriteReplicaSecret), not fail forever on the replica it left.
func TestSecretFailedReplicaRecoversWithForceOverwrite(t *testing.T) {
	h := newHarness(t)
	h.fake.SetNameTakenInRegion("eu-west-1", "app/db")
	news := pm{"name": str("app/db"), "replicas": prReplicas(prReplica("eu-west-1", "alias/eu"))}
	inputs, resp, err := h.prCreateRaw("secret", news)
	requireInitFailed(t, err, resp.PartialState)
	r := created{urn: urnOf(secretType, "secret"), id: resp.ID, inputs: inputs, state: resp.Properties}

	news["forceOverwriteReplicaSecret"] = property.New(true)
	h.fake.ResetCalls()
	_, upd, err := h.prUpdateRaw(r, news)
	require.NoError(t, err, "forceOverwriteReplicaSecret: true must repair the failed replica; calls: %v", h.fake.Calls())
	replicas := prReplicasIn(t, upd.Properties)
	require.Len(t, replicas, 1)
	assert.Equal(t, "InSync", replicas[0].Status)
}

func TestSecretCreatePolicyRetriedWhileSecretPropagates(t *testing.T) {
	h := newHarness(t)
	h.fake.FailNext(fakesm.OpPutResourcePolicy, &types.ResourceNotFoundException{
		Message: aws.String("Secrets Manager can't find the specified secret."),
	})
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "policy": str(prPolicy)})
	assert.Equal(t, 2, h.fake.Calls()[fakesm.OpPutResourcePolicy], "retried once, then succeeded")
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpCreateSecret])
	snap, _ := h.fake.Snapshot("app/db")
	assert.NotEmpty(t, snap.ResourcePolicy)
	assert.Equal(t, prPolicy, getString(t, r.state, "policy"))
}

func TestSecretCreatePolicyRetriedWhilePrincipalPropagates(t *testing.T) {
	h := newHarness(t)
	h.fake.FailNext(fakesm.OpPutResourcePolicy, &types.MalformedPolicyDocumentException{
		Message: aws.String("This resource policy contains an unsupported principal."),
	})
	h.create(secretType, "secret", pm{"name": str("app/db"), "policy": str(prPolicy)})
	assert.Equal(t, 2, h.fake.Calls()[fakesm.OpPutResourcePolicy], "a principal IAM does not see yet is retried")
}

func TestSecretCreateMalformedPolicyIsNotRetried(t *testing.T) {
	h := newHarness(t)
	h.fake.FailNext(fakesm.OpPutResourcePolicy, &types.MalformedPolicyDocumentException{
		Message: aws.String("This resource policy contains a syntax error."),
	})
	_, resp, err := h.prCreateRaw("secret", pm{"name": str("app/db"), "policy": str(prPolicy)})
	reasons := requireInitFailed(t, err, resp.PartialState)
	assert.Contains(t, reasons, "syntax error")
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpPutResourcePolicy], "not retried")

	snap, ok := h.fake.Snapshot("app/db")
	require.True(t, ok)
	assert.Equal(t, snap.ARN, resp.ID, "the secret exists and is kept in state")
	assert.Empty(t, snap.ResourcePolicy)
	assert.Equal(t, "", getString(t, resp.Properties, "policy"), "state does not claim the policy that was not attached")
}

// ---------------------------------------------------------------------------
// Update

func TestSecretUpdatePolicy(t *testing.T) {
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "policy": str(prPolicy)})

	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "policy": str(prPolicyOther)})
	assert.Equal(t, map[string]int{fakesm.OpPutResourcePolicy: 1}, h.fake.Calls())
	assert.Equal(t, prPolicyOther, getString(t, r.state, "policy"))
	snap, _ := h.fake.Snapshot("app/db")
	assert.Contains(t, snap.ResourcePolicy, "Deny")

	h.fake.ResetCalls()
	_, d := h.diff(r, pm{"name": str("app/db")})
	assert.False(t, d.HasChanges, "an unset policy is no opinion: %v", d.DetailedDiff)
	assert.Zero(t, h.fake.TotalCalls())

	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "policy": str("")})
	assert.Equal(t, map[string]int{fakesm.OpDeleteResourcePolicy: 1}, h.fake.Calls(), "an empty policy deletes it")
	snap, _ = h.fake.Snapshot("app/db")
	assert.Empty(t, snap.ResourcePolicy)
}

func TestSecretUpdateReplicas(t *testing.T) {
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-west-2", "alias/west"))})

	// Adding one.
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-west-2", "alias/west"), prReplica("eu-west-1", "alias/eu"))})
	assert.Equal(t, map[string]int{fakesm.OpReplicateSecretToRegions: 1}, h.fake.Calls())
	add := h.fake.Requests(fakesm.OpReplicateSecretToRegions)[0].(*sm.ReplicateSecretToRegionsInput)
	assert.Equal(t, []types.ReplicaRegionType{{Region: aws.String("eu-west-1"), KmsKeyId: aws.String("alias/eu")}}, add.AddReplicaRegions,
		"only the new region is sent")
	assert.Equal(t, r.id, aws.ToString(add.SecretId))
	assert.Equal(t, []string{"us-west-2", "eu-west-1"}, prRegions(prReplicasIn(t, r.state)))
	for _, rep := range prReplicasIn(t, r.state) {
		assert.Equal(t, "InSync", rep.Status)
	}

	// Removing one.
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "replicas": prReplicas(prReplica("eu-west-1", "alias/eu"))})
	assert.Equal(t, map[string]int{fakesm.OpRemoveRegionsFromReplication: 1}, h.fake.Calls())
	rm := h.fake.Requests(fakesm.OpRemoveRegionsFromReplication)[0].(*sm.RemoveRegionsFromReplicationInput)
	assert.Equal(t, []string{"us-west-2"}, rm.RemoveReplicaRegions)
	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, []string{"eu-west-1"}, snap.ReplicaRegions)
	assert.Equal(t, []string{"eu-west-1"}, prRegions(prReplicasIn(t, r.state)))

	// Changing a replica's key: AWS cannot re-key a replica, so it is removed
	// and added again (fakesm refuses to add a region that still has one, so
	// success proves the order).
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "replicas": prReplicas(prReplica("eu-west-1", "alias/eu-2"))})
	assert.Equal(t, map[string]int{fakesm.OpRemoveRegionsFromReplication: 1, fakesm.OpReplicateSecretToRegions: 1}, h.fake.Calls())
	assert.Equal(t, []string{"eu-west-1"}, h.fake.Requests(fakesm.OpRemoveRegionsFromReplication)[0].(*sm.RemoveRegionsFromReplicationInput).RemoveReplicaRegions)
	assert.Equal(t, []types.ReplicaRegionType{{Region: aws.String("eu-west-1"), KmsKeyId: aws.String("alias/eu-2")}},
		h.fake.Requests(fakesm.OpReplicateSecretToRegions)[0].(*sm.ReplicateSecretToRegionsInput).AddReplicaRegions)
	status := h.describe("app/db").ReplicationStatus
	require.Len(t, status, 1)
	assert.Equal(t, "alias/eu-2", aws.ToString(status[0].KmsKeyId))
	replicas := prReplicasIn(t, r.state)
	require.Len(t, replicas, 1)
	assert.Equal(t, "alias/eu-2", replicas[0].KmsKeyID)
	assert.Equal(t, "InSync", replicas[0].Status)

	// Removing every replica.
	r = h.update(r, pm{"name": str("app/db"), "replicas": prReplicas(prReplica("eu-west-1", "alias/eu-2"), prReplica("us-east-2", "alias/x"))})
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "replicas": prReplicas()})
	assert.Equal(t, map[string]int{fakesm.OpRemoveRegionsFromReplication: 1}, h.fake.Calls(), "one call for all regions")
	assert.ElementsMatch(t, []string{"eu-west-1", "us-east-2"},
		h.fake.Requests(fakesm.OpRemoveRegionsFromReplication)[0].(*sm.RemoveRegionsFromReplicationInput).RemoveReplicaRegions)
	snap, _ = h.fake.Snapshot("app/db")
	assert.Empty(t, snap.ReplicaRegions)
	assert.Empty(t, prReplicasIn(t, r.state))
	assert.Empty(t, h.describe("app/db").ReplicationStatus)
}

func TestSecretUpdateFailureBeforeAnyChangeIsPlainError(t *testing.T) {
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "description": str("one"), "tags": strMap(map[string]string{"env": "dev"})})
	h.fake.FailNext(fakesm.OpUpdateSecret, &types.InternalServiceError{Message: aws.String("internal failure")})
	h.fake.ResetCalls()
	_, resp, err := h.prUpdateRaw(r, pm{"name": str("app/db"), "description": str("two"), "tags": strMap(map[string]string{"env": "prod"})})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "internal failure", "the cause is reported")
	var initFailed infer.ResourceInitFailedError
	assert.False(t, errors.As(err, &initFailed), "nothing was applied: a plain error, the old state stands")
	assert.Nil(t, resp.PartialState)
	assert.Equal(t, map[string]int{fakesm.OpUpdateSecret: 1}, h.fake.Calls(), "nothing else is attempted")
	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, map[string]string{"env": "dev"}, prUserTags(snap.Tags))
}

func TestSecretUpdateFailureAfterTagsIsPartial(t *testing.T) {
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "policy": str(prPolicy), "tags": strMap(map[string]string{"env": "dev"})})
	h.fake.FailNext(fakesm.OpPutResourcePolicy, &types.InternalServiceError{Message: aws.String("internal failure")})
	h.fake.ResetCalls()
	_, resp, err := h.prUpdateRaw(r, pm{"name": str("app/db"), "policy": str(prPolicyOther), "tags": strMap(map[string]string{"env": "prod"})})
	reasons := requireInitFailed(t, err, resp.PartialState)
	assert.Contains(t, reasons, "internal failure")
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpTagResource], "tags were applied first")

	want := strMap(map[string]string{"env": "prod"})
	assert.Equal(t, want, resp.Properties.Get("tags"), "the partial state records the tags that were applied")
	assert.Equal(t, want, resp.Properties.Get("tagsAll"))
	assert.Equal(t, prPolicy, getString(t, resp.Properties, "policy"), "and the policy that was not")
	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, map[string]string{"env": "prod"}, prUserTags(snap.Tags))
}

// ---------------------------------------------------------------------------
// Read

func TestSecretReadPolicyRewrittenByAWSIsNoDrift(t *testing.T) {
	h := newHarness(t)
	news := pm{"name": str("app/db"), "policy": str(prPolicyOneAction)}
	r := h.create(secretType, "secret", news)
	snap, _ := h.fake.Snapshot("app/db")
	require.NotEqual(t, prPolicyOneAction, snap.ResourcePolicy, "the fake stores the policy rewritten, as AWS does")
	require.Contains(t, snap.ResourcePolicy, `"Action":"secretsmanager:GetSecretValue"`)

	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpGetResourcePolicy: 1}, h.fake.Calls())
	assert.Equal(t, prPolicyOneAction, getString(t, resp.Properties, "policy"), "the program's text, not AWS's")
	assert.Equal(t, prPolicyOneAction, getString(t, resp.Inputs, "policy"))
	assert.Equal(t, r.state, resp.Properties)

	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}

func TestSecretReadPolicyChangedOutOfBand(t *testing.T) {
	h := newHarness(t)
	news := pm{"name": str("app/db"), "policy": str(prPolicy)}
	r := h.create(secretType, "secret", news)
	require.NoError(t, h.fake.SetResourcePolicy("app/db", prPolicyOther))
	snap, _ := h.fake.Snapshot("app/db")

	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpGetResourcePolicy: 1}, h.fake.Calls())
	assert.Equal(t, snap.ResourcePolicy, getString(t, resp.Properties, "policy"), "the drift is visible")
	assert.Equal(t, snap.ResourcePolicy, getString(t, resp.Inputs, "policy"))

	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.Equal(t, map[string]p.PropertyDiff{"policy": {Kind: p.Update, InputDiff: true}}, d.DetailedDiff, "and the way back")

	// A policy removed out of band shows too.
	require.NoError(t, h.fake.SetResourcePolicy("app/db", ""))
	resp = h.read(r)
	assert.Equal(t, "", getString(t, resp.Properties, "policy"))
	assert.Equal(t, "", getString(t, resp.Inputs, "policy"), "the program's opinion stays, so the next refresh reads the policy again")
}

func TestSecretReadReplicasAddedOutOfBand(t *testing.T) {
	h := newHarness(t)
	news := pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-west-2", "alias/west"))}
	r := h.create(secretType, "secret", news)
	_, err := h.fake.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("app/db"), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-west-1"), KmsKeyId: aws.String("alias/eu")}},
	})
	require.NoError(t, err)

	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "no policy in the program: none read")
	replicas := prReplicasIn(t, resp.Properties)
	assert.Equal(t, []string{"us-west-2", "eu-west-1"}, prRegions(replicas), "the program's replica first, then the others")
	require.Len(t, replicas, 2)
	assert.Equal(t, "alias/eu", replicas[1].KmsKeyID)
	assert.Equal(t, "InSync", replicas[1].Status)
	assert.Equal(t, []string{"us-west-2", "eu-west-1"}, prRegions(prReplicasIn(t, resp.Inputs)))

	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.Equal(t, map[string]p.PropertyDiff{"replicas": {Kind: p.Update, InputDiff: true}}, d.DetailedDiff)
}

// ---------------------------------------------------------------------------
// Delete

func TestSecretDeleteRemovesReplicasFirst(t *testing.T) {
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "replicas": prReplicas(prReplica("us-west-2", ""), prReplica("eu-west-1", "alias/eu"))})
	h.fake.ResetCalls()
	require.NoError(t, h.delete(r))
	assert.Equal(t, map[string]int{fakesm.OpRemoveRegionsFromReplication: 1, fakesm.OpDeleteSecret: 1}, h.fake.Calls(),
		"replicas removed in one call, then the secret deleted (fakesm refuses the other order)")
	assert.ElementsMatch(t, []string{"us-west-2", "eu-west-1"},
		h.fake.Requests(fakesm.OpRemoveRegionsFromReplication)[0].(*sm.RemoveRegionsFromReplicationInput).RemoveReplicaRegions)
	assert.NotNil(t, h.describe(r.id).DeletedDate, "deletion is scheduled")
}

func TestSecretDeleteRemovesReplicasAddedOutOfBand(t *testing.T) {
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db")})
	_, err := h.fake.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("app/db"), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-west-1")}, {Region: aws.String("us-west-2")}},
	})
	require.NoError(t, err)

	h.fake.ResetCalls()
	require.NoError(t, h.delete(r))
	assert.Equal(t, map[string]int{
		fakesm.OpDeleteSecret:                 2, // refused, then accepted
		fakesm.OpDescribeSecret:               1, // finds the replicas
		fakesm.OpRemoveRegionsFromReplication: 1,
	}, h.fake.Calls())
	assert.ElementsMatch(t, []string{"eu-west-1", "us-west-2"},
		h.fake.Requests(fakesm.OpRemoveRegionsFromReplication)[0].(*sm.RemoveRegionsFromReplicationInput).RemoveReplicaRegions)
	assert.NotNil(t, h.describe(r.id).DeletedDate)

	// State knows one replica, AWS holds another one too.
	r = h.create(secretType, "mixed", pm{"name": str("app/mixed"), "replicas": prReplicas(prReplica("us-west-2", "alias/west"))})
	_, err = h.fake.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("app/mixed"), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-west-1")}},
	})
	require.NoError(t, err)
	require.NoError(t, h.delete(r))
	assert.NotNil(t, h.describe(r.id).DeletedDate)
}

// ---------------------------------------------------------------------------
// Names scheduled for deletion, and names taken

// prScheduledSecret makes a secret outside Pulumi, with a value, a
// description and tags, and schedules its deletion, as `pulumi destroy` of
// an earlier stack would.
func (h *harness) prScheduledSecret(name string) (arn, versionID string) {
	h.t.Helper()
	out, err := h.fake.CreateSecret(h.t.Context(), &sm.CreateSecretInput{
		Name: aws.String(name), Description: aws.String("old description"), SecretString: aws.String("old-value"),
		Tags: []types.Tag{{Key: aws.String("old"), Value: aws.String("1")}},
	})
	require.NoError(h.t, err)
	_, err = h.fake.DeleteSecret(h.t.Context(), &sm.DeleteSecretInput{SecretId: out.ARN})
	require.NoError(h.t, err)
	h.fake.ResetCalls()
	return aws.ToString(out.ARN), aws.ToString(out.VersionId)
}

func TestSecretPreviewNameScheduledForDeletion(t *testing.T) {
	h := newHarness(t)
	h.prScheduledSecret("app/db")
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db")})
	_, err := h.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs, DryRun: true})
	require.Error(t, err, "the preview already fails")
	assert.Contains(t, err.Error(), "scheduled for deletion")
	assert.Contains(t, err.Error(), "restoreIfScheduledForDeletion", "and says how to proceed")
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "one look-up, nothing changed")
}

func TestSecretRestoreIfScheduledForDeletion(t *testing.T) {
	h := newHarness(t)
	oldARN, oldVersion := h.prScheduledSecret("app/db")
	news := pm{
		"name": str("app/db"), "description": str("new description"), "tags": strMap(map[string]string{"env": "prod"}),
		"restoreIfScheduledForDeletion": property.New(true),
	}
	r := h.create(secretType, "secret", news)

	assert.Equal(t, oldARN, r.id, "the old secret is adopted: same ARN")
	assert.Equal(t, oldARN, getString(t, r.state, "arn"))
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpRestoreSecret])
	snap, ok := h.fake.Snapshot("app/db")
	require.True(t, ok)
	assert.Nil(t, snap.DeletedDate, "restored")
	assert.Equal(t, "new description", snap.Description, "brought to the program's description")
	assert.Equal(t, map[string]string{"env": "prod"}, prUserTags(snap.Tags), "and tags")
	assert.Equal(t, "new description", getString(t, r.state, "description"))
	assert.Equal(t, strMap(map[string]string{"env": "prod"}), r.state.Get("tags"))
	assert.Equal(t, strMap(map[string]string{"env": "prod"}), r.state.Get("tagsAll"))

	got, err := h.fake.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(oldARN)})
	require.NoError(t, err, "its versions are still readable")
	assert.Equal(t, "old-value", aws.ToString(got.SecretString))
	assert.Equal(t, oldVersion, aws.ToString(got.VersionId))

	h.fake.ResetCalls()
	_, d := h.diff(r, news)
	assert.False(t, d.HasChanges, "the adopted secret matches the program: %v", d.DetailedDiff)
	assert.Zero(t, h.fake.TotalCalls())
}

// A same-name replacement within one `pulumi up`: the engine deletes the old
// secret (default 30-day window), then creates the new one under the same
// name. The provider finishes the deletion it started and creates anew.
func TestSecretSameNameReplacementWithinOneRun(t *testing.T) {
	h := newHarness(t)
	old := h.create(secretType, "secret", pm{"name": str("x")})
	require.NoError(t, h.delete(old))
	require.NotNil(t, h.describe("x").DeletedDate, "scheduled for deletion, 30-day window")

	h.fake.ResetCalls()
	replacement := h.create(secretType, "secret", pm{"name": str("x")})
	assert.NotEqual(t, old.id, replacement.id, "a new secret")
	assert.Zero(t, h.fake.Calls()[fakesm.OpRestoreSecret], "not a restore")
	assert.Equal(t, 1, h.fake.Len(), "the fake holds one secret named x")
	snap, ok := h.fake.Snapshot("x")
	require.True(t, ok)
	assert.Nil(t, snap.DeletedDate, "and it is live")
	assert.Equal(t, replacement.id, snap.ARN)
}

func TestSecretCreateLiveNameTakenSaysImport(t *testing.T) {
	h := newHarness(t)
	_, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("app/db")})
	require.NoError(t, err)
	inputs := h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db")})
	urn := urnOf(secretType, "secret")
	_, err = h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs, DryRun: true})
	require.NoError(t, err, "a live secret may be the one this update replaces: the preview does not fail")
	resp, err := h.server.Create(p.CreateRequest{Urn: urn, Properties: inputs})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pulumi import")
	assert.Contains(t, err.Error(), "app/db")
	assert.Empty(t, resp.ID, "nothing was created, nothing is kept in state")
	assert.Equal(t, 1, h.fake.Len())
}
