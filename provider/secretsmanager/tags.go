package secretsmanager

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/smxlabs/pulumi-smx/provider/config"
)

// A secret's tags as programs see them and as AWS stores them. The one tag
// smx adds of its own is in ownership.go.
//
// A secret also carries tags that are not the program's: smx's owner tag,
// and AWS's reserved tags, whose keys start with aws: — the ones AWS
// services put on the secrets they make, such as CloudFormation's
// aws:cloudformation:stack-name. AWS refuses to add or remove those for
// anyone else (TagResource and UntagResource reject the prefix), and they do
// not count against the 50 tags a secret may have. smx ignores both kinds:
// neither is in `tags` or `tagsAll`, so neither reaches an import's inputs
// (the code `pulumi import` generates, which Check would then reject), and
// neither is ever untagged. terraform-provider-aws does the same with aws:
// tags (KeyValueTags.IgnoreSystem on read, for tags and tags_all alike, and
// on the tags it removes), so pulumi-aws never records them either, and a
// stack moving over from it has none in its state.

// The provider's smx:defaultTags and smx:ignoreTags (config.TagSettings)
// shape a secret's tags as terraform-provider-aws's default_tags and
// ignore_tags do: `tagsAll` is the default tags overridden by the program's
// `tags`, and is what the secret carries; the ignored tags are in neither,
// and smx never adds or removes them. Check computes `tagsAll` into the
// checked inputs, as pulumi-aws does, so that a change of the default tags is
// a change of an input: Diff reports it, and the preview shows it.

// userTags drops the tags that are not the program's from tags read from
// AWS: smx's own and AWS's reserved ones.
func userTags(tags map[string]string) map[string]string {
	out := make(map[string]string, len(tags))
	for k, v := range tags {
		if !strings.HasPrefix(k, reservedTagPrefix) && !config.IsAWSTagKey(k) {
			out[k] = v
		}
	}
	return out
}

// liveTags are the tags of a secret, as AWS reports them, that smx reports
// and manages: neither smx's own, nor AWS's, nor those smx:ignoreTags names.
func liveTags(settings config.TagSettings, tags map[string]string) map[string]string {
	return settings.Visible(userTags(tags))
}

// syncTags brings the program's tags on the secret from current to desired
// with one UntagResource and one TagResource at most. Tags that are not the
// program's are never removed, even when a state recorded before smx ignored
// AWS's tags lists them in current; nor are those smx:ignoreTags names.
func syncTags(ctx context.Context, api API, settings config.TagSettings, arn string, current, desired map[string]string) error {
	current = liveTags(settings, current)
	var removed []string
	for key := range current {
		if _, keep := desired[key]; !keep {
			removed = append(removed, key)
		}
	}
	added := map[string]string{}
	for key, value := range desired {
		if old, ok := current[key]; !ok || old != value {
			added[key] = value
		}
	}
	if len(removed) > 0 {
		slices.Sort(removed)
		if _, err := api.UntagResource(ctx, &sm.UntagResourceInput{SecretId: &arn, TagKeys: removed}); err != nil {
			return err
		}
	}
	if len(added) > 0 {
		if _, err := api.TagResource(ctx, &sm.TagResourceInput{SecretId: &arn, Tags: toAWSTags(added)}); err != nil {
			return err
		}
	}
	return nil
}

func toAWSTags(tags map[string]string) []smtypes.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]smtypes.Tag, 0, len(tags))
	for _, key := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, smtypes.Tag{Key: aws.String(key), Value: aws.String(tags[key])})
	}
	return out
}

func fromAWSTags(tags []smtypes.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

func tagsOrEmpty(tags map[string]string) map[string]string {
	if tags == nil {
		return map[string]string{}
	}
	return tags
}

// tagsAllOf is the tags the secret that args describe carries: the
// `tagsAll` Check computed, or, for inputs that did not pass through this
// provider's Check, the same computed now.
func tagsAllOf(settings config.TagSettings, args SecretArgs) map[string]string {
	if args.TagsAll != nil {
		return args.TagsAll
	}
	return settings.All(args.Tags)
}

// secretTags judges a Secret's tags with the provider's tag settings and
// computes its `tagsAll`, which it returns (nil while its tags are unknown).
func (c *checks) secretTags(settings config.TagSettings, tags map[string]string) map[string]string {
	if c.present("tagsAll") {
		c.fail("tagsAll", "is an output: it is the secret's tags with the provider's defaultTags; set tags, "+
			"or defaultTags on the provider")
	}
	if c.present("tags") && !c.known("tags") {
		return nil
	}
	c.tags("tags", tags)
	for _, key := range slices.Sorted(maps.Keys(tags)) {
		if settings.Ignores(key) {
			c.fail("tags", "tag key %q is ignored by the provider's ignoreTags, so smx would never set it: remove it "+
				"from tags or from ignoreTags", key)
		}
	}
	all := settings.All(tags)
	if len(all) > maxTags && len(tags) <= maxTags {
		c.fail("tags", "may hold at most %d tags together with the provider's defaultTags: the secret would carry "+
			"%d (%d of its own, %d default tags it does not override)", maxTags, len(all), len(tags), len(all)-len(tags))
	}
	return all
}
