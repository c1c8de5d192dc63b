package secretsmanager

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"

	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/provider/config"
)

// ownerTagKey is the one tag smx sets on the secrets it creates. Its value
// names the Pulumi resource (a hash of its URN: stack, project, type and
// name), so that smx can recognise its own secret when AWS says the name is
// taken: after a create whose answer was lost (a network fault, a crash), or
// during `pulumi up --replace`. smx never adopts a secret without it. smx
// hides the tag from `tags` and `tagsAll` (userTags, tags.go), and programs
// may not set tags with the `smx:` prefix.
const (
	ownerTagKey       = config.ReservedTagPrefix + "owner"
	reservedTagPrefix = config.ReservedTagPrefix
)

// ownerTagValue identifies the resource a call is for, or "" when unknown.
func ownerTagValue(ctx context.Context) string {
	urn := urnIn(ctx)
	if urn == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(urn))
	return hex.EncodeToString(sum[:20])
}

// withOwnerTag adds the owner tag to the tags a new secret is created with.
func withOwnerTag(ctx context.Context, tags map[string]string) map[string]string {
	owner := ownerTagValue(ctx)
	if owner == "" {
		return tags
	}
	out := make(map[string]string, len(tags)+1)
	for k, v := range tags {
		out[k] = v
	}
	out[ownerTagKey] = owner
	return out
}

// The owner tag counts against AWS's limit of 50 tags a secret may hold
// (aws: tags do not; smx's do). A secret smx creates therefore has room for
// 49 of the program's tags, and an imported or migrated one, which never
// gets the tag, for all 50. Check cannot tell the two apart (a program that
// imports with the `import` option is checked as a new resource, a
// replacement as an existing one), so Create and Update decide, before any
// call that would change something, and say that the owner tag is what
// pushes the secret over.

// newSecretTagsFit fails when the owner tag that Create adds would make the
// program's tags one too many.
func newSecretTagsFit(ctx context.Context, own, tags map[string]string) error {
	if ownerTagValue(ctx) == "" || len(tags) < maxTags {
		return nil
	}
	return fmt.Errorf("tags: %s, and smx adds its own tag %q to every secret it creates "+
		"(it is how smx recognises the secret as this resource's after a lost answer or during a replacement), "+
		"which makes %d: AWS allows %d. Set at most %d tags on a secret smx creates; or create the secret outside "+
		"Pulumi and import it (`pulumi import smx:secretsmanager:Secret <resource name> <secret name>`): an "+
		"imported secret gets no %s tag and may hold all %d",
		tagCount(own, tags), ownerTagKey, len(tags)+1, maxTags, maxTags-1, ownerTagKey, maxTags)
}

// existingSecretTagsFit fails when the program asks for all 50 tags on a
// secret that carries the owner tag (smx created it). The state does not
// record the owner tag, so it costs one DescribeSecret, made only when the
// program changes its tags to 50 or more. A failed look-up says nothing:
// the update's own calls then report what is wrong.
func existingSecretTagsFit(ctx context.Context, api API, state SecretState, own, tags map[string]string) error {
	if len(tags) < maxTags || maps.Equal(userTags(state.TagsAll), tagsOrEmpty(tags)) {
		return nil
	}
	out, err := api.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &state.Arn})
	if err != nil {
		return nil
	}
	if _, owned := fromAWSTags(out.Tags)[ownerTagKey]; !owned {
		return nil
	}
	return fmt.Errorf("tags: %s, and secret %q carries smx's own tag %q (smx created it, "+
		"and recognises it by this tag after a lost answer or during a replacement), which makes %d: AWS allows "+
		"%d. Set at most %d tags on this secret",
		tagCount(own, tags), state.Name, ownerTagKey, len(tags)+1, maxTags, maxTags-1)
}

// tagCount says how many tags a secret is to carry (all): the program's own,
// plus the provider's default tags it does not override.
func tagCount(own, all map[string]string) string {
	if len(all) == len(own) {
		return fmt.Sprintf("the program sets %d tags", len(own))
	}
	return fmt.Sprintf("the program sets %d tags and the provider's defaultTags add %d", len(own), len(all)-len(own))
}
