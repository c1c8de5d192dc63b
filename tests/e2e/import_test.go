package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/smxlabs/pulumi-smx/provider"
)

// The document creates its secret with the AWS CLI; these are its name and value.
const (
	cliSecretName  = "MySecretName"
	cliSecretValue = "MySecretValue"
)

// In a Pulumi deployment a secret value is an object whose secretSigKey
// property holds secretSigValue (sig.Key and sig.Secret), with its ciphertext.
const (
	secretSigKey   = "4dabf18193072939515e22adb298388d"
	secretSigValue = "1b47061264138c4ac30d75fd1eb44270"
)

// TestImportSecretCreatedWithTheAWSCLI creates a secret exactly as the user's
// document does, with `aws secretsmanager create-secret`, then adopts it into
// a Pulumi program with the import resource option: the Secret by name, its
// value as a SecretVersion by stage (`<arn>|AWSCURRENT`). The import changes
// nothing in AWS, the next preview is empty, the imported value is a secret
// in state and appears in plaintext in no state file and no output, and
// destroy schedules the adopted secret for deletion.
func TestImportSecretCreatedWithTheAWSCLI(t *testing.T) {
	r := newStackRun(t)
	ctx := context.Background()

	// No --endpoint-url: the AWS CLI finds moto through
	// AWS_ENDPOINT_URL_SECRETS_MANAGER, as the provider does.
	created := r.runCommand(runOptions{dir: t.TempDir()}, "aws", "secretsmanager", "create-secret",
		"--name", cliSecretName, "--secret-string", cliSecretValue).stdout
	r.assertNoPlaintextValue("the output of aws secretsmanager create-secret", created, cliSecretValue)
	var secret struct {
		ARN, Name string
		VersionID string `json:"VersionId"`
	}
	if err := json.Unmarshal([]byte(created), &secret); err != nil {
		t.Fatalf("create-secret did not print JSON: %v\n%s", err, created)
	}
	if !strings.HasPrefix(secret.ARN, "arn:aws:secretsmanager:") || secret.Name != cliSecretName || secret.VersionID == "" {
		t.Fatalf("create-secret printed %+v, want the new secret's ARN, name and version", secret)
	}
	// The CLI talked to this run's moto, not to some real account.
	r.assertSecretValue(secret.ARN, cliSecretValue)

	var output outputCapture
	stack := r.inlineStack(ctx, "import", func(ctx *pulumi.Context) error {
		s, err := registerSecret(ctx, "secret", pulumi.Map{"name": pulumi.String(cliSecretName)},
			pulumi.Import(pulumi.ID(cliSecretName)))
		if err != nil {
			return err
		}
		v, err := registerSecretVersion(ctx, "secretVersion", pulumi.Map{
			"secretId":     pulumi.String(secret.ARN),
			"secretString": pulumi.String(cliSecretValue),
		}, pulumi.Import(pulumi.ID(secret.ARN+"|AWSCURRENT")))
		if err != nil {
			return err
		}
		ctx.Export("secretArn", s.Arn)
		ctx.Export("versionId", v.VersionId)
		return nil
	}, nil)

	up, err := stack.Up(ctx, optup.ProgressStreams(&output), optup.ErrorProgressStreams(&output), optup.Diff())
	r.assertNoPlaintextValue("the output of up", output.String(), cliSecretValue)
	if err != nil {
		t.Fatalf("up (import) failed: %v\n%s", err, output.String())
	}
	if changes := changeCounts(*up.Summary.ResourceChanges); changes["import"] != 2 || changes["create"] != 1 {
		t.Fatalf("up did %v, want the stack created and both resources imported", changes)
	}
	if got := up.Outputs["secretArn"].Value; got != secret.ARN {
		t.Fatalf("the imported Secret's arn is %v, want %s", got, secret.ARN)
	}
	if got := up.Outputs["versionId"].Value; got != secret.VersionID {
		t.Fatalf("the imported SecretVersion's versionId is %v, want the CLI's version %s", got, secret.VersionID)
	}
	// Importing wrote nothing: the secret still has its one version, the CLI's.
	versions, err := r.client.ListSecretVersionIds(ctx, &sm.ListSecretVersionIdsInput{SecretId: &secret.ARN})
	if err != nil {
		t.Fatal(err)
	}
	if len(versions.Versions) != 1 || aws.ToString(versions.Versions[0].VersionId) != secret.VersionID {
		t.Fatalf("after the import the secret has %d versions, want only the CLI's", len(versions.Versions))
	}
	r.assertSecretValue(secret.ARN, cliSecretValue)

	preview, err := stack.Preview(ctx, optpreview.ProgressStreams(&output), optpreview.ErrorProgressStreams(&output), optpreview.Diff())
	r.assertNoPlaintextValue("the output of preview", output.String(), cliSecretValue)
	if err != nil {
		t.Fatalf("preview failed: %v\n%s", err, output.String())
	}
	r.assertNoChanges(changeCounts(preview.ChangeSummary))

	// The imported value is in state only as a Pulumi secret. (stack.Export
	// runs `pulumi stack export --show-secrets`, which decrypts by design;
	// this is the plain export, as a user would run it.)
	exported := r.runPulumi(stack.Workspace().WorkDir(), "stack", "export", "--stack", stack.Name())
	r.assertNoPlaintextValue("pulumi stack export", exported, cliSecretValue)
	var deployment struct{ Deployment json.RawMessage }
	if err := json.Unmarshal([]byte(exported), &deployment); err != nil {
		t.Fatalf("pulumi stack export did not print a deployment: %v", err)
	}
	assertImportedValueIsSecret(t, deployment.Deployment)
	r.assertStateLacks(cliSecretValue)

	destroyed, err := stack.Destroy(ctx, optdestroy.ProgressStreams(&output), optdestroy.ErrorProgressStreams(&output))
	r.assertNoPlaintextValue("the output of destroy", output.String(), cliSecretValue)
	if err != nil {
		t.Fatalf("destroy failed: %v\n%s", err, output.String())
	}
	if changes := changeCounts(*destroyed.Summary.ResourceChanges); changes["delete"] != 3 {
		t.Fatalf("destroy did %v, want the stack and its two resources deleted", changes)
	}
	// Destroying an adopted secret deletes it like a created one: scheduled
	// for deletion with the default recovery window.
	described, err := r.client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &secret.ARN})
	if err != nil {
		t.Fatalf("the secret is gone at once after destroy, want it scheduled for deletion: %v", err)
	}
	if described.DeletedDate == nil {
		t.Fatalf("secret %s is still live after destroy", secret.ARN)
	}
	r.assertNoLiveSecrets()
	r.assertStateLacks(cliSecretValue)
	r.assertAutomaticLogsLack(stack.Workspace().WorkDir(), stack.Name(), cliSecretValue)
}

// assertImportedValueIsSecret checks that the SecretVersion's secretString,
// both as input and as output, is stored as a Pulumi secret (an object
// carrying the secret signature and ciphertext), not as a string.
func assertImportedValueIsSecret(t *testing.T, deployment json.RawMessage) {
	t.Helper()
	var state struct {
		Resources []struct {
			URN     string                     `json:"urn"`
			Type    string                     `json:"type"`
			Inputs  map[string]json.RawMessage `json:"inputs"`
			Outputs map[string]json.RawMessage `json:"outputs"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(deployment, &state); err != nil {
		t.Fatalf("decoding the exported deployment: %v", err)
	}
	found := false
	for _, res := range state.Resources {
		if res.Type != "smx:secretsmanager:SecretVersion" {
			continue
		}
		found = true
		for kind, props := range map[string]map[string]json.RawMessage{"inputs": res.Inputs, "outputs": res.Outputs} {
			raw, ok := props["secretString"]
			if !ok {
				t.Fatalf("%s has no secretString in its %s", res.URN, kind)
			}
			var value map[string]any
			if err := json.Unmarshal(raw, &value); err != nil {
				t.Fatalf("%s's secretString %s is not a secret object (a plain %s)", res.URN, kind, jsonKind(raw))
			}
			if value[secretSigKey] != secretSigValue {
				t.Fatalf("%s's secretString %s lacks the secret signature: keys %v", res.URN, kind, mapKeys(value))
			}
			if ciphertext, _ := value["ciphertext"].(string); ciphertext == "" {
				t.Fatalf("%s's secretString %s is a secret without ciphertext: keys %v", res.URN, kind, mapKeys(value))
			}
		}
	}
	if !found {
		t.Fatal("the exported deployment has no SecretVersion")
	}
}

func jsonKind(raw json.RawMessage) string {
	switch s := strings.TrimSpace(string(raw)); {
	case strings.HasPrefix(s, `"`):
		return "string"
	case s == "null":
		return "null"
	default:
		return "non-object value"
	}
}

func mapKeys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// --- Automation API inline programs declared in this package -----------------
//
// tests/e2e does not depend on the generated Go SDK (sdk/ is its own module),
// so these programs register smx's resources through the generic API, with
// the secret marking the generated SDK would add.

// secretResource receives the outputs of an smx:secretsmanager:Secret.
type secretResource struct {
	pulumi.CustomResourceState
	Arn  pulumi.StringOutput `pulumi:"arn"`
	Name pulumi.StringOutput `pulumi:"name"`
}

// secretVersionResource receives the outputs of an smx:secretsmanager:SecretVersion.
type secretVersionResource struct {
	pulumi.CustomResourceState
	Arn       pulumi.StringOutput `pulumi:"arn"`
	VersionId pulumi.StringOutput `pulumi:"versionId"` //nolint:revive // the property's name
}

// registerSecret declares an smx Secret, served by the plugin this run installed.
func registerSecret(ctx *pulumi.Context, name string, args pulumi.Map, opts ...pulumi.ResourceOption) (*secretResource, error) {
	var res secretResource
	opts = append([]pulumi.ResourceOption{pulumi.Version(provider.Version)}, opts...)
	return &res, ctx.RegisterResource("smx:secretsmanager:Secret", name, args, &res, opts...)
}

// registerSecretVersion declares an smx SecretVersion; secretString and
// secretBinary, if set, are marked secret as the generated SDKs mark them.
func registerSecretVersion(ctx *pulumi.Context, name string, args pulumi.Map, opts ...pulumi.ResourceOption) (*secretVersionResource, error) {
	var res secretVersionResource
	for _, property := range []string{"secretString", "secretBinary"} {
		if value, ok := args[property]; ok {
			args[property] = pulumi.ToSecret(value)
		}
	}
	opts = append([]pulumi.ResourceOption{pulumi.Version(provider.Version)}, opts...)
	return &res, ctx.RegisterResource("smx:secretsmanager:SecretVersion", name, args, &res, opts...)
}

// outputCapture collects everything the CLI writes, from any goroutine.
type outputCapture struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *outputCapture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Write(p)
}

func (c *outputCapture) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// changeCounts converts an Automation API change summary to assertNoChanges' form.
func changeCounts[K ~string](summary map[K]int) map[string]int {
	counts := map[string]int{}
	for op, n := range summary {
		counts[string(op)] = n
	}
	return counts
}

// assertAutomaticLogsLack checks the log files the Pulumi CLI writes by
// itself on every command, at debug level, into $PULUMI_HOME/logs (stack
// operations encrypted with the stack's secrets provider, other commands
// gzip-compressed): decrypted with `pulumi logs decrypt`, none may contain
// value. A user hands these files to Pulumi support (`pulumi logs share`).
func (r *stackRun) assertAutomaticLogsLack(workDir, stackName, value string) {
	r.t.Helper()
	// Listed first: decrypting writes logs of its own.
	logs, err := filepath.Glob(filepath.Join(r.env["PULUMI_HOME"], "logs", "*.log"))
	if err != nil {
		r.t.Fatal(err)
	}
	stackLogs := 0
	for _, log := range logs {
		if strings.Contains(filepath.Base(log), "+"+stackName+"-") {
			stackLogs++
		}
		text := r.runPulumi(workDir, "logs", "decrypt", log, "--stack", stackName)
		r.assertNoPlaintextValue("the CLI's automatic log "+filepath.Base(log)+" (decrypted)", text, value)
	}
	if stackLogs == 0 {
		r.t.Fatalf("no automatic log of stack %s under %s: the check would prove nothing", stackName, filepath.Join(r.env["PULUMI_HOME"], "logs"))
	}
}
