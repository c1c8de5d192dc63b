package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
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
// destroy schedules the adopted secret for deletion. Then the same run
// imports more secrets made with the AWS CLI with the `pulumi import`
// command, which generates the program's code (importWithTheCLI).
func TestImportSecretCreatedWithTheAWSCLI(t *testing.T) {
	t.Parallel()
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

	r.importWithTheCLI()
}

// importWithTheCLI imports, with the `pulumi import` command in a YAML
// project, secrets made with the AWS CLI: one with a text value, AWS's
// maximum of 50 tags and a tag CloudFormation would set
// (aws:cloudformation:stack-name), and one with a binary value. The command
// prints the generated program (or writes it to --out), and neither that
// code nor anything else it prints holds a value: the code gives each
// SecretVersion a placeholder in its value property, and the output carries
// smx's note saying what to do. The code names the secret's own 50 tags and
// not AWS's. Unchanged, the code fails to preview, refusing the placeholder;
// with the user's values in place of the placeholders it previews with no
// change, refresh included; a value changed outside Pulumi then shows as a
// change, because the state keeps the value, encrypted, in the version's
// outputs.
func (r *stackRun) importWithTheCLI() {
	t := r.t
	textValue, binaryText := "imp0rted-"+randomLowercase(t, 16), "bin4ry-"+randomLowercase(t, 16)
	binaryValue := append(append([]byte{0, 0xff}, binaryText...), 0)
	binaryBase64 := base64.StdEncoding.EncodeToString(binaryValue)
	changedValue := "ch4nged-" + randomLowercase(t, 16)
	r.watchSecretValues(textValue, binaryText, binaryBase64, changedValue)
	work := t.TempDir()
	awsCLI := func(args ...string) string {
		return strings.TrimSpace(r.runCommand(runOptions{dir: work}, "aws", append([]string{"secretsmanager"}, args...)...).stdout)
	}

	tags := []string{"--tags", "Key=aws:cloudformation:stack-name,Value=app"}
	for i := range 50 {
		tags = append(tags, fmt.Sprintf("Key=tag%02d,Value=v%02d", i, i))
	}
	textARN := awsCLI(append([]string{"create-secret", "--name", "imported/text", "--secret-string", textValue,
		"--query", "ARN", "--output", "text"}, tags...)...)
	binaryFile := filepath.Join(work, "value.bin")
	if err := os.WriteFile(binaryFile, binaryValue, 0o600); err != nil {
		t.Fatal(err)
	}
	binaryARN := awsCLI("create-secret", "--name", "imported/binary", "--secret-binary", "fileb://"+binaryFile,
		"--query", "ARN", "--output", "text")

	project := filepath.Join(work, "project")
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	const header = "name: smx-cli-import\nruntime: yaml\ndescription: secrets imported with pulumi import (tests/e2e/import_test.go)\n"
	if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte(header), 0o644); err != nil {
		t.Fatal(err)
	}
	const stackName = "cli-import"
	r.runPulumi(project, "stack", "init", stackName, "--non-interactive")

	// The Secret and its text value in one import file; the code goes to stdout.
	importFile := filepath.Join(project, "import.json")
	resources := fmt.Sprintf(`{"resources": [
  {"type": "smx:secretsmanager:Secret", "name": "importedSecret", "id": "imported/text"},
  {"type": "smx:secretsmanager:SecretVersion", "name": "importedText", "id": %q}
]}`, textARN+"|AWSCURRENT")
	if err := os.WriteFile(importFile, []byte(resources), 0o644); err != nil {
		t.Fatal(err)
	}
	first := r.runCommand(runOptions{dir: project}, "pulumi", "import", "--file", importFile,
		"--yes", "--non-interactive", "--protect=false")
	_, code, found := strings.Cut(first.stdout, "Please copy the following code into your Pulumi application.")
	if !found {
		t.Fatalf("pulumi import printed no code:\n%s", first)
	}
	r.assertNoPlaintext("the code pulumi import printed", code)
	assertImportedVersionCode(t, "the code pulumi import printed", code, "importedText", "secretString")
	assertImportNote(t, first, "secretString")
	secretCode := codeOf(t, code, "importedSecret")
	if strings.Contains(strings.ToLower(secretCode), "aws:") {
		t.Fatalf("the generated Secret names AWS's own tags, which smx rejects:\n%s", secretCode)
	}
	for i := range 50 {
		if !strings.Contains(secretCode, fmt.Sprintf("tag%02d: v%02d", i, i)) {
			t.Fatalf("the generated Secret lacks tag%02d of the secret's 50 tags:\n%s", i, secretCode)
		}
	}

	// The binary value with the command's one-resource form, into --out.
	outFile := filepath.Join(project, "binary.yaml")
	second := r.runCommand(runOptions{dir: project}, "pulumi", "import", "smx:secretsmanager:SecretVersion",
		"importedBinary", binaryARN+"|AWSCURRENT", "--out", outFile, "--yes", "--non-interactive", "--protect=false")
	written, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatalf("pulumi import --out wrote no file: %v\n%s", err, second)
	}
	r.assertNoPlaintext("the file pulumi import --out wrote", string(written))
	assertImportedVersionCode(t, "the file pulumi import --out wrote", string(written), "importedBinary", "secretBinary")
	assertImportNote(t, second, "secretBinary")
	r.assertCLIImportState(project, stackName)

	// The generated code as it is fails to preview: each placeholder is
	// refused, until the user's own value, from secret config, replaces it.
	// (A preview stops at its first refusal, which may be either one.)
	program := header + "config:\n  textValue:\n    type: string\n    secret: true\n" +
		"  binaryValue:\n    type: string\n    secret: true\nresources:\n" + resourcesOf(t, code) + resourcesOf(t, string(written))
	writeProgram := func(text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r.runPulumi(project, "config", "set", "--secret", "textValue", textValue)
	r.runPulumi(project, "config", "set", "--secret", "binaryValue", binaryBase64)
	values := map[string]struct{ resource, value string }{
		"secretString": {"importedText", "${textValue}"},
		"secretBinary": {"importedBinary", "${binaryValue}"},
	}
	for len(values) > 0 {
		writeProgram(program)
		refused := r.runCommand(runOptions{dir: project, expect: mustFail}, "pulumi", "preview", "--non-interactive")
		found := false
		for property, v := range values {
			refusal := "SecretVersion resource '" + v.resource + "': property " + property +
				" value {[secret]} has a problem: holds the placeholder that `pulumi import` wrote in place of this version's value"
			if strings.Contains(refused.errors(), refusal) {
				program, found = withValue(t, program, v.resource, property, v.value), true
				delete(values, property)
			}
		}
		if !found {
			t.Fatalf("the preview of the generated code refuses no placeholder of %v:\n%s", values, refused)
		}
	}
	writeProgram(program)
	r.runPulumi(project, "preview", "--refresh", "--expect-no-changes", "--diff", "--non-interactive")

	// The state kept the value: a refresh sees it changed outside Pulumi.
	awsCLI("put-secret-value", "--secret-id", textARN, "--secret-string", changedValue)
	drift := r.runPulumi(project, "preview", "--refresh", "--diff", "--non-interactive")
	if !strings.Contains(drift, "+-smx:secretsmanager:SecretVersion: (replace)") || !strings.Contains(drift, "~ secretString: [secret] => [secret]") ||
		!strings.Contains(drift, "SecretVersion::importedText") || !strings.Contains(drift, "+-1 to replace") {
		t.Fatalf("a refreshing preview after the value changed outside Pulumi plans no replacement of importedText:\n%s", drift)
	}

	// Destroy schedules the imported Secret for deletion; the binary value's
	// secret was never imported, only its version, so it stays, and goes
	// with the AWS CLI.
	r.runPulumi(project, "destroy", "--yes", "--non-interactive")
	awsCLI("delete-secret", "--secret-id", binaryARN, "--recovery-window-in-days", "7")
	r.assertNoLiveSecrets()
	r.assertNothingLeaked(project, stackName)
}

// assertImportedVersionCode checks the generated code of one SecretVersion:
// it names its secret, and holds the import's placeholder in the property
// that holds the version's value, and no other value property.
func assertImportedVersionCode(t *testing.T, where, code, name, valueProperty string) {
	t.Helper()
	version := codeOf(t, code, name)
	if !strings.Contains(version, "type: smx:secretsmanager:SecretVersion") || !strings.Contains(version, "secretId: ") {
		t.Fatalf("%s does not declare SecretVersion %s by its secretId:\n%s", where, name, version)
	}
	line := propertyLine(t, version, valueProperty)
	if !strings.Contains(line, "<replace with this version's value") || !strings.Contains(line, "which pulumi import never prints>") {
		t.Fatalf("%s gives SecretVersion %s a %s that is not the import's placeholder:\n%s", where, name, valueProperty, version)
	}
	for _, property := range []string{"secretString", "secretBinary", "secretStringWo", "secretBinaryWo"} {
		if property != valueProperty && strings.Contains(version, property) {
			t.Fatalf("%s gives SecretVersion %s a %s:\n%s", where, name, property, version)
		}
	}
}

// propertyLine is the line of a resource's generated code that sets property.
func propertyLine(t *testing.T, resource, property string) string {
	t.Helper()
	for _, line := range strings.Split(resource, "\n") {
		if strings.HasPrefix(line, "      "+property+": ") {
			return line
		}
	}
	t.Fatalf("the generated code sets no %s:\n%s", property, resource)
	return ""
}

// assertImportNote checks that an import's output carries smx's note on the
// value property the code leaves out, and no warning that smx failed its own
// validation of the imported inputs.
func assertImportNote(t *testing.T, res cliResult, property string) {
	t.Helper()
	note := property + ": the code generated for this import holds a placeholder instead of the secret's value, so that the value is never printed"
	if !strings.Contains(res.output(), note) {
		t.Fatalf("the output of %s lacks the note %q:\n%s", res.command, note, res)
	}
	if strings.Contains(res.output(), "failed to validate") {
		t.Fatalf("the imported inputs failed smx's own validation in %s:\n%s", res.command, res)
	}
}

// resourcesOf returns the resources a generated YAML program declares: the
// lines after its `resources:` line.
func resourcesOf(t *testing.T, code string) string {
	t.Helper()
	_, body, found := strings.Cut(code, "resources:\n")
	if !found {
		t.Fatalf("the generated code has no resources:\n%s", code)
	}
	return strings.TrimRight(body, "\n") + "\n"
}

// codeOf returns the block of one resource in a generated YAML program.
func codeOf(t *testing.T, code, name string) string {
	t.Helper()
	body := resourcesOf(t, code)
	_, block, found := strings.Cut(body, "\n  "+name+":\n")
	if !found && strings.HasPrefix(body, "  "+name+":\n") {
		block, found = strings.TrimPrefix(body, "  "+name+":\n"), true
	}
	if !found {
		t.Fatalf("the generated code declares no %s:\n%s", name, code)
	}
	var lines []string
	for _, line := range strings.Split(block, "\n") {
		if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") {
			break // the next resource
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// withValue replaces the placeholder in one SecretVersion of a YAML program
// with value, which sets property.
func withValue(t *testing.T, program, name, property, value string) string {
	t.Helper()
	placeholder := propertyLine(t, codeOf(t, program, name), property)
	return strings.Replace(program, placeholder, "      "+property+": "+value, 1)
}

// assertCLIImportState checks what the import recorded for each
// SecretVersion: its value in its outputs, as a Pulumi secret (with the
// secret signature and ciphertext), which refresh compares; in its inputs,
// from which the code was generated, the placeholder, a secret too.
func (r *stackRun) assertCLIImportState(project, stackName string) {
	r.t.Helper()
	var exported struct {
		Deployment struct {
			Resources []exportedResource `json:"resources"`
		} `json:"deployment"`
	}
	if err := json.Unmarshal([]byte(r.runPulumi(project, "stack", "export", "--stack", stackName)), &exported); err != nil {
		r.t.Fatal(err)
	}
	versions := 0
	for _, res := range exported.Deployment.Resources {
		if res.Type != "smx:secretsmanager:SecretVersion" {
			continue
		}
		versions++
		property := "secretString"
		if _, binary := res.Outputs["secretBinary"]; binary {
			property = "secretBinary"
		}
		for kind, props := range map[string]map[string]any{"inputs": res.Inputs, "outputs": res.Outputs} {
			secret, _ := props[property].(map[string]any)
			if ciphertext, _ := secret["ciphertext"].(string); secret[secretSigKey] != secretSigValue || ciphertext == "" {
				r.t.Fatalf("%s's %s do not hold %s as a Pulumi secret: %v", res.URN, kind, property, props[property])
			}
		}
	}
	if versions != 2 {
		r.t.Fatalf("the state holds %d SecretVersions, want the 2 imported", versions)
	}
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
