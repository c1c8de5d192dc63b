package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestConfigCopyCommandOfTheDocs runs the command that
// docs/installation-configuration.md gives for carrying a stack's `aws:`
// config over to `smx:`, exactly as the page shows it, with the real CLI on
// a stack whose `aws:` config has what pulumi-aws users set: plain values, a
// secret, a list, a list of objects with a secret inside, a map whose key
// holds a dot, a value with a newline, numbers and booleans kept as strings
// at the top level and as their own types inside an object, the S3-only
// settings, and another package's key. It needs no moto and no provider: it
// is `pulumi config` alone.
func TestConfigCopyCommandOfTheDocs(t *testing.T) {
	t.Parallel()
	requireFile(t, pulumiBinary, "make tools")
	if _, err := exec.LookPath("jq"); err != nil {
		t.Fatal("the documented command needs jq, which is not on PATH: install it (apt-get install jq)")
	}
	command := documentedConfigCopyCommand(t)

	dir := t.TempDir()
	r := &stackRun{
		t:        t,
		stateDir: filepath.Join(dir, "state"),
		env: map[string]string{
			"PULUMI_HOME":                          filepath.Join(dir, "pulumi-home"),
			"PULUMI_CONFIG_PASSPHRASE":             "e2e-passphrase",
			"PULUMI_SKIP_UPDATE_CHECK":             "true",
			"PULUMI_DIY_BACKEND_NO_LEGACY_WARNING": "true",
			"PATH":                                 filepath.Join(pulumiRoot, "bin") + string(os.PathListSeparator) + os.Getenv("PATH"),
		},
		// Watched in every output of the copy: it must never print them.
		secretValues: []string{"wJalrXUtnFEMI/K7MDENG+secret", "external-id-secret-7"},
	}
	r.env["PULUMI_BACKEND_URL"] = "file://" + r.stateDir
	project := filepath.Join(dir, "project")
	for _, d := range []string{r.stateDir, project} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte("name: config-copy\nruntime: yaml\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.runPulumi(project, "stack", "init", "dev")
	for _, set := range [][]string{
		{"aws:region", "eu-west-1"},
		{"aws:accessKey", "AKIAIOSFODNN7EXAMPLE"},
		{"--secret", "aws:secretKey", r.secretValues[0]},
		{"aws:maxRetries", "5"},
		{"aws:skipCredentialsValidation", "true"},
		{"aws:sharedConfigFiles", "[\"/etc/aws/config\"]"}, // a JSON string, not a list: copied as the string
		{"aws:userAgents", "first line\nsecond line\n"},    // --raw keeps the trailing newline
		{"--path", "--type", "string", "aws:allowedAccountIds[0]", "111111111111"},
		{"--path", "--type", "string", "aws:allowedAccountIds[1]", "222222222222"},
		{"--path", "aws:assumeRoles[0].roleArn", "arn:aws:iam::222222222222:role/deploy"},
		{"--path", "--secret", "aws:assumeRoles[0].externalId", r.secretValues[1]},
		{"--path", "aws:assumeRoles[1].roleArn", "arn:aws:iam::333333333333:role/read"},
		{"--path", "--type", "string", "aws:defaultTags.tags[\"cost.centre\"]", "1234"},
		{"--path", "aws:defaultTags.tags.owner", "team-a"},
		{"--path", "aws:ignoreTags.keyPrefixes[0]", "kubernetes.io/"},
		{"--path", "--type", "int", "aws:endpoints[0].retries", "3"},
		{"--path", "--type", "bool", "aws:endpoints[0].enabled", "true"},
		{"aws:s3UsePathStyle", "true"},
		{"aws:s3UsEast1RegionalEndpoint", "regional"},
		{"other:setting", "kept"},
	} {
		r.runPulumi(project, append([]string{"config", "set"}, set...)...)
	}
	before := configJSON(t, r, project)

	copied := r.runCommand(runOptions{dir: project}, "bash", "-c", command)
	if strings.TrimSpace(copied.output()) != "" {
		t.Errorf("the copy printed something; it should be silent:\n%s", copied.output())
	}

	after := configJSON(t, r, project)
	for key, value := range before {
		name, isAWS := strings.CutPrefix(key, "aws:")
		copyOf, copiedIt := after["smx:"+name]
		switch {
		case !isAWS:
			if copiedIt {
				t.Errorf("%s is not pulumi-aws's, yet smx:%s was set", key, name)
			}
		case name == "s3UsePathStyle" || name == "s3UsEast1RegionalEndpoint":
			if copiedIt {
				t.Errorf("%s is S3's and smx rejects it, yet smx:%s was set", key, name)
			}
		case !copiedIt:
			t.Errorf("%s was not copied to smx:%s", key, name)
		case !reflect.DeepEqual(copyOf, value):
			t.Errorf("smx:%s differs from %s:\n got  %+v\n want %+v", name, key, copyOf, value)
		}
		if !reflect.DeepEqual(after[key], value) {
			t.Errorf("%s changed: the copy must leave the aws: keys alone", key)
		}
	}

	// The secrets are encrypted in the stack's file, under smx: too.
	stackFile, err := os.ReadFile(filepath.Join(project, "Pulumi.dev.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r.assertNoPlaintext("Pulumi.dev.yaml after the copy", string(stackFile))
	if got := strings.Count(string(stackFile), "secure: "); got < 4 {
		t.Errorf("Pulumi.dev.yaml holds %d encrypted values; want at least 4 (each secret under aws: and smx:):\n%s", got, stackFile)
	}
}

// configEntry is one key of `pulumi config --json --show-secrets`.
type configEntry struct {
	Value       string `json:"value"`
	ObjectValue any    `json:"objectValue"`
	Secret      bool   `json:"secret"`
}

// configJSON reads the stack's config with its secrets. Not through
// runCommand: its output holds the secret values by design.
func configJSON(t *testing.T, r *stackRun, project string) map[string]configEntry {
	t.Helper()
	cmd := exec.Command(pulumiBinary, "config", "--json", "--show-secrets")
	cmd.Dir = project
	cmd.Env = r.environ(nil)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pulumi config --json: %v", err)
	}
	config := map[string]configEntry{}
	if err := json.Unmarshal(out, &config); err != nil {
		t.Fatalf("pulumi config --json: %v", err)
	}
	return config
}

// documentedConfigCopyCommand is the ```sh block of
// docs/installation-configuration.md that reads `pulumi config --json`.
func documentedConfigCopyCommand(t *testing.T) string {
	t.Helper()
	page, err := os.ReadFile(filepath.Join(repoRoot, "docs", "installation-configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, block := range strings.Split(string(page), "```sh\n")[1:] {
		body, _, ok := strings.Cut(block, "```")
		if ok && strings.Contains(body, "pulumi config --json --show-secrets") {
			found = append(found, body)
		}
	}
	if len(found) != 1 {
		t.Fatalf("docs/installation-configuration.md: want one ```sh block with `pulumi config --json --show-secrets`, found %d", len(found))
	}
	return found[0]
}
