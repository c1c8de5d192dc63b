package secretsmanager

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// How a Secret's name is settled when the program gives none: from its
// namePrefix, as pulumi-aws does, or from the resource name, as Pulumi's
// auto-naming does.

// resourceNameSuffixLength is the length of the random suffix smx appends,
// after a hyphen, to the resource name when neither name nor namePrefix is
// given (as Pulumi's auto-naming does). A namePrefix gets
// prefixSuffixLength characters (validate.go), as in pulumi-aws.
const resourceNameSuffixLength = 7

// settleName picks the name of a secret whose program gives no name: the one
// chosen before, if the prefix it came from is unchanged, else a new one from
// the prefix or the resource name, drawn from the engine's random seed. It returns "" while the prefix is unknown.
func settleName(ctx context.Context, req infer.CheckRequest, prefix *string) (string, error) {
	oldPrefix, hadPrefix := req.OldInputs.GetOk("namePrefix")
	samePrefix := (prefix == nil && !hadPrefix) ||
		(prefix != nil && hadPrefix && oldPrefix.IsString() && oldPrefix.AsString() == *prefix)
	if old, ok := req.OldInputs.GetOk("name"); ok && old.IsString() && samePrefix {
		return old.AsString(), nil
	}
	if v, ok := req.NewInputs.GetOk("namePrefix"); ok && v.IsComputed() {
		return "", nil
	}
	base, suffixLength := req.Name+"-", resourceNameSuffixLength
	if prefix != nil {
		base, suffixLength = *prefix, prefixSuffixLength
	}
	suffix, err := randomSuffix(ctx, suffixLength)
	if err != nil {
		return "", err
	}
	if len(base)+len(suffix) > maxNameLength {
		// Long resource names are trimmed so that the suffix, which keeps the
		// name unique, always fits after its hyphen.
		base = strings.TrimSuffix(base, "-")
		base = base[:maxNameLength-len(suffix)-1] + "-"
	}
	return base + suffix, nil
}

// randomSuffix draws n characters from the engine's random seed for this
// Check, so that `pulumi up --plan` settles the name its saved plan showed;
// with no seed (an older engine, a test) from crypto/rand.
func randomSuffix(ctx context.Context, n int) (string, error) {
	suffix, err := resource.NewUniqueName(randomSeedIn(ctx), "", n, 0, []rune("abcdefghijklmnopqrstuvwxyz0123456789"))
	if err != nil {
		return "", fmt.Errorf("generating a unique secret name: %w", err)
	}
	return suffix, nil
}
