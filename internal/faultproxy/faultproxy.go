// Package faultproxy is an HTTP reverse proxy for tests that sits between an
// AWS SDK client (the provider) and a Secrets Manager endpoint (moto) and
// injects the faults moto cannot: throttling, 5xx answers, latency, reset
// connections and — the hard case — responses lost after the target has
// acted on the request.
//
// Every decision comes from a math/rand/v2 source seeded with Config.Seed, so
// a run is reproducible: each request draws the same number of random values
// whatever the configuration, in the order requests arrive. Requests are
// told apart by action, the operation named in the X-Amz-Target header
// ("secretsmanager.CreateSecret" is "CreateSecret").
//
// It also measures what the client does: requests per action and what
// happened to them (Counts), attempts per SDK call (AttemptsPerCall) and the
// most requests in flight at once (MaxInFlight); and BeforeRespond lets a
// test act at the exact moment the target has answered a request.
//
// The proxy never logs request or response bodies: they carry secret values.
package faultproxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smxlabs/pulumi-smx/provider/pacing"
)

// Actions limits a fault to some actions, e.g. Actions{"CreateSecret"}. An
// empty list means every action.
type Actions []string

func (a Actions) matches(action string) bool {
	return len(a) == 0 || slices.Contains(a, action)
}

// InjectError answers matching requests with an AWS JSON error of the given
// code, without forwarding them.
type InjectError struct {
	// Action limits the error to one action; "" matches every action.
	Action string
	// Code is the AWS error code, e.g. "LimitExceededException".
	Code string
	// Message defaults to Code.
	Message string
	// Status is the HTTP status; it defaults to 400.
	Status int
	// Count is how many matching requests get the error; 0 or less means
	// every matching request.
	Count int
}

// Config says which faults the proxy injects. The zero Config forwards every
// request untouched.
//
// For each request the proxy first waits Latency (if the action matches),
// then answers the first matching InjectErrors entry, then drops the response
// of a request counted by DropFirst, then tries the rate-based faults in the
// order throttle, server error, reset, dropped response: the first whose
// draw falls under its rate (and whose action filter matches) is injected.
type Config struct {
	// Seed seeds the random source. Set restarts the sequence from it.
	Seed uint64

	// Latency delays every matching request before the proxy answers or
	// forwards it.
	Latency        time.Duration
	LatencyActions Actions

	// ThrottleRate is the fraction of requests answered with HTTP 400
	// ThrottlingException "Rate exceeded", as AWS does, without forwarding.
	ThrottleRate    float64
	ThrottleActions Actions

	// ServerErrorRate is the fraction of requests answered with HTTP 500
	// InternalServiceError or 503 ServiceUnavailable (half each), without
	// forwarding.
	ServerErrorRate    float64
	ServerErrorActions Actions

	// ResetRate is the fraction of requests whose connection is reset (TCP
	// RST) before the request is forwarded: the target never sees them.
	ResetRate    float64
	ResetActions Actions

	// DropResponseRate is the fraction of requests that are forwarded, whose
	// full response is read from the target, and whose client connection is
	// then closed without an answer: the target acted, the client cannot
	// know it.
	DropResponseRate    float64
	DropResponseActions Actions

	// DropFirst drops the responses of the first N requests of an action,
	// like DropResponseRate 1.0 for those requests only:
	// DropFirst{"CreateSecret": 1} loses the answer of the first CreateSecret.
	DropFirst map[string]int

	// InjectErrors answers matching requests with an AWS error; see
	// InjectError. Entries are tried in order.
	InjectErrors []InjectError

	// BeforeRespond, when set, is called for every forwarded request after
	// the target's answer has been read and before it is written back to the
	// client (or dropped), with the request's action and its position among
	// all requests the proxy received (1 for the first). It runs on the
	// request's own goroutine, outside the proxy's lock: while it blocks,
	// that one answer is held back and every other request goes on. Tests
	// use it to act at an exact point of a client's work, e.g. to kill the
	// client while the target has acted on a request and the answer is still
	// on its way. It may call Set.
	BeforeRespond func(action string, seq int)

	// QuotaScale, when positive, emulates AWS's request quotas per account
	// and region (provider/pacing's table) at that multiple of AWS's
	// rates: one token bucket per quota group, holding one second of its
	// rate and refilled at that rate. A request that finds its group's
	// bucket empty is answered HTTP 400 ThrottlingException "Rate exceeded"
	// without forwarding, as AWS answers, and counted as Throttled. Every
	// client through one proxy shares the buckets: the proxy is one emulated
	// account and region. Actions the table does not know are not limited.
	// The quota check comes after InjectErrors and DropFirst and before the
	// rate-based faults.
	QuotaScale float64

	// MaxFaultsPerCall, when positive, caps the rate-based faults injected
	// into one SDK call, retries included. Calls are identified by the
	// Amz-Sdk-Invocation-Id header that the AWS SDKs send unchanged on every
	// attempt; requests without it are not capped. It keeps a high fault rate
	// from exhausting a client's retries or from piling up its backoff.
	MaxFaultsPerCall int
}

func (c Config) validate() error {
	for name, rate := range map[string]float64{
		"ThrottleRate": c.ThrottleRate, "ServerErrorRate": c.ServerErrorRate,
		"ResetRate": c.ResetRate, "DropResponseRate": c.DropResponseRate,
	} {
		if rate < 0 || rate > 1 {
			return fmt.Errorf("faultproxy: %s %v is not between 0 and 1", name, rate)
		}
	}
	if c.QuotaScale < 0 {
		return fmt.Errorf("faultproxy: negative QuotaScale %v", c.QuotaScale)
	}
	if c.Latency < 0 {
		return fmt.Errorf("faultproxy: negative Latency %v", c.Latency)
	}
	for i, e := range c.InjectErrors {
		if e.Code == "" {
			return fmt.Errorf("faultproxy: InjectErrors[%d] has no Code", i)
		}
	}
	return nil
}

// Counts are the requests the proxy saw for one action.
type Counts struct {
	// Received counts every request, whatever happened to it.
	Received int
	// Forwarded counts requests sent to the target, DroppedResponses
	// included.
	Forwarded int
	// Delayed counts requests held back by Latency.
	Delayed int
	// Faults injected, per kind.
	Throttled        int
	ServerErrors     int
	Resets           int
	DroppedResponses int
	InjectedErrors   int
	// TargetErrors counts forwarded requests the target did not answer; the
	// proxy answered them with HTTP 502.
	TargetErrors int
}

// Faults is the number of faults injected, of every kind.
func (c Counts) Faults() int {
	return c.Throttled + c.ServerErrors + c.Resets + c.DroppedResponses + c.InjectedErrors
}

func (c *Counts) add(o Counts) {
	c.Received += o.Received
	c.Forwarded += o.Forwarded
	c.Delayed += o.Delayed
	c.Throttled += o.Throttled
	c.ServerErrors += o.ServerErrors
	c.Resets += o.Resets
	c.DroppedResponses += o.DroppedResponses
	c.InjectedErrors += o.InjectedErrors
	c.TargetErrors += o.TargetErrors
}

// Proxy is a running fault-injecting proxy.
type Proxy struct {
	// URL is the proxy's base URL, e.g. http://127.0.0.1:41234.
	URL string

	target    *url.URL
	transport *http.Transport
	server    *http.Server

	mu         sync.Mutex
	cfg        Config
	rng        *rand.Rand
	dropLeft   map[string]int
	injectLeft []int
	perCall    map[string]int
	quotas     map[pacing.Group]*quotaBucket
	counts     map[string]*Counts
	requests   int

	// In-flight requests (received, not yet answered) and their high-water
	// mark since Start or ResetCounts: how many calls a client really has
	// outstanding at once.
	inFlight, maxInFlight int
	// attempts counts the requests of each SDK call (its
	// Amz-Sdk-Invocation-Id), per action: the first try and every retry.
	attempts map[string]map[string]int
}

// Start starts a proxy to target (a base URL such as moto's endpoint) on a
// free loopback port and stops it when t ends. It forwards everything until
// Set configures faults.
func Start(t testing.TB, target string) *Proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil || u.Scheme == "" || u.Host == "" {
		t.Fatalf("faultproxy: target %q is not a base URL: %v", target, err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("faultproxy: listening: %v", err)
	}
	p := &Proxy{
		URL:    "http://" + listener.Addr().String(),
		target: u,
		transport: &http.Transport{
			Proxy:               nil, // never an HTTP_PROXY from the environment
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
			DisableCompression:  true, // forward bodies byte for byte
			MaxIdleConnsPerHost: 32,
		},
		counts:   map[string]*Counts{},
		attempts: map[string]map[string]int{},
	}
	p.Set(Config{})
	p.server = &http.Server{Handler: p, ReadHeaderTimeout: 30 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = p.server.Serve(listener)
	}()
	t.Cleanup(func() {
		_ = p.server.Close()
		<-served
		p.transport.CloseIdleConnections()
		if t.Failed() {
			t.Logf("faultproxy %s → %s: %s", p.URL, target, p.summary())
		}
	})
	return p
}

// Set replaces the configuration. It restarts the random sequence from
// c.Seed and the DropFirst, InjectErrors and MaxFaultsPerCall budgets; counts
// are kept. It panics on an invalid configuration.
func (p *Proxy) Set(c Config) {
	if err := c.validate(); err != nil {
		panic(err)
	}
	c.LatencyActions = slices.Clone(c.LatencyActions)
	c.ThrottleActions = slices.Clone(c.ThrottleActions)
	c.ServerErrorActions = slices.Clone(c.ServerErrorActions)
	c.ResetActions = slices.Clone(c.ResetActions)
	c.DropResponseActions = slices.Clone(c.DropResponseActions)
	c.InjectErrors = slices.Clone(c.InjectErrors)
	dropLeft := map[string]int{}
	for action, n := range c.DropFirst {
		dropLeft[action] = n
	}
	c.DropFirst = nil
	injectLeft := make([]int, len(c.InjectErrors))
	for i, e := range c.InjectErrors {
		injectLeft[i] = e.Count
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	p.cfg = c
	p.rng = rand.New(rand.NewPCG(c.Seed, 0x5eed_f4a1_7b0c_0001))
	p.dropLeft = dropLeft
	p.injectLeft = injectLeft
	p.perCall = map[string]int{}
	p.quotas = map[pacing.Group]*quotaBucket{}
}

// Counts returns a copy of the counts per action. Requests without an
// X-Amz-Target header are counted under "".
func (p *Proxy) Counts() map[string]Counts {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]Counts, len(p.counts))
	for action, c := range p.counts {
		out[action] = *c
	}
	return out
}

// Count returns the counts of one action.
func (p *Proxy) Count(action string) Counts {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.counts[action]; ok {
		return *c
	}
	return Counts{}
}

// Total returns the counts summed over every action.
func (p *Proxy) Total() Counts {
	p.mu.Lock()
	defer p.mu.Unlock()
	var total Counts
	for _, c := range p.counts {
		total.add(*c)
	}
	return total
}

// ResetCounts sets every count back to zero, the in-flight high-water mark
// and the attempts per call included.
func (p *Proxy) ResetCounts() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts = map[string]*Counts{}
	p.attempts = map[string]map[string]int{}
	p.maxInFlight = p.inFlight
}

// MaxInFlight is the most requests the proxy held at once (received and not
// yet answered, latency included) since Start or ResetCounts. A client that
// serialises its calls never gets above 1.
func (p *Proxy) MaxInFlight() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.maxInFlight
}

// AttemptsPerCall is a histogram of the requests each SDK call of an action
// made (attempts → number of calls), for the calls that sent an
// Amz-Sdk-Invocation-Id: {1: 40, 3: 2} is 40 calls answered at the first
// attempt and 2 that were tried three times. It shows how often a client
// retried, and that it stopped where its retry limit says.
func (p *Proxy) AttemptsPerCall(action string) map[int]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	histogram := map[int]int{}
	for _, n := range p.attempts[action] {
		histogram[n]++
	}
	return histogram
}

func (p *Proxy) summary() string {
	counts := p.Counts()
	actions := make([]string, 0, len(counts))
	for action := range counts {
		actions = append(actions, action)
	}
	sort.Strings(actions)
	var b strings.Builder
	for _, action := range actions {
		fmt.Fprintf(&b, "\n  %q: %+v", action, counts[action])
	}
	if b.Len() == 0 {
		return "no requests"
	}
	fmt.Fprintf(&b, "\n  at most %d requests in flight at once", p.MaxInFlight())
	return b.String()
}

type fault int

const (
	noFault fault = iota
	injectedError
	throttle
	serverError
	reset
	dropResponse
)

type decision struct {
	delay     time.Duration
	fault     fault
	inject    InjectError
	status503 bool
	requestID string
	// seq is the request's position among all requests received.
	seq           int
	beforeRespond func(action string, seq int)
}

// ActionOf returns the action a request names in its X-Amz-Target header,
// e.g. "CreateSecret" for "secretsmanager.CreateSecret", or "".
func ActionOf(r *http.Request) string {
	target := r.Header.Get("X-Amz-Target")
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		return target[i+1:]
	}
	return target
}

// decide counts the request and chooses its fate, under the lock, so that
// the random sequence is consumed in arrival order.
func (p *Proxy) decide(action, invocationID string) decision {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counts[action]
	if c == nil {
		c = &Counts{}
		p.counts[action] = c
	}
	c.Received++
	p.requests++
	d := decision{seq: p.requests, requestID: fmt.Sprintf("faultproxy-%06d", p.requests)}
	if invocationID != "" {
		calls := p.attempts[action]
		if calls == nil {
			calls = map[string]int{}
			p.attempts[action] = calls
		}
		calls[invocationID]++
	}
	d.beforeRespond = p.cfg.BeforeRespond

	// Always the same five draws, so one request's fate depends only on the
	// seed and its position, not on the configuration.
	throttleDraw, serverDraw, resetDraw, dropDraw, kindDraw :=
		p.rng.Float64(), p.rng.Float64(), p.rng.Float64(), p.rng.Float64(), p.rng.Float64()

	cfg := &p.cfg
	if cfg.Latency > 0 && cfg.LatencyActions.matches(action) {
		d.delay = cfg.Latency
		c.Delayed++
	}
	for i, e := range cfg.InjectErrors {
		if e.Action != "" && e.Action != action {
			continue
		}
		if e.Count > 0 {
			if p.injectLeft[i] <= 0 {
				continue
			}
			p.injectLeft[i]--
		}
		d.fault, d.inject = injectedError, e
		c.InjectedErrors++
		return d
	}
	if p.dropLeft[action] > 0 {
		p.dropLeft[action]--
		d.fault = dropResponse
		c.DroppedResponses++
		return d
	}
	if cfg.QuotaScale > 0 && !p.withinQuota(action) {
		d.fault = throttle
		c.Throttled++
		return d
	}
	if cfg.MaxFaultsPerCall > 0 && invocationID != "" && p.perCall[invocationID] >= cfg.MaxFaultsPerCall {
		return d
	}
	switch {
	case throttleDraw < cfg.ThrottleRate && cfg.ThrottleActions.matches(action):
		d.fault = throttle
		c.Throttled++
	case serverDraw < cfg.ServerErrorRate && cfg.ServerErrorActions.matches(action):
		d.fault, d.status503 = serverError, kindDraw < 0.5
		c.ServerErrors++
	case resetDraw < cfg.ResetRate && cfg.ResetActions.matches(action):
		d.fault = reset
		c.Resets++
	case dropDraw < cfg.DropResponseRate && cfg.DropResponseActions.matches(action):
		d.fault = dropResponse
		c.DroppedResponses++
	default:
		return d
	}
	if invocationID != "" {
		p.perCall[invocationID]++
	}
	return d
}

// quotaBucket is one emulated AWS quota: capacity tokens (a second of the
// rate), refilled at rate per second.
type quotaBucket struct {
	rate, tokens float64
	refilled     time.Time
}

// withinQuota takes a token from action's quota bucket, under p.mu, and
// says whether there was one.
func (p *Proxy) withinQuota(action string) bool {
	group, ok := pacing.GroupOf(action)
	if !ok {
		return true
	}
	now := time.Now()
	b := p.quotas[group]
	if b == nil {
		rate := pacing.QuotaPerSecond(group) * p.cfg.QuotaScale
		b = &quotaBucket{rate: rate, tokens: rate, refilled: now}
		p.quotas[group] = b
	}
	b.tokens = min(b.rate, b.tokens+now.Sub(b.refilled).Seconds()*b.rate)
	b.refilled = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (p *Proxy) count(action string, f func(*Counts)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.counts[action]
	if c == nil {
		c = &Counts{}
		p.counts[action] = c
	}
	f(c)
}

// ServeHTTP applies the configured faults to one request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.enter()
	defer p.leave()
	action := ActionOf(r)
	d := p.decide(action, r.Header.Get("Amz-Sdk-Invocation-Id"))
	if d.delay > 0 {
		timer := time.NewTimer(d.delay)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return
		}
	}
	switch d.fault {
	case throttle:
		writeAWSError(w, http.StatusBadRequest, "ThrottlingException", "Rate exceeded", d.requestID)
		return
	case serverError:
		if d.status503 {
			writeAWSError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "Service is unavailable, try again later", d.requestID)
		} else {
			writeAWSError(w, http.StatusInternalServerError, "InternalServiceError", "An error occurred on the server side", d.requestID)
		}
		return
	case injectedError:
		status, message := d.inject.Status, d.inject.Message
		if status == 0 {
			status = http.StatusBadRequest
		}
		if message == "" {
			message = d.inject.Code
		}
		writeAWSError(w, status, d.inject.Code, message, d.requestID)
		return
	case reset:
		// The request was sent in full; the answer is a reset connection.
		_, _ = io.Copy(io.Discard, r.Body)
		closeClientConnection(w, true)
		return
	}

	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the client went away
	}
	resp, respBody, err := p.forward(r, body)
	if err != nil {
		p.count(action, func(c *Counts) { c.TargetErrors++ })
		// The error names the target, never the request's content.
		http.Error(w, "faultproxy: the target did not answer: "+err.Error(), http.StatusBadGateway)
		return
	}
	p.count(action, func(c *Counts) { c.Forwarded++ })
	if d.beforeRespond != nil {
		d.beforeRespond(action, d.seq)
	}
	if d.fault == dropResponse {
		// The target has acted on the request; the client never learns how.
		closeClientConnection(w, false)
		return
	}
	header := w.Header()
	for k, vs := range resp.Header {
		if !isHopByHop(k) {
			header[k] = vs
		}
	}
	header.Del("Content-Length")
	header.Set("Content-Length", fmt.Sprint(len(respBody)))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(respBody)
}

func (p *Proxy) enter() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inFlight++
	p.maxInFlight = max(p.maxInFlight, p.inFlight)
}

func (p *Proxy) leave() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inFlight--
}

// forward sends the request to the target and reads its whole answer.
func (p *Proxy) forward(r *http.Request, body []byte) (*http.Response, []byte, error) {
	u := *p.target
	u.Path = strings.TrimSuffix(p.target.Path, "/") + r.URL.Path
	u.RawPath = ""
	u.RawQuery = r.URL.RawQuery
	out, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	out.Header = r.Header.Clone()
	for k := range out.Header {
		if isHopByHop(k) {
			out.Header.Del(k)
		}
	}
	out.Host = r.Host // the host the client signed
	resp, err := p.transport.RoundTrip(out)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	return resp, respBody, nil
}

func isHopByHop(header string) bool {
	switch http.CanonicalHeaderKey(header) {
	case "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
		"Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade":
		return true
	}
	return false
}

// closeClientConnection takes the connection from the HTTP server and closes
// it without writing anything: with reset, abortively (TCP RST), else with
// an orderly close, which the client sees as EOF.
func closeClientConnection(w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// writeAWSError answers as AWS's JSON 1.1 protocol does.
func writeAWSError(w http.ResponseWriter, status int, code, message, requestID string) {
	body, _ := json.Marshal(struct { // two strings always encode
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{code, message})
	h := w.Header()
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("X-Amzn-Errortype", code)
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
