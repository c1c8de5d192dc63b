package e2e

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// Write-only values (secretStringWo): the value reaches AWS and nowhere in
// Pulumi's keeping — not the state (current, history, backups), not even
// encrypted, not a saved plan, not the CLI's output at -v=11, not the
// provider's logs.

// uniqueValue is a secret value no other test, and no earlier run, uses, so
// that finding it anywhere is this test's leak.
func uniqueValue(t *testing.T, label string) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "wo-" + label + "-" + hex.EncodeToString(b)
}

// writeOnlyRun is a stack run whose provider calls Secrets Manager through a
// counting proxy, and whose plugin's stderr is captured.
func writeOnlyRun(t *testing.T) (*stackRun, *faultproxy.Proxy) {
	r := newStackRun(t)
	proxy := faultproxy.Start(t, r.moto.Endpoint)
	r.env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = proxy.URL
	r.installProvider()
	return r, proxy
}

// ciphertextPattern matches what the passphrase secrets manager writes: "v1:"
// then a base64 nonce and a base64 AES-256-GCM ciphertext. State holds it
// as a secret's "ciphertext", Pulumi.<stack>.yaml and saved plans as
// "secure:".
var ciphertextPattern = regexp.MustCompile(`(?:"ciphertext":\s*"|secure"?:\s*"?)(v1:[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*)`)

// assertNoValueEncryptedIn decrypts every ciphertext in every file under dir
// with the stack's key and fails if one of them holds a watched value: a
// plaintext search cannot see a value that reached a file encrypted. It
// returns how many ciphertexts it decrypted, so that a caller can tell a
// check that saw nothing from one that saw secrets and found them clean.
//
// A file's top-level "config" is left out: the engine copies the stack's
// configuration — Pulumi.<stack>.yaml, where the user chose to keep the
// value, encrypted — into each update's history record and each saved plan.
// That copy is the user's config, not something smx wrote; everything else
// in those files (resources' inputs, outputs, goals) is checked.
func (r *stackRun) assertNoValueEncryptedIn(dir string, crypter config.Decrypter) int {
	r.t.Helper()
	decrypted := 0
	readEachFileUnder(r.t, dir, func(path, content string) {
		decrypted += r.assertNoValueEncryptedInText("file "+path, withoutStackConfig(r.t, content), crypter)
	})
	return decrypted
}

func (r *stackRun) assertNoValueEncryptedInText(where, text string, crypter config.Decrypter) int {
	r.t.Helper()
	ciphertexts := ciphertextPattern.FindAllStringSubmatch(text, -1)
	for _, match := range ciphertexts {
		plaintext, err := crypter.DecryptValue(context.Background(), match[1])
		if err != nil {
			r.t.Fatalf("%s holds a ciphertext the stack's key does not decrypt: %v", where, err)
		}
		assertNoPlaintextIn(r.t, "a value encrypted in "+where, plaintext, r.watchedSecretValues())
	}
	return len(ciphertexts)
}

// withoutStackConfig is a JSON file's text without its top-level "config"
// (see assertNoValueEncryptedIn); any other file's text as it is.
func withoutStackConfig(t *testing.T, content string) string {
	t.Helper()
	var sections map[string]json.RawMessage
	if json.Unmarshal([]byte(content), &sections) != nil {
		return content
	}
	delete(sections, "config")
	rest, err := json.Marshal(sections)
	if err != nil {
		t.Fatal(err)
	}
	return string(rest)
}

// assertStateHoldsNoValue checks every file the backend wrote (checkpoint,
// history, backups) for the watched values in plaintext and encrypted.
func (r *stackRun) assertStateHoldsNoValue(crypter config.Decrypter) {
	r.t.Helper()
	r.assertStateFilesLack(r.watchedSecretValues())
	if r.assertNoValueEncryptedIn(r.stateDir, crypter) == 0 {
		// The default provider's credentials are secrets: a state with no
		// ciphertext at all means the check looked in the wrong place.
		r.t.Fatalf("no ciphertext anywhere under %s: the check would prove nothing", r.stateDir)
	}
}

// stackCrypter is the key the passphrase secrets manager derives for a stack
// from the test passphrase and the salt in the project's Pulumi.<stack>.yaml.
func (r *stackRun) stackCrypter(project, stack string) config.Decrypter {
	r.t.Helper()
	content, err := os.ReadFile(filepath.Join(project, "Pulumi."+stack+".yaml"))
	if err != nil {
		r.t.Fatal(err)
	}
	// The file is "encryptionsalt: v1:<salt>:<the word pulumi, encrypted>"
	// and the stack's config.
	line := regexp.MustCompile(`(?m)^encryptionsalt: (\S+)$`).FindStringSubmatch(string(content))
	if line == nil {
		r.t.Fatalf("Pulumi.%s.yaml has no encryptionsalt", stack)
	}
	return r.crypterFromSalt(line[1])
}

// stateCrypter holds the stack's keys from every salt the backend's files
// record (secrets_providers), for stacks whose Pulumi.<stack>.yaml lives in
// a workspace the test does not keep: an inline program gets a fresh
// workspace, and so a fresh salt, for each operation, and each checkpoint,
// backup and history record is encrypted with the salt of its operation.
func (r *stackRun) stateCrypter() config.Decrypter {
	r.t.Helper()
	salts := map[string]bool{}
	readEachFileUnder(r.t, r.stateDir, func(_, content string) {
		for _, salt := range saltPattern.FindAllStringSubmatch(content, -1) {
			salts[salt[1]] = true
		}
	})
	if len(salts) == 0 {
		r.t.Fatalf("no secrets provider salt under %s", r.stateDir)
	}
	var keys anyKey
	for salt := range salts {
		keys = append(keys, r.crypterFromSalt(salt))
	}
	return keys
}

var saltPattern = regexp.MustCompile(`"salt":\s*"(v1:[^"]+)"`)

// anyKey decrypts with whichever of its keys opens a ciphertext.
type anyKey []config.Decrypter

func (keys anyKey) DecryptValue(ctx context.Context, ciphertext string) (string, error) {
	var err error
	for _, key := range keys {
		var plaintext string
		if plaintext, err = key.DecryptValue(ctx, ciphertext); err == nil {
			return plaintext, nil
		}
	}
	return "", err
}

func (keys anyKey) BatchDecrypt(ctx context.Context, ciphertexts []string) ([]string, error) {
	plaintexts := make([]string, len(ciphertexts))
	for i, ciphertext := range ciphertexts {
		var err error
		if plaintexts[i], err = keys.DecryptValue(ctx, ciphertext); err != nil {
			return nil, err
		}
	}
	return plaintexts, nil
}

// crypterFromSalt derives the passphrase secrets manager's key from the test
// passphrase and a stack's salt, "v1:<salt>:<the word pulumi, encrypted>",
// and proves it with the encrypted word.
func (r *stackRun) crypterFromSalt(state string) config.Decrypter {
	r.t.Helper()
	parts := strings.SplitN(state, ":", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		r.t.Fatalf("%q is not a passphrase secrets manager's salt", state)
	}
	salt, err := base64.StdEncoding.DecodeString(parts[1])
	if err != nil {
		r.t.Fatal(err)
	}
	crypter := config.NewSymmetricCrypterFromPassphrase(r.env["PULUMI_CONFIG_PASSPHRASE"], salt)
	if word, err := crypter.DecryptValue(context.Background(), parts[2]); err != nil || word != "pulumi" {
		r.t.Fatalf("the test passphrase does not open the stack (%v)", err)
	}
	return crypter
}

// exportedVersion is the SecretVersion in `pulumi stack export
// --show-secrets`, which decrypts everything the state holds.
func (r *stackRun) exportedVersion(project string) (inputs, outputs map[string]any) {
	r.t.Helper()
	exported := r.runPulumi(project, "stack", "export", "--show-secrets")
	var deployment struct {
		Deployment struct {
			Resources []struct {
				Type    string         `json:"type"`
				Inputs  map[string]any `json:"inputs"`
				Outputs map[string]any `json:"outputs"`
			} `json:"resources"`
		} `json:"deployment"`
	}
	if err := json.Unmarshal([]byte(exported), &deployment); err != nil {
		r.t.Fatal(err)
	}
	for _, res := range deployment.Deployment.Resources {
		if res.Type == "smx:secretsmanager:SecretVersion" {
			return res.Inputs, res.Outputs
		}
	}
	r.t.Fatal("the exported deployment has no SecretVersion")
	return nil, nil
}

func (r *stackRun) versionCount(secretID string) int {
	r.t.Helper()
	out, err := r.client.ListSecretVersionIds(context.Background(), &sm.ListSecretVersionIdsInput{SecretId: &secretID})
	if err != nil {
		r.t.Fatal(err)
	}
	return len(out.Versions)
}

// TestWriteOnlyYAMLExample runs examples/yaml-write-only with the real CLI:
// a saved plan, `up --plan` at -v=11, a changed value under the same version
// number (nothing written), a version bump (a new AWS version), a refresh
// (no GetSecretValue), destroy — and the value is nowhere but in AWS.
func TestWriteOnlyYAMLExample(t *testing.T) {
	t.Parallel()
	r, proxy := writeOnlyRun(t)
	first, unwritten, second := uniqueValue(t, "first"), uniqueValue(t, "unwritten"), uniqueValue(t, "second")
	r.watchSecretValues(first, unwritten, second)
	project := filepath.Join(t.TempDir(), "yaml-write-only")
	r.runCommand(runOptions{}, "cp", "-r", filepath.Join(repoRoot, "examples", "yaml-write-only"), project)
	r.runPulumi(project, "stack", "init", "e2e", "--non-interactive")
	r.runPulumi(project, "config", "set", "--secret", "dbPassword", first)

	// A saved plan, and the update that follows it, logging everything.
	plans := map[string]string{"PULUMI_EXPERIMENTAL": "true"}
	plan := filepath.Join(t.TempDir(), "plan.json")
	r.runCommand(runOptions{dir: project, env: plans}, "pulumi", "preview", "--save-plan", plan, "--diff", "--non-interactive")
	crypter := r.stackCrypter(project, "e2e")
	r.assertFilesLack(filepath.Dir(plan), r.watchedSecretValues())
	r.assertNoValueEncryptedIn(filepath.Dir(plan), crypter)
	verbose := []string{"--logtostderr", "-v=11", "--logflow"}
	r.runCommand(runOptions{dir: project, env: plans}, "pulumi",
		append([]string{"up", "--plan", plan, "--yes", "--diff", "--non-interactive"}, verbose...)...)

	var outputs struct{ SecretID, VersionID string }
	if err := json.Unmarshal([]byte(r.runPulumi(project, "stack", "output", "--json")), &outputs); err != nil {
		t.Fatal(err)
	}
	r.assertSecretValue(outputs.SecretID, first)
	inputs, state := r.exportedVersion(project)
	if _, ok := inputs["secretStringWo"]; ok {
		t.Fatal("the recorded inputs name secretStringWo")
	}
	if _, ok := state["secretString"]; ok || state["hasSecretStringWo"] != true || state["secretStringWoVersion"] != 1.0 {
		t.Fatalf("the recorded SecretVersion: %v", maskValues(fmtJSON(state), r.watchedSecretValues()))
	}
	r.assertStateHoldsNoValue(crypter)

	// A new value under the same version number writes nothing.
	r.runPulumi(project, "config", "set", "--secret", "dbPassword", unwritten)
	r.runPulumi(project, "preview", "--expect-no-changes", "--diff", "--non-interactive")
	r.runPulumi(project, "preview", "--expect-no-changes", "--json", "--non-interactive")
	proxy.ResetCounts()
	r.runPulumi(project, "up", "--yes", "--non-interactive")
	if n := proxy.Count("PutSecretValue").Received; n != 0 {
		t.Fatalf("an unchanged version number made %d PutSecretValue calls, want 0", n)
	}
	r.assertSecretValue(outputs.SecretID, first)

	// A version bump writes the new value as a new AWS version.
	r.runPulumi(project, "config", "set", "--secret", "dbPassword", second)
	r.runPulumi(project, "config", "set", "passwordVersion", "2")
	proxy.ResetCounts()
	r.runCommand(runOptions{dir: project}, "pulumi", append([]string{"up", "--yes", "--diff", "--non-interactive"}, verbose...)...)
	if n := proxy.Count("PutSecretValue").Received; n != 1 {
		t.Fatalf("a version bump made %d PutSecretValue calls, want 1", n)
	}
	r.assertSecretValue(outputs.SecretID, second)
	if n := r.versionCount(outputs.SecretID); n != 2 {
		t.Fatalf("the secret has %d versions after a bump, want 2", n)
	}
	var bumped struct{ VersionID string }
	if err := json.Unmarshal([]byte(r.runPulumi(project, "stack", "output", "--json")), &bumped); err != nil || bumped.VersionID == outputs.VersionID {
		t.Fatalf("the bump kept version %s (%v)", outputs.VersionID, err)
	}

	// Refresh checks the version without reading its value.
	proxy.ResetCounts()
	r.runPulumi(project, "refresh", "--yes", "--expect-no-changes", "--non-interactive")
	if n := proxy.Count("GetSecretValue").Received; n != 0 {
		t.Fatalf("refresh made %d GetSecretValue calls, want 0", n)
	}
	r.runPulumi(project, "preview", "--expect-no-changes", "--non-interactive")

	r.runPulumi(project, "destroy", "--yes", "--non-interactive")
	r.assertStateHoldsNoValue(crypter)
	r.assertNothingLeaked(project, "e2e")
}

func fmtJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestSwitchToWriteOnlyKeepsTheVersion moves a SecretVersion from
// secretString to secretStringWo with the same value, as a user does to take
// the value out of state: the preview shows an update, not a replacement; the
// update calls no write API and keeps the AWS version; afterwards the stack's
// checkpoint holds the value in no form. (The checkpoints written before the
// switch, in history and backups, held it encrypted as they always did.)
func TestSwitchToWriteOnlyKeepsTheVersion(t *testing.T) {
	t.Parallel()
	r, proxy := writeOnlyRun(t)
	value := uniqueValue(t, "switch")
	r.watchSecretValues(value)
	project := filepath.Join(t.TempDir(), "yaml-write-only")
	r.runCommand(runOptions{}, "cp", "-r", filepath.Join(repoRoot, "examples", "yaml-write-only"), project)
	writeOnlyProgram, err := os.ReadFile(filepath.Join(project, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const writeOnly = "      secretStringWo: ${dbPassword}\n      secretStringWoVersion: ${passwordVersion}\n"
	if !strings.Contains(string(writeOnlyProgram), writeOnly) {
		t.Fatal("examples/yaml-write-only no longer sets secretStringWo as this test expects")
	}
	plainProgram := strings.Replace(string(writeOnlyProgram), writeOnly, "      secretString: ${dbPassword}\n", 1)
	writeProgram := func(program string) {
		if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte(program), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeProgram(plainProgram)
	r.runPulumi(project, "stack", "init", "e2e", "--non-interactive")
	r.runPulumi(project, "config", "set", "--secret", "dbPassword", value)
	r.runPulumi(project, "up", "--yes", "--non-interactive")
	var before struct{ SecretID, VersionID string }
	if err := json.Unmarshal([]byte(r.runPulumi(project, "stack", "output", "--json")), &before); err != nil {
		t.Fatal(err)
	}

	writeProgram(string(writeOnlyProgram))
	preview := r.runPulumi(project, "preview", "--diff", "--non-interactive")
	if !strings.Contains(preview, "~ smx:secretsmanager:SecretVersion: (update)") || strings.Contains(preview, "replace") {
		t.Fatalf("the switch to secretStringWo should preview as an update of the SecretVersion:\n%s", maskValues(preview, r.watchedSecretValues()))
	}
	proxy.ResetCounts()
	r.runPulumi(project, "up", "--yes", "--non-interactive")
	for _, write := range []string{"PutSecretValue", "UpdateSecret", "UpdateSecretVersionStage", "CreateSecret"} {
		if n := proxy.Count(write).Received; n != 0 {
			t.Fatalf("the switch made %d %s calls, want none", n, write)
		}
	}
	var after struct{ VersionID string }
	if err := json.Unmarshal([]byte(r.runPulumi(project, "stack", "output", "--json")), &after); err != nil || after.VersionID != before.VersionID {
		t.Fatalf("the switch changed the version from %s to %s (%v)", before.VersionID, after.VersionID, err)
	}
	if n := r.versionCount(before.SecretID); n != 1 {
		t.Fatalf("the secret has %d versions after the switch, want 1", n)
	}
	r.assertSecretValue(before.SecretID, value)
	inputs, state := r.exportedVersion(project)
	if _, ok := state["secretString"]; ok || state["hasSecretStringWo"] != true {
		t.Fatalf("the SecretVersion after the switch: %v", maskValues(fmtJSON(state), r.watchedSecretValues()))
	}
	if _, ok := inputs["secretString"]; ok {
		t.Fatal("the recorded inputs still hold secretString")
	}
	exported := r.runPulumi(project, "stack", "export", "--show-secrets")
	assertNoPlaintextIn(t, "the stack's checkpoint after the switch, decrypted", exported, r.watchedSecretValues())
	r.runPulumi(project, "preview", "--expect-no-changes", "--non-interactive")

	r.runPulumi(project, "destroy", "--yes", "--non-interactive")
	r.assertNothingLeaked(project, "e2e")
}

// TestWriteOnlyTypeScriptExample runs examples/ts-write-only through the
// Node SDK as an inline program; TestWriteOnlyPythonExample the same program
// in Python. Each generated SDK sends secretStringWo like any other input,
// and the value still reaches AWS only.
func TestWriteOnlyTypeScriptExample(t *testing.T) {
	t.Parallel()
	exampleDir := filepath.Join(repoRoot, "examples", "ts-write-only")
	requireFile(t, filepath.Join(exampleDir, "bin", "index.js"), "make examples")
	runWriteOnlyExample(t, nodeDriver, exampleDir)
}

func TestWriteOnlyPythonExample(t *testing.T) {
	t.Parallel()
	runWriteOnlyExample(t, pythonDriver(t), filepath.Join(repoRoot, "examples", "py-write-only"))
}

// runWriteOnlyExample runs a write-only example: its value reaches AWS, a
// new value under the same version number previews no change, a bump writes
// one new AWS version, and no file of the backend holds any of the values,
// in plaintext or encrypted.
func runWriteOnlyExample(t *testing.T, driver []string, exampleDir string) {
	r, proxy := writeOnlyRun(t)
	first, second := uniqueValue(t, "first"), uniqueValue(t, "second")
	r.watchSecretValues(first, second)
	config := func(password, version string) map[string]stackConfigValue {
		return map[string]stackConfigValue{"dbPassword": {Value: password, Secret: true}, "passwordVersion": {Value: version}}
	}

	up := r.driveWithConfig(driver, exampleDir, "e2e", "up", config(first, "1"))
	secretID, _ := up.Outputs["secretId"].(string)
	if up.Outputs["hasSecretStringWo"] != true {
		t.Fatalf("outputs %v: want hasSecretStringWo true", up.Outputs)
	}
	r.assertSecretValue(secretID, first)
	r.assertStateHoldsNoValue(r.stateCrypter())
	r.assertNoChanges(r.driveWithConfig(driver, exampleDir, "e2e", "preview", config(second, "1")).ChangeSummary)

	proxy.ResetCounts()
	bumped := r.driveWithConfig(driver, exampleDir, "e2e", "up", config(second, "2"))
	if n := proxy.Count("PutSecretValue").Received; n != 1 || bumped.Outputs["versionId"] == up.Outputs["versionId"] {
		t.Fatalf("a version bump made %d PutSecretValue calls and version %v, want 1 and a new version", n, bumped.Outputs["versionId"])
	}
	r.assertSecretValue(secretID, second)
	if n := r.versionCount(secretID); n != 2 {
		t.Fatalf("the secret has %d versions after a bump, want 2", n)
	}
	r.assertStateHoldsNoValue(r.stateCrypter())
	r.driveWithConfig(driver, exampleDir, "e2e", "destroy", config(second, "2"))
	r.assertNoLiveSecrets()
	r.assertStateHoldsNoValue(r.stateCrypter())
}
