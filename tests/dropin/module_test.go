package dropin

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// moduleDifferences are the places where smx's TypeScript secretsmanager
// module deliberately differs from @pulumi/aws's, keyed as
// testdata/module.js names its checks, with the reason. Every key here must
// still be a difference: one that is mended must leave the list.
var moduleDifferences = map[string]string{
	"out:SecretVersion.hasSecretStringWo": "smx leaves it unknown where it cannot know it yet (the preview of a " +
		"write-only value that is itself unknown); pulumi-aws types it as always a boolean. After `up` it is always set.",
	// A replica's outputs: pulumi-aws types them as always strings, and the
	// Terraform bridge fills in "" for what AWS does not report. smx
	// records only what AWS reports, and types them as what it records.
	"out:types.output.SecretReplica.kmsKeyId": "absent for the region's aws/secretsmanager key, which smx records " +
		"as no key (the program's word for it); pulumi-aws records \"\"",
	"out:types.output.SecretReplica.lastAccessedDate": "absent until AWS reports an access; pulumi-aws records \"\"",
	"out:types.output.SecretReplica.status":           "absent until AWS reports one (a preview); pulumi-aws records \"\"",
	"out:Secret.replicas":                             "its elements are types.output.SecretReplica, whose fields differ as below",
	"out:types.output.SecretReplica.statusMessage":    "absent when AWS reports none; pulumi-aws records \"\"",
}

type moduleComparison struct {
	Exports map[string][]string `json:"exports"`
	Types   map[string]struct {
		PulumiAWS []string `json:"pulumiAws"`
		Smx       []string `json:"smx"`
	} `json:"types"`
	Checked  map[string]bool     `json:"checked"`
	Problems map[string][]string `json:"problems"`
}

// TestSecretsManagerModuleIsADropInForTypeScript asks the TypeScript
// compiler (testdata/module.js) whether smx's secretsmanager module takes
// every program @pulumi/aws's does: every name it exports, and in its
// types.input and types.output namespaces; every property of every Args and
// State interface, with pulumi-aws's value accepted by smx's type and every
// nested field there; every output of every resource and every result of
// every function, with smx's value usable where pulumi-aws's was; each
// constructor, `get(name, id, state)` and function called with pulumi-aws's
// arguments. smx's side is the SDK as published: sdk/nodejs/bin, which
// `make sdk-nodejs` builds.
func TestSecretsManagerModuleIsADropInForTypeScript(t *testing.T) {
	root := repositoryRoot(t)
	smxRoot := filepath.Join(root, "sdk", "nodejs", "bin")
	requireBuiltFrom(t, filepath.Join(smxRoot, "secretsmanager", "index.d.ts"),
		filepath.Join(root, "sdk", "nodejs", "secretsmanager", "index.ts"), "make sdk-nodejs")
	var compared moduleComparison
	runTypeScriptCheck(t, "module.js", smxRoot, &compared)

	if len(compared.Exports["pulumiAws"]) == 0 || len(compared.Checked) < len(compared.Exports["pulumiAws"]) {
		t.Fatalf("the comparison checked %d things for %d exports: module.js found nothing to compare",
			len(compared.Checked), len(compared.Exports["pulumiAws"]))
	}
	for key, reason := range moduleDifferences {
		if _, ok := compared.Problems[key]; !ok {
			t.Errorf("moduleDifferences lists %s (%s), which is no longer a difference: remove it", key, reason)
		}
	}
	for _, key := range sortedKeys(compared.Problems) {
		if reason, ok := moduleDifferences[key]; ok {
			t.Logf("%s deliberately differs: %s", key, reason)
			continue
		}
		t.Errorf("%s: smx's secretsmanager module does not take what @pulumi/aws %s's does:\n%s",
			key, pulumiAWSNpmVersion, strings.Join(compared.Problems[key], "\n"))
	}
	t.Logf("@pulumi/aws %s: %d exports, %d input and %d output types, %d checks",
		pulumiAWSNpmVersion, len(compared.Exports["pulumiAws"]), len(compared.Types["input"].PulumiAWS),
		len(compared.Types["output"].PulumiAWS), len(compared.Checked))
}

type exampleCheck struct {
	Examples []struct {
		Name             string   `json:"name"`
		UsesOtherModules bool     `json:"usesOtherModules"`
		PulumiAWS        []string `json:"pulumiAws"`
		SmxOnly          []string `json:"smxOnly"`
		Skipped          string   `json:"skipped"`
		Error            string   `json:"error"`
	} `json:"examples"`
}

// TestPulumiAWSDocExamplesTypeCheckOnSmx type-checks every "Example Usage"
// program of @pulumi/aws's secretsmanager docs against smx with only its
// import line changed (testdata/examples.js): smx's version may have no
// diagnostic that pulumi-aws's has not. (Some examples use variables they
// never declare, and fail on pulumi-aws too; those failures are the same on
// both sides.)
func TestPulumiAWSDocExamplesTypeCheckOnSmx(t *testing.T) {
	root := repositoryRoot(t)
	smxRoot := filepath.Join(root, "sdk", "nodejs", "bin")
	requireBuiltFrom(t, filepath.Join(smxRoot, "secretsmanager", "index.d.ts"),
		filepath.Join(root, "sdk", "nodejs", "secretsmanager", "index.ts"), "make sdk-nodejs")
	var checked exampleCheck
	runTypeScriptCheck(t, "examples.js", smxRoot, &checked)

	compiled := 0
	for _, example := range checked.Examples {
		switch {
		case example.Error != "":
			t.Errorf("%s: %s", example.Name, example.Error)
		case example.Skipped != "":
			t.Logf("%s: not applicable: %s", example.Name, example.Skipped)
		case len(example.SmxOnly) > 0:
			t.Errorf("%s does not type-check on smx with only its import changed:\n%s", example.Name, strings.Join(example.SmxOnly, "\n"))
		default:
			compiled++
			if example.UsesOtherModules {
				t.Logf("%s: type-checks on smx, with pulumi-aws for its other modules", example.Name)
			}
		}
	}
	if compiled == 0 {
		t.Fatal("no example was checked")
	}
	t.Logf("%d of %d examples of @pulumi/aws %s's secretsmanager docs type-check on smx", compiled, len(checked.Examples), pulumiAWSNpmVersion)
}

// runTypeScriptCheck runs testdata/<script> with the TypeScript compiler
// against @pulumi/aws and smx's SDK at smxRoot, and decodes what it prints.
func runTypeScriptCheck(t *testing.T, script, smxRoot string, into any) {
	t.Helper()
	packages := pulumiAWSForTypeScript(t)
	path, err := filepath.Abs(filepath.Join("testdata", script))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", path, filepath.Join(packages, "node_modules", "typescript"), "@pulumi/aws", smxRoot)
	cmd.Dir = packages
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderrOf(err))
	}
	if err := json.Unmarshal(out, into); err != nil {
		t.Fatalf("%s printed what is not its JSON: %v", script, err)
	}
}
