package secretsmanager_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// Cross-account replication: two provider processes, one per account of one
// Cloud of fakes, as a program with two explicit providers runs them. The
// replica account's Secret sets crossAccountPrimaryArn; the primary
// account's CrossAccountReplication associates it.

const crossAccountType tokens.Type = "smx:secretsmanager:CrossAccountReplication"

const (
	primaryAccountID = "111111111111"
	replicaAccountID = "222222222222"
	replicaKMSKey    = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

// twoAccounts is a primary secret with a value, in its account's provider,
// and a second provider for the replica's account.
type twoAccounts struct {
	primary, replica *harness
	primarySecret    created
}

func newTwoAccounts(t *testing.T) twoAccounts {
	t.Helper()
	cloud := fakesm.NewCloud(nil)
	primary := newHarnessOn(t, cloud.Fake(primaryAccountID, "us-east-1"))
	replica := newHarnessOn(t, cloud.Fake(replicaAccountID, "us-east-1"))
	secret := primary.create(secretType, "db", pm{"name": str("db")})
	primary.create(versionType, "db", pm{"secretId": str(secret.id), "secretString": str("v1")})
	return twoAccounts{primary: primary, replica: replica, primarySecret: secret}
}

func replicaInputs(primaryARN string) pm {
	return pm{"name": str("db-copy"), "crossAccountPrimaryArn": str(primaryARN), "kmsKeyId": str(replicaKMSKey)}
}

func associationInputs(primaryARN, replicaARN string) pm {
	return pm{"secretId": str(primaryARN), "crossAccountReplicaArn": str(replicaARN)}
}

func (h *harness) currentValue(secretID string) string {
	h.t.Helper()
	out, err := h.fake.GetSecretValue(h.t.Context(), &sm.GetSecretValueInput{SecretId: &secretID})
	require.NoError(h.t, err)
	return aws.ToString(out.SecretString)
}

// replicated is the replica's Secret and the primary's association.
func (a twoAccounts) replicated(t *testing.T) (replica, association created) {
	t.Helper()
	replica = a.replica.create(secretType, "db-copy", replicaInputs(a.primarySecret.id))
	association = a.primary.create(crossAccountType, "db", associationInputs(a.primarySecret.id, replica.id))
	return replica, association
}

func TestCrossAccountReplicationLifecycle(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)

	a.replica.fake.ResetCalls()
	replica := a.replica.create(secretType, "db-copy", replicaInputs(a.primarySecret.id))
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpCreateSecret: 1}, a.replica.fake.Calls(),
		"the replica: its preview's name check, and one CreateSecret")
	assert.Equal(t, a.primarySecret.id, getString(t, replica.state, "crossAccountPrimaryArn"))

	a.primary.fake.ResetCalls()
	association := a.primary.create(crossAccountType, "db", associationInputs(a.primarySecret.id, replica.id))
	assert.Equal(t, map[string]int{fakesm.OpAssociateCrossAccountReplica: 1}, a.primary.fake.Calls(),
		"create: one AssociateCrossAccountReplica, none in the preview")
	assert.Equal(t, a.primarySecret.id+","+replica.id, association.id)
	assert.Equal(t, "InSync", getString(t, association.state, "replicationStatus"))
	assert.Equal(t, "v1", a.replica.currentValue(replica.id), "the replica has the primary's value")

	// No change: no call, on either side.
	a.primary.requireNoChange(association, associationInputs(a.primarySecret.id, replica.id))
	a.replica.requireNoChange(replica, replicaInputs(a.primarySecret.id))

	// Refresh: one DescribeSecret each, and nothing drifted.
	a.primary.fake.ResetCalls()
	refreshed := a.primary.refreshed(association)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, a.primary.fake.Calls())
	assert.Equal(t, association.state, refreshed.state)
	a.replica.fake.ResetCalls()
	refreshedReplica := a.replica.refreshed(replica)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, a.replica.fake.Calls())
	assert.Equal(t, replica.state, refreshedReplica.state)
	a.replica.requireNoChange(refreshedReplica, replicaInputs(a.primarySecret.id), "after a refresh")

	// Destroy in the order the engine takes from the dependencies: the
	// association, the replica (promoted first), the primary.
	a.primary.fake.ResetCalls()
	require.NoError(t, a.primary.delete(association))
	assert.Equal(t, map[string]int{fakesm.OpDisassociateCrossAccountReplica: 1}, a.primary.fake.Calls())
	a.replica.fake.ResetCalls()
	require.NoError(t, a.replica.delete(replica))
	assert.Equal(t, map[string]int{fakesm.OpStopReplicationToReplica: 1, fakesm.OpDeleteSecret: 1}, a.replica.fake.Calls(),
		"a replica is promoted before it is deleted, as AWS requires")
	require.NoError(t, a.primary.delete(a.primarySecret))
}

// A replication that fails (a lost KMS grant, say) is drift a refresh sees;
// the next up associates again, which AWS documents as the repair.
func TestCrossAccountReplicationFailedIsRepairedByAssociatingAgain(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)
	replica, association := a.replicated(t)
	require.NoError(t, a.primary.fake.FailCrossAccountReplication(a.primarySecret.id, "kms:Encrypt was denied"))

	failed := a.primary.refreshed(association)
	assert.Equal(t, "Failed", getString(t, failed.state, "replicationStatus"))
	assert.Equal(t, "kms:Encrypt was denied", getString(t, failed.state, "statusMessage"))
	_, d := a.primary.diff(failed, associationInputs(a.primarySecret.id, replica.id))
	assert.Equal(t, map[string]p.PropertyDiff{"replicationStatus": {Kind: p.Update}}, d.DetailedDiff)

	a.primary.fake.ResetCalls()
	repaired := a.primary.update(failed, associationInputs(a.primarySecret.id, replica.id))
	assert.Equal(t, map[string]int{fakesm.OpAssociateCrossAccountReplica: 1}, a.primary.fake.Calls())
	assert.Equal(t, "InSync", getString(t, repaired.state, "replicationStatus"))
	assert.False(t, repaired.state.Get("statusMessage").IsString(), "no message once in sync")
	a.primary.requireNoChange(a.primary.refreshed(repaired), associationInputs(a.primarySecret.id, replica.id))
}

func TestCrossAccountReplicationUpdatesAndReplacements(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)
	replica, association := a.replicated(t)

	// A role or restriction associates again, in place.
	news := associationInputs(a.primarySecret.id, replica.id)
	news["replicationRoleArn"] = str("arn:aws:iam::111111111111:role/replicator")
	news["replicaRestriction"] = str("NoRestriction")
	a.primary.fake.ResetCalls()
	updated := a.primary.update(association, news)
	assert.Equal(t, map[string]int{fakesm.OpAssociateCrossAccountReplica: 1}, a.primary.fake.Calls())
	assert.Equal(t, "arn:aws:iam::111111111111:role/replicator",
		aws.ToString(a.primary.describe("db").CrossAccountReplicas[0].ReplicationRoleARN))
	a.primary.requireNoChange(a.primary.refreshed(updated), news, "the role reads back; the restriction is kept")

	// Another replica, or one still unknown, replaces the association.
	for name, replicaARN := range map[string]property.Value{
		"another replica": str("arn:aws:secretsmanager:us-east-1:222222222222:secret:other-AbCdEf"),
		"unknown":         computed(),
	} {
		other := associationInputs(a.primarySecret.id, "")
		other["crossAccountReplicaArn"] = replicaARN
		_, d := a.primary.diff(updated, other)
		assert.Equal(t, p.UpdateReplace, d.DetailedDiff["crossAccountReplicaArn"].Kind, name)
	}
}

// Removing crossAccountPrimaryArn promotes the replica in place; another
// primary, a standalone secret made a replica, or a primary still unknown
// (its secret being replaced) replaces the secret.
func TestCrossAccountReplicaPromotionAndReplacement(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)
	replica, association := a.replicated(t)

	other := replicaInputs("arn:aws:secretsmanager:us-east-1:111111111111:secret:other-AbCdEf")
	_, d := a.replica.diff(replica, other)
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["crossAccountPrimaryArn"].Kind, "another primary")
	unknown := replicaInputs("")
	unknown["crossAccountPrimaryArn"] = computed()
	_, d = a.replica.diff(replica, unknown)
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["crossAccountPrimaryArn"].Kind, "a primary still unknown")
	standalone := a.replica.create(secretType, "standalone", pm{"name": str("standalone"), "kmsKeyId": str(replicaKMSKey)})
	_, d = a.replica.diff(standalone, replicaInputs(a.primarySecret.id))
	assert.Equal(t, p.AddReplace, d.DetailedDiff["crossAccountPrimaryArn"].Kind, "a standalone secret made a replica")

	promoted := pm{"name": str("db-copy"), "kmsKeyId": str(replicaKMSKey), "description": str("now our own")}
	_, d = a.replica.diff(replica, promoted)
	assert.Equal(t, map[string]p.PropertyDiff{"crossAccountPrimaryArn": {Kind: p.Delete}, "description": {Kind: p.Add}}, d.DetailedDiff)
	a.replica.fake.ResetCalls()
	replica = a.replica.update(replica, promoted)
	assert.Equal(t, map[string]int{fakesm.OpStopReplicationToReplica: 1, fakesm.OpUpdateSecret: 1}, a.replica.fake.Calls(),
		"promoted first, then described")
	assert.Nil(t, a.replica.describe("db-copy").CrossAccountPrimary)
	assert.Equal(t, "v1", a.replica.currentValue("db-copy"), "a promoted replica keeps its value")
	assert.False(t, replica.state.Get("crossAccountPrimaryArn").IsString())

	// The primary now reports the replica Detached, which a refresh shows.
	detached := a.primary.refreshed(association)
	assert.Equal(t, "Detached", getString(t, detached.state, "replicationStatus"))
	// Destroying a promoted replica makes no StopReplicationToReplica.
	a.replica.fake.ResetCalls()
	require.NoError(t, a.replica.delete(replica))
	assert.Equal(t, map[string]int{fakesm.OpDeleteSecret: 1}, a.replica.fake.Calls())
}

// A primary whose replica was associated outside Pulumi is disassociated
// before it is deleted, as replica regions added outside Pulumi are
// removed; a replica promoted outside Pulumi is deleted without a promotion.
func TestCrossAccountLinksTheStateDoesNotKnowDoNotBlockDeletes(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)
	replica := a.replica.create(secretType, "db-copy", replicaInputs(a.primarySecret.id))
	_, err := a.primary.fake.AssociateCrossAccountReplica(t.Context(), &sm.AssociateCrossAccountReplicaInput{
		SecretId: aws.String(a.primarySecret.id), CrossAccountReplicaARN: aws.String(replica.id),
	})
	require.NoError(t, err)

	a.primary.fake.ResetCalls()
	require.NoError(t, a.primary.delete(a.primarySecret))
	assert.Equal(t, map[string]int{fakesm.OpDeleteSecret: 2, fakesm.OpDescribeSecret: 1, fakesm.OpDisassociateCrossAccountReplica: 1},
		a.primary.fake.Calls())

	_, err = a.replica.fake.StopReplicationToReplica(t.Context(), &sm.StopReplicationToReplicaInput{SecretId: aws.String(replica.id)})
	require.NoError(t, err)
	a.replica.fake.ResetCalls()
	require.NoError(t, a.replica.delete(replica), "the state still says replica")
	assert.Equal(t, map[string]int{fakesm.OpStopReplicationToReplica: 1, fakesm.OpDescribeSecret: 1, fakesm.OpDeleteSecret: 1},
		a.replica.fake.Calls(), "the refused promotion is told from the others by one DescribeSecret")
}

// A replica's value comes from its primary: a SecretVersion on it fails at
// preview, once the replica's Secret has been seen in the run.
func TestSecretVersionOnACrossAccountReplicaIsRefusedAtPreview(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)
	replica, _ := a.replicated(t)
	a.replica.fake.ResetCalls()
	for _, secretID := range []string{replica.id, "db-copy"} {
		resp := a.replica.check(versionType, "value", property.Map{}, pm{"secretId": str(secretID), "secretString": str("v2")})
		assert.Contains(t, failuresOn(resp, "secretId"), "is a cross-account replica (its Secret sets crossAccountPrimaryArn): "+
			"its value comes from its primary secret, in the other account; put the SecretVersion on the primary")
	}
	assert.Zero(t, a.replica.fake.TotalCalls())

	// A later run learns it from the Secret's preview diff, which the engine
	// steps before the SecretVersion that depends on it.
	later := newHarnessOn(t, a.replica.fake)
	_, d := later.diff(replica, replicaInputs(a.primarySecret.id))
	require.False(t, d.HasChanges)
	resp := later.check(versionType, "value", property.Map{}, pm{"secretId": str(replica.id), "secretString": str("v2")})
	assert.NotEmpty(t, failuresOn(resp, "secretId"))
}

func TestCrossAccountRulesAtPreview(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)
	primaryARN := a.primarySecret.id
	a.replica.fake.ResetCalls()
	a.primary.fake.ResetCalls()
	for name, tc := range map[string]struct {
		typ      tokens.Type
		inputs   pm
		property string
		rule     string
	}{
		"a description": {secretType, with(replicaInputs(primaryARN), "description", str("d")), "description",
			"conflicts with crossAccountPrimaryArn: a cross-account replica takes its description from its primary secret"},
		"a type": {secretType, with(replicaInputs(primaryARN), "type", str("SalesforceClientSecret")), "type",
			"conflicts with crossAccountPrimaryArn: a cross-account replica takes its type from its primary secret"},
		"a generated value": {secretType, with(replicaInputs(primaryARN), "generateSecretString", property.New(pm{})), "generateSecretString",
			"conflicts with crossAccountPrimaryArn: a cross-account replica takes its value from its primary secret"},
		"replica regions": {secretType, with(replicaInputs(primaryARN), "replicas", property.New([]property.Value{property.New(pm{"region": str("eu-west-1")})})),
			"replicas", "conflicts with crossAccountPrimaryArn: a cross-account replica cannot be replicated to other regions"},
		"no KMS key": {secretType, without(replicaInputs(primaryARN), "kmsKeyId"), "kmsKeyId",
			"is required with crossAccountPrimaryArn: a cross-account replica must be encrypted with a customer managed KMS key of its own account, not aws/secretsmanager"},
		"the AWS managed key": {secretType, with(replicaInputs(primaryARN), "kmsKeyId", str("alias/aws/secretsmanager")), "kmsKeyId",
			"is the AWS managed key aws/secretsmanager: a cross-account replica must be encrypted with a customer managed KMS key"},
		"a primary in another region": {secretType, replicaInputs("arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf"),
			"crossAccountPrimaryArn", "is in region eu-west-1, not the replica's us-east-1: cross-account replication stays in one region; " +
				"give the replica the primary's region (region, or the provider's region)"},
		"a primary in another partition": {secretType, replicaInputs("arn:aws-cn:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf"),
			"crossAccountPrimaryArn", "is in partition aws-cn, not aws: cross-account replication stays in one partition and region (the replica's us-east-1)"},
		"not an ARN": {secretType, replicaInputs("db"), "crossAccountPrimaryArn",
			`must be the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>), got "db"`},
		"a replica in the primary's account": {crossAccountType,
			associationInputs(primaryARN, "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-copy-AbCdEf"), "crossAccountReplicaArn",
			"is in the primary's own account 111111111111: a cross-account replica lives in another account (for a replica in another region, use the primary Secret's replicas)"},
		"a replica in another region": {crossAccountType,
			associationInputs(primaryARN, "arn:aws:secretsmanager:eu-west-1:222222222222:secret:db-copy-AbCdEf"), "crossAccountReplicaArn",
			"is in region eu-west-1, not the primary's us-east-1: cross-account replication stays in one region; give the replica the primary's region (region, or the provider's region)"},
		"an unknown restriction": {crossAccountType,
			with(associationInputs(primaryARN, "arn:aws:secretsmanager:us-east-1:222222222222:secret:db-copy-AbCdEf"), "replicaRestriction", str("Anyone")),
			"replicaRestriction", `must be "SameOrg" (the replica's account is in the primary's organization; AWS's default) or "NoRestriction", got "Anyone"`},
		"a role that is not a role": {crossAccountType,
			with(associationInputs(primaryARN, "arn:aws:secretsmanager:us-east-1:222222222222:secret:db-copy-AbCdEf"), "replicationRoleArn", str("replicator")),
			"replicationRoleArn", `must be the ARN of an IAM role, arn:aws:iam::<12-digit account>:role/<name>; got "replicator"`},
	} {
		resp := a.replica.check(tc.typ, "bad", property.Map{}, tc.inputs)
		assert.Equal(t, []string{tc.rule}, failuresOn(resp, tc.property), name)
	}
	assert.Zero(t, a.replica.fake.TotalCalls()+a.primary.fake.TotalCalls(), "judged with no API call")
}

func with(inputs pm, key string, value property.Value) pm {
	inputs[key] = value
	return inputs
}

func without(inputs pm, key string) pm {
	delete(inputs, key)
	return inputs
}

// Secrets Manager attaches its own `cross-account-replication` policy to a
// replica. A Secret's policy and a SecretPolicy manage only the user's
// `default` policy: the service's is never read, diffed or removed.
func TestNamedPoliciesLeaveTheServicePolicyAlone(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)
	replica, _ := a.replicated(t)
	servicePolicyStays := func(when string) {
		t.Helper()
		out, err := a.replica.fake.ListResourcePolicies(t.Context(), &sm.ListResourcePoliciesInput{SecretId: aws.String(replica.id)})
		require.NoError(t, err)
		var names []string
		for _, summary := range out.ResourcePolicies {
			names = append(names, aws.ToString(summary.PolicyName))
		}
		assert.Contains(t, names, fakesm.CrossAccountReplicationPolicyName, when)
	}

	// Import: the replica has no policy of the user's.
	imported, err := a.replica.server.Read(p.ReadRequest{ID: replica.id, Urn: urnOf(secretType, "imported")})
	require.NoError(t, err)
	assert.Equal(t, "", getString(t, imported.Properties, "policy"), "the service's policy is not the secret's policy")
	assert.Equal(t, a.primarySecret.id, getString(t, imported.Inputs, "crossAccountPrimaryArn"))
	assert.False(t, imported.Inputs.Get("description").IsString())
	assert.Empty(t, a.replica.check(secretType, "imported", imported.Inputs, imported.Inputs.AsMap()).Failures,
		"the program `pulumi import` writes passes Check")

	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:DeleteSecret","Resource":"*"}]}`
	withPolicy := with(replicaInputs(a.primarySecret.id), "policy", str(policy))
	replica = a.replica.update(replica, withPolicy)
	servicePolicyStays("after the Secret's policy was put")
	a.replica.requireNoChange(a.replica.refreshed(replica), withPolicy, "the service's policy is not drift")
	replica = a.replica.update(replica, with(replicaInputs(a.primarySecret.id), "policy", str("")))
	servicePolicyStays("after the Secret's policy was deleted")

	secretPolicy := a.replica.create(policyType, "policy", pm{"secretArn": str(replica.id), "policy": str(policy)})
	a.replica.requireNoChange(a.replica.refreshed(secretPolicy), pm{"secretArn": str(replica.id), "policy": str(policy)})
	require.NoError(t, a.replica.delete(secretPolicy))
	servicePolicyStays("after the SecretPolicy was deleted")
}

func TestCrossAccountReplicationImport(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)
	replica, association := a.replicated(t)
	// `pulumi import` is a run of its own.
	importer := newHarnessOn(t, a.primary.fake)

	a.primary.fake.ResetCalls()
	urn := urnOf(crossAccountType, "imported")
	resp, err := importer.server.Read(p.ReadRequest{ID: association.id, Urn: urn})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, a.primary.fake.Calls())
	assert.Equal(t, association.id, resp.ID)
	assert.Equal(t, associationInputs(a.primarySecret.id, replica.id), resp.Inputs.AsMap())
	require.Empty(t, importer.check(crossAccountType, "imported", resp.Inputs, resp.Inputs.AsMap()).Failures)
	importer.requireNoChange(created{urn: urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties},
		associationInputs(a.primarySecret.id, replica.id))

	for _, id := range []string{a.primarySecret.id, a.primarySecret.id + ",db-copy", "," + replica.id} {
		_, err := importer.server.Read(p.ReadRequest{ID: id, Urn: urn})
		assert.ErrorContains(t, err, "must be <primary secret ARN or name>,<replica secret ARN>", id)
	}
	// A replica not associated imports nothing.
	require.NoError(t, a.primary.delete(association))
	resp, err = importer.server.Read(p.ReadRequest{ID: association.id, Urn: urn})
	require.NoError(t, err)
	assert.Empty(t, resp.ID)
}

// AWS allows one cross-account replica per primary: a second association of
// the same primary in the program fails at preview, naming the first.
func TestOneCrossAccountReplicaPerPrimaryAtPreview(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)
	first := associationInputs(a.primarySecret.id, "arn:aws:secretsmanager:us-east-1:222222222222:secret:db-copy-AbCdEf")
	second := associationInputs(a.primarySecret.id, "arn:aws:secretsmanager:us-east-1:333333333333:secret:db-copy-GhIjKl")
	a.primary.fake.ResetCalls()
	assert.Empty(t, a.primary.check(crossAccountType, "first", property.Map{}, first).Failures)
	assert.Empty(t, a.primary.check(crossAccountType, "first", property.Map{}, first).Failures, "a resource's own claim is no conflict")
	assert.Equal(t, []string{"is also associated by first: a primary secret has at most one cross-account replica"},
		failuresOn(a.primary.check(crossAccountType, "second", property.Map{}, second), "secretId"))
	assert.Zero(t, a.primary.fake.TotalCalls())

	// By name, the primary could be another account's secret: not judged.
	byName := associationInputs("db", "arn:aws:secretsmanager:us-east-1:333333333333:secret:db-copy-GhIjKl")
	assert.Empty(t, a.primary.check(crossAccountType, "third", property.Map{}, byName).Failures)
	assert.Empty(t, a.primary.check(crossAccountType, "fourth", property.Map{}, byName).Failures)
}

// The preview of a promotion that also gives the secret a description and
// a type shows what the update then writes: once promoted, they are the
// secret's own, no longer its primary's.
func TestCrossAccountPromotionPreviewShowsWhatTheUpdateWrites(t *testing.T) {
	t.Parallel()
	a := newTwoAccounts(t)
	replica, _ := a.replicated(t)
	promoted := pm{"name": str("db-copy"), "kmsKeyId": str(replicaKMSKey), "description": str("now our own"),
		"type": str("SalesforceClientSecret")}
	inputs := a.replica.checkOK(secretType, replica.urn.Name(), replica.inputs, promoted)
	req := p.UpdateRequest{ID: replica.id, Urn: replica.urn, State: replica.state, Inputs: inputs, OldInputs: replica.inputs, DryRun: true}
	preview, err := a.replica.server.Update(req)
	require.NoError(t, err)
	req.DryRun = false
	updated, err := a.replica.server.Update(req)
	require.NoError(t, err)
	for _, key := range []string{"description", "type"} {
		assert.Equal(t, updated.Properties.Get(key), preview.Properties.Get(key), key)
	}
	assert.Equal(t, "SalesforceClientSecret", aws.ToString(a.replica.describe("db-copy").Type))
}
