package e2e

import (
	"context"
	"fmt"
	"io/fs"
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
// below it: language host, plugin — as in a machine crash, when moto has
// answered the k-th CreateSecret (k seeded). Then the state keeps the
// creates in flight as pending operations, and the file backend keeps the
// dead CLI's lock: the recovery starts with `pulumi cancel`, which removes
// the lock and nothing else. `pulumi refresh --clear-pending-creates` drops
// the pending creates (without it, --non-interactive keeps them and every
// later `pulumi up` warns about them), and the next `pulumi up` creates
// those resources again, adopting the secrets the lost creates made.
func TestCrashRecovery(t *testing.T) {
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

	var mu sync.Mutex
	var killed []int
	killedAt := 0
	calls := map[string]int{}
	b.proxy.Set(faultproxy.Config{BeforeRespond: func(action string, seq int) {
		mu.Lock()
		calls[action]++
		hit := action == targetAction && calls[action] == k
		if hit {
			killedAt = seq
		}
		mu.Unlock()
		if !hit {
			return
		}
		time.Sleep(delay)
		pids := b.killProviders(withCLI)
		mu.Lock()
		killed = pids
		mu.Unlock()
	}})
	took := steps{}
	start := time.Now()

	crashed := b.up()
	took.add("up (killed)", crashed)
	mu.Lock()
	pids, seq := killed, killedAt
	mu.Unlock()
	if len(pids) == 0 {
		t.Fatalf("nothing was killed (%s #%d; the proxy saw %v):\n%s", targetAction, k, b.proxy.Counts(), crashed)
	}
	if crashed.err == nil {
		t.Fatalf("up succeeded although %s was killed:\n%s", killedWhat, crashed)
	}
	var repaired []string
	if withCLI {
		repaired = b.removeTruncatedBlobAttributes()
	}
	afterCrash := b.export()
	pending := len(afterCrash.Deployment.PendingOperations)
	inState := afterCrash.count("smx:secretsmanager:Secret") + afterCrash.count("smx:secretsmanager:SecretVersion")
	secretsOnlyInAWS, valuesOnlyInAWS := b.onlyInAWS(afterCrash)
	t.Logf("seed %d: killed %s (%d processes) %d ms after moto answered %s #%d (request #%d); the state then held %d of %d "+
		"resources and %d pending operations; AWS held %d secrets and %d values the state did not record",
		seed, killedWhat, len(pids), delay.Milliseconds(), targetAction, k, seq, inState, 2*n, pending, secretsOnlyInAWS, valuesOnlyInAWS)
	b.proxy.Set(faultproxy.Config{})

	// The documented recovery. A CLI that died holding the stack's lock
	// leaves the lock file behind in the file backend: `pulumi cancel`
	// removes it (it changes nothing else, and calls no provider).
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
			"truncatedBackendAttributeFilesRemoved": repaired,
		},
	})
}

// removeTruncatedBlobAttributes is the file backend's part of the recovery
// after the CLI died. The file backend (gocloud.dev's fileblob) writes each
// checkpoint to a temporary file and renames it into place, so the
// checkpoint itself is never torn; but first it rewrites the checkpoint's
// "<file>.attrs" sidecar in place (create, truncate, write). A CLI killed
// between the truncation and the write leaves that sidecar empty, and
// every later command fails "failed to load checkpoint: EOF" until it is
// deleted. The sidecar holds only a content type and a checksum, and
// fileblob reads a missing one as the defaults, so deleting an empty one
// loses nothing (RELIABILITY.md). A sidecar with content is left alone.
func (b *bigStack) removeTruncatedBlobAttributes() []string {
	b.r.t.Helper()
	var removed []string
	err := filepath.WalkDir(b.r.stateDir, func(path string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() || !strings.HasSuffix(path, ".attrs") {
			return err
		}
		info, err := entry.Info()
		if err != nil || info.Size() > 0 {
			return err
		}
		rel, _ := filepath.Rel(b.r.stateDir, path)
		b.r.t.Logf("the killed CLI left the file backend's %s empty: removing it, as RELIABILITY.md says", rel)
		removed = append(removed, rel)
		return os.Remove(path)
	})
	if err != nil {
		b.r.t.Fatalf("looking for truncated attribute files in the file backend: %v", err)
	}
	return removed
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
