// Package bench is smx's large-stack benchmark (`make bench`; figures in
// BENCHMARKS.md): n Secret+SecretVersion pairs deployed with the real
// Pulumi CLI against moto, phase by phase, beside a raw aws-sdk-go-v2
// program doing the same work through the same proxy in the same run, and
// under an emulation of AWS's request quotas. It measures; it asserts
// nothing about speed. A phase that fails fails the benchmark.
package bench

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
	"github.com/smxlabs/pulumi-smx/internal/moto"
	"github.com/smxlabs/pulumi-smx/provider/pacing"
)

// scenario is one configuration the stack is run under.
type scenario struct {
	Name        string        `json:"name"`
	Latency     time.Duration `json:"latencyNs"`
	Checkpoints bool          `json:"checkpoints"`
	// Quotas emulates AWS's request quotas at the proxy (one account).
	Quotas bool `json:"quotas"`
	// Parallel is --parallel; 0 is the engine's default.
	Parallel int `json:"parallel"`
	// Stacks deploy at once, each its own `pulumi` and provider, through
	// the one emulated account.
	Stacks int `json:"stacks"`
}

var scenarios = []scenario{
	{Name: "checkpoints-on", Checkpoints: true, Stacks: 1},
	{Name: "checkpoints-off", Stacks: 1},
	{Name: "checkpoints-off-30ms", Latency: 30 * time.Millisecond, Stacks: 1},
	{Name: "quotas-p32", Quotas: true, Parallel: 32, Stacks: 1},
	// The engine queues every Secret ahead of every SecretVersion, and a call
	// pacing holds keeps one of the engine's slots: more slots let the
	// SecretVersions' calls queue behind the Secrets' in time. Safe with smx,
	// which paces itself, as it is not with a provider that does not.
	{Name: "quotas-p256", Quotas: true, Parallel: 256, Stacks: 1},
	{Name: "quotas-p32-4-stacks", Quotas: true, Parallel: 32, Stacks: 4},
}

// phaseFigures is what one phase cost.
type phaseFigures struct {
	Phase     string  `json:"phase"`
	Seconds   float64 `json:"seconds"`
	Calls     int     `json:"calls"`
	Throttled int     `json:"throttled"`
	// Failed counts `pulumi` commands of the phase that failed (several
	// stacks at once).
	Failed int `json:"failed"`
	// The raw floor of the same phase, unpaced and paced to AWS's quotas,
	// when run.
	RawSeconds       float64 `json:"rawSeconds,omitempty"`
	RawCalls         int     `json:"rawCalls,omitempty"`
	RawPacedSeconds  float64 `json:"rawPacedSeconds,omitempty"`
	RawPacedCalls    int     `json:"rawPacedCalls,omitempty"`
	RawPacedThrottle int     `json:"rawPacedThrottled,omitempty"`
	// QuotaFloorSeconds is the busiest quota group's answered calls ÷ its
	// rate: no client can do the phase faster within AWS's quotas.
	QuotaFloorSeconds float64 `json:"quotaFloorSeconds"`
	BusiestGroup      string  `json:"busiestGroup,omitempty"`
}

type scenarioFigures struct {
	scenario
	Pairs  int            `json:"pairs"`
	Phases []phaseFigures `json:"phases"`
	// StateBytesPerResource is the checkpoint's size after up ÷ resources.
	StateBytesPerResource int     `json:"stateBytesPerResource,omitempty"`
	ProviderPeakRSSMB     float64 `json:"providerPeakRssMb"`
	// The highest RssAnon (heap, stacks) and RssFile (the binary's mapped
	// pages) sampled, each on its own: what the peak is made of.
	ProviderPeakRSSAnonMB float64 `json:"providerPeakRssAnonMb"`
	ProviderPeakRSSFileMB float64 `json:"providerPeakRssFileMb"`
}

type report struct {
	Date                   string            `json:"date"`
	Provider               string            `json:"provider"`
	Pairs                  int               `json:"pairs"`
	DefaultParallel        int               `json:"defaultParallel"`
	StartupToFirstAnswerMs float64           `json:"startupToFirstAnswerMs"`
	BinaryMB               float64           `json:"binaryMb"`
	Scenarios              []scenarioFigures `json:"scenarios"`
	TotalSeconds           float64           `json:"totalSeconds"`
}

// BenchmarkLargeStack runs every scenario once (run it with -benchtime 1x)
// and writes the report to .work/bench/report.md and report.json
// (SMX_BENCH_OUT names another folder).
//
//	SMX_BENCH_PAIRS      pairs per stack (500)
//	SMX_BENCH_SCENARIOS  comma-separated scenario names (all)
//	SMX_BENCH_PROVIDER   the provider binary to run (bin/pulumi-resource-smx)
//	SMX_BENCH_ENV        KEY=VALUE,... added to the CLI's and plugins' environment
func BenchmarkLargeStack(b *testing.B) {
	pairs := 500
	if v := os.Getenv("SMX_BENCH_PAIRS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("SMX_BENCH_PAIRS=%q: want a positive number", v)
		}
		pairs = n
	}
	selected := scenarios
	if v := os.Getenv("SMX_BENCH_SCENARIOS"); v != "" {
		selected = nil
		for name := range strings.SplitSeq(v, ",") {
			i := slices.IndexFunc(scenarios, func(s scenario) bool { return s.Name == name })
			if i < 0 {
				b.Fatalf("SMX_BENCH_SCENARIOS: no scenario %q", name)
			}
			selected = append(selected, scenarios[i])
		}
	}
	for b.Loop() {
		start := time.Now()
		rep := report{Date: time.Now().UTC().Format(time.DateOnly), Provider: providerBinary, Pairs: pairs, DefaultParallel: defaultParallel()}
		rep.StartupToFirstAnswerMs = float64(startupToFirstAnswer(b, 7).Microseconds()) / 1000
		if info, err := os.Stat(providerBinary); err == nil {
			rep.BinaryMB = float64(info.Size()) / (1 << 20)
		}
		server := moto.Start(b)
		for _, sc := range selected {
			b.Logf("scenario %s: %d pairs × %d stacks", sc.Name, pairs, sc.Stacks)
			figures := runScenario(b, server, sc, pairs)
			rep.Scenarios = append(rep.Scenarios, figures)
			// Each scenario starts from an empty account.
			if err := server.Reset(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
		rep.TotalSeconds = time.Since(start).Seconds()
		writeReport(b, rep)
	}
}

func runScenario(b *testing.B, server *moto.Server, sc scenario, pairs int) scenarioFigures {
	b.Helper()
	proxy := faultproxy.Start(b, server.Endpoint)
	cfg := faultproxy.Config{Latency: sc.Latency}
	if sc.Quotas {
		cfg.QuotaScale = 1
	}
	proxy.Set(cfg)
	w := newWorkspace(b, server.Env(), proxy, pairs)
	run := fmt.Sprintf("%s-%06d", sc.Name, rand.IntN(1_000_000))
	var stacks []string
	for k := range sc.Stacks {
		stack := fmt.Sprintf("s%d", k+1)
		w.newStack(stack, fmt.Sprintf("bench/%s/%s", run, stack))
		stacks = append(stacks, stack)
	}
	var env []string
	if !sc.Checkpoints {
		env = append(env, "PULUMI_SKIP_CHECKPOINTS=true")
	}
	parallel := sc.Parallel
	if parallel == 0 {
		parallel = defaultParallel()
	}
	withParallel := func(args ...string) []string {
		if sc.Parallel > 0 {
			args = append(args, "--parallel", strconv.Itoa(sc.Parallel))
		}
		return args
	}
	// Raw floors run beside a single stack: unpaced where moto is the only
	// limit, paced always.
	var floor, pacedFloor *rawFloor
	if sc.Stacks == 1 {
		if !sc.Quotas {
			floor = newRawFloor(proxy.URL, "bench/"+run+"/raw", pairs, parallel, false)
		}
		pacedFloor = newRawFloor(proxy.URL, "bench/"+run+"/raw-paced", pairs, parallel, true)
	}
	sampler := startRSSSampler(filepath.Join(w.dir, "home"))
	figures := scenarioFigures{scenario: sc, Pairs: pairs}

	phase := func(name string, args []string, raw func(*rawFloor, *testing.B) time.Duration) {
		proxy.ResetCounts()
		took, failed := w.onEveryStack(stacks, env, args)
		p := phaseFigures{Phase: name, Seconds: took.Seconds(), Failed: failed}
		p.Calls, p.Throttled = totals(proxy)
		p.QuotaFloorSeconds, p.BusiestGroup = quotaFloor(proxy)
		if floor != nil && raw != nil {
			proxy.ResetCounts()
			p.RawSeconds = raw(floor, b).Seconds()
			p.RawCalls, _ = totals(proxy)
		}
		if pacedFloor != nil && raw != nil {
			proxy.ResetCounts()
			p.RawPacedSeconds = raw(pacedFloor, b).Seconds()
			p.RawPacedCalls, p.RawPacedThrottle = totals(proxy)
		}
		b.Logf("  %-8s %7.2f s  %5d calls  %4d throttled  %d failed  raw %.2f s %d calls  raw paced %.2f s %d calls  quota floor %.2f s (%s)",
			name, p.Seconds, p.Calls, p.Throttled, p.Failed, p.RawSeconds, p.RawCalls, p.RawPacedSeconds, p.RawPacedCalls, p.QuotaFloorSeconds, p.BusiestGroup)
		figures.Phases = append(figures.Phases, p)
	}
	phase("up", withParallel("up", "--yes", "--skip-preview", "--non-interactive"), (*rawFloor).up)
	if info, err := os.Stat(w.statePath(stacks[0])); err == nil {
		figures.StateBytesPerResource = int(info.Size()) / (2 * pairs)
	}
	phase("preview", withParallel("preview", "--expect-no-changes", "--non-interactive"), nil)
	phase("refresh", withParallel("refresh", "--yes", "--skip-preview", "--non-interactive"), (*rawFloor).refresh)
	phase("destroy", withParallel("destroy", "--yes", "--skip-preview", "--non-interactive"), (*rawFloor).destroy)
	figures.ProviderPeakRSSMB, figures.ProviderPeakRSSAnonMB, figures.ProviderPeakRSSFileMB = sampler.peaksMB()
	return figures
}

// onEveryStack runs the command on every stack at once and returns the
// wall time and how many of them failed. A single stack that fails fails
// the benchmark; with several, failures are what is measured.
func (w *workspace) onEveryStack(stacks, env, args []string) (time.Duration, int) {
	w.b.Helper()
	if len(stacks) == 1 {
		return w.pulumi(env, append(args, "--stack", stacks[0])...), 0
	}
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for _, stack := range stacks {
		wg.Go(func() {
			if _, err := w.tryPulumi(env, append(slices.Clone(args), "--stack", stack)...); err != nil {
				w.b.Logf("stack %s: %v", stack, err)
				mu.Lock()
				failed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return time.Since(start), failed
}

func totals(p *faultproxy.Proxy) (calls, throttled int) {
	for _, c := range p.Counts() {
		calls += c.Received
		throttled += c.Throttled
	}
	return calls, throttled
}

// quotaFloor is the least time AWS's quotas allow for the calls the proxy
// answered: per quota group, its calls ÷ its rate; the busiest group wins.
func quotaFloor(p *faultproxy.Proxy) (float64, string) {
	perGroup := map[pacing.Group]int{}
	for action, c := range p.Counts() {
		if g, ok := pacing.GroupOf(action); ok {
			perGroup[g] += c.Forwarded
		}
	}
	best, busiest := 0.0, ""
	for g, n := range perGroup {
		if s := float64(n) / pacing.QuotaPerSecond(g); s > best {
			best, busiest = s, string(g)
		}
	}
	return best, busiest
}

func writeReport(b *testing.B, rep report) {
	b.Helper()
	dir := cmp.Or(os.Getenv("SMX_BENCH_OUT"), filepath.Join(repoRoot, ".work", "bench"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		b.Fatal(err)
	}
	md := markdown(rep)
	for name, content := range map[string][]byte{"report.json": js, "report.md": []byte(md)} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	fmt.Println(md)
	fmt.Printf("written to %s\n", filepath.Join(dir, "report.md"))
}

func markdown(rep report) string {
	var m strings.Builder
	fmt.Fprintf(&m, "%s · %d Secret+SecretVersion pairs · YAML, real CLI, moto on loopback · engine default --parallel %d · %.0f s in all\n\n",
		rep.Date, rep.Pairs, rep.DefaultParallel, rep.TotalSeconds)
	fmt.Fprintf(&m, "Provider %s: start-up to first answer %.0f ms (median of 7), binary %.1f MB.\n\n", rep.Provider, rep.StartupToFirstAnswerMs, rep.BinaryMB)
	for _, sc := range rep.Scenarios {
		fmt.Fprintf(&m, "**%s** — checkpoints %s, latency %v, quotas %s, --parallel %s, %d stack(s); provider peak RSS %.0f MB (RssAnon peak %.0f MB, RssFile peak %.0f MB)",
			sc.Name, onOff(sc.Checkpoints), sc.Latency, onOff(sc.Quotas), parallelText(sc.Parallel, rep.DefaultParallel), sc.Stacks,
			sc.ProviderPeakRSSMB, sc.ProviderPeakRSSAnonMB, sc.ProviderPeakRSSFileMB)
		if sc.StateBytesPerResource > 0 {
			fmt.Fprintf(&m, ", state %d bytes per resource", sc.StateBytesPerResource)
		}
		m.WriteString("\n\n| phase | smx s | calls | throttled | failed | raw s (calls) | smx ÷ raw | raw paced s (calls, throttled) | smx ÷ raw paced | quota floor s | smx ÷ quota floor |\n")
		m.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
		for _, p := range sc.Phases {
			raw, ratio := "–", "–"
			if p.RawSeconds > 0 {
				raw, ratio = fmt.Sprintf("%.2f (%d)", p.RawSeconds, p.RawCalls), fmt.Sprintf("%.2f×", p.Seconds/p.RawSeconds)
			}
			paced, pacedRatio := "–", "–"
			if p.RawPacedSeconds > 0 {
				paced = fmt.Sprintf("%.2f (%d, %d)", p.RawPacedSeconds, p.RawPacedCalls, p.RawPacedThrottle)
				pacedRatio = fmt.Sprintf("%.2f×", p.Seconds/p.RawPacedSeconds)
			}
			// Against moto alone the quotas bind nothing: the quota ratio
			// means something only where they are emulated.
			quotaRatio := "–"
			if sc.Quotas && p.QuotaFloorSeconds > 0.5 {
				quotaRatio = fmt.Sprintf("%.2f×", p.Seconds/p.QuotaFloorSeconds)
			}
			fmt.Fprintf(&m, "| %s | %.2f | %d | %d | %d | %s | %s | %s | %s | %.2f (%s) | %s |\n",
				p.Phase, p.Seconds, p.Calls, p.Throttled, p.Failed, raw, ratio, paced, pacedRatio, p.QuotaFloorSeconds, shortGroup(p.BusiestGroup), quotaRatio)
		}
		m.WriteString("\n")
	}
	return m.String()
}

// shortGroup names a quota group by its first operation.
func shortGroup(g string) string {
	if first, _, more := strings.Cut(g, "+"); more {
		return first + "+…"
	}
	return g
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

func parallelText(parallel, def int) string {
	if parallel == 0 {
		return fmt.Sprintf("default (%d)", def)
	}
	return strconv.Itoa(parallel)
}
