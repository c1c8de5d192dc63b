package config

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// The settings of this file, as pulumi-aws names them (ProviderArgs of
// @pulumi/aws 7.48.0): the credentials smx signs with once the SDK's own
// chain has found the first ones, and the accounts it may work in.
var roleKeys = []string{"assumeRoles", "assumeRoleWithWebIdentity", "stsRegion", "allowedAccountIds",
	"forbiddenAccountIds", "skipCredentialsValidation", "skipRequestingAccountId"}

// AssumeRole is one role of smx:assumeRoles, pulumi-aws's ProviderAssumeRole.
// Its JSON form (diffConfig's) leaves empty fields out, as they mean unset.
// Every field is optional in the schema, as in pulumi-aws, so that the same
// program type-checks against both; smx's Check requires roleArn.
type AssumeRole struct {
	RoleArn           string            `pulumi:"roleArn,optional" json:"roleArn,omitempty"`
	SessionName       string            `pulumi:"sessionName,optional" json:"sessionName,omitempty"`
	ExternalId        string            `pulumi:"externalId,optional" json:"externalId,omitempty"` //nolint:revive // pulumi-aws's name
	Duration          string            `pulumi:"duration,optional" json:"duration,omitempty"`
	Policy            string            `pulumi:"policy,optional" json:"policy,omitempty"`
	PolicyArns        []string          `pulumi:"policyArns,optional" json:"policyArns,omitempty"`
	SourceIdentity    string            `pulumi:"sourceIdentity,optional" json:"sourceIdentity,omitempty"`
	Tags              map[string]string `pulumi:"tags,optional" json:"tags,omitempty"`
	TransitiveTagKeys []string          `pulumi:"transitiveTagKeys,optional" json:"transitiveTagKeys,omitempty"`
}

// Annotate gives the type pulumi-aws's token name, so that SDK users find
// the same type name (ProviderAssumeRole) they used with pulumi-aws.
func (r *AssumeRole) Annotate(a infer.Annotator) {
	a.SetToken("index", "ProviderAssumeRole")
	a.Describe(&r.RoleArn, "Amazon Resource Name (ARN) of an IAM Role to assume prior to making API calls "+
		"(arn:<partition>:iam::<12-digit account>:role/<name>). Required.")
	a.Describe(&r.SessionName, "An identifier for the assumed role session: 2 to 64 letters, digits and =,.@_+-. "+
		"When unset, the AWS SDK makes one up.")
	a.Describe(&r.ExternalId, "A unique identifier that might be required when you assume a role in another account: "+
		"2 to 1224 letters, digits and =,.@:/_+-.")
	a.Describe(&r.Duration, "The duration, between 15 minutes and 12 hours, of the role session. Valid time units are "+
		"ns, us (or µs), ms, s, h, or m, e.g. `1h`. When unset, 15 minutes. smx renews the credentials before they "+
		"expire, so a long `pulumi up` outlives it.")
	a.Describe(&r.Policy, "IAM Policy JSON describing further restricting permissions for the IAM Role being assumed.")
	a.Describe(&r.PolicyArns, "Amazon Resource Names (ARNs) of IAM Policies describing further restricting "+
		"permissions for the IAM Role being assumed.")
	a.Describe(&r.SourceIdentity, "Source identity specified by the principal assuming the role: 2 to 64 letters, "+
		"digits and =,.@_+-.")
	a.Describe(&r.Tags, "Assume role session tags.")
	a.Describe(&r.TransitiveTagKeys, "Assume role session tag keys to pass to any subsequent sessions; each must be "+
		"a key of `tags`.")
}

// AssumeRoleWithWebIdentity is smx:assumeRoleWithWebIdentity, pulumi-aws's
// ProviderAssumeRoleWithWebIdentity: the first credentials come from an
// OIDC token (GitHub Actions, EKS) instead of the SDK's chain.
type AssumeRoleWithWebIdentity struct {
	RoleArn              string   `pulumi:"roleArn,optional" json:"roleArn,omitempty"`
	SessionName          string   `pulumi:"sessionName,optional" json:"sessionName,omitempty"`
	WebIdentityToken     string   `pulumi:"webIdentityToken,optional" provider:"secret" json:"webIdentityToken,omitempty"`
	WebIdentityTokenFile string   `pulumi:"webIdentityTokenFile,optional" json:"webIdentityTokenFile,omitempty"`
	Duration             string   `pulumi:"duration,optional" json:"duration,omitempty"`
	Policy               string   `pulumi:"policy,optional" json:"policy,omitempty"`
	PolicyArns           []string `pulumi:"policyArns,optional" json:"policyArns,omitempty"`
}

// Annotate gives the type pulumi-aws's token name.
func (w *AssumeRoleWithWebIdentity) Annotate(a infer.Annotator) {
	a.SetToken("index", "ProviderAssumeRoleWithWebIdentity")
	a.Describe(&w.RoleArn, "Amazon Resource Name (ARN) of an IAM Role to assume with the web identity token "+
		"(arn:<partition>:iam::<12-digit account>:role/<name>). Required.")
	a.Describe(&w.SessionName, "An identifier for the assumed role session: 2 to 64 letters, digits and =,.@_+-.")
	a.Describe(&w.WebIdentityToken, "The OIDC token itself. Set this or `webIdentityTokenFile`, not both.")
	a.Describe(&w.WebIdentityTokenFile, "A file holding the OIDC token, read again at every renewal (as the tokens "+
		"of GitHub Actions and EKS are rotated). Set this or `webIdentityToken`, not both; with neither, "+
		"`AWS_WEB_IDENTITY_TOKEN_FILE` is used.")
	a.Describe(&w.Duration, "The duration, between 15 minutes and 12 hours, of the role session. Valid time units "+
		"are ns, us (or µs), ms, s, h, or m, e.g. `1h`. When unset, STS's default (1 hour).")
	a.Describe(&w.Policy, "IAM Policy JSON describing further restricting permissions for the IAM Role being assumed.")
	a.Describe(&w.PolicyArns, "Amazon Resource Names (ARNs) of IAM Policies describing further restricting "+
		"permissions for the IAM Role being assumed.")
}

// annotateRoles documents the settings of this file (called by Config.Annotate).
func (c *Config) annotateRoles(a infer.Annotator) {
	a.Describe(&c.AssumeRoles, "Roles to assume, in order: each with the credentials the previous one gave, the first "+
		"with the credentials smx found (smx:accessKey, the environment, a profile, `assumeRoleWithWebIdentity`). "+
		"Every Secrets Manager call then acts as the last role, in its account. The credentials are renewed before "+
		"they expire. STS is called in `stsRegion`.")
	a.Describe(&c.AssumeRoleWithWebIdentity, "A role to assume with an OIDC web identity token, as the first "+
		"credentials (before `assumeRoles`). It wins over `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`, "+
		"which the AWS SDK honours when it is unset.")
	a.Describe(&c.StsRegion, "The region where AWS STS operations (assuming roles, the account check) take place. "+
		"When unset, the provider's region. The STS endpoint is AWS's for that region, or `AWS_ENDPOINT_URL_STS` "+
		"(then `AWS_ENDPOINT_URL`) when set.")
	a.Describe(&c.AllowedAccountIDs, "The only AWS account IDs smx may manage secrets in. Checked once per provider "+
		"with one sts:GetCallerIdentity call, before its first Secrets Manager call (at preview too, when a resource "+
		"is to be created, updated or read); another account fails the operation, naming the account. "+
		"Conflicts with `forbiddenAccountIds`.")
	a.Describe(&c.ForbiddenAccountIDs, "AWS account IDs smx must never manage secrets in, checked as "+
		"`allowedAccountIds` is. Conflicts with `allowedAccountIds`.")
	a.Describe(&c.SkipCredentialsValidation, "Do not obtain the credentials before a resource's first call. smx "+
		"never validates credentials with an STS call; it obtains them (for assumed roles, the STS AssumeRole calls) "+
		"before the first Secrets Manager call, so that a preview fails when they are missing. With this set, a "+
		"preview makes no STS call for them, and missing or refused credentials show at the first Secrets Manager "+
		"call instead. The account check of `allowedAccountIds` still runs.")
	a.Describe(&c.SkipRequestingAccountId, "Do not request the account ID. smx requests it (sts:GetCallerIdentity) "+
		"only for `allowedAccountIds` and `forbiddenAccountIds`, so this changes nothing without them and is "+
		"rejected with them.")
}

// roleSettingsGiven says which of this file's settings a decoded
// configuration gives (for Configure's safety net).
func (c *Config) roleSettingsGiven() map[string]bool {
	return map[string]bool{
		"assumeRoles": len(c.AssumeRoles) > 0, "assumeRoleWithWebIdentity": c.AssumeRoleWithWebIdentity != nil,
		"stsRegion": c.StsRegion != "", "allowedAccountIds": len(c.AllowedAccountIDs) > 0,
		"forbiddenAccountIds": len(c.ForbiddenAccountIDs) > 0, "skipCredentialsValidation": c.SkipCredentialsValidation != nil,
		"skipRequestingAccountId": c.SkipRequestingAccountId != nil,
	}
}

var (
	// roleARNForm is an IAM role's ARN in any partition, with an optional path.
	roleARNForm = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]+$`)
	// policyARNForm is a managed policy's ARN: the account's, or AWS's own.
	policyARNForm = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy/[\w+=,.@/-]+$`)
	accountIDForm = regexp.MustCompile(`^\d{12}$`)
	// sessionNameForm is STS's rule for RoleSessionName and SourceIdentity.
	sessionNameForm = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	// externalIDChars is STS's alphabet of ExternalId (its length, 2 to 1224,
	// is beyond what a regexp repeat can count).
	externalIDChars = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
)

// STS's bounds of DurationSeconds (a role's own maximum may be lower; STS
// says so when it is).
const (
	minRoleDuration = 15 * time.Minute
	maxRoleDuration = 12 * time.Hour
	// STS's limits on session tags.
	maxSessionTags = 50
)

// roleProblems are the rules of this file's settings, judged as problems
// judges the others: only settings given and known.
func (c *Config) roleProblems(s map[string]setting) []p.CheckFailure {
	var failures []p.CheckFailure
	fail := func(key, field, format string, args ...any) {
		failures = append(failures, p.CheckFailure{Property: key,
			Reason: "smx:" + key + field + " " + fmt.Sprintf(format, args...)})
	}
	judged := func(key string) bool { return s[key].given && s[key].known }

	if judged("assumeRoles") {
		for i, role := range c.AssumeRoles {
			at := fmt.Sprintf("[%d].", i)
			if err := validRoleARN(role.RoleArn); err != nil {
				fail("assumeRoles", at+"roleArn", "%v", err)
			}
			c.judgeSession(func(field, format string, args ...any) { fail("assumeRoles", at+field, format, args...) },
				role.SessionName, role.Duration, role.Policy, role.PolicyArns)
			if n := len(role.ExternalId); n > 0 && (n < 2 || n > 1224 || !externalIDChars.MatchString(role.ExternalId)) {
				fail("assumeRoles", at+"externalId", "must be 2 to 1224 letters, digits and =,.@:/_+- (STS's rule), "+
					"got %d characters", len(role.ExternalId))
			}
			if role.SourceIdentity != "" && !sessionNameForm.MatchString(role.SourceIdentity) {
				fail("assumeRoles", at+"sourceIdentity", "must be 2 to 64 letters, digits and =,.@_+- (STS's rule), got %q",
					role.SourceIdentity)
			}
			if len(role.Tags) > maxSessionTags {
				fail("assumeRoles", at+"tags", "may hold at most %d session tags (STS's limit), got %d", maxSessionTags, len(role.Tags))
			}
			for _, key := range role.TransitiveTagKeys {
				if _, ok := role.Tags[key]; !ok {
					fail("assumeRoles", at+"transitiveTagKeys", "names %q, which is not a key of tags: STS passes on "+
						"only session tags", key)
				}
			}
		}
	}
	if judged("assumeRoleWithWebIdentity") && c.AssumeRoleWithWebIdentity != nil {
		w := c.AssumeRoleWithWebIdentity
		key := "assumeRoleWithWebIdentity"
		if err := validRoleARN(w.RoleArn); err != nil {
			fail(key, ".roleArn", "%v", err)
		}
		c.judgeSession(func(field, format string, args ...any) { fail(key, "."+field, format, args...) },
			w.SessionName, w.Duration, w.Policy, w.PolicyArns)
		switch {
		case w.WebIdentityToken != "" && w.WebIdentityTokenFile != "":
			fail(key, ".webIdentityToken", "and webIdentityTokenFile are both set: set one of them")
		case w.WebIdentityTokenFile != "":
			if _, err := os.Stat(w.WebIdentityTokenFile); err != nil {
				fail(key, ".webIdentityTokenFile", "must be a file that holds the token: %q cannot be read (%v)",
					w.WebIdentityTokenFile, errors.Unwrap(err))
			}
		case w.WebIdentityToken == "" && os.Getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == "":
			fail(key, "", "needs a token: set webIdentityToken or webIdentityTokenFile (or AWS_WEB_IDENTITY_TOKEN_FILE)")
		}
	}
	if judged("stsRegion") {
		if err := ValidateRegion(c.StsRegion); err != nil {
			fail("stsRegion", "", "%v", err)
		}
	}
	for _, key := range []string{"allowedAccountIds", "forbiddenAccountIds"} {
		if !judged(key) {
			continue
		}
		for i, id := range c.accountList(key) {
			if !accountIDForm.MatchString(id) {
				fail(key, fmt.Sprintf("[%d]", i), "must be a 12-digit AWS account ID, got %q", id)
			}
		}
	}
	// The conflicts compare settings, so every one involved must be known.
	known := func(keys ...string) bool {
		return !slices.ContainsFunc(keys, func(k string) bool { return !s[k].known })
	}
	if known("allowedAccountIds", "forbiddenAccountIds") && len(c.AllowedAccountIDs) > 0 && len(c.ForbiddenAccountIDs) > 0 {
		fail("allowedAccountIds", "", "and smx:forbiddenAccountIds conflict: set one of them")
	}
	if known("allowedAccountIds", "forbiddenAccountIds", "skipRequestingAccountId") && c.guarded() &&
		c.SkipRequestingAccountId != nil && *c.SkipRequestingAccountId {
		fail("skipRequestingAccountId", "", "conflicts with smx:allowedAccountIds and smx:forbiddenAccountIds: "+
			"checking the account needs its ID (one sts:GetCallerIdentity call)")
	}
	return failures
}

// judgeSession applies the rules a role of either kind shares.
func (c *Config) judgeSession(fail func(field, format string, args ...any), sessionName, duration, policy string, policyArns []string) {
	if sessionName != "" && !sessionNameForm.MatchString(sessionName) {
		fail("sessionName", "must be 2 to 64 letters, digits and =,.@_+- (STS's rule), got %q", sessionName)
	}
	if duration != "" {
		if _, err := roleDuration(duration); err != nil {
			fail("duration", "%v", err)
		}
	}
	if policy != "" && !json.Valid([]byte(policy)) {
		fail("policy", "must be an IAM policy document in JSON, and does not parse as JSON")
	}
	for i, arn := range policyArns {
		if !policyARNForm.MatchString(arn) {
			fail(fmt.Sprintf("policyArns[%d]", i), "must be the ARN of an IAM policy "+
				"(arn:aws:iam::<12-digit account or aws>:policy/<name>), got %q", arn)
		}
	}
}

func validRoleARN(arn string) error {
	if !roleARNForm.MatchString(arn) {
		return fmt.Errorf("must be the ARN of an IAM role, arn:<partition>:iam::<12-digit account>:role/<name>, got %q", arn)
	}
	return nil
}

// roleDuration parses a session duration as pulumi-aws takes it: a Go
// duration string ("1h", "90m") within STS's bounds.
func roleDuration(text string) (time.Duration, error) {
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, fmt.Errorf("must be a duration such as 1h or 90m (units ns, us, ms, s, m, h), got %q", text)
	}
	if d < minRoleDuration || d > maxRoleDuration {
		return 0, fmt.Errorf("must be from 15m to 12h (STS's bounds), got %q", text)
	}
	return d, nil
}

func (c *Config) accountList(key string) []string {
	if key == "allowedAccountIds" {
		return c.AllowedAccountIDs
	}
	return c.ForbiddenAccountIDs
}

// guarded reports whether an account guard is set: only then does smx ask
// STS who it is.
func (c *Config) guarded() bool {
	return len(c.AllowedAccountIDs) > 0 || len(c.ForbiddenAccountIDs) > 0
}

// stsRegionOf is where STS is called: smx:stsRegion, else the provider's.
func (c *Config) stsRegionOf(awsCfg aws.Config) string {
	if c.StsRegion != "" {
		return c.StsRegion
	}
	return awsCfg.Region
}

// newSTS is an STS client for the credentials given. Its endpoint is
// smx:endpoints[].sts, else what the SDK resolves for STS:
// AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL, the shared config file, else
// AWS's regional endpoint.
func (c *Config) newSTS(awsCfg aws.Config, creds aws.CredentialsProvider) *sts.Client {
	return sts.NewFromConfig(awsCfg, func(o *sts.Options) {
		o.Region = c.stsRegionOf(awsCfg)
		o.Credentials = creds
		if endpoint := c.stsEndpoint(); endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
}

// roleCredentials puts the configured roles on top of the credentials the
// SDK's chain found (base): first the web identity role, which needs no
// credentials (its token is the proof), then each of smx:assumeRoles, signed
// with the credentials of the one before. Each step is cached and renewed
// five minutes before it expires, so a long `pulumi up` keeps working; a
// renewal of the last role renews the ones under it only when they expire.
// With no role configured it returns base unchanged.
func (c *Config) roleCredentials(awsCfg aws.Config, base aws.CredentialsProvider) aws.CredentialsProvider {
	creds := base
	if w := c.AssumeRoleWithWebIdentity; w != nil {
		var token stscreds.IdentityTokenRetriever = stscreds.IdentityTokenFile(w.WebIdentityTokenFile)
		switch {
		case w.WebIdentityToken != "":
			token = staticToken(w.WebIdentityToken)
		case w.WebIdentityTokenFile == "":
			token = stscreds.IdentityTokenFile(os.Getenv("AWS_WEB_IDENTITY_TOKEN_FILE"))
		}
		duration, _ := roleDuration(w.Duration) // judged by roleProblems; "" is STS's default
		provider := stscreds.NewWebIdentityRoleProvider(c.newSTS(awsCfg, aws.AnonymousCredentials{}), w.RoleArn, token,
			func(o *stscreds.WebIdentityRoleOptions) {
				o.RoleSessionName = w.SessionName
				o.Duration = duration
				o.Policy = optional(w.Policy)
				o.PolicyARNs = policyDescriptors(w.PolicyArns)
			})
		creds = renewed(explainedRole{provider, "smx:assumeRoleWithWebIdentity", w.RoleArn})
	}
	for i, role := range c.AssumeRoles {
		duration, _ := roleDuration(role.Duration) // judged by roleProblems; "" is the SDK's 15 minutes
		provider := stscreds.NewAssumeRoleProvider(c.newSTS(awsCfg, creds), role.RoleArn,
			func(o *stscreds.AssumeRoleOptions) {
				o.RoleSessionName = role.SessionName
				o.Duration = duration
				o.ExternalID = optional(role.ExternalId)
				o.Policy = optional(role.Policy)
				o.PolicyARNs = policyDescriptors(role.PolicyArns)
				o.SourceIdentity = optional(role.SourceIdentity)
				for _, key := range sortedTagKeys(role.Tags) {
					o.Tags = append(o.Tags, ststypes.Tag{Key: aws.String(key), Value: aws.String(role.Tags[key])})
				}
				o.TransitiveTagKeys = role.TransitiveTagKeys
			})
		creds = renewed(explainedRole{provider, fmt.Sprintf("smx:assumeRoles[%d]", i), role.RoleArn})
	}
	return creds
}

// renewed caches credentials and renews them five minutes before they
// expire, so that no call is signed with credentials about to lapse.
func renewed(provider aws.CredentialsProvider) *aws.CredentialsCache {
	return aws.NewCredentialsCache(provider, func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = 5 * time.Minute
	})
}

// explainedRole names the setting and the role when assuming it fails: the
// SDK's error names only the STS operation.
type explainedRole struct {
	aws.CredentialsProvider
	setting, roleARN string
}

func (r explainedRole) Retrieve(ctx context.Context) (aws.Credentials, error) {
	creds, err := r.CredentialsProvider.Retrieve(ctx)
	if err != nil {
		return creds, fmt.Errorf("smx could not assume the role %s (%s): %w", r.roleARN, r.setting, err)
	}
	return creds, nil
}

type staticToken string

func (t staticToken) GetIdentityToken() ([]byte, error) { return []byte(t), nil }

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func policyDescriptors(arns []string) []ststypes.PolicyDescriptorType {
	var out []ststypes.PolicyDescriptorType
	for _, arn := range arns {
		out = append(out, ststypes.PolicyDescriptorType{Arn: aws.String(arn)})
	}
	return out
}

func sortedTagKeys(tags map[string]string) []string {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// accountGuard checks smx:allowedAccountIds and smx:forbiddenAccountIds once
// per provider, on the first request for a client: a no-op preview asks for
// none and so stays free of AWS. A verdict (the account, allowed or not) is
// kept; a failure to ask STS is not, so that a passing network fault does
// not fail every later operation.
type accountGuard struct {
	sts interface {
		GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
	}
	allowed, forbidden []string

	mu      sync.Mutex
	decided bool
	verdict error
}

// newAccountGuard is the guard of the configuration, or nil when it sets none.
func (c *Config) newAccountGuard(awsCfg aws.Config) *accountGuard {
	if !c.guarded() {
		return nil
	}
	return &accountGuard{sts: c.newSTS(awsCfg, awsCfg.Credentials), allowed: c.AllowedAccountIDs, forbidden: c.ForbiddenAccountIDs}
}

func (g *accountGuard) check(ctx context.Context) error {
	if g == nil {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.decided {
		return g.verdict
	}
	out, err := g.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("smx could not check the AWS account against smx:allowedAccountIds/forbiddenAccountIds "+
			"(sts:GetCallerIdentity): %w", err)
	}
	account := aws.ToString(out.Account)
	switch {
	case len(g.allowed) > 0 && !slices.Contains(g.allowed, account):
		g.verdict = fmt.Errorf("smx: the credentials act in AWS account %s, which is not in smx:allowedAccountIds (%s): "+
			"smx manages no secret there. Use credentials or roles (smx:assumeRoles) of an allowed account, or add "+
			"the account to smx:allowedAccountIds", account, strings.Join(g.allowed, ", "))
	case slices.Contains(g.forbidden, account):
		g.verdict = fmt.Errorf("smx: the credentials act in AWS account %s, which is in smx:forbiddenAccountIds: "+
			"smx manages no secret there. Use credentials or roles (smx:assumeRoles) of another account", account)
	}
	g.decided = true
	return g.verdict
}

// roleSettingText is a setting's value in one form for diffConfig, whichever
// form it was stored in. The settings of this file also mean what they mean
// in pulumi-aws, whose state a stack moving over compares with: a bool
// absent is false ("false" in pulumi-aws's state is no change), and roles
// and account lists compare by what they say, whether stored as stack
// config's JSON text or typed, with pulumi-aws's empty fields or without.
func roleSettingText(key string, v property.Value) text {
	if !slices.Contains(roleKeys, key) || v.HasComputed() {
		return settingText(v)
	}
	var plain any
	if v.IsString() {
		if err := json.Unmarshal([]byte(v.AsString()), &plain); err != nil {
			return settingText(v)
		}
	} else {
		plain = plainValue(v)
	}
	var decoded any
	switch key {
	case "assumeRoles":
		decoded = new([]AssumeRole)
	case "assumeRoleWithWebIdentity":
		decoded = new(AssumeRoleWithWebIdentity)
	case "allowedAccountIds", "forbiddenAccountIds":
		decoded = new([]string)
	case "skipCredentialsValidation", "skipRequestingAccountId":
		decoded = new(bool)
	default: // stsRegion
		return settingText(v)
	}
	raw, err := json.Marshal(plain)
	if err == nil {
		err = json.Unmarshal(raw, decoded)
	}
	if err != nil {
		return settingText(v)
	}
	canonical, _ := json.Marshal(decoded)
	switch string(canonical) {
	case "null", "[]", "false", "{}":
		return text{"", true}
	}
	return text{string(canonical), true}
}

// plainValue is v as encoding/json would decode it, secrets unwrapped: the
// text is compared, never shown.
func plainValue(v property.Value) any {
	switch {
	case v.IsArray():
		var out []any
		for _, item := range v.AsArray().All {
			out = append(out, plainValue(item))
		}
		return out
	case v.IsMap():
		out := map[string]any{}
		for key, item := range v.AsMap().All {
			out[key] = plainValue(item)
		}
		return out
	case v.IsString():
		return v.AsString()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsBool():
		return v.AsBool()
	}
	return nil
}
