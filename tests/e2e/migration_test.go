package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// The migration tests take a stack as pulumi-aws left it — secrets made with
// the AWS CLI, state built from the recorded pulumi-aws states in
// tests/fixtures/pulumi-aws (see SOURCES.md there) and loaded with
// `pulumi stack import` — and run the program with only its import line
// changed. The preview and the first `up` must not create, delete or replace
// anything and must make no Secrets Manager call; afterwards the state holds
// smx's types and shape, the values are still secret, the next preview shows
// no change, a real change updates in place, and destroy removes everything.

// migrationPolicy is the resource policy the SecretPolicy of the fixtures
// records: compact and key-sorted, so that the program's text and the output
// pulumi-aws records (structure.NormalizeJsonString) are the same string, as
// tests/fixtures/pulumi-aws/SOURCES.md asks.
const migrationPolicy = `{"Statement":[{"Action":"secretsmanager:GetSecretValue","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Resource":"*"}],"Version":"2012-10-17"}`

// awsFixture is one resource as pulumi-aws recorded it.
type awsFixture struct {
	Type    string         `json:"type"`
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
}

// loadAWSFixture reads tests/fixtures/pulumi-aws/<version>/<file>.json with
// its ${PLACEHOLDERS} filled in. Values go in JSON-escaped, since some
// (the policy) sit inside JSON strings.
func loadAWSFixture(t *testing.T, version, file string, vars map[string]string) awsFixture {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "tests", "fixtures", "pulumi-aws", version, file+".json"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for name, value := range vars {
		escaped, _ := json.Marshal(value)
		text = strings.ReplaceAll(text, "${"+name+"}", strings.Trim(string(escaped), `"`))
	}
	if i := strings.Index(text, "${"); i >= 0 {
		t.Fatalf("fixture %s/%s: placeholder %s has no value", version, file, text[i:min(len(text), i+20)])
	}
	var f awsFixture
	if err := json.Unmarshal([]byte(text), &f); err != nil {
		t.Fatalf("fixture %s/%s: %v", version, file, err)
	}
	return f
}

// pulumiAWSStack is a stack that pulumi-aws deployed, about to move to smx.
type pulumiAWSStack struct {
	r       *stackRun
	proxy   *faultproxy.Proxy
	version string // "v6" or "v7"
	project string
	stack   string
	vars    map[string]string

	resources   []map[string]any
	providerRef string
}

// awsPluginVersions are the pulumi-aws releases the fixtures come from; the
// default provider's URN carries the version.
var awsPluginVersions = map[string]string{"v6": "6.83.4", "v7": "7.0.0"}

// newPulumiAWSStack makes the document's secret with the AWS CLI, as the
// document does, and starts the state pulumi-aws would have recorded for it.
// The provider reaches moto through a counting proxy; the AWS CLI does not.
func newPulumiAWSStack(t *testing.T, version, project, stack string) *pulumiAWSStack {
	t.Helper()
	r := newStackRun(t)
	proxy := faultproxy.Start(t, r.moto.Endpoint)
	r.env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = proxy.URL
	r.installProvider()
	m := &pulumiAWSStack{r: r, proxy: proxy, version: version, project: project, stack: stack}

	name := "secret-" + randomLowercase(t, 7)
	arn := m.awsCLI("create-secret", "--name", name, "--query", "ARN", "--output", "text")
	versionID := m.awsCLI("put-secret-value", "--secret-id", arn, "--secret-string", documentSecretValue,
		"--query", "VersionId", "--output", "text")
	m.vars = map[string]string{
		"ACCOUNT": "123456789012", "REGION": "us-east-1", "SECRET_ARN": arn, "SECRET_NAME": name,
		"VERSION_ID": versionID, "POLICY": migrationPolicy, "PROJECT": project, "STACK": stack,
	}

	provider := loadAWSFixture(t, version, "provider", m.vars)
	providerURN := m.urn("pulumi:providers:aws", "default_"+strings.ReplaceAll(awsPluginVersions[version], ".", "_"))
	const providerID = "5f0d1c2e-6a3b-4c8d-9e7f-0a1b2c3d4e5f"
	m.providerRef = providerURN + "::" + providerID
	m.resources = []map[string]any{
		{"urn": m.urn("pulumi:pulumi:Stack", project+"-"+stack), "custom": false, "type": "pulumi:pulumi:Stack"},
		{"urn": providerURN, "custom": true, "id": providerID, "type": "pulumi:providers:aws",
			"inputs": provider.Inputs, "outputs": provider.Outputs},
	}
	return m
}

// urn is the URN of a resource at the top of the program. Its parent, the
// stack, is not part of it: the engine leaves the root stack's type out.
// awsCLI runs `aws secretsmanager <args>` straight against moto, not through
// the counting proxy, and returns its output trimmed.
func (m *pulumiAWSStack) awsCLI(args ...string) string {
	m.r.t.Helper()
	env := map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": m.r.moto.Endpoint, "AWS_DEFAULT_REGION": "us-east-1"}
	return strings.TrimSpace(m.r.runCommand(runOptions{env: env}, "aws", append([]string{"secretsmanager"}, args...)...).stdout)
}

func (m *pulumiAWSStack) urn(typ, name string) string {
	return fmt.Sprintf("urn:pulumi:%s::%s::%s::%s", m.stack, m.project, typ, name)
}

// add records one resource of the fixture file under a program's resource
// name, depending on the resources named by dependsOn (property → name).
func (m *pulumiAWSStack) add(file, name, id string, dependsOn map[string]string) string {
	m.r.t.Helper()
	f := loadAWSFixture(m.r.t, m.version, file, m.vars)
	urn := m.urn(f.Type, name)
	res := map[string]any{
		"urn": urn, "custom": true, "id": id, "type": f.Type,
		"inputs": f.Inputs, "outputs": f.Outputs,
		"parent": m.resources[0]["urn"], "provider": m.providerRef,
	}
	if len(dependsOn) > 0 {
		var deps []string
		props := map[string][]string{}
		for prop, dep := range dependsOn {
			deps = append(deps, dep)
			props[prop] = []string{dep}
		}
		res["dependencies"], res["propertyDependencies"] = deps, props
	}
	m.resources = append(m.resources, res)
	return urn
}

// importInto creates the stack from dir (a project folder with its
// Pulumi.yaml) and loads the pulumi-aws state into it. The state's secrets
// are given in plaintext; the import encrypts them with the stack's own
// secrets provider, which the fresh stack's export names.
func (m *pulumiAWSStack) importInto(dir string) {
	m.r.t.Helper()
	m.r.runPulumi(dir, "stack", "init", m.stack, "--non-interactive")
	var deployment map[string]any
	if err := json.Unmarshal([]byte(m.r.runPulumi(dir, "stack", "export")), &deployment); err != nil {
		m.r.t.Fatal(err)
	}
	deployment["deployment"].(map[string]any)["resources"] = m.resources
	raw, err := json.Marshal(deployment)
	if err != nil {
		m.r.t.Fatal(err)
	}
	file := filepath.Join(m.r.t.TempDir(), "pulumi-aws-state.json")
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		m.r.t.Fatal(err)
	}
	m.r.runPulumi(dir, "stack", "import", "--file", file)
}

// calls runs f and returns the Secrets Manager calls it made, per action.
func (m *pulumiAWSStack) calls(f func()) map[string]int {
	m.proxy.ResetCounts()
	f()
	out := map[string]int{}
	for action, c := range m.proxy.Counts() {
		if c.Received > 0 {
			out[action] = c.Received
		}
	}
	return out
}

// assertMigrationPlan checks a migrating preview's or up's change summary:
// nothing created, deleted or replaced.
func (m *pulumiAWSStack) assertMigrationPlan(what string, summary map[string]int) {
	m.r.t.Helper()
	for _, op := range []string{"create", "delete", "replace", "create-replacement", "delete-replaced", "import"} {
		if summary[op] != 0 {
			m.r.t.Fatalf("%s: %v, want no %s", what, summary, op)
		}
	}
}

// assertStateIsSmx checks the exported state: every secretsmanager resource
// has an smx type and smx's shape (no Terraform bridge bookkeeping), and
// every secret value is still a secret.
func (m *pulumiAWSStack) assertStateIsSmx(dir string, wantTypes ...string) {
	m.r.t.Helper()
	export := m.r.runPulumi(dir, "stack", "export")
	var state struct {
		Deployment struct {
			Resources []exportedResource `json:"resources"`
		} `json:"deployment"`
	}
	if err := json.Unmarshal([]byte(export), &state); err != nil {
		m.r.t.Fatal(err)
	}
	found := map[string]bool{}
	for _, res := range state.Deployment.Resources {
		if strings.HasPrefix(res.Type, "aws:") || res.Type == "pulumi:providers:aws" {
			m.r.t.Fatalf("the state still holds a %s after the migration", res.Type)
		}
		if !strings.HasPrefix(res.Type, "smx:secretsmanager:") {
			continue
		}
		found[res.Type] = true
		for _, key := range []string{"__meta", "__defaults", "id"} {
			if _, ok := res.Outputs[key]; ok {
				m.r.t.Errorf("%s: outputs still hold the bridge's %q", res.Type, key)
			}
			if _, ok := res.Inputs[key]; ok {
				m.r.t.Errorf("%s: inputs still hold the bridge's %q", res.Type, key)
			}
		}
	}
	for _, typ := range wantTypes {
		if !found[typ] {
			m.r.t.Errorf("the state has no %s after the migration", typ)
		}
	}
	m.assertGoingBackKeepsFields(state.Deployment.Resources)
	var raw struct {
		Deployment json.RawMessage `json:"deployment"`
	}
	if err := json.Unmarshal([]byte(export), &raw); err != nil {
		m.r.t.Fatal(err)
	}
	assertImportedValueIsSecret(m.r.t, raw.Deployment)
	m.r.assertStateHasNoPlaintext()
}

// The document's stack plus a rotation and a policy, in Pulumi YAML (which
// has no SDK to carry the aliases: the program names the old URNs), from
// each pulumi-aws version's state, with the real `pulumi up`.
func TestMigrateFromPulumiAWSInYAML(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"v6", "v7"} {
		t.Run(version, func(t *testing.T) {
			m := newPulumiAWSStack(t, version, "smx-migration-yaml", "migrate")
			r := m.r
			lambdaARN := createRotationLambda(t, r)
			m.vars["LAMBDA_ARN"] = lambdaARN
			arn := m.vars["SECRET_ARN"]
			m.awsCLI("rotate-secret", "--secret-id", arn,
				"--rotation-lambda-arn", lambdaARN, "--rotation-rules", "AutomaticallyAfterDays=30", "--no-rotate-immediately")
			m.awsCLI("put-resource-policy", "--secret-id", arn,
				"--resource-policy", migrationPolicy)

			secretURN := m.add("secret", "secret", arn, nil)
			versionURN := m.add("secret_version", "secretVersion", arn+"|"+m.vars["VERSION_ID"], map[string]string{"secretId": secretURN})
			rotationURN := m.add("secret_rotation", "rotation", arn, map[string]string{"secretId": secretURN})
			policyURN := m.add("secret_policy", "policy", arn, map[string]string{"secretArn": secretURN})

			project := filepath.Join(t.TempDir(), "project")
			writeProgram := func(description string) {
				program := fmt.Sprintf(`name: smx-migration-yaml
runtime: yaml
description: the document's stack moved from pulumi-aws %[1]s (tests/e2e/migration_test.go)
config:
  value:
    type: string
    secret: true
resources:
  secret:
    type: smx:secretsmanager:Secret
    properties:%[6]s
    options:
      aliases:
        - %[2]s
  secretVersion:
    type: smx:secretsmanager:SecretVersion
    properties:
      secretId: ${secret.id}
      secretString: ${value}
    options:
      aliases:
        - %[3]s
  rotation:
    type: smx:secretsmanager:SecretRotation
    properties:
      secretId: ${secret.id}
      rotationLambdaArn: %[7]s
      rotationRules:
        automaticallyAfterDays: 30
    options:
      aliases:
        - %[4]s
  policy:
    type: smx:secretsmanager:SecretPolicy
    properties:
      secretArn: ${secret.arn}
      policy: '%[8]s'
    options:
      aliases:
        - %[5]s
outputs:
  secretId: ${secret.id}
`, version, secretURN, versionURN, rotationURN, policyURN, description, lambdaARN, migrationPolicy)
				if err := os.MkdirAll(project, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte(program), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			writeProgram(" {}")
			m.importInto(project)
			r.runPulumi(project, "config", "set", "--secret", "value", documentSecretValue)

			previewJSON := func(args ...string) map[string]int {
				var preview struct {
					ChangeSummary map[string]int `json:"changeSummary"`
				}
				out := r.runPulumi(project, append([]string{"preview", "--json", "--non-interactive"}, args...)...)
				if err := json.Unmarshal([]byte(out), &preview); err != nil {
					t.Fatalf("preview --json: %v\n%s", err, out)
				}
				return preview.ChangeSummary
			}
			var summary map[string]int
			if calls := m.calls(func() { summary = previewJSON() }); len(calls) != 0 {
				t.Fatalf("the migrating preview made Secrets Manager calls %v, want none", calls)
			}
			m.assertMigrationPlan("preview", summary)
			if calls := m.calls(func() { r.runPulumi(project, "up", "--yes", "--non-interactive", "--diff") }); len(calls) != 0 {
				t.Fatalf("the migrating up made Secrets Manager calls %v, want none", calls)
			}
			m.assertStateIsSmx(project, "smx:secretsmanager:Secret", "smx:secretsmanager:SecretVersion",
				"smx:secretsmanager:SecretRotation", "smx:secretsmanager:SecretPolicy")
			r.assertSecretValue(arn, documentSecretValue)

			if calls := m.calls(func() {
				r.runPulumi(project, "preview", "--expect-no-changes", "--non-interactive", "--diff")
			}); len(calls) != 0 {
				t.Fatalf("the preview after the migration made calls %v, want none", calls)
			}

			// A real change afterwards is an ordinary in-place update.
			writeProgram("\n      description: moved from pulumi-aws")
			upCalls := m.calls(func() { r.runPulumi(project, "up", "--yes", "--non-interactive", "--diff") })
			if upCalls["UpdateSecret"] != 1 || len(upCalls) != 1 {
				t.Fatalf("changing the description made calls %v, want one UpdateSecret", upCalls)
			}

			r.runPulumi(project, "destroy", "--yes", "--non-interactive")
			r.assertNoLiveSecrets()
			r.assertNothingLeaked(project, m.stack)
		})
	}
}

// The document's TypeScript, Python and Go programs, unchanged but for their
// import line (the examples), moved from pulumi-aws state: the generated
// SDKs carry the aliases.
func TestMigrateFromPulumiAWSInTypeScript(t *testing.T) {
	t.Parallel()
	exampleDir := filepath.Join(repoRoot, "examples", "ts")
	requireFile(t, filepath.Join(exampleDir, "bin", "index.js"), "make examples")
	migrateExample(t, "v7", nodeDriver, exampleDir, "nodejs", "secret", "secretVersion")
}

func TestMigrateFromPulumiAWSInPython(t *testing.T) {
	t.Parallel()
	migrateExample(t, "v6", pythonDriver(t), filepath.Join(repoRoot, "examples", "py"), "python", "secret", "secret_version")
}

func TestMigrateFromPulumiAWSInGo(t *testing.T) {
	t.Parallel()
	migrateExample(t, "v7", goExampleDriver(t), filepath.Join(repoRoot, "examples", "go"), "go", "secretcontainer", "secret")
}

// migrateExample runs one example's program, as an inline program, on a
// stack holding the pulumi-aws state of its secret and secret version.
func migrateExample(t *testing.T, version string, driver []string, exampleDir, runtime, secretName, versionName string) {
	project := exampleProjectName(t, exampleDir)
	m := newPulumiAWSStack(t, version, project, "migrate")
	r := m.r
	arn := m.vars["SECRET_ARN"]
	secretURN := m.add("secret", secretName, arn, nil)
	m.add("secret_version", versionName, arn+"|"+m.vars["VERSION_ID"], map[string]string{"secretId": secretURN})

	// The stack is made from a project folder of the example's name; the
	// driver's inline program then selects it.
	dir := filepath.Join(t.TempDir(), "project")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: "+project+"\nruntime: "+runtime+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m.importInto(dir)

	var preview driverReport
	if calls := m.calls(func() { preview = r.drive(driver, exampleDir, m.stack, "preview") }); len(calls) != 0 {
		t.Fatalf("the migrating preview made Secrets Manager calls %v, want none", calls)
	}
	m.assertMigrationPlan("preview", preview.ChangeSummary)
	if preview.ChangeSummary["update"] != 2 {
		t.Fatalf("preview: %v, want the two resources' state rewritten in place", preview.ChangeSummary)
	}
	if calls := m.calls(func() { r.drive(driver, exampleDir, m.stack, "up") }); len(calls) != 0 {
		t.Fatalf("the migrating up made Secrets Manager calls %v, want none", calls)
	}
	m.assertStateIsSmx(dir, "smx:secretsmanager:Secret", "smx:secretsmanager:SecretVersion")
	r.assertSecretValue(arn, documentSecretValue)

	if calls := m.calls(func() { r.assertNoChanges(r.drive(driver, exampleDir, m.stack, "preview").ChangeSummary) }); len(calls) != 0 {
		t.Fatalf("the preview after the migration made calls %v, want none", calls)
	}
	destroyed := r.drive(driver, exampleDir, m.stack, "destroy").ChangeSummary
	if destroyed["delete"] != 3 {
		t.Fatalf("destroy deleted %v, want the stack and its two resources", destroyed)
	}
	r.assertNoLiveSecrets()
	r.assertStateHasNoPlaintext()
}

func exampleProjectName(t *testing.T, exampleDir string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(exampleDir, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if name, ok := strings.CutPrefix(line, "name:"); ok {
			return strings.Trim(strings.TrimSpace(name), `"'`)
		}
	}
	t.Fatalf("%s/Pulumi.yaml has no name", exampleDir)
	return ""
}

type exportedResource struct {
	URN     string         `json:"urn"`
	Type    string         `json:"type"`
	ID      string         `json:"id"`
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
}

// filledInByPulumiAWS are the outputs pulumi-aws records that smx leaves out
// when the program does not set them, and which pulumi-aws fills in again by
// itself on the way back: a SecretRotation's default (which its Check adds
// to the inputs, listing it in __defaults), and a Secret's policy, which it
// reads on refresh (smx reads no policy a Secret does not set).
var filledInByPulumiAWS = map[string]map[string]bool{
	"aws:secretsmanager/secret:Secret":                 {"policy": true},
	"aws:secretsmanager/secretRotation:SecretRotation": {"rotateImmediately": true},
}

// assertGoingBackKeepsFields checks the way back to pulumi-aws from smx's
// side: a migrated resource, re-typed to its pulumi-aws type, keeps its ID
// and every property pulumi-aws recorded with a value, with that value.
func (m *pulumiAWSStack) assertGoingBackKeepsFields(migrated []exportedResource) {
	m.r.t.Helper()
	byName := map[string]exportedResource{}
	for _, res := range migrated {
		byName[res.URN[strings.LastIndex(res.URN, "::")+2:]] = res
	}
	for _, old := range m.resources[2:] {
		urn := old["urn"].(string)
		name := urn[strings.LastIndex(urn, "::")+2:]
		now, ok := byName[name]
		if !ok {
			m.r.t.Errorf("%s is not in the migrated state", name)
			continue
		}
		if now.ID != old["id"] {
			m.r.t.Errorf("%s: ID %q, pulumi-aws had %q", name, now.ID, old["id"])
		}
		for key, value := range old["outputs"].(map[string]any) {
			if strings.HasPrefix(key, "__") || key == "id" || filledInByPulumiAWS[old["type"].(string)][key] || unsetForm(value) {
				continue
			}
			got, ok := now.Outputs[key]
			if !ok {
				m.r.t.Errorf("%s: output %s (%v) is gone; pulumi-aws would miss it", name, key, value)
				continue
			}
			if secretForm(value) {
				if jsonKindOf(got) != "secret" {
					m.r.t.Errorf("%s: output %s is no longer a secret", name, key)
				}
				continue
			}
			if !jsonEqual(got, withoutEmptyStrings(value)) {
				m.r.t.Errorf("%s: output %s is %v, pulumi-aws had %v", name, key, got, value)
			}
		}
	}
}

func unsetForm(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		if secretForm(v) {
			return v["plaintext"] == `""` || v["plaintext"] == "null"
		}
		return len(v) == 0
	}
	return false
}

func secretForm(v any) bool {
	m, ok := v.(map[string]any)
	return ok && m[secretSigKey] == secretSigValue
}

// withoutEmptyStrings drops the empty strings inside an object (a rotation
// rule not used), which smx does not record.
func withoutEmptyStrings(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for key, field := range m {
		if field != "" && field != nil {
			out[key] = field
		}
	}
	return out
}

func jsonKindOf(v any) string {
	if secretForm(v) {
		return "secret"
	}
	raw, _ := json.Marshal(v)
	return jsonKind(raw)
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
