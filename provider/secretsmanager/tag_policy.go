package secretsmanager

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/smxlabs/pulumi-smx/provider/config"
)

// The provider's smx:tagPolicyCompliance (config.TagPolicy) checks a
// secret's `tagsAll` against the tag keys the organization's tag policies
// require, as terraform-provider-aws checks them in its plan
// (resourceValidateRequiredTags): on a create, and on an update only when
// the tags change, so that a secret created before a key became required is
// not stopped from other changes. Unknown tags are judged later, when they
// are known. It runs in Check, where the preview of a create or an update
// stops before anything is changed, and where it knows which tags are
// still unknown; a no-op preview changes no tags and makes no call.

// checkTagPolicy judges args' tagsAll (known, as computed by Check) with
// the provider's tag policy.
func (s *Secret) checkTagPolicy(ctx context.Context, c *checks, req infer.CheckRequest, args SecretArgs) error {
	policy := s.api.TagPolicy(ctx)
	if !policy.Enabled() || args.TagsAll == nil || (c.present("region") && !c.known("region")) {
		return nil
	}
	if old, created := recordedTagsAll(req.OldInputs, s.api.Tags(ctx)); !created && maps.Equal(old, args.TagsAll) {
		return nil
	}
	region, err := regionFrom(ctx, s.api, aws.ToString(args.Region))
	if err != nil {
		return err
	}
	missing, err := policy.MissingKeys(ctx, region, config.SecretResourceType, args.TagsAll)
	if err != nil || len(missing) == 0 {
		return err
	}
	reason := fmt.Sprintf("lacks tag keys [%s], which the organization's tag policies require of %s in %s "+
		"(smx:tagPolicyCompliance is %q): add them to tags, or to the provider's defaultTags",
		strings.Join(missing, " "), config.SecretResourceType, region, policy.Severity)
	if policy.Severity == config.TagPolicyWarning {
		p.GetLogger(ctx).Warning("smx: tags " + reason)
		return nil
	}
	c.fail("tags", "%s", reason)
	return nil
}

// recordedTagsAll is the tagsAll the recorded inputs hold (Check computed
// them), or, for inputs recorded without one (pulumi-aws's, or smx's before
// it computed tagsAll), their tags with today's tag settings; created says
// there are no recorded inputs: the secret is to be created.
func recordedTagsAll(old property.Map, settings config.TagSettings) (tagsAll map[string]string, created bool) {
	if old.Len() == 0 {
		return nil, true
	}
	if v, ok := old.GetOk("tagsAll"); ok && v.IsMap() {
		return stringMap(v.AsMap()), false
	}
	tags := map[string]string{}
	if v, ok := old.GetOk("tags"); ok && v.IsMap() {
		tags = stringMap(v.AsMap())
	}
	return settings.All(tags), false
}

func stringMap(m property.Map) map[string]string {
	out := make(map[string]string, m.Len())
	for k, v := range m.All {
		if v.IsString() {
			out[k] = v.AsString()
		}
	}
	return out
}
