package config

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/smxlabs/pulumi-smx/internal/faketagging"
)

func TestCheckJudgesTagPolicyCompliance(t *testing.T) {
	for _, v := range []string{"error", "warning", "disabled"} {
		if failures := checkConfig(t, values{"tagPolicyCompliance": property.New(v)}); len(failures) != 0 {
			t.Fatalf("%s rejected: %v", v, failures)
		}
	}
	if failures := checkConfig(t, values{"tagPolicyCompliance": property.New(property.Computed)}); len(failures) != 0 {
		t.Fatalf("an unknown setting judged: %v", failures)
	}
	for _, bad := range []string{"Error", "warn", "", "true"} {
		failures := checkConfig(t, values{"tagPolicyCompliance": property.New(bad)})
		want := `smx:tagPolicyCompliance must be one of error, warning, disabled (what a secret missing a tag key ` +
			`the organization's tag policies require does to the preview), got "` + bad + `"`
		if len(failures) != 1 || failures[0].Property != "tagPolicyCompliance" || failures[0].Reason != want {
			t.Fatalf("%q: failures %v, want one saying %s", bad, failures, want)
		}
	}
}

// Not parallel: it sets an environment variable.
func TestTagPolicyComplianceFallsBackToTheTerraformVariable(t *testing.T) {
	t.Setenv(TagPolicyEnvVar, "warning")
	if got := (&Config{}).tagPolicySeverity(); got != "warning" {
		t.Fatalf("severity %q, want the variable's warning", got)
	}
	if got := (&Config{TagPolicyCompliance: "error"}).tagPolicySeverity(); got != "error" {
		t.Fatalf("severity %q, want the setting's error: the setting wins", got)
	}
	t.Setenv(TagPolicyEnvVar, "strict")
	failures := checkConfig(t, values{})
	if len(failures) != 1 || !strings.HasPrefix(failures[0].Reason, "TF_AWS_TAG_POLICY_COMPLIANCE (the fallback of "+
		"smx:tagPolicyCompliance) must be one of error, warning, disabled") {
		t.Fatalf("failures %v", failures)
	}
	if failures := checkConfig(t, values{"tagPolicyCompliance": property.New("disabled")}); len(failures) != 0 {
		t.Fatalf("the variable judged although the setting wins over it: %v", failures)
	}
	t.Setenv(TagPolicyEnvVar, "")
	if failures := checkConfig(t, values{}); len(failures) != 0 {
		t.Fatalf("an empty variable, which is unset, judged: %v", failures)
	}
}

func taggingConfig(url string) aws.Config {
	return aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")}
}

func TestTagPolicyReadsEveryPageOncePerRegion(t *testing.T) {
	t.Parallel()
	fake := faketagging.Start(t,
		faketagging.RequiredTag{ResourceType: SecretResourceType, ReportingTagKeys: []string{"team"}},
		faketagging.RequiredTag{ResourceType: "s3:bucket", ReportingTagKeys: []string{"owner"}},
		faketagging.RequiredTag{ResourceType: SecretResourceType, ReportingTagKeys: []string{"cost", "team"}})
	policy := NewTagPolicy(TagPolicyError, taggingConfig(fake.URL))
	for range 3 {
		missing, err := policy.MissingKeys(t.Context(), "eu-west-1", SecretResourceType, map[string]string{"Cost": "x"})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(missing, ",") != "cost,team" {
			t.Fatalf("missing %v, want cost and team (keys compare case-sensitively; s3's owner is not a secret's)", missing)
		}
	}
	if fake.Calls() != 3 {
		t.Fatalf("%d calls, want 3: the three pages once", fake.Calls())
	}
	if _, err := policy.MissingKeys(t.Context(), "us-west-2", SecretResourceType, nil); err != nil {
		t.Fatal(err)
	}
	if fake.Calls() != 6 {
		t.Fatalf("%d calls, want 6: another region asks again", fake.Calls())
	}
}

func TestDisabledTagPolicyMakesNoCall(t *testing.T) {
	t.Parallel()
	fake := faketagging.Start(t, faketagging.RequiredTag{ResourceType: SecretResourceType, ReportingTagKeys: []string{"team"}})
	for _, policy := range []*TagPolicy{nil, NewTagPolicy(TagPolicyDisabled, taggingConfig(fake.URL))} {
		missing, err := policy.MissingKeys(context.Background(), "us-east-1", SecretResourceType, nil)
		if err != nil || missing != nil {
			t.Fatalf("missing %v, err %v", missing, err)
		}
	}
	if fake.Calls() != 0 {
		t.Fatalf("%d calls, want none", fake.Calls())
	}
}

func TestRefusedListRequiredTagsNamesTheAction(t *testing.T) {
	t.Parallel()
	fake := faketagging.Start(t)
	fake.Deny()
	_, err := NewTagPolicy(TagPolicyError, taggingConfig(fake.URL)).MissingKeys(t.Context(), "us-east-1", SecretResourceType, nil)
	var denied *AccessDeniedError
	if !errors.As(err, &denied) || denied.Action != "tag:ListRequiredTags" {
		t.Fatalf("err %v, want an AccessDeniedError for tag:ListRequiredTags", err)
	}
	for _, want := range []string{`smx:tagPolicyCompliance is "error"`, "AWS denied tag:ListRequiredTags to smx's credentials",
		"or set smx:tagPolicyCompliance to disabled", "is not authorized to perform: tag:ListRequiredTags"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("%q does not say %q", err, want)
		}
	}
}

// Configure gives the provider's tag policy its credentials, and the SDK
// finds ListRequiredTags' endpoint in AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API.
// Not parallel: it sets environment variables.
func TestConfiguredTagPolicyReachesTheTaggingEndpointOfTheEnvironment(t *testing.T) {
	isolate(t)
	fake := faketagging.Start(t, faketagging.RequiredTag{ResourceType: SecretResourceType, ReportingTagKeys: []string{"team"}})
	t.Setenv("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", fake.URL)
	t.Setenv(TagPolicyEnvVar, "")
	for severity, enabled := range map[string]bool{"": false, "disabled": false, "warning": true, "error": true} {
		c := &Config{Region: "us-east-1", Endpoint: "http://127.0.0.1:4444", TagPolicyCompliance: severity}
		if err := c.Configure(context.Background()); err != nil {
			t.Fatal(err)
		}
		copied := *c // infer hands resources copies of the configuration
		policy := copied.TagPolicy()
		if policy.Enabled() != enabled {
			t.Fatalf("%q: enabled %v, want %v", severity, policy.Enabled(), enabled)
		}
		calls := fake.Calls()
		missing, err := policy.MissingKeys(t.Context(), "us-east-1", SecretResourceType, map[string]string{})
		if err != nil {
			t.Fatal(err)
		}
		if enabled && (strings.Join(missing, ",") != "team" || fake.Calls() != calls+1) {
			t.Fatalf("%q: missing %v after %d calls, want team after one", severity, missing, fake.Calls()-calls)
		}
		if !enabled && (missing != nil || fake.Calls() != calls) {
			t.Fatalf("%q: missing %v after %d calls, want none", severity, missing, fake.Calls()-calls)
		}
	}
}
