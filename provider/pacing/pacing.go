// Package pacing keeps smx's Secrets Manager calls within AWS's request
// quotas, which are per account and region and shared with everything else
// in the account (quotas.go).
//
// A Limiter holds one token bucket per region and quota group, shared by
// every client, resource and function of the provider process. Each bucket
// starts at the quota (times the configured share) and adapts: a throttled
// answer halves its rate, and answers that are not throttled raise it back
// linearly, to the quota in about ten seconds. So one stack on its own never
// runs into a quota it could have stayed under, and several stacks deploying
// at once in one account — each with its own limiter, none knowing of the
// others — back off until together they fit, as TCP's senders share a link.
//
// Pacing sits inside the SDK's retry loop: every attempt, retries included,
// waits for its group's token. Throttled calls are still retried by the SDK
// (provider/config); pacing only makes them rare.
package pacing

import (
	"context"
	"math"
	"sync"
	"time"
)

// Burst is how many seconds of a bucket's rate may go out at once after a
// quiet spell. AWS allows short bursts above a quota's rate; smx keeps its
// own bursts a tenth of a second's worth, so that the calls of a bucket
// arriving bunched (network jitter) still fit AWS's bucket.
const Burst = 100 * time.Millisecond

// floorShare is the lowest a throttled bucket goes, as a share of its
// ceiling: slow enough to leave room to others, never a stop.
const floorShare = 0.01

// recoveryPerSecond is how fast a cut bucket's rate climbs back, as a share
// of its ceiling per second of calls that are not throttled.
const recoveryPerSecond = 0.1

// Key names one bucket: a quota group in a region.
type Key struct {
	Region string
	Group  Group
}

// Clock is the time a Limiter paces by; tests pass a fake one.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or until ctx ends (returning its error).
	Sleep(ctx context.Context, d time.Duration) error
}

// Limiter paces calls per region and quota group.
type Limiter struct {
	share float64
	clock Clock

	mu      sync.Mutex
	buckets map[Key]*bucket
}

// NewLimiter paces at share (0 < share ≤ 1) of each of AWS's quotas, by the
// wall clock.
func NewLimiter(share float64) *Limiter {
	return NewLimiterWithClock(share, wallClock{})
}

// NewLimiterWithClock is NewLimiter with a clock of the caller's.
func NewLimiterWithClock(share float64, clock Clock) *Limiter {
	return &Limiter{share: share, clock: clock, buckets: map[Key]*bucket{}}
}

// Wait blocks until a call of operation in region may go out, and returns
// the time it was let through (for Observe), or ctx's error.
//
// A waiter re-reads its bucket at least every recheck: its turn is a place
// in the bucket's queue, not a time, so a cut makes it wait longer and a
// recovery shorter. (A sleep fixed when the call queued would keep a
// queue built at a cut rate slow long after the rate has climbed back.)
func (l *Limiter) Wait(ctx context.Context, region, operation string) (time.Time, error) {
	b := l.bucketFor(region, operation)
	queuedAt := l.clock.Now()
	turn, ready := b.reserve(queuedAt)
	notice := noticeIn(ctx)
	for !ready {
		now := l.clock.Now()
		delay := b.untilTurn(turn, now)
		if delay <= 0 {
			break
		}
		if notice != nil && now.Sub(queuedAt) >= NoticeAfter {
			notice.tellOnce(func() string { return waitMessage(region, operation, b) })
		}
		if err := l.clock.Sleep(ctx, min(delay, recheck)); err != nil {
			b.release()
			return time.Time{}, err
		}
	}
	return l.clock.Now(), nil
}

// recheck is the longest a waiter sleeps without re-reading its bucket.
const recheck = 50 * time.Millisecond

// Observe tells the limiter how a call that Wait let through at sentAt was
// answered: throttled or not. Other errors say nothing about the rate.
func (l *Limiter) Observe(region, operation string, sentAt time.Time, throttled bool) {
	b := l.bucketFor(region, operation)
	now := l.clock.Now()
	if throttled {
		b.cut(sentAt, now)
	} else {
		b.recover(now)
	}
}

// Rate is a bucket's current rate in calls per second (0 before its first
// call).
func (l *Limiter) Rate(region string, g Group) float64 {
	l.mu.Lock()
	b := l.buckets[Key{region, g}]
	l.mu.Unlock()
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rate
}

// Ceiling is the rate a group's buckets start at and climb back to: the
// quota times the limiter's share.
func (l *Limiter) Ceiling(g Group) float64 {
	quota := QuotaPerSecond(g)
	if quota == 0 {
		quota = unknownOperationQuota
	}
	return quota * l.share
}

// unknownOperationQuota paces an operation quotas.go does not list, in a
// bucket of its own, at the lowest quota Secrets Manager has.
const unknownOperationQuota = 50

func (l *Limiter) bucketFor(region, operation string) *bucket {
	g, ok := GroupOf(operation)
	if !ok {
		g = Group(operation)
	}
	key := Key{region, g}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		b = newBucket(l.Ceiling(g), l.clock.Now())
		l.buckets[key] = b
	}
	return b
}

// bucket is a token bucket whose rate adapts between a floor and a ceiling.
// Tokens may go negative: a call that finds none reserves the next one and
// waits for it, so callers are served in order.
type bucket struct {
	mu      sync.Mutex
	ceiling float64
	rate    float64
	tokens  float64
	// earned counts every token the bucket ever earned; a queued call's
	// turn comes when earned reaches the count it was promised.
	earned   float64
	refilled time.Time
	// lastCut is when the rate was last halved, and raised when it was last
	// raised: calls sent before a cut tell nothing new when throttled.
	lastCut, raised time.Time
}

func newBucket(ceiling float64, now time.Time) *bucket {
	b := &bucket{ceiling: ceiling, rate: ceiling, refilled: now, raised: now}
	b.tokens = b.capacity()
	return b
}

func (b *bucket) capacity() float64 {
	return max(1, b.rate*Burst.Seconds())
}

// refill adds the tokens earned since the last refill, up to capacity.
func (b *bucket) refill(now time.Time) {
	if elapsed := now.Sub(b.refilled).Seconds(); elapsed > 0 {
		if add := min(b.capacity()-b.tokens, elapsed*b.rate); add > 0 {
			b.tokens += add
			b.earned += add
		}
		b.refilled = now
	}
}

// reserve takes one token: ready when there was one, else the call's turn,
// the value of earned at which its token will have been earned.
func (b *bucket) reserve(now time.Time) (turn float64, ready bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	b.tokens--
	if b.tokens >= 0 {
		return 0, true
	}
	return b.earned - b.tokens, false
}

// untilTurn is how long, at the current rate, until turn comes.
func (b *bucket) untilTurn(turn float64, now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	missing := turn - b.earned
	if missing <= 1e-9 {
		return 0
	}
	return time.Duration(math.Ceil(missing / b.rate * float64(time.Second)))
}

// currentRate is the bucket's rate in calls per second.
func (b *bucket) currentRate() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rate
}

// queued is how many calls are waiting for a token of the bucket.
func (b *bucket) queued() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return max(0, int(math.Ceil(-b.tokens)))
}

// release gives back a token reserved by a call that gave up waiting.
func (b *bucket) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(b.capacity(), b.tokens+1)
}

// cut halves the rate when a call sent after the last cut was throttled:
// the answers of calls already in flight at a cut report the old rate, and
// must not cut again.
func (b *bucket) cut(sentAt, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !sentAt.After(b.lastCut) {
		return
	}
	b.refill(now)
	b.rate = max(b.ceiling*floorShare, b.rate/2)
	b.tokens = min(b.tokens, b.capacity())
	b.lastCut, b.raised = now, now
}

// recover raises the rate toward the ceiling by recoveryPerSecond of it per
// second since it was last raised or cut.
func (b *bucket) recover(now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.rate >= b.ceiling {
		b.raised = now
		return
	}
	if elapsed := now.Sub(b.raised).Seconds(); elapsed > 0 {
		b.refill(now)
		b.rate = min(b.ceiling, b.rate+b.ceiling*recoveryPerSecond*elapsed)
		b.raised = now
	}
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
