package secretsmanager_test

// Tests of a Secret's replicas: check, diff, create, update, refresh and
// delete.

import (
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

func TestSecretCheckReplicas(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ok := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "replicas": replicaList(
		replica("us-west-2", ""),
		replica("eu-west-1", "alias/eu"),
		replica("us-gov-west-1", "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
		replica("ap-southeast-2", "mrk-1234abcd12ab34cd56ef1234567890ab"),
	)})
	assert.Empty(t, ok.Failures)
	assert.Empty(t, h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "replicas": replicaList()}).Failures,
		"an empty list is valid: no replicas")

	for name, tc := range map[string]struct {
		replicas property.Value
		prop     string
		reason   string
	}{
		"region mars":       {replicaList(replica("mars", "")), "replicas[0].region", "AWS region"},
		"region upper case": {replicaList(replica("us-west-2", ""), replica("US-EAST-1", "")), "replicas[1].region", "AWS region"},
		"region empty":      {replicaList(replica("", "")), "replicas[0].region", "AWS region"},
		"region twice":      {replicaList(replica("eu-west-1", ""), replica("eu-west-1", "alias/x")), "replicas[1].region", "eu-west-1"},
		"bad kms key":       {replicaList(replica("us-west-2", ""), replica("eu-west-1", "my key")), "replicas[1].kmsKeyId", "alias/"},
		"empty kms key":     {replicaList(property.New(pm{"region": str("us-west-2"), "kmsKeyId": str("")})), "replicas[0].kmsKeyId", "default key"},
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
	t.Parallel()
	h := newHarness(t)
	for name, news := range map[string]pm{
		"policy":          {"name": str("app/db"), "policy": computed()},
		"replicas":        {"name": str("app/db"), "replicas": computed()},
		"replica":         {"name": str("app/db"), "replicas": property.New([]property.Value{computed()})},
		"replica region":  {"name": str("app/db"), "replicas": replicaList(property.New(pm{"region": computed()}))},
		"replica kms key": {"name": str("app/db"), "replicas": replicaList(property.New(pm{"region": str("us-west-2"), "kmsKeyId": computed()}))},
	} {
		t.Run(name, func(t *testing.T) {
			resp := h.check(secretType, "secret", property.Map{}, news)
			assert.Empty(t, resp.Failures)
		})
	}
	resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "policy": computed()})
	assert.True(t, resp.Inputs.Get("policy").IsComputed(), "an unknown policy stays unknown")
}

func TestSecretDiffReplicas(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	one := replicaList(replica("us-west-2", "alias/west"))
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "replicas": one})
	two := h.create(secretType, "two", pm{"name": str("app/two"), "replicas": replicaList(replica("us-west-2", "alias/west"), replica("eu-west-1", "alias/eu"))})

	for _, tc := range []struct {
		name string
		r    created
		news pm
	}{
		{"adding one", r, pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", "alias/west"), replica("eu-west-1", ""))}},
		{"removing one", two, pm{"name": str("app/two"), "replicas": replicaList(replica("eu-west-1", "alias/eu"))}},
		{"removing all: empty list", r, pm{"name": str("app/db"), "replicas": replicaList()}},
		{"removing all: absent", r, pm{"name": str("app/db")}},
		{"changing the kms key", r, pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", "alias/other"))}},
		{"dropping the kms key", r, pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", ""))}},
		{"another region", r, pm{"name": str("app/db"), "replicas": replicaList(replica("us-east-2", "alias/west"))}},
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
	replicas := replicasIn(t, two.state)
	require.Len(t, replicas, 2)
	assert.Equal(t, "InSync", replicas[0].Status)
	assert.Equal(t, fakesm.ReplicationSucceeded, replicas[0].StatusMessage)
	for name, news := range map[string]pm{
		"same":      {"name": str("app/two"), "replicas": replicaList(replica("us-west-2", "alias/west"), replica("eu-west-1", "alias/eu"))},
		"reordered": {"name": str("app/two"), "replicas": replicaList(replica("eu-west-1", "alias/eu"), replica("us-west-2", "alias/west"))},
	} {
		h.requireNoChange(two, news, name)
	}
}

// A replica without a kmsKeyId uses the region's aws/secretsmanager key,
// which AWS (and fakesm) reports in ReplicationStatus as
// "alias/aws/secretsmanager". The unchanged program must show no change —
// otherwise every `pulumi up` removes and re-creates the replica.
func TestSecretDiffReplicaWithDefaultKeyIsNoChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", ""))}
	r := h.create(secretType, "secret", news)

	h.requireNoChange(r, news, "an unchanged program after create")

	// The same after a refresh.
	resp := h.read(r)
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	h.requireNoChange(refreshed, news, "an unchanged program after refresh")
}

func TestSecretCreateWithReplicas(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, resp, err := h.createRaw("secret", pm{"name": str("app/db"), "replicas": replicaList(
		replica("us-west-2", ""), replica("eu-west-1", "alias/eu"),
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

	replicas := replicasIn(t, resp.Properties)
	require.Len(t, replicas, 2)
	assert.Equal(t, []string{"us-west-2", "eu-west-1"}, regionsOf(replicas), "in the program's order")
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
	t.Parallel()
	h := newHarness(t)
	h.fake.SetNameTakenInRegion("eu-west-1", "app/db")
	_, resp, err := h.createRaw("secret", pm{"name": str("app/db"), "replicas": replicaList(
		replica("us-west-2", ""), replica("eu-west-1", ""),
	)})
	reasons := requireInitFailed(t, err, resp.PartialState)
	assert.Contains(t, reasons, "eu-west-1", "the error names the failed region")
	assert.Contains(t, reasons, fakesm.NameTakenInRegion, "and AWS's reason")
	assert.NotContains(t, reasons, "us-west-2", "the replica that succeeded is not reported")

	snap, ok := h.fake.Snapshot("app/db")
	require.True(t, ok)
	assert.Equal(t, snap.ARN, resp.ID, "the response still carries the ID: the secret is kept in state")
	assert.Equal(t, snap.ARN, getString(t, resp.Properties, "arn"))
	replicas := replicasIn(t, resp.Properties)
	require.Len(t, replicas, 2)
	assert.Equal(t, "Failed", replicas[1].Status)

	// forceOverwriteReplicaSecret replaces the other region's secret.
	h.fake.SetNameTakenInRegion("eu-west-1", "app/forced")
	r := h.create(secretType, "forced", pm{"name": str("app/forced"), "forceOverwriteReplicaSecret": property.New(true),
		"replicas": replicaList(replica("eu-west-1", ""))})
	assert.True(t, h.fake.Requests(fakesm.OpCreateSecret)[1].(*sm.CreateSecretInput).ForceOverwriteReplicaSecret)
	assert.Equal(t, "InSync", replicasIn(t, r.state)[0].Status)
}

// A replica can also fail after it was added (SetReplicaStatus): refresh
// reports it, status fields are not a change, and an update never reports
// success while a replica it leaves in place is Failed — it either repairs
// the replica or fails naming it.
func TestSecretReplicaFailedLaterIsReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", "alias/west"))}
	r := h.create(secretType, "secret", news)
	require.NoError(t, h.fake.SetReplicaStatus("app/db", "us-west-2", "Failed", "KMS key is disabled"))

	resp := h.read(r)
	replicas := replicasIn(t, resp.Properties)
	require.Len(t, replicas, 1)
	assert.Equal(t, "Failed", replicas[0].Status)
	assert.Equal(t, "KMS key is disabled", replicas[0].StatusMessage)
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.False(t, d.HasChanges, "a status is AWS's, not the program's: %v", d.DetailedDiff)

	_, upd, err := h.updateRaw(refreshed, pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", "alias/west"), replica("eu-west-1", ""))})
	if err == nil {
		for _, rep := range replicasIn(t, upd.Properties) {
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
	t.Parallel()
	h := newHarness(t)
	h.fake.SetNameTakenInRegion("eu-west-1", "app/db")
	news := pm{"name": str("app/db"), "replicas": replicaList(replica("eu-west-1", "alias/eu"))}
	inputs, resp, err := h.createRaw("secret", news)
	requireInitFailed(t, err, resp.PartialState)
	r := created{urn: urnOf(secretType, "secret"), id: resp.ID, inputs: inputs, state: resp.Properties}

	news["forceOverwriteReplicaSecret"] = property.New(true)
	h.fake.ResetCalls()
	_, upd, err := h.updateRaw(r, news)
	require.NoError(t, err, "forceOverwriteReplicaSecret: true must repair the failed replica; calls: %v", h.fake.Calls())
	replicas := replicasIn(t, upd.Properties)
	require.Len(t, replicas, 1)
	assert.Equal(t, "InSync", replicas[0].Status)
}

func TestSecretUpdateReplicas(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", "alias/west"))})

	// Adding one.
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", "alias/west"), replica("eu-west-1", "alias/eu"))})
	assert.Equal(t, map[string]int{fakesm.OpReplicateSecretToRegions: 1}, h.fake.Calls())
	add := h.fake.Requests(fakesm.OpReplicateSecretToRegions)[0].(*sm.ReplicateSecretToRegionsInput)
	assert.Equal(t, []types.ReplicaRegionType{{Region: aws.String("eu-west-1"), KmsKeyId: aws.String("alias/eu")}}, add.AddReplicaRegions,
		"only the new region is sent")
	assert.Equal(t, r.id, aws.ToString(add.SecretId))
	assert.Equal(t, []string{"us-west-2", "eu-west-1"}, regionsOf(replicasIn(t, r.state)))
	for _, rep := range replicasIn(t, r.state) {
		assert.Equal(t, "InSync", rep.Status)
	}

	// Removing one.
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "replicas": replicaList(replica("eu-west-1", "alias/eu"))})
	assert.Equal(t, map[string]int{fakesm.OpRemoveRegionsFromReplication: 1}, h.fake.Calls())
	rm := h.fake.Requests(fakesm.OpRemoveRegionsFromReplication)[0].(*sm.RemoveRegionsFromReplicationInput)
	assert.Equal(t, []string{"us-west-2"}, rm.RemoveReplicaRegions)
	snap, _ := h.fake.Snapshot("app/db")
	assert.Equal(t, []string{"eu-west-1"}, snap.ReplicaRegions)
	assert.Equal(t, []string{"eu-west-1"}, regionsOf(replicasIn(t, r.state)))

	// Changing a replica's key: AWS cannot re-key a replica, so it is removed
	// and added again (fakesm refuses to add a region that still has one, so
	// success proves the order).
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "replicas": replicaList(replica("eu-west-1", "alias/eu-2"))})
	assert.Equal(t, map[string]int{fakesm.OpRemoveRegionsFromReplication: 1, fakesm.OpReplicateSecretToRegions: 1}, h.fake.Calls())
	assert.Equal(t, []string{"eu-west-1"}, h.fake.Requests(fakesm.OpRemoveRegionsFromReplication)[0].(*sm.RemoveRegionsFromReplicationInput).RemoveReplicaRegions)
	assert.Equal(t, []types.ReplicaRegionType{{Region: aws.String("eu-west-1"), KmsKeyId: aws.String("alias/eu-2")}},
		h.fake.Requests(fakesm.OpReplicateSecretToRegions)[0].(*sm.ReplicateSecretToRegionsInput).AddReplicaRegions)
	status := h.describe("app/db").ReplicationStatus
	require.Len(t, status, 1)
	assert.Equal(t, "alias/eu-2", aws.ToString(status[0].KmsKeyId))
	replicas := replicasIn(t, r.state)
	require.Len(t, replicas, 1)
	assert.Equal(t, "alias/eu-2", replicas[0].KmsKeyID)
	assert.Equal(t, "InSync", replicas[0].Status)

	// Removing every replica.
	r = h.update(r, pm{"name": str("app/db"), "replicas": replicaList(replica("eu-west-1", "alias/eu-2"), replica("us-east-2", "alias/x"))})
	h.fake.ResetCalls()
	r = h.update(r, pm{"name": str("app/db"), "replicas": replicaList()})
	assert.Equal(t, map[string]int{fakesm.OpRemoveRegionsFromReplication: 1}, h.fake.Calls(), "one call for all regions")
	assert.ElementsMatch(t, []string{"eu-west-1", "us-east-2"},
		h.fake.Requests(fakesm.OpRemoveRegionsFromReplication)[0].(*sm.RemoveRegionsFromReplicationInput).RemoveReplicaRegions)
	snap, _ = h.fake.Snapshot("app/db")
	assert.Empty(t, snap.ReplicaRegions)
	assert.Empty(t, replicasIn(t, r.state))
	assert.Empty(t, h.describe("app/db").ReplicationStatus)
}

func TestSecretReadReplicasAddedOutOfBand(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", "alias/west"))}
	r := h.create(secretType, "secret", news)
	_, err := h.fake.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("app/db"), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-west-1"), KmsKeyId: aws.String("alias/eu")}},
	})
	require.NoError(t, err)

	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "no policy in the program: none read")
	replicas := replicasIn(t, resp.Properties)
	assert.Equal(t, []string{"us-west-2", "eu-west-1"}, regionsOf(replicas), "the program's replica first, then the others")
	require.Len(t, replicas, 2)
	assert.Equal(t, "alias/eu", replicas[1].KmsKeyID)
	assert.Equal(t, "InSync", replicas[1].Status)
	assert.Equal(t, []string{"us-west-2", "eu-west-1"}, regionsOf(replicasIn(t, resp.Inputs)))

	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.Equal(t, map[string]p.PropertyDiff{"replicas": {Kind: p.Update, InputDiff: true}}, d.DetailedDiff)
}

func TestSecretDeleteRemovesReplicasFirst(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", ""), replica("eu-west-1", "alias/eu"))})
	h.fake.ResetCalls()
	require.NoError(t, h.delete(r))
	assert.Equal(t, map[string]int{fakesm.OpRemoveRegionsFromReplication: 1, fakesm.OpDeleteSecret: 1}, h.fake.Calls(),
		"replicas removed in one call, then the secret deleted (fakesm refuses the other order)")
	assert.ElementsMatch(t, []string{"us-west-2", "eu-west-1"},
		h.fake.Requests(fakesm.OpRemoveRegionsFromReplication)[0].(*sm.RemoveRegionsFromReplicationInput).RemoveReplicaRegions)
	assert.NotNil(t, h.describe(r.id).DeletedDate, "deletion is scheduled")
}

func TestSecretDeleteRemovesReplicasAddedOutOfBand(t *testing.T) {
	t.Parallel()
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
	r = h.create(secretType, "mixed", pm{"name": str("app/mixed"), "replicas": replicaList(replica("us-west-2", "alias/west"))})
	_, err = h.fake.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("app/mixed"), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-west-1")}},
	})
	require.NoError(t, err)
	require.NoError(t, h.delete(r))
	assert.NotNil(t, h.describe(r.id).DeletedDate)
}

// A program that never sets replicas has no opinion on them, as in
// pulumi-aws (optional and computed): a replica added outside Pulumi shows in
// the state after a refresh, but no preview proposes to remove it and no
// update removes it.
func TestSecretUnsetReplicasAreNoOpinion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db"), "description": str("one")}
	r := h.create(secretType, "secret", news)
	addReplicaOutOfBand(t, h, "app/db", "eu-west-1")

	resp := h.read(r)
	assert.Equal(t, []string{"eu-west-1"}, regionsOf(replicasIn(t, resp.Properties)), "the refresh records the replica")
	_, set := resp.Inputs.GetOk("replicas")
	assert.False(t, set, "and leaves the program's unset replicas unset")
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)

	h.fake.ResetCalls()
	updated := h.update(refreshed, pmWith(news, "description", str("two")))
	assert.Zero(t, h.fake.Calls()[fakesm.OpRemoveRegionsFromReplication], "an update of something else keeps the replica")
	assert.Equal(t, []string{"eu-west-1"}, regionsOf(replicasIn(t, updated.state)))
	assert.Len(t, h.describe("app/db").ReplicationStatus, 1)
}

// `replicas: []` is the program's word for none: a replica added outside
// Pulumi is drift, shown in the preview and removed by the update.
func TestSecretEmptyReplicasMeanNone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	news := pm{"name": str("app/db"), "replicas": replicaList()}
	r := h.create(secretType, "secret", news)
	addReplicaOutOfBand(t, h, "app/db", "eu-west-1")

	resp := h.read(r)
	require.True(t, resp.Inputs.Get("replicas").IsArray(), "[] stays the program's [] after a refresh")
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, news)
	assert.Equal(t, map[string]p.PropertyDiff{"replicas": {Kind: p.Update, InputDiff: true}}, d.DetailedDiff)
	h.fake.ResetCalls()
	h.update(refreshed, news)
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpRemoveRegionsFromReplication])
	assert.Empty(t, h.describe("app/db").ReplicationStatus)
}

// Removing replicas from a program that had them removes them; once they
// are gone, the unset property is no opinion again.
func TestSecretReplicasRemovedFromTheProgramAreRemoved(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "replicas": replicaList(replica("us-west-2", ""))})
	news := pm{"name": str("app/db")}
	inputs := h.checkOK(secretType, "secret", r.inputs, news)
	assert.True(t, inputs.Get("replicas").IsArray(), "Check turns replicas the program dropped into []")
	h.fake.ResetCalls()
	r = h.update(r, news)
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpRemoveRegionsFromReplication])
	assert.Empty(t, h.describe("app/db").ReplicationStatus)

	// The next run records the program's unset replicas as unset: from then
	// on a replica added outside Pulumi stays.
	inputs, d := h.diff(r, news)
	require.False(t, d.HasChanges, "%v", d.DetailedDiff)
	_, set := inputs.GetOk("replicas")
	assert.False(t, set, "with no replica left, unset is no opinion again")
	r.inputs = inputs
	addReplicaOutOfBand(t, h, "app/db", "eu-west-1")
	resp := h.read(r)
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d = h.diff(refreshed, news)
	assert.NotContains(t, d.DetailedDiff, "replicas")
}

func addReplicaOutOfBand(t *testing.T, h *harness, secretID, region string) {
	t.Helper()
	_, err := h.fake.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String(secretID), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String(region)}},
	})
	require.NoError(t, err)
}
