package e2e

// The figures the reliability suites record (RELIABILITY.md): what the fault
// proxy saw, and one report line per scenario.

import (
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// faultFigures is what the proxy saw, summed over every action.
type faultFigures struct {
	Requests         int `json:"requests"`
	Forwarded        int `json:"forwarded"`
	Throttled        int `json:"throttled"`
	ServerErrors     int `json:"serverErrors"`
	Resets           int `json:"resets"`
	DroppedResponses int `json:"droppedResponses"`
	InjectedErrors   int `json:"injectedErrors"`
	Delayed          int `json:"delayed"`
	MaxInFlight      int `json:"maxInFlight"`
}

func figuresOf(p *faultproxy.Proxy) faultFigures {
	total := p.Total()
	return faultFigures{
		Requests: total.Received, Forwarded: total.Forwarded, Throttled: total.Throttled,
		ServerErrors: total.ServerErrors, Resets: total.Resets, DroppedResponses: total.DroppedResponses,
		InjectedErrors: total.InjectedErrors, Delayed: total.Delayed, MaxInFlight: p.MaxInFlight(),
	}
}

// scenarioReport is one line of the figures RELIABILITY.md is written from.
type scenarioReport struct {
	Scenario   string             `json:"scenario"`
	Size       string             `json:"size"`
	Secrets    int                `json:"secrets"`
	Resources  int                `json:"resources"`
	Seed       uint64             `json:"seed,omitempty"`
	Faults     faultFigures       `json:"faults"`
	Steps      map[string]float64 `json:"steps"` // seconds per command
	Converged  *convergence       `json:"converged,omitempty"`
	Orphans    int                `json:"orphans"`
	LeaksFound int                `json:"leaksFound"`
	// ProviderStderrBytes is how much the provider plugin wrote to its
	// stderr (checked for leaks with everything else).
	ProviderStderrBytes int64          `json:"providerStderrBytes"`
	Notes               map[string]any `json:"notes,omitempty"`
	// Problems are what a failed scenario found (reported before it fails).
	Problems    []string `json:"problems,omitempty"`
	DurationSec float64  `json:"durationSec"`
}

var reportMu sync.Mutex

// report logs a scenario's figures and, when SMX_RELIABILITY_REPORT names a
// file, appends them to it as one JSON line. It is called once the scenario
// has passed its leak checks (a report says 0 leaks because the test proved
// it) and, but for a crash scenario that reports its problems first, every
// other check.
func report(t *testing.T, rep scenarioReport) {
	t.Helper()
	line, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("figures: %s", line)
	path := os.Getenv("SMX_RELIABILITY_REPORT")
	if path == "" {
		return
	}
	reportMu.Lock()
	defer reportMu.Unlock()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// steps records how long each command took.
type steps map[string]float64

func (s steps) add(name string, res cliResult) { s[name] += res.took.Seconds() }
