package config

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// isolateNetwork is isolate plus the network variables a developer's
// machine may set.
func isolateNetwork(t *testing.T) {
	isolate(t)
	for _, name := range []string{"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_CA_BUNDLE",
		"AWS_RETRY_MODE", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "AWS_EC2_METADATA_DISABLED"} {
		t.Setenv(name, "")
	}
}

func configuredClient(t *testing.T, c *Config) *secretsmanager.Client {
	t.Helper()
	if err := c.Configure(context.Background()); err != nil {
		t.Fatal(err)
	}
	client, err := c.ClientFor("")
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func TestFIPSAndDualStackEndpointsAreTheOnesTheSDKResolves(t *testing.T) {
	isolateNetwork(t)
	yes, no := aws.Bool(true), aws.Bool(false)
	// Secrets Manager's own endpoints answer IPv6 in most regions, so the SDK
	// resolves dual-stack to the same name there; in China, FIPS with
	// dual-stack has a name of its own, which shows both settings arrive.
	const (
		plain         = "https://secretsmanager.cn-north-1.amazonaws.com.cn"
		fips          = "https://secretsmanager-fips.cn-north-1.amazonaws.com.cn"
		fipsDualStack = "https://secretsmanager-fips.cn-north-1.api.amazonwebservices.com.cn"
	)
	for _, tc := range []struct {
		name             string
		fips, dualstack  *bool
		fipsEnv, dualEnv string
		want             string
	}{
		{name: "neither", want: plain},
		{name: "useFipsEndpoint", fips: yes, want: fips},
		{name: "useFipsEndpoint and useDualstackEndpoint", fips: yes, dualstack: yes, want: fipsDualStack},
		{name: "AWS_USE_FIPS_ENDPOINT", fipsEnv: "true", want: fips},
		{name: "AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT", fipsEnv: "true", dualEnv: "true", want: fipsDualStack},
		{name: "useFipsEndpoint and AWS_USE_DUALSTACK_ENDPOINT", fips: yes, dualEnv: "true", want: fipsDualStack},
		{name: "an explicit false wins over the variables", fips: no, dualstack: no, fipsEnv: "true", dualEnv: "true", want: plain},
		{name: "an explicit false dual-stack wins", fips: yes, dualstack: no, dualEnv: "true", want: fips},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AWS_USE_FIPS_ENDPOINT", tc.fipsEnv)
			t.Setenv("AWS_USE_DUALSTACK_ENDPOINT", tc.dualEnv)
			client := configuredClient(t, &Config{Region: "cn-north-1", UseFipsEndpoint: tc.fips, UseDualstackEndpoint: tc.dualstack})
			got, err := resolvedEndpoint(context.Background(), client)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("resolved %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFIPSFromTheEnvironmentWithACustomEndpointFailsConfigure(t *testing.T) {
	isolateNetwork(t)
	t.Setenv("AWS_USE_FIPS_ENDPOINT", "true")
	err := (&Config{Endpoint: "http://127.0.0.1:5000"}).Configure(context.Background())
	if err == nil || !strings.Contains(err.Error(), "FIPS and custom endpoint are not supported") {
		t.Fatalf("Configure: %v; want the SDK's refusal of FIPS with a custom endpoint", err)
	}
}

func TestEndpointsSecretsManagerIsTheEndpointAndSTSIsExposed(t *testing.T) {
	isolateNetwork(t)
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:1111")
	c := &Config{Endpoints: []ProviderEndpoint{{S3: aws.String("http://ignored.example"),
		Secretsmanager: aws.String("http://127.0.0.1:2222"), Sts: aws.String("http://127.0.0.1:3333")}}}
	client := configuredClient(t, c)
	if got := aws.ToString(client.Options().BaseEndpoint); got != "http://127.0.0.1:2222" {
		t.Fatalf("endpoint %q, want smx:endpoints' over the variable", got)
	}
	if endpoint, source := c.effectiveEndpoint(); source != "smx:endpoints[].secretsmanager" {
		t.Fatalf("endpoint %q from %q", endpoint, source)
	}
	if got := c.stsEndpoint(); got != "http://127.0.0.1:3333" {
		t.Fatalf("stsEndpoint %q", got)
	}
	if got := (&Config{}).stsEndpoint(); got != "" {
		t.Fatalf("stsEndpoint of no endpoints %q, want empty", got)
	}
}

func TestSharedFilesAreHonoured(t *testing.T) {
	isolateNetwork(t)
	dir := t.TempDir()
	configFile, credentialsFile := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	writeFile(t, configFile, "[profile team]\nregion = eu-north-1\n")
	writeFile(t, credentialsFile, "[team]\naws_access_key_id = AKIAFROMFILE\naws_secret_access_key = fromfile\n")
	// The variables name files that do not hold the profile: the settings win.
	c := &Config{Profile: "team", SharedConfigFiles: []string{configFile}, SharedCredentialsFiles: []string{credentialsFile}}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_REGION", "")
	client := configuredClient(t, c)
	if got := client.Options().Region; got != "eu-north-1" {
		t.Fatalf("region %q, want the shared config file's", got)
	}
	creds, err := c.regional.awsCfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "AKIAFROMFILE" {
		t.Fatalf("access key %q, want the shared credentials file's", creds.AccessKeyID)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// tlsServer is a loopback HTTPS server with a certificate of its own for
// 127.0.0.1, and that certificate as a PEM file.
func tlsServer(t *testing.T, handler http.Handler) (srv *httptest.Server, caFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smx test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewUnstartedServer(handler)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	writeFile(t, caFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	return srv, caFile
}

func TestCustomCABundleAndInsecure(t *testing.T) {
	isolateNetwork(t)
	var calls atomic.Int32
	srv, caFile := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"SecretList":[]}`))
	}))
	list := func(c *Config) error {
		zero := 0
		c.Endpoint, c.MaxRetries = srv.URL, &zero
		_, err := configuredClient(t, c).ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{})
		return err
	}
	if err := list(&Config{}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("without a CA bundle: %v; want a certificate error", err)
	}
	if err := list(&Config{CustomCaBundle: caFile}); err != nil {
		t.Fatalf("with smx:customCaBundle: %v", err)
	}
	t.Setenv("AWS_CA_BUNDLE", caFile)
	if err := list(&Config{}); err != nil {
		t.Fatalf("with AWS_CA_BUNDLE: %v", err)
	}
	t.Setenv("AWS_CA_BUNDLE", "")
	if err := list(&Config{Insecure: aws.Bool(true)}); err != nil {
		t.Fatalf("with smx:insecure: %v", err)
	}
	if calls.Load() != 3 {
		t.Fatalf("the server answered %d calls, want 3", calls.Load())
	}
}

func TestProxies(t *testing.T) {
	isolateNetwork(t)
	proxy := func(u string) *url.URL {
		parsed, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		return parsed
	}
	for _, tc := range []struct {
		name         string
		c            Config
		env          map[string]string
		target, want string
	}{
		{name: "none", target: "https://secretsmanager.us-east-1.amazonaws.com"},
		{name: "HTTPS_PROXY", env: map[string]string{"HTTPS_PROXY": "http://env.example:1"},
			target: "https://secretsmanager.us-east-1.amazonaws.com", want: "http://env.example:1"},
		{name: "httpsProxy wins", c: Config{HTTPSProxy: aws.String("http://set.example:2")},
			env: map[string]string{"HTTPS_PROXY": "http://env.example:1"}, target: "https://sm.example", want: "http://set.example:2"},
		{name: "httpProxy serves https too", c: Config{HTTPProxy: aws.String("http://plain.example:3")},
			target: "https://sm.example", want: "http://plain.example:3"},
		{name: "httpProxy does not override HTTPS_PROXY", c: Config{HTTPProxy: aws.String("http://plain.example:3")},
			env: map[string]string{"HTTPS_PROXY": "http://env.example:1"}, target: "https://sm.example", want: "http://env.example:1"},
		{name: "an empty httpsProxy is none", c: Config{HTTPSProxy: aws.String("")},
			env: map[string]string{"HTTPS_PROXY": "http://env.example:1"}, target: "https://sm.example"},
		{name: "noProxy", c: Config{HTTPSProxy: aws.String("http://set.example:2"), NoProxy: "sm.example"},
			target: "https://sm.example"},
		{name: "NO_PROXY", c: Config{HTTPSProxy: aws.String("http://set.example:2")},
			env: map[string]string{"NO_PROXY": ".example"}, target: "https://sm.example"},
		{name: "host:port is http", c: Config{HTTPProxy: aws.String("proxy.example:3128")},
			target: "http://sm.example", want: "http://proxy.example:3128"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			options, err := tc.c.transportOptions()
			if err != nil {
				t.Fatal(err)
			}
			tr := &http.Transport{}
			options(tr)
			got, err := tr.Proxy(&http.Request{URL: proxy(tc.target)})
			if err != nil {
				t.Fatal(err)
			}
			if gotText := urlText(got); gotText != tc.want {
				t.Fatalf("proxy of %s: %q, want %q", tc.target, gotText, tc.want)
			}
		})
	}
}

func urlText(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}

func TestRetryModeAndTokenBucket(t *testing.T) {
	isolateNetwork(t)
	capacity := 10
	for _, c := range []*Config{{}, {RetryMode: "adaptive"}, {TokenBucketRateLimiterCapacity: &capacity}} {
		client := configuredClient(t, c)
		retryer := client.Options().Retryer
		// Adaptive or not, the retryer is smx's standard one: smx's pacing
		// is the adaptive part, and an SDK limiter would pace twice.
		if _, adaptive := retryer.(*retry.AdaptiveMode); adaptive {
			t.Fatalf("%+v: the SDK's adaptive retryer paces on top of smx's pacing", c)
		}
		// A bucket of 10 lets two retries after throttling (5 tokens each)
		// through, then refuses.
		var refused int
		for range 3 {
			if _, err := retryer.GetRetryToken(context.Background(), errThrottled); err != nil {
				refused++
			}
		}
		want := 0
		if c.TokenBucketRateLimiterCapacity != nil {
			want = 1
		}
		if refused != want {
			t.Fatalf("%+v: %d of 3 retries refused, want %d", c, refused, want)
		}
	}
	// AWS_RETRY_MODE is still judged by the SDK.
	t.Setenv("AWS_RETRY_MODE", "eager")
	if err := (&Config{}).Configure(context.Background()); err == nil {
		t.Fatal("AWS_RETRY_MODE=eager was accepted")
	}
}

var errThrottled = &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}

func TestUserAgents(t *testing.T) {
	isolateNetwork(t)
	var agent atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent.Store(r.Header.Get("User-Agent"))
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"SecretList":[]}`))
	}))
	t.Cleanup(srv.Close)
	client := configuredClient(t, &Config{Endpoint: srv.URL, UserAgents: []string{"my-pipeline/1.2", "team-x"}})
	if _, err := client.ListSecrets(context.Background(), &secretsmanager.ListSecretsInput{}); err != nil {
		t.Fatal(err)
	}
	got, _ := agent.Load().(string)
	for _, want := range []string{"my-pipeline/1.2", "team-x"} {
		if !strings.Contains(got, want) {
			t.Fatalf("User-Agent %q lacks %q", got, want)
		}
	}
}

func TestCheckRejectsMalformedNetworkSettings(t *testing.T) {
	isolateNetwork(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	writeFile(t, caFile, "not a certificate")
	missing := filepath.Join(t.TempDir(), "missing.pem")
	for _, tc := range []struct {
		name   string
		config map[string]property.Value
		want   string
	}{
		{"retryMode", map[string]property.Value{"retryMode": property.New("eager")}, `smx:retryMode must be standard or adaptive, got "eager"`},
		{"endpoints without a scheme", map[string]property.Value{"endpoints": endpoints(map[string]string{"secretsmanager": "127.0.0.1:5000"})},
			"smx:endpoints secretsmanager must be an absolute http:// or https:// URL"},
		{"endpoints as stack config JSON", map[string]property.Value{"endpoints": property.New(`[{"sts":"localhost:5000"}]`)},
			"smx:endpoints sts must be an absolute http:// or https:// URL"},
		{"endpoints disagreeing with endpoint", map[string]property.Value{"endpoint": property.New("http://127.0.0.1:1"),
			"endpoints": endpoints(map[string]string{"secretsmanager": "http://127.0.0.1:2"})}, "disagree"},
		{"a CA bundle that does not exist", map[string]property.Value{"customCaBundle": property.New(missing)},
			"smx:customCaBundle must be a readable PEM file of CA certificates"},
		{"a CA bundle with no certificate", map[string]property.Value{"customCaBundle": property.New(caFile)}, "holds none"},
		{"insecure and a CA bundle", map[string]property.Value{"customCaBundle": property.New(caFile), "insecure": property.New(true)},
			"smx:insecure and smx:customCaBundle cannot be set together"},
		{"ec2MetadataServiceEndpointMode", map[string]property.Value{"ec2MetadataServiceEndpointMode": property.New("ipv4")},
			`smx:ec2MetadataServiceEndpointMode must be IPv4 or IPv6, got "ipv4"`},
		{"httpProxy", map[string]property.Value{"httpProxy": property.New("http://[::1")}, "smx:httpProxy must be a proxy URL"},
		{"httpsProxy", map[string]property.Value{"httpsProxy": property.New("://")}, "smx:httpsProxy must be a proxy URL"},
		{"tokenBucketRateLimiterCapacity", map[string]property.Value{"tokenBucketRateLimiterCapacity": property.New(0.0)},
			"smx:tokenBucketRateLimiterCapacity must be a whole number of at least 1, got 0"},
		{"useFipsEndpoint with endpoint", map[string]property.Value{"useFipsEndpoint": property.New(true), "endpoint": property.New("http://127.0.0.1:1")},
			"smx:useFipsEndpoint cannot be used with a custom Secrets Manager endpoint"},
		{"useDualstackEndpoint with endpoints", map[string]property.Value{"useDualstackEndpoint": property.New(true),
			"endpoints": endpoints(map[string]string{"secretsmanager": "http://127.0.0.1:1"})},
			"smx:useDualstackEndpoint cannot be used with a custom Secrets Manager endpoint"},
		{"ec2MetadataServiceEndpoint", map[string]property.Value{"ec2MetadataServiceEndpoint": property.New("169.254.169.254")},
			"smx:ec2MetadataServiceEndpoint must be an absolute http:// or https:// URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reasons := checkFailures(t, tc.config)
			if !strings.Contains(reasons, tc.want) {
				t.Fatalf("failures %q, want %q", reasons, tc.want)
			}
		})
	}
}

func TestCheckAcceptsWellFormedNetworkSettings(t *testing.T) {
	isolateNetwork(t)
	_, caFile := tlsServer(t, http.NotFoundHandler())
	reasons := checkFailures(t, map[string]property.Value{
		"endpoints": property.New(property.NewArray([]property.Value{property.New(map[string]property.Value{
			"secretsmanager": property.New("http://127.0.0.1:5000"), "sts": property.New("http://127.0.0.1:5000"),
			"s3": property.New("http://127.0.0.1:9000"), "dynamodb": property.New("not even a URL: ignored")})})),
		"endpoint":       property.New("http://127.0.0.1:5000"),
		"customCaBundle": property.New(caFile), "httpProxy": property.New("proxy.example:3128"),
		"httpsProxy": property.New(""), "noProxy": property.New("10.0.0.0/8,.internal"),
		"retryMode": property.New("adaptive"), "tokenBucketRateLimiterCapacity": property.New(500.0),
		"ec2MetadataServiceEndpoint": property.New("http://[fd00:ec2::254]"), "ec2MetadataServiceEndpointMode": property.New("IPv6"),
		"skipMetadataApiCheck": property.New(true), "userAgents": property.New(`["my-pipeline/1.2"]`),
		"sharedConfigFiles": property.New(`["~/.aws/config"]`), "region": property.New("Local_Region"),
		"skipRegionValidation": property.New(true),
	})
	if reasons != "" {
		t.Fatalf("well-formed settings rejected: %s", reasons)
	}
}

func endpoints(byService map[string]string) property.Value {
	entry := map[string]property.Value{}
	for k, v := range byService {
		entry[k] = property.New(v)
	}
	return property.New(property.NewArray([]property.Value{property.New(entry)}))
}

func checkFailures(t *testing.T, config map[string]property.Value) string {
	t.Helper()
	resp, err := (&Config{}).Check(context.Background(), infer.CheckRequest{NewInputs: property.NewMap(config)})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, f := range resp.Failures {
		reasons = append(reasons, f.Reason)
	}
	return strings.Join(reasons, "; ")
}
