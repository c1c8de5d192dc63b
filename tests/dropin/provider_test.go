package dropin

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The provider settings are a drop-in too: every argument of pulumi-aws's
// Provider that a program can pass exists in smx's Provider with a type the
// program's value is accepted by, in TypeScript and in Python. The names come
// from the published packages themselves, so a setting pulumi-aws adds shows
// up here by raising the pinned versions.
const (
	pulumiAWSNpmVersion    = "7.48.0"
	pulumiAWSPythonVersion = "7.51.1"
	// The compiler that checks the TypeScript programs. Pinned: the
	// @types/node that @pulumi/pulumi brings in needs a TypeScript 5, newer
	// than the one the SDK is built with.
	typescriptVersion = "5.9.3"
)

// pulumi-aws provider settings smx deliberately does not offer, with the
// reason. Every name here must still be one of pulumi-aws's settings.
var (
	providerArgsLeftOut = map[string]string{
		"s3UsEast1RegionalEndpoint": "S3 only: smx makes no S3 call",
		"s3UsePathStyle":            "S3 only: smx makes no S3 call",
	}
	providerKwargsLeftOut = map[string]string{
		"s3_us_east1_regional_endpoint": "S3 only: smx makes no S3 call",
		"s3_use_path_style":             "S3 only: smx makes no S3 call",
	}
)

// TestProviderArgsAreADropInForTypeScript asks the TypeScript compiler
// (testdata/provider-args.js) for @pulumi/aws's ProviderArgs properties and
// smx's, and, for each property both have, whether pulumi-aws's value is
// accepted by smx's type with every nested field (assumeRoles[].roleArn and
// the like) there too. smx's side is the SDK as published: sdk/nodejs/bin,
// which `make sdk-nodejs` builds.
func TestProviderArgsAreADropInForTypeScript(t *testing.T) {
	root := repositoryRoot(t)
	smxDeclarations := filepath.Join(root, "sdk", "nodejs", "bin", "provider.d.ts")
	// provider.ts holds ProviderArgs, types/input.ts its nested types.
	for _, source := range []string{"provider.ts", filepath.Join("types", "input.ts")} {
		requireBuiltFrom(t, smxDeclarations, filepath.Join(root, "sdk", "nodejs", source), "make sdk-nodejs")
	}

	packages := pulumiAWSForTypeScript(t)

	script, err := filepath.Abs(filepath.Join("testdata", "provider-args.js"))
	if err != nil {
		t.Fatal(err)
	}
	// @pulumi/aws/provider is where the package's index takes ProviderArgs
	// from; naming it spares the compiler the other 300 modules.
	cmd := exec.Command("node", script, filepath.Join(packages, "node_modules", "typescript"),
		"@pulumi/aws/provider", strings.TrimSuffix(smxDeclarations, ".d.ts"))
	cmd.Dir = packages
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("comparing the ProviderArgs types: %v\n%s", err, stderrOf(err))
	}
	var compared struct {
		PulumiAWS    map[string]string   `json:"pulumiAws"`
		Smx          map[string]string   `json:"smx"`
		Incompatible map[string][]string `json:"incompatible"`
	}
	if err := json.Unmarshal(out, &compared); err != nil {
		t.Fatalf("comparing the ProviderArgs types: %v", err)
	}
	for name := range providerArgsLeftOut {
		if _, ok := compared.PulumiAWS[name]; !ok {
			t.Errorf("providerArgsLeftOut names %s, which @pulumi/aws %s's ProviderArgs no longer has", name, pulumiAWSNpmVersion)
		}
	}
	for _, name := range sortedKeys(compared.PulumiAWS) {
		if reason, ok := providerArgsLeftOut[name]; ok {
			t.Logf("%s deliberately left out: %s", name, reason)
			continue
		}
		if _, ok := compared.Smx[name]; !ok {
			t.Errorf("smx's ProviderArgs has no property %s (@pulumi/aws %s: %s)", name, pulumiAWSNpmVersion, compared.PulumiAWS[name])
			continue
		}
		if messages, ok := compared.Incompatible[name]; ok {
			t.Errorf("smx's ProviderArgs.%s does not take what @pulumi/aws %s's does:\n%s",
				name, pulumiAWSNpmVersion, strings.Join(messages, "\n"))
		}
	}
}

// pulumiAWSForTypeScript returns a folder whose node_modules hold
// @pulumi/aws and the TypeScript compiler, installed once.
func pulumiAWSForTypeScript(t *testing.T) string {
	t.Helper()
	return cached(t, fmt.Sprintf("npm-pulumi-aws-%s-typescript-%s", pulumiAWSNpmVersion, typescriptVersion), func(dir string) error {
		manifest := fmt.Sprintf(`{"private": true, "dependencies": {"@pulumi/aws": %q, "typescript": %q}}`,
			pulumiAWSNpmVersion, typescriptVersion)
		if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(manifest), 0o600); err != nil {
			return err
		}
		// --ignore-scripts: only the type declarations are needed.
		return run(dir, "npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--silent")
	})
}

// TestProviderKwargsAreADropInForPython reads the keyword arguments of
// Provider(resource_name, opts, **kwargs) from pulumi_aws's wheel and from
// smx's generated sdk/python, and the arguments of the input classes they
// name (ProviderAssumeRoleArgs and the like), and wants each of pulumi_aws's
// in smx's with the same annotation: the same annotation names the same
// input class, so `aws.ProviderAssumeRoleArgs(...)` becomes
// `smx.ProviderAssumeRoleArgs(...)` by the import alone.
func TestProviderKwargsAreADropInForPython(t *testing.T) {
	root := repositoryRoot(t)
	pulumiAWS := pythonProviderKwargs(t, pulumiAWSWheel(t), "pulumi_aws")
	smx := pythonProviderKwargs(t, filepath.Join(root, "sdk", "python"), "pulumi_smx")
	for name := range providerKwargsLeftOut {
		if _, ok := pulumiAWS.Kwargs[name]; !ok {
			t.Errorf("providerKwargsLeftOut names %s, which pulumi_aws %s's Provider no longer takes", name, pulumiAWSPythonVersion)
		}
	}

	for _, name := range sortedKeys(pulumiAWS.Kwargs) {
		if reason, ok := providerKwargsLeftOut[name]; ok {
			t.Logf("%s deliberately left out: %s", name, reason)
			continue
		}
		comparePythonArgument(t, "smx's Provider", name, pulumiAWS.Kwargs[name], smx.Kwargs, pulumiAWS, smx, map[string]bool{})
	}
}

// pulumiAWSWheel returns pulumi_aws's wheel, downloaded once.
func pulumiAWSWheel(t *testing.T) string {
	t.Helper()
	wheels := cached(t, "pip-pulumi_aws-"+pulumiAWSPythonVersion, func(dir string) error {
		return run(dir, "python3", "-m", "pip", "download", "--no-deps", "--quiet", "--disable-pip-version-check",
			"-d", dir, "pulumi_aws=="+pulumiAWSPythonVersion)
	})
	wheel, err := filepath.Glob(filepath.Join(wheels, "pulumi_aws-"+pulumiAWSPythonVersion+"-*.whl"))
	if err != nil || len(wheel) != 1 {
		t.Fatalf("expected one pulumi_aws %s wheel in %s, found %v (%v)", pulumiAWSPythonVersion, wheels, wheel, err)
	}
	return wheel[0]
}

// outputForm is one member of a Union that names a nested type's output
// class: `'outputs.ProviderEndpoint'`.
var outputForm = regexp.MustCompile(`, 'outputs\.[A-Za-z0-9_]+'`)

// withoutOutputForms is an annotation without the output classes of nested
// types. smx's provider reports its settings as outputs too (infer records a
// provider's configuration in its state), so its generated SDK also takes a
// nested setting's output class where pulumi_aws takes only the input
// classes: a wider Union, which takes every value pulumi_aws's does.
func withoutOutputForms(annotation string) string {
	return outputForm.ReplaceAllString(annotation, "")
}

// comparePythonArgument checks one argument and, when both sides name the
// same input classes, those classes' arguments in turn.
func comparePythonArgument(t *testing.T, owner, name, annotation string, smxArguments map[string]string, pulumiAWS, smx pythonSDK, seen map[string]bool) {
	t.Helper()
	got, ok := smxArguments[name]
	switch {
	case !ok:
		t.Errorf("%s has no keyword argument %s (pulumi_aws %s: %s)", owner, name, pulumiAWSPythonVersion, annotation)
		return
	case withoutOutputForms(got) != annotation:
		t.Errorf("%s's keyword argument %s is %s; pulumi_aws %s's is %s", owner, name, got, pulumiAWSPythonVersion, annotation)
		return
	}
	for _, class := range pulumiAWS.classesNamedIn(annotation) {
		if seen[class] {
			continue
		}
		seen[class] = true
		smxClass, ok := smx.Classes[class]
		if !ok {
			t.Errorf("smx's Python SDK has no input class %s (pulumi_aws %s has it, for %s)", class, pulumiAWSPythonVersion, name)
			continue
		}
		for _, field := range sortedKeys(pulumiAWS.Classes[class]) {
			comparePythonArgument(t, "smx's "+class, field, pulumiAWS.Classes[class][field], smxClass, pulumiAWS, smx, seen)
		}
	}
}

// pythonSDK is what testdata/provider_kwargs.py reads from a Python SDK.
type pythonSDK struct {
	Kwargs  map[string]string            `json:"kwargs"`
	Classes map[string]map[string]string `json:"classes"`
}

var quotedArgsClass = regexp.MustCompile(`'(\w+Args)'`)

func (sdk pythonSDK) classesNamedIn(annotation string) []string {
	var classes []string
	for _, match := range quotedArgsClass.FindAllStringSubmatch(annotation, -1) {
		if _, ok := sdk.Classes[match[1]]; ok {
			classes = append(classes, match[1])
		}
	}
	return classes
}

func pythonProviderKwargs(t *testing.T, location, pkg string) pythonSDK {
	t.Helper()
	out, err := exec.Command("python3", filepath.Join("testdata", "provider_kwargs.py"), location, pkg).Output()
	if err != nil {
		t.Fatalf("reading %s's Provider from %s: %v\n%s", pkg, location, err, stderrOf(err))
	}
	var sdk pythonSDK
	if err := json.Unmarshal(out, &sdk); err != nil {
		t.Fatalf("reading %s's Provider from %s: %v", pkg, location, err)
	}
	return sdk
}

// cached returns .work/dropin/<key> in the repository, filling it with fill
// the first time. fill works in a folder of its own that is renamed into
// place when it succeeds, so an interrupted or concurrent run never leaves a
// half-filled cache behind. The key carries every version it depends on.
func cached(t *testing.T, key string, fill func(dir string) error) string {
	t.Helper()
	base := filepath.Join(repositoryRoot(t), ".work", "dropin")
	dir := filepath.Join(base, key)
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		t.Fatal(err)
	}
	partial, err := os.MkdirTemp(base, key+".partial-")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(partial) }()
	if err := fill(partial); err != nil {
		t.Fatalf("filling the cache %s: %v", dir, err)
	}
	if err := os.Rename(partial, dir); err != nil {
		if _, statErr := os.Stat(dir); statErr != nil {
			t.Fatal(err)
		}
		// Another run filled it first: use that one.
	}
	return dir
}

// requireBuiltFrom fails the test when output is missing or older than
// source, naming the command that builds it.
func requireBuiltFrom(t *testing.T, output, source, command string) {
	t.Helper()
	built, err := os.Stat(output)
	if err != nil {
		t.Fatalf("%s is missing: run `%s` in the repository root first", output, command)
	}
	from, err := os.Stat(source)
	if err != nil {
		t.Fatal(err)
	}
	if built.ModTime().Before(from.ModTime()) {
		t.Fatalf("%s is older than %s: run `%s` in the repository root first", output, source, command)
	}
}

func repositoryRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

func stderrOf(err error) string {
	if exit, ok := errors.AsType[*exec.ExitError](err); ok {
		return string(exit.Stderr)
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
