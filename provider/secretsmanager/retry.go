package secretsmanager

import (
	"context"
	"errors"
	"time"
)

// The one home of waiting: how long smx waits for AWS (Timing), and the one
// bounded backoff every wait uses — for a change to propagate, for a name a
// deletion still holds, for a rotation in progress to finish. Throttling is
// not retried here: the SDK's retryer does that for every call (see
// provider/config).

// Timing is how long smx waits for AWS. The provider uses DefaultTiming;
// tests hand in shorter waits (provider.WithTiming), so that no test has to
// change a package variable and every test can run in parallel.
type Timing struct {
	// PropagationWindow bounds how long a write is retried while AWS does
	// not yet see a secret or an IAM principal created a moment ago, as
	// Terraform does.
	PropagationWindow time.Duration
	// RotationWait bounds how long RotateSecret waits for a rotation already
	// in progress to finish.
	RotationWait time.Duration
	// RotationPoll is the first pause between looks at a rotation in
	// progress, or between tries of a rotation function whose permission was
	// just granted; pauses double up to MaxRotationPoll.
	RotationPoll    time.Duration
	MaxRotationPoll time.Duration
	// ReadBatchWindow is how long the first refresh of a value waits for
	// others to join its BatchGetSecretValue (batch_reads.go).
	ReadBatchWindow time.Duration
}

// DefaultTiming is the waiting the provider does against AWS.
func DefaultTiming() Timing {
	return Timing{
		PropagationWindow: 2 * time.Minute,
		RotationWait:      2 * time.Minute,
		RotationPoll:      time.Second,
		MaxRotationPoll:   15 * time.Second,
		// The engine keeps --parallel reads in flight, about half of them
		// SecretVersions; 15 ms lets the reads that the finishing Secret
		// reads make room for join the batch (5 ms gathered about 4 per
		// batch at --parallel 8, 15 ms about 6: tests/bench). A lone read
		// pays it once.
		ReadBatchWindow: 15 * time.Millisecond,
	}
}

// propagationBackoff paces the retries of a write that AWS rejects only
// because a change has not propagated yet.
func (t Timing) propagationBackoff() *backoff {
	return newBackoff(t.PropagationWindow, 500*time.Millisecond, 10*time.Second)
}

// retryWhilePropagating calls write until it succeeds, fails for a reason
// other than propagation delay, or the propagation window has passed.
func (t Timing) retryWhilePropagating(ctx context.Context, write func() error) error {
	return retryWhile(ctx, t.propagationBackoff(), isPropagationDelay, write)
}

// backoff paces the attempts of one operation within a window: pauses
// double from the first up to a maximum, and the last pause ends when the
// window does, so an operation is tried for the whole window and no longer.
type backoff struct {
	deadline time.Time
	delay    time.Duration
	maxDelay time.Duration
}

func newBackoff(window, first, maxDelay time.Duration) *backoff {
	return &backoff{deadline: time.Now().Add(window), delay: first, maxDelay: maxDelay}
}

// pause waits before the next attempt. It returns false at once when the
// window has closed, and ctx's error when ctx ends during the pause.
func (b *backoff) pause(ctx context.Context) (bool, error) {
	remaining := time.Until(b.deadline)
	if remaining <= 0 {
		return false, nil
	}
	timer := time.NewTimer(min(b.delay, remaining))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case <-timer.C:
	}
	b.delay = min(b.delay*2, b.maxDelay)
	return true, nil
}

// retryWhile calls write until it succeeds, fails with an error retryable
// does not accept, or b's window has closed; it returns write's last error.
func retryWhile(ctx context.Context, b *backoff, retryable func(error) bool, write func() error) error {
	for {
		err := write()
		if err == nil || !retryable(err) {
			return err
		}
		more, waitErr := b.pause(ctx)
		if waitErr != nil {
			return errors.Join(err, waitErr)
		}
		if !more {
			return err
		}
	}
}
