package secretsmanager

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"

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

// A secret manages the tag keys it declares, and leaves the others alone,
// as it leaves a policy alone when it sets none (policy.go): its declared
// keys are its `tags` and the provider's defaultTags — the `tagsAll` Check
// computed, which the recorded inputs keep from one update to the next (Read
// refreshes their values, never their keys). A declared key changed or
// removed out of band is drift, put back by the next update; a key the
// program stops declaring is removed. A key it never declared — a Tag
// resource's, another tool's, one added by hand — is never drift and never
// untagged, and `tagsAll` shows it after a refresh: `tagsAll` is every tag
// the secret carries, `tags` the live values of the program's own keys.
// terraform-provider-aws (and so pulumi-aws) compares the whole `tags_all`
// instead, so its Secret untags what its Tag resources add, and its docs
// prescribe `ignoreChanges: [tags]`, which smx does not need.

// declaredTags are the tags a secret declared at its last update: the
// `tagsAll` its recorded inputs hold (ContextWithOldInputs), or, with no
// recorded inputs at hand, its state's own tags with today's default tags.
func declaredTags(ctx context.Context, settings config.TagSettings, olds SecretState) map[string]string {
	if recorded := oldInputsIn(ctx); recorded.Len() > 0 {
		all, _ := recordedTagsAll(recorded, settings)
		return all
	}
	return settings.All(olds.Tags)
}

// managedTags is the part of a secret's tags (all) that it manages: the
// keys it declared and those it declares now (desired).
func managedTags(all, declared, desired map[string]string) map[string]string {
	out := map[string]string{}
	for key, value := range all {
		_, wasDeclared := declared[key]
		_, isDesired := desired[key]
		if wasDeclared || isDesired {
			out[key] = value
		}
	}
	return out
}

// tagsAllAfter is what a secret carries once its managed tags are desired:
// those, and the tags it never declared, as last seen (all).
func tagsAllAfter(all, declared, desired map[string]string) map[string]string {
	out := maps.Clone(tagsOrEmpty(desired))
	for key, value := range all {
		_, wasDeclared := declared[key]
		if _, isDesired := desired[key]; !wasDeclared && !isDesired {
			out[key] = value
		}
	}
	return out
}

// ownTags are the values in all (a secret's live tags) of the keys the
// program declares in its own tags (program).
func ownTags(all, program map[string]string) map[string]string {
	out := map[string]string{}
	for key := range program {
		if value, ok := all[key]; ok {
			out[key] = value
		}
	}
	return out
}

// compareTagsAll records the change of each managed key of a secret's
// `tagsAll`, one path per key, so that a preview shows the keys that change
// and never the undeclared ones, which the update leaves alone.
func (d *differ) compareTagsAll(current, desired map[string]string) {
	keys := maps.Keys(current)
	for _, key := range slices.Sorted(keys) {
		if _, ok := desired[key]; !ok {
			d.compare(tagPath(key), true, p.Delete)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(desired)) {
		old, ok := current[key]
		switch {
		case !ok:
			d.compare(tagPath(key), true, p.Add)
		case old != desired[key]:
			d.compare(tagPath(key), true, p.Update)
		}
	}
}

// tagPath is the property path of one key of `tagsAll`. Tag keys never hold
// a quote or a backslash (config.ValidTagKey), so quoting them is safe.
func tagPath(key string) string { return `tagsAll["` + key + `"]` }

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
