package e2e

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// The fault scenarios: the reliability stack (bigstack_test.go) deployed
// with the real `pulumi up` against moto through the fault proxy. Each one
// ends with verifyConverged (AWS and the state agree with the program: no
// orphan, no duplicate, one labeled version holding the program's value per
// secret) and assertNothingLeaked.

// Throttling on 30% of all calls and a 5xx answer on 5% of them: one
// `pulumi up` converges (the SDK's retries absorb the faults), then a
// preview plans no change and makes no call, and a refresh finds no drift —
// all with the faults still on.
func TestFaultThrottlingAndServerErrors(t *testing.T) {
	t.Parallel()
	size := reliability(t)
	b := newBigStack(t, "throttling", size.Secrets)
	const seed = 1
	// The proxy tries throttling first, then a server error on what is left:
	// 0.05/0.70 of the 70% not throttled is 5% of all calls. At 35% a call
	// fails all 11 of its attempts (maxRetries 10) once in about 100,000
	// calls — as it would against AWS — so that this test never fails by
	// that chance, no call gets more than 8 faults in a row; that many
	// comes once in about 4,000 calls, so the cap rarely acts at all.
	b.proxy.Set(faultproxy.Config{Seed: seed, ThrottleRate: 0.30, ServerErrorRate: 0.05 / 0.70, MaxFaultsPerCall: 8})
	took := steps{}
	start := time.Now()

	took.add("up", b.mustUp())
	took.add("preview", b.previewNoChanges())
	took.add("refresh", b.mustCLI("refresh", "--yes", "--non-interactive", "--expect-no-changes", "--diff"))
	converged := b.verifyConverged()
	b.r.assertNothingLeaked(b.project, b.stack)

	figures := figuresOf(b.proxy)
	if figures.Throttled == 0 || figures.ServerErrors == 0 {
		t.Fatalf("the proxy injected %d throttles and %d server errors: the scenario tested nothing", figures.Throttled, figures.ServerErrors)
	}
	report(t, scenarioReport{
		Scenario: "30% throttling + 5% 5xx", Size: size.Name, Secrets: size.Secrets, Resources: 2 * size.Secrets, Seed: seed,
		Faults: figures, Steps: took, Converged: &converged, DurationSec: time.Since(start).Seconds(),
		ProviderStderrBytes: b.r.providerLogBytes(),
		Notes:               map[string]any{"attemptsPerCall": attemptsOf(b.proxy, "CreateSecret", "PutSecretValue", "DescribeSecret", "GetSecretValue")},
	})
}

// 3% of the answers lost after moto has acted on the request, plus the
// first answer of CreateSecret and of PutSecretValue (so that even the quick
// size loses both kinds): `pulumi up` converges with no duplicate secret,
// no extra version and no orphan. A lost CreateSecret is retried by the SDK,
// finds the name taken, and adopts the secret by its owner tag; a lost
// PutSecretValue is retried with the same ClientRequestToken, which AWS
// answers with the version already made.
func TestFaultDroppedResponses(t *testing.T) {
	t.Parallel()
	size := reliability(t)
	b := newBigStack(t, "dropped", size.Secrets)
	const seed = 2
	b.proxy.Set(faultproxy.Config{
		Seed: seed, DropResponseRate: 0.03,
		DropFirst: map[string]int{"CreateSecret": 1, "PutSecretValue": 1},
	})
	took := steps{}
	start := time.Now()

	up := b.mustUp()
	took.add("up", up)
	took.add("preview", b.previewNoChanges())
	converged := b.verifyConverged()
	b.r.assertNothingLeaked(b.project, b.stack)

	for _, action := range []string{"CreateSecret", "PutSecretValue"} {
		if c := b.proxy.Count(action); c.DroppedResponses == 0 {
			t.Fatalf("no answer of %s was dropped (%+v): the scenario tested nothing", action, c)
		}
	}
	adopted := strings.Count(up.output(), "adopting it")
	if adopted == 0 {
		t.Fatalf("a CreateSecret answer was lost, but up never adopted the secret it made:\n%s", up)
	}
	dropped := map[string]int{}
	for action, c := range b.proxy.Counts() {
		if c.DroppedResponses > 0 {
			dropped[action] = c.DroppedResponses
		}
	}
	report(t, scenarioReport{
		Scenario: "3% of answers dropped after forwarding", Size: size.Name, Secrets: size.Secrets, Resources: 2 * size.Secrets, Seed: seed,
		Faults: figuresOf(b.proxy), Steps: took, Converged: &converged, DurationSec: time.Since(start).Seconds(),
		ProviderStderrBytes: b.r.providerLogBytes(),
		Notes:               map[string]any{"droppedPerAction": dropped, "adoptionMessages": adopted},
	})
}

// 200 ms of latency on every call: `pulumi up` completes, and the provider
// keeps the engine's parallel resource operations parallel — the proxy sees
// more than one call in flight at once (with Pulumi's default parallelism,
// 8 on these machines, up to 8).
func TestFaultLatency(t *testing.T) {
	t.Parallel()
	size := reliability(t)
	b := newBigStack(t, "latency", size.Secrets)
	const latency = 200 * time.Millisecond
	b.proxy.Set(faultproxy.Config{Latency: latency})
	took := steps{}
	start := time.Now()

	up := b.mustUp()
	took.add("up", up)
	calls := b.proxy.Total().Received
	inFlight := b.proxy.MaxInFlight()
	if inFlight <= 1 {
		t.Fatalf("at most %d Secrets Manager call in flight during up: the provider serialises its calls", inFlight)
	}
	took.add("preview", b.previewNoChanges())
	converged := b.verifyConverged()
	b.r.assertNothingLeaked(b.project, b.stack)

	serial := time.Duration(calls) * latency
	t.Logf("up: %d calls of 200 ms, at most %d in flight; up took %.1fs, the calls alone would take %.1fs one after another",
		calls, inFlight, up.took.Seconds(), serial.Seconds())
	report(t, scenarioReport{
		Scenario: "200 ms latency per call", Size: size.Name, Secrets: size.Secrets, Resources: 2 * size.Secrets,
		Faults: figuresOf(b.proxy), Steps: took, Converged: &converged, DurationSec: time.Since(start).Seconds(),
		ProviderStderrBytes: b.r.providerLogBytes(),
		Notes:               map[string]any{"callsDuringUp": calls, "maxInFlight": inFlight, "serialSeconds": serial.Seconds()},
	})
}

// Every call throttled from a point in the middle of `pulumi up` on: with
// smx:maxRetries 2 the up fails, within the documented bound, with an
// error that names the throttling; each throttled call was tried exactly
// maxRetries+1 times. Once the throttling stops, the next `pulumi up`
// converges — the secrets created before the outage included.
func TestFaultThrottlingOutage(t *testing.T) {
	t.Parallel()
	size := reliability(t)
	b := newBigStack(t, "outage", size.Secrets)
	const seed, maxRetries = 4, 2
	b.mustCLI("config", "set", "smx:maxRetries", fmt.Sprint(maxRetries))
	// The outage starts when moto has created the k-th secret, k seeded.
	k := 1 + rand.New(rand.NewPCG(seed, 0)).IntN(size.Secrets/2)
	var mu sync.Mutex
	var outageStart time.Time
	b.proxy.Set(faultproxy.Config{Seed: seed, BeforeRespond: func(action string, _ int) {
		if action != "CreateSecret" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if outageStart.IsZero() && b.proxy.Count("CreateSecret").Forwarded >= k {
			outageStart = time.Now()
			b.proxy.Set(faultproxy.Config{Seed: seed, ThrottleRate: 1})
		}
	}})
	took := steps{}
	start := time.Now()

	failed := b.up()
	took.add("up (outage)", failed)
	if failed.err == nil {
		t.Fatalf("up succeeded while every call was throttled:\n%s", failed)
	}
	mu.Lock()
	outage := outageStart
	mu.Unlock()
	if outage.IsZero() {
		t.Fatalf("the outage never started (CreateSecret #%d):\n%s", k, failed)
	}
	// README: each call is retried up to maxRetries times, at most 20 s
	// apart. An operation that had started when the outage began gives up
	// within that bound; the engine starts no new one after the first
	// failure, and one that started just before it gives up within the bound
	// again. Plus 30 s for the CLI to start and stop plugins.
	callBound := time.Duration(maxRetries) * 20 * time.Second
	bound := 2*callBound + 30*time.Second
	failedAfter := start.Add(failed.took).Sub(outage)
	if failedAfter > bound {
		t.Fatalf("up failed %.1fs after the outage began, beyond the bound %v (maxRetries %d, backoff at most 20 s)",
			failedAfter.Seconds(), bound, maxRetries)
	}
	for _, want := range []string{"ThrottlingException", "Rate exceeded", fmt.Sprintf("exceeded maximum number of attempts, %d", maxRetries+1)} {
		if !strings.Contains(failed.errors(), want) {
			t.Fatalf("up's error does not say %q:\n%s", want, failed)
		}
	}
	if !strings.Contains(failed.errors(), b.prefix+"/secret-") {
		t.Fatalf("up's error does not name the secret it failed on:\n%s", failed)
	}
	// Each call either worked at once (before the outage) or was throttled
	// on every one of its maxRetries+1 attempts: never more.
	attempts := attemptsOf(b.proxy, "CreateSecret", "PutSecretValue")
	throttledCalls := 0
	for action, histogram := range attempts {
		for n, calls := range histogram {
			switch n {
			case 1:
			case maxRetries + 1:
				throttledCalls += calls
			default:
				t.Fatalf("%d %s calls made %d attempts; want 1, or %d when throttled (maxRetries %d): %v",
					calls, action, n, maxRetries+1, maxRetries, attempts)
			}
		}
	}
	if throttledCalls == 0 {
		t.Fatalf("no call was throttled to the end: %v", attempts)
	}
	created := b.export().count("smx:secretsmanager:Secret")
	outageFigures := figuresOf(b.proxy)

	// The outage ends.
	b.proxy.Set(faultproxy.Config{})
	took.add("up (recovery)", b.mustUp())
	took.add("preview", b.previewNoChanges())
	converged := b.verifyConverged()
	b.r.assertNothingLeaked(b.project, b.stack)

	report(t, scenarioReport{
		Scenario: "100% throttling from mid-up, then recovery", Size: size.Name, Secrets: size.Secrets, Resources: 2 * size.Secrets, Seed: seed,
		Faults: outageFigures, Steps: took, Converged: &converged, DurationSec: time.Since(start).Seconds(),
		ProviderStderrBytes: b.r.providerLogBytes(),
		Notes: map[string]any{
			"maxRetries": maxRetries, "outageAfterCreateSecret": k, "secretsInStateAfterOutage": created,
			"failedSecondsAfterOutageStart": failedAfter.Seconds(), "boundSeconds": bound.Seconds(),
			"callsThrottledToTheEnd": throttledCalls, "attemptsPerCall": attempts,
		},
	})
}

// attemptsOf is the proxy's attempts-per-call histogram of some actions,
// leaving out those it never saw.
func attemptsOf(p *faultproxy.Proxy, actions ...string) map[string]map[int]int {
	out := map[string]map[int]int{}
	for _, action := range actions {
		if h := p.AttemptsPerCall(action); len(h) > 0 {
			out[action] = h
		}
	}
	return out
}
