package config

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// isolate keeps the developer's own AWS setup out of a test.
func isolate(t *testing.T) {
	for _, name := range []string{"AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER",
		"AWS_MAX_ATTEMPTS", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"} {
		t.Setenv(name, "")
	}
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
}

func TestEndpointComesFromConfigThenEnvironment(t *testing.T) {
	isolate(t)
	for _, tc := range []struct {
		name, configured, serviceEnv, globalEnv, want string
	}{
		{"none: real AWS", "", "", "", ""},
		{"service variable", "", "http://127.0.0.1:1111", "http://127.0.0.1:2222", "http://127.0.0.1:1111"},
		{"global variable", "", "", "http://127.0.0.1:2222", "http://127.0.0.1:2222"},
		{"config wins", "http://127.0.0.1:3333", "http://127.0.0.1:1111", "", "http://127.0.0.1:3333"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", tc.serviceEnv)
			t.Setenv("AWS_ENDPOINT_URL", tc.globalEnv)
			c := &Config{Endpoint: tc.configured}
			if err := c.Configure(context.Background()); err != nil {
				t.Fatal(err)
			}
			client, err := c.Client()
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(client.Options().BaseEndpoint); got != tc.want {
				t.Fatalf("endpoint %q, want %q", got, tc.want)
			}
		})
	}
}

func TestConfigureRejectsHalfCredentials(t *testing.T) {
	isolate(t)
	err := (&Config{AccessKey: "AKIAEXAMPLE"}).Configure(context.Background())
	if err == nil {
		t.Fatal("accessKey without secretKey was accepted")
	}
}

func TestMaxAttempts(t *testing.T) {
	isolate(t)
	three := 3
	for _, tc := range []struct {
		name       string
		maxRetries *int
		env        string
		want       int
	}{
		{"default", nil, "", DefaultMaxRetries + 1},
		{"AWS_MAX_ATTEMPTS", nil, "2", 2},
		{"smx:maxRetries wins", &three, "2", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AWS_MAX_ATTEMPTS", tc.env)
			c := &Config{MaxRetries: tc.maxRetries}
			if err := c.Configure(context.Background()); err != nil {
				t.Fatal(err)
			}
			client, _ := c.Client()
			if got := client.Options().Retryer.MaxAttempts(); got != tc.want {
				t.Fatalf("max attempts %d, want %d", got, tc.want)
			}
		})
	}
}

func apiError(code string, status int) error {
	return &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
		Err:      &smithy.GenericAPIError{Code: code, Message: "test"},
	}
}

func TestRetryerRetriesThrottlingAndServerErrorsButNotQuotas(t *testing.T) {
	retryer := NewRetryer(5)
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{apiError("ThrottlingException", 400), true},
		{apiError("InternalServiceError", 500), true},
		{apiError("ServiceUnavailable", 503), true},
		{apiError("LimitExceededException", 400), false},
		{apiError("ResourceNotFoundException", 400), false},
		{errors.New("plain error"), false},
	} {
		if got := retryer.IsErrorRetryable(tc.err); got != tc.want {
			t.Errorf("IsErrorRetryable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestConfigDiffNeverReplaces(t *testing.T) {
	old := &Config{Region: "us-east-1", Endpoint: "http://127.0.0.1:1"}
	resp, err := (&Config{}).Diff(context.Background(), infer.DiffRequest[*Config, *Config]{
		State: old, Inputs: &Config{Region: "eu-central-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.HasChanges || len(resp.DetailedDiff) != 2 {
		t.Fatalf("diff %+v: want region and endpoint changed", resp)
	}
	for key, d := range resp.DetailedDiff {
		if d.Kind != p.Update {
			t.Fatalf("%s: %v, want an update", key, d.Kind)
		}
	}
	same, _ := (&Config{}).Diff(context.Background(), infer.DiffRequest[*Config, *Config]{State: old, Inputs: old})
	if same.HasChanges {
		t.Fatalf("identical config reported a change: %+v", same)
	}
}

func TestCheckRejectsUnknownKeys(t *testing.T) {
	check := func(inputs map[string]property.Value) []p.CheckFailure {
		t.Helper()
		resp, err := (&Config{}).Check(context.Background(), infer.CheckRequest{NewInputs: property.NewMap(inputs)})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Failures
	}
	if f := check(map[string]property.Value{"region": property.New("eu-west-1"), "version": property.New("0.1.0")}); len(f) != 0 {
		t.Fatalf("known keys rejected: %v", f)
	}
	f := check(map[string]property.Value{"regoin": property.New("eu-west-1")})
	if len(f) != 1 || f[0].Property != "regoin" || !strings.Contains(f[0].Reason, "did you mean smx:region?") {
		t.Fatalf("a misspelt key: %v", f)
	}
	f = check(map[string]property.Value{"unknownKey": property.New("x")})
	if len(f) != 1 || !strings.Contains(f[0].Reason, "smx knows region, profile") {
		t.Fatalf("an unknown key: %v", f)
	}
	f = check(map[string]property.Value{"accessKey": property.New("AKIA"), "maxRetries": property.New(-1.0)})
	if len(f) != 2 {
		t.Fatalf("half credentials and negative retries: %v", f)
	}
}

func TestMissingCredentialsSayWhereToPutThem(t *testing.T) {
	isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("HOME", t.TempDir())
	c := &Config{}
	if err := c.Configure(context.Background()); err != nil {
		t.Fatal(err)
	}
	client, _ := c.Client()
	_, err := client.Options().Credentials.Retrieve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "smx found no AWS credentials: set smx:accessKey") {
		t.Fatalf("missing credentials: %v", err)
	}
}

// Each region gets one client, made on first use and reused after, with the
// provider's endpoint, credentials and retry settings; only the region differs.
func TestOneClientPerRegionReused(t *testing.T) {
	isolate(t)
	retries := 3
	c := &Config{Region: "us-east-1", Endpoint: "http://127.0.0.1:4444", MaxRetries: &retries}
	if err := c.Configure(context.Background()); err != nil {
		t.Fatal(err)
	}
	if region, err := c.EffectiveRegion(); err != nil || region != "us-east-1" {
		t.Fatalf("effective region %q (%v), want us-east-1", region, err)
	}
	home, err := c.Client()
	if err != nil {
		t.Fatal(err)
	}
	copied := *c // infer hands resources copies of the configuration
	for _, region := range []string{"", "us-east-1"} {
		if got, _ := copied.ClientFor(region); got != home {
			t.Fatalf("ClientFor(%q) is not the provider's own client", region)
		}
	}
	eu, err := copied.ClientFor("eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	if eu == home {
		t.Fatal("eu-west-1 got the provider's us-east-1 client")
	}
	if again, _ := c.ClientFor("eu-west-1"); again != eu {
		t.Fatal("a second ClientFor(eu-west-1) made a new client")
	}
	o := eu.Options()
	if o.Region != "eu-west-1" || aws.ToString(o.BaseEndpoint) != "http://127.0.0.1:4444" {
		t.Fatalf("eu-west-1 client: region %q endpoint %q", o.Region, aws.ToString(o.BaseEndpoint))
	}
	if got := o.Retryer.MaxAttempts(); got != retries+1 {
		t.Fatalf("eu-west-1 client makes %d attempts, want %d", got, retries+1)
	}
	creds, err := o.Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != "testing" {
		t.Fatalf("eu-west-1 client credentials %q (%v)", creds.AccessKeyID, err)
	}
}

func TestClientForBeforeConfigureFails(t *testing.T) {
	if _, err := (Config{}).ClientFor("eu-west-1"); err == nil {
		t.Fatal("ClientFor on an unconfigured provider must fail")
	}
}
