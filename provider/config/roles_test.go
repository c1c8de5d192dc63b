package config

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// fakeSTS is STS as the AWS API reference describes AssumeRole,
// AssumeRoleWithWebIdentity and GetCallerIdentity, on a loopback server:
// the credentials a role's session gets act in the role's account, and
// every call is recorded with the access key that signed it and the region
// it was signed for.
type fakeSTS struct {
	server *httptest.Server
	// lifetime is how long the credentials it hands out last.
	lifetime time.Duration
	// failCallerIdentity makes GetCallerIdentity answer 500 that many times.
	failCallerIdentity int

	mu       sync.Mutex
	calls    []stsCall
	accounts map[string]string // access key → account
	issued   int
}

type stsCall struct {
	action, signedBy, region string
	form                     map[string]string
}

var signature = regexp.MustCompile(`Credential=([^/]+)/\d+/([^/]+)/sts/`)

func startFakeSTS(t *testing.T) *fakeSTS {
	f := &fakeSTS{lifetime: time.Hour, accounts: map[string]string{"testing": "123456789012"}}
	f.server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.server.Close)
	t.Setenv("AWS_ENDPOINT_URL_STS", f.server.URL)
	return f
}

func (f *fakeSTS) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	call := stsCall{action: r.Form.Get("Action"), form: map[string]string{}}
	for k := range r.Form {
		call.form[k] = r.Form.Get(k)
	}
	if m := signature.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		call.signedBy, call.region = m[1], m[2]
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	switch call.action {
	case "AssumeRole", "AssumeRoleWithWebIdentity":
		if call.action == "AssumeRole" && f.accounts[call.signedBy] == "" {
			http.Error(w, "<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>", http.StatusForbidden)
			return
		}
		if call.action == "AssumeRoleWithWebIdentity" && call.form["WebIdentityToken"] == "" {
			http.Error(w, "<ErrorResponse><Error><Code>InvalidIdentityToken</Code></Error></ErrorResponse>", http.StatusBadRequest)
			return
		}
		arn := call.form["RoleArn"]
		f.issued++
		key := fmt.Sprintf("ASIA%d", f.issued)
		f.accounts[key] = strings.Split(arn, ":")[4]
		_, _ = fmt.Fprintf(w, `<%[1]sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><%[1]sResult>
<Credentials><AccessKeyId>%[2]s</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>
<Expiration>%[3]s</Expiration></Credentials><AssumedRoleUser><Arn>%[4]s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
</%[1]sResult></%[1]sResponse>`, call.action, key, time.Now().Add(f.lifetime).UTC().Format(time.RFC3339), arn)
	case "GetCallerIdentity":
		if f.failCallerIdentity > 0 {
			f.failCallerIdentity--
			http.Error(w, "<ErrorResponse><Error><Code>InternalFailure</Code></Error></ErrorResponse>", http.StatusInternalServerError)
			return
		}
		_, _ = fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws:sts::%[1]s:assumed-role/x/s</Arn><UserId>AROA:s</UserId><Account>%[1]s</Account></GetCallerIdentityResult>
</GetCallerIdentityResponse>`, f.accounts[call.signedBy])
	default:
		http.Error(w, "unknown action "+call.action, http.StatusBadRequest)
	}
}

func (f *fakeSTS) recorded() []stsCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]stsCall(nil), f.calls...)
}

func (f *fakeSTS) count(action string) int {
	n := 0
	for _, c := range f.recorded() {
		if c.action == action {
			n++
		}
	}
	return n
}

// isolateRoles is isolate, with the web identity variables of the SDK's
// chain cleared too.
func isolateRoles(t *testing.T) {
	isolate(t)
	t.Setenv("AWS_ROLE_ARN", "")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "")
	t.Setenv("AWS_ROLE_SESSION_NAME", "")
}

func configured(t *testing.T, c *Config) *Config {
	t.Helper()
	if err := c.Configure(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAssumeRolesAreChainedInOrderAtTheSTSRegion(t *testing.T) {
	isolateRoles(t)
	fake := startFakeSTS(t)
	c := configured(t, &Config{Region: "us-east-1", StsRegion: "eu-west-1", AssumeRoles: []AssumeRole{
		{RoleArn: "arn:aws:iam::111111111111:role/first", SessionName: "deploy", ExternalId: "ext-1", Duration: "1h",
			Tags: map[string]string{"team": "a", "env": "prod"}, TransitiveTagKeys: []string{"team"},
			PolicyArns: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, SourceIdentity: "ci"},
		{RoleArn: "arn:aws:iam::222222222222:role/path/second"},
	}})
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls := fake.recorded()
	if len(calls) != 2 {
		t.Fatalf("STS calls %v; want two AssumeRole", calls)
	}
	first, second := calls[0], calls[1]
	if first.form["RoleArn"] != "arn:aws:iam::111111111111:role/first" || first.signedBy != "testing" {
		t.Fatalf("first call %+v; want the first role, signed with the environment's key", first)
	}
	if second.form["RoleArn"] != "arn:aws:iam::222222222222:role/path/second" || second.signedBy != "ASIA1" {
		t.Fatalf("second call %+v; want the second role, signed with the first role's credentials", second)
	}
	for _, call := range calls {
		if call.region != "eu-west-1" {
			t.Fatalf("STS signed for %q; want smx:stsRegion eu-west-1", call.region)
		}
	}
	for field, want := range map[string]string{"RoleSessionName": "deploy", "ExternalId": "ext-1", "DurationSeconds": "3600",
		"Tags.member.1.Key": "env", "Tags.member.2.Key": "team", "Tags.member.2.Value": "a",
		"TransitiveTagKeys.member.1": "team", "PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
		"SourceIdentity": "ci"} {
		if got := first.form[field]; got != want {
			t.Errorf("AssumeRole %s = %q, want %q", field, got, want)
		}
	}
	client, _ := c.ClientFor("")
	creds, err := client.Options().Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != "ASIA2" {
		t.Fatalf("Secrets Manager signs with %q (%v); want the last role's key ASIA2", creds.AccessKeyID, err)
	}
	if n := fake.count("GetCallerIdentity"); n != 0 {
		t.Fatalf("%d GetCallerIdentity calls without an account guard: smx requests no account ID then", n)
	}
}

// pulumi-aws's endpoints[].sts is where roles are assumed, in place of the
// environment's STS endpoint.
func TestEndpointsSTSIsWhereRolesAreAssumed(t *testing.T) {
	isolateRoles(t)
	fake := startFakeSTS(t)
	t.Setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1") // nothing listens there
	c := configured(t, &Config{Region: "us-east-1", Endpoints: []ProviderEndpoint{{Sts: &fake.server.URL}},
		AssumeRoles: []AssumeRole{{RoleArn: "arn:aws:iam::111111111111:role/r"}}})
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := fake.count("AssumeRole"); n != 1 {
		t.Fatalf("%d AssumeRole calls at smx:endpoints[].sts; want 1", n)
	}
}

func TestSTSRegionDefaultsToTheProvidersRegion(t *testing.T) {
	isolateRoles(t)
	fake := startFakeSTS(t)
	c := configured(t, &Config{Region: "ap-south-1", AssumeRoles: []AssumeRole{{RoleArn: "arn:aws:iam::111111111111:role/r"}}})
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Fatal(err)
	}
	if calls := fake.recorded(); len(calls) != 1 || calls[0].region != "ap-south-1" {
		t.Fatalf("STS calls %+v; want one signed for ap-south-1", calls)
	}
}

// A long `pulumi up` outlives a role session: credentials within five
// minutes of expiring are renewed before a call is signed with them, and
// others are reused.
func TestAssumedRoleCredentialsAreRenewedBeforeTheyExpire(t *testing.T) {
	isolateRoles(t)
	for _, tc := range []struct {
		lifetime time.Duration
		want     int
	}{{time.Hour, 1}, {4 * time.Minute, 3}} {
		t.Run(tc.lifetime.String(), func(t *testing.T) {
			fake := startFakeSTS(t)
			fake.lifetime = tc.lifetime
			c := configured(t, &Config{AssumeRoles: []AssumeRole{{RoleArn: "arn:aws:iam::111111111111:role/r"}}})
			client, _ := c.ClientFor("")
			for range 3 {
				if _, err := client.Options().Credentials.Retrieve(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if n := fake.count("AssumeRole"); n != tc.want {
				t.Fatalf("%d AssumeRole calls for three retrievals of credentials lasting %v; want %d", n, tc.lifetime, tc.want)
			}
		})
	}
}

func TestAssumeRoleFailureNamesTheSettingAndRole(t *testing.T) {
	isolateRoles(t)
	startFakeSTS(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "unknown-to-sts")
	c := configured(t, &Config{AssumeRoles: []AssumeRole{{RoleArn: "arn:aws:iam::111111111111:role/r"}}})
	err := c.CheckCredentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "smx could not assume the role arn:aws:iam::111111111111:role/r (smx:assumeRoles[0])") {
		t.Fatalf("CheckCredentials: %v", err)
	}
}

func TestWebIdentityFromTokenOrFileWinsOverTheEnvironment(t *testing.T) {
	isolateRoles(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte("token-from-file"), 0o600); err != nil {
		t.Fatal(err)
	}
	envFile := filepath.Join(dir, "env-token")
	if err := os.WriteFile(envFile, []byte("token-from-env"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		setting   *AssumeRoleWithWebIdentity
		wantRole  string
		wantToken string
	}{
		"token":       {&AssumeRoleWithWebIdentity{RoleArn: "arn:aws:iam::333333333333:role/oidc", WebIdentityToken: "token-inline"}, "arn:aws:iam::333333333333:role/oidc", "token-inline"},
		"token file":  {&AssumeRoleWithWebIdentity{RoleArn: "arn:aws:iam::333333333333:role/oidc", WebIdentityTokenFile: file, Duration: "2h"}, "arn:aws:iam::333333333333:role/oidc", "token-from-file"},
		"environment": {nil, "arn:aws:iam::444444444444:role/from-env", "token-from-env"},
	} {
		t.Run(name, func(t *testing.T) {
			fake := startFakeSTS(t)
			t.Setenv("AWS_ACCESS_KEY_ID", "")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "")
			t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::444444444444:role/from-env")
			t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", envFile)
			c := configured(t, &Config{AssumeRoleWithWebIdentity: tc.setting,
				AssumeRoles: []AssumeRole{{RoleArn: "arn:aws:iam::222222222222:role/next"}}})
			if err := c.CheckCredentials(context.Background()); err != nil {
				t.Fatal(err)
			}
			calls := fake.recorded()
			if len(calls) != 2 || calls[0].action != "AssumeRoleWithWebIdentity" || calls[1].action != "AssumeRole" {
				t.Fatalf("STS calls %+v; want the web identity role, then assumeRoles", calls)
			}
			if calls[0].form["RoleArn"] != tc.wantRole || calls[0].form["WebIdentityToken"] != tc.wantToken {
				t.Fatalf("web identity call %+v; want role %s with token %s", calls[0].form, tc.wantRole, tc.wantToken)
			}
			if tc.setting != nil && tc.setting.Duration == "2h" && calls[0].form["DurationSeconds"] != "7200" {
				t.Fatalf("DurationSeconds %q, want 7200", calls[0].form["DurationSeconds"])
			}
			if calls[1].signedBy != "ASIA1" {
				t.Fatalf("assumeRoles signed by %q; want the web identity role's key", calls[1].signedBy)
			}
		})
	}
}

func TestAccountGuards(t *testing.T) {
	isolateRoles(t)
	role := []AssumeRole{{RoleArn: "arn:aws:iam::222222222222:role/x"}}
	for name, tc := range map[string]struct {
		config Config
		refuse string
	}{
		"allowed":                   {Config{AssumeRoles: role, AllowedAccountIDs: []string{"111111111111", "222222222222"}}, ""},
		"not allowed":               {Config{AssumeRoles: role, AllowedAccountIDs: []string{"111111111111"}}, "AWS account 222222222222, which is not in smx:allowedAccountIds (111111111111)"},
		"forbidden":                 {Config{AssumeRoles: role, ForbiddenAccountIDs: []string{"222222222222"}}, "AWS account 222222222222, which is in smx:forbiddenAccountIds"},
		"not forbidden":             {Config{ForbiddenAccountIDs: []string{"222222222222"}}, ""},
		"the environment's refused": {Config{AllowedAccountIDs: []string{"222222222222"}}, "AWS account 123456789012, which is not in smx:allowedAccountIds"},
	} {
		t.Run(name, func(t *testing.T) {
			fake := startFakeSTS(t)
			c := configured(t, &tc.config)
			copied := *c // infer hands resources copies: the verdict is the provider's
			for _, cfg := range []*Config{c, &copied} {
				err := cfg.CheckCredentials(context.Background())
				if tc.refuse == "" && err != nil {
					t.Fatal(err)
				}
				if tc.refuse != "" && (err == nil || !strings.Contains(err.Error(), tc.refuse)) {
					t.Fatalf("CheckCredentials: %v; want it to say %q", err, tc.refuse)
				}
			}
			if n := fake.count("GetCallerIdentity"); n != 1 {
				t.Fatalf("%d GetCallerIdentity calls for two operations; want one per provider", n)
			}
		})
	}
}

// A failure to ask STS is no verdict: the next operation asks again.
func TestAccountGuardRetriesAfterAFailedCall(t *testing.T) {
	isolateRoles(t)
	fake := startFakeSTS(t)
	zero := 0
	c := configured(t, &Config{MaxRetries: &zero, AllowedAccountIDs: []string{"123456789012"}})
	fake.failCallerIdentity = 1
	if err := c.CheckCredentials(context.Background()); err == nil || !strings.Contains(err.Error(), "smx could not check the AWS account") {
		t.Fatalf("first check: %v", err)
	}
	if err := c.CheckCredentials(context.Background()); err != nil {
		t.Fatalf("second check: %v", err)
	}
}

// smx's credential validation is obtaining the credentials before the first
// call (for a role, AssumeRole); skipCredentialsValidation skips exactly that.
func TestSkipCredentialsValidationSkipsObtainingThem(t *testing.T) {
	isolateRoles(t)
	yes := true
	for _, tc := range []struct {
		skip *bool
		want int
	}{{nil, 1}, {&yes, 0}} {
		fake := startFakeSTS(t)
		c := configured(t, &Config{SkipCredentialsValidation: tc.skip, AssumeRoles: []AssumeRole{{RoleArn: "arn:aws:iam::111111111111:role/r"}}})
		if err := c.CheckCredentials(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := len(fake.recorded()); got != tc.want {
			t.Fatalf("skipCredentialsValidation %v: %d STS calls, want %d", tc.skip != nil, got, tc.want)
		}
	}
}

func TestCheckRejectsMalformedRoleSettings(t *testing.T) {
	s := property.New[string]
	obj := func(fields map[string]property.Value) property.Value { return property.New(property.NewMap(fields)) }
	list := func(items ...property.Value) property.Value { return property.New(items) }
	role := func(fields map[string]property.Value) map[string]property.Value {
		if _, ok := fields["roleArn"]; !ok {
			fields["roleArn"] = s("arn:aws:iam::111111111111:role/r")
		}
		return map[string]property.Value{"assumeRoles": list(obj(fields))}
	}
	web := func(fields map[string]property.Value) map[string]property.Value {
		if _, ok := fields["roleArn"]; !ok {
			fields["roleArn"] = s("arn:aws:iam::111111111111:role/r")
		}
		return map[string]property.Value{"assumeRoleWithWebIdentity": obj(fields)}
	}
	missing := filepath.Join(t.TempDir(), "no-such-token")
	for name, tc := range map[string]struct {
		settings map[string]property.Value
		property string
		reason   string
	}{
		"role ARN of a user":       {role(map[string]property.Value{"roleArn": s("arn:aws:iam::111111111111:user/u")}), "assumeRoles", `smx:assumeRoles[0].roleArn must be the ARN of an IAM role, arn:<partition>:iam::<12-digit account>:role/<name>, got "arn:aws:iam::111111111111:user/u"`},
		"role ARN short account":   {role(map[string]property.Value{"roleArn": s("arn:aws:iam::1111:role/r")}), "assumeRoles", "smx:assumeRoles[0].roleArn must be the ARN of an IAM role"},
		"role ARN missing":         {role(map[string]property.Value{"roleArn": s("")}), "assumeRoles", `smx:assumeRoles[0].roleArn must be the ARN of an IAM role, arn:<partition>:iam::<12-digit account>:role/<name>, got ""`},
		"duration 5m":              {role(map[string]property.Value{"duration": s("5m")}), "assumeRoles", `smx:assumeRoles[0].duration must be from 15m to 12h (STS's bounds), got "5m"`},
		"duration 13h":             {role(map[string]property.Value{"duration": s("13h")}), "assumeRoles", `got "13h"`},
		"duration seconds":         {role(map[string]property.Value{"duration": s("3600")}), "assumeRoles", `smx:assumeRoles[0].duration must be a duration such as 1h or 90m (units ns, us, ms, s, m, h), got "3600"`},
		"session name with spaces": {role(map[string]property.Value{"sessionName": s("my session")}), "assumeRoles", `smx:assumeRoles[0].sessionName must be 2 to 64 letters, digits and =,.@_+- (STS's rule), got "my session"`},
		"session name too long":    {role(map[string]property.Value{"sessionName": s(strings.Repeat("a", 65))}), "assumeRoles", "sessionName must be 2 to 64"},
		"external ID of one":       {role(map[string]property.Value{"externalId": s("x")}), "assumeRoles", "smx:assumeRoles[0].externalId must be 2 to 1224"},
		"source identity":          {role(map[string]property.Value{"sourceIdentity": s("a b")}), "assumeRoles", "smx:assumeRoles[0].sourceIdentity must be 2 to 64"},
		"policy not JSON":          {role(map[string]property.Value{"policy": s("{")}), "assumeRoles", "smx:assumeRoles[0].policy must be an IAM policy document in JSON"},
		"policy ARN of a role":     {role(map[string]property.Value{"policyArns": list(s("arn:aws:iam::111111111111:role/r"))}), "assumeRoles", "smx:assumeRoles[0].policyArns[0] must be the ARN of an IAM policy"},
		"transitive key untagged":  {role(map[string]property.Value{"transitiveTagKeys": list(s("team"))}), "assumeRoles", `smx:assumeRoles[0].transitiveTagKeys names "team", which is not a key of tags`},
		"web role ARN":             {web(map[string]property.Value{"roleArn": s("role/x"), "webIdentityToken": s("t")}), "assumeRoleWithWebIdentity", "smx:assumeRoleWithWebIdentity.roleArn must be the ARN of an IAM role"},
		"web duration":             {web(map[string]property.Value{"duration": s("1d"), "webIdentityToken": s("t")}), "assumeRoleWithWebIdentity", "smx:assumeRoleWithWebIdentity.duration must be a duration"},
		"web token and file":       {web(map[string]property.Value{"webIdentityToken": s("t"), "webIdentityTokenFile": s(missing)}), "assumeRoleWithWebIdentity", "smx:assumeRoleWithWebIdentity.webIdentityToken and webIdentityTokenFile are both set: set one of them"},
		"web token file missing":   {web(map[string]property.Value{"webIdentityTokenFile": s(missing)}), "assumeRoleWithWebIdentity", fmt.Sprintf("smx:assumeRoleWithWebIdentity.webIdentityTokenFile must be a file that holds the token: %q cannot be read", missing)},
		"web no token":             {web(map[string]property.Value{}), "assumeRoleWithWebIdentity", "smx:assumeRoleWithWebIdentity needs a token"},
		"stsRegion":                {map[string]property.Value{"stsRegion": s("Europe")}, "stsRegion", "smx:stsRegion must be an AWS region"},
		"account ID short":         {map[string]property.Value{"allowedAccountIds": list(s("12345"))}, "allowedAccountIds", `smx:allowedAccountIds[0] must be a 12-digit AWS account ID, got "12345"`},
		"account ID an alias":      {map[string]property.Value{"forbiddenAccountIds": list(s("123456789012"), s("prod"))}, "forbiddenAccountIds", `smx:forbiddenAccountIds[1] must be a 12-digit AWS account ID, got "prod"`},
		"allowed and forbidden":    {map[string]property.Value{"allowedAccountIds": list(s("111111111111")), "forbiddenAccountIds": list(s("222222222222"))}, "allowedAccountIds", "smx:allowedAccountIds and smx:forbiddenAccountIds conflict: set one of them"},
		"guard without account ID": {map[string]property.Value{"allowedAccountIds": list(s("111111111111")), "skipRequestingAccountId": property.New(true)}, "skipRequestingAccountId", "smx:skipRequestingAccountId conflicts with smx:allowedAccountIds and smx:forbiddenAccountIds"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "")
			failures := checkConfig(t, tc.settings)
			if len(failures) != 1 || failures[0].Property != tc.property || !strings.Contains(failures[0].Reason, tc.reason) {
				t.Fatalf("failures %v; want one on %s saying %q", failures, tc.property, tc.reason)
			}
		})
	}
}

func TestCheckAcceptsWellFormedRoleSettings(t *testing.T) {
	s := property.New[string]
	obj := func(fields map[string]property.Value) property.Value { return property.New(property.NewMap(fields)) }
	list := func(items ...property.Value) property.Value { return property.New(items) }
	token := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(token, []byte("t"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, settings := range map[string]map[string]property.Value{
		"a chain": {"assumeRoles": list(
			obj(map[string]property.Value{"roleArn": s("arn:aws:iam::111111111111:role/a"), "sessionName": s("deploy@ci"),
				"duration": s("15m"), "externalId": s("urn:ext/1"), "policyArns": list(s("arn:aws:iam::aws:policy/ReadOnlyAccess")),
				"tags": obj(map[string]property.Value{"team": s("a")}), "transitiveTagKeys": list(s("team")), "policy": s(`{"Version":"2012-10-17"}`)}),
			obj(map[string]property.Value{"roleArn": s("arn:aws-us-gov:iam::222222222222:role/path/b"), "duration": s("12h")}))},
		"web identity file": {"assumeRoleWithWebIdentity": obj(map[string]property.Value{"roleArn": s("arn:aws:iam::111111111111:role/a"), "webIdentityTokenFile": s(token)})},
		"guards":            {"allowedAccountIds": list(s("111111111111")), "skipRequestingAccountId": property.New(false), "stsRegion": s("us-west-2")},
		"skips":             {"skipRequestingAccountId": property.New(true), "skipCredentialsValidation": property.New(true)},
		"unknown role":      {"assumeRoles": list(obj(map[string]property.Value{"roleArn": property.New(property.Computed)}))},
		"unknown guard":     {"allowedAccountIds": property.New(property.Computed), "forbiddenAccountIds": list(s("111111111111"))},
	} {
		t.Run(name, func(t *testing.T) {
			if failures := checkConfig(t, settings); len(failures) != 0 {
				t.Fatalf("rejected: %v", failures)
			}
		})
	}
}

// A stack moving from pulumi-aws carries its roles and guards over: the
// same roles in stack config's JSON text, in pulumi-aws's typed state with
// its empty fields, or in smx's, are no change; another role, or a role
// dropped, is an update (the provider acts elsewhere; it replaces nothing).
func TestDiffConfigComparesRolesByWhatTheySay(t *testing.T) {
	roleTyped := property.New([]property.Value{property.New(settings{
		"roleArn": str("arn:aws:iam::123456789012:role/deployer"), "sessionName": str("ci"),
		"duration": str(""), "policyArns": property.New([]property.Value{}), "tags": property.New(settings{}),
	})})
	roleText := str(`[{"roleArn":"arn:aws:iam::123456789012:role/deployer","sessionName":"ci"}]`)
	other := property.New([]property.Value{property.New(settings{"roleArn": str("arn:aws:iam::123456789012:role/other")})})
	for name, tc := range map[string]struct {
		olds, news settings
		changed    []string
	}{
		"same role, text and typed": {settings{"assumeRoles": roleText}, settings{"assumeRoles": deployerRoles}, nil},
		"same role, empty fields":   {settings{"assumeRoles": roleTyped}, settings{"assumeRoles": deployerRoles}, nil},
		"another role":              {settings{"assumeRoles": roleText}, settings{"assumeRoles": other}, []string{"assumeRoles"}},
		"role dropped":              {settings{"assumeRoles": roleTyped}, settings{}, []string{"assumeRoles"}},
		"false and absent":          {settings{"skipCredentialsValidation": str("false"), "skipRequestingAccountId": flag(false)}, settings{}, nil},
		"skip set":                  {settings{"skipCredentialsValidation": str("false")}, settings{"skipCredentialsValidation": flag(true)}, []string{"skipCredentialsValidation"}},
		"same accounts":             {settings{"allowedAccountIds": str(`["111111111111"]`)}, settings{"allowedAccountIds": property.New([]property.Value{str("111111111111")})}, nil},
		"account added":             {settings{"allowedAccountIds": str(`["111111111111"]`)}, settings{"allowedAccountIds": property.New([]property.Value{str("111111111111"), str("222222222222")})}, []string{"allowedAccountIds"}},
		"web identity unknown":      {settings{}, settings{"assumeRoleWithWebIdentity": unknown}, []string{"assumeRoleWithWebIdentity"}},
	} {
		t.Run(name, func(t *testing.T) {
			diff := diffConfig(property.NewMap(tc.olds), property.NewMap(tc.news))
			changed := slices.Sorted(maps.Keys(diff.DetailedDiff))
			if !slices.Equal(changed, tc.changed) {
				t.Fatalf("changed %v, want %v", changed, tc.changed)
			}
			for key, d := range diff.DetailedDiff {
				if d.Kind != p.Update {
					t.Fatalf("%s: %v, want an update", key, d.Kind)
				}
			}
		})
	}
}
