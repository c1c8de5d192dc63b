package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// Cross-account replication through the real CLI on the served fake, the
// one local Secrets Manager that has it: one program, two explicit
// providers with two access keys, so two accounts. The primary account
// holds the secret and its value and associates the replica; the replica
// account's Secret sets crossAccountPrimaryArn.

// The replica's customer managed KMS key, in the replica's account.
const crossAccountReplicaKey = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// The primary's value, from secret stack config, as users keep it.
const crossAccountValue = "cross-account-e2e-value"

// crossAccountProgram is the two-account program. replica is the replica
// Secret's extra properties; associated adds the CrossAccountReplication;
// extra is more YAML under resources.
func crossAccountProgram(served *servedFake, replica string, associated bool, extra string) string {
	program := `name: smx-fake-cross-account
runtime: yaml
config:
  dbPassword:
    type: string
    secret: true
resources:
  primaryAccount:
    type: pulumi:providers:smx
    properties:
` + served.providerProperties(fakeMainAccount, fakeRegion) + `
  replicaAccount:
    type: pulumi:providers:smx
    properties:
` + served.providerProperties(fakeOtherAccount, fakeRegion) + `
  primary:
    type: smx:secretsmanager:Secret
    properties:
      name: payments/db
      recoveryWindowInDays: 0
    options:
      provider: ${primaryAccount}
  primaryValue:
    type: smx:secretsmanager:SecretVersion
    properties:
      secretId: ${primary.id}
      secretString: ${dbPassword}
    options:
      provider: ${primaryAccount}
  replica:
    type: smx:secretsmanager:Secret
    properties:
      name: payments/db
      kmsKeyId: ` + crossAccountReplicaKey + `
      recoveryWindowInDays: 0
` + replica + `    options:
      provider: ${replicaAccount}
`
	outputs := "outputs:\n  primaryArn: ${primary.arn}\n  replicaArn: ${replica.arn}\n"
	if associated {
		program += `  replication:
    type: smx:secretsmanager:CrossAccountReplication
    properties:
      secretId: ${primary.arn}
      crossAccountReplicaArn: ${replica.arn}
    options:
      provider: ${primaryAccount}
`
		outputs += "  replicationStatus: ${replication.replicationStatus}\n"
	}
	return program + extra + outputs
}

const replicaOfPrimary = "      crossAccountPrimaryArn: ${primary.arn}\n"

// TestFakeCrossAccountReplicationLifecycle: associate, status, refresh,
// named policies, a SecretVersion refused on the replica, repair, destroy in
// AWS's order; then promotion in place.
func TestFakeCrossAccountReplicationLifecycle(t *testing.T) {
	t.Parallel()
	served := serveFake(t)
	r := newStackRunOnFake(t, served.Server, fakeMainAccount.accessKeyID, fakeRegion)
	r.watchSecretValues(crossAccountValue)
	primaryFake, replicaFake := served.fake(fakeMainAccount, fakeRegion), served.fake(fakeOtherAccount, fakeRegion)
	replicaClient := served.client(fakeOtherAccount, fakeRegion)
	s := newYAMLStack(r, "cross-account", crossAccountProgram(served, replicaOfPrimary, true, ""))
	s.cli("config", "set", "--secret", "dbPassword", crossAccountValue)

	// Associate: the replica holds the primary's value, in sync.
	s.cli("up", "--yes")
	outputs := s.outputs()
	requireInAccount(t, "the primary", outputs["primaryArn"], fakeMainAccount)
	requireInAccount(t, "the replica", outputs["replicaArn"], fakeOtherAccount)
	if outputs["replicationStatus"] != "InSync" {
		t.Fatalf("replicationStatus is %q after up; want InSync", outputs["replicationStatus"])
	}
	requireReplicaValue(t, replicaClient, outputs["replicaArn"], crossAccountValue)
	s.previewPlansNothing()
	requireCalls(t, primaryFake, "a plain preview, in the primary's account", map[string]int{},
		func() { s.cli("preview", "--expect-no-changes") })
	s.cli("refresh", "--yes", "--expect-no-changes")

	// Named policies: the replica's own policy beside the service's.
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:DeleteSecret","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"222222222222"}}}]}`
	s.write(crossAccountProgram(served, replicaOfPrimary+"      policy: '"+policy+"'\n", true, ""))
	s.cli("up", "--yes")
	requirePolicyNames(t, replicaClient, outputs["replicaArn"], "after the replica's policy was put",
		fakesm.CrossAccountReplicationPolicyName, fakesm.DefaultPolicyName)
	s.cli("refresh", "--yes", "--expect-no-changes")
	s.previewPlansNothing()

	// A SecretVersion on the replica fails at preview, naming the rule,
	// with no write.
	s.write(crossAccountProgram(served, replicaOfPrimary+"      policy: '"+policy+"'\n", true, `  replicaValue:
    type: smx:secretsmanager:SecretVersion
    properties:
      secretId: ${replica.arn}
      secretString: another value
    options:
      provider: ${replicaAccount}
`))
	requireCalls(t, replicaFake, "a preview of a SecretVersion on the replica", map[string]int{}, func() {
		failed := r.runCommand(runOptions{dir: s.project, expect: mustFail}, "pulumi", "preview", "--non-interactive")
		requireShown(t, "the preview", failed.stdout+failed.stderr, "secretId", "is a cross-account replica",
			"put the SecretVersion on the primary")
	})
	s.write(crossAccountProgram(served, replicaOfPrimary+"      policy: '"+policy+"'\n", true, ""))

	// Repair: a failed replication is drift; up associates again.
	if err := primaryFake.FailCrossAccountReplication(outputs["primaryArn"], "kms:Encrypt was denied on the replica's key"); err != nil {
		t.Fatal(err)
	}
	s.cli("refresh", "--yes")
	// A refresh does not run the program, so the stack's outputs stay: the
	// state holds what it read.
	if got := s.recordedOutput("smx:secretsmanager:CrossAccountReplication", "replicationStatus"); got != "Failed" {
		t.Fatalf("replicationStatus is %q after the refresh; want Failed", got)
	}
	preview := s.cli("preview", "--diff")
	requireShown(t, "the preview of the repair", preview.stdout, "replicationStatus", "1 to update")
	requireNotShown(t, "the preview of the repair", preview.stdout, "replace")
	requireCalls(t, primaryFake, "the repair", map[string]int{fakesm.OpAssociateCrossAccountReplica: 1},
		func() { s.cli("up", "--yes") })
	if got := s.outputs()["replicationStatus"]; got != "InSync" {
		t.Fatalf("replicationStatus is %q after the repair; want InSync", got)
	}
	s.cli("refresh", "--yes", "--expect-no-changes")

	// Destroy in AWS's order: disassociate, promote and delete the replica,
	// delete the primary. The service's policy goes with the promotion.
	s.cli("destroy", "--yes")
	for _, account := range []fakeAccount{fakeMainAccount, fakeOtherAccount} {
		if names := liveSecretNames(t, served.client(account, fakeRegion)); len(names) != 0 {
			t.Fatalf("account %s still holds %v after destroy", account.accountID, names)
		}
	}
	if calls := replicaFake.Calls(); calls[fakesm.OpStopReplicationToReplica] != 1 {
		t.Fatalf("destroy made %d StopReplicationToReplica in the replica's account; want 1 (calls: %v)",
			calls[fakesm.OpStopReplicationToReplica], calls)
	}

	// Promotion in place: the replica loses crossAccountPrimaryArn and the
	// association goes, in one change; the replica is updated, not replaced,
	// and keeps its value.
	s.cli("up", "--yes")
	replicaARN := s.outputs()["replicaArn"]
	s.write(crossAccountProgram(served, "      description: promoted to a standalone secret\n", false, ""))
	preview = s.cli("preview", "--diff")
	requireShown(t, "the preview of the promotion", preview.stdout, "1 to update", "1 to delete")
	requireNotShown(t, "the preview of the promotion", preview.stdout, "replace")
	replicaFake.ResetCalls()
	s.cli("up", "--yes")
	if got := s.outputs()["replicaArn"]; got != replicaARN {
		t.Fatalf("the promoted replica is %s; want %s, the same secret", got, replicaARN)
	}
	if calls := replicaFake.Calls(); calls[fakesm.OpStopReplicationToReplica] != 1 || calls[fakesm.OpDeleteSecret] != 0 {
		t.Fatalf("the promotion made %v in the replica's account; want one StopReplicationToReplica and no DeleteSecret", calls)
	}
	promoted := describeIn(t, replicaClient, replicaARN)
	if promoted.CrossAccountPrimary != nil || aws.ToString(promoted.Description) != "promoted to a standalone secret" {
		t.Fatalf("after the promotion the replica reports primary %v and description %q; want none and the program's",
			promoted.CrossAccountPrimary, aws.ToString(promoted.Description))
	}
	requireReplicaValue(t, replicaClient, replicaARN, crossAccountValue)
	// The service's policy went with the promotion; the user's stays, since
	// the program stopped setting it (no opinion).
	requirePolicyNames(t, replicaClient, replicaARN, "after the promotion", fakesm.DefaultPolicyName)
	s.cli("refresh", "--yes", "--expect-no-changes")
	s.cli("destroy", "--yes")
	r.assertStateHasNoPlaintext()
}

// recordedOutput is the output key of the one resource of type typ in the
// stack's state, as `pulumi stack export` shows it.
func (s *yamlStack) recordedOutput(typ, key string) any {
	s.r.t.Helper()
	var exported struct {
		Deployment struct {
			Resources []exportedResource `json:"resources"`
		} `json:"deployment"`
	}
	if err := json.Unmarshal([]byte(s.cli("stack", "export").stdout), &exported); err != nil {
		s.r.t.Fatal(err)
	}
	for _, res := range exported.Deployment.Resources {
		if res.Type == typ {
			return res.Outputs[key]
		}
	}
	s.r.t.Fatalf("the state holds no %s", typ)
	return nil
}

func describeIn(t *testing.T, client *sm.Client, secretID string) *sm.DescribeSecretOutput {
	t.Helper()
	out, err := client.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: &secretID})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func requireReplicaValue(t *testing.T, client *sm.Client, secretID, want string) {
	t.Helper()
	out := requireValueIn(t, client, secretID, want)
	if !slices.Contains(out.VersionStages, "AWSCURRENT") {
		t.Fatalf("%s's value is not AWSCURRENT: %v", secretID, out.VersionStages)
	}
}

// requirePolicyNames fails unless the secret's resource policies are
// exactly names.
func requirePolicyNames(t *testing.T, client *sm.Client, secretID, when string, names ...string) {
	t.Helper()
	out, err := client.ListResourcePolicies(t.Context(), &sm.ListResourcePoliciesInput{SecretId: &secretID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, summary := range out.ResourcePolicies {
		got = append(got, aws.ToString(summary.PolicyName))
	}
	slices.Sort(got)
	slices.Sort(names)
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Fatalf("%s: the replica's policies are %v; want %v", when, got, names)
	}
}
