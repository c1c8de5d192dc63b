package provider_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/smxlabs/pulumi-smx/provider"
)

// unconfigured is the provider before Configure: what the engine talks to
// in CheckConfig and DiffConfig. Neither may need AWS.
func unconfigured(t *testing.T) integration.Server {
	t.Helper()
	smx, err := provider.New()
	if err != nil {
		t.Fatal(err)
	}
	s, err := integration.NewServer(t.Context(), provider.Name, semver.MustParse(provider.Version), integration.WithProvider(smx))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var defaultProviderURN = presource.NewURN("dev", "app", "", "pulumi:providers:smx", "default")

// Stack config reaches CheckConfig as strings ("-1", not -1): the rules must
// hold for settings as the engine sends them.
func TestCheckConfigJudgesStackConfigStrings(t *testing.T) {
	s := unconfigured(t)
	for name, tc := range map[string]struct{ value, property, reason string }{
		"maxRetries -1":       {"-1", "maxRetries", "smx:maxRetries must be a whole number from 0 to 100, got -1"},
		"maxRetries 1000":     {"1000", "maxRetries", "from 0 to 100, got 1000"},
		"maxRetries 1.5":      {"1.5", "maxRetries", "must be a whole number from 0 to 100, got 1.5"},
		"maxRetries often":    {"often", "maxRetries", "int"},
		"region EU-WEST":      {"EU-WEST", "region", `smx:region must be an AWS region such as eu-west-1, got "EU-WEST"`},
		"endpoint ftp":        {"ftp://127.0.0.1:21", "endpoint", "smx:endpoint must be an absolute http:// or https:// URL"},
		"endpoint not a URL":  {"not a url", "endpoint", "smx:endpoint must be an absolute http:// or https:// URL"},
		"profile given empty": {"", "profile", "smx:profile is set but empty"},
		"quotaShare 2":        {"2", "quotaShare", "smx:quotaShare must be a number greater than 0 and at most 1"},
		"quotaShare 50%":      {"50%", "quotaShare", "float"},
	} {
		t.Run(name, func(t *testing.T) {
			key := strings.Fields(name)[0]
			resp, err := s.CheckConfig(p.CheckRequest{Urn: defaultProviderURN, Inputs: property.NewMap(map[string]property.Value{
				key: property.New(tc.value), "version": property.New(provider.Version),
			})})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Failures) != 1 || resp.Failures[0].Property != tc.property || !strings.Contains(resp.Failures[0].Reason, tc.reason) {
				t.Fatalf("failures %v; want one on %s saying %q", resp.Failures, tc.property, tc.reason)
			}
		})
	}
	resp, err := s.CheckConfig(p.CheckRequest{Urn: defaultProviderURN, Inputs: property.NewMap(map[string]property.Value{
		"region": property.New("us-gov-west-1"), "maxRetries": property.New("3"), "endpoint": property.New("http://127.0.0.1:5000"),
		"quotaShare": property.New("0.5"),
	})})
	if err != nil || len(resp.Failures) != 0 {
		t.Fatalf("well-formed stack config: %v %v", err, resp.Failures)
	}
}

// checkedConfig is settings as smx's CheckConfig stores them in state.
func checkedConfig(t *testing.T, s integration.Server, settings map[string]property.Value) property.Map {
	t.Helper()
	resp, err := s.CheckConfig(p.CheckRequest{Urn: defaultProviderURN, Inputs: property.NewMap(settings)})
	if err != nil || len(resp.Failures) > 0 {
		t.Fatalf("check config: %v %v", err, resp.Failures)
	}
	return resp.Inputs
}

// A stack moving from pulumi-aws to smx through aliases: the engine asks
// smx's DiffConfig about the old pulumi-aws provider, whose state holds keys
// smx does not have and stack config as strings ("25"). infer's own
// DiffConfig failed to decode that ("1 failures decoding"), failing the
// preview; the provider must answer, and replace only on a region move.
func TestDiffConfigOfPulumiAWSProvider(t *testing.T) {
	s := unconfigured(t)
	awsDefault := property.NewMap(map[string]property.Value{
		"region": property.New("us-west-2"), "maxRetries": property.New("25"), "profile": property.New("prod"),
		"skipCredentialsValidation": property.New("false"), "skipRegionValidation": property.New("true"),
		"endpoints": property.New(`[{"secretsmanager":"http://127.0.0.1:5000"}]`), "version": property.New("6.83.4"),
	})
	for name, tc := range map[string]struct {
		region   string
		replaced bool
	}{"same region": {"us-west-2", false}, "region moved": {"eu-central-1", true}} {
		// maxRetries and profile carry over unchanged, so only a region move shows.
		wantChanged := 0
		if tc.replaced {
			wantChanged = 1
		}
		t.Run(name, func(t *testing.T) {
			news := checkedConfig(t, s, map[string]property.Value{
				"region": property.New(tc.region), "maxRetries": property.New("25"), "profile": property.New("prod"),
			})
			diff, err := s.DiffConfig(p.DiffRequest{Urn: defaultProviderURN, OldInputs: awsDefault, State: awsDefault, Inputs: news})
			if err != nil {
				t.Fatal(err)
			}
			if replaced := diff.DetailedDiff["region"].Kind == p.UpdateReplace; replaced != tc.replaced || len(diff.DetailedDiff) != wantChanged {
				t.Fatalf("diff %+v: want replaced=%v and nothing else changed", diff, tc.replaced)
			}
		})
	}
}

// smx's own region change replaces every resource, for the same reason; an
// endpoint change never does.
func TestDiffConfigOfSMXProvider(t *testing.T) {
	s := unconfigured(t)
	olds := checkedConfig(t, s, map[string]property.Value{"region": property.New("us-east-1"), "endpoint": property.New("http://127.0.0.1:1")})
	news := checkedConfig(t, s, map[string]property.Value{"region": property.New("eu-central-1"), "endpoint": property.New("http://127.0.0.1:2")})
	diff, err := s.DiffConfig(p.DiffRequest{Urn: defaultProviderURN, OldInputs: olds, State: olds, Inputs: news})
	if err != nil {
		t.Fatal(err)
	}
	if !diff.HasChanges || diff.DetailedDiff["region"].Kind != p.UpdateReplace || diff.DetailedDiff["endpoint"].Kind != p.Update {
		t.Fatalf("diff %+v: want region replaced, endpoint updated", diff)
	}
	same, err := s.DiffConfig(p.DiffRequest{Urn: defaultProviderURN, OldInputs: olds, State: olds, Inputs: olds})
	if err != nil || same.HasChanges {
		t.Fatalf("identical config: %+v %v", same, err)
	}
}

// noCredentials empties every source of the SDK's credential chain: the
// variables, the shared files (empty files), and instance metadata
// (disabled, so that nothing leaves this machine looking for it).
func noCredentials(t *testing.T) {
	t.Helper()
	for _, name := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_DEFAULT_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER"} {
		t.Setenv(name, "")
		if err := os.Unsetenv(name); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		empty := filepath.Join(t.TempDir(), "empty")
		if err := os.WriteFile(empty, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv(name, empty)
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("HOME", t.TempDir())
}

// With no AWS credentials anywhere, a preview that plans a create or an
// update fails, as `pulumi up` does and as pulumi-aws's previews do, with
// `up`'s explanation of what to set, and before any call. A preview with
// nothing to change still needs no AWS.
func TestPreviewWithoutCredentialsFails(t *testing.T) {
	noCredentials(t)
	var calls atomic.Int32
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer endpoint.Close()
	s := unconfigured(t)
	if err := s.Configure(p.ConfigureRequest{Args: property.NewMap(map[string]property.Value{
		"region": property.New("us-east-1"), "endpoint": property.New(endpoint.URL),
	})}); err != nil {
		t.Fatal(err, "configuring needs no credentials")
	}
	const explained = "smx found no AWS credentials: set smx:accessKey and smx:secretKey"
	preview := func(token tokens.Type, name string, inputs map[string]property.Value) error {
		t.Helper()
		u := urn(token, name)
		check, err := s.Check(p.CheckRequest{Urn: u, Inputs: property.NewMap(inputs)})
		if err != nil || len(check.Failures) > 0 {
			t.Fatalf("check %s: %v %v", name, err, check.Failures)
		}
		_, err = s.Create(p.CreateRequest{Urn: u, Properties: check.Inputs, DryRun: true})
		return err
	}
	if err := preview(secretToken, "secret", map[string]property.Value{"name": property.New("app/db")}); err == nil || !strings.Contains(err.Error(), explained) {
		t.Fatalf("preview of a new Secret: %v; want it to fail saying %q", err, explained)
	}
	// A new SecretVersion's preview makes no call at all, and fails the same way.
	if err := preview(versionToken, "version", map[string]property.Value{
		"secretId": property.New("app/db"), "secretString": property.New("no-creds-value").WithSecret(true),
	}); err == nil || !strings.Contains(err.Error(), explained) {
		t.Fatalf("preview of a new SecretVersion: %v; want it to fail saying %q", err, explained)
	}

	arn := "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf"
	inputs := property.NewMap(map[string]property.Value{"name": property.New("app/db"), "description": property.New("old")})
	state := property.NewMap(map[string]property.Value{
		"arn": property.New(arn), "name": property.New("app/db"), "namePrefix": property.New(""), "policy": property.New(""),
		"description": property.New("old"), "tagsAll": property.New(map[string]property.Value{}), "region": property.New("us-east-1"),
	})
	same, err := s.Diff(p.DiffRequest{ID: arn, Urn: urn(secretToken, "secret"), State: state, OldInputs: inputs, Inputs: inputs})
	if err != nil || same.HasChanges {
		t.Fatalf("a preview with nothing to change: %+v %v", same, err)
	}
	changed := property.NewMap(map[string]property.Value{"name": property.New("app/db"), "description": property.New("new")})
	_, err = s.Update(p.UpdateRequest{ID: arn, Urn: urn(secretToken, "secret"), State: state, OldInputs: inputs, Inputs: changed, DryRun: true})
	if err == nil || !strings.Contains(err.Error(), explained) {
		t.Fatalf("preview of an update: %v; want it to fail saying %q", err, explained)
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("the previews made %d calls, want none", n)
	}
}
