package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smxlabs/pulumi-smx/internal/moto"
)

// The cross-account example exists in every SDK language
// (examples/{ts,py,go,cs,yaml}-cross-account, the programs the README and the
// registry docs show). moto has no cross-account operation, so it cannot run
// them; what it can do is preview them, through the real CLI and each
// language's generated SDK: every class, argument and option the program
// names must be the SDK's (the Python SDK refuses an unknown keyword when
// the program runs), and the preview plans the two providers and the four
// resources with no cross-account call, as a preview of smx makes none.
// The Go program is run against mocks by its own test
// (examples/go-cross-account/main_test.go) and the C# one checked by name
// below.

// crossAccountExampleConfig is the stack config the examples read. On moto
// both accounts are moto's one account: enough for a preview, which creates
// nothing.
func crossAccountExampleConfig(password string) map[string]stackConfigValue {
	return map[string]stackConfigValue{
		"region":           {Value: moto.Region},
		"primaryAccessKey": {Value: moto.AccessKeyID},
		"primarySecretKey": {Value: moto.SecretAccessKey, Secret: true},
		"replicaAccessKey": {Value: moto.AccessKeyID},
		"replicaSecretKey": {Value: moto.SecretAccessKey, Secret: true},
		"dbPassword":       {Value: password, Secret: true},
	}
}

// crossAccountPlan is what a preview of the example plans: the two
// providers, the primary Secret and its SecretVersion, the replica Secret and
// the CrossAccountReplication, and the stack itself.
const crossAccountPlan = 7

func TestCrossAccountTypeScriptExamplePreviews(t *testing.T) {
	exampleDir := filepath.Join(repoRoot, "examples", "ts-cross-account")
	requireFile(t, filepath.Join(exampleDir, "bin", "index.js"), "make examples")
	previewCrossAccountExample(t, nodeDriver, exampleDir)
}

func TestCrossAccountPythonExamplePreviews(t *testing.T) {
	previewCrossAccountExample(t, pythonDriver(t), filepath.Join(repoRoot, "examples", "py-cross-account"))
}

func previewCrossAccountExample(t *testing.T, driver []string, exampleDir string) {
	r := newStackRun(t)
	password := uniqueValue(t, "cross-account")
	r.watchSecretValues(password)
	preview := r.driveWithConfig(driver, exampleDir, "e2e", "preview", crossAccountExampleConfig(password))
	if preview.ChangeSummary["create"] != crossAccountPlan || len(preview.ChangeSummary) != 1 {
		t.Fatalf("the preview plans %v, want %d creates: the stack, two providers and four resources", preview.ChangeSummary, crossAccountPlan)
	}
	r.assertNoLiveSecrets()
}

// TestCrossAccountYAMLExamplePreviews previews examples/yaml-cross-account
// with the real `pulumi preview` in its project folder. Running it to the
// end takes the served fake (internal/fakesm), which has the cross-account
// operations moto lacks.
func TestCrossAccountYAMLExamplePreviews(t *testing.T) {
	r := newStackRun(t)
	project := filepath.Join(t.TempDir(), "yaml-cross-account")
	r.runCommand(runOptions{}, "cp", "-r", filepath.Join(repoRoot, "examples", "yaml-cross-account"), project)
	r.runPulumi(project, "stack", "init", "e2e", "--non-interactive")
	password := uniqueValue(t, "cross-account")
	r.watchSecretValues(password)
	for key, setting := range crossAccountExampleConfig(password) {
		args := []string{"config", "set", key, setting.Value}
		if setting.Secret {
			args = append(args, "--secret")
		}
		r.runPulumi(project, args...)
	}
	out := r.runPulumi(project, "preview", "--non-interactive")
	if want := "7 to create"; !strings.Contains(out, want) {
		t.Fatalf("the preview does not plan %q (the stack, two providers and four resources):\n%s", want, out)
	}
	r.assertNoLiveSecrets()
	r.assertNothingLeaked(project, "e2e")
}

// TestCSharpSDKCoversTheCrossAccountProgram checks
// examples/cs-cross-account/Program.cs by name, as C# cannot be compiled
// here: every class it constructs is a resource or provider class of the
// generated SDK, every property it sets in an Args initializer is an input
// of that Args class, and every output it reads from a resource is an output
// of that resource's class.
func TestCSharpSDKCoversTheCrossAccountProgram(t *testing.T) {
	sdk := filepath.Join(repoRoot, "sdk", "dotnet")
	programBytes, err := os.ReadFile(filepath.Join(repoRoot, "examples", "cs-cross-account", "Program.cs"))
	if err != nil {
		t.Fatal(err)
	}
	program := string(programBytes)
	classSource := func(class string) string {
		t.Helper()
		for _, path := range []string{filepath.Join(sdk, class+".cs"), filepath.Join(sdk, "SecretsManager", class+".cs")} {
			if content, err := os.ReadFile(path); err == nil {
				return string(content)
			}
		}
		t.Fatalf("Program.cs constructs %s, but the C# SDK has no %s.cs", class, class)
		return ""
	}
	// The part of a file that declares one class, up to the next class.
	classBody := func(source, declaration string) string {
		start := strings.Index(source, declaration)
		if start < 0 {
			return ""
		}
		body := source[start+len(declaration):]
		if next := strings.Index(body, "public sealed class "); next >= 0 {
			body = body[:next]
		}
		return body
	}

	resources := regexp.MustCompile(`var (\w+) = new (?:Pulumi\.Smx\.)?(\w+)\("|\n\s*new (\w+)\("`)
	resourceOf := map[string]string{}
	constructed := 0
	for _, m := range resources.FindAllStringSubmatch(program, -1) {
		variable, class := m[1], m[2]
		if class == "" {
			class = m[3]
		}
		constructed++
		source := classSource(class)
		if !regexp.MustCompile(`public partial class ` + class + ` : global::Pulumi\.(CustomResource|ProviderResource)`).MatchString(source) {
			t.Errorf("Program.cs constructs %s, which the C# SDK does not declare as a resource", class)
		}
		if variable != "" {
			resourceOf[variable] = class
		}
	}
	if constructed != 6 {
		t.Errorf("found %d resources constructed in Program.cs, want the two providers and four resources", constructed)
	}

	initializers := regexp.MustCompile(`new (?:Pulumi\.Smx\.)?(\w+Args)\s*\{([^}]*)\}`)
	for _, m := range initializers.FindAllStringSubmatch(program, -1) {
		argsClass, body := m[1], m[2]
		source := classSource(strings.TrimSuffix(argsClass, "Args"))
		declared := classBody(source, "public sealed class "+argsClass+" : global::Pulumi.ResourceArgs")
		if declared == "" {
			t.Errorf("the C# SDK declares no %s", argsClass)
			continue
		}
		for _, set := range regexp.MustCompile(`(\w+) = `).FindAllStringSubmatch(body, -1) {
			if !regexp.MustCompile(`public Input<[^>]+>\??\s+` + set[1] + `\b`).MatchString(declared) {
				t.Errorf("Program.cs sets %s.%s, which is not an input of the C# SDK's %s", argsClass, set[1], argsClass)
			}
		}
	}

	for _, m := range regexp.MustCompile(`\b(\w+)\.([A-Z]\w*)\b`).FindAllStringSubmatch(program, -1) {
		class, ok := resourceOf[m[1]]
		if !ok || m[2] == "Id" {
			continue // not a resource variable, or the ID every resource has
		}
		if !regexp.MustCompile(`public Output<[^>]+>\s+` + m[2] + ` \{`).MatchString(classSource(class)) {
			t.Errorf("Program.cs reads %s.%s, which is not an output of the C# SDK's %s", m[1], m[2], class)
		}
	}
}
