package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The cross-account example exists in every SDK language
// (examples/{ts,py,go,cs,yaml}-cross-account, the programs the README and the
// registry docs show). moto has none of the cross-account operations, so the
// TypeScript, Python, Go and YAML programs run to the end on the served fake
// (fake_harness_test.go), with its two accounts, through the real CLI and
// each language's generated SDK: up, each secret in its provider's account,
// the value read back in the replica's account from the replica, an empty
// preview, destroy (in the order AWS requires, or the fake refuses it) and
// nothing left live in either account. The C# program is checked by name
// below.

// crossAccountExampleConfig is the stack config the examples read: each
// account's access key, and for secret keys, which the fake does not check,
// and the value, values of their own that the leak checks watch.
func crossAccountExampleConfig(r *stackRun) (config map[string]stackConfigValue, password string) {
	password = uniqueValue(r.t, "cross-account")
	primarySecretKey, replicaSecretKey := uniqueValue(r.t, "primary-key"), uniqueValue(r.t, "replica-key")
	r.watchSecretValues(password, primarySecretKey, replicaSecretKey)
	return map[string]stackConfigValue{
		"region":           {Value: fakeRegion},
		"primaryAccessKey": {Value: fakeMainAccount.accessKeyID},
		"primarySecretKey": {Value: primarySecretKey, Secret: true},
		"replicaAccessKey": {Value: fakeOtherAccount.accessKeyID},
		"replicaSecretKey": {Value: replicaSecretKey, Secret: true},
		"dbPassword":       {Value: password, Secret: true},
	}, password
}

// crossAccountExampleResources is what the example manages: the stack, the
// two providers, the primary Secret and its SecretVersion, the replica
// Secret and the CrossAccountReplication.
const crossAccountExampleResources = 7

// crossAccountExampleRun is one example's stack on a served fake, run by
// up, preview and destroy, each returning what the stack reports.
type crossAccountExampleRun struct {
	r        *stackRun
	served   *servedFake
	password string
	up       func() map[string]any
	preview  func() map[string]int
	destroy  func() map[string]int
}

func TestCrossAccountTypeScriptExample(t *testing.T) {
	t.Parallel()
	exampleDir := filepath.Join(repoRoot, "examples", "ts-cross-account")
	requireFile(t, filepath.Join(exampleDir, "bin", "index.js"), "make examples")
	runCrossAccountExample(t, driven(nodeDriver, exampleDir))
}

func TestCrossAccountPythonExample(t *testing.T) {
	t.Parallel()
	runCrossAccountExample(t, driven(pythonDriver(t), filepath.Join(repoRoot, "examples", "py-cross-account")))
}

func TestCrossAccountGoExample(t *testing.T) {
	t.Parallel()
	runCrossAccountExample(t, driven(goDriverOf(t, "go-cross-account"), filepath.Join(repoRoot, "examples", "go-cross-account")))
}

// TestCrossAccountYAMLExample runs examples/yaml-cross-account with the real
// `pulumi up` in its project folder, as a user runs it.
func TestCrossAccountYAMLExample(t *testing.T) {
	t.Parallel()
	runCrossAccountExample(t, func(run *crossAccountExampleRun) {
		r := run.r
		project := filepath.Join(t.TempDir(), "yaml-cross-account")
		r.runCommand(runOptions{}, "cp", "-r", filepath.Join(repoRoot, "examples", "yaml-cross-account"), project)
		s := &yamlStack{r: r, project: project}
		s.cli("stack", "init", "e2e")
		config, password := crossAccountExampleConfig(r)
		run.password = password
		for key, setting := range config {
			args := []string{"config", "set", key, setting.Value}
			if setting.Secret {
				args = append(args, "--secret")
			}
			s.cli(args...)
		}
		summary := func(args ...string) map[string]int {
			var plan struct {
				ChangeSummary map[string]int `json:"changeSummary"`
			}
			out := s.cli(append(args, "--json")...)
			if err := json.Unmarshal([]byte(out.stdout), &plan); err != nil {
				t.Fatalf("pulumi %s --json: %v\n%s", args[0], err, out.stdout)
			}
			return plan.ChangeSummary
		}
		run.up = func() map[string]any {
			s.cli("up", "--yes")
			outputs := map[string]any{}
			for k, v := range s.outputs() {
				outputs[k] = v
			}
			return outputs
		}
		run.preview = func() map[string]int { return summary("preview") }
		run.destroy = func() map[string]int {
			// The summary the CLI prints, "- 7 deleted".
			m := regexp.MustCompile(`- (\d+) deleted`).FindStringSubmatch(s.cli("destroy", "--yes").stdout)
			if m == nil {
				t.Fatal("pulumi destroy printed no count of deleted resources")
			}
			deleted, _ := strconv.Atoi(m[1])
			return map[string]int{"delete": deleted}
		}
		t.Cleanup(func() { r.assertNothingLeaked(project, "e2e") })
	})
}

// driven runs an example's program through its language's driver.
func driven(driver []string, exampleDir string) func(*crossAccountExampleRun) {
	return func(run *crossAccountExampleRun) {
		config, password := crossAccountExampleConfig(run.r)
		run.password = password
		run.up = func() map[string]any { return run.r.driveWithConfig(driver, exampleDir, "e2e", "up", config).Outputs }
		run.preview = func() map[string]int {
			return run.r.driveWithConfig(driver, exampleDir, "e2e", "preview", config).ChangeSummary
		}
		run.destroy = func() map[string]int {
			return run.r.driveWithConfig(driver, exampleDir, "e2e", "destroy", config).ChangeSummary
		}
	}
}

func runCrossAccountExample(t *testing.T, setUp func(*crossAccountExampleRun)) {
	served := serveFake(t)
	// The examples' providers take their credentials from the config; the
	// endpoint comes from the environment, as for any AWS tool.
	run := &crossAccountExampleRun{r: newStackRunOnFake(t, served.Server, fakeMainAccount.accessKeyID, fakeRegion), served: served}
	setUp(run)
	r := run.r

	outputs := run.up()
	primaryARN, _ := outputs["primaryArn"].(string)
	replicaARN, _ := outputs["replicaArn"].(string)
	requireInAccount(t, "the primary", primaryARN, fakeMainAccount)
	requireInAccount(t, "the replica", replicaARN, fakeOtherAccount)
	if status := outputs["replicationStatus"]; status != "InSync" {
		t.Fatalf("replicationStatus is %v after up, want InSync", status)
	}
	// The point of the replication: the replica's account reads the value
	// from its own secret.
	requireReplicaValue(t, served.client(fakeOtherAccount, fakeRegion), replicaARN, run.password)

	r.assertNoChanges(run.preview())
	r.assertStateFilesLack(r.watchedSecretValues())

	if destroyed := run.destroy(); destroyed["delete"] != crossAccountExampleResources {
		t.Fatalf("destroy deleted %v, want the stack, two providers and four resources", destroyed)
	}
	for _, account := range []fakeAccount{fakeMainAccount, fakeOtherAccount} {
		if live := liveSecretNames(t, served.client(account, fakeRegion)); len(live) > 0 {
			t.Errorf("account %s still holds the live secrets %v after destroy", account.accountID, live)
		}
	}
	r.assertStateFilesLack(r.watchedSecretValues())
}

// TestCSharpSDKCoversTheCrossAccountProgram checks
// examples/cs-cross-account/Program.cs by name, as C# cannot be compiled
// here: every class it constructs is a resource or provider class of the
// generated SDK, every property it sets in an Args initializer is an input
// of that Args class, and every output it reads from a resource is an output
// of that resource's class.
func TestCSharpSDKCoversTheCrossAccountProgram(t *testing.T) {
	t.Parallel()
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
