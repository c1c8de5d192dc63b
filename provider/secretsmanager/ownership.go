package secretsmanager

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
)

// ownerTagKey is the one tag smx sets on the secrets it creates. Its value
// names the Pulumi resource (a hash of its URN: stack, project, type and
// name), so that smx can recognise its own secret when AWS says the name is
// taken: after a create whose answer was lost (a network fault, a crash), or
// during `pulumi up --replace`. smx never adopts a secret without it. smx
// hides the tag from `tags` and `tagsAll` (userTags, tags.go), and programs
// may not set tags with the `smx:` prefix.
const (
	ownerTagKey       = "smx:owner"
	reservedTagPrefix = "smx:"
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
