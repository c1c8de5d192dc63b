package secretsmanager

import (
	"context"
	"fmt"
	"regexp"
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
// prefixSuffixLength (validate.go) lowercase hexadecimal digits, as
// terraform-provider-aws's id.PrefixedUniqueId makes them, so that
// namePrefixFromName finds the prefix again.
const resourceNameSuffixLength = 7

const (
	resourceNameSuffixChars = "abcdefghijklmnopqrstuvwxyz0123456789"
	prefixSuffixChars       = "0123456789abcdef"
)

// settleName picks the name of a secret whose program gives no name: the one
// chosen before, if the prefix it came from is unchanged, else a new one from
// the prefix or the resource name, drawn from the engine's random seed. It
// returns "" while the prefix is unknown.
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
	if prefix != nil {
		return nameFromPrefix(ctx, *prefix)
	}
	suffix, err := randomSuffix(ctx, resourceNameSuffixLength, resourceNameSuffixChars)
	if err != nil {
		return "", err
	}
	base := req.Name + "-"
	if len(base)+len(suffix) > maxNameLength {
		// Long resource names are trimmed so that the suffix, which keeps the
		// name unique, always fits after its hyphen.
		base = strings.TrimSuffix(base, "-")
		base = base[:maxNameLength-len(suffix)-1] + "-"
	}
	return base + suffix, nil
}

// nameFromPrefix is the prefix followed by prefixSuffixLength random
// hexadecimal digits. Validation keeps the prefix short enough for them.
func nameFromPrefix(ctx context.Context, prefix string) (string, error) {
	suffix, err := randomSuffix(ctx, prefixSuffixLength, prefixSuffixChars)
	if err != nil {
		return "", err
	}
	return prefix + suffix, nil
}

// randomSuffix draws n of chars from the engine's random seed for this
// Check, so that `pulumi up --plan` settles the name its saved plan showed;
// with no seed (an older engine, a test) from crypto/rand.
func randomSuffix(ctx context.Context, n int, chars string) (string, error) {
	suffix, err := resource.NewUniqueName(randomSeedIn(ctx), "", n, 0, []rune(chars))
	if err != nil {
		return "", fmt.Errorf("generating a unique secret name: %w", err)
	}
	return suffix, nil
}

// generatedSuffix is how a name made from a prefix ends, in
// terraform-provider-aws's rule (create.NamePrefixFromName), which is what
// pulumi-aws records: 26 hexadecimal digits, in either case.
var generatedSuffix = regexp.MustCompile(fmt.Sprintf(`[[:xdigit:]]{%d}$`, prefixSuffixLength))

// namePrefixFromName is the prefix an imported secret's name was made from:
// what comes before a final 26 hexadecimal digits, or "" when the name does
// not end so or is nothing else.
func namePrefixFromName(name string) string {
	if !generatedSuffix.MatchString(name) || len(name) <= prefixSuffixLength {
		return ""
	}
	return name[:len(name)-prefixSuffixLength]
}
