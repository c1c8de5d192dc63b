package pacing

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"
)

// fakeClock advances only when a caller sleeps: a test that sends calls
// one after another reads off how long pacing made them take.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.advance(d)
	return nil
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// send lets n calls of each operation through, round robin, observing each
// as not throttled, and returns the virtual time they took.
func send(t *testing.T, l *Limiter, clock *fakeClock, region string, n int, operations ...string) time.Duration {
	t.Helper()
	start := clock.Now()
	for range n {
		for _, op := range operations {
			sentAt, err := l.Wait(context.Background(), region, op)
			if err != nil {
				t.Fatal(err)
			}
			l.Observe(region, op, sentAt, false)
		}
	}
	return clock.Now().Sub(start)
}

func assertAbout(t *testing.T, what string, got, want time.Duration) {
	t.Helper()
	if math.Abs(got.Seconds()-want.Seconds()) > 0.02 {
		t.Errorf("%s took %v, want %v", what, got, want)
	}
}

func TestOperationsOfAQuotaGroupShareItsRate(t *testing.T) {
	clock := newFakeClock()
	l := NewLimiterWithClock(1, clock)
	// 100 PutSecretValue and 100 UpdateSecret draw on one 50/s quota: after
	// the burst of 5, 195 calls at 50/s.
	assertAbout(t, "200 PutSecretValue+UpdateSecret", send(t, l, clock, "us-east-1", 100, "PutSecretValue", "UpdateSecret"), 3900*time.Millisecond)
	// CreateSecret has a quota of its own, and a fresh bucket.
	assertAbout(t, "50 CreateSecret", send(t, l, clock, "us-east-1", 50, "CreateSecret"), 900*time.Millisecond)
	// DescribeSecret+GetSecretValue: 10,000/s, a burst of 1,000.
	assertAbout(t, "1000 DescribeSecret", send(t, l, clock, "us-east-1", 1000, "DescribeSecret"), 0)
	assertAbout(t, "2000 more GetSecretValue", send(t, l, clock, "us-east-1", 2000, "GetSecretValue"), 200*time.Millisecond)
	// A policy read spends the write-class policy quota, 50/s.
	assertAbout(t, "55 GetResourcePolicy", send(t, l, clock, "us-east-1", 55, "GetResourcePolicy"), time.Second)
	// BatchGetSecretValue, 100/s.
	assertAbout(t, "110 BatchGetSecretValue", send(t, l, clock, "us-east-1", 110, "BatchGetSecretValue"), time.Second)
}

func TestEachRegionHasItsOwnBuckets(t *testing.T) {
	clock := newFakeClock()
	l := NewLimiterWithClock(1, clock)
	assertAbout(t, "55 PutSecretValue in us-east-1", send(t, l, clock, "us-east-1", 55, "PutSecretValue"), time.Second)
	// us-west-2's bucket is full: its burst goes out at once.
	assertAbout(t, "5 PutSecretValue in us-west-2", send(t, l, clock, "us-west-2", 5, "PutSecretValue"), 0)
}

func TestShareLowersEveryCeiling(t *testing.T) {
	clock := newFakeClock()
	l := NewLimiterWithClock(0.2, clock)
	if got := l.Ceiling(SecretWrites); got != 10 {
		t.Errorf("ceiling of %s at a share of 0.2: %v, want 10", SecretWrites, got)
	}
	// 10/s, a burst of 1: 21 calls take 2 s.
	assertAbout(t, "21 PutSecretValue at 10/s", send(t, l, clock, "us-east-1", 21, "PutSecretValue"), 2*time.Second)
	// An operation the table does not know gets a bucket of its own at the
	// lowest quota, times the share.
	if got := l.Ceiling(Group("SomeNewOperation")); got != 10 {
		t.Errorf("ceiling of an unknown operation at a share of 0.2: %v, want 10", got)
	}
}

func TestThrottlingHalvesTheRateOnceAndSuccessRaisesItBack(t *testing.T) {
	clock := newFakeClock()
	l := NewLimiterWithClock(1, clock)
	region := "eu-west-1"
	var sent []time.Time
	for range 8 {
		at, err := l.Wait(context.Background(), region, "PutSecretValue")
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, at)
	}
	clock.advance(10 * time.Millisecond)
	// All eight were in flight when the first throttled answer came back:
	// it cuts the rate, the seven answers after it report the same moment
	// of overload and cut nothing more.
	for _, at := range sent {
		l.Observe(region, "UpdateSecret", at, true)
	}
	if got := l.Rate(region, SecretWrites); got != 25 {
		t.Fatalf("rate after one round of throttling: %v, want 25", got)
	}
	// A call sent after the cut and throttled again cuts again.
	at, _ := l.Wait(context.Background(), region, "PutSecretValue")
	clock.advance(10 * time.Millisecond)
	l.Observe(region, "PutSecretValue", at, true)
	if got := l.Rate(region, SecretWrites); got != 12.5 {
		t.Fatalf("rate after a second throttle: %v, want 12.5", got)
	}
	// Calls that are not throttled raise it back by 5/s per second (a tenth
	// of the quota), to the quota and no further.
	send(t, l, clock, region, 13, "PutSecretValue") // about one second at 12.5/s
	if got := l.Rate(region, SecretWrites); got < 16 || got > 19 {
		t.Errorf("rate one second after the cut: %v, want about 17.5", got)
	}
	send(t, l, clock, region, 600, "PutSecretValue")
	if got := l.Rate(region, SecretWrites); got != 50 {
		t.Errorf("rate after many successful calls: %v, want the quota, 50", got)
	}
	// Other groups were never touched.
	if got := l.Rate(region, CreateSecret); got != 0 {
		t.Errorf("CreateSecret's bucket: rate %v, want none made", got)
	}
}

func TestThrottlingNeverStopsABucket(t *testing.T) {
	clock := newFakeClock()
	l := NewLimiterWithClock(1, clock)
	for range 20 {
		clock.advance(time.Millisecond)
		at, _ := l.Wait(context.Background(), "us-east-1", "TagResource")
		clock.advance(time.Millisecond)
		l.Observe("us-east-1", "TagResource", at, true)
	}
	if got := l.Rate("us-east-1", Tags); got != 0.5 {
		t.Errorf("rate after 20 throttled calls in a row: %v, want the floor, 0.5", got)
	}
}

func TestWaitGivesUpWithItsContext(t *testing.T) {
	l := NewLimiter(0.02) // 1 PutSecretValue per second
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := l.Wait(ctx, "us-east-1", "PutSecretValue"); err != nil {
		t.Fatalf("the first call has its token: %v", err)
	}
	if _, err := l.Wait(ctx, "us-east-1", "PutSecretValue"); err == nil {
		t.Fatal("the second call waited past its context's deadline")
	}
}

func TestConcurrentCallersAreServedAtTheRate(t *testing.T) {
	// By the wall clock: 16 goroutines, 60 RestoreSecret calls at 50/s with
	// a burst of 5 take about 1.1 s.
	l := NewLimiter(1)
	start := time.Now()
	var wg sync.WaitGroup
	calls := make(chan struct{}, 60)
	for range 60 {
		calls <- struct{}{}
	}
	close(calls)
	for range 16 {
		wg.Go(func() {
			for range calls {
				if _, err := l.Wait(context.Background(), "us-east-1", "RestoreSecret"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if took := time.Since(start); took < 1050*time.Millisecond {
		t.Errorf("60 RestoreSecret calls from 16 goroutines took %v: faster than 50/s", took)
	}
}

// A queued call's wait follows the rate: a cut makes it longer, a recovery
// shorter, for calls already in the queue.
func TestAQueuedCallsWaitFollowsTheRate(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	b := newBucket(50, t0) // a burst of 5
	var turn float64
	for range 15 {
		turn, _ = b.reserve(t0)
	}
	// The 15th call: 10 tokens short at 50/s.
	assertAbout(t, "wait at 50/s", b.untilTurn(turn, t0), 200*time.Millisecond)
	b.cut(t0.Add(time.Nanosecond), t0)
	assertAbout(t, "wait after a cut to 25/s", b.untilTurn(turn, t0), 400*time.Millisecond)
	b.rate = 50
	assertAbout(t, "wait back at 50/s", b.untilTurn(turn, t0), 200*time.Millisecond)
	assertAbout(t, "wait 100 ms later", b.untilTurn(turn, t0.Add(100*time.Millisecond)), 100*time.Millisecond)
	if got := b.untilTurn(turn, t0.Add(300*time.Millisecond)); got != 0 {
		t.Errorf("the turn has come, yet it waits %v more", got)
	}
}
