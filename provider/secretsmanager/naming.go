package secretsmanager

import (
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"
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
// the prefix or the resource name. It returns "" while the prefix is unknown.
func settleName(req infer.CheckRequest, prefix *string) (string, error) {
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
	suffix, err := randomSuffix(suffixLength)
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

func randomSuffix(n int) (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("generating a unique secret name: %w", err)
	}
	for i, b := range buf {
		buf[i] = alphabet[int(b)%len(alphabet)]
	}
	return string(buf), nil
}
