package e2e

// Stack runs against the served fake of Secrets Manager (internal/fakesm)
// instead of moto, for what moto lacks (CONTRIBUTING.md, "Where moto differs
// from AWS"): managed external secrets, external rotation, rotation turned
// off, accounts. The fake is served on loopback over Secrets Manager's own
// wire protocol, so the provider plugin the real CLI runs reaches it exactly
// as it reaches moto or AWS: through an endpoint and an access key, which
// picks the account.

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// fakeAccount is one account the served fake plays: whoever signs with its
// access key ID acts in it.
type fakeAccount struct {
	accessKeyID string
	accountID   string
}

// The two accounts every served fake of these tests plays, so that a program
// can reach both with two explicit providers.
var (
	fakeMainAccount  = fakeAccount{accessKeyID: "AKIAFAKEMAINACCOUNT1", accountID: "111111111111"}
	fakeOtherAccount = fakeAccount{accessKeyID: "AKIAFAKEOTHERACCOUNT", accountID: "222222222222"}
)

// fakeRegion is the region the tests' providers and checks use.
const fakeRegion = "us-east-1"

// fakeSecretAccessKey is the secret key a provider signs with on the served
// fake. The fake reads the account from the access key ID and does not
// verify signatures (it stands in for the service, not for IAM), so any
// value works; this is the one fakesm.Server.Env sets.
const fakeSecretAccessKey = "not-checked"

// servedFake is a fake cloud served on loopback until the test ends: the
// tests drive it through the CLI and look at it, or change it as AWS or
// another tool would, through each account's fake.
type servedFake struct {
	*fakesm.Server
	cloud *fakesm.Cloud
}

// serveFake serves a new cloud to both fakeMainAccount and fakeOtherAccount.
func serveFake(t *testing.T) *servedFake {
	t.Helper()
	cloud := fakesm.NewCloud(nil)
	server := fakesm.Serve(t, cloud, map[string]string{
		fakeMainAccount.accessKeyID:  fakeMainAccount.accountID,
		fakeOtherAccount.accessKeyID: fakeOtherAccount.accountID,
	})
	return &servedFake{Server: server, cloud: cloud}
}

// fake is account's fake in region: its call counts (Calls, ResetCalls) and
// its out-of-band changes. Calls counts every call the served fake answered,
// the tests' own SDK calls included.
func (f *servedFake) fake(account fakeAccount, region string) *fakesm.Fake {
	return f.cloud.Fake(account.accountID, region)
}

// client is an SDK client acting in account in region.
func (f *servedFake) client(account fakeAccount, region string) *sm.Client {
	return f.Client(account.accessKeyID, region)
}

// providerProperties are the YAML properties (indented for a resource's
// properties block) of an explicit smx provider that acts in account in
// region on this fake, with the settings a user of a custom endpoint writes:
// accessKey, secretKey, region and endpoints[].secretsmanager. They are what
// the environment of newStackRunOnFake says to the default provider.
func (f *servedFake) providerProperties(account fakeAccount, region string) string {
	return indent(`accessKey: `+account.accessKeyID+`
secretKey: `+fakeSecretAccessKey+`
region: `+region+`
endpoints:
  - secretsmanager: `+f.Endpoint, 6)
}

// newStackRunOnFake is newStackRun on a served fake: the provider plugin is
// installed, the default provider acts as accessKeyID (one of the keys the
// server was given) in region, and r.client is that account's client. r.moto
// is nil: tests that need moto's endpoint do not run here.
func newStackRunOnFake(t *testing.T, server *fakesm.Server, accessKeyID, region string) *stackRun {
	t.Helper()
	r := newIsolatedStackRun(t, server.Client(accessKeyID, region), server.Env(accessKeyID, region))
	r.installPlugin()
	return r
}

// yamlStack is one stack of a YAML program, in a project folder of its own.
type yamlStack struct {
	r       *stackRun
	project string
}

// newYAMLStack writes program as the project's Pulumi.yaml and creates the
// stack.
func newYAMLStack(r *stackRun, stack, program string) *yamlStack {
	r.t.Helper()
	s := &yamlStack{r: r, project: r.t.TempDir()}
	s.write(program)
	s.cli("stack", "init", stack)
	return s
}

// write replaces the program.
func (s *yamlStack) write(program string) {
	s.r.t.Helper()
	if err := os.WriteFile(filepath.Join(s.project, "Pulumi.yaml"), []byte(program), 0o644); err != nil {
		s.r.t.Fatal(err)
	}
}

// cli runs a Pulumi command on the stack and fails the test unless it
// succeeds.
func (s *yamlStack) cli(args ...string) cliResult {
	s.r.t.Helper()
	return s.r.runCommand(runOptions{dir: s.project}, "pulumi", append(args, "--non-interactive")...)
}

// previewPlansNothing runs a preview that must plan no change and have
// resources to plan for.
func (s *yamlStack) previewPlansNothing() {
	s.r.t.Helper()
	preview := s.cli("preview", "--json", "--expect-no-changes")
	var plan struct {
		ChangeSummary map[string]int `json:"changeSummary"`
	}
	if err := json.Unmarshal([]byte(preview.stdout), &plan); err != nil {
		s.r.t.Fatalf("preview --json: %v\n%s", err, preview.stdout)
	}
	s.r.assertNoChanges(plan.ChangeSummary)
}

// outputs are the stack's outputs that are strings.
func (s *yamlStack) outputs() map[string]string {
	s.r.t.Helper()
	var all map[string]any
	if err := json.Unmarshal([]byte(s.cli("stack", "output", "--json").stdout), &all); err != nil {
		s.r.t.Fatal(err)
	}
	outputs := map[string]string{}
	for k, v := range all {
		if text, ok := v.(string); ok {
			outputs[k] = text
		}
	}
	return outputs
}

// requireCalls fails unless f made exactly the calls want (operation →
// count) to fake.
func requireCalls(t *testing.T, fake *fakesm.Fake, step string, want map[string]int, f func()) {
	t.Helper()
	fake.ResetCalls()
	f()
	if got := fake.Calls(); !maps.Equal(got, want) {
		t.Fatalf("%s made the calls %v; want %v", step, got, want)
	}
}

// requireInAccount fails unless arn is a Secrets Manager secret of account.
func requireInAccount(t *testing.T, what, arn string, account fakeAccount) {
	t.Helper()
	if prefix := "arn:aws:secretsmanager:" + fakeRegion + ":" + account.accountID + ":secret:"; !strings.HasPrefix(arn, prefix) {
		t.Fatalf("%s is %q; want a secret of account %s (%s...)", what, arn, account.accountID, prefix)
	}
}

// liveSecretNames are the names of the secrets client's account holds that
// are not scheduled for deletion.
func liveSecretNames(t *testing.T, client *sm.Client) []string {
	t.Helper()
	out, err := client.ListSecrets(t.Context(), &sm.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range out.SecretList {
		if s.DeletedDate == nil {
			names = append(names, aws.ToString(s.Name))
		}
	}
	return names
}
