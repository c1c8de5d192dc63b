package secretsmanager

import (
	"context"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// A secret's tags as programs see them and as AWS stores them. The one tag
// smx adds of its own is in ownership.go.

func syncTags(ctx context.Context, api API, arn string, current, desired map[string]string) error {
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
