package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smxlabs/pulumi-smx/provider"
)

// TestYAMLExample runs examples/yaml with the real `pulumi up` in its project
// folder, as `make demo` does.
func TestYAMLExample(t *testing.T) {
	t.Parallel()
	r := newStackRun(t)
	project := filepath.Join(t.TempDir(), "yaml")
	r.runCommand(runOptions{}, "cp", "-r", filepath.Join(repoRoot, "examples", "yaml"), project)

	r.runPulumi(project, "stack", "init", "e2e", "--non-interactive")
	r.runPulumi(project, "up", "--yes", "--non-interactive", "--diff")
	var outputs map[string]string
	if err := json.Unmarshal([]byte(r.runPulumi(project, "stack", "output", "--json")), &outputs); err != nil {
		t.Fatal(err)
	}
	r.assertSecretValue(outputs["secretId"], documentSecretValue)
	preview := r.runCommand(runOptions{dir: project}, "pulumi", "preview", "--expect-no-changes", "--non-interactive", "--diff")
	if strings.Contains(preview.output(), "plain http://") {
		t.Fatalf("moto on loopback over http:// was warned of:\n%s", preview)
	}
	// A plain http:// endpoint to another machine would carry every secret
	// value unencrypted: the preview warns, naming the host, once for its one
	// provider. Nothing changed, so the preview calls nothing: nothing goes
	// to that address (TEST-NET-1, never routed).
	remote := r.runCommand(runOptions{dir: project, env: map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://192.0.2.10:5000"}},
		"pulumi", "preview", "--expect-no-changes", "--non-interactive")
	warnings := 0
	for _, line := range strings.Split(remote.stdout, "\n") {
		// The Diagnostics section lists each warning once.
		if strings.HasPrefix(strings.TrimSpace(line), "warning: smx: the Secrets Manager endpoint http://192.0.2.10:5000 "+
			"(from AWS_ENDPOINT_URL_SECRETS_MANAGER) is plain http:// to 192.0.2.10, which is not this machine") {
			warnings++
		}
	}
	if warnings != 1 || !strings.Contains(remote.stdout, "1 warning") {
		t.Fatalf("the preview gave %d warnings of the plain http:// endpoint to 192.0.2.10, want one:\n%s", warnings, remote)
	}
	r.runPulumi(project, "refresh", "--yes", "--expect-no-changes", "--non-interactive")
	r.assertStateHasNoPlaintext()
	r.runPulumi(project, "destroy", "--yes", "--non-interactive")
	r.assertNoLiveSecrets()
	r.assertStateHasNoPlaintext()
}

// The document's Go, TypeScript and Python programs, each run as an inline
// program by its driver: up, the value read back through the AWS API, an
// empty preview, no plaintext in state, destroy, no live secret.
func TestGoExample(t *testing.T) {
	t.Parallel()
	runExample(t, goExampleDriver(t), filepath.Join(repoRoot, "examples", "go"), "secretContainer")
}

func TestTypeScriptExample(t *testing.T) {
	t.Parallel()
	exampleDir := filepath.Join(repoRoot, "examples", "ts")
	requireFile(t, filepath.Join(exampleDir, "bin", "index.js"), "make examples")
	runExample(t, nodeDriver, exampleDir, "secretId")
}

func TestPythonExample(t *testing.T) {
	t.Parallel()
	runExample(t, pythonDriver(t), filepath.Join(repoRoot, "examples", "py"), "secret_id")
}

func runExample(t *testing.T, driver []string, exampleDir, secretIDOutput string) {
	r := newStackRun(t)
	const stack = "e2e"

	up := r.drive(driver, exampleDir, stack, "up")
	secretID, _ := up.Outputs[secretIDOutput].(string)
	if !strings.HasPrefix(secretID, "arn:aws:secretsmanager:") {
		t.Fatalf("output %q is %v, want the secret's ARN", secretIDOutput, up.Outputs[secretIDOutput])
	}
	r.assertSecretValue(secretID, documentSecretValue)

	r.assertNoChanges(r.drive(driver, exampleDir, stack, "preview").ChangeSummary)
	r.assertStateHasNoPlaintext()

	destroyed := r.drive(driver, exampleDir, stack, "destroy").ChangeSummary
	if destroyed["delete"] != 3 {
		t.Fatalf("destroy deleted %v, want the stack and its two resources", destroyed)
	}
	r.assertNoLiveSecrets()
	r.assertStateHasNoPlaintext()
}

// The C# SDK cannot be compiled here (no .NET SDK, no NuGet). What can be
// checked is that the generated SDK declares every name the document's C#
// program uses, in the namespaces it imports.
func TestCSharpSDKCoversTheDocumentsProgram(t *testing.T) {
	t.Parallel()
	sdk := filepath.Join(repoRoot, "sdk", "dotnet")
	read := func(path string) string {
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(content)
	}
	secret := read(filepath.Join(sdk, "SecretsManager", "Secret.cs"))
	version := read(filepath.Join(sdk, "SecretsManager", "SecretVersion.cs"))
	project := read(filepath.Join(sdk, "Pulumi.Smx.csproj"))

	for _, want := range []struct{ file, name, text string }{
		{"Secret.cs", "namespace", "namespace Pulumi.Smx.SecretsManager"},
		{"Secret.cs", "class Secret", "public partial class Secret : global::Pulumi.CustomResource"},
		{"Secret.cs", "constructor Secret(name)", "public Secret(string name, SecretArgs? args = null, CustomResourceOptions? options = null)"},
		{"SecretVersion.cs", "namespace", "namespace Pulumi.Smx.SecretsManager"},
		{"SecretVersion.cs", "class SecretVersion", "public partial class SecretVersion : global::Pulumi.CustomResource"},
		{"SecretVersion.cs", "constructor SecretVersion(name, args)", "public SecretVersion(string name, SecretVersionArgs args, CustomResourceOptions? options = null)"},
		{"SecretVersion.cs", "class SecretVersionArgs", "public sealed class SecretVersionArgs : global::Pulumi.ResourceArgs"},
		{"SecretVersion.cs", "SecretVersionArgs.SecretId", "public Input<string> SecretId { get; set; } = null!;"},
		{"SecretVersion.cs", "SecretVersionArgs.SecretString", "public Input<string>? SecretString"},
	} {
		text := secret
		if want.file == "SecretVersion.cs" {
			text = version
		}
		if !strings.Contains(text, want.text) {
			t.Errorf("%s lacks %s (%q)", want.file, want.name, want.text)
		}
	}
	// The NuGet package ID is the project file's name, Pulumi.Smx.
	if want := "<Version>" + provider.Version + "</Version>"; !strings.Contains(project, want) {
		t.Errorf("Pulumi.Smx.csproj does not carry the provider's version (%s)", want)
	}

	// And the example is the document's program with only its import changed.
	program := read(filepath.Join(repoRoot, "examples", "cs", "MyStack.cs"))
	for _, line := range []string{
		"using Pulumi.Smx.SecretsManager;",
		`var secret = new Secret("secret");`,
		`var secretVersion = new SecretVersion("secretVersion", new SecretVersionArgs`,
		"SecretId = secret.Id,",
		`SecretString = "mysecret"`,
	} {
		if !strings.Contains(program, line) {
			t.Errorf("examples/cs/MyStack.cs lacks the document's line %q", line)
		}
	}
}
