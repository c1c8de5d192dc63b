package config

// How the provider reaches AWS: endpoints, shared files, TLS, proxies,
// retries, FIPS and dual-stack endpoints, the instance metadata service and
// the User-Agent. Every setting has pulumi-aws's name and does what it does
// there (terraform-provider-aws through hashicorp/aws-sdk-go-base), with
// aws-sdk-go-v2's own options; the AWS environment variables keep working
// and an explicit setting wins over them.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go/middleware"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"golang.org/x/net/http/httpproxy"
)

// networkKeys are the configuration keys of this file, as pulumi-aws names them.
var networkKeys = []string{"endpoints", "sharedConfigFiles", "sharedCredentialsFiles", "customCaBundle",
	"httpProxy", "httpsProxy", "noProxy", "insecure", "retryMode", "tokenBucketRateLimiterCapacity",
	"useFipsEndpoint", "useDualstackEndpoint", "ec2MetadataServiceEndpoint", "ec2MetadataServiceEndpointMode",
	"skipMetadataApiCheck", "skipRegionValidation", "userAgents"}

// The retry modes pulumi-aws accepts (aws.RetryMode's values).
const (
	retryModeStandard = "standard"
	retryModeAdaptive = "adaptive"
)

// Annotate documents ProviderEndpoint; the service keys smx ignores share
// the one description of the type.
func (e *ProviderEndpoint) Annotate(a infer.Annotator) {
	a.Describe(e, "Custom endpoint URLs, one key per AWS service, as pulumi-aws's `endpoints`. smx calls "+
		"Secrets Manager and STS: it honours `secretsmanager` and `sts`, and accepts every other key of "+
		"pulumi-aws and ignores it.")
	a.Describe(&e.Secretsmanager, "The Secrets Manager endpoint URL, like `smx:endpoint` (either may be set; "+
		"set both only to the same URL).")
	a.Describe(&e.Sts, "The STS endpoint URL, for the calls that assume roles.")
}

// annotateNetwork documents the settings of this file (called by Annotate).
func (c *Config) annotateNetwork(a infer.Annotator) {
	a.Describe(&c.Endpoints, "Custom endpoint URLs per service, as pulumi-aws's `endpoints`: "+
		"`secretsmanager` (the same as `smx:endpoint`; setting both to different URLs is an error) and `sts` "+
		"are honoured, every other service key is accepted and ignored. An endpoint set here wins over "+
		"`AWS_ENDPOINT_URL_SECRETS_MANAGER` and `AWS_ENDPOINT_URL`. Changing it never replaces resources.")
	a.Describe(&c.SharedConfigFiles, "Paths of the shared AWS config files (`~` is the home folder), in place of "+
		"`AWS_CONFIG_FILE` or `~/.aws/config`. Files that do not exist are skipped, as the AWS SDK skips them.")
	a.Describe(&c.SharedCredentialsFiles, "Paths of the shared AWS credentials files (`~` is the home folder), in "+
		"place of `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`.")
	a.Describe(&c.CustomCaBundle, "A PEM file of the certificate authorities to trust for AWS's endpoints (for "+
		"example a corporate TLS proxy's), in place of `AWS_CA_BUNDLE`. The file must exist and hold a "+
		"certificate; it cannot be combined with `insecure`.")
	a.Describe(&c.HTTPProxy, "The proxy URL for http:// requests; `HTTP_PROXY` when unset. As in pulumi-aws, it "+
		"is used for https:// requests too when neither `httpsProxy` nor `HTTPS_PROXY` is set; an empty string "+
		"means no proxy. Loopback addresses never go through a proxy.")
	a.Describe(&c.HTTPSProxy, "The proxy URL for https:// requests; `HTTPS_PROXY` when unset, and an empty string "+
		"means no proxy.")
	a.Describe(&c.NoProxy, "Comma-separated hosts, domains and CIDR ranges reached without a proxy; `NO_PROXY` "+
		"when unset.")
	a.Describe(&c.Insecure, "Skip verifying the TLS certificates of AWS's endpoints. Only for test servers: "+
		"anyone on the path could then read and change every secret value. Default false; it cannot be "+
		"combined with `customCaBundle`.")
	a.Describe(&c.RetryMode, "How failed calls are retried: `standard` or `adaptive`; `AWS_RETRY_MODE` when unset, "+
		"else `standard`. Both retry throttling, 5xx answers and network errors with exponential backoff "+
		"(`maxRetries`). `adaptive` is the AWS SDK's client-side pacing after throttling: smx always paces "+
		"itself that way, per Secrets Manager quota (`quotaShare`), so the SDK's adaptive limiter is not added "+
		"on top of it (it would slow every call twice) and the two modes behave the same in smx.")
	a.Describe(&c.TokenBucketRateLimiterCapacity, "The capacity of the AWS SDK's retry token bucket: each retry "+
		"after throttling takes 5 tokens, any other retry 14, and each call that succeeds at once returns 1, so a "+
		"capacity of N lets about N/5 throttled retries happen in a burst before further retries fail at once. When unset smx sets no such budget: "+
		"its own pacing (`quotaShare`) keeps throttling rare, and a budget would fail a large stack sooner.")
	a.Describe(&c.UseFipsEndpoint, "Use the FIPS endpoints the AWS SDK resolves (secretsmanager-fips.<region>."+
		"amazonaws.com); `AWS_USE_FIPS_ENDPOINT` when unset. The SDK refuses it together with a custom endpoint.")
	a.Describe(&c.UseDualstackEndpoint, "Use the dual-stack (IPv4 and IPv6) endpoints the AWS SDK resolves; "+
		"`AWS_USE_DUALSTACK_ENDPOINT` when unset. Secrets Manager's endpoints already answer IPv6 in most regions, "+
		"where the SDK resolves the same name. The SDK refuses it together with a custom endpoint.")
	a.Describe(&c.Ec2MetadataServiceEndpoint, "The address of the EC2 instance metadata service, for instance-"+
		"role credentials and the region; `AWS_EC2_METADATA_SERVICE_ENDPOINT` when unset.")
	a.Describe(&c.Ec2MetadataServiceEndpointMode, "The protocol of the instance metadata service: `IPv4` or `IPv6`; "+
		"`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` when unset, else IPv4.")
	a.Describe(&c.SkipMetadataAPICheck, "Never call the EC2 instance metadata service (true), or call it even when "+
		"`AWS_EC2_METADATA_DISABLED` is set (false). When unset the AWS SDK's default holds: it is called, "+
		"for credentials and the region, only when nothing else gave them.")
	a.Describe(&c.SkipRegionValidation, "Skip smx's check of the form of `region` (two letters, words, a number, "+
		"such as eu-west-1), for AWS-like services with other region names. Default false: the check makes no "+
		"call and passes every AWS region.")
	a.Describe(&c.UserAgents, "Products to add to the User-Agent of every AWS call, each `name/version` or "+
		"`name` (for example `my-pipeline/1.2`).")
}

// networkGiven says which settings of this file are set, for a
// configuration known only decoded (Configure).
func (c *Config) networkGiven() map[string]bool {
	return map[string]bool{
		"endpoints": len(c.Endpoints) > 0, "sharedConfigFiles": len(c.SharedConfigFiles) > 0,
		"sharedCredentialsFiles": len(c.SharedCredentialsFiles) > 0, "customCaBundle": c.CustomCaBundle != "",
		"httpProxy": c.HTTPProxy != nil, "httpsProxy": c.HTTPSProxy != nil, "noProxy": c.NoProxy != "",
		"insecure": c.Insecure != nil, "retryMode": c.RetryMode != "",
		"tokenBucketRateLimiterCapacity": c.TokenBucketRateLimiterCapacity != nil,
		"useFipsEndpoint":                c.UseFipsEndpoint != nil, "useDualstackEndpoint": c.UseDualstackEndpoint != nil,
		"ec2MetadataServiceEndpoint":     c.Ec2MetadataServiceEndpoint != "",
		"ec2MetadataServiceEndpointMode": c.Ec2MetadataServiceEndpointMode != "",
		"skipMetadataApiCheck":           c.SkipMetadataAPICheck != nil, "skipRegionValidation": c.SkipRegionValidation != nil,
		"userAgents": len(c.UserAgents) > 0,
	}
}

// decodeStructuredSettings turns the list and object settings that stack
// config gives as JSON text (`pulumi config set --path 'smx:endpoints[0].sts'`
// stores an object; the engine sends a default provider's config as strings)
// into the values they stand for, so that they decode like an explicit
// provider's arguments. A string that is no JSON is left as it is, for the
// decoder to reject with the setting's name.
func decodeStructuredSettings(given property.Map) property.Map {
	values := given.AsMap()
	for _, key := range []string{"endpoints", "sharedConfigFiles", "sharedCredentialsFiles", "userAgents"} {
		v, ok := values[key]
		if !ok || !v.IsString() {
			continue
		}
		var decoded any
		if err := json.Unmarshal([]byte(v.AsString()), &decoded); err != nil {
			continue
		}
		values[key] = jsonValue(decoded).WithSecret(v.Secret())
	}
	return property.NewMap(values)
}

// jsonValue is a value decoded by encoding/json as a property value.
func jsonValue(v any) property.Value {
	switch v := v.(type) {
	case []any:
		items := make([]property.Value, len(v))
		for i, item := range v {
			items[i] = jsonValue(item)
		}
		return property.New(items)
	case map[string]any:
		fields := make(map[string]property.Value, len(v))
		for k, field := range v {
			fields[k] = jsonValue(field)
		}
		return property.New(fields)
	case string:
		return property.New(v)
	case float64:
		return property.New(v)
	case bool:
		return property.New(v)
	}
	return property.New(property.Null)
}

// networkProblems are the rules of this file's settings (called by problems).
func (c *Config) networkProblems(s map[string]setting) []p.CheckFailure {
	var failures []p.CheckFailure
	fail := func(key, format string, args ...any) {
		failures = append(failures, p.CheckFailure{Property: key, Reason: "smx:" + key + " " + fmt.Sprintf(format, args...)})
	}
	judged := func(key string) bool { return s[key].given && s[key].known }

	if judged("endpoints") {
		for service, urls := range c.endpointsByService() {
			for _, u := range urls {
				if err := validateEndpoint(u); err != nil {
					fail("endpoints", "%s %v", service, err)
				}
			}
			if len(urls) > 1 {
				fail("endpoints", "names more than one %s endpoint (%s): give one", service, strings.Join(urls, ", "))
			}
		}
		if s["endpoint"].known && c.Endpoint != "" {
			if sm := c.endpointOf("secretsmanager"); sm != "" && sm != c.Endpoint {
				fail("endpoints", "[].secretsmanager %q and smx:endpoint %q disagree: set one of them, or both to the same URL",
					sm, c.Endpoint)
			}
		}
	}
	for _, key := range []string{"sharedConfigFiles", "sharedCredentialsFiles"} {
		files := c.SharedConfigFiles
		if key == "sharedCredentialsFiles" {
			files = c.SharedCredentialsFiles
		}
		if judged(key) && slices.Contains(files, "") {
			fail(key, "holds an empty path: name a file, or remove the entry")
		}
	}
	if judged("customCaBundle") {
		if err := validCABundle(c.CustomCaBundle); err != nil {
			fail("customCaBundle", "%v", err)
		}
	}
	if s["customCaBundle"].known && s["insecure"].known && c.CustomCaBundle != "" && aws.ToBool(c.Insecure) {
		fail("insecure", "and smx:customCaBundle cannot be set together: a CA bundle says whom to trust, insecure "+
			"trusts anyone; remove one")
	}
	if judged("httpProxy") {
		if err := validProxy(*c.HTTPProxy); err != nil {
			fail("httpProxy", "%v", err)
		}
	}
	if judged("httpsProxy") {
		if err := validProxy(*c.HTTPSProxy); err != nil {
			fail("httpsProxy", "%v", err)
		}
	}
	if judged("retryMode") && c.RetryMode != retryModeStandard && c.RetryMode != retryModeAdaptive {
		fail("retryMode", "must be %s or %s, got %q", retryModeStandard, retryModeAdaptive, c.RetryMode)
	}
	if judged("tokenBucketRateLimiterCapacity") && *c.TokenBucketRateLimiterCapacity < 1 {
		fail("tokenBucketRateLimiterCapacity", "must be a whole number of at least 1, got %d",
			*c.TokenBucketRateLimiterCapacity)
	}
	if judged("ec2MetadataServiceEndpoint") {
		if err := validateEndpoint(c.Ec2MetadataServiceEndpoint); err != nil {
			fail("ec2MetadataServiceEndpoint", "%v", err)
		}
	}
	if judged("ec2MetadataServiceEndpointMode") && c.Ec2MetadataServiceEndpointMode != "IPv4" &&
		c.Ec2MetadataServiceEndpointMode != "IPv6" {
		fail("ec2MetadataServiceEndpointMode", "must be IPv4 or IPv6, got %q", c.Ec2MetadataServiceEndpointMode)
	}
	// The AWS SDK's endpoint rules refuse FIPS and dual-stack endpoints with
	// a custom endpoint: the custom URL is the whole address.
	customKnown := s["endpoint"].known && s["endpoints"].known
	if custom := c.secretsManagerEndpoint(); customKnown && custom != "" {
		for key, on := range map[string]*bool{"useFipsEndpoint": c.UseFipsEndpoint, "useDualstackEndpoint": c.UseDualstackEndpoint} {
			if judged(key) && aws.ToBool(on) {
				fail(key, "cannot be used with a custom Secrets Manager endpoint (%s): the AWS SDK resolves FIPS and "+
					"dual-stack endpoints only for AWS's own; remove one", redacted(custom))
			}
		}
	}
	return failures
}

// endpointsByService is every URL smx:endpoints gives for the services smx
// calls, without repeats.
func (c *Config) endpointsByService() map[string][]string {
	byService := map[string][]string{}
	for _, e := range c.Endpoints {
		for service, u := range map[string]*string{"secretsmanager": e.Secretsmanager, "sts": e.Sts} {
			if v := aws.ToString(u); v != "" && !slices.Contains(byService[service], v) {
				byService[service] = append(byService[service], v)
			}
		}
	}
	return byService
}

// endpointOf is smx:endpoints' URL of service, or "".
func (c *Config) endpointOf(service string) string {
	if urls := c.endpointsByService()[service]; len(urls) > 0 {
		return urls[0]
	}
	return ""
}

// secretsManagerEndpoint is the configured Secrets Manager endpoint:
// smx:endpoint, else smx:endpoints[].secretsmanager (Check rejects the two
// disagreeing), else "" for the environment's or AWS's own.
func (c *Config) secretsManagerEndpoint() string {
	if c.Endpoint != "" {
		return c.Endpoint
	}
	return c.endpointOf("secretsmanager")
}

// stsEndpoint is smx:endpoints[].sts, or "" for the SDK's own resolution
// (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, AWS's regional endpoint): the
// endpoint the calls that assume roles go to.
func (c *Config) stsEndpoint() string {
	return c.endpointOf("sts")
}

// expandHome resolves a leading ~ to the home folder, as pulumi-aws does
// for every path setting.
func expandHome(path string) (string, error) {
	if path != "~" && !strings.HasPrefix(path, "~/") {
		return path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("expanding %q: %w", path, err)
	}
	return filepath.Join(home, strings.TrimPrefix(path, "~")), nil
}

// validCABundle says why path is not a PEM file of certificates.
func validCABundle(path string) error {
	expanded, err := expandHome(path)
	if err != nil {
		return err
	}
	pem, err := os.ReadFile(expanded) //nolint:gosec // the path is the user's own smx:customCaBundle
	if err != nil {
		return fmt.Errorf("must be a readable PEM file of CA certificates: %w", err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		return fmt.Errorf("must be a PEM file of CA certificates, but %s holds none", path)
	}
	return nil
}

// validProxy says why proxy is no proxy URL, with the reading Go's
// httpproxy gives it: a URL of scheme http, https or socks5, or a host:port
// taken as http://. An empty string is valid: it means no proxy.
func validProxy(proxy string) error {
	if proxy == "" {
		return nil
	}
	if _, err := proxyURL(proxy); err != nil {
		return err
	}
	return nil
}

func proxyURL(proxy string) (*url.URL, error) {
	const rule = "must be a proxy URL such as http://proxy.example.com:3128 (http, https or socks5)"
	u, err := url.Parse(proxy)
	if !strings.Contains(proxy, "://") {
		// As httpproxy reads it: proxy.example.com:3128 is http://proxy.example.com:3128.
		u, err = url.Parse("http://" + proxy)
	}
	if err == nil && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5" {
		err = fmt.Errorf("scheme %q", u.Scheme)
	}
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%s, got %q", rule, redacted(proxy))
	}
	return u, nil
}

// networkLoadOptions are the AWS SDK options of this file's settings; each
// one left unset leaves the SDK's own resolution (environment variables,
// shared config) in place.
func (c *Config) networkLoadOptions() ([]func(*awsconfig.LoadOptions) error, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if len(c.SharedConfigFiles) > 0 {
		files, err := expandAll(c.SharedConfigFiles)
		if err != nil {
			return nil, err
		}
		opts = append(opts, awsconfig.WithSharedConfigFiles(files))
	}
	if len(c.SharedCredentialsFiles) > 0 {
		files, err := expandAll(c.SharedCredentialsFiles)
		if err != nil {
			return nil, err
		}
		opts = append(opts, awsconfig.WithSharedCredentialsFiles(files))
	}
	if c.CustomCaBundle != "" {
		path, err := expandHome(c.CustomCaBundle)
		if err != nil {
			return nil, err
		}
		pem, err := os.ReadFile(path) //nolint:gosec // the path is the user's own smx:customCaBundle
		if err != nil {
			return nil, fmt.Errorf("smx:customCaBundle: %w", err)
		}
		opts = append(opts, awsconfig.WithCustomCABundle(strings.NewReader(string(pem))))
	}
	transport, err := c.transportOptions()
	if err != nil {
		return nil, err
	}
	// A BuildableClient, because the SDK adds a CA bundle (smx:customCaBundle
	// or AWS_CA_BUNDLE) only to one.
	opts = append(opts, awsconfig.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(transport)))
	if c.UseFipsEndpoint != nil {
		state := aws.FIPSEndpointStateDisabled
		if *c.UseFipsEndpoint {
			state = aws.FIPSEndpointStateEnabled
		}
		opts = append(opts, awsconfig.WithUseFIPSEndpoint(state))
	}
	if c.UseDualstackEndpoint != nil {
		state := aws.DualStackEndpointStateDisabled
		if *c.UseDualstackEndpoint {
			state = aws.DualStackEndpointStateEnabled
		}
		opts = append(opts, awsconfig.WithUseDualStackEndpoint(state))
	}
	if c.Ec2MetadataServiceEndpoint != "" {
		opts = append(opts, awsconfig.WithEC2IMDSEndpoint(c.Ec2MetadataServiceEndpoint))
	}
	switch c.Ec2MetadataServiceEndpointMode {
	case "IPv4":
		opts = append(opts, awsconfig.WithEC2IMDSEndpointMode(imds.EndpointModeStateIPv4))
	case "IPv6":
		opts = append(opts, awsconfig.WithEC2IMDSEndpointMode(imds.EndpointModeStateIPv6))
	}
	if c.SkipMetadataAPICheck != nil {
		state := imds.ClientEnabled
		if *c.SkipMetadataAPICheck {
			state = imds.ClientDisabled
		}
		opts = append(opts, awsconfig.WithEC2IMDSClientEnableState(state))
	}
	return opts, nil
}

func expandAll(paths []string) ([]string, error) {
	out := make([]string, len(paths))
	for i, path := range paths {
		expanded, err := expandHome(path)
		if err != nil {
			return nil, err
		}
		out[i] = expanded
	}
	return out, nil
}

// transportOptions set the proxies and TLS verification of every call, as
// aws-sdk-go-base does: the environment's proxies (HTTP_PROXY, HTTPS_PROXY,
// NO_PROXY), each overridden by its setting; httpProxy serves https://
// requests too when no HTTPS proxy is set anywhere (pulumi-aws's "legacy"
// proxy mode).
func (c *Config) transportOptions() (func(*http.Transport), error) {
	proxies := httpproxy.FromEnvironment()
	if c.HTTPProxy != nil {
		proxies.HTTPProxy = *c.HTTPProxy
		if proxies.HTTPSProxy == "" && c.HTTPSProxy == nil {
			proxies.HTTPSProxy = *c.HTTPProxy
		}
	}
	if c.HTTPSProxy != nil {
		proxies.HTTPSProxy = *c.HTTPSProxy
	}
	if c.NoProxy != "" {
		proxies.NoProxy = c.NoProxy
	}
	for _, proxy := range []string{proxies.HTTPProxy, proxies.HTTPSProxy} {
		if err := validProxy(proxy); err != nil {
			return nil, fmt.Errorf("smx: the proxy: %w", err)
		}
	}
	proxyFor := proxies.ProxyFunc()
	insecure := aws.ToBool(c.Insecure)
	return func(tr *http.Transport) {
		tr.Proxy = func(r *http.Request) (*url.URL, error) { return proxyFor(r.URL) }
		if insecure {
			if tr.TLSClientConfig == nil {
				tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
			}
			tr.TLSClientConfig.InsecureSkipVerify = true
		}
	}, nil
}

// tuneRetryer composes tokenBucketRateLimiterCapacity with smx's retryer
// (NewRetryer). Without it, smx's retryer has no retry budget (noRateLimit):
// its pacing keeps throttling rare. With it, the SDK's token bucket of that
// capacity is the budget, as in pulumi-aws. Neither mode adds the SDK's
// adaptive client-side limiter: smx's pacing (provider/pacing) already
// paces every attempt adaptively, per quota group.
func (c *Config) tuneRetryer(o *retry.StandardOptions) {
	if c.TokenBucketRateLimiterCapacity != nil {
		o.RateLimiter = ratelimit.NewTokenRateLimit(uint(*c.TokenBucketRateLimiterCapacity))
	}
}

// userAgentOptions add smx:userAgents to the User-Agent of every call.
func (c *Config) userAgentOptions() []func(*middleware.Stack) error {
	var opts []func(*middleware.Stack) error
	for _, product := range c.UserAgents {
		for _, part := range strings.Fields(product) {
			if name, version, ok := strings.Cut(part, "/"); ok {
				opts = append(opts, awsmiddleware.AddUserAgentKeyValue(name, version))
			} else {
				opts = append(opts, awsmiddleware.AddUserAgentKey(part))
			}
		}
	}
	return opts
}

// applyNetwork finishes an AWS configuration loaded with
// networkLoadOptions: the User-Agent products. (Called by loadAWSConfig.)
func (c *Config) applyNetwork(awsCfg *aws.Config) {
	awsCfg.APIOptions = append(awsCfg.APIOptions, c.userAgentOptions()...)
}

// checkResolvedEndpoint resolves the Secrets Manager endpoint as the first
// call will, so that a combination the SDK refuses (FIPS or dual-stack from
// the environment with a custom endpoint) fails the preview, not the first
// call of `pulumi up`.
func checkResolvedEndpoint(ctx context.Context, client *secretsmanager.Client) error {
	if _, err := resolvedEndpoint(ctx, client); err != nil {
		return fmt.Errorf("invalid smx provider configuration: the Secrets Manager endpoint: %w", err)
	}
	return nil
}

// resolvedEndpoint is the URL the client sends its calls to, as the SDK's
// endpoint rules resolve it from the client's region, endpoint and FIPS and
// dual-stack settings.
func resolvedEndpoint(ctx context.Context, client *secretsmanager.Client) (string, error) {
	o := client.Options()
	endpoint, err := o.EndpointResolverV2.ResolveEndpoint(ctx, secretsmanager.EndpointParameters{
		Region:       aws.String(o.Region),
		Endpoint:     o.BaseEndpoint,
		UseFIPS:      aws.Bool(o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
		UseDualStack: aws.Bool(o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled),
	})
	if err != nil {
		return "", err
	}
	return endpoint.URI.String(), nil
}
