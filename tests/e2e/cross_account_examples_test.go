package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/internal/moto"
)

// The cross-account example exists in every SDK language
// (examples/{ts,py,go,cs,yaml}-cross-account, the programs the README and the
// registry docs show). moto has none of the cross-account operations, so the
// TypeScript, Python and Go programs run to the end on the served fake
// (internal/fakesm), with one account per access key, through the real CLI
// and each language's generated SDK: up, the value read back in the replica's
// account from the replica, an empty preview, destroy (in the order AWS
// requires, or the fake refuses it) and nothing left live in either account.
// On moto, the YAML program is previewed. The C# one is checked by name
// below.

// The served fake's two accounts, picked by the caller's access key.
const (
	crossAccountPrimaryKey = "AKIAPRIMARYEXAMPLE01"
	crossAccountReplicaKey = "AKIAREPLICAEXAMPLE01"
)

var crossAccountAccounts = map[string]string{
	crossAccountPrimaryKey: "111111111111",
	crossAccountReplicaKey: "222222222222",
}

// crossAccountExampleConfig is the stack config the examples read, with each
// account's access key. The secret keys, which neither server checks, are
// values of their own, watched by the leak checks as the password is.
func crossAccountExampleConfig(r *stackRun, primaryKey, replicaKey string) (config map[string]stackConfigValue, password string) {
	password = uniqueValue(r.t, "cross-account")
	primarySecretKey, replicaSecretKey := uniqueValue(r.t, "primary-key"), uniqueValue(r.t, "replica-key")
	r.watchSecretValues(password, primarySecretKey, replicaSecretKey)
	return map[string]stackConfigValue{
		"region":           {Value: moto.Region},
		"primaryAccessKey": {Value: primaryKey},
		"primarySecretKey": {Value: primarySecretKey, Secret: true},
		"replicaAccessKey": {Value: replicaKey},
		"replicaSecretKey": {Value: replicaSecretKey, Secret: true},
		"dbPassword":       {Value: password, Secret: true},
	}, password
}

// crossAccountResources is what the example manages: the stack, the two
// providers, the primary Secret and its SecretVersion, the replica Secret
// and the CrossAccountReplication.
const crossAccountResources = 7

func TestCrossAccountTypeScriptExample(t *testing.T) {
	exampleDir := filepath.Join(repoRoot, "examples", "ts-cross-account")
	requireFile(t, filepath.Join(exampleDir, "bin", "index.js"), "make examples")
	runCrossAccountExample(t, nodeDriver, exampleDir)
}

func TestCrossAccountPythonExample(t *testing.T) {
	runCrossAccountExample(t, pythonDriver(t), filepath.Join(repoRoot, "examples", "py-cross-account"))
}

func TestCrossAccountGoExample(t *testing.T) {
	runCrossAccountExample(t, goDriverOf(t, "go-cross-account"), filepath.Join(repoRoot, "examples", "go-cross-account"))
}

func runCrossAccountExample(t *testing.T, driver []string, exampleDir string) {
	r := newStackRun(t)
	fake := fakesm.Serve(t, fakesm.NewCloud(nil), crossAccountAccounts)
	// The providers take their credentials from the config; the endpoint
	// comes from the environment, as it would for any AWS tool.
	for k, v := range fake.Env(crossAccountPrimaryKey, moto.Region) {
		r.env[k] = v
	}
	config, password := crossAccountExampleConfig(r, crossAccountPrimaryKey, crossAccountReplicaKey)
	ctx := context.Background()

	up := r.driveWithConfig(driver, exampleDir, "e2e", "up", config)
	primaryARN, _ := up.Outputs["primaryArn"].(string)
	replicaARN, _ := up.Outputs["replicaArn"].(string)
	if !strings.Contains(primaryARN, ":111111111111:secret:") || !strings.Contains(replicaARN, ":222222222222:secret:") {
		t.Fatalf("the primary is %q and the replica %q: want each in its provider's account", primaryARN, replicaARN)
	}
	if status := up.Outputs["replicationStatus"]; status != "InSync" {
		t.Fatalf("replicationStatus is %v after up, want InSync", status)
	}
	// The point of the replication: the replica's account reads the value
	// from its own secret.
	replicaAccount := fake.Client(crossAccountReplicaKey, moto.Region)
	value, err := replicaAccount.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String(replicaARN)})
	if err != nil {
		t.Fatalf("reading the replica in its account: %v", err)
	}
	if aws.ToString(value.SecretString) != password {
		t.Fatalf("the replica holds another value than the primary's (lengths %d and %d)", len(aws.ToString(value.SecretString)), len(password))
	}

	r.assertNoChanges(r.driveWithConfig(driver, exampleDir, "e2e", "preview", config).ChangeSummary)
	r.assertStateFilesLack(r.watchedSecretValues())

	destroyed := r.driveWithConfig(driver, exampleDir, "e2e", "destroy", config).ChangeSummary
	if destroyed["delete"] != crossAccountResources {
		t.Fatalf("destroy deleted %v, want the stack, two providers and four resources", destroyed)
	}
	for key, account := range crossAccountAccounts {
		listed, err := fake.Client(key, moto.Region).ListSecrets(ctx, &sm.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range listed.SecretList {
			if secret.DeletedDate == nil {
				t.Errorf("secret %s of account %s is still live after destroy", aws.ToString(secret.ARN), account)
			}
		}
	}
	r.assertStateFilesLack(r.watchedSecretValues())
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
	// On moto both accounts are its one account: enough for a preview,
	// which creates nothing.
	config, _ := crossAccountExampleConfig(r, moto.AccessKeyID, moto.AccessKeyID)
	for key, setting := range config {
		args := []string{"config", "set", key, setting.Value}
		if setting.Secret {
			args = append(args, "--secret")
		}
		r.runPulumi(project, args...)
	}
	out := r.runPulumi(project, "preview", "--non-interactive")
	if want := fmt.Sprintf("%d to create", crossAccountResources); !strings.Contains(out, want) {
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
