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
	"maps"
	"math"
	"net"
	"net/url"
	"os"
	"regexp"
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

	"github.com/smxlabs/pulumi-smx/provider/pacing"
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
	// QuotaShare is the share of each of AWS's request quotas this provider
	// process paces itself to (provider/pacing); nil is all of it.
	QuotaShare *float64 `pulumi:"quotaShare,optional"`

	client *secretsmanager.Client
	// regional holds the clients of regions other than the provider's, made
	// on first use. A pointer, because infer hands out copies of Config.
	regional *regionalClients

	// Assumed roles and account guards (roles.go).
	AssumeRoles               []AssumeRole               `pulumi:"assumeRoles,optional"`
	AssumeRoleWithWebIdentity *AssumeRoleWithWebIdentity `pulumi:"assumeRoleWithWebIdentity,optional"`
	StsRegion                 string                     `pulumi:"stsRegion,optional"`
	AllowedAccountIDs         []string                   `pulumi:"allowedAccountIds,optional"`
	ForbiddenAccountIDs       []string                   `pulumi:"forbiddenAccountIds,optional"`
	SkipCredentialsValidation *bool                      `pulumi:"skipCredentialsValidation,optional"`
	SkipRequestingAccountId   *bool                      `pulumi:"skipRequestingAccountId,optional"` //nolint:revive // pulumi-aws's name
	guard                     *accountGuard

	// How the provider reaches AWS (network.go).
	Endpoints                      []ProviderEndpoint `pulumi:"endpoints,optional"`
	SharedConfigFiles              []string           `pulumi:"sharedConfigFiles,optional"`
	SharedCredentialsFiles         []string           `pulumi:"sharedCredentialsFiles,optional"`
	CustomCaBundle                 string             `pulumi:"customCaBundle,optional"`
	HTTPProxy                      *string            `pulumi:"httpProxy,optional"`
	HTTPSProxy                     *string            `pulumi:"httpsProxy,optional"`
	NoProxy                        string             `pulumi:"noProxy,optional"`
	Insecure                       *bool              `pulumi:"insecure,optional"`
	RetryMode                      string             `pulumi:"retryMode,optional"`
	TokenBucketRateLimiterCapacity *int               `pulumi:"tokenBucketRateLimiterCapacity,optional"`
	UseFipsEndpoint                *bool              `pulumi:"useFipsEndpoint,optional"`
	UseDualstackEndpoint           *bool              `pulumi:"useDualstackEndpoint,optional"`
	Ec2MetadataServiceEndpoint     string             `pulumi:"ec2MetadataServiceEndpoint,optional"`
	Ec2MetadataServiceEndpointMode string             `pulumi:"ec2MetadataServiceEndpointMode,optional"`
	SkipMetadataAPICheck           *bool              `pulumi:"skipMetadataApiCheck,optional"`
	SkipRegionValidation           *bool              `pulumi:"skipRegionValidation,optional"`
	UserAgents                     []string           `pulumi:"userAgents,optional"`

	// Tags every resource of this provider gets or leaves alone (tags.go).
	DefaultTags *ProviderDefaultTags `pulumi:"defaultTags,optional"`
	IgnoreTags  *ProviderIgnoreTags  `pulumi:"ignoreTags,optional"`

	// What a secret missing a tag key the organization requires does (tag_policy.go).
	TagPolicyCompliance string `pulumi:"tagPolicyCompliance,optional"`
	tagPolicy           *TagPolicy
}

// regionalClients are the Secrets Manager clients of the regions resources
// name in their `region` input: one per region, made once from the same AWS
// configuration as the provider's own client (credentials, endpoint,
// retryer), with only the region changed.
type regionalClients struct {
	awsCfg   aws.Config
	endpoint string
	// limiter paces every client, per region and quota group.
	limiter  *pacing.Limiter
	mu       sync.Mutex
	byRegion map[string]*secretsmanager.Client
}

// Annotate documents every configuration key; the text reaches the schema and
// every generated SDK.
func (c *Config) Annotate(a infer.Annotator) {
	a.Describe(&c.Region, "The AWS region to manage secrets in. "+
		"When unset, `AWS_REGION`, `AWS_DEFAULT_REGION` and the shared config file are used, in that order. "+
		"Changing it replaces every resource of this provider, as the secrets live in the old region. "+
		"Setting it where it was unset, or unsetting it, replaces nothing (the region the environment gave "+
		"is recorded nowhere): set it to the region the secrets are in.")
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
	a.Describe(&c.QuotaShare, "The share of each of AWS's Secrets Manager request quotas (per account and region: "+
		"for example 50 PutSecretValue+UpdateSecret calls per second combined) that this provider paces itself to, "+
		"from more than 0 to 1; the default is 1, all of it. Every client in the account draws on the same quotas: "+
		"lower it where applications or other deployments need their part, e.g. 0.5. Whatever the share, a throttled "+
		"answer halves smx's rate for that quota and later answers raise it back, so several stacks deploying at once "+
		"settle on what the account allows. Changing it never replaces resources.")
	c.annotateRoles(a)
	c.annotateNetwork(a)
	c.annotateTags(a)
	c.annotateTagPolicy(a)
}

var (
	_ = (infer.CustomConfigure)((*Config)(nil))
	_ = (infer.CustomCheck[*Config])((*Config)(nil))
)

// keys are the configuration keys smx understands.
var keys = slices.Concat([]string{"region", "profile", "accessKey", "secretKey", "token", "endpoint", "maxRetries", "quotaShare"},
	roleKeys, networkKeys, tagKeys, tagPolicyKeys)

// MaxMaxRetries bounds smx:maxRetries. With backoff of up to 20 s between
// attempts, 100 retries already let one call wait over half an hour; more is
// a typo, not a policy.
const MaxMaxRetries = 100

const maxRetriesRule = "must be a whole number from 0 to %d, got %v"

// Check rejects configuration keys smx does not know, such as a misspelt
// `smx:regoin` (ignoring one would quietly deploy with the default instead),
// and every malformed setting, at preview and without calling AWS: a bad
// setting found only by the first API call fails halfway through an update.
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
	given := decodeStructuredSettings(property.NewMap(known))
	cfg, decodeFailures, err := infer.DefaultCheck[Config](ctx, given)
	if err != nil {
		return infer.CheckResponse[*Config]{}, err
	}
	// Decoding turns 1.5 into 1 silently: a fraction is caught before it is lost.
	if v := given.Get("maxRetries"); v.IsNumber() && v.AsNumber() != math.Trunc(v.AsNumber()) {
		decodeFailures = append(decodeFailures, p.CheckFailure{Property: "maxRetries",
			Reason: "smx:maxRetries " + fmt.Sprintf(maxRetriesRule, MaxMaxRetries, v.AsNumber())})
	}
	failures = append(failures, decodeFailures...)
	failures = append(failures, tagShapeProblems(given)...)
	settings := settingsOf(given)
	for _, f := range decodeFailures {
		// Already reported: a value that did not decode is not judged again.
		settings[f.Property] = setting{given: true, known: false}
	}
	failures = append(failures, cfg.problems(settings)...)
	return infer.CheckResponse[*Config]{Inputs: &cfg, Failures: failures}, nil
}

// setting is what the rules need to know of one key beyond its decoded value:
// whether the user gave it at all (an empty string given is a mistake, an
// absent key a fallback to the environment), and whether its value is known
// yet. At preview, a setting of an explicit provider that is another
// resource's output is unknown and decodes as empty: it must not be judged.
type setting struct{ given, known bool }

// settingsOf reads the settings' state from the configuration as given.
func settingsOf(given property.Map) map[string]setting {
	s := map[string]setting{}
	for _, key := range keys {
		v, ok := given.GetOk(key)
		s[key] = setting{given: ok && !v.IsNull(), known: !v.HasComputed()}
	}
	return s
}

// settingsOfDecoded is settingsOf for a configuration known only decoded, as
// in Configure: every value is known, and an empty one counts as not given.
func (c *Config) settingsOfDecoded() map[string]setting {
	values := map[string]bool{
		"region": c.Region != "", "profile": c.Profile != "", "accessKey": c.AccessKey != "",
		"secretKey": c.SecretKey != "", "token": c.Token != "", "endpoint": c.Endpoint != "",
		"maxRetries": c.MaxRetries != nil, "quotaShare": c.QuotaShare != nil,
	}
	maps.Copy(values, c.roleSettingsGiven())
	maps.Copy(values, c.networkGiven())
	maps.Copy(values, c.tagSettingsGiven())
	maps.Copy(values, c.tagPolicyGiven())
	s := map[string]setting{}
	for key, given := range values {
		s[key] = setting{given: given, known: true}
	}
	return s
}

// problems are the settings that break a rule, reported by Check at preview
// and, as a safety net, by Configure. They are the one home of the rules for
// provider settings; each reason names the key as the user writes it.
func (c *Config) problems(s map[string]setting) []p.CheckFailure {
	var failures []p.CheckFailure
	fail := func(key, format string, args ...any) {
		failures = append(failures, p.CheckFailure{Property: key, Reason: "smx:" + key + " " + fmt.Sprintf(format, args...)})
	}
	judged := func(key string) bool { return s[key].given && s[key].known }
	if judged("region") && !aws.ToBool(c.SkipRegionValidation) {
		if err := ValidateRegion(c.Region); err != nil {
			fail("region", "%v", err)
		}
	}
	if judged("endpoint") {
		if err := validateEndpoint(c.Endpoint); err != nil {
			fail("endpoint", "%v", err)
		}
	}
	if judged("profile") && c.Profile == "" {
		fail("profile", "is set but empty: name a profile of the shared AWS config files, "+
			"or remove the setting to use AWS_PROFILE or the default profile")
	}
	if judged("maxRetries") && c.MaxRetries != nil && (*c.MaxRetries < 0 || *c.MaxRetries > MaxMaxRetries) {
		fail("maxRetries", maxRetriesRule, MaxMaxRetries, *c.MaxRetries)
	}
	if judged("quotaShare") && c.QuotaShare != nil && !(*c.QuotaShare > 0 && *c.QuotaShare <= 1) {
		fail("quotaShare", "must be a number greater than 0 and at most 1 (a share of AWS's request quotas), got %v", *c.QuotaShare)
	}
	failures = append(failures, c.networkProblems(s)...)
	// The credential rules compare settings, so they need every one involved known.
	if s["accessKey"].known && s["secretKey"].known && (c.AccessKey == "") != (c.SecretKey == "") {
		fail("accessKey", "and smx:secretKey must be set together")
	}
	if s["token"].known && s["accessKey"].known && c.Token != "" && c.AccessKey == "" {
		fail("token", "needs smx:accessKey and smx:secretKey: a session token belongs to the temporary "+
			"credentials they give, and is ignored without them")
	}
	failures = append(failures, c.roleProblems(s)...)
	failures = append(failures, c.tagProblems(s)...)
	failures = append(failures, c.tagPolicyProblems(s)...)
	return failures
}

// regionForm is the shape of every AWS region name in every partition:
// us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1, us-isob-east-1.
var regionForm = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)

// ValidateRegion says why region is not the name of an AWS region, or nil.
// It checks the form only, with no API call, so that it can run at preview;
// any region that input names (the provider's or a resource's) uses it.
func ValidateRegion(region string) error {
	if !regionForm.MatchString(region) {
		return fmt.Errorf("must be an AWS region such as eu-west-1, got %q", region)
	}
	return nil
}

// validateEndpoint says why endpoint cannot be a Secrets Manager endpoint:
// the SDK takes it as the base of every request URL.
func validateEndpoint(endpoint string) error {
	const rule = "must be an absolute http:// or https:// URL with a host, such as http://127.0.0.1:5000"
	u, err := url.Parse(endpoint)
	if err != nil {
		return fmt.Errorf("%s; %q does not parse: %w", rule, endpoint, errors.Unwrap(err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s, got %q", rule, endpoint)
	}
	return nil
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
	if problems := c.problems(c.settingsOfDecoded()); len(problems) > 0 {
		reasons := make([]string, len(problems))
		for i, problem := range problems {
			reasons[i] = problem.Reason
		}
		return fmt.Errorf("invalid smx provider configuration: %s", strings.Join(reasons, "; "))
	}
	awsCfg, err := c.loadAWSConfig(ctx)
	if err != nil {
		return err
	}
	awsCfg.Credentials = c.roleCredentials(awsCfg, explainedCredentials{awsCfg.Credentials})
	c.guard = c.newAccountGuard(awsCfg)
	c.tagPolicy = NewTagPolicy(c.tagPolicySeverity(), awsCfg)
	c.regional = &regionalClients{awsCfg: awsCfg, endpoint: c.secretsManagerEndpoint(), limiter: pacing.NewLimiter(c.quotaShare()),
		byRegion: map[string]*secretsmanager.Client{}}
	c.client = c.regional.newClient(awsCfg.Region)
	c.regional.byRegion[awsCfg.Region] = c.client
	endpoint, source := c.effectiveEndpoint()
	// smx:endpoint was judged above; an endpoint from the environment or the
	// shared config file is judged here, by the same rule, so that a
	// malformed one fails the preview instead of every call of `pulumi up`.
	if endpoint != "" && c.Endpoint == "" {
		if err := validateEndpoint(endpoint); err != nil {
			return fmt.Errorf("invalid smx provider configuration: %s %w", source, err)
		}
	}
	if err := checkResolvedEndpoint(ctx, c.client); err != nil {
		return err
	}
	if warning := plainHTTPWarning(endpoint, source); warning != "" {
		p.GetLogger(ctx).Warning(warning)
	}
	note := ""
	if endpoint != "" {
		note = fmt.Sprintf(" at endpoint %q (from %s)", redacted(endpoint), source)
	}
	p.GetLogger(ctx).Debugf("smx: configured for region %q%s, pacing at %v of AWS's request quotas",
		awsCfg.Region, note, c.quotaShare())
	return nil
}

// effectiveEndpoint is the Secrets Manager endpoint every call goes to, as
// the SDK resolved it (smx:endpoint, else AWS_ENDPOINT_URL_SECRETS_MANAGER,
// AWS_ENDPOINT_URL, or the shared config file's endpoint_url), with where it
// came from, in the words the user set it with; "" for AWS's own endpoint.
func (c *Config) effectiveEndpoint() (endpoint, source string) {
	endpoint = aws.ToString(c.client.Options().BaseEndpoint)
	switch {
	case endpoint == "":
		return "", ""
	case c.Endpoint != "":
		return endpoint, "smx:endpoint"
	case c.endpointOf("secretsmanager") != "":
		return endpoint, "smx:endpoints[].secretsmanager"
	}
	for _, name := range []string{"AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"} {
		if os.Getenv(name) == endpoint {
			return endpoint, name
		}
	}
	return endpoint, "the shared AWS config file's endpoint_url"
}

// plainHTTPWarning warns of an endpoint that sends every request, secret
// values included, over plain http:// to another machine: SigV4 signs a
// request but does not encrypt it. Loopback (127.0.0.0/8, ::1, localhost) is
// where moto and other local test servers listen: it stays quiet. It returns
// "" for an endpoint that needs no warning.
func plainHTTPWarning(endpoint, source string) string {
	u, err := url.Parse(endpoint)
	if endpoint == "" || err != nil || u.Scheme != "http" || isLoopback(u.Hostname()) {
		return ""
	}
	return fmt.Sprintf("smx: the Secrets Manager endpoint %s (from %s) is plain http:// to %s, which is not this "+
		"machine: every secret value smx writes or reads would cross the network unencrypted (SigV4 signs requests, "+
		"it does not encrypt them). Use https://, or a loopback address (127.0.0.1, ::1, localhost) for a local "+
		"test server", u.Redacted(), source, u.Hostname())
}

// isLoopback reports whether host names this machine: localhost, or an
// address in 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redacted is endpoint with any password in it masked, for logs.
func redacted(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil {
		return u.Redacted()
	}
	return endpoint
}

func (c *Config) quotaShare() float64 {
	if c.QuotaShare == nil {
		return 1
	}
	return *c.QuotaShare
}

// CheckCredentials retrieves the credentials every call signs with, through
// the SDK's chain (smx:accessKey, the environment, the shared files, SSO,
// instance roles), so that an operation that needs a client fails before its
// first call when there are none — at preview as at `pulumi up`, with the
// same explanation. The SDK caches them: static, environment and profile
// credentials cost no network call, and later retrievals cost nothing.
func (c Config) CheckCredentials(ctx context.Context) error {
	if c.regional == nil {
		return errors.New("smx: the provider is not configured")
	}
	if c.guard != nil {
		return c.guard.check(ctx) // signing GetCallerIdentity obtains the credentials
	}
	if c.SkipCredentialsValidation != nil && *c.SkipCredentialsValidation {
		return nil
	}
	_, err := c.regional.awsCfg.Credentials.Retrieve(ctx)
	return err
}

// Limiter is the pacing every client of this configuration shares (nil
// before Configure).
func (c Config) Limiter() *pacing.Limiter {
	if c.regional == nil {
		return nil
	}
	return c.regional.limiter
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
		o.APIOptions = append(o.APIOptions, r.limiter.APIOption(region), accessDeniedAPIOptions)
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
	networkOpts, err := c.networkLoadOptions()
	if err != nil {
		return aws.Config{}, err
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx, append(opts, networkOpts...)...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("smx: loading AWS configuration: %w", err)
	}
	c.applyNetwork(&awsCfg)
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
	awsCfg.Retryer = func() aws.Retryer { return NewRetryer(maxAttempts, c.tuneRetryer) }
	return awsCfg, nil
}

// NewRetryer is the SDK's standard retryer (exponential backoff with jitter,
// throttling and 5xx retried) with one correction for Secrets Manager: its
// LimitExceededException is a quota (for example too many versions), not a
// rate limit, so retrying it only wastes calls; and an AccessDeniedException
// is never retried, whatever status or wording it comes with: the same
// credentials get the same answer.
//
// tune, when given, adjusts the options last (smx:tokenBucketRateLimiterCapacity).
func NewRetryer(maxAttempts int, tune ...func(*retry.StandardOptions)) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.MaxBackoff = 20 * time.Second
		o.Retryables = append([]retry.IsErrorRetryable{quotaIsNotRetryable{}, accessDeniedIsNotRetryable{}}, o.Retryables...)
		// The SDK's client-side retry quota would make a throttled stack
		// fail sooner; smx paces itself instead (provider/pacing).
		o.RateLimiter = noRateLimit{}
		for _, t := range tune {
			t(o)
		}
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
	if pacing.IsHoldingsQuota(err) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

type accessDeniedIsNotRetryable struct{}

func (accessDeniedIsNotRetryable) IsErrorRetryable(err error) aws.Ternary {
	if IsAccessDenied(err) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

type noRateLimit struct{}

func (noRateLimit) GetToken(context.Context, uint) (func() error, error) {
	return func() error { return nil }, nil
}
func (noRateLimit) AddTokens(uint) error { return nil }
