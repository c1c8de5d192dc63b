package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// badInput is one invalid program or configuration.
type badInput struct {
	name string
	// resources is the program's resources section (YAML, indented by two).
	resources string
	// secrets are secret stack config values the program reads (${key}):
	// how users keep secret values, and what the leak checks look for.
	secrets map[string]string
	// config is plain stack config, e.g. smx:maxRetries.
	config map[string]string
	// env is environment on top of the run's; unsetEnv removes a variable.
	env map[string]string
	// up: the fault can only show when the provider calls AWS, so the row
	// runs `pulumi up`; every other row runs `pulumi preview` only.
	up bool
	// want are what the error shown to the user must say: the property (or
	// setting) and the rule it breaks.
	want []string
	// within bounds how long the command may take, when set.
	within time.Duration
	// setup prepares what the row's failure is about, on the run's moto
	// (not through the row's proxy), before the command runs.
	setup func(t *testing.T, r *stackRun)
	// calls are the Secrets Manager calls the command may make, by action:
	// none, unless the failure is what a preview's look-up finds.
	calls map[string]int
}

// TestBadInput runs invalid programs and configurations through the real
// CLI, each in its own stack with its own fault proxy in front of moto, and
// checks that each fails with a message that names the property and the
// rule — at preview, for everything a program or its config says — and makes
// no Secrets Manager call at all (the proxy counts none), but for the one
// look-up a row's failure may be about (a name a live secret holds).
// Failing runs are leak-checked like any other: secret values rejected by a
// rule appear in no output, log, error or state file.
//
// The rows cover the Secret (name, namePrefix, description, kmsKeyId forms,
// policy JSON, recoveryWindowInDays, tags including the aws: and smx:
// prefixes, replica regions and keys, generateSecretString), the
// SecretVersion (both value kinds, lengths, bad base64, secretId,
// versionStages), the SecretPolicy, the Tag (key and value), the
// RotationSchedule, a cross-account replica's Secret and the
// CrossAccountReplication, the provider's configuration (bad values, unknown keys), missing credentials,
// endpoint variables that are no URL, a name a live secret holds, and an
// unreachable endpoint.
func TestBadInput(t *testing.T) {
	t.Parallel()
	rows := badInputs(t)
	if len(rows) < 40 {
		t.Fatalf("only %d rows: the suite promises at least 40", len(rows))
	}
	r := newStackRun(t)
	cliTemp := t.TempDir()
	r.env["TMPDIR"] = cliTemp
	r.leakDirs = append(r.leakDirs, cliTemp)
	for _, row := range rows {
		for _, v := range row.secrets {
			r.watchSecretValues(v)
		}
	}
	r.installProvider()
	start := time.Now()
	var mu sync.Mutex
	durations := map[string]float64{}
	var failed []string
	t.Run("rows", func(t *testing.T) {
		for i, row := range rows {
			t.Run(row.name, func(t *testing.T) {
				t.Parallel()
				defer func() {
					if t.Failed() {
						mu.Lock()
						failed = append(failed, row.name)
						mu.Unlock()
					}
				}()
				took := runBadInput(t, r.forTest(t), i, row)
				mu.Lock()
				durations[row.name] = took.Seconds()
				mu.Unlock()
			})
		}
	})
	// The provider's log is shared by every row; it is complete now.
	for _, log := range r.providerLogs {
		content, err := os.ReadFile(log)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		assertNoPlaintextIn(t, "the provider plugin's own log "+log, string(content), r.watchedSecretValues())
	}
	slowest, slowestName := 0.0, ""
	for name, d := range durations {
		if d > slowest {
			slowest, slowestName = d, name
		}
	}
	report(t, scenarioReport{
		Scenario: "bad input", Size: reliability(t).Name, Resources: len(durations), ProviderStderrBytes: r.providerLogBytes(),
		Steps: map[string]float64{"slowest row (" + slowestName + ")": slowest}, DurationSec: time.Since(start).Seconds(),
		Notes: map[string]any{"rows": len(rows), "rowsPassed": len(durations), "secretsManagerCallsPerPassingRow": 0,
			"rowsWithALookUp": rowsWithLookUps(rows), "callsOfThoseRows": 1},
		Problems: failed,
	})
}

func runBadInput(t *testing.T, r *stackRun, i int, row badInput) time.Duration {
	proxy := faultproxy.Start(t, r.moto.Endpoint)
	env := map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": proxy.URL}
	for k, v := range row.env {
		env[k] = strings.ReplaceAll(v, "{proxy}", proxy.URL)
	}
	project := filepath.Join(t.TempDir(), "project")
	stack := fmt.Sprintf("bad%02d", i)
	var program strings.Builder
	fmt.Fprintf(&program, "name: smx-bad-input-%02d\nruntime: yaml\ndescription: %q\n", i, row.name)
	if len(row.secrets) > 0 {
		program.WriteString("config:\n")
		for _, key := range sortedKeys(row.secrets) {
			fmt.Fprintf(&program, "  %s:\n    type: string\n    secret: true\n", key)
		}
	}
	program.WriteString("resources:\n" + row.resources)
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte(program.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if row.setup != nil {
		row.setup(t, r)
	}
	r.runCommand(runOptions{dir: project, env: env, timeout: cliTimeout}, "pulumi", "stack", "init", stack, "--non-interactive")
	if len(row.secrets)+len(row.config) > 0 {
		args := []string{"config", "set-all"}
		for _, key := range sortedKeys(row.secrets) {
			args = append(args, "--secret", key+"="+row.secrets[key])
		}
		for _, key := range sortedKeys(row.config) {
			args = append(args, "--plaintext", key+"="+row.config[key])
		}
		r.runCommand(runOptions{dir: project, env: env, timeout: cliTimeout}, "pulumi", args...)
	}

	args := []string{"preview", "--non-interactive", "--diff"}
	if row.up {
		args = []string{"up", "--yes", "--non-interactive", "--diff"}
	}
	res := r.runCommand(runOptions{dir: project, env: env, timeout: 5 * time.Minute, expect: eitherOutcome}, "pulumi", append(args, verbose...)...)
	if res.err == nil {
		t.Fatalf("%s succeeded; want it to fail, naming %q:\n%s", args[0], row.want, res)
	}
	shown := res.errors()
	for _, want := range row.want {
		if !strings.Contains(shown, want) {
			t.Fatalf("%s failed, but its errors do not say %q:\n%s", args[0], want, res)
		}
	}
	wantCalls := 0
	for action, n := range row.calls {
		wantCalls += n
		if got := proxy.Count(action).Received; got != n {
			t.Fatalf("%s made %d %s calls (%v); want %d", args[0], got, action, proxy.Counts(), n)
		}
	}
	if calls := proxy.Total(); calls.Received != wantCalls {
		t.Fatalf("%s made %d Secrets Manager calls (%v); want %d (%v)", args[0], calls.Received, proxy.Counts(), wantCalls, row.calls)
	}
	if row.within > 0 && res.took > row.within {
		t.Fatalf("%s took %.1fs to fail, beyond the bound %v", args[0], res.took.Seconds(), row.within)
	}
	r.assertNothingLeaked(project, stack)
	return res.took
}

// Programs of one resource: the row's resource is the program's only one,
// so that nothing valid around it calls AWS during the preview (a valid
// Secret looks its name up at preview).
func secretProgram(properties string) string {
	return "  secret:\n    type: smx:secretsmanager:Secret\n    properties:\n" + indent(properties, 6)
}

// tagProgram is a Tag of the existing secret the suite's stacks share, with
// the key and value lines given.
func tagProgram(key, value string) string {
	return "  tag:\n    type: smx:secretsmanager:Tag\n    properties:\n      secretId: smx-bad/existing\n" +
		indent(key, 6) + indent(value, 6)
}

// The ARNs of the cross-account rows: a primary in the suite's region
// (moto's, us-east-1) of one account, and a replica of another.
const (
	badPrimaryARN = "arn:aws:secretsmanager:us-east-1:222222222222:secret:smx-bad/primary-AbCdEf"
	badReplicaARN = "arn:aws:secretsmanager:us-east-1:333333333333:secret:smx-bad/replica-GhIjKl"
)

// replicaSecretProgram is a valid cross-account replica's Secret with one
// more property.
func replicaSecretProgram(properties string) string {
	return secretProgram("name: smx-bad/replica\nkmsKeyId: alias/replicas\ncrossAccountPrimaryArn: " + badPrimaryARN + "\n" + properties)
}

// associationProgram is a CrossAccountReplication of badPrimaryARN to
// replicaARN, with more properties.
func associationProgram(replicaARN, properties string) string {
	program := "  replication:\n    type: smx:secretsmanager:CrossAccountReplication\n    properties:\n" +
		"      secretId: " + badPrimaryARN + "\n      crossAccountReplicaArn: " + replicaARN + "\n"
	if properties != "" {
		program += indent(properties, 6)
	}
	return program
}

func versionProgram(properties string) string {
	return "  version:\n    type: smx:secretsmanager:SecretVersion\n    properties:\n" + indent(properties, 6)
}

// rotationProgram is a RotationSchedule of a secret named in the program
// (no Secret resource: nothing else to preview) with the given rules.
func rotationProgram(rules string) string { return rotationProgramWith("", rules) }

func rotationProgramWith(properties, rules string) string {
	program := "  rotation:\n    type: smx:secretsmanager:RotationSchedule\n    properties:\n      secretId: smx-bad/existing\n"
	if properties != "" {
		program += indent(properties, 6)
	}
	return program + "      rotationRules:\n" + indent(rules, 8)
}

// rotationOffProgram is a RotationSchedule that turns rotation off, with
// other properties.
func rotationOffProgram(properties string) string {
	program := "  rotation:\n    type: smx:secretsmanager:RotationSchedule\n    properties:\n      secretId: smx-bad/existing\n" +
		"      rotationEnabled: false\n"
	if properties != "" {
		program += indent(properties, 6)
	}
	return program
}

func indent(text string, n int) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString(strings.Repeat(" ", n) + line + "\n")
	}
	return b.String()
}

// A program that creates a secret and stores a value: what the environment
// rows run with `pulumi up`.
const secretAndVersion = `  secret:
    type: smx:secretsmanager:Secret
    properties:
      name: smx-bad/env
  version:
    type: smx:secretsmanager:SecretVersion
    properties:
      secretId: ${secret.id}
      secretString: ${value}
`

func badInputs(t *testing.T) []badInput {
	long := func(n int) string { return strings.Repeat("a", n) }
	value := func(tag string) string { return "smxbad-" + tag + "-" + randomLowercase(t, 16) }
	many := func(n int) string {
		var b strings.Builder
		b.WriteString("tags:\n")
		for i := range n {
			fmt.Fprintf(&b, "  t%02d: v\n", i)
		}
		return b.String()
	}
	stages := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "  - stage%02d\n", i)
		}
		return b.String()
	}
	// The credential chain's sources, all gone: no variables, empty shared
	// files (and HOME an empty folder), no instance metadata (disabled, so
	// that the test never leaves loopback looking for it).
	emptyFile := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(emptyFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	noCredentials := map[string]string{
		"HOME": t.TempDir(), "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_ACCESS_KEY_ID": unsetEnv, "AWS_SECRET_ACCESS_KEY": unsetEnv, "AWS_SESSION_TOKEN": unsetEnv,
		"AWS_PROFILE": unsetEnv, "AWS_DEFAULT_PROFILE": unsetEnv, "AWS_SHARED_CREDENTIALS_FILE": emptyFile,
		"AWS_CONFIG_FILE": emptyFile, "AWS_WEB_IDENTITY_TOKEN_FILE": unsetEnv, "AWS_ROLE_ARN": unsetEnv,
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": unsetEnv, "AWS_CONTAINER_CREDENTIALS_FULL_URI": unsetEnv,
		"AWS_ENDPOINT_URL": unsetEnv, "AWS_ENDPOINT_URL_SECRETS_MANAGER": unsetEnv,
	}
	withEndpoint := func(env map[string]string, endpoint string) map[string]string {
		out := map[string]string{}
		for k, v := range env {
			out[k] = v
		}
		out["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = endpoint
		return out
	}
	property := func(name string) string { return "property " + name + " value" }
	const kmsForms = "must be a KMS key ARN, a key ID, an alias ARN, or an alias name starting with \"alias/\""
	const nameChars = "may contain only ASCII letters, digits and /_+=.@-"
	const tagChars = "may contain only letters, digits, spaces and _.:/=+-@"
	const notJSONPolicy = "must be a JSON policy document (an object)"
	const recovery = "must be 0 (delete immediately, without recovery) or 7 to 30 days"
	const notBase64 = "must be base64-encoded (standard alphabet, with padding)"
	exactly := func(prefix string, n int) string { return prefix + long(n-len(prefix)) }
	bigBinary := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("b", 65537)))

	rows := []badInput{
		// Secret: name and namePrefix.
		{name: "name empty", resources: secretProgram(`name: ""`), want: []string{property("name"), "must be 1 to 512 characters long, got 0"}},
		{name: "name 513 characters", resources: secretProgram("name: " + long(513)), want: []string{property("name"), "must be 1 to 512 characters long, got 513"}},
		{name: "name with a space", resources: secretProgram(`name: "app db"`), want: []string{property("name"), nameChars}},
		{name: "name with #", resources: secretProgram(`name: "app#db"`), want: []string{property("name"), nameChars}},
		{name: "name not ASCII", resources: secretProgram(`name: "clé/db"`), want: []string{property("name"), nameChars}},
		{name: "name and namePrefix", resources: secretProgram("name: app/db\nnamePrefix: app/"), want: []string{property("name"), "conflicts with namePrefix"}},
		{name: "namePrefix 487 characters", resources: secretProgram("namePrefix: " + long(487)), want: []string{property("namePrefix"), "must be 1 to 486 characters long"}},
		{name: "namePrefix with a space", resources: secretProgram(`namePrefix: "app db/"`), want: []string{property("namePrefix"), nameChars}},
		{name: "description 2049 characters", resources: secretProgram("name: app/db\ndescription: " + long(2049)), want: []string{property("description"), "must be at most 2048 characters long, got 2049"}},
		{name: "description 2049 characters of €", resources: secretProgram("name: app/db\ndescription: " + strings.Repeat("€", 2049)), want: []string{property("description"), "must be at most 2048 characters long, got 2049"}},
		// Secret: KMS key forms.
		{name: "kmsKeyId empty", resources: secretProgram("name: app/db\nkmsKeyId: \"\""), want: []string{property("kmsKeyId"), "must be 1 to 2048 characters long"}},
		{name: "kmsKeyId alias without alias/", resources: secretProgram("name: app/db\nkmsKeyId: my-key"), want: []string{property("kmsKeyId"), `an alias name must start with "alias/" (did you mean "alias/my-key"?)`}},
		{name: "kmsKeyId ARN with a short account", resources: secretProgram("name: app/db\nkmsKeyId: arn:aws:kms:us-east-1:1234:key/abc"), want: []string{property("kmsKeyId"), kmsForms}},
		{name: "kmsKeyId IAM ARN", resources: secretProgram("name: app/db\nkmsKeyId: arn:aws:iam::123456789012:role/app"), want: []string{property("kmsKeyId"), kmsForms}},
		{name: "kmsKeyId alias with a space", resources: secretProgram(`name: app/db` + "\n" + `kmsKeyId: "alias/my key"`), want: []string{property("kmsKeyId"), kmsForms}},
		{name: "kmsKeyId 2049 characters", resources: secretProgram("name: app/db\nkmsKeyId: alias/" + long(2043)), want: []string{property("kmsKeyId"), "must be 1 to 2048 characters long"}},
		{name: "type empty", resources: secretProgram("name: app/db\ntype: \"\""), want: []string{property("type"), "must not be empty"}},
		{name: "type with spaces", resources: secretProgram("name: app/db\ntype: Salesforce Client Secret"), want: []string{property("type"), "without whitespace"}},
		// Secret: policy JSON.
		{name: "policy not JSON", resources: secretProgram("name: app/db\npolicy: not json"), want: []string{property("policy"), notJSONPolicy}},
		{name: "policy a JSON array", resources: secretProgram("name: app/db\npolicy: \"[]\""), want: []string{property("policy"), notJSONPolicy}},
		{name: "policy JSON null", resources: secretProgram("name: app/db\npolicy: \"null\""), want: []string{property("policy"), notJSONPolicy + ", not null"}},
		{name: "policy truncated", resources: secretProgram(`name: app/db` + "\n" + `policy: '{"Version": "2012-10-17", "Statement": ['`), want: []string{property("policy"), notJSONPolicy}},
		{name: "policy 20481 characters", resources: secretProgram(`name: app/db` + "\n" + `policy: '{"Version": "` + long(20481-15) + `"}'`), want: []string{property("policy"), "must be at most 20480 characters long, got 20481"}},
		// Secret: recovery window.
		{name: "recoveryWindowInDays 6", resources: secretProgram("name: app/db\nrecoveryWindowInDays: 6"), want: []string{property("recoveryWindowInDays"), recovery + ", got 6"}},
		{name: "recoveryWindowInDays 31", resources: secretProgram("name: app/db\nrecoveryWindowInDays: 31"), want: []string{property("recoveryWindowInDays"), recovery + ", got 31"}},
		{name: "recoveryWindowInDays -1", resources: secretProgram("name: app/db\nrecoveryWindowInDays: -1"), want: []string{property("recoveryWindowInDays"), recovery + ", got -1"}},
		// Secret: tags.
		{name: "51 tags", resources: secretProgram("name: app/db\n" + many(51)), want: []string{property("tags"), "may hold at most 50 tags, got 51"}},
		// 50 are fine on an imported secret, but a new one gets smx's owner tag too.
		{name: "50 tags on a new secret", resources: secretProgram("name: app/db\n" + many(50)), want: []string{`tags: the program sets 50 tags, and smx adds its own tag "smx:owner" to every secret it creates`, "which makes 51: AWS allows 50. Set at most 49 tags on a secret smx creates"}},
		{name: "tag key aws:", resources: secretProgram("name: app/db\ntags:\n  aws:team: db"), want: []string{property("tags"), `tag key "aws:team" uses the prefix "aws:", which AWS reserves`}},
		{name: "tag key AWS: in capitals", resources: secretProgram("name: app/db\ntags:\n  AWS:Team: db"), want: []string{property("tags"), `tag key "AWS:Team" uses the prefix "aws:"`}},
		{name: "tag key smx:owner", resources: secretProgram("name: app/db\ntags:\n  smx:owner: me"), want: []string{property("tags"), `tag key "smx:owner" uses the prefix "smx:", which smx reserves for its own tag`}},
		{name: "tag key smx:", resources: secretProgram("name: app/db\ntags:\n  smx:team: db"), want: []string{property("tags"), `tag key "smx:team" uses the prefix "smx:"`}},
		{name: "tag key 128 characters", resources: secretProgram("name: app/db\ntags:\n  " + long(128) + ": v"), want: []string{property("tags"), "must be 1 to 127 characters long"}},
		{name: "tag value 256 characters", resources: secretProgram("name: app/db\ntags:\n  team: " + long(256)), want: []string{property("tags"), `the value of tag "team" must be at most 255 characters long`}},
		{name: "tag key 128 CJK characters", resources: secretProgram("name: app/db\ntags:\n  " + strings.Repeat("秘", 128) + ": v"), want: []string{property("tags"), "must be 1 to 127 characters long, got 128"}},
		{name: "tag value 256 CJK characters", resources: secretProgram("name: app/db\ntags:\n  team: " + strings.Repeat("秘", 256)), want: []string{property("tags"), `the value of tag "team" must be at most 255 characters long, got 256`}},
		{name: "tag key with #", resources: secretProgram("name: app/db\ntags:\n  \"team#1\": db"), want: []string{property("tags"), `tag key "team#1" ` + tagChars}},
		{name: "tag value with ;", resources: secretProgram("name: app/db\ntags:\n  team: \"a;b\""), want: []string{property("tags"), `the value of tag "team" ` + tagChars}},
		// Secret: replicas.
		{name: "replica region in capitals", resources: secretProgram("name: app/db\nreplicas:\n  - region: EU-WEST-1"), want: []string{property("replicas[0].region"), `must be an AWS region such as eu-west-1, got "EU-WEST-1"`}},
		{name: "replica region without a number", resources: secretProgram("name: app/db\nreplicas:\n  - region: us-east"), want: []string{property("replicas[0].region"), "must be an AWS region such as eu-west-1"}},
		{name: "replica region empty", resources: secretProgram("name: app/db\nreplicas:\n  - region: \"\""), want: []string{property("replicas[0].region"), "must be an AWS region such as eu-west-1"}},
		{name: "replica region twice", resources: secretProgram("name: app/db\nreplicas:\n  - region: eu-west-1\n  - region: eu-west-1"), want: []string{property("replicas[1].region"), `region "eu-west-1" is listed twice`}},
		{name: "replica kmsKeyId alias without alias/", resources: secretProgram("name: app/db\nreplicas:\n  - region: eu-west-1\n    kmsKeyId: my-key"), want: []string{property("replicas[0].kmsKeyId"), `did you mean "alias/my-key"?`}},
		// Secret: generated value.
		{name: "generateSecretString length 0", resources: secretProgram("name: app/db\ngenerateSecretString:\n  passwordLength: 0"), want: []string{property("generateSecretString.passwordLength"), "must be 1 to 4096, got 0"}},
		{name: "generateSecretString template not JSON", resources: secretProgram("name: app/db\ngenerateSecretString:\n  secretStringTemplate: \"user=app\"\n  generateStringKey: password"), want: []string{property("generateSecretString.secretStringTemplate"), "must be a JSON object"}},
		// SecretVersion: values of both kinds, from secret config.
		{name: "secretString empty", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": ""}, want: []string{property("secretString"), "must be 1 to 65536 bytes long, got 0 bytes"}},
		{name: "secretString 65537 bytes", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": exactly(value("long"), 65537)}, want: []string{property("secretString"), "must be 1 to 65536 bytes long, got 65537 bytes"}},
		{name: "secretBinary not base64", resources: versionProgram("secretId: smx-bad/existing\nsecretBinary: ${value}"), secrets: map[string]string{"value": value("text") + "!"}, want: []string{property("secretBinary"), notBase64}},
		{name: "secretBinary URL-safe alphabet", resources: versionProgram("secretId: smx-bad/existing\nsecretBinary: ${value}"), secrets: map[string]string{"value": "c214YmFk-_-" + value("url")}, want: []string{property("secretBinary"), notBase64}},
		{name: "secretBinary without padding", resources: versionProgram("secretId: smx-bad/existing\nsecretBinary: ${value}"), secrets: map[string]string{"value": strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(value("pad")+"xy")), "=")}, want: []string{property("secretBinary"), notBase64}},
		{name: "secretBinary empty", resources: versionProgram("secretId: smx-bad/existing\nsecretBinary: ${value}"), secrets: map[string]string{"value": ""}, want: []string{property("secretBinary"), "must decode to 1 to 65536 bytes, got 0 bytes"}},
		{name: "secretBinary 65537 bytes", resources: versionProgram("secretId: smx-bad/existing\nsecretBinary: ${value}"), secrets: map[string]string{"value": bigBinary}, want: []string{property("secretBinary"), "must decode to 1 to 65536 bytes, got 65537 bytes"}},
		{name: "secretString and secretBinary", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}\nsecretBinary: ${binary}"), secrets: map[string]string{"value": value("both"), "binary": base64.StdEncoding.EncodeToString([]byte(value("both")))}, want: []string{property("secretString"), "set exactly one of secretString, secretBinary, secretStringWo and secretBinaryWo, not both secretString and secretBinary"}},
		{name: "no value", resources: versionProgram("secretId: smx-bad/existing"), want: []string{property("secretString"), "set exactly one of secretString, secretBinary, secretStringWo and secretBinaryWo"}},
		// SecretVersion: write-only values and their version number.
		{name: "secretString and secretStringWo", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}\nsecretStringWo: ${value}\nsecretStringWoVersion: 1"), secrets: map[string]string{"value": value("plainwo")}, want: []string{property("secretString"), "not both secretString and secretStringWo"}},
		{name: "secretStringWo without its version", resources: versionProgram("secretId: smx-bad/existing\nsecretStringWo: ${value}"), secrets: map[string]string{"value": value("nover")}, want: []string{property("secretStringWoVersion"), "is required with secretStringWo and secretBinaryWo"}},
		{name: "secretStringWoVersion without a write-only value", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}\nsecretStringWoVersion: 1"), secrets: map[string]string{"value": value("veronly")}, want: []string{property("secretStringWoVersion"), "is only allowed with secretStringWo or secretBinaryWo"}},
		{name: "secretStringWoVersion 0", resources: versionProgram("secretId: smx-bad/existing\nsecretStringWo: ${value}\nsecretStringWoVersion: 0"), secrets: map[string]string{"value": value("ver0")}, want: []string{property("secretStringWoVersion"), "must be 1 or more, got 0"}},
		{name: "secretStringWo empty", resources: versionProgram("secretId: smx-bad/existing\nsecretStringWo: ${value}\nsecretStringWoVersion: 1"), secrets: map[string]string{"value": ""}, want: []string{property("secretStringWo"), "must be 1 to 65536 bytes long, got 0 bytes"}},
		{name: "secretBinaryWo not base64", resources: versionProgram("secretId: smx-bad/existing\nsecretBinaryWo: ${value}\nsecretStringWoVersion: 1"), secrets: map[string]string{"value": value("wobin") + "!"}, want: []string{property("secretBinaryWo"), notBase64}},
		{name: "secretId empty", resources: versionProgram("secretId: \"\"\nsecretString: ${value}"), secrets: map[string]string{"value": value("id")}, want: []string{property("secretId"), "must name the secret (its ARN or name)"}},
		{name: "versionStages twice", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}\nversionStages: [AWSCURRENT, AWSCURRENT]"), secrets: map[string]string{"value": value("stages")}, want: []string{property("versionStages"), `stage label "AWSCURRENT" is listed twice`}},
		{name: "versionStages empty label", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}\nversionStages: [\"\"]"), secrets: map[string]string{"value": value("stage")}, want: []string{property("versionStages"), "each stage label must be 1 to 256 characters long"}},
		{name: "versionStages 21 labels", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}\nversionStages:\n" + stages(21)), secrets: map[string]string{"value": value("labels")}, want: []string{property("versionStages"), "a version may carry at most 20 stage labels, got 21"}},
		// SecretPolicy.
		{name: "SecretPolicy policy not JSON", resources: "  policy:\n    type: smx:secretsmanager:SecretPolicy\n    properties:\n      secretArn: smx-bad/existing\n      policy: not json\n", want: []string{property("policy"), notJSONPolicy}},
		{name: "SecretPolicy secretArn empty", resources: "  policy:\n    type: smx:secretsmanager:SecretPolicy\n    properties:\n      secretArn: \"\"\n      policy: '{}'\n", want: []string{property("secretArn"), "must name the secret (its ARN or name)"}},
		// Tag: the key and value rules of a Secret's tags.
		{name: "Tag key aws:", resources: tagProgram(`key: "aws:cloudformation:stack-name"`, `value: app`), want: []string{property("key"), `tag key "aws:cloudformation:stack-name" uses the prefix "aws:", which AWS reserves for its own tags`}},
		{name: "Tag key smx:", resources: tagProgram(`key: "smx:owner"`, `value: app`), want: []string{property("key"), `which smx reserves for its own tag`}},
		{name: "Tag key 128 characters", resources: tagProgram("key: "+long(128), `value: app`), want: []string{property("key"), "must be 1 to 127 characters long, got 128"}},
		{name: "Tag key empty", resources: tagProgram(`key: ""`, `value: app`), want: []string{property("key"), "must be 1 to 127 characters long, got 0"}},
		{name: "Tag value 256 characters", resources: tagProgram(`key: team`, "value: "+long(256)), want: []string{property("value"), "must be at most 255 characters long, got 256"}},
		{name: "Tag value with ;", resources: tagProgram(`key: team`, `value: "a;b"`), want: []string{property("value"), tagChars}},
		{name: "Tag secretId empty", resources: "  tag:\n    type: smx:secretsmanager:Tag\n    properties:\n      secretId: \"\"\n      key: team\n      value: app\n", want: []string{property("secretId"), "must be the ARN or name of a secret"}},
		// RotationSchedule (and SecretRotation, pulumi-aws's name for it):
		// rotation rules, rate() and cron() expressions, windows, functions.
		{name: "rotation days and expression", resources: rotationProgram("automaticallyAfterDays: 30\nscheduleExpression: rate(10 days)"), want: []string{property("rotationRules.scheduleExpression"), "conflicts with rotationRules.automaticallyAfterDays: set exactly one of them"}},
		{name: "rotation rules empty", resources: rotationProgram("duration: 2h"), want: []string{property("rotationRules"), "set exactly one of automaticallyAfterDays (1–1000 days) and scheduleExpression"}},
		{name: "rotation after 0 days", resources: rotationProgram("automaticallyAfterDays: 0"), want: []string{property("rotationRules.automaticallyAfterDays"), "must be 1 to 1000 days, got 0"}},
		{name: "rotation after 1001 days", resources: rotationProgram("automaticallyAfterDays: 1001"), want: []string{property("rotationRules.automaticallyAfterDays"), "must be 1 to 1000 days, got 1001"}},
		{name: "schedule neither rate nor cron", resources: rotationProgram("scheduleExpression: every day"), want: []string{property("rotationRules.scheduleExpression"), `must be a rate() expression such as "rate(10 days)"`}},
		{name: "rate every 2 hours", resources: rotationProgram("scheduleExpression: rate(2 hours)"), want: []string{property("rotationRules.scheduleExpression"), `"rate(2 hours)" is too frequent: Secrets Manager rotates at most every 4 hours`}},
		{name: "rate in minutes", resources: rotationProgram("scheduleExpression: rate(30 minutes)"), want: []string{property("rotationRules.scheduleExpression"), `"rate(30 minutes)" is too frequent`}},
		{name: "rate of 1000 days", resources: rotationProgram("scheduleExpression: rate(1000 days)"), want: []string{property("rotationRules.scheduleExpression"), "rate() allows at most 999 days"}},
		{name: "rate of 1 days", resources: rotationProgram("scheduleExpression: rate(1 days)"), want: []string{property("rotationRules.scheduleExpression"), `write "rate(1 days)" as "rate(1 day)"`}},
		{name: "rate not a number", resources: rotationProgram("scheduleExpression: rate(ten days)"), want: []string{property("rotationRules.scheduleExpression"), `the value of "rate(ten days)" must be a positive whole number`}},
		{name: "cron of 5 fields", resources: rotationProgram("scheduleExpression: cron(0 16 1 * ?)"), want: []string{property("rotationRules.scheduleExpression"), "a cron() expression has exactly 6 fields"}},
		{name: "cron at half past", resources: rotationProgram("scheduleExpression: cron(30 16 1 * ? *)"), want: []string{property("rotationRules.scheduleExpression"), "must be 0: rotation windows open on the hour"}},
		{name: "cron in one year", resources: rotationProgram("scheduleExpression: cron(0 16 1 * ? 2027)"), want: []string{property("rotationRules.scheduleExpression"), "the year field", "must be *"}},
		{name: "cron every hour", resources: rotationProgram("scheduleExpression: cron(0 * * * ? *)"), want: []string{property("rotationRules.scheduleExpression"), "must not be * (every hour)"}},
		{name: "cron ? in both day fields", resources: rotationProgram("scheduleExpression: cron(0 4 ? * ? *)"), want: []string{property("rotationRules.scheduleExpression"), "has ? in both day fields"}},
		{name: "cron ? in no day field", resources: rotationProgram("scheduleExpression: cron(0 4 1 * MON *)"), want: []string{property("rotationRules.scheduleExpression"), "must have ? in exactly one of the day-of-month and day-of-week fields"}},
		{name: "cron windows 2 hours apart", resources: rotationProgram("scheduleExpression: cron(0 0,2 * * ? *)"), want: []string{property("rotationRules.scheduleExpression"), "opens rotation windows 2 hours apart"}},
		{name: "cron sixth Monday", resources: rotationProgram("scheduleExpression: cron(0 4 ? * MON#6 *)"), want: []string{property("rotationRules.scheduleExpression"), `the n in "MON#6" must be 1–5`}},
		{name: "cron month 13", resources: rotationProgram("scheduleExpression: cron(0 4 1 13 ? *)"), want: []string{property("rotationRules.scheduleExpression"), "the month field", "months 1–12 or JAN–DEC"}},
		{name: "window without h", resources: rotationProgram("automaticallyAfterDays: 30\nduration: \"3\""), want: []string{property("rotationRules.duration"), `must be a whole number of hours from 1 to 24 followed by "h"`}},
		{name: "window of 25h", resources: rotationProgram("automaticallyAfterDays: 30\nduration: 25h"), want: []string{property("rotationRules.duration"), "must be at most 24h"}},
		{name: "window longer than the rate", resources: rotationProgram("scheduleExpression: rate(4 hours)\nduration: 5h"), want: []string{property("rotationRules.duration"), "a 5h rotation window runs into the next one"}},
		{name: "window past midnight", resources: rotationProgram("scheduleExpression: cron(0 22 * * ? *)\nduration: 4h"), want: []string{property("rotationRules.duration"), "would run past midnight UTC with 4h; use at most 2h"}},
		{name: "rotation function not an ARN", resources: rotationProgramWith("rotationLambdaArn: my-rotator", "automaticallyAfterDays: 30"), want: []string{property("rotationLambdaArn"), "must be the ARN of a Lambda function"}},
		{name: "rotation function ARN of another service", resources: rotationProgramWith("rotationLambdaArn: arn:aws:sqs:us-east-1:123456789012:function:rotator", "automaticallyAfterDays: 30"), want: []string{property("rotationLambdaArn"), "must be the ARN of a Lambda function"}},
		{name: "rotation secretId empty", resources: strings.Replace(rotationProgram("automaticallyAfterDays: 30"), "secretId: smx-bad/existing", `secretId: ""`, 1), want: []string{property("secretId"), "must name the secret (its ARN or name)"}},
		// pulumi-aws 7.48's rotationEnabled and external rotation settings.
		{name: "rotation off with rotationRules", resources: rotationProgramWith("rotationEnabled: false", "automaticallyAfterDays: 30"), want: []string{property("rotationRules"), "must be omitted when rotationEnabled is false"}},
		{name: "rotation off with a function", resources: rotationOffProgram("rotationLambdaArn: arn:aws:lambda:us-east-1:123456789012:function:rotator"), want: []string{property("rotationLambdaArn"), "must be omitted when rotationEnabled is false"}},
		{name: "rotation off with an external role", resources: rotationOffProgram("externalSecretRotationRoleArn: arn:aws:iam::123456789012:role/rotator"), want: []string{property("externalSecretRotationRoleArn"), "must be omitted when rotationEnabled is false"}},
		{name: "rotation on without rotationRules", resources: strings.Replace(rotationOffProgram(""), "rotationEnabled: false", "rotationEnabled: true", 1), want: []string{"rotationRules", "is required unless rotationEnabled is false"}},
		{name: "external rotation role of a user", resources: rotationProgramWith("externalSecretRotationRoleArn: arn:aws:iam::123456789012:user/alice", "automaticallyAfterDays: 30"), want: []string{property("externalSecretRotationRoleArn"), "must be the ARN of an IAM role"}},
		{name: "external rotation role not an ARN", resources: rotationProgramWith("externalSecretRotationRoleArn: salesforce-rotation", "automaticallyAfterDays: 30"), want: []string{property("externalSecretRotationRoleArn"), "must be the ARN of an IAM role"}},
		{name: "external rotation metadata key empty", resources: rotationProgramWith("externalSecretRotationMetadatas:\n  - key: \"\"\n    value: v65.0", "automaticallyAfterDays: 30"), want: []string{property("externalSecretRotationMetadatas[0].key"), "must be 1 to 256 characters long"}},
		{name: "external rotation metadata key too long", resources: rotationProgramWith("externalSecretRotationMetadatas:\n  - key: apiVersion\n    value: v65.0\n  - key: "+strings.Repeat("k", 257)+"\n    value: x", "automaticallyAfterDays: 30"), want: []string{property("externalSecretRotationMetadatas[1].key"), "must be 1 to 256 characters long", "got 257"}},
		{name: "external rotation metadata value too long", resources: rotationProgramWith("externalSecretRotationMetadatas:\n  - key: apiVersion\n    value: "+strings.Repeat("v", 2049), "automaticallyAfterDays: 30"), want: []string{property("externalSecretRotationMetadatas[0].value"), "must be 1 to 2048 characters long", "got 2049"}},
		{name: "SecretRotation (pulumi-aws name) with a bad rate", resources: strings.Replace(rotationProgram("scheduleExpression: rate(1 hours)"), "smx:secretsmanager:RotationSchedule", "smx:secretsmanager:SecretRotation", 1), want: []string{property("rotationRules.scheduleExpression"), "is too frequent"}},
		// Cross-account replication: the replica's Secret and the primary's
		// CrossAccountReplication.
		{name: "replica with a description", resources: replicaSecretProgram("description: copied"), want: []string{property("description"), "conflicts with crossAccountPrimaryArn: a cross-account replica takes its description from its primary secret"}},
		{name: "replica with a type", resources: replicaSecretProgram("type: SalesforceClientSecret"), want: []string{property("type"), "a cross-account replica takes its type from its primary secret"}},
		{name: "replica with a generated value", resources: replicaSecretProgram("generateSecretString:\n  passwordLength: 32"), want: []string{property("generateSecretString"), "a cross-account replica takes its value from its primary secret"}},
		{name: "replica with replica regions", resources: replicaSecretProgram("replicas:\n  - region: eu-west-1"), want: []string{property("replicas"), "a cross-account replica cannot be replicated to other regions"}},
		{name: "replica without a KMS key", resources: secretProgram("name: smx-bad/replica\ncrossAccountPrimaryArn: " + badPrimaryARN), want: []string{property("kmsKeyId"), "is required with crossAccountPrimaryArn: a cross-account replica must be encrypted with a customer managed KMS key"}},
		{name: "replica with the AWS managed key", resources: secretProgram("name: smx-bad/replica\ncrossAccountPrimaryArn: " + badPrimaryARN + "\nkmsKeyId: alias/aws/secretsmanager"), want: []string{property("kmsKeyId"), "is the AWS managed key aws/secretsmanager"}},
		{name: "replica of a primary in another region", resources: secretProgram("name: smx-bad/replica\nkmsKeyId: alias/replicas\ncrossAccountPrimaryArn: arn:aws:secretsmanager:ap-south-2:111111111111:secret:db-AbCdEf"), want: []string{property("crossAccountPrimaryArn"), "is in region ap-south-2, not the replica's", "cross-account replication stays in one region"}},
		{name: "replica of a name", resources: secretProgram("name: smx-bad/replica\nkmsKeyId: alias/replicas\ncrossAccountPrimaryArn: payments/db"), want: []string{property("crossAccountPrimaryArn"), "must be the ARN of a Secrets Manager secret"}},
		{name: "association in one account", resources: associationProgram(strings.Replace(badPrimaryARN, "111111111111", "222222222222", 1), ""), want: []string{property("crossAccountReplicaArn"), "is in the primary's own account 222222222222: a cross-account replica lives in another account"}},
		{name: "association across regions", resources: associationProgram("arn:aws:secretsmanager:ap-south-2:333333333333:secret:db-AbCdEf", ""), want: []string{property("crossAccountReplicaArn"), "is in region ap-south-2, not the primary's", "cross-account replication stays in one region"}},
		{name: "association with an unknown restriction", resources: associationProgram(badReplicaARN, "replicaRestriction: Anyone"), want: []string{property("replicaRestriction"), `must be "SameOrg" (the replica's account is in the primary's organization; AWS's default) or "NoRestriction", got "Anyone"`}},
		{name: "association with a user for a role", resources: associationProgram(badReplicaARN, "replicationRoleArn: arn:aws:iam::222222222222:user/alice"), want: []string{property("replicationRoleArn"), "must be the ARN of an IAM role"}},
		// The provider's configuration.
		{name: "smx:maxRetries -1", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("retries")}, config: map[string]string{"smx:maxRetries": "-1"}, want: []string{"smx:maxRetries must be a whole number from 0 to 100, got -1"}},
		{name: "smx:maxRetries not a number", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("retries")}, config: map[string]string{"smx:maxRetries": "often"}, want: []string{"property maxRetries value {often}", "must be a 'int'"}},
		{name: "smx:accessKey without secretKey", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("keys")}, config: map[string]string{"smx:accessKey": "AKIAEXAMPLE"}, want: []string{"smx:accessKey and smx:secretKey must be set together"}},
		{name: "smx:unknownKey", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("unknown")}, config: map[string]string{"smx:unknownKey": "1"}, want: []string{"unknownKey", "unknown"}},
		{name: "smx:regoin (a typo of region)", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("typo")}, config: map[string]string{"smx:regoin": "eu-west-1"}, want: []string{"regoin", "unknown"}},
		{name: "smx:region in capitals", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("region")}, config: map[string]string{"smx:region": "EU-WEST-1"}, want: []string{`smx:region must be an AWS region such as eu-west-1, got "EU-WEST-1"`}},
		{name: "smx:region without a number", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("region")}, config: map[string]string{"smx:region": "us-east"}, want: []string{`smx:region must be an AWS region such as eu-west-1, got "us-east"`}},
		{name: "smx:endpoint not a URL", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("endpoint")}, config: map[string]string{"smx:endpoint": "localhost:5000"}, want: []string{"smx:endpoint must be an absolute http:// or https:// URL with a host", `got "localhost:5000"`}},
		{name: "smx:endpoint an ftp URL", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("endpoint")}, config: map[string]string{"smx:endpoint": "ftp://127.0.0.1:21"}, want: []string{"smx:endpoint must be an absolute http:// or https:// URL with a host", `got "ftp://127.0.0.1:21"`}},
		{name: "smx:endpoint that does not parse", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("endpoint")}, config: map[string]string{"smx:endpoint": "http://[::1"}, want: []string{"smx:endpoint must be an absolute http:// or https:// URL", "does not parse"}},
		{name: "smx:maxRetries 1000", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("retries")}, config: map[string]string{"smx:maxRetries": "1000"}, want: []string{"smx:maxRetries must be a whole number from 0 to 100, got 1000"}},
		{name: "smx:maxRetries 1.5", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("retries")}, config: map[string]string{"smx:maxRetries": "1.5"}, want: []string{"smx:maxRetries must be a whole number from 0 to 100, got 1.5"}},
		{name: "smx:profile empty", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("profile")}, config: map[string]string{"smx:profile": ""}, want: []string{"smx:profile is set but empty"}},
		{name: "smx:token without keys", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("token")}, config: map[string]string{"smx:token": "session"}, want: []string{"smx:token needs smx:accessKey and smx:secretKey"}},
		// Assumed roles and account guards: STS points at the row's proxy,
		// so that an STS call would count as one too.
		{name: "smx:assumeRoles role ARN with a short account", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("rolearn")}, env: stsAtProxy, config: map[string]string{"smx:assumeRoles": `[{"roleArn":"arn:aws:iam::1111:role/deployer"}]`}, want: []string{`smx:assumeRoles[0].roleArn must be the ARN of an IAM role, arn:<partition>:iam::<12-digit account>:role/<name>, got "arn:aws:iam::1111:role/deployer"`}},
		{name: "smx:assumeRoles duration 5m", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("duration")}, env: stsAtProxy, config: map[string]string{"smx:assumeRoles": `[{"roleArn":"arn:aws:iam::111111111111:role/deployer","duration":"5m"}]`}, want: []string{`smx:assumeRoles[0].duration must be from 15m to 12h (STS's bounds), got "5m"`}},
		{name: "smx:assumeRoles duration in seconds", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("duration")}, env: stsAtProxy, config: map[string]string{"smx:assumeRoles": `[{"roleArn":"arn:aws:iam::111111111111:role/deployer","duration":"3600"}]`}, want: []string{`smx:assumeRoles[0].duration must be a duration such as 1h or 90m`}},
		{name: "smx:assumeRoles session name with a space", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("session")}, env: stsAtProxy, config: map[string]string{"smx:assumeRoles": `[{"roleArn":"arn:aws:iam::111111111111:role/deployer","sessionName":"my deploy"}]`}, want: []string{`smx:assumeRoles[0].sessionName must be 2 to 64 letters, digits and =,.@_+- (STS's rule), got "my deploy"`}},
		{name: "smx:assumeRoleWithWebIdentity token and file", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("webboth")}, env: stsAtProxy, config: map[string]string{"smx:assumeRoleWithWebIdentity": `{"roleArn":"arn:aws:iam::111111111111:role/oidc","webIdentityToken":"t","webIdentityTokenFile":"/etc/hostname"}`}, want: []string{"smx:assumeRoleWithWebIdentity.webIdentityToken and webIdentityTokenFile are both set: set one of them"}},
		{name: "smx:assumeRoleWithWebIdentity token file missing", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("webfile")}, env: stsAtProxy, config: map[string]string{"smx:assumeRoleWithWebIdentity": `{"roleArn":"arn:aws:iam::111111111111:role/oidc","webIdentityTokenFile":"/nonexistent/smx-token"}`}, want: []string{`smx:assumeRoleWithWebIdentity.webIdentityTokenFile must be a file that holds the token: "/nonexistent/smx-token" cannot be read`}},
		{name: "smx:stsRegion in capitals", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("stsregion")}, env: stsAtProxy, config: map[string]string{"smx:stsRegion": "US-EAST-1"}, want: []string{`smx:stsRegion must be an AWS region such as eu-west-1, got "US-EAST-1"`}},
		{name: "smx:allowedAccountIds an alias", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("account")}, env: stsAtProxy, config: map[string]string{"smx:allowedAccountIds": `["prod"]`}, want: []string{`smx:allowedAccountIds[0] must be a 12-digit AWS account ID, got "prod"`}},
		{name: "smx:allowedAccountIds with forbiddenAccountIds", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("guards")}, env: stsAtProxy, config: map[string]string{"smx:allowedAccountIds": `["111111111111"]`, "smx:forbiddenAccountIds": `["222222222222"]`}, want: []string{"smx:allowedAccountIds and smx:forbiddenAccountIds conflict: set one of them"}},
		{name: "smx:skipRequestingAccountId with a guard", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("skipid")}, env: stsAtProxy, config: map[string]string{"smx:forbiddenAccountIds": `["222222222222"]`, "smx:skipRequestingAccountId": "true"}, want: []string{"smx:skipRequestingAccountId conflicts with smx:allowedAccountIds and smx:forbiddenAccountIds"}},
		// How the provider reaches AWS.
		{name: "smx:retryMode unknown", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("network")}, config: map[string]string{"smx:retryMode": "eager"}, want: []string{`smx:retryMode must be standard or adaptive, got "eager"`}},
		{name: "smx:endpoints URL without a scheme", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("network")}, config: map[string]string{"smx:endpoints": `[{"secretsmanager":"127.0.0.1:5000"}]`}, want: []string{"smx:endpoints secretsmanager must be an absolute http:// or https:// URL with a host"}},
		{name: "smx:endpoints disagreeing with smx:endpoint", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("network")}, config: map[string]string{"smx:endpoint": "http://127.0.0.1:1", "smx:endpoints": `[{"secretsmanager":"http://127.0.0.1:2"}]`}, want: []string{"disagree"}},
		{name: "smx:customCaBundle missing", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("network")}, config: map[string]string{"smx:customCaBundle": "/nonexistent/smx-ca.pem"}, want: []string{"smx:customCaBundle must be a readable PEM file of CA certificates"}},
		{name: "smx:insecure with smx:customCaBundle", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("network")}, config: map[string]string{"smx:insecure": "true", "smx:customCaBundle": "/nonexistent/smx-ca.pem"}, want: []string{"smx:insecure and smx:customCaBundle cannot be set together"}},
		{name: "smx:ec2MetadataServiceEndpointMode unknown", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("network")}, config: map[string]string{"smx:ec2MetadataServiceEndpointMode": "IPv5"}, want: []string{`smx:ec2MetadataServiceEndpointMode must be IPv4 or IPv6, got "IPv5"`}},
		{name: "smx:httpsProxy malformed", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("network")}, config: map[string]string{"smx:httpsProxy": "http://[::1"}, want: []string{"smx:httpsProxy must be a proxy URL"}},
		{name: "smx:tokenBucketRateLimiterCapacity 0", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("network")}, config: map[string]string{"smx:tokenBucketRateLimiterCapacity": "0"}, want: []string{"smx:tokenBucketRateLimiterCapacity must be a whole number of at least 1, got 0"}},
		{name: "smx:useFipsEndpoint with smx:endpoint", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("network")}, config: map[string]string{"smx:useFipsEndpoint": "true", "smx:endpoint": "http://127.0.0.1:5000"}, want: []string{"smx:useFipsEndpoint cannot be used with a custom Secrets Manager endpoint"}},
		// Tags every resource gets or leaves alone.
		// The provider's tag settings, as stack config holds an object (JSON).
		{name: "smx:defaultTags key aws:", resources: secretProgram("name: app/db"), config: map[string]string{"smx:defaultTags": `{"tags":{"aws:team":"db"}}`}, want: []string{`smx:defaultTags tags: tag key "aws:team" uses the prefix "aws:", which AWS reserves`}},
		{name: "smx:defaultTags value too long", resources: secretProgram("name: app/db"), config: map[string]string{"smx:defaultTags": `{"tags":{"team":"` + strings.Repeat("v", 256) + `"}}`}, want: []string{`smx:defaultTags tags: the value of tag "team" must be at most 255 characters long, got 256`}},
		{name: "smx:defaultTags without its tags block", resources: secretProgram("name: app/db"), config: map[string]string{"smx:defaultTags": `{"team":"db"}`}, want: []string{`smx:defaultTags has no field "team": it is an object {tags: ...}`}},
		{name: "smx:ignoreTags empty key", resources: secretProgram("name: app/db"), config: map[string]string{"smx:ignoreTags": `{"keys":[""]}`}, want: []string{"smx:ignoreTags keys[0] is empty"}},
		{name: "smx:ignoreTags empty prefix", resources: secretProgram("name: app/db"), config: map[string]string{"smx:ignoreTags": `{"keyPrefixes":[""]}`}, want: []string{"smx:ignoreTags keyPrefixes[0] is empty: an empty prefix would ignore every tag"}},
		{name: "tags and smx:defaultTags over 50", resources: secretProgram("name: app/db\n" + many(45)), config: map[string]string{"smx:defaultTags": `{"tags":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6"}}`}, want: []string{property("tags"), "may hold at most 50 tags together with the provider's defaultTags: the secret would carry 51 (45 of its own, 6 default tags"}},
		{name: "tags and smx:defaultTags with the owner tag over 50", resources: secretProgram("name: app/db\n" + many(45)), config: map[string]string{"smx:defaultTags": `{"tags":{"a":"1","b":"2","c":"3","d":"4","e":"5"}}`}, want: []string{"tags: the program sets 45 tags and the provider's defaultTags add 5, and smx adds its own tag \"smx:owner\"", "which makes 51"}},
		{name: "smx:tagPolicyCompliance unknown", resources: secretProgram("name: app/db"), config: map[string]string{"smx:tagPolicyCompliance": "strict"}, want: []string{`smx:tagPolicyCompliance must be one of error, warning, disabled (what a secret missing a tag key the organization's tag policies require does to the preview), got "strict"`}},
		{name: "a tag smx:ignoreTags ignores", resources: secretProgram("name: app/db\ntags:\n  ops:owner: me"), config: map[string]string{"smx:ignoreTags": `{"keyPrefixes":["ops:"]}`}, want: []string{property("tags"), `tag key "ops:owner" is ignored by the provider's ignoreTags`}},
		// The environment: no credentials, or an endpoint variable that is no
		// URL, fail the preview as they would fail up, with up's words.
		{name: "no credentials, no endpoint", resources: secretAndVersion, secrets: map[string]string{"value": value("nocreds")}, env: noCredentials, want: []string{noCredentialsHelp}},
		{name: "no credentials, endpoint the proxy", resources: secretAndVersion, secrets: map[string]string{"value": value("nocreds")}, env: withEndpoint(noCredentials, "{proxy}"), want: []string{noCredentialsHelp}},
		{name: "no credentials, a SecretVersion alone", resources: versionProgram("secretId: smx-bad/existing\nsecretString: ${value}"), secrets: map[string]string{"value": value("nocredsv")}, env: withEndpoint(noCredentials, "{proxy}"), want: []string{noCredentialsHelp}},
		{name: "AWS_ENDPOINT_URL_SECRETS_MANAGER without a scheme", resources: secretAndVersion, secrets: map[string]string{"value": value("envurl")}, env: map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": "127.0.0.1:5000"}, want: []string{"invalid smx provider configuration: AWS_ENDPOINT_URL_SECRETS_MANAGER must be an absolute http:// or https:// URL with a host", `"127.0.0.1:5000"`}},
		{name: "AWS_ENDPOINT_URL without a scheme", resources: secretAndVersion, secrets: map[string]string{"value": value("envurl")}, env: map[string]string{"AWS_ENDPOINT_URL_SECRETS_MANAGER": unsetEnv, "AWS_ENDPOINT_URL": "localhost:4566"}, want: []string{"invalid smx provider configuration: AWS_ENDPOINT_URL must be an absolute http:// or https:// URL with a host", `got "localhost:4566"`}},
		// A name a live secret outside the stack holds: the preview's look-up
		// finds it, and the preview fails as up would.
		{name: "name a live secret holds", resources: secretProgram("name: smx-bad/taken"), setup: liveSecret("smx-bad/taken"), calls: map[string]int{"DescribeSecret": 1}, want: []string{`cannot create secret "smx-bad/taken"`, "a secret with this name already exists", "`pulumi import smx:secretsmanager:Secret <resource name> smx-bad/taken`", "or choose another name"}},
		{name: "unreachable endpoint", resources: secretAndVersion, secrets: map[string]string{"value": value("closed")}, config: map[string]string{"smx:endpoint": closedEndpoint(t), "smx:maxRetries": "1"}, up: true, want: []string{`creating secret "smx-bad/env"`, "connection refused"}, within: time.Minute},
	}
	return rows
}

// rowsWithLookUps counts the rows whose failure is what a preview's look-up
// finds: they make that one call, every other row none.
func rowsWithLookUps(rows []badInput) int {
	n := 0
	for _, row := range rows {
		if len(row.calls) > 0 {
			n++
		}
	}
	return n
}

// noCredentialsHelp is what smx says, at preview as at up, when the SDK's
// credential chain finds nothing.
// stsAtProxy sends STS's calls to the row's proxy, which counts them with
// Secrets Manager's: a rule of the role settings must cost no call of either.
var stsAtProxy = map[string]string{"AWS_ENDPOINT_URL_STS": "{proxy}"}

const noCredentialsHelp = "smx found no AWS credentials: set smx:accessKey and smx:secretKey, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"

// liveSecret is a setup that creates a secret named name outside Pulumi.
func liveSecret(name string) func(*testing.T, *stackRun) {
	return func(t *testing.T, r *stackRun) {
		t.Helper()
		if _, err := r.client.CreateSecret(context.Background(), &sm.CreateSecretInput{Name: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
}

// closedEndpoint is a loopback URL where nothing listens.
func closedEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return endpoint
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
