package dropin

import (
	"encoding/json"
	"fmt"
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

// pythonModuleDifferences are where smx's Python secretsmanager module
// deliberately differs from pulumi_aws's, keyed as comparePythonModule
// names them, with the reason. Every key here must still be a difference.
var pythonModuleDifferences = map[string]string{
	"SecretVersion.properties.has_secret_string_wo": moduleDifferences["out:SecretVersion.hasSecretStringWo"],
}

// pythonModule is what testdata/module.py reads from a Python SDK.
type pythonModule struct {
	Names   []string `json:"names"`
	Classes map[string]struct {
		Init       map[string]string `json:"init"`
		Get        map[string]string `json:"get"`
		Properties map[string]string `json:"properties"`
	} `json:"classes"`
	Functions map[string]map[string]string `json:"functions"`
}

// TestSecretsManagerModuleIsADropInForPython reads pulumi_aws 7.51.1's
// secretsmanager module and smx's from their source (testdata/module.py)
// and wants every name pulumi_aws's exports in smx's; and, for every class
// (resources, their Args and state, nested input and output types, function
// results) and every function, each keyword argument of the constructor,
// of a resource's `get` and of the function, and each property, in smx's
// with the same annotation. The same annotation names the same classes, so
// `aws.secretsmanager.GetSecretsFilterArgs(...)` becomes
// `smx.secretsmanager.GetSecretsFilterArgs(...)` by the import alone.
func TestSecretsManagerModuleIsADropInForPython(t *testing.T) {
	root := repositoryRoot(t)
	pulumiAWS := readPythonModule(t, pulumiAWSWheel(t), "pulumi_aws")
	smx := readPythonModule(t, filepath.Join(root, "sdk", "python"), "pulumi_smx")

	problems := map[string]string{}
	compare := func(key, annotation string, smxArguments map[string]string) {
		got, ok := smxArguments[key[strings.LastIndex(key, ".")+1:]]
		switch {
		case !ok:
			problems[key] = fmt.Sprintf("smx has none (pulumi_aws %s: %s)", pulumiAWSPythonVersion, annotation)
		case got != annotation && withoutOutputForms(got) != annotation:
			problems[key] = fmt.Sprintf("smx's is %s; pulumi_aws %s's is %s", got, pulumiAWSPythonVersion, annotation)
		}
	}
	smxNames := map[string]bool{}
	for _, name := range smx.Names {
		smxNames[name] = true
	}
	for _, name := range pulumiAWS.Names {
		if !smxNames[name] {
			problems["name:"+name] = "smx's secretsmanager module exports no " + name
		}
	}
	compared := 0
	for _, class := range sortedKeys(pulumiAWS.Classes) {
		theirs := pulumiAWS.Classes[class]
		ours, ok := smx.Classes[class]
		if !ok {
			problems["class:"+class] = "smx's secretsmanager module has no class " + class
			continue
		}
		for part, members := range map[string][2]map[string]string{
			"init": {theirs.Init, ours.Init}, "get": {theirs.Get, ours.Get}, "properties": {theirs.Properties, ours.Properties},
		} {
			for _, name := range sortedKeys(members[0]) {
				compared++
				compare(class+"."+part+"."+name, members[0][name], members[1])
			}
		}
	}
	for _, function := range sortedKeys(pulumiAWS.Functions) {
		ours, ok := smx.Functions[function]
		if !ok {
			problems["function:"+function] = "smx's secretsmanager module has no function " + function
			continue
		}
		for _, name := range sortedKeys(pulumiAWS.Functions[function]) {
			compared++
			compare(function+"."+name, pulumiAWS.Functions[function][name], ours)
		}
	}

	for key, reason := range pythonModuleDifferences {
		if _, ok := problems[key]; !ok {
			t.Errorf("pythonModuleDifferences lists %s (%s), which is no longer a difference: remove it", key, reason)
		}
	}
	for _, key := range sortedKeys(problems) {
		if reason, ok := pythonModuleDifferences[key]; ok {
			t.Logf("%s deliberately differs: %s", key, reason)
			continue
		}
		t.Errorf("%s: %s", key, problems[key])
	}
	if compared == 0 {
		t.Fatal("module.py found nothing to compare")
	}
	t.Logf("pulumi_aws %s: %d names, %d classes, %d functions, %d arguments and properties compared",
		pulumiAWSPythonVersion, len(pulumiAWS.Names), len(pulumiAWS.Classes), len(pulumiAWS.Functions), compared)
}

func readPythonModule(t *testing.T, location, pkg string) pythonModule {
	t.Helper()
	out, err := exec.Command("python3", filepath.Join("testdata", "module.py"), location, pkg).Output()
	if err != nil {
		t.Fatalf("reading %s's secretsmanager module from %s: %v\n%s", pkg, location, err, stderrOf(err))
	}
	var module pythonModule
	if err := json.Unmarshal(out, &module); err != nil {
		t.Fatalf("reading %s's secretsmanager module from %s: %v", pkg, location, err)
	}
	return module
}

// TestPulumiAWSDocExamplesAreADropInForPython checks every "Example Usage"
// program of pulumi_aws's secretsmanager docs against smx's Python SDK
// (testdata/examples.py): every aws.secretsmanager class and function it
// calls, every keyword argument, and every key of the dicts it gives for
// nested types, at any depth, are smx's too. Python has no compiler to ask,
// so this is by name; the annotations behind the names are held equal by
// TestSecretsManagerModuleIsADropInForPython.
func TestPulumiAWSDocExamplesAreADropInForPython(t *testing.T) {
	root := repositoryRoot(t)
	out, err := exec.Command("python3", filepath.Join("testdata", "examples.py"), pulumiAWSWheel(t),
		filepath.Join(root, "sdk", "python")).Output()
	if err != nil {
		t.Fatalf("examples.py: %v\n%s", err, stderrOf(err))
	}
	var checked struct {
		Examples []struct {
			Name     string   `json:"name"`
			Calls    int      `json:"calls"`
			Problems []string `json:"problems"`
		} `json:"examples"`
	}
	if err := json.Unmarshal(out, &checked); err != nil {
		t.Fatalf("examples.py printed what is not its JSON: %v", err)
	}
	passed, calls := 0, 0
	for _, example := range checked.Examples {
		switch {
		case len(example.Problems) > 0:
			t.Errorf("%s does not move to smx by its import line:\n%s", example.Name, strings.Join(example.Problems, "\n"))
		case example.Calls == 0:
			t.Logf("%s: not applicable: it calls nothing of aws.secretsmanager", example.Name)
		default:
			passed++
			calls += example.Calls
		}
	}
	if passed == 0 {
		t.Fatal("no example was checked")
	}
	t.Logf("%d of %d examples of pulumi_aws %s's secretsmanager docs (%d calls) move to smx by their import line",
		passed, len(checked.Examples), pulumiAWSPythonVersion, calls)
}
