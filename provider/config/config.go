// Package config holds smx's provider configuration and turns it into an AWS
// Secrets Manager client.
//
// Resolution follows the AWS SDK: explicit provider config first, then the
// standard AWS environment variables, shared config and credential files, SSO
// and instance roles. With no endpoint configured the client talks to real AWS
// exactly as any other AWS tool would.
package config

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// DefaultMaxRetries bounds how often one API call is retried after throttling
// or a server error. Together with the SDK's capped exponential backoff
// (at most 20 s between attempts) it bounds how long a call can wait.
const DefaultMaxRetries = 10

// Config is the `smx` provider's configuration. Field names mirror the
// pulumi-aws provider so that `aws:region`-style settings carry over as
// `smx:region`.
type Config struct {
	Region     string `pulumi:"region,optional"`
	Profile    string `pulumi:"profile,optional"`
	AccessKey  string `pulumi:"accessKey,optional" provider:"secret"`
	SecretKey  string `pulumi:"secretKey,optional" provider:"secret"`
	Token      string `pulumi:"token,optional" provider:"secret"`
	Endpoint   string `pulumi:"endpoint,optional"`
	MaxRetries *int   `pulumi:"maxRetries,optional"`

	client *secretsmanager.Client
	// regional holds the clients of regions other than the provider's, made
	// on first use. A pointer, because infer hands out copies of Config.
	regional *regionalClients
}

// regionalClients are the Secrets Manager clients of the regions resources
// name in their `region` input: one per region, made once from the same AWS
// configuration as the provider's own client (credentials, endpoint,
// retryer), with only the region changed.
type regionalClients struct {
	awsCfg   aws.Config
	endpoint string
	mu       sync.Mutex
	byRegion map[string]*secretsmanager.Client
}

// Annotate documents every configuration key; the text reaches the schema and
// every generated SDK.
func (c *Config) Annotate(a infer.Annotator) {
	a.Describe(&c.Region, "The AWS region to manage secrets in. "+
		"When unset, `AWS_REGION`, `AWS_DEFAULT_REGION` and the shared config file are used, in that order.")
	a.Describe(&c.Profile, "The name of a profile in the shared AWS config and credentials files. "+
		"When unset, `AWS_PROFILE` is used.")
	a.Describe(&c.AccessKey, "The AWS access key ID. Must be set together with `secretKey`. "+
		"When unset, the standard AWS credential chain is used (environment, shared files, SSO, instance roles).")
	a.Describe(&c.SecretKey, "The AWS secret access key. Must be set together with `accessKey`.")
	a.Describe(&c.Token, "An AWS session token, for temporary credentials given as `accessKey`/`secretKey`.")
	a.Describe(&c.Endpoint, "A custom Secrets Manager endpoint URL, for example a local moto server "+
		"(`http://127.0.0.1:5000`). When unset, `AWS_ENDPOINT_URL_SECRETS_MANAGER` and then `AWS_ENDPOINT_URL` "+
		"are honoured; with none of them the real regional AWS endpoint is used. "+
		"Changing it never replaces resources.")
	a.Describe(&c.MaxRetries, fmt.Sprintf("How often one API call is retried after throttling, a 5xx answer or "+
		"a network error, with exponential backoff and jitter (at most 20 s apart). Quota errors "+
		"(LimitExceededException) are never retried. When unset, `AWS_MAX_ATTEMPTS` (attempts, so retries + 1) "+
		"is honoured; else the default is %d.", DefaultMaxRetries))
}

var (
	_ = (infer.CustomConfigure)((*Config)(nil))
	_ = (infer.CustomCheck[*Config])((*Config)(nil))
)

// keys are the configuration keys smx understands.
var keys = []string{"region", "profile", "accessKey", "secretKey", "token", "endpoint", "maxRetries"}

// Check rejects configuration keys smx does not know, such as a misspelt
// `smx:regoin`: ignoring one would quietly deploy with the default instead.
func (c *Config) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[*Config], error) {
	known := map[string]property.Value{}
	var failures []p.CheckFailure
	for key, value := range req.NewInputs.All {
		if slices.Contains(keys, key) {
			known[key] = value
			continue
		}
		// The engine adds "version" and keys of its own starting with "__".
		if key == "version" || strings.HasPrefix(key, "__") {
			continue
		}
		reason := fmt.Sprintf("unknown configuration key smx:%s; smx knows %s", key, strings.Join(keys, ", "))
		if near := nearestKey(key); near != "" {
			reason = fmt.Sprintf("unknown configuration key smx:%s; did you mean smx:%s?", key, near)
		}
		failures = append(failures, p.CheckFailure{Property: key, Reason: reason})
	}
	cfg, decodeFailures, err := infer.DefaultCheck[Config](ctx, property.NewMap(known))
	if err != nil {
		return infer.CheckResponse[*Config]{}, err
	}
	failures = append(failures, decodeFailures...)
	failures = append(failures, cfg.problems()...)
	return infer.CheckResponse[*Config]{Inputs: &cfg, Failures: failures}, nil
}

// problems are the settings that cannot work together, reported by Check at
// preview and, as a safety net, by Configure.
func (c *Config) problems() []p.CheckFailure {
	var failures []p.CheckFailure
	if c.MaxRetries != nil && *c.MaxRetries < 0 {
		failures = append(failures, p.CheckFailure{Property: "maxRetries",
			Reason: fmt.Sprintf("maxRetries must be 0 or more, got %d", *c.MaxRetries)})
	}
	if (c.AccessKey == "") != (c.SecretKey == "") {
		failures = append(failures, p.CheckFailure{Property: "accessKey",
			Reason: "accessKey and secretKey must be set together"})
	}
	return failures
}

// nearestKey is the known key closest to a misspelt one (at most two edits
// away, ignoring case), or "".
func nearestKey(key string) string {
	best, bestDistance := "", 3
	for _, known := range keys {
		if d := editDistance(strings.ToLower(key), strings.ToLower(known)); d < bestDistance {
			best, bestDistance = known, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	previous := make([]int, len(b)+1)
	for j := range previous {
		previous[j] = j
	}
	for i := 1; i <= len(a); i++ {
		current := make([]int, len(b)+1)
		current[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			current[j] = min(previous[j]+1, current[j-1]+1, previous[j-1]+cost)
		}
		previous = current
	}
	return previous[len(b)]
}

// Configure validates the configuration and builds the Secrets Manager client
// once per provider process.
func (c *Config) Configure(ctx context.Context) error {
	if problems := c.problems(); len(problems) > 0 {
		return fmt.Errorf("smx: %s", problems[0].Reason)
	}
	awsCfg, err := c.loadAWSConfig(ctx)
	if err != nil {
		return err
	}
	awsCfg.Credentials = explainedCredentials{awsCfg.Credentials}
	c.regional = &regionalClients{awsCfg: awsCfg, endpoint: c.Endpoint, byRegion: map[string]*secretsmanager.Client{}}
	c.client = c.regional.newClient(awsCfg.Region)
	c.regional.byRegion[awsCfg.Region] = c.client
	p.GetLogger(ctx).Debugf("smx: configured for region %q%s", awsCfg.Region, endpointNote(c.Endpoint, awsCfg))
	return nil
}

// Client returns the Secrets Manager client built by Configure.
func (c Config) Client() (*secretsmanager.Client, error) {
	if c.client == nil {
		return nil, errors.New("smx: the provider is not configured")
	}
	return c.client, nil
}

// ClientFor returns the Secrets Manager client of region ("" is the
// provider's region). Each region's client is made once and then reused;
// every one has the provider's credentials, endpoint and retry settings.
func (c Config) ClientFor(region string) (*secretsmanager.Client, error) {
	if c.client == nil || c.regional == nil {
		return nil, errors.New("smx: the provider is not configured")
	}
	if region == "" {
		return c.client, nil
	}
	r := c.regional
	r.mu.Lock()
	defer r.mu.Unlock()
	client, ok := r.byRegion[region]
	if !ok {
		client = r.newClient(region)
		r.byRegion[region] = client
	}
	return client, nil
}

// EffectiveRegion is the region the provider manages secrets in: smx:region,
// else what the AWS SDK resolved (AWS_REGION, the shared config, ...). It is
// the default of every resource's and function's `region`.
func (c Config) EffectiveRegion() (string, error) {
	if c.client == nil {
		return "", errors.New("smx: the provider is not configured")
	}
	return c.client.Options().Region, nil
}

func (r *regionalClients) newClient(region string) *secretsmanager.Client {
	return secretsmanager.NewFromConfig(r.awsCfg, func(o *secretsmanager.Options) {
		o.Region = region
		if r.endpoint != "" {
			o.BaseEndpoint = aws.String(r.endpoint)
		}
	})
}

func (c *Config) loadAWSConfig(ctx context.Context) (aws.Config, error) {
	var opts []func(*awsconfig.LoadOptions) error
	if c.Region != "" {
		opts = append(opts, awsconfig.WithRegion(c.Region))
	}
	if c.Profile != "" {
		opts = append(opts, awsconfig.WithSharedConfigProfile(c.Profile))
	}
	if c.AccessKey != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(c.AccessKey, c.SecretKey, c.Token)))
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("smx: loading AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		return aws.Config{}, errors.New("smx: no AWS region: set `smx:region` or AWS_REGION")
	}
	// smx:maxRetries wins, then AWS_MAX_ATTEMPTS (or max_attempts in the
	// shared config), then smx's default.
	maxAttempts := DefaultMaxRetries + 1
	switch {
	case c.MaxRetries != nil:
		maxAttempts = *c.MaxRetries + 1
	case awsCfg.RetryMaxAttempts > 0:
		maxAttempts = awsCfg.RetryMaxAttempts
	}
	awsCfg.RetryMaxAttempts = 0 // else the client would override the retryer with it
	awsCfg.Retryer = func() aws.Retryer { return NewRetryer(maxAttempts) }
	return awsCfg, nil
}

// NewRetryer is the SDK's standard retryer (exponential backoff with jitter,
// throttling and 5xx retried) with one correction for Secrets Manager: its
// LimitExceededException is a quota (for example too many versions), not a
// rate limit, so retrying it only wastes calls.
func NewRetryer(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.MaxBackoff = 20 * time.Second
		o.Retryables = append([]retry.IsErrorRetryable{quotaIsNotRetryable{}}, o.Retryables...)
		// Secrets Manager is billed and throttled per call; the client-side
		// rate limiter would only make a throttled stack fail sooner.
		o.RateLimiter = noRateLimit{}
	})
}

// explainedCredentials says where smx looks for credentials when it finds
// none: the SDK's own error lists the providers it tried, not what to set.
type explainedCredentials struct{ aws.CredentialsProvider }

func (c explainedCredentials) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if c.CredentialsProvider == nil {
		return aws.Credentials{}, errors.New(noCredentialsHelp)
	}
	creds, err := c.CredentialsProvider.Retrieve(ctx)
	if err != nil {
		return creds, fmt.Errorf("%s: %w", noCredentialsHelp, err)
	}
	return creds, nil
}

const noCredentialsHelp = "smx found no AWS credentials: set smx:accessKey and smx:secretKey, " +
	"or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile (smx:profile, AWS_PROFILE, " +
	"`aws configure`, `aws sso login`); for a local moto any values will do"

type quotaIsNotRetryable struct{}

func (quotaIsNotRetryable) IsErrorRetryable(err error) aws.Ternary {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) && coded.ErrorCode() == "LimitExceededException" {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

type noRateLimit struct{}

func (noRateLimit) GetToken(context.Context, uint) (func() error, error) {
	return func() error { return nil }, nil
}
func (noRateLimit) AddTokens(uint) error { return nil }

func endpointNote(endpoint string, cfg aws.Config) string {
	if endpoint != "" {
		return fmt.Sprintf(" at endpoint %q", endpoint)
	}
	for _, name := range []string{"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"} {
		if v := os.Getenv(name); v != "" {
			return fmt.Sprintf(" at endpoint %q (from %s)", v, name)
		}
	}
	return ""
}

var _ = (infer.CustomDiff[*Config, *Config])((*Config)(nil))

// Diff never replaces: every setting only changes where and how the provider
// calls AWS, not the identity of the secrets it already manages. The default
// inferred config diff would replace every resource on a region change.
func (c *Config) Diff(_ context.Context, req infer.DiffRequest[*Config, *Config]) (infer.DiffResponse, error) {
	diff := map[string]p.PropertyDiff{}
	old, new := orEmpty(req.State), orEmpty(req.Inputs)
	changed := func(key string, differs bool) {
		if differs {
			diff[key] = p.PropertyDiff{Kind: p.Update}
		}
	}
	changed("region", old.Region != new.Region)
	changed("profile", old.Profile != new.Profile)
	changed("accessKey", old.AccessKey != new.AccessKey)
	changed("secretKey", old.SecretKey != new.SecretKey)
	changed("token", old.Token != new.Token)
	changed("endpoint", old.Endpoint != new.Endpoint)
	changed("maxRetries", !slices.Equal(intSlice(old.MaxRetries), intSlice(new.MaxRetries)))
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}, nil
}

func orEmpty(c *Config) *Config {
	if c == nil {
		return &Config{}
	}
	return c
}

func intSlice(v *int) []int {
	if v == nil {
		return nil
	}
	return []int{*v}
}
