package pacing

import (
	"context"
	"strings"
	"testing"
)

// A call held for its quota longer than NoticeAfter is told once per
// lifecycle call, naming the quota and the queue; shorter waits are not.
func TestLongWaitsAreToldOncePerLifecycleCall(t *testing.T) {
	clock := newFakeClock()
	l := NewLimiterWithClock(0.02, clock) // 1 UpdateSecret a second
	var told []string
	ctx := ContextWithWaitNotice(context.Background(), func(message string) { told = append(told, message) })

	// The first two calls go out within the burst and the next second.
	for range 2 {
		if _, err := l.Wait(ctx, "eu-west-1", "UpdateSecret"); err != nil {
			t.Fatal(err)
		}
	}
	if len(told) != 0 {
		t.Fatalf("a wait of at most a second was told: %q", told)
	}
	// Three more reserved at once: the last waits about three seconds.
	for range 3 {
		l.bucketFor("eu-west-1", "UpdateSecret").reserve(clock.Now())
	}
	for range 3 {
		if _, err := l.Wait(ctx, "eu-west-1", "UpdateSecret"); err != nil {
			t.Fatal(err)
		}
	}
	if len(told) != 1 {
		t.Fatalf("told %d times; want once for the lifecycle call: %q", len(told), told)
	}
	want := "waiting for the Secrets Manager write quota (PutSecretValue, UpdateSecret, UpdateSecretVersionStage and replication) in eu-west-1: "
	if !strings.HasPrefix(told[0], want) || !strings.Contains(told[0], "calls queued at 1/s") {
		t.Fatalf("told %q; want it to start %q and give the queue and the pace", told[0], want)
	}

	// Another lifecycle call is told again; a call without a notice is not.
	var other []string
	otherCtx := ContextWithWaitNotice(context.Background(), func(message string) { other = append(other, message) })
	l.bucketFor("eu-west-1", "UpdateSecret").reserve(clock.Now())
	l.bucketFor("eu-west-1", "UpdateSecret").reserve(clock.Now())
	if _, err := l.Wait(otherCtx, "eu-west-1", "UpdateSecret"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Wait(context.Background(), "eu-west-1", "UpdateSecret"); err != nil {
		t.Fatal(err)
	}
	if len(other) != 1 || len(told) != 1 {
		t.Fatalf("the second lifecycle call was told %d times, the first %d; want 1 and 1", len(other), len(told))
	}
}
