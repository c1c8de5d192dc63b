package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// TestCrashRecovery kills the provider plugin (SIGKILL) in the middle of
// `pulumi up` of the reliability stack, once per seed, and then runs the
// documented recovery and nothing else — no AWS call by hand:
//
//	pulumi refresh --yes --clear-pending-creates
//	pulumi up --yes
//
// After it, the stack has converged: no orphaned secret (every secret with
// the stack's prefix is in the state), no lost value (each secret's
// AWSCURRENT holds the program's value), exactly one labeled version per
// secret, and a preview plans nothing.
//
// Where the kill lands: the seed picks one of the update's two writes
// (CreateSecret or PutSecretValue), which of its n calls (the k-th to reach
// moto), and a delay of 0–50 ms. When moto has answered that call, the
// proxy holds the answer back for the delay and then kills: that call's
// answer is always lost in the crash (moto acted, the provider never knew),
// and the calls in flight alongside it are caught at whatever point they
// had reached. Which resource the k-th call belongs to, and what runs
// alongside it, depend on scheduling; the kind of call lost does not.
//
// In the "provider" runs only the plugin dies. The engine sees it die,
// fails the operations that were waiting on it and records them as failed,
// not pending. So a secret whose CreateSecret answer was lost is in AWS but
// not in the state, and the next `pulumi up` creates it again: smx finds the
// name taken by a secret whose smx:owner tag names this very resource, and
// adopts it (see RELIABILITY.md).
//
// In the "cli" runs the whole `pulumi up` dies — the CLI and every process
// below it: language host, plugin — as in a machine crash, once moto has
// answered the k-th CreateSecret (k seeded). The kill lands at a point
// chosen so that the run cannot flake: from that answer on the proxy holds
// every answer back (moto has acted on each), so no operation can end, and
// the kill waits until the checkpoint on disk records as pending exactly
// the operations whose answers are held (see upKilledWhenQuiescent). The
// engine saves the checkpoint before each operation calls its provider and
// one save at a time, so then no save is under way: the crash never lands
// inside one by chance. What a crash inside a save leaves is made instead,
// every run: the checkpoint's .attrs sidecar truncated, as fileblob leaves
// it when killed between truncating and writing it (see
// truncateCheckpointSidecar); every command then fails "failed to load
// checkpoint: EOF", and the documented recovery must handle it.
//
// Then the state keeps the creates in flight as pending operations, and the
// file backend keeps the dead CLI's lock. The recovery deletes the empty
// sidecar (a find command), then `pulumi cancel` removes the lock and
// nothing else. `pulumi refresh --clear-pending-creates` drops the pending
// creates (without it, --non-interactive keeps them and every later
// `pulumi up` warns about them), and the next `pulumi up` creates those
// resources again, adopting the secrets the lost creates made.
func TestCrashRecovery(t *testing.T) {
	t.Parallel()
	if processInspection != "" {
		t.Skip(processInspection)
	}
	size := reliability(t)
	for seed := uint64(1); seed <= uint64(size.CrashSeeds); seed++ {
		t.Run(fmt.Sprintf("provider/seed=%d", seed), func(t *testing.T) { crashAndRecover(t, size, seed, false) })
	}
	for seed := uint64(1); seed <= uint64(size.CLICrashSeeds); seed++ {
		t.Run(fmt.Sprintf("cli/seed=%d", seed), func(t *testing.T) { crashAndRecover(t, size, seed, true) })
	}
}

func crashAndRecover(t *testing.T, size reliabilitySize, seed uint64, withCLI bool) {
	stack, killedWhat := fmt.Sprintf("crash%d", seed), "the provider plugin"
	if withCLI {
		stack, killedWhat = fmt.Sprintf("clicrash%d", seed), "pulumi up (CLI, language host and plugin)"
	}
	b := newBigStack(t, stack, size.Secrets)
	n := size.Secrets
	rng := rand.New(rand.NewPCG(seed, 0xc4a5_0000))
	// Where to crash: the answer to the k-th call of one of the update's
	// two writes, then a delay.
	targetAction := []string{"CreateSecret", "PutSecretValue"}[rng.IntN(2)]
	k := 1 + rng.IntN(n)
	delay := time.Duration(rng.IntN(51)) * time.Millisecond
	if withCLI {
		// The CLI runs aim at what pending creates are about: a lost
		// CreateSecret.
		targetAction = "CreateSecret"
	}

	took := steps{}
	start := time.Now()
	var crashed cliResult
	var kill crashPoint
	if withCLI {
		crashed, kill = b.upKilledWhenQuiescent(k)
	} else {
		crashed, kill = b.upWithProviderKilled(targetAction, k, delay)
	}
	took.add("up (killed)", crashed)
	pids, seq := kill.killed, kill.seq
	if len(pids) == 0 {
		t.Fatalf("nothing was killed (%s #%d; the proxy saw %v):\n%s", targetAction, k, b.proxy.Counts(), crashed)
	}
	if withCLI && !kill.cliKilled {
		t.Fatalf("the CLI was not killed, only %v: this would be a provider crash\n%s", pids, crashed)
	}
	if crashed.err == nil {
		t.Fatalf("up succeeded although %s was killed:\n%s", killedWhat, crashed)
	}
	var repaired []string
	if withCLI {
		// What the quiescent kill left: pending exactly the operations
		// whose answers were held, and a sidecar intact.
		if after := b.export(); len(after.Deployment.PendingOperations) != kill.held {
			t.Fatalf("after the CLI was killed with %d answers held, the state records %d pending operations",
				kill.held, len(after.Deployment.PendingOperations))
		}
		b.truncateCheckpointSidecar()
		if res := b.cli("stack", "export"); res.err == nil || !strings.Contains(res.output(), "failed to load checkpoint: EOF") {
			t.Fatalf("with the checkpoint's sidecar empty, pulumi stack export must fail \"failed to load checkpoint: EOF\", as after a crash inside a save:\n%s", res)
		}
		repaired = b.removeEmptyBlobAttributes()
		if len(repaired) != 1 {
			t.Fatalf("the documented find removed %v, want the one sidecar truncated", repaired)
		}
	}
	afterCrash := b.export()
	pending := len(afterCrash.Deployment.PendingOperations)
	inState := afterCrash.count("smx:secretsmanager:Secret") + afterCrash.count("smx:secretsmanager:SecretVersion")
	secretsOnlyInAWS, valuesOnlyInAWS := b.onlyInAWS(afterCrash)
	if withCLI {
		delay = kill.waited
	}
	t.Logf("seed %d: killed %s (%d processes) %d ms after moto answered %s #%d (request #%d); the state then held %d of %d "+
		"resources and %d pending operations; AWS held %d secrets and %d values the state did not record",
		seed, killedWhat, len(pids), delay.Milliseconds(), targetAction, k, seq, inState, 2*n, pending, secretsOnlyInAWS, valuesOnlyInAWS)
	b.proxy.Set(faultproxy.Config{})

	// The documented recovery. (After a CLI crash, its first step, the
	// empty sidecar's removal, ran above.) A CLI that died holding the
	// stack's lock leaves the lock file behind in the file backend: `pulumi
	// cancel` removes it (it changes nothing else, and calls no provider).
	if withCLI {
		took.add("cancel", b.mustCLI("cancel", "--yes", "--non-interactive"))
	}
	took.add("refresh", b.mustCLI("refresh", "--yes", "--non-interactive", "--clear-pending-creates", "--diff"))
	took.add("up (recovery)", b.mustUp())
	took.add("preview", b.previewNoChanges())
	converged, problems := b.checkConverged()
	b.r.assertNothingLeaked(b.project, b.stack)

	defer func() {
		if len(problems) > 0 {
			t.Fatalf("after the documented recovery, AWS and the state do not agree with the program (%+v):\n  %s",
				converged, strings.Join(problems, "\n  "))
		}
	}()
	report(t, scenarioReport{
		Problems: problems, Orphans: converged.Orphans,
		Scenario: "SIGKILL of " + killedWhat + " during up, then refresh + up", Size: size.Name, Secrets: n, Resources: 2 * n, Seed: seed,
		Faults: figuresOf(b.proxy), Steps: took, Converged: &converged, DurationSec: time.Since(start).Seconds(),
		ProviderStderrBytes: b.r.providerLogBytes(),
		Notes: map[string]any{
			"killedAtRequest": seq, "killedAfterAnswerTo": fmt.Sprintf("%s #%d", targetAction, k), "delayMs": delay.Milliseconds(), "processesKilled": len(pids),
			"resourcesInStateAfterCrash": inState, "pendingOperationsAfterCrash": pending,
			"secretsInAWSNotInStateAfterCrash": secretsOnlyInAWS, "valuesInAWSNotInStateAfterCrash": valuesOnlyInAWS,
			"truncatedBackendAttributeFilesRemoved": repaired, "answersHeldAtKill": kill.held,
		},
	})
}

// crashPoint is where a crash run's kill landed.
type crashPoint struct {
	killed    []int // the PIDs killed
	cliKilled bool  // the CLI among them, not the plugin alone
	seq       int   // the request whose answer was the trigger
	held      int   // CLI runs: answers held back when the kill landed
	waited    time.Duration
}

// upWithProviderKilled runs `pulumi up` and kills the provider plugin delay
// after moto has answered the k-th call of action, holding that answer.
func (b *bigStack) upWithProviderKilled(action string, k int, delay time.Duration) (cliResult, crashPoint) {
	b.r.t.Helper()
	var mu sync.Mutex
	var point crashPoint
	calls := map[string]int{}
	b.proxy.Set(faultproxy.Config{BeforeRespond: func(answered string, seq int) {
		mu.Lock()
		calls[answered]++
		hit := answered == action && calls[answered] == k
		if hit {
			point.seq = seq
		}
		mu.Unlock()
		if !hit {
			return
		}
		time.Sleep(delay)
		pids, _ := b.killProviders(false)
		mu.Lock()
		point.killed = pids
		mu.Unlock()
	}})
	crashed := b.up()
	mu.Lock()
	defer mu.Unlock()
	return crashed, point
}

// upKilledWhenQuiescent runs `pulumi up` and kills it (the CLI and every
// process below it) at a point where the file backend is not saving: once
// moto has answered the k-th CreateSecret, the proxy holds back that answer
// and every later one, so no operation can end; the kill waits until the
// checkpoint on disk records exactly the held operations as pending, and
// has stayed so for quiescence. The engine saves the checkpoint before an
// operation calls its provider, and one save at a time (pulumi v3.274.1,
// backend/snapshot.go: mutate waits for saveSnapshot), so each held answer's
// operation is already on disk. A save under way either removes an
// operation that ended (an answer let through before the hold), and until
// it lands the disk has one pending more than the answers held; or adds one
// that begins, and within milliseconds that operation's first call is held
// too and the count of answers held changes. With every answer held no
// operation ends, so none becomes ready to begin: once the counts have
// stayed equal for quiescence, nothing is saving, and nothing will.
func (b *bigStack) upKilledWhenQuiescent(k int) (cliResult, crashPoint) {
	b.r.t.Helper()
	const quiescence = 500 * time.Millisecond
	var mu sync.Mutex
	var point crashPoint
	creates, held := 0, 0
	gated := make(chan struct{})
	released := make(chan struct{})
	b.proxy.Set(faultproxy.Config{BeforeRespond: func(action string, seq int) {
		mu.Lock()
		if action == "CreateSecret" {
			creates++
			if creates == k {
				point.seq = seq
				close(gated)
			}
		}
		holding := creates >= k
		if holding {
			held++
		}
		mu.Unlock()
		if holding {
			<-released
		}
	}})
	var notSettled string // why the kill came at the deadline instead
	go func() {
		defer close(released)
		<-gated
		start := time.Now()
		stableSince, last := time.Time{}, -1
		// killNow kills while holding mu, so that the count of held
		// answers recorded is the one the kill saw.
		killNow := func() {
			mu.Lock()
			defer mu.Unlock()
			point.waited = time.Since(start)
			point.held = held
			point.killed, point.cliKilled = b.killProviders(true)
		}
		for {
			mu.Lock()
			heldNow := held
			mu.Unlock()
			pending, err := b.pendingOperationsOnDisk()
			switch {
			case err == nil && pending == heldNow && pending == last:
				if time.Since(stableSince) >= quiescence {
					killNow()
					return
				}
			case err == nil && pending == heldNow:
				stableSince, last = time.Now(), pending
			default:
				last = -1
			}
			if time.Since(start) > time.Minute {
				// Kill anyway, so that up ends; the test then fails.
				notSettled = fmt.Sprintf("the checkpoint never settled on the %d operations held (last read: %d pending, error %v)", heldNow, pending, err)
				killNow()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	crashed := b.up()
	<-released
	if notSettled != "" {
		b.r.t.Fatal(notSettled)
	}
	mu.Lock()
	defer mu.Unlock()
	return crashed, point
}

// checkpointPath is the stack's checkpoint in the file backend.
func (b *bigStack) checkpointPath() string {
	return filepath.Join(b.r.stateDir, ".pulumi", "stacks", bigStackProject, b.stack+".json")
}

// pendingOperationsOnDisk counts the pending operations of the checkpoint
// as the file backend holds it now. The backend renames each new
// checkpoint into place, so a read sees a whole one.
func (b *bigStack) pendingOperationsOnDisk() (int, error) {
	content, err := os.ReadFile(b.checkpointPath())
	if err != nil {
		return 0, err
	}
	var file struct {
		Checkpoint struct {
			Latest struct {
				PendingOperations []json.RawMessage `json:"pending_operations"`
			} `json:"latest"`
		} `json:"checkpoint"`
	}
	if err := json.Unmarshal(content, &file); err != nil {
		return 0, err
	}
	return len(file.Checkpoint.Latest.PendingOperations), nil
}

// truncateCheckpointSidecar leaves the stack's checkpoint as a CLI killed
// inside a save leaves it. The file backend (gocloud.dev's fileblob, as
// pulumi v3.274.1 builds it) writes a checkpoint to a temporary file and
// renames it into place, so the checkpoint itself is never torn; but before
// the rename it rewrites the "<checkpoint>.attrs" sidecar in place:
// setAttrs is os.Create (which truncates) then one JSON write. A kill
// between the two leaves the sidecar empty, and every later command fails
// "failed to load checkpoint: EOF" (getAttrs decodes the empty file). The
// kill cannot be aimed at that instant from outside, so the test makes the
// state it leaves.
func (b *bigStack) truncateCheckpointSidecar() {
	b.r.t.Helper()
	sidecar := b.checkpointPath() + ".attrs"
	if info, err := os.Stat(sidecar); err != nil || info.Size() == 0 {
		b.r.t.Fatalf("the checkpoint's sidecar %s should be whole after a kill outside any save (%v)", sidecar, err)
	}
	if err := os.Truncate(sidecar, 0); err != nil {
		b.r.t.Fatal(err)
	}
}

// removeEmptyBlobAttributes runs the file backend's step of the documented
// recovery after the CLI died (RELIABILITY.md), as a user runs it: a find
// that deletes every empty .attrs sidecar under the backend's .pulumi
// folder. A sidecar holds only a content type and a checksum, and fileblob
// reads a missing one as the defaults, so deleting an empty one loses
// nothing; one with content is left alone. It returns what find deleted.
func (b *bigStack) removeEmptyBlobAttributes() []string {
	b.r.t.Helper()
	res := b.r.runCommand(runOptions{dir: b.r.stateDir}, "find", ".pulumi", "-type", "f", "-name", "*.attrs", "-empty", "-print", "-delete")
	return strings.Fields(res.stdout)
}

// onlyInAWS counts what the crash left in AWS without the state knowing:
// secrets with the stack's prefix that no Secret in state records, and
// secrets holding a value that no SecretVersion in state records.
func (b *bigStack) onlyInAWS(state exportedState) (secrets, values int) {
	b.r.t.Helper()
	ctx := context.Background()
	secretInState, versionInState := map[string]bool{}, map[string]bool{}
	for _, res := range state.Deployment.Resources {
		arn, _ := res.Outputs["arn"].(string)
		switch res.Type {
		case "smx:secretsmanager:Secret":
			secretInState[arn] = true
		case "smx:secretsmanager:SecretVersion":
			versionInState[arn] = true
		}
	}
	paginator := sm.NewListSecretsPaginator(b.r.client, &sm.ListSecretsInput{})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(ctx)
		if err != nil {
			b.r.t.Fatalf("listing moto's secrets: %v", err)
		}
		for _, s := range page.SecretList {
			arn := aws.ToString(s.ARN)
			if !strings.HasPrefix(aws.ToString(s.Name), b.prefix+"/") {
				continue
			}
			if !secretInState[arn] {
				secrets++
			}
			if len(s.SecretVersionsToStages) > 0 && !versionInState[arn] {
				values++
			}
		}
	}
	return secrets, values
}
