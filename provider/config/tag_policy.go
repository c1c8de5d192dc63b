package config

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingschemas "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/schemas"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
)

// smx:tagPolicyCompliance is terraform-provider-aws's `tag_policy_compliance`
// (pulumi-aws's `tagPolicyCompliance`): the provider asks the Resource Groups
// Tagging API (ListRequiredTags) which tag keys the organization's tag
// policies require on each resource type, and a secret that is created, or
// whose tags change, without every one of them fails ("error") or is
// reported ("warning") at preview, before any change. AWS describes it in
// "Enforce Required tag key with IaC" (AWS Organizations user guide).

// The values of smx:tagPolicyCompliance, as terraform-provider-aws has them.
const (
	TagPolicyError    = "error"
	TagPolicyWarning  = "warning"
	TagPolicyDisabled = "disabled"
)

// TagPolicyEnvVar is where terraform-provider-aws, and so pulumi-aws, read
// the setting from when it is not set.
const TagPolicyEnvVar = "TF_AWS_TAG_POLICY_COMPLIANCE"

// SecretResourceType is a secret's resource type in ListRequiredTags' answer
// (RequiredTag.ResourceType; terraform-provider-aws maps it to
// aws_secretsmanager_secret).
const SecretResourceType = "secretsmanager:secret"

// ListRequiredTagsAction is the IAM action ListRequiredTags needs.
const ListRequiredTagsAction = "tag:ListRequiredTags"

var tagPolicyValues = []string{TagPolicyError, TagPolicyWarning, TagPolicyDisabled}

// tagPolicyKeys are the configuration keys of this file.
var tagPolicyKeys = []string{"tagPolicyCompliance"}

func (c *Config) annotateTagPolicy(a infer.Annotator) {
	a.Describe(&c.TagPolicyCompliance, "What to do with a secret that lacks a tag key the organization's tag policies "+
		"require of `secretsmanager:secret` (AWS Organizations' \"Required tag key\", read with the Resource Groups "+
		"Tagging API's ListRequiredTags, which needs `tag:ListRequiredTags`), as in pulumi-aws: `error` fails the "+
		"preview of a secret created, or whose tags change, without them; `warning` reports the missing keys and "+
		"proceeds; `disabled` (the default) checks nothing. The secret's `tagsAll` count, so `defaultTags` can "+
		"supply them. When unset, `TF_AWS_TAG_POLICY_COMPLIANCE` is honoured. The required keys are read once "+
		"per region, only when a secret is to be created or its tags changed.")
}

// tagPolicyGiven says whether a decoded configuration sets the setting.
func (c *Config) tagPolicyGiven() map[string]bool {
	return map[string]bool{"tagPolicyCompliance": c.TagPolicyCompliance != ""}
}

// tagPolicyProblems judges smx:tagPolicyCompliance, or, when it is unset,
// the environment variable it falls back to.
func (c *Config) tagPolicyProblems(s map[string]setting) []p.CheckFailure {
	rule := "must be one of " + strings.Join(tagPolicyValues, ", ") + " (what a secret missing a tag key the " +
		"organization's tag policies require does to the preview), got %q"
	if s["tagPolicyCompliance"].given && s["tagPolicyCompliance"].known {
		if !slices.Contains(tagPolicyValues, c.TagPolicyCompliance) {
			return []p.CheckFailure{{Property: "tagPolicyCompliance",
				Reason: "smx:tagPolicyCompliance " + fmt.Sprintf(rule, c.TagPolicyCompliance)}}
		}
		return nil
	}
	// An empty variable is unset, as tagPolicySeverity reads it.
	if v := os.Getenv(TagPolicyEnvVar); v != "" && !s["tagPolicyCompliance"].given && !slices.Contains(tagPolicyValues, v) {
		return []p.CheckFailure{{Property: "tagPolicyCompliance",
			Reason: TagPolicyEnvVar + " (the fallback of smx:tagPolicyCompliance) " + fmt.Sprintf(rule, v)}}
	}
	return nil
}

// tagPolicySeverity is the setting in force: smx:tagPolicyCompliance, else
// the environment variable, else disabled.
func (c *Config) tagPolicySeverity() string {
	if c.TagPolicyCompliance != "" {
		return c.TagPolicyCompliance
	}
	if v := os.Getenv(TagPolicyEnvVar); v != "" {
		return v
	}
	return TagPolicyDisabled
}

// TagPolicy is smx:tagPolicyCompliance as resources apply it. The zero value
// (and nil) checks nothing and calls nothing.
type TagPolicy struct {
	// Severity is error, warning or disabled.
	Severity string
	awsCfg   aws.Config
	mu       sync.Mutex
	byRegion map[string]*requiredTags
}

// requiredTags are one region's answer, asked for once.
type requiredTags struct {
	once   sync.Once
	byType map[string][]string
	err    error
}

// NewTagPolicy is the policy of severity, asking ListRequiredTags with
// awsCfg's credentials and endpoint (AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API
// or BaseEndpoint), in the region each check names.
func NewTagPolicy(severity string, awsCfg aws.Config) *TagPolicy {
	return &TagPolicy{Severity: severity, awsCfg: awsCfg, byRegion: map[string]*requiredTags{}}
}

// TagPolicy is this configuration's tag policy (nil before Configure).
func (c Config) TagPolicy() *TagPolicy { return c.tagPolicy }

// Enabled says whether the policy checks anything; a disabled one makes no call.
func (t *TagPolicy) Enabled() bool {
	return t != nil && (t.Severity == TagPolicyError || t.Severity == TagPolicyWarning)
}

// MissingKeys are the keys the organization's tag policies require of
// resourceType in region that tagsAll lacks, sorted. The first check of a
// region asks ListRequiredTags (every page); later ones reuse its answer.
func (t *TagPolicy) MissingKeys(ctx context.Context, region, resourceType string, tagsAll map[string]string) ([]string, error) {
	if !t.Enabled() {
		return nil, nil
	}
	t.mu.Lock()
	r, ok := t.byRegion[region]
	if !ok {
		r = &requiredTags{}
		t.byRegion[region] = r
	}
	t.mu.Unlock()
	r.once.Do(func() { r.byType, r.err = t.listRequiredTags(ctx, region) })
	if r.err != nil {
		return nil, r.err
	}
	var missing []string
	for _, key := range r.byType[resourceType] {
		// Tag keys are case-sensitive in AWS, and the required ones are
		// compared exactly, as terraform-provider-aws compares them.
		if _, ok := tagsAll[key]; !ok && !slices.Contains(missing, key) {
			missing = append(missing, key)
		}
	}
	slices.Sort(missing)
	return missing, nil
}

func (t *TagPolicy) listRequiredTags(ctx context.Context, region string) (map[string][]string, error) {
	client := tagging.NewFromConfig(t.awsCfg, func(o *tagging.Options) {
		o.Region = region
		// AWS JSON 1.1, which the API has always served; the SDK now prefers
		// Smithy RPC v2 CBOR, which AWS added beside it (v1.42.0), and which
		// the test stand-ins and older partition endpoints do not all speak.
		o.Protocol = awsjson.New11(taggingschemas.ResourceGroupsTaggingAPI_20170126)
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(explainTaggingDenied{}, middleware.Before)
		})
	})
	byType := map[string][]string{}
	pages := tagging.NewListRequiredTagsPaginator(client, &tagging.ListRequiredTagsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("smx:tagPolicyCompliance is %q: reading the tag keys the organization's tag "+
				"policies require (ListRequiredTags in %s): %w", t.Severity, region, err)
		}
		for _, required := range page.RequiredTags {
			resourceType := aws.ToString(required.ResourceType)
			byType[resourceType] = append(byType[resourceType], required.ReportingTagKeys...)
		}
	}
	return byType, nil
}

// explainTaggingDenied names the IAM action a refused ListRequiredTags
// needs, as explainAccessDenied does for Secrets Manager's calls.
type explainTaggingDenied struct{}

func (explainTaggingDenied) ID() string { return "smx.ExplainTaggingDenied" }

func (explainTaggingDenied) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error,
) {
	out, metadata, err := next.HandleInitialize(ctx, in)
	if err == nil || !IsAccessDenied(err) {
		return out, metadata, err
	}
	return out, metadata, &AccessDeniedError{
		Action: ListRequiredTagsAction,
		err: fmt.Errorf("AWS denied %s to smx's credentials: grant it to them, or set smx:tagPolicyCompliance "+
			"to disabled (%s lists every permission smx needs, grouped by what uses them): %w",
			ListRequiredTagsAction, IAMPolicyDocument, err),
	}
}
