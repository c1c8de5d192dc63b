package e2e

// How the tests run things. Every command — the Pulumi CLI, the AWS CLI, a
// language driver, cp — goes through runCommand, so that each one gets the
// run's isolated environment (environ) and has its output checked for
// secret values. The Automation API runs the CLI itself; inlineStack hands
// it the same environment.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// pulumiBinary is the Pulumi CLI `make tools` builds. A command named
// "pulumi" runs it: exec resolves names with the test's PATH, not the
// command's.
var pulumiBinary = filepath.Join(pulumiRoot, "bin", "pulumi")

// cliTimeout bounds every CLI command of the reliability suites, so that a
// hung command fails its test instead of the whole run.
const cliTimeout = 15 * time.Minute

// verbose is the most the CLI and, through --logflow, the provider plugin log.
var verbose = []string{"-v=11", "--logflow", "--logtostderr"}

// unsetEnv, as a value of runOptions.env, removes the variable.
const unsetEnv = "\x00unset"

// accountVariables could point a command at a real AWS account: no command
// gets them from the test's environment.
var accountVariables = []string{"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"}

// environ is the test's environment with the run's settings, then extra, on
// top (unsetEnv in extra removes a variable), minus accountVariables unless
// the run or extra sets them.
func (r *stackRun) environ(extra map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		_, fromRun := r.env[name]
		_, fromExtra := extra[name]
		if fromRun || fromExtra || slices.Contains(accountVariables, name) {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range r.env {
		if _, overridden := extra[k]; !overridden {
			env = append(env, k+"="+v)
		}
	}
	for k, v := range extra {
		if v != unsetEnv {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// expectation is what runCommand does when a command ends.
type expectation int

const (
	mustSucceed   expectation = iota // the test fails if the command fails
	mustFail                         // the test fails if the command succeeds
	eitherOutcome                    // the caller looks at cliResult.err
)

// runOptions are what differs between commands. The zero value runs a
// command in the repository root with the run's environment, without a time
// limit, and fails the test unless the command succeeds.
type runOptions struct {
	dir string
	// env is set on top of the run's environment; unsetEnv removes a variable.
	env map[string]string
	// timeout, when set, kills the command and every process it started
	// (they run in a process group of their own) once it has passed.
	timeout time.Duration
	expect  expectation
}

// cliResult is one finished command.
type cliResult struct {
	// command is the command line, with every watched secret value masked.
	command        string
	stdout, stderr string
	err            error
	took           time.Duration
}

func (c cliResult) output() string { return c.stdout + c.stderr }

// errors is the error diagnostics the CLI showed the user, one a line, from
// wherever it put them (with --diff they go to stderr, between the verbose
// log lines).
func (c cliResult) errors() string {
	var lines []string
	for _, line := range strings.Split(c.output(), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "{") || glogLine.MatchString(trimmed) {
			continue // a log record, not a diagnostic
		}
		if strings.HasPrefix(trimmed, "error:") || strings.Contains(line, " error: ") {
			lines = append(lines, trimmed)
		}
	}
	return strings.Join(lines, "\n")
}

func (c cliResult) String() string {
	return fmt.Sprintf("%s (%v, %.1fs)\nerrors shown:\n%s\nstdout:\n%s\nstderr (last 4000 bytes):\n%s",
		c.command, c.err, c.took.Seconds(), c.errors(), tail(c.stdout, 8000), tail(c.stderr, 4000))
}

// tail keeps a failure message readable when a command logged at -v=11.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// glogLine matches a line the CLI or a plugin logs with -v (glog's format).
var glogLine = regexp.MustCompile(`^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ \S+:\d+\] `)

// runCommand runs name with args as o says and returns what happened. Its
// output, and its error, are checked for every watched secret value whatever
// the outcome: a failing command must not leak either.
func (r *stackRun) runCommand(o runOptions, name string, args ...string) cliResult {
	r.t.Helper()
	path := name
	if name == "pulumi" {
		path = pulumiBinary
	}
	dir := o.dir
	if dir == "" {
		dir = repoRoot
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	cmd.Env = r.environ(o.env)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if o.timeout > 0 {
		// Its own process group, so that the timeout stops the command and
		// the plugins it started, and nothing else.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	res := cliResult{command: maskValues(strings.Join(append([]string{name}, args...), " "), r.watchedSecretValues())}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		r.t.Fatalf("starting %s: %v", res.command, err)
	}
	var timer *time.Timer
	if o.timeout > 0 {
		timer = time.AfterFunc(o.timeout, func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	}
	err := cmd.Wait()
	res.stdout, res.stderr, res.err, res.took = stdout.String(), stderr.String(), err, time.Since(start)
	if timer != nil && !timer.Stop() {
		res.err = fmt.Errorf("timed out after %v (%w)", o.timeout, err)
	}
	r.assertNoPlaintext("the output of "+res.command, res.output())
	if res.err != nil {
		r.assertNoPlaintext("the error of "+res.command, res.err.Error())
	}
	switch {
	case o.expect == mustSucceed && res.err != nil:
		r.t.Fatalf("%s", res)
	case o.expect == mustFail && res.err == nil:
		r.t.Fatalf("%s succeeded, want a failure:\n%s", res.command, res)
	}
	return res
}

// runPulumi runs the Pulumi CLI in dir, fails the test unless it succeeds,
// and returns its stdout: what most steps of a test need.
func (r *stackRun) runPulumi(dir string, args ...string) string {
	r.t.Helper()
	return r.runCommand(runOptions{dir: dir}, "pulumi", args...).stdout
}

// --- Drivers: the examples' own programs, run as inline programs -------------

// nodeDriver runs a TypeScript example (compiled by `make examples`).
var nodeDriver = []string{"node", filepath.Join(repoRoot, "tests", "e2e", "drivers", "nodejs.js")}

// pythonDriver runs a Python example in the virtualenv `make sdk-python` makes.
func pythonDriver(t *testing.T) []string {
	t.Helper()
	python := filepath.Join(repoRoot, ".work", "venv", "bin", "python")
	requireFile(t, python, "make sdk-python")
	return []string{python, filepath.Join(repoRoot, "tests", "e2e", "drivers", "python.py")}
}

// goExampleDriver builds the Go driver: the example's own test binary
// (examples/go/main_test.go). The build runs before any stackRun exists, with
// the test's own environment, as `go test` would.
func goExampleDriver(t *testing.T) []string {
	t.Helper()
	return goDriverOf(t, "go")
}

// goDriverOf builds the test binary of the Go example examples/<name>, whose
// TestMain doubles as its driver.
func goDriverOf(t *testing.T, name string) []string {
	t.Helper()
	binary := filepath.Join(t.TempDir(), "example-"+name+".test")
	build := exec.Command("go", "test", "-c", "-o", binary, ".")
	build.Dir = filepath.Join(repoRoot, "examples", name)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building examples/%s: %v\n%s", name, err, out)
	}
	return []string{binary}
}

// driverReport is the one JSON line an inline-program driver prints.
type driverReport struct {
	Outputs       map[string]any `json:"outputs"`
	ChangeSummary map[string]int `json:"changeSummary"`
}

// drive runs one operation of an example through its language's driver (see
// tests/e2e/drivers and examples/go/main_test.go for the protocol).
func (r *stackRun) drive(driver []string, exampleDir, stack, op string) driverReport {
	r.t.Helper()
	return r.driveWithConfig(driver, exampleDir, stack, op, nil)
}

// stackConfigValue is one setting of a stack's config, as drivers take it.
type stackConfigValue struct {
	Value  string `json:"value"`
	Secret bool   `json:"secret"`
}

// driveWithConfig is drive with the stack's config set first (each
// operation runs in a fresh workspace, so the config goes with every one).
// The Node and Python drivers take config.
func (r *stackRun) driveWithConfig(driver []string, exampleDir, stack, op string, config map[string]stackConfigValue) driverReport {
	r.t.Helper()
	var configJSON []byte
	if config != nil {
		var err error
		if configJSON, err = json.Marshal(config); err != nil {
			r.t.Fatal(err)
		}
	}
	workDir := filepath.Join(r.t.TempDir(), "workspace")
	if err := os.MkdirAll(workDir, 0o755); err != nil {
		r.t.Fatal(err)
	}
	out := r.runCommand(runOptions{env: map[string]string{
		"SMX_E2E_OP":          op,
		"SMX_E2E_STACK":       stack,
		"SMX_E2E_EXAMPLE_DIR": exampleDir,
		"SMX_E2E_WORK_DIR":    workDir,
		"SMX_E2E_PULUMI_ROOT": pulumiRoot,
		"SMX_E2E_CONFIG":      string(configJSON),
	}}, driver[0], driver[1:]...).stdout
	var report driverReport
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &report); err != nil {
		r.t.Fatalf("%s: the driver's report is not JSON: %v\n%s", op, err, out)
	}
	return report
}

// --- The Automation API ------------------------------------------------------

// inlineStack creates a stack for an inline program (see inline_test.go) in
// a fresh workspace, with this run's environment plus extra. The Automation
// API can only add variables to the test's environment, not remove them, so
// the accountVariables the test has are blanked instead.
func (r *stackRun) inlineStack(ctx context.Context, stackName string, program pulumi.RunFunc, extra map[string]string) auto.Stack {
	r.t.Helper()
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: pulumiRoot, SkipVersionCheck: true})
	if err != nil {
		r.t.Fatal(err)
	}
	env := map[string]string{}
	for _, name := range accountVariables {
		if _, set := os.LookupEnv(name); set {
			env[name] = ""
		}
	}
	for k, v := range r.env {
		env[k] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	workDir := filepath.Join(r.t.TempDir(), "workspace")
	if err := os.MkdirAll(workDir, 0o755); err != nil {
		r.t.Fatal(err)
	}
	project := workspace.Project{
		Name:    tokens.PackageName("smx-e2e-" + stackName),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
	}
	stack, err := auto.UpsertStackInlineSource(ctx, stackName, string(project.Name), program,
		auto.Pulumi(cli), auto.WorkDir(workDir), auto.Project(project), auto.EnvVars(env))
	if err != nil {
		r.t.Fatalf("creating stack %s: %v", stackName, err)
	}
	return stack
}
