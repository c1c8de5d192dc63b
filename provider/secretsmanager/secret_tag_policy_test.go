package secretsmanager_test

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/faketagging"
	"github.com/smxlabs/pulumi-smx/provider"
	"github.com/smxlabs/pulumi-smx/provider/config"
)

// The provider's smx:tagPolicyCompliance (config.TagPolicy), as
// terraform-provider-aws's tag_policy_compliance: a Secret created, or whose
// tags change, without every tag key the organization's tag policies require
// of secretsmanager:secret fails its preview ("error") or is reported
// ("warning"). ListRequiredTags is answered by a loopback fake
// (internal/faketagging), which moto does not serve.

// organization is a tag policy requiring team and cost of secrets (over two
// pages), and owner of S3 buckets, which secrets need not carry.
func organization(t *testing.T) *faketagging.Server {
	return faketagging.Start(t,
		faketagging.RequiredTag{ResourceType: config.SecretResourceType, ReportingTagKeys: []string{"team"},
			CloudFormationResourceTypes: []string{"AWS::SecretsManager::Secret"}},
		faketagging.RequiredTag{ResourceType: "s3:bucket", ReportingTagKeys: []string{"owner"}},
		faketagging.RequiredTag{ResourceType: config.SecretResourceType, ReportingTagKeys: []string{"cost"}})
}

func withTagPolicy(severity string, org *faketagging.Server) provider.Option {
	return provider.WithTagPolicy(config.NewTagPolicy(severity, aws.Config{Region: "us-east-1",
		BaseEndpoint: aws.String(org.URL), Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")}))
}

const missingCost = "lacks tag keys [cost], which the organization's tag policies require of secretsmanager:secret " +
	"in us-east-1 (smx:tagPolicyCompliance is \"error\"): add them to tags, or to the provider's defaultTags"

func TestTagPolicyErrorFailsThePreviewOfACreateNamingTheMissingKeys(t *testing.T) {
	t.Parallel()
	org := organization(t)
	h := newHarness(t, withTagPolicy(config.TagPolicyError, org))
	resp := h.check(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "payments"})})
	require.Len(t, resp.Failures, 1)
	assert.Equal(t, p.CheckFailure{Property: "tags", Reason: missingCost}, resp.Failures[0])
	assert.Zero(t, h.fake.TotalCalls(), "no Secrets Manager call: the preview stops at Check")

	none := h.check(secretType, "bare", property.Map{}, pm{"name": str("app/bare")})
	require.Len(t, none.Failures, 1)
	assert.Contains(t, none.Failures[0].Reason, "lacks tag keys [cost team]")

	h.create(secretType, "tagged", pm{"name": str("app/ok"), "tags": strMap(map[string]string{"team": "a", "cost": "1"})})
	assert.Equal(t, 3, org.Calls(), "the three pages, read once for every secret of the provider")
}

func TestTagPolicyCountsTheDefaultTags(t *testing.T) {
	t.Parallel()
	org := organization(t)
	h := newHarness(t, withTagPolicy(config.TagPolicyError, org), withDefaultTags(map[string]string{"cost": "4711"}))
	r := h.create(secretType, "secret", pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "payments"})})
	assert.Equal(t, strMap(map[string]string{"team": "payments", "cost": "4711"}), r.state.Get("tagsAll"))
	assert.Equal(t, 3, org.Calls(), "the policy was consulted, and the default cost satisfied it")
}

func TestTagPolicyChecksAnUpdateOnlyWhenTheTagsChange(t *testing.T) {
	t.Parallel()
	org := organization(t)
	fake := newHarness(t).fake
	before := newHarnessOn(t, fake) // created before the policy was enforced
	r := before.create(secretType, "secret", pm{"name": str("app/db"), "description": str("one")})

	h := newHarnessOn(t, fake, withTagPolicy(config.TagPolicyError, org))
	fake.ResetCalls()
	h.requireNoChange(r, pm{"name": str("app/db"), "description": str("one")})
	assert.Zero(t, org.Calls(), "a no-op preview asks nothing")
	assert.Zero(t, fake.TotalCalls())
	h.update(r, pm{"name": str("app/db"), "description": str("two")})
	assert.Zero(t, org.Calls(), "an update that leaves the tags alone is not judged")

	resp := h.check(secretType, "secret", r.inputs, pm{"name": str("app/db"), "description": str("one"),
		"tags": strMap(map[string]string{"team": "payments"})})
	require.Len(t, resp.Failures, 1)
	assert.Equal(t, p.CheckFailure{Property: "tags", Reason: missingCost}, resp.Failures[0])
}

func TestTagPolicyDoesNotJudgeUnknownTags(t *testing.T) {
	t.Parallel()
	org := organization(t)
	h := newHarness(t, withTagPolicy(config.TagPolicyError, org))
	h.checkOK(secretType, "secret", property.Map{}, pm{"name": str("app/db"), "tags": computed()})
	assert.Zero(t, org.Calls())
}

func TestDisabledOrUnsetTagPolicyMakesNoCall(t *testing.T) {
	t.Parallel()
	org := organization(t)
	for _, opts := range [][]provider.Option{{withTagPolicy(config.TagPolicyDisabled, org)}, nil} {
		h := newHarness(t, opts...)
		h.create(secretType, "secret", pm{"name": str("app/db")})
	}
	assert.Zero(t, org.Calls())
}

func TestRefusedListRequiredTagsFailsThePreviewNamingTheAction(t *testing.T) {
	t.Parallel()
	org := organization(t)
	org.Deny()
	h := newHarness(t, withTagPolicy(config.TagPolicyWarning, org))
	_, err := h.server.Check(p.CheckRequest{Urn: urnOf(secretType, "secret"), Inputs: property.NewMap(pm{"name": str("app/db")})})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AWS denied tag:ListRequiredTags to smx's credentials")
	assert.Contains(t, err.Error(), `smx:tagPolicyCompliance is "warning"`)
	assert.Zero(t, h.fake.TotalCalls())
}

// Not parallel: it reads what the provider logs, which without an engine goes
// to slog's default logger.
func TestTagPolicyWarningWarnsAndProceeds(t *testing.T) {
	var logged bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, nil)))
	t.Cleanup(func() { slog.SetDefault(previous) })

	org := organization(t)
	h := newHarness(t, withTagPolicy(config.TagPolicyWarning, org))
	h.create(secretType, "secret", pm{"name": str("app/db"), "tags": strMap(map[string]string{"team": "payments"})})
	_, ok := h.fake.Snapshot("app/db")
	assert.True(t, ok, "the secret is created")
	assert.Contains(t, logged.String(), "smx: tags lacks tag keys [cost], which the organization's tag policies "+
		"require of secretsmanager:secret in us-east-1 (smx:tagPolicyCompliance is \\\"warning\\\")")
}
