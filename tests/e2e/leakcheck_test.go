package e2e

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smxlabs/pulumi-smx/provider"
)

// Nothing leaks: one assertion, assertNoPlaintextIn, decides whether a text
// reveals a secret value, and every end-to-end test reaches it — through
// runCommand (the output of every command, error messages included),
// assertNoPlaintext, assertStateLacks and assertNoLeak. assertNothingLeaked
// sweeps, once a scenario is over, everywhere else a run leaves text behind.

// assertNoPlaintextIn fails t if text contains any of values. The failure
// quotes the first lines that do, with every value masked, so that it says
// which component wrote the value without repeating it.
func assertNoPlaintextIn(t testing.TB, where, text string, values []string) {
	t.Helper()
	found := false
	for _, v := range values {
		if v != "" && strings.Contains(text, v) {
			found = true
			break
		}
	}
	if !found {
		return
	}
	var lines []string
	total := 0
	for _, line := range strings.Split(text, "\n") {
		masked := maskValues(line, values)
		if masked == line {
			continue
		}
		total++
		if len(lines) < 8 {
			if len(masked) > 300 {
				masked = masked[:300] + "..."
			}
			lines = append(lines, "  "+strings.ToValidUTF8(masked, "?"))
		}
	}
	t.Fatalf("a secret value appears in plaintext in %s, in %d lines; the first (values masked):\n%s",
		where, total, strings.Join(lines, "\n"))
}

// maskValues replaces every one of values in text with <VALUE>, so that a
// failure message can say where a value is without repeating it.
func maskValues(text string, values []string) string {
	for _, v := range values {
		if v != "" {
			text = strings.ReplaceAll(text, v, "<VALUE>")
		}
	}
	return text
}

// watchSecretValues adds values that the run's programs store: from now on
// every leak check looks for them too.
func (r *stackRun) watchSecretValues(values ...string) {
	r.secretValues = append(r.secretValues, values...)
}

// watchedSecretValues is every value the leak checks look for.
func (r *stackRun) watchedSecretValues() []string {
	return append([]string{documentSecretValue}, r.secretValues...)
}

// forTest is r bound to another test (a subtest sharing r's moto, backend
// and PULUMI_HOME), so that its failures are that test's.
func (r *stackRun) forTest(t *testing.T) *stackRun {
	sub := *r
	sub.t = t
	sub.secretValues = slices.Clone(r.secretValues)
	sub.providerLogs = slices.Clone(r.providerLogs)
	sub.leakDirs = slices.Clone(r.leakDirs)
	return &sub
}

// assertNothingLeaked looks for every watched value everywhere a run leaves
// text behind, besides the commands' output (checked as each command ends):
//   - every file the backend wrote: checkpoints, history, backups;
//   - the stack's plain export (`pulumi stack export`, as a user runs it)
//     and its outputs (`pulumi stack output --json`);
//   - the provider plugin's own logs (its stderr, copied by the wrapper
//     installProvider puts in front of it; at -v=11 they hold every record);
//   - every file of the project folder (Pulumi.<stack>.yaml holds the values,
//     encrypted) and of the other folders in leakDirs (the CLI's TMPDIR);
//   - the logs the CLI writes by itself for the stack into $PULUMI_HOME/logs,
//     decrypted.
func (r *stackRun) assertNothingLeaked(project, stack string) {
	r.t.Helper()
	values := r.watchedSecretValues()
	r.assertStateFilesLack(values)
	r.runPulumi(project, "stack", "export", "--stack", stack)
	r.runPulumi(project, "stack", "output", "--json", "--stack", stack)
	for _, log := range r.providerLogs {
		// The wrapper's tee creates the file when the plugin starts: a
		// missing file means the plugin never ran behind the wrapper.
		content, err := os.ReadFile(log)
		if err != nil {
			r.t.Fatalf("reading the provider's log: %v", err)
		}
		assertNoPlaintextIn(r.t, "the provider plugin's own log (pulumi-resource-smx stderr, "+log+")", string(content), values)
	}
	for _, dir := range append([]string{project}, r.leakDirs...) {
		r.assertFilesLack(dir, values)
	}
	r.assertStackLogsLack(project, stack)
}

func (r *stackRun) assertStateFilesLack(values []string) {
	r.t.Helper()
	r.assertFilesLack(r.stateDir, values)
}

// assertFilesLack checks every file under dir.
func (r *stackRun) assertFilesLack(dir string, values []string) {
	r.t.Helper()
	assertFilesUnderLack(r.t, dir, values)
}

// assertFilesUnderLack checks every file under dir (none when dir does not
// exist) for values in plaintext, and returns how many files it read.
func assertFilesUnderLack(t testing.TB, dir string, values []string) int {
	t.Helper()
	return readEachFileUnder(t, dir, func(path, content string) {
		assertNoPlaintextIn(t, "file "+path, content, values)
	})
}

// readEachFileUnder is the one walker of the leak checks: it hands the text
// of every file under dir to check (none when dir does not exist), and
// returns how many files it read.
func readEachFileUnder(t testing.TB, dir string, check func(path, content string)) int {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		check(path, string(content))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// assertStackLogsLack decrypts the CLI's automatic logs of one stack (see
// assertAutomaticLogsLack); r.run checks what they say.
func (r *stackRun) assertStackLogsLack(project, stack string) {
	r.t.Helper()
	logs, err := filepath.Glob(filepath.Join(r.env["PULUMI_HOME"], "logs", "*+"+stack+"-*.log"))
	if err != nil {
		r.t.Fatal(err)
	}
	if len(logs) == 0 {
		r.t.Fatalf("no automatic log of stack %s: the check would prove nothing", stack)
	}
	for _, log := range logs {
		r.runPulumi(project, "logs", "decrypt", log, "--stack", stack)
	}
}

// installProvider reinstalls the provider plugin in r's PULUMI_HOME behind a
// wrapper script that records the PID of every plugin process the engine
// starts (one a line in the returned pidFile) and copies everything the
// plugin writes to stderr into a log that assertNothingLeaked checks.
//
// Like captureProviderStderr, it unsets PULUMI_LOG_OTLP_ENDPOINT, so that
// the plugin writes every log record to its stderr instead of exporting them
// in batches it may never flush. The plugin runs from a copy of
// bin/pulumi-resource-smx (bin/ may be rebuilt while a test runs); the wrapper
// execs it, so the recorded PID is the provider's own.
func (r *stackRun) installProvider() (binary, pidFile string) {
	r.t.Helper()
	dir := r.t.TempDir()
	binary = filepath.Join(dir, "pulumi-resource-smx")
	r.runCommand(runOptions{}, "cp", filepath.Join(repoRoot, "bin", "pulumi-resource-smx"), binary)
	pidFile = filepath.Join(dir, "provider.pids")
	stderrLog := filepath.Join(dir, "provider-stderr.log")
	wrapper := filepath.Join(dir, "wrapper", "pulumi-resource-smx")
	script := fmt.Sprintf("#!/bin/bash\n"+
		"unset PULUMI_LOG_OTLP_ENDPOINT\n"+
		"echo $$ >> %s\n"+
		"exec %s \"$@\" 2> >(tee -a %s >&2)\n",
		shellQuote(pidFile), shellQuote(binary), shellQuote(stderrLog))
	if err := os.MkdirAll(filepath.Dir(wrapper), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		r.t.Fatal(err)
	}
	r.runPulumi(repoRoot, "plugin", "install", "resource", provider.Name, provider.Version, "--file", wrapper, "--reinstall")
	r.providerLogs = append(r.providerLogs, stderrLog)
	return binary, pidFile
}

// providerLogBytes is how much the provider plugin wrote to its stderr.
func (r *stackRun) providerLogBytes() int64 {
	var n int64
	for _, log := range r.providerLogs {
		if info, err := os.Stat(log); err == nil {
			n += info.Size()
		}
	}
	return n
}
