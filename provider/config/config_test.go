package config

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/smxlabs/pulumi-smx/provider/pacing"
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
			client, err := c.ClientFor("")
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
			client, _ := c.ClientFor("")
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
		{apiError("AccessDeniedException", 400), false},
		{apiError("AccessDeniedException", 503), false},
		{apiError("ResourceNotFoundException", 400), false},
		{errors.New("plain error"), false},
	} {
		if got := retryer.IsErrorRetryable(tc.err); got != tc.want {
			t.Errorf("IsErrorRetryable(%v) = %v, want %v", tc.err, got, tc.want)
		}
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
	client, _ := c.ClientFor("")
	_, err := client.Options().Credentials.Retrieve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "smx found no AWS credentials: set smx:accessKey") {
		t.Fatalf("missing credentials: %v", err)
	}
}

// checkConfig runs Check on settings as infer hands them over: stack config
// arrives as strings, and infer's CheckConfig decodes those that are JSON
// ("-1" becomes -1) before Check sees them; provider_test.go checks that
// through the provider's CheckConfig.
func checkConfig(t *testing.T, settings map[string]property.Value) []p.CheckFailure {
	t.Helper()
	resp, err := (&Config{}).Check(context.Background(), infer.CheckRequest{NewInputs: property.NewMap(settings)})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Failures
}

func TestCheckRejectsMalformedSettings(t *testing.T) {
	s := property.New[string]
	for name, tc := range map[string]struct {
		settings map[string]property.Value
		property string
		reason   string
	}{
		"region in capitals":      {map[string]property.Value{"region": s("EU-WEST-1")}, "region", `smx:region must be an AWS region such as eu-west-1, got "EU-WEST-1"`},
		"region without a number": {map[string]property.Value{"region": s("us-east")}, "region", "smx:region must be an AWS region"},
		"region a display name":   {map[string]property.Value{"region": s("Frankfurt")}, "region", "smx:region must be an AWS region"},
		"region given empty":      {map[string]property.Value{"region": s("")}, "region", `smx:region must be an AWS region such as eu-west-1, got ""`},
		"endpoint ftp":            {map[string]property.Value{"endpoint": s("ftp://127.0.0.1:21")}, "endpoint", `smx:endpoint must be an absolute http:// or https:// URL with a host, such as http://127.0.0.1:5000, got "ftp://127.0.0.1:21"`},
		"endpoint without scheme": {map[string]property.Value{"endpoint": s("127.0.0.1:5000")}, "endpoint", "smx:endpoint must be an absolute http:// or https:// URL"},
		"endpoint a bare host":    {map[string]property.Value{"endpoint": s("localhost")}, "endpoint", `got "localhost"`},
		"endpoint without host":   {map[string]property.Value{"endpoint": s("http://")}, "endpoint", `with a host, such as http://127.0.0.1:5000, got "http://"`},
		"endpoint not parsing":    {map[string]property.Value{"endpoint": s("http://[::1")}, "endpoint", `"http://[::1" does not parse: missing ']' in host`},
		"endpoint given empty":    {map[string]property.Value{"endpoint": s("")}, "endpoint", `got ""`},
		"maxRetries -1":           {map[string]property.Value{"maxRetries": property.New(-1.0)}, "maxRetries", "smx:maxRetries must be a whole number from 0 to 100, got -1"},
		"maxRetries 101":          {map[string]property.Value{"maxRetries": property.New(101.0)}, "maxRetries", "from 0 to 100, got 101"},
		"maxRetries 1.5":          {map[string]property.Value{"maxRetries": property.New(1.5)}, "maxRetries", "smx:maxRetries must be a whole number from 0 to 100, got 1.5"},
		"maxRetries not a number": {map[string]property.Value{"maxRetries": s("often")}, "maxRetries", "int"},
		"profile given empty":     {map[string]property.Value{"profile": s("")}, "profile", "smx:profile is set but empty"},
		"quotaShare 0":            {map[string]property.Value{"quotaShare": property.New(0.0)}, "quotaShare", "smx:quotaShare must be a number greater than 0 and at most 1 (a share of AWS's request quotas), got 0"},
		"quotaShare 1.5":          {map[string]property.Value{"quotaShare": property.New(1.5)}, "quotaShare", "at most 1 (a share of AWS's request quotas), got 1.5"},
		"quotaShare -0.5":         {map[string]property.Value{"quotaShare": property.New(-0.5)}, "quotaShare", "greater than 0 and at most 1"},
		"quotaShare a percentage": {map[string]property.Value{"quotaShare": property.New(50.0)}, "quotaShare", "got 50"},
		"quotaShare not a number": {map[string]property.Value{"quotaShare": s("half")}, "quotaShare", "float"},
		"accessKey alone":         {map[string]property.Value{"accessKey": s("AKIAEXAMPLE")}, "accessKey", "smx:accessKey and smx:secretKey must be set together"},
		"secretKey alone":         {map[string]property.Value{"secretKey": s("secret")}, "accessKey", "smx:accessKey and smx:secretKey must be set together"},
		"token without keys":      {map[string]property.Value{"token": s("session")}, "token", "smx:token needs smx:accessKey and smx:secretKey"},
	} {
		t.Run(name, func(t *testing.T) {
			failures := checkConfig(t, tc.settings)
			if len(failures) != 1 || failures[0].Property != tc.property || !strings.Contains(failures[0].Reason, tc.reason) {
				t.Fatalf("failures %v; want one on %s saying %q", failures, tc.property, tc.reason)
			}
		})
	}
}

func TestCheckAcceptsWellFormedSettings(t *testing.T) {
	s := property.New[string]
	for name, settings := range map[string]map[string]property.Value{
		"nothing: all from the environment": {},
		"commercial region":                 {"region": s("eu-central-1")},
		"GovCloud region":                   {"region": s("us-gov-west-1")},
		"China region":                      {"region": s("cn-north-1")},
		"ISO-E region":                      {"region": s("eu-isoe-west-1")},
		"ISO-B region":                      {"region": s("us-isob-east-1")},
		"moto endpoint":                     {"endpoint": s("http://127.0.0.1:5000")},
		"AWS endpoint with a path":          {"endpoint": s("https://secretsmanager.us-east-1.amazonaws.com/")},
		"maxRetries 0":                      {"maxRetries": property.New(0.0)},
		"maxRetries 100":                    {"maxRetries": property.New(100.0)},
		"quotaShare 1":                      {"quotaShare": property.New(1.0)},
		"quotaShare 0.25":                   {"quotaShare": property.New(0.25)},
		"profile":                           {"profile": s("prod")},
		"temporary credentials":             {"accessKey": s("ASIAEXAMPLE"), "secretKey": s("secret"), "token": s("session")},
		"the engine's own keys":             {"version": s("0.1.0"), "__internal": property.New(map[string]property.Value{})},
	} {
		t.Run(name, func(t *testing.T) {
			if failures := checkConfig(t, settings); len(failures) != 0 {
				t.Fatalf("rejected: %v", failures)
			}
		})
	}
}

// At preview, an explicit provider's setting that is another resource's
// output is unknown: it decodes as empty and must not be judged as empty.
func TestCheckDoesNotJudgeUnknownSettings(t *testing.T) {
	unknown := property.New(property.Computed)
	for name, settings := range map[string]map[string]property.Value{
		"region":                 {"region": unknown},
		"endpoint":               {"endpoint": unknown},
		"profile":                {"profile": unknown},
		"maxRetries":             {"maxRetries": unknown},
		"accessKey, secretKey":   {"accessKey": unknown, "secretKey": property.New("secret")},
		"secret unknown":         {"accessKey": property.New("AKIAEXAMPLE"), "secretKey": unknown.WithSecret(true)},
		"token, accessKey known": {"token": property.New("session"), "accessKey": unknown, "secretKey": unknown},
	} {
		t.Run(name, func(t *testing.T) {
			if failures := checkConfig(t, settings); len(failures) != 0 {
				t.Fatalf("an unknown setting was judged: %v", failures)
			}
		})
	}
}

func TestValidateRegion(t *testing.T) {
	for _, region := range []string{"us-east-1", "ap-southeast-5", "il-central-1", "us-gov-east-1", "cn-northwest-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1"} {
		if err := ValidateRegion(region); err != nil {
			t.Errorf("%s rejected: %v", region, err)
		}
	}
	for _, region := range []string{"", "us-east", "US-EAST-1", "us-east-1a", "useast1", " us-east-1", "us_east_1", "arn:aws:us-east-1"} {
		if err := ValidateRegion(region); err == nil || !strings.Contains(err.Error(), "must be an AWS region such as eu-west-1") {
			t.Errorf("%q: %v, want it rejected", region, err)
		}
	}
}

// Configure repeats the rules for a configuration that did not pass Check
// (a test, or an engine that skips CheckConfig) and names every problem.
func TestConfigureRejectsWhatCheckRejects(t *testing.T) {
	isolate(t)
	minus := -1
	err := (&Config{Region: "EU-WEST", Endpoint: "ftp://x", MaxRetries: &minus}).Configure(context.Background())
	for _, want := range []string{"smx:region must be an AWS region", "smx:endpoint must be an absolute http://", "smx:maxRetries must be a whole number"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Configure: %v; want it to say %q", err, want)
		}
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
	home, err := c.ClientFor("")
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
	if c.Limiter() == nil || copied.Limiter() != c.Limiter() {
		t.Fatal("the copies of the configuration do not share one limiter")
	}
}

// Every client of a configuration, whatever its region, is paced by the
// configuration's one limiter, at smx:quotaShare of AWS's quotas.
func TestClientsArePacedByOneSharedLimiter(t *testing.T) {
	isolate(t)
	var calls atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"Name":"x"}`))
	}))
	defer server.Close()
	share := 0.1
	c := &Config{Region: "us-east-1", Endpoint: server.URL, QuotaShare: &share}
	if err := c.Configure(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"", "eu-west-1"} {
		client, err := c.ClientFor(region)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.UpdateSecret(context.Background(), &secretsmanager.UpdateSecretInput{SecretId: aws.String("x")}); err != nil {
			t.Fatal(err)
		}
	}
	if calls.Load() != 2 {
		t.Fatalf("the endpoint saw %d calls, want 2", calls.Load())
	}
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		if got := c.Limiter().Rate(region, pacing.SecretWrites); got != 5 {
			t.Errorf("%s UpdateSecret pacing: %v/s, want a tenth of AWS's 50/s", region, got)
		}
	}
}

func TestClientForBeforeConfigureFails(t *testing.T) {
	if _, err := (Config{}).ClientFor("eu-west-1"); err == nil {
		t.Fatal("ClientFor on an unconfigured provider must fail")
	}
}

// An endpoint from the environment or the shared config file is judged by
// smx:endpoint's rule when the provider is configured, which a preview does:
// a value without a scheme would otherwise pass the preview and fail every
// call of `pulumi up` ("failed to resolve service endpoint").
func TestConfigureJudgesTheEndpointFromTheEnvironment(t *testing.T) {
	isolate(t)
	const rule = "must be an absolute http:// or https:// URL with a host, such as http://127.0.0.1:5000"
	sharedConfig := t.TempDir() + "/config"
	for name, tc := range map[string]struct {
		serviceEnv, globalEnv, sharedEndpoint, configured string
		want                                              []string // none: accepted
	}{
		"service variable without a scheme": {serviceEnv: "127.0.0.1:5000",
			want: []string{"AWS_ENDPOINT_URL_SECRETS_MANAGER " + rule, `"127.0.0.1:5000"`}},
		"global variable without a scheme": {globalEnv: "localhost:4566",
			want: []string{"AWS_ENDPOINT_URL " + rule, `got "localhost:4566"`}},
		"global variable ftp": {globalEnv: "ftp://127.0.0.1:21", want: []string{"AWS_ENDPOINT_URL " + rule, `got "ftp://127.0.0.1:21"`}},
		"shared config file": {sharedEndpoint: "localhost:5000",
			want: []string{"the shared AWS config file's endpoint_url " + rule, `got "localhost:5000"`}},
		"service variable well-formed":          {serviceEnv: "http://127.0.0.1:5000"},
		"smx:endpoint wins over a bad variable": {serviceEnv: "127.0.0.1:5000", configured: "http://127.0.0.1:5000"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", tc.serviceEnv)
			t.Setenv("AWS_ENDPOINT_URL", tc.globalEnv)
			profile := "[default]\n"
			if tc.sharedEndpoint != "" {
				profile += "endpoint_url = " + tc.sharedEndpoint + "\n"
			}
			if err := os.WriteFile(sharedConfig, []byte(profile), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("AWS_CONFIG_FILE", sharedConfig)
			err := (&Config{Endpoint: tc.configured}).Configure(context.Background())
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			for _, want := range append([]string{"invalid smx provider configuration: "}, tc.want...) {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("Configure: %v; want it to say %q", err, want)
				}
			}
		})
	}
}

func TestPlainHTTPWarning(t *testing.T) {
	for _, endpoint := range []string{"", "https://secretsmanager.eu-west-1.amazonaws.com", "https://10.0.0.5:8443",
		"http://127.0.0.1:5000", "http://127.8.9.10:5000", "http://[::1]:5000", "http://localhost:4566", "http://LOCALHOST:4566"} {
		if warning := plainHTTPWarning(endpoint, "smx:endpoint"); warning != "" {
			t.Errorf("%q warned: %s", endpoint, warning)
		}
	}
	for endpoint, host := range map[string]string{
		"http://10.0.0.5:5000":              "10.0.0.5",
		"http://moto.internal:5000":         "moto.internal",
		"http://[2001:db8::1]:5000":         "2001:db8::1",
		"http://localhost.example.com:4566": "localhost.example.com",
		"http://user:hunter2@192.0.2.7":     "192.0.2.7",
	} {
		warning := plainHTTPWarning(endpoint, "AWS_ENDPOINT_URL")
		for _, want := range []string{"is plain http:// to " + host + ",", "(from AWS_ENDPOINT_URL)", "unencrypted", "https://"} {
			if !strings.Contains(warning, want) {
				t.Errorf("%q: warning %q does not say %q", endpoint, warning, want)
			}
		}
		if strings.Contains(warning, "hunter2") {
			t.Errorf("the warning shows the password in the endpoint: %s", warning)
		}
	}
}

// The warning is given once per provider, when it is configured, through
// the provider's logger (the CLI shows it; here it is slog's default).
func TestConfigureWarnsOfPlainHTTPToAnotherMachine(t *testing.T) {
	isolate(t)
	var logged bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelWarn})))
	t.Cleanup(func() { slog.SetDefault(previous) })
	for name, tc := range map[string]struct {
		configured, serviceEnv string
		warnings               int
		host, source           string
	}{
		"smx:endpoint to another machine": {configured: "http://192.0.2.10:5000", warnings: 1, host: "192.0.2.10", source: "smx:endpoint"},
		"variable to another machine":     {serviceEnv: "http://moto.internal:5000", warnings: 1, host: "moto.internal", source: "AWS_ENDPOINT_URL_SECRETS_MANAGER"},
		"loopback":                        {configured: "http://127.0.0.1:5000"},
		"https":                           {serviceEnv: "https://vpce-0abc.secretsmanager.eu-west-1.vpce.amazonaws.com"},
		"AWS's own endpoint":              {},
	} {
		t.Run(name, func(t *testing.T) {
			logged.Reset()
			t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", tc.serviceEnv)
			if err := (&Config{Endpoint: tc.configured}).Configure(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(logged.String(), "is plain http://"); got != tc.warnings {
				t.Fatalf("%d warnings, want %d:\n%s", got, tc.warnings, logged.String())
			}
			if tc.warnings > 0 && (!strings.Contains(logged.String(), "to "+tc.host) || !strings.Contains(logged.String(), "from "+tc.source)) {
				t.Fatalf("the warning does not name host %s and source %s:\n%s", tc.host, tc.source, logged.String())
			}
		})
	}
}

// CheckCredentials finds what the SDK's chain finds, without a network call
// for keys from the environment, and explains what to set when there are none.
func TestCheckCredentials(t *testing.T) {
	isolate(t)
	c := &Config{}
	if err := c.Configure(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Fatalf("keys from the environment: %v", err)
	}

	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("HOME", t.TempDir())
	none := &Config{}
	if err := none.Configure(context.Background()); err != nil {
		t.Fatal(err, "Configure itself needs no credentials")
	}
	err := none.CheckCredentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "smx found no AWS credentials: set smx:accessKey and smx:secretKey") {
		t.Fatalf("no credentials: %v", err)
	}
	if err := (Config{}).CheckCredentials(context.Background()); err == nil {
		t.Fatal("CheckCredentials on an unconfigured provider must fail")
	}
}
