package e2e

// The least-privilege IAM policy (docs/iam-policy.json), proven against moto
// with IAM enforcement on: a user holding only that policy runs the document's
// stack and the second example through up, preview, refresh, import and
// destroy; and a user holding it less any one of its actions fails somewhere.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/internal/moto"
)

// notExercisedHere are the policy's actions none of the programs below
// calls, each with why it is in the policy all the same. Their necessity is
// not proven by this suite; every other action's is.
var notExercisedHere = map[string]string{
	"secretsmanager:ReplicateSecretToRegions":     "adding replicas",
	"secretsmanager:RemoveRegionsFromReplication": "removing replicas, and deleting a replicated secret",
	// moto calls the rotation function without checking the caller's
	// permission to invoke it; AWS requires it of RotateSecret's caller.
	"lambda:InvokeFunction": "RotateSecret with a rotation function (AWS checks it; moto does not)",
	// Secrets Manager calls KMS on the caller's behalf only for a customer
	// managed key (kmsKeyId); moto makes no KMS call at all.
	"kms:GenerateDataKey": "writing a value encrypted with a customer managed key (AWS checks it; moto does not)",
	"kms:Decrypt":         "reading a value encrypted with a customer managed key (AWS checks it; moto does not)",
	// moto does not serve the Resource Groups Tagging API's ListRequiredTags;
	// provider/secretsmanager's tests answer it from internal/faketagging.
	"tag:ListRequiredTags": "smx:tagPolicyCompliance error or warning: reading the tag keys the organization requires",
	// moto 5.2 has none of the cross-account operations; the served fake
	// (internal/fakesm) has them, but does not enforce IAM. The actions are
	// the API reference's "Required permissions" of each call.
	"secretsmanager:AssociateCrossAccountReplica":    "CrossAccountReplication: create, update and repair (moto lacks the operation)",
	"secretsmanager:DisassociateCrossAccountReplica": "CrossAccountReplication: delete; deleting a primary with a replica associated outside Pulumi (moto lacks the operation)",
	"secretsmanager:AcceptCrossAccountReplication":   "AssociateCrossAccountReplica, which Secrets Manager calls on the replica on the caller's behalf (moto lacks the operation)",
	"secretsmanager:StopReplicationToReplica":        "promoting a cross-account replica: crossAccountPrimaryArn removed, and before the replica is deleted (moto makes no cross-account replica)",
	// Secrets Manager passes the role and calls KMS for the replica on the
	// caller's behalf; moto does neither.
	"iam:PassRole": "CrossAccountReplication with replicationRoleArn (AWS checks it; moto lacks the operation)",
	"kms:Encrypt":  "AssociateCrossAccountReplica: encrypting the replica's copy with its account's key (AWS checks it; moto lacks the operation)",
}

func TestIAMPolicyIsSufficient(t *testing.T) {
	t.Parallel()
	m := startIAMMoto(t)
	lambdaARN := m.rotationLambda(t)
	r := m.runAs(t, "smx-deployer", readIAMPolicy(t))
	if step, res := runEveryOperation(r, m, lambdaARN, mustSucceed); step != "" {
		t.Fatalf("with docs/iam-policy.json, %s failed:\n%s", step, res)
	}
	r.assertNoLiveSecrets()
}

func TestEveryActionOfTheIAMPolicyIsNeeded(t *testing.T) {
	t.Parallel()
	policy := readIAMPolicy(t)
	actions := policy.actions()
	for action := range notExercisedHere {
		if !slices.Contains(actions, action) {
			t.Errorf("%s is listed as not exercised here but is not in docs/iam-policy.json: drop it from notExercisedHere", action)
		}
	}
	m := startIAMMoto(t)
	lambdaARN := m.rotationLambda(t)
	for _, action := range actions {
		if _, skip := notExercisedHere[action]; skip {
			continue
		}
		t.Run(strings.ReplaceAll(action, ":", "_"), func(t *testing.T) {
			t.Parallel()
			user := "without-" + strings.ReplaceAll(action, ":", "-")
			r := m.runAs(t, user, policy.without(action))
			step, res := runEveryOperation(r, m, lambdaARN, eitherOutcome)
			if step == "" {
				t.Fatalf("every operation passed without %s: docs/iam-policy.json holds an action smx does not need "+
					"(or these programs do not use it: then list it in notExercisedHere with what does)", action)
			}
			// The refusal names the action and never a value.
			if !strings.Contains(res.output(), action) {
				t.Fatalf("%s failed without %s, but its output does not name the action:\n%s", step, action, res)
			}
			t.Logf("without %s: %s fails", action, step)
		})
	}
}

// runEveryOperation takes the document's stack and the second example
// through every operation a user runs, then a program that uses the rest of
// smx (updates in place, version labels, the listing functions, restoring a
// secret scheduled for deletion, a Tag), stopping at the first step that fails; it
// returns that step ("" when all pass) and its result. Secrets are named
// per run, so runs can share one moto.
func runEveryOperation(r *stackRun, m *iamMoto, lambdaARN string, expect expectation) (string, cliResult) {
	r.t.Helper()
	document := filepath.Join(r.t.TempDir(), "yaml")
	r.runCommand(runOptions{}, "cp", "-r", filepath.Join(repoRoot, "examples", "yaml"), document)
	rotation := filepath.Join(r.t.TempDir(), "yaml-rotation")
	r.runCommand(runOptions{}, "cp", "-r", filepath.Join(repoRoot, "examples", "yaml-rotation"), rotation)
	imported := m.secretMadeOutsidePulumi(r.t)
	rest := filepath.Join(r.t.TempDir(), "rest")
	if err := os.MkdirAll(rest, 0o755); err != nil {
		r.t.Fatal(err)
	}
	restName := "rest-of-smx-" + strings.NewReplacer("/", "-", "_", "-").Replace(r.t.Name())
	program := func(phase restOfSMX) func() {
		return func() {
			if err := os.WriteFile(filepath.Join(rest, "Pulumi.yaml"), []byte(phase.program(restName)), 0o644); err != nil {
				r.t.Fatal(err)
			}
		}
	}

	steps := []struct {
		name, dir string
		args      []string
		before    func()
	}{
		{"stack init", document, []string{"stack", "init", "dev", "--non-interactive"}, nil},
		{"up of the document's stack", document, []string{"up", "--yes", "--non-interactive"}, nil},
		{"preview of the document's stack", document, []string{"preview", "--expect-no-changes", "--non-interactive"}, nil},
		{"refresh of the document's stack", document, []string{"refresh", "--yes", "--non-interactive", "--expect-no-changes"}, nil},
		{"stack init", document, []string{"stack", "init", "imported", "--non-interactive"}, nil},
		{"import of a secret made with the AWS API", document, []string{"import", "smx:secretsmanager:Secret", "imported", imported,
			"--yes", "--non-interactive", "--protect=false", "--generate-code=false"}, nil},
		{"destroy of the imported secret", document, []string{"destroy", "--yes", "--non-interactive"}, nil},
		{"destroy of the document's stack", document, []string{"destroy", "--yes", "--non-interactive", "--stack", "dev"}, nil},
		{"stack init", rotation, []string{"stack", "init", "dev", "--non-interactive"}, nil},
		{"config", rotation, []string{"config", "set", "rotationLambdaArn", lambdaARN}, nil},
		{"up of the second example", rotation, []string{"up", "--yes", "--non-interactive"}, nil},
		{"preview of the second example", rotation, []string{"preview", "--expect-no-changes", "--non-interactive"}, nil},
		{"refresh of the second example", rotation, []string{"refresh", "--yes", "--non-interactive", "--expect-no-changes"}, nil},
		{"destroy of the second example", rotation, []string{"destroy", "--yes", "--non-interactive"}, nil},
		{"stack init", rest, []string{"stack", "init", "dev", "--non-interactive"}, program(firstSettings)},
		{"up of the rest of smx", rest, []string{"up", "--yes", "--non-interactive"}, nil},
		{"update in place", rest, []string{"up", "--yes", "--non-interactive"}, program(secondSettings)},
		{"refresh after the update", rest, []string{"refresh", "--yes", "--non-interactive", "--expect-no-changes"}, nil},
		{"destroy, keeping the recovery window", rest, []string{"destroy", "--yes", "--non-interactive"}, nil},
		{"up restoring the deleted secret", rest, []string{"up", "--yes", "--non-interactive"}, program(firstSettings)},
		{"destroy of the restored secret", rest, []string{"destroy", "--yes", "--non-interactive"}, nil},
	}
	for _, step := range steps {
		if step.before != nil {
			step.before()
		}
		res := r.runCommand(runOptions{dir: step.dir, expect: expect}, "pulumi", step.args...)
		r.t.Logf("%s: %v in %s", step.name, res.err == nil, res.took.Round(time.Millisecond))
		if res.err != nil {
			return step.name, res
		}
	}
	return "", cliResult{}
}

// restOfSMX is one version of the program that uses what the two examples do
// not: its second version changes the description, the tags, a Tag's value
// and a version label in place; the first, run again after destroy, restores
// the secret.
type restOfSMX struct{ description, tags, tagValue, label string }

var (
	firstSettings  = restOfSMX{description: "first", tags: "team: payments", tagValue: "4711", label: "blue"}
	secondSettings = restOfSMX{description: "second", tags: "owner: platform", tagValue: "4712", label: "green"}
)

func (s restOfSMX) program(secretName string) string {
	return fmt.Sprintf(`name: smx-rest
runtime: yaml
resources:
  secret:
    type: smx:secretsmanager:Secret
    properties:
      name: %s
      description: %s
      tags:
        %s
      restoreIfScheduledForDeletion: true
  costCenter:
    type: smx:secretsmanager:Tag
    properties:
      secretId: ${secret.id}
      key: CostCenter
      value: "%s"
  version:
    type: smx:secretsmanager:SecretVersion
    properties:
      secretId: ${secret.id}
      secretString: %s
      versionStages: [AWSCURRENT, %s]
variables:
  versions:
    fn::invoke:
      function: smx:secretsmanager:getSecretVersions
      arguments:
        secretId: ${secret.id}
  listed:
    fn::invoke:
      function: smx:secretsmanager:getSecrets
      arguments:
        filters:
          - name: name
            values: [ "${secret.name}" ]
outputs:
  versions: ${versions.versions}
  listed: ${listed.arns}
`, secretName, s.description, s.tags, s.tagValue, documentSecretValue, s.label)
}

// --- The IAM policy document ----------------------------------------------------

type iamPolicy struct {
	Version   string         `json:"Version"`
	Statement []iamStatement `json:"Statement"`
}

type iamStatement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Action    stringOrList   `json:"Action"`
	Resource  stringOrList   `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

// stringOrList is an IAM field that holds one string or a list of them.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(data []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte(`"`)) {
		var one string
		if err := json.Unmarshal(data, &one); err != nil {
			return err
		}
		*s = []string{one}
		return nil
	}
	return json.Unmarshal(data, (*[]string)(s))
}

func readIAMPolicy(t *testing.T) iamPolicy {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docs", "iam-policy.json"))
	if err != nil {
		t.Fatal(err)
	}
	var policy iamPolicy
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&policy); err != nil {
		t.Fatalf("docs/iam-policy.json: %v", err)
	}
	for _, s := range policy.Statement {
		if s.Effect != "Allow" || len(s.Action) == 0 || len(s.Resource) == 0 || s.Sid == "" {
			t.Fatalf("docs/iam-policy.json: statement %+v is not a named Allow of actions on resources", s)
		}
		for _, action := range s.Action {
			if strings.Contains(action, "*") {
				t.Fatalf("docs/iam-policy.json: %s is a wildcard; name each action", action)
			}
		}
	}
	return policy
}

// actions are the policy's actions, each once, in the document's order.
func (p iamPolicy) actions() []string {
	var all []string
	for _, s := range p.Statement {
		for _, action := range s.Action {
			if !slices.Contains(all, action) {
				all = append(all, action)
			}
		}
	}
	return all
}

// without is the policy less one action (a statement left with none goes).
func (p iamPolicy) without(action string) iamPolicy {
	less := iamPolicy{Version: p.Version}
	for _, s := range p.Statement {
		s.Action = slices.DeleteFunc(slices.Clone(s.Action), func(a string) bool { return a == action })
		if len(s.Action) > 0 {
			less.Statement = append(less.Statement, s)
		}
	}
	return less
}

// forMoto is the policy as moto can enforce it: moto matches every Secrets
// Manager request against Resource "*" (it checks actions only), so the
// statements' ARN patterns — which AWS applies — are widened to "*" there.
// What this suite proves is therefore the set of actions, not their scoping.
func (p iamPolicy) forMoto() string {
	widened := iamPolicy{Version: p.Version}
	for _, s := range p.Statement {
		s.Resource = stringOrList{"*"}
		widened.Statement = append(widened.Statement, s)
	}
	doc, _ := json.Marshal(widened)
	return string(doc)
}

// --- moto with IAM enforced -----------------------------------------------------

// iamMoto is a moto that enforces IAM policies, with one admin user that
// arranges what the tests need and makes the limited users.
type iamMoto struct {
	server *moto.Server
	admin  aws.CredentialsProvider
	iam    *iam.Client

	lambdaOnce sync.Once
	lambdaARN  string
}

func startIAMMoto(t *testing.T) *iamMoto {
	t.Helper()
	server := moto.StartEnforcingIAM(t)
	ctx := context.Background()
	// The moto.UnauthenticatedCalls calls moto serves before it enforces
	// anything: the admin user, its policy and its key.
	bootstrap := newIAMClient(server, credentials.NewStaticCredentialsProvider(moto.AccessKeyID, moto.SecretAccessKey, ""))
	if _, err := bootstrap.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("admin")}); err != nil {
		t.Fatalf("creating moto's admin user: %v", err)
	}
	if _, err := bootstrap.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("everything"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}); err != nil {
		t.Fatalf("granting moto's admin user everything: %v", err)
	}
	key, err := bootstrap.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("admin")})
	if err != nil {
		t.Fatalf("creating the admin's access key: %v", err)
	}
	admin := credentials.NewStaticCredentialsProvider(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")
	m := &iamMoto{server: server, admin: admin, iam: newIAMClient(server, admin)}
	// IAM is enforced now: an unknown key is refused.
	if _, err := bootstrap.ListUsers(ctx, &iam.ListUsersInput{}); err == nil {
		t.Fatal("moto does not enforce IAM: a request with an unknown access key was served")
	}
	return m
}

func newIAMClient(server *moto.Server, creds aws.CredentialsProvider) *iam.Client {
	return iam.New(iam.Options{Region: moto.Region, BaseEndpoint: aws.String(server.Endpoint), Credentials: creds})
}

func (m *iamMoto) secretsManager() *sm.Client {
	return sm.New(sm.Options{Region: moto.Region, BaseEndpoint: aws.String(m.server.Endpoint), Credentials: m.admin})
}

// runAs is a stack run on this moto with the credentials of a new IAM user
// that holds only policy; the run's own checks use the admin.
func (m *iamMoto) runAs(t *testing.T, user string, policy iamPolicy) *stackRun {
	t.Helper()
	ctx := context.Background()
	if _, err := m.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String("smx"),
		PolicyDocument: aws.String(policy.forMoto())}); err != nil {
		t.Fatal(err)
	}
	key, err := m.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	if err != nil {
		t.Fatal(err)
	}
	r := m.stackRunWith(t, aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey))
	r.installPlugin()
	return r
}

// stackRunWith is a stack run on this moto (no plugin installed) whose
// commands sign with the given access key; its own checks (r.client) use the
// admin.
func (m *iamMoto) stackRunWith(t *testing.T, accessKeyID, secretAccessKey string) *stackRun {
	t.Helper()
	r := newStackRunOn(t, m.server)
	r.client = m.secretsManager()
	r.env["AWS_ACCESS_KEY_ID"], r.env["AWS_SECRET_ACCESS_KEY"] = accessKeyID, secretAccessKey
	return r
}

// rotationLambda is the second example's rotation function, made once by the
// admin (making it is not smx's work).
func (m *iamMoto) rotationLambda(t *testing.T) string {
	t.Helper()
	m.lambdaOnce.Do(func() {
		creds, err := m.admin.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		m.lambdaARN = createRotationLambda(t, m.stackRunWith(t, creds.AccessKeyID, creds.SecretAccessKey))
	})
	return m.lambdaARN
}

// secretMadeOutsidePulumi is a secret the admin creates, for a user to
// import.
func (m *iamMoto) secretMadeOutsidePulumi(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("made-outside-pulumi-%s", strings.ReplaceAll(t.Name(), "/", "-"))
	out, err := m.secretsManager().CreateSecret(context.Background(), &sm.CreateSecretInput{
		Name: aws.String(name), SecretString: aws.String(documentSecretValue),
	})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.ARN)
}
