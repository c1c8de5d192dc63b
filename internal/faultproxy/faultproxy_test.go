package faultproxy_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// target is a tiny stand-in for moto: it counts the requests it receives per
// action and answers each with an empty JSON object.
type target struct {
	mu     sync.Mutex
	counts map[string]int
	url    string
}

func startTarget(t *testing.T) *target {
	t.Helper()
	tg := &target{counts: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		tg.mu.Lock()
		tg.counts[faultproxy.ActionOf(r)]++
		tg.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-Requestid", "target")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	tg.url = srv.URL
	return tg
}

func (tg *target) count(action string) int {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return tg.counts[action]
}

// outcome is what a client saw for one request.
type outcome struct {
	status int // 0 when the request failed
	err    error
	header http.Header
	body   string
}

func newClient(t *testing.T) *http.Client {
	t.Helper()
	transport := &http.Transport{Proxy: nil}
	t.Cleanup(transport.CloseIdleConnections)
	return &http.Client{Transport: transport, Timeout: 10 * time.Second}
}

// send makes one Secrets Manager style request. invocationID, when not
// empty, is sent as the SDK's Amz-Sdk-Invocation-Id.
func send(t *testing.T, client *http.Client, url, action, invocationID string) outcome {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/", strings.NewReader(`{"SecretId":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "secretsmanager."+action)
	if invocationID != "" {
		req.Header.Set("Amz-Sdk-Invocation-Id", invocationID)
	}
	resp, err := client.Do(req)
	if err != nil {
		return outcome{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return outcome{err: err}
	}
	return outcome{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

// near fails unless got is within 4 percentage points of rate*n. The seed is
// fixed, so the result never changes between runs; the tolerance only says
// "about the configured rate" without pinning the seed's exact draw.
func near(t *testing.T, what string, got, n int, rate float64) {
	t.Helper()
	want := rate * float64(n)
	if math.Abs(float64(got)-want) > 0.04*float64(n) {
		t.Errorf("%s: %d of %d requests, want about %.0f (rate %v)", what, got, n, want, rate)
	}
}

const requests = 1000

func TestPassesEverythingThroughByDefault(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	client := newClient(t)
	for range 20 {
		o := send(t, client, p.URL, "GetSecretValue", "")
		if o.err != nil || o.status != http.StatusOK || o.body != `{}` || o.header.Get("X-Amzn-Requestid") != "target" {
			t.Fatalf("got %d %q %v, want the target's answer", o.status, o.body, o.err)
		}
	}
	want := faultproxy.Counts{Received: 20, Forwarded: 20}
	if got := p.Count("GetSecretValue"); got != want || tg.count("GetSecretValue") != 20 {
		t.Fatalf("counts %+v, target saw %d; want %+v and 20", got, tg.count("GetSecretValue"), want)
	}
}

func TestThrottleRate(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	p.Set(faultproxy.Config{Seed: 1, ThrottleRate: 0.3})
	client := newClient(t)
	throttled := 0
	for range requests {
		o := send(t, client, p.URL, "DescribeSecret", "")
		switch {
		case o.err != nil:
			t.Fatal(o.err)
		case o.status == http.StatusOK:
		case o.status == http.StatusBadRequest:
			throttled++
			if o.header.Get("Content-Type") != "application/x-amz-json-1.1" ||
				o.header.Get("X-Amzn-Errortype") != "ThrottlingException" ||
				o.body != `{"__type":"ThrottlingException","message":"Rate exceeded"}` {
				t.Fatalf("throttle answer: headers %v body %s", o.header, o.body)
			}
		default:
			t.Fatalf("unexpected status %d", o.status)
		}
	}
	near(t, "throttled", throttled, requests, 0.3)
	c := p.Count("DescribeSecret")
	if c.Received != requests || c.Throttled != throttled || c.Forwarded != requests-throttled || c.Faults() != throttled {
		t.Fatalf("counts %+v; client saw %d throttles", c, throttled)
	}
	if got := tg.count("DescribeSecret"); got != c.Forwarded {
		t.Fatalf("target saw %d requests, proxy forwarded %d: a throttled request must not be forwarded", got, c.Forwarded)
	}
}

func TestServerErrorRate(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	p.Set(faultproxy.Config{Seed: 2, ServerErrorRate: 0.2})
	client := newClient(t)
	byStatus := map[int]int{}
	for range requests {
		o := send(t, client, p.URL, "GetSecretValue", "")
		if o.err != nil {
			t.Fatal(o.err)
		}
		byStatus[o.status]++
		var code string
		switch o.status {
		case http.StatusOK:
			continue
		case http.StatusInternalServerError:
			code = "InternalServiceError"
		case http.StatusServiceUnavailable:
			code = "ServiceUnavailable"
		default:
			t.Fatalf("unexpected status %d", o.status)
		}
		if o.header.Get("X-Amzn-Errortype") != code || !strings.HasPrefix(o.body, `{"__type":"`+code+`","message":`) {
			t.Fatalf("%d answer: headers %v body %s", o.status, o.header, o.body)
		}
	}
	errs := byStatus[500] + byStatus[503]
	near(t, "server errors", errs, requests, 0.2)
	if byStatus[500] < errs/4 || byStatus[503] < errs/4 {
		t.Errorf("500s %d, 503s %d: want both kinds, about half each", byStatus[500], byStatus[503])
	}
	c := p.Count("GetSecretValue")
	if c.ServerErrors != errs || c.Forwarded != requests-errs || tg.count("GetSecretValue") != c.Forwarded {
		t.Fatalf("counts %+v, target saw %d; client saw %d server errors", c, tg.count("GetSecretValue"), errs)
	}
}

func TestResetRate(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	p.Set(faultproxy.Config{Seed: 3, ResetRate: 0.25})
	client := newClient(t)
	failed := 0
	for range requests {
		o := send(t, client, p.URL, "UpdateSecret", "")
		if o.err != nil {
			failed++
		} else if o.status != http.StatusOK {
			t.Fatalf("unexpected status %d", o.status)
		}
	}
	near(t, "reset", failed, requests, 0.25)
	c := p.Count("UpdateSecret")
	if c.Resets != failed || c.Forwarded != requests-failed {
		t.Fatalf("counts %+v; client saw %d failed requests", c, failed)
	}
	if got := tg.count("UpdateSecret"); got != requests-failed {
		t.Fatalf("target saw %d requests, want %d: a reset request must never reach it", got, requests-failed)
	}
}

func TestDropResponseRate(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	p.Set(faultproxy.Config{Seed: 4, DropResponseRate: 0.25})
	client := newClient(t)
	lost := 0
	for range requests {
		o := send(t, client, p.URL, "PutSecretValue", "")
		if o.err != nil {
			lost++
		} else if o.status != http.StatusOK {
			t.Fatalf("unexpected status %d", o.status)
		}
	}
	near(t, "dropped", lost, requests, 0.25)
	c := p.Count("PutSecretValue")
	if c.DroppedResponses != lost || c.Forwarded != requests {
		t.Fatalf("counts %+v; client lost %d answers", c, lost)
	}
	if got := tg.count("PutSecretValue"); got != requests {
		t.Fatalf("target saw %d requests, want all %d: a dropped response's request must reach it", got, requests)
	}
}

func TestLatency(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	const latency = 150 * time.Millisecond
	p.Set(faultproxy.Config{Latency: latency, LatencyActions: faultproxy.Actions{"ListSecrets"}})
	client := newClient(t)
	send(t, client, p.URL, "DescribeSecret", "") // warm the connection up
	start := time.Now()
	if o := send(t, client, p.URL, "ListSecrets", ""); o.status != http.StatusOK {
		t.Fatalf("ListSecrets: %d %v", o.status, o.err)
	}
	if took := time.Since(start); took < latency {
		t.Fatalf("ListSecrets took %v, want at least the latency %v", took, latency)
	}
	start = time.Now()
	send(t, client, p.URL, "DescribeSecret", "")
	if took := time.Since(start); took >= latency {
		t.Fatalf("DescribeSecret took %v: the latency applies to ListSecrets only", took)
	}
	if c := p.Count("ListSecrets"); c.Delayed != 1 || c.Forwarded != 1 {
		t.Fatalf("ListSecrets counts %+v", c)
	}
	if c := p.Count("DescribeSecret"); c.Delayed != 0 || c.Forwarded != 2 {
		t.Fatalf("DescribeSecret counts %+v", c)
	}
}

func TestActionFilters(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	p.Set(faultproxy.Config{
		ThrottleRate: 1, ThrottleActions: faultproxy.Actions{"CreateSecret"},
		ServerErrorRate: 1, ServerErrorActions: faultproxy.Actions{"TagResource"},
		ResetRate: 1, ResetActions: faultproxy.Actions{"DeleteSecret"},
		DropResponseRate: 1, DropResponseActions: faultproxy.Actions{"PutSecretValue"},
	})
	client := newClient(t)
	for range 5 {
		if o := send(t, client, p.URL, "CreateSecret", ""); o.status != http.StatusBadRequest {
			t.Fatalf("CreateSecret: %d %v, want throttled", o.status, o.err)
		}
		if o := send(t, client, p.URL, "TagResource", ""); o.status < 500 {
			t.Fatalf("TagResource: %d %v, want a server error", o.status, o.err)
		}
		if o := send(t, client, p.URL, "DeleteSecret", ""); o.err == nil {
			t.Fatalf("DeleteSecret: %d, want a reset connection", o.status)
		}
		if o := send(t, client, p.URL, "PutSecretValue", ""); o.err == nil {
			t.Fatalf("PutSecretValue: %d, want a lost answer", o.status)
		}
		if o := send(t, client, p.URL, "GetSecretValue", ""); o.status != http.StatusOK {
			t.Fatalf("GetSecretValue: %d %v, want it forwarded untouched", o.status, o.err)
		}
	}
	want := map[string]faultproxy.Counts{
		"CreateSecret":   {Received: 5, Throttled: 5},
		"TagResource":    {Received: 5, ServerErrors: 5},
		"DeleteSecret":   {Received: 5, Resets: 5},
		"PutSecretValue": {Received: 5, Forwarded: 5, DroppedResponses: 5},
		"GetSecretValue": {Received: 5, Forwarded: 5},
	}
	got := p.Counts()
	for action, w := range want {
		if got[action] != w {
			t.Errorf("%s counts %+v, want %+v", action, got[action], w)
		}
	}
	if total := p.Total(); total.Received != 25 || total.Faults() != 20 {
		t.Errorf("total %+v: want 25 received, 20 faults", total)
	}
}

func TestDropFirst(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	p.Set(faultproxy.Config{DropFirst: map[string]int{"CreateSecret": 2}})
	client := newClient(t)
	var lost []int
	for i := range 4 {
		if o := send(t, client, p.URL, "CreateSecret", ""); o.err != nil {
			lost = append(lost, i)
		}
		if o := send(t, client, p.URL, "DescribeSecret", ""); o.err != nil {
			t.Fatalf("DescribeSecret %d: %v; only CreateSecret answers are dropped", i, o.err)
		}
	}
	if fmt.Sprint(lost) != "[0 1]" {
		t.Fatalf("lost the answers of CreateSecret requests %v, want the first two", lost)
	}
	if c := p.Count("CreateSecret"); c != (faultproxy.Counts{Received: 4, Forwarded: 4, DroppedResponses: 2}) || tg.count("CreateSecret") != 4 {
		t.Fatalf("CreateSecret counts %+v, target saw %d", c, tg.count("CreateSecret"))
	}
	// Set restarts the budget.
	p.Set(faultproxy.Config{DropFirst: map[string]int{"CreateSecret": 1}})
	if o := send(t, client, p.URL, "CreateSecret", ""); o.err == nil {
		t.Fatal("after Set, the first CreateSecret answer must be dropped again")
	}
}

func TestInjectError(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	p.Set(faultproxy.Config{InjectErrors: []faultproxy.InjectError{
		{Action: "PutSecretValue", Code: "LimitExceededException", Message: "too many versions", Count: 2},
		{Action: "RotateSecret", Code: "AccessDeniedException", Status: 403}, // every request
	}})
	client := newClient(t)
	for i := range 3 {
		o := send(t, client, p.URL, "PutSecretValue", "")
		if i < 2 && (o.status != 400 || o.header.Get("X-Amzn-Errortype") != "LimitExceededException" ||
			o.body != `{"__type":"LimitExceededException","message":"too many versions"}`) {
			t.Fatalf("PutSecretValue %d: %d %v %s, want the injected error", i, o.status, o.header, o.body)
		}
		if i == 2 && o.status != http.StatusOK {
			t.Fatalf("PutSecretValue %d: %d, want it forwarded once the count is used up", i, o.status)
		}
		if o := send(t, client, p.URL, "RotateSecret", ""); o.status != 403 || o.body != `{"__type":"AccessDeniedException","message":"AccessDeniedException"}` {
			t.Fatalf("RotateSecret %d: %d %s", i, o.status, o.body)
		}
	}
	if c := p.Count("PutSecretValue"); c != (faultproxy.Counts{Received: 3, Forwarded: 1, InjectedErrors: 2}) {
		t.Fatalf("PutSecretValue counts %+v", c)
	}
	if c := p.Count("RotateSecret"); c != (faultproxy.Counts{Received: 3, InjectedErrors: 3}) || tg.count("RotateSecret") != 0 {
		t.Fatalf("RotateSecret counts %+v, target saw %d", c, tg.count("RotateSecret"))
	}
}

func TestMaxFaultsPerCall(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	p.Set(faultproxy.Config{ThrottleRate: 1, MaxFaultsPerCall: 2})
	client := newClient(t)
	var got []int
	for _, call := range []string{"a", "a", "b", "a", "a", "b", "b", "", ""} {
		got = append(got, send(t, client, p.URL, "GetSecretValue", call).status)
	}
	// Calls a and b get two throttles each, then go through; requests
	// without an invocation ID are not capped.
	if want := "[400 400 400 200 200 400 200 400 400]"; fmt.Sprint(got) != want {
		t.Fatalf("statuses %v, want %s", got, want)
	}
}

// Same seed, same faults: a failing run can be replayed.
func TestSeedMakesRunsReproducible(t *testing.T) {
	tg := startTarget(t)
	run := func(seed uint64) (string, faultproxy.Counts) {
		p := faultproxy.Start(t, tg.url)
		p.Set(faultproxy.Config{Seed: seed, ThrottleRate: 0.1, ServerErrorRate: 0.1, ResetRate: 0.1, DropResponseRate: 0.1})
		client := newClient(t)
		var b strings.Builder
		for range 200 {
			o := send(t, client, p.URL, "GetSecretValue", "")
			fmt.Fprintf(&b, "%d/%t ", o.status, o.err != nil)
		}
		return b.String(), p.Count("GetSecretValue")
	}
	first, firstCounts := run(42)
	again, againCounts := run(42)
	other, _ := run(43)
	if first != again || firstCounts != againCounts {
		t.Fatalf("seed 42 gave different runs:\n%s\n%s\ncounts %+v and %+v", first, again, firstCounts, againCounts)
	}
	if first == other {
		t.Fatal("seeds 42 and 43 gave the same run")
	}
	if firstCounts.Throttled == 0 || firstCounts.ServerErrors == 0 || firstCounts.Resets == 0 || firstCounts.DroppedResponses == 0 {
		t.Fatalf("counts %+v: want every kind of fault", firstCounts)
	}
}

func TestCountsReturnsACopy(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	send(t, newClient(t), p.URL, "GetSecretValue", "")
	counts := p.Counts()
	c := counts["GetSecretValue"]
	c.Received = 99
	counts["GetSecretValue"] = c
	counts["Other"] = faultproxy.Counts{Received: 1}
	if got := p.Counts(); len(got) != 1 || got["GetSecretValue"].Received != 1 {
		t.Fatalf("Counts after changing the copy: %+v", got)
	}
	p.ResetCounts()
	if got := p.Counts(); len(got) != 0 {
		t.Fatalf("Counts after ResetCounts: %+v", got)
	}
}

// sdkClient is a Secrets Manager client that talks to the proxy and makes
// maxAttempts attempts per call.
func sdkClient(p *faultproxy.Proxy, maxAttempts int) *sm.Client {
	return sm.New(sm.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(p.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		RetryMaxAttempts: maxAttempts,
	})
}

// The SDK must read the proxy's answers exactly as it reads AWS's.
func TestSDKParsesTheInjectedErrors(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	client := sdkClient(p, 1)
	ctx := context.Background()
	get := func() error {
		_, err := client.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("x")})
		return err
	}
	isThrottle := func(err error) bool {
		return retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary
	}
	isRetryable := func(err error) bool {
		return retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) == aws.TrueTernary
	}

	p.Set(faultproxy.Config{ThrottleRate: 1})
	err := get()
	var generic *smithy.GenericAPIError
	var apiErr smithy.APIError
	var respErr *awshttp.ResponseError
	if !errors.As(err, &generic) || generic.ErrorCode() != "ThrottlingException" || generic.ErrorMessage() != "Rate exceeded" {
		t.Fatalf("throttle: %v; want a ThrottlingException \"Rate exceeded\"", err)
	}
	if !errors.As(err, &respErr) || respErr.HTTPStatusCode() != 400 || !strings.HasPrefix(respErr.ServiceRequestID(), "faultproxy-") {
		t.Fatalf("throttle: %v; want HTTP 400 with the proxy's request ID", err)
	}
	if !isThrottle(err) || !isRetryable(err) {
		t.Fatalf("throttle: %v; the SDK's retryer must see a retryable throttle", err)
	}

	p.Set(faultproxy.Config{ServerErrorRate: 1, Seed: 1})
	seen := map[string]bool{}
	for range 20 {
		err := get()
		if !errors.As(err, &apiErr) || !isRetryable(err) || isThrottle(err) {
			t.Fatalf("server error: %v; want a retryable API error that is no throttle", err)
		}
		seen[apiErr.ErrorCode()] = true
	}
	var internal *smtypes.InternalServiceError
	if !seen["InternalServiceError"] || !seen["ServiceUnavailable"] {
		t.Fatalf("server errors seen %v: want InternalServiceError and ServiceUnavailable", seen)
	}
	p.Set(faultproxy.Config{ServerErrorRate: 1, Seed: 1})
	for range 20 {
		if err := get(); errors.As(err, &internal) {
			break // the modeled type, as for AWS's own 500s
		}
	}
	if internal == nil {
		t.Fatal("no 500 answer was read as *types.InternalServiceError")
	}

	p.Set(faultproxy.Config{InjectErrors: []faultproxy.InjectError{{Code: "LimitExceededException", Message: "quota"}}})
	var limit *smtypes.LimitExceededException
	if err := get(); !errors.As(err, &limit) || limit.ErrorMessage() != "quota" {
		t.Fatalf("injected error: %v; want *types.LimitExceededException", err)
	}

	for name, cfg := range map[string]faultproxy.Config{
		"reset":            {ResetRate: 1},
		"dropped response": {DropResponseRate: 1},
	} {
		p.Set(cfg)
		err := get()
		if err == nil || errors.As(err, &apiErr) || !isRetryable(err) {
			t.Fatalf("%s: %v; want a retryable connection error", name, err)
		}
	}
}

// The SDK retries a call whose answer was lost, and the retry reaches the
// target a second time: exactly the situation idempotent writes must survive.
func TestSDKRetriesALostResponse(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	p.Set(faultproxy.Config{DropFirst: map[string]int{"GetSecretValue": 1}})
	if _, err := sdkClient(p, 3).GetSecretValue(context.Background(), &sm.GetSecretValueInput{SecretId: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	if c := p.Count("GetSecretValue"); c != (faultproxy.Counts{Received: 2, Forwarded: 2, DroppedResponses: 1}) || tg.count("GetSecretValue") != 2 {
		t.Fatalf("counts %+v, target saw %d", c, tg.count("GetSecretValue"))
	}
}

func TestQuotaScaleEmulatesAWSQuotasPerGroup(t *testing.T) {
	tg := startTarget(t)
	p := faultproxy.Start(t, tg.url)
	// A fiftieth of AWS's rates: PutSecretValue+UpdateSecret share 1/s,
	// CreateSecret has 1/s of its own, DescribeSecret+GetSecretValue 200/s.
	p.Set(faultproxy.Config{QuotaScale: 0.02})
	client := newClient(t)
	answered := map[string]int{}
	for range 10 {
		for _, action := range []string{"PutSecretValue", "UpdateSecret", "CreateSecret", "DescribeSecret", "SomethingNew"} {
			o := send(t, client, p.URL, action, "")
			switch {
			case o.err != nil:
				t.Fatal(o.err)
			case o.status == http.StatusOK:
				answered[action]++
			case o.status != http.StatusBadRequest || o.header.Get("X-Amzn-Errortype") != "ThrottlingException":
				t.Fatalf("%s: status %d %s, want an answer or AWS's throttling", action, o.status, o.body)
			}
		}
	}
	// Well within a second: one token for the two writes together, one for
	// CreateSecret (a second may have passed on a slow machine: one more).
	if writes := answered["PutSecretValue"] + answered["UpdateSecret"]; writes < 1 || writes > 2 {
		t.Errorf("PutSecretValue+UpdateSecret: %d of 20 answered, want the one token of their shared 1/s quota", writes)
	}
	if got := answered["CreateSecret"]; got < 1 || got > 2 {
		t.Errorf("CreateSecret: %d of 10 answered, want the one token of its own 1/s quota", got)
	}
	if answered["DescribeSecret"] != 10 || answered["SomethingNew"] != 10 {
		t.Errorf("DescribeSecret %d and an action the table lacks %d of 10 answered, want all", answered["DescribeSecret"], answered["SomethingNew"])
	}
	c := p.Count("PutSecretValue")
	if c.Throttled != 10-answered["PutSecretValue"] || c.Forwarded != answered["PutSecretValue"] || tg.count("PutSecretValue") != c.Forwarded {
		t.Errorf("PutSecretValue counts %+v; the target saw %d", c, tg.count("PutSecretValue"))
	}
	// The bucket refills at its rate.
	time.Sleep(1100 * time.Millisecond)
	if o := send(t, client, p.URL, "UpdateSecret", ""); o.status != http.StatusOK {
		t.Errorf("UpdateSecret a second later: status %d, want the refilled token", o.status)
	}
}
