package e2e

// The stack the reliability suites (faults_test.go, crash_test.go,
// badinput_test.go) run: their size, a stack of many secrets run with the
// real `pulumi` CLI through a fault-injecting proxy, and the check that AWS
// and the state agree. Killing its processes is in process_linux_test.go,
// the figures RELIABILITY.md reports in figures_test.go.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// reliabilitySize is how big the reliability suites run. `make test` runs the
// quick size; `make test-reliability` sets SMX_RELIABILITY=full.
type reliabilitySize struct {
	Name string
	// Secrets is the number of Secrets in the fault and crash stacks, each
	// with one SecretVersion.
	Secrets int
	// CrashSeeds is how many times TestCrashRecovery kills the provider
	// plugin, seeds 1 to CrashSeeds; CLICrashSeeds how many times it kills
	// the whole `pulumi up` instead.
	CrashSeeds, CLICrashSeeds int
}

func reliability(t *testing.T) reliabilitySize {
	t.Helper()
	switch level := os.Getenv("SMX_RELIABILITY"); level {
	case "", "quick":
		return reliabilitySize{Name: "quick", Secrets: 12, CrashSeeds: 3, CLICrashSeeds: 1}
	case "full":
		return reliabilitySize{Name: "full", Secrets: 50, CrashSeeds: 10, CLICrashSeeds: 2}
	default:
		t.Fatalf("SMX_RELIABILITY=%q: want quick (the default) or full", level)
		return reliabilitySize{}
	}
}

// bigStack is a YAML project of n Secrets, each with a SecretVersion,
// under explicit names that start with a prefix random to the test. The
// values come from secret stack config, as a careful user would keep them
// (a literal in Pulumi.yaml is plaintext on disk, and pulumi-language-yaml
// logs its program's literals at -v>=9). Every fourth version stores its
// value as secretBinary, the rest as secretString.
type bigStack struct {
	r       *stackRun
	proxy   *faultproxy.Proxy
	project string
	stack   string
	prefix  string
	names   []string
	// values are what each secret's AWSCURRENT must hold (for a binary
	// version, the bytes); binary says which versions are secretBinary.
	values []string
	binary []bool
	// providerBinary and pidFile come from installProvider.
	providerBinary, pidFile string
}

// bigStackProject is the project name of the reliability stack, under which
// the file backend keeps its checkpoints.
const bigStackProject = "smx-reliability"

// newBigStack sets up a stackRun whose provider reaches moto only through
// a fault proxy (AWS_ENDPOINT_URL_SECRETS_MANAGER is the proxy's URL; the
// test's own client, r.client, talks to moto directly), and a stack of n
// secrets, created with `pulumi stack init` and `pulumi config set-all`.
func newBigStack(t *testing.T, scenario string, n int) *bigStack {
	t.Helper()
	r := newStackRun(t)
	proxy := faultproxy.Start(t, r.moto.Endpoint)
	r.env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = proxy.URL
	cliTemp := t.TempDir() // the CLI's and the plugins' TMPDIR: any file they write lands here
	r.env["TMPDIR"] = cliTemp
	r.leakDirs = append(r.leakDirs, cliTemp)
	binary, pidFile := r.installProvider()

	b := &bigStack{
		r: r, proxy: proxy, project: filepath.Join(t.TempDir(), "project"), stack: scenario,
		prefix:         "smx-rel-" + randomLowercase(t, 10),
		providerBinary: binary, pidFile: pidFile,
	}
	var program strings.Builder
	program.WriteString("name: " + bigStackProject + "\nruntime: yaml\ndescription: the reliability suites' stack (tests/e2e/bigstack_test.go)\nconfig:\n")
	for i := range n {
		fmt.Fprintf(&program, "  value%03d:\n    type: string\n    secret: true\n", i)
	}
	program.WriteString("resources:\n")
	setAll := []string{"config", "set-all"}
	for i := range n {
		name := fmt.Sprintf("%s/secret-%03d", b.prefix, i)
		value := fmt.Sprintf("smxval-%s-%03d", randomLowercase(t, 20), i)
		binary := i%4 == 3
		b.names = append(b.names, name)
		b.values = append(b.values, value)
		b.binary = append(b.binary, binary)
		configValue, property := value, "secretString"
		if binary {
			configValue, property = base64.StdEncoding.EncodeToString([]byte(value)), "secretBinary"
			r.watchSecretValues(configValue)
		}
		r.watchSecretValues(value)
		setAll = append(setAll, "--secret", fmt.Sprintf("value%03d=%s", i, configValue))
		fmt.Fprintf(&program, "  secret%03d:\n    type: smx:secretsmanager:Secret\n    properties:\n"+
			"      name: %s\n      description: secret %d of %d of the reliability stack\n", i, name, i+1, n)
		fmt.Fprintf(&program, "  version%03d:\n    type: smx:secretsmanager:SecretVersion\n    properties:\n"+
			"      secretId: ${secret%03d.id}\n      %s: ${value%03d}\n", i, i, property, i)
	}
	fmt.Fprintf(&program, "outputs:\n  secrets: %d\n", n)
	if err := os.MkdirAll(b.project, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.project, "Pulumi.yaml"), []byte(program.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	b.mustCLI("stack", "init", b.stack, "--non-interactive")
	b.mustCLI(setAll...)
	return b
}

// randomLowercase is n random characters of [a-z0-9], different every run:
// prefixes and values that no other run shares.
func randomLowercase(t *testing.T, n int) string {
	t.Helper()
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	for i, c := range buf {
		buf[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(buf)
}

// cli runs the Pulumi CLI in the stack's project, within cliTimeout, and
// leaves it to the caller whether it should have failed.
func (b *bigStack) cli(args ...string) cliResult {
	b.r.t.Helper()
	return b.r.runCommand(runOptions{dir: b.project, timeout: cliTimeout, expect: eitherOutcome}, "pulumi", args...)
}

// mustCLI is cli for a command that must succeed.
func (b *bigStack) mustCLI(args ...string) cliResult {
	b.r.t.Helper()
	return b.r.runCommand(runOptions{dir: b.project, timeout: cliTimeout}, "pulumi", args...)
}

// upArgs is `pulumi up` as the suites always run it: with --diff and the
// most verbose logging, provider included.
var upArgs = append([]string{"up", "--yes", "--non-interactive", "--diff"}, verbose...)

func (b *bigStack) up() cliResult {
	b.r.t.Helper()
	return b.cli(upArgs...)
}

func (b *bigStack) mustUp() cliResult {
	b.r.t.Helper()
	return b.mustCLI(upArgs...)
}

// previewNoChanges runs `pulumi preview --expect-no-changes --json` and
// checks that it made no Secrets Manager call: a no-op preview never does.
func (b *bigStack) previewNoChanges() cliResult {
	b.r.t.Helper()
	before := b.proxy.Total().Received
	res := b.mustCLI("preview", "--expect-no-changes", "--non-interactive", "--json")
	var preview struct {
		ChangeSummary map[string]int `json:"changeSummary"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &preview); err != nil {
		b.r.t.Fatalf("preview --json did not print JSON: %v\n%s", err, res)
	}
	if want := 2*len(b.names) + 1; preview.ChangeSummary["same"] != want {
		b.r.t.Fatalf("preview: %v, want all %d resources the same", preview.ChangeSummary, want)
	}
	if calls := b.proxy.Total().Received - before; calls != 0 {
		b.r.t.Fatalf("a preview with no changes made %d Secrets Manager calls, want none", calls)
	}
	return res
}

// exportedState is what `pulumi stack export` says about the stack.
type exportedState struct {
	Deployment struct {
		Resources []struct {
			URN     string         `json:"urn"`
			Type    string         `json:"type"`
			ID      string         `json:"id"`
			Outputs map[string]any `json:"outputs"`
		} `json:"resources"`
		PendingOperations []struct {
			Type     string `json:"type"`
			Resource struct {
				URN string `json:"urn"`
			} `json:"resource"`
		} `json:"pending_operations"`
	} `json:"deployment"`
}

// export reads the state as a user would (`pulumi stack export`, without
// --show-secrets); the output is checked for leaks like any other.
func (b *bigStack) export() exportedState {
	b.r.t.Helper()
	res := b.mustCLI("stack", "export")
	var state exportedState
	if err := json.Unmarshal([]byte(res.stdout), &state); err != nil {
		b.r.t.Fatalf("pulumi stack export did not print a deployment: %v", err)
	}
	return state
}

// count returns how many resources of a type the state holds.
func (s exportedState) count(typ string) int {
	n := 0
	for _, res := range s.Deployment.Resources {
		if res.Type == typ {
			n++
		}
	}
	return n
}

// convergence is what verifyConverged found.
type convergence struct {
	Secrets        int `json:"secrets"`
	Versions       int `json:"versions"`
	Orphans        int `json:"orphans"`        // live secrets with the stack's prefix that the state lacks
	Missing        int `json:"missing"`        // secrets in state that AWS lacks
	Deleted        int `json:"deleted"`        // secrets with the prefix scheduled for deletion
	ExtraVersions  int `json:"extraVersions"`  // labeled versions beyond the one each secret should have
	WrongValues    int `json:"wrongValues"`    // secrets whose AWSCURRENT is not the program's value
	PendingOps     int `json:"pendingOps"`     // operations the state still lists as pending
	StateMismatch  int `json:"stateMismatch"`  // versions whose versionId in state is not AWSCURRENT
	UnknownInState int `json:"unknownInState"` // resources in state the program does not declare
}

// verifyConverged checks that AWS (moto, read directly) and the state agree
// with the program and with each other:
//   - the state has exactly the program's n Secrets and n SecretVersions,
//     and no pending operation;
//   - every secret in moto whose name has the stack's prefix is live and in
//     the state (no orphan, no duplicate), and every Secret in the state is
//     live in moto;
//   - each secret has exactly one labeled version, AWSCURRENT, which is the
//     version the state records and holds the program's value.
func (b *bigStack) verifyConverged() convergence {
	b.r.t.Helper()
	c, problems := b.checkConverged()
	if len(problems) > 0 {
		b.r.t.Fatalf("AWS and the state do not agree with the program (%+v):\n  %s", c, strings.Join(problems, "\n  "))
	}
	return c
}

// checkConverged is verifyConverged that returns the problems it found
// instead of failing the test.
func (b *bigStack) checkConverged() (convergence, []string) {
	b.r.t.Helper()
	ctx := context.Background()
	t := b.r.t
	state := b.export()
	var problems []string
	var c convergence
	problem := func(counter *int, format string, args ...any) {
		*counter++
		problems = append(problems, fmt.Sprintf(format, args...))
	}

	c.PendingOps = len(state.Deployment.PendingOperations)
	for _, op := range state.Deployment.PendingOperations {
		problems = append(problems, fmt.Sprintf("pending %s of %s", op.Type, op.Resource.URN))
	}
	wanted := map[string]int{} // name → index
	for i, name := range b.names {
		wanted[name] = i
	}
	arnOfName := map[string]string{}
	versionOfArn := map[string]string{}
	for _, res := range state.Deployment.Resources {
		switch res.Type {
		case "smx:secretsmanager:Secret":
			name, _ := res.Outputs["name"].(string)
			arn, _ := res.Outputs["arn"].(string)
			if _, ok := wanted[name]; !ok {
				problem(&c.UnknownInState, "the state holds secret %q, which the program does not declare", name)
				continue
			}
			if _, dup := arnOfName[name]; dup {
				problem(&c.UnknownInState, "the state holds secret %q twice", name)
			}
			arnOfName[name] = arn
		case "smx:secretsmanager:SecretVersion":
			arn, _ := res.Outputs["arn"].(string)
			version, _ := res.Outputs["versionId"].(string)
			if _, dup := versionOfArn[arn]; dup {
				problem(&c.UnknownInState, "the state holds two versions of %s", arn)
			}
			versionOfArn[arn] = version
		}
	}
	for _, name := range b.names {
		if _, ok := arnOfName[name]; !ok {
			problems = append(problems, fmt.Sprintf("the state lacks secret %q", name))
			c.Missing++
		}
	}

	// Everything moto holds under the prefix.
	live := map[string]string{} // ARN → name
	paginator := sm.NewListSecretsPaginator(b.r.client, &sm.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(ctx)
		if err != nil {
			t.Fatalf("listing moto's secrets: %v", err)
		}
		for _, s := range page.SecretList {
			name := aws.ToString(s.Name)
			if !strings.HasPrefix(name, b.prefix+"/") {
				continue
			}
			if s.DeletedDate != nil {
				problem(&c.Deleted, "secret %q is scheduled for deletion", name)
				continue
			}
			live[aws.ToString(s.ARN)] = name
		}
	}
	stateArns := map[string]bool{}
	for _, arn := range arnOfName {
		stateArns[arn] = true
	}
	for arn, name := range live {
		if !stateArns[arn] {
			problem(&c.Orphans, "orphan: secret %q (%s) is live in AWS but not in the state", name, arn)
		}
	}
	for name, arn := range arnOfName {
		if _, ok := live[arn]; !ok {
			problem(&c.Missing, "secret %q (%s) is in the state but not live in AWS", name, arn)
			continue
		}
		c.Secrets++
		described, err := b.r.client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &arn})
		if err != nil {
			t.Fatalf("describing %s: %v", name, err)
		}
		var labeled []string
		current := ""
		for version, stages := range described.VersionIdsToStages {
			if len(stages) == 0 {
				continue
			}
			labeled = append(labeled, fmt.Sprintf("%s%v", version, stages))
			if slices.Contains(stages, "AWSCURRENT") {
				current = version
			}
		}
		c.Versions += len(labeled)
		if len(labeled) != 1 {
			problem(&c.ExtraVersions, "secret %q has %d labeled versions, want 1: %v", name, len(labeled), labeled)
		}
		if recorded := versionOfArn[arn]; recorded != current {
			problem(&c.StateMismatch, "secret %q: the state's SecretVersion is %q, AWSCURRENT is %q", name, recorded, current)
		}
		got, err := b.r.client.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: &arn})
		if err != nil {
			problem(&c.WrongValues, "secret %q: reading its value: %v", name, err)
			continue
		}
		i := wanted[name]
		var value string
		if b.binary[i] {
			value = string(got.SecretBinary)
		} else {
			value = aws.ToString(got.SecretString)
		}
		if value != b.values[i] || (b.binary[i] != (got.SecretBinary != nil)) {
			problem(&c.WrongValues, "secret %q: AWSCURRENT does not hold the program's value (binary %v)", name, b.binary[i])
		}
	}
	if len(versionOfArn) != len(b.names) {
		problems = append(problems, fmt.Sprintf("the state holds %d SecretVersions, want %d", len(versionOfArn), len(b.names)))
	}
	return c, problems
}
