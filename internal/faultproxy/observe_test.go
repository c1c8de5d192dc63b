package faultproxy_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

func TestMaxInFlight(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	client := newClient(t)
	// One at a time: never more than one in flight.
	for range 5 {
		send(t, client, p.URL, "DescribeSecret", "")
	}
	if got := p.MaxInFlight(); got != 1 {
		t.Fatalf("serial requests: MaxInFlight %d, want 1", got)
	}
	// Six at once, each held by the latency: all six in flight together.
	p.ResetCounts()
	p.Set(faultproxy.Config{Latency: 200 * time.Millisecond})
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if o := send(t, client, p.URL, "CreateSecret", ""); o.status != http.StatusOK {
				t.Errorf("CreateSecret: %d %v", o.status, o.err)
			}
		}()
	}
	wg.Wait()
	if got := p.MaxInFlight(); got != 6 {
		t.Fatalf("6 concurrent requests: MaxInFlight %d, want 6", got)
	}
	p.ResetCounts()
	if got := p.MaxInFlight(); got != 0 {
		t.Fatalf("after ResetCounts with nothing in flight: MaxInFlight %d, want 0", got)
	}
}

func TestAttemptsPerCall(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	client := newClient(t)
	for call := range 4 {
		id := fmt.Sprintf("call-%d", call)
		for range call%2 + 1 { // calls 0 and 2 once, 1 and 3 twice
			send(t, client, p.URL, "PutSecretValue", id)
		}
	}
	send(t, client, p.URL, "PutSecretValue", "") // no invocation ID: not a call
	if got := p.AttemptsPerCall("PutSecretValue"); len(got) != 2 || got[1] != 2 || got[2] != 2 {
		t.Fatalf("AttemptsPerCall = %v, want map[1:2 2:2]", got)
	}
	if got := p.AttemptsPerCall("CreateSecret"); len(got) != 0 {
		t.Fatalf("AttemptsPerCall of an action never seen = %v, want empty", got)
	}
}

// BeforeRespond runs once the target has acted and before the client has
// its answer: it sees every forwarded request with its position, holds that
// one answer while it runs, and may change the configuration.
func TestBeforeRespond(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	client := newClient(t)
	var mu sync.Mutex
	var seen []string
	release := make(chan struct{})
	p.Set(faultproxy.Config{BeforeRespond: func(action string, seq int) {
		mu.Lock()
		seen = append(seen, fmt.Sprintf("%s#%d", action, seq))
		mu.Unlock()
		if seq == 2 {
			<-release // hold the second answer
			p.Set(faultproxy.Config{ThrottleRate: 1})
		}
	}})
	send(t, client, p.URL, "DescribeSecret", "")
	held := make(chan outcome, 1)
	go func() { held <- send(t, client, p.URL, "CreateSecret", "") }()
	deadline := time.Now().Add(5 * time.Second)
	for tg.count("CreateSecret") == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case o := <-held:
		t.Fatalf("the second answer arrived (%d %v) while BeforeRespond held it", o.status, o.err)
	case <-time.After(100 * time.Millisecond):
	}
	if tg.count("CreateSecret") != 1 {
		t.Fatal("the target never saw the held request: BeforeRespond must run after forwarding")
	}
	close(release)
	if o := <-held; o.status != http.StatusOK {
		t.Fatalf("the held answer: %d %v, want the target's 200", o.status, o.err)
	}
	// The hook's Set took effect: the next request is throttled, not
	// forwarded, so the hook does not see it.
	if o := send(t, client, p.URL, "GetSecretValue", ""); o.status != http.StatusBadRequest {
		t.Fatalf("after the hook's Set: %d, want a throttle", o.status)
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(seen) != "[DescribeSecret#1 CreateSecret#2]" {
		t.Fatalf("BeforeRespond saw %v, want [DescribeSecret#1 CreateSecret#2]", seen)
	}
}
