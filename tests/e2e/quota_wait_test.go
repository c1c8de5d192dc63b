package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQuotaWaitIsShownOnTheResource: a call that pacing holds for its quota
// longer than a second shows on its resource in the CLI's output, naming the
// quota, and the provider tells it once per resource. The provider keeps to
// 2 % of each quota here (smx:quotaShare), so that the six CreateSecret
// calls of one `up`, sent at once, queue at one a second on the served fake.
func TestQuotaWaitIsShownOnTheResource(t *testing.T) {
	t.Parallel()
	served := serveFake(t)
	r := newStackRunOnFake(t, served.Server, fakeMainAccount.accessKeyID, fakeRegion)
	const secrets = 6
	var program strings.Builder
	program.WriteString("name: smx-quota-wait\nruntime: yaml\nresources:\n")
	for i := range secrets {
		fmt.Fprintf(&program, "  s%d:\n    type: smx:secretsmanager:Secret\n    properties:\n      name: quota/s%d\n      recoveryWindowInDays: 0\n", i, i)
	}
	s := newYAMLStack(r, "quota", program.String())
	s.cli("config", "set", "smx:quotaShare", "0.02")
	events := filepath.Join(t.TempDir(), "events.jsonl")
	// --event-log is one of the CLI's debug commands.
	up := r.runCommand(runOptions{dir: s.project, env: map[string]string{"PULUMI_DEBUG_COMMANDS": "true"}},
		"pulumi", "up", "--yes", "--non-interactive", "--parallel", "16", "--event-log", events)

	const notice = "smx: waiting for the Secrets Manager CreateSecret quota in us-east-1: "
	shownOn := map[string]bool{}
	for _, line := range strings.Split(up.stdout, "\n") {
		if strings.Contains(line, " creating (") && strings.Contains(line, notice) {
			fields := strings.Fields(line)
			shownOn[fields[2]] = true // "+", the type, the name
		}
	}
	// Six calls at one a second: those queued behind two or more others
	// wait longer than a second, however the engine's steps are spread.
	if len(shownOn) < 2 {
		t.Fatalf("the wait shows on %d resources (%v); want at least 2:\n%s", len(shownOn), shownOn, up.stdout)
	}
	told := toldByURN(t, events, notice)
	for name := range shownOn {
		urn := "urn:pulumi:quota::smx-quota-wait::smx:secretsmanager:Secret::" + name
		if told[urn] != 1 {
			t.Fatalf("the provider told %s's wait %d times; want once (told: %v)", name, told[urn], told)
		}
	}
	if len(told) != len(shownOn) {
		t.Fatalf("the provider told waits on %v, the CLI showed them on %v", told, shownOn)
	}
	s.cli("destroy", "--yes")
}

// toldByURN counts, by resource, the diagnostics of the event log that
// start with prefix.
func toldByURN(t *testing.T, eventLog, prefix string) map[string]int {
	t.Helper()
	file, err := os.Open(eventLog)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = file.Close() }()
	told := map[string]int{}
	lines := bufio.NewScanner(file)
	lines.Buffer(make([]byte, 1<<20), 1<<24)
	for lines.Scan() {
		var event struct {
			Diagnostic *struct {
				URN       string `json:"urn"`
				Message   string `json:"message"`
				Ephemeral bool   `json:"ephemeral"`
			} `json:"diagnosticEvent"`
		}
		if err := json.Unmarshal(lines.Bytes(), &event); err != nil {
			t.Fatalf("the event log has a line that is not JSON: %v", err)
		}
		if d := event.Diagnostic; d != nil && strings.HasPrefix(d.Message, prefix) {
			if !d.Ephemeral {
				t.Fatalf("the wait on %s was told as a lasting diagnostic; want a status", d.URN)
			}
			told[d.URN]++
		}
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	return told
}
