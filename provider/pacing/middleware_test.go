package pacing

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go/middleware"
)

// throttlingEndpoint answers the first `throttle` requests of each
// operation with AWS's ThrottlingException and the rest with an empty
// success, and counts what it saw per operation.
type throttlingEndpoint struct {
	mu       sync.Mutex
	throttle int
	seen     map[string]int
}

func (e *throttlingEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	operation := target[strings.LastIndexByte(target, '.')+1:]
	e.mu.Lock()
	e.seen[operation]++
	throttled := e.seen[operation] <= e.throttle
	e.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if throttled {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"__type":"ThrottlingException","message":"Rate exceeded"}`))
		return
	}
	_, _ = w.Write([]byte(`{"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf","Name":"x"}`))
}

func clientThrough(t *testing.T, url, region string, l *Limiter) *sm.Client {
	t.Helper()
	return sm.New(sm.Options{
		Region:       region,
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 5
			o.MaxBackoff = time.Millisecond
			o.RateLimiter = ratelimit.None
		}),
		APIOptions: []func(*middleware.Stack) error{l.APIOption(region)},
	})
}

func TestTheMiddlewarePacesEveryAttemptAndAdaptsToThrottling(t *testing.T) {
	endpoint := &throttlingEndpoint{throttle: 2, seen: map[string]int{}}
	server := httptest.NewServer(endpoint)
	defer server.Close()
	l := NewLimiter(1)
	resources := clientThrough(t, server.URL, "us-east-1", l)
	functions := clientThrough(t, server.URL, "us-east-1", l) // another client of the same process

	// UpdateSecret is throttled twice and then succeeds: the SDK retries,
	// and each throttled attempt that was sent after the last cut halves
	// SecretWrites — sequential attempts, so both do.
	if _, err := resources.UpdateSecret(context.Background(), &sm.UpdateSecretInput{SecretId: aws.String("x")}); err != nil {
		t.Fatalf("UpdateSecret after two throttled attempts: %v", err)
	}
	if got := endpoint.seen["UpdateSecret"]; got != 3 {
		t.Fatalf("UpdateSecret reached the endpoint %d times, want 3 (two throttled, one answered)", got)
	}
	cut := l.Rate("us-east-1", SecretWrites)
	// (The answered attempt has begun the climb back, by a hair.)
	if cut < 12.5 || cut > 13 {
		t.Fatalf("SecretWrites after two throttled attempts: %v/s, want 12.5", cut)
	}
	// The other client shares the bucket: its PutSecretValue (same quota
	// group) goes out at the cut rate, and its success starts the climb back.
	endpoint.throttle = 0
	if _, err := functions.PutSecretValue(context.Background(), &sm.PutSecretValueInput{SecretId: aws.String("x"), SecretString: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	if got := l.Rate("us-east-1", SecretWrites); got < cut || got >= 50 {
		t.Errorf("SecretWrites after a successful call: %v/s, want between the cut rate %v and the quota", got, cut)
	}
	// Other groups and other regions are untouched.
	if got := l.Rate("us-east-1", ValueReads); got != 0 {
		t.Errorf("DescribeSecret+GetSecretValue bucket exists (%v/s) though no read was made", got)
	}
	other := clientThrough(t, server.URL, "eu-west-1", l)
	if _, err := other.DescribeSecret(context.Background(), &sm.DescribeSecretInput{SecretId: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	if got := l.Rate("eu-west-1", ValueReads); got != 10_000 {
		t.Errorf("eu-west-1 reads: %v/s, want the full quota", got)
	}
}

func TestOnlyThrottlingCutsTheRate(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"__type":"LimitExceededException","message":"too many versions"}`))
	}))
	defer server.Close()
	l := NewLimiter(1)
	client := clientThrough(t, server.URL, "us-east-1", l)
	if _, err := client.PutSecretValue(context.Background(), &sm.PutSecretValueInput{SecretId: aws.String("x"), SecretString: aws.String("v")}); err == nil {
		t.Fatal("PutSecretValue succeeded against an endpoint that refuses it")
	}
	if got := l.Rate("us-east-1", SecretWrites); got != 50 {
		t.Errorf("a quota error (not throttling) changed the rate to %v/s", got)
	}
}
