package secretsmanager

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"github.com/smxlabs/pulumi-smx/provider/config"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// Limits from the Secrets Manager API reference. moto enforces none of them,
// so smx must: a mistake caught here costs no API call and no half-applied
// update.
const (
	maxNameLength        = 512
	maxNamePrefixLength  = maxNameLength - prefixSuffixLength
	maxDescriptionLength = 2048
	maxKMSKeyIDLength    = 2048
	maxTags              = 50
	maxTagKeyLength      = 127
	maxTagValueLength    = 255
	maxSecretValueBytes  = 65536
	minRecoveryWindow    = 7
	maxRecoveryWindow    = 30
)

var (
	secretNameChars = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)
	// AWS appends "-" and six characters to a secret's name in its ARN. A name
	// that already ends like that makes partial-ARN lookups ambiguous, and AWS
	// advises against it.
	arnLikeSuffix = regexp.MustCompile(`-[A-Za-z0-9]{6}$`)
	tagChars      = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	// A KMS key is named by its key ID (a UUID, or mrk- and 32 hex digits for
	// a multi-Region key), its ARN, an alias ARN, or an alias name, which
	// always starts with "alias/".
	kmsKeyIDForm = regexp.MustCompile(`^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+|alias/[A-Za-z0-9/_-]+|` +
		`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$`)
	aliasNameForm = regexp.MustCompile(`^[A-Za-z0-9/_-]+$`)
)

// checks collects validation failures, each naming the property and the rule.
type checks struct {
	inputs   property.Map
	failures []p.CheckFailure
}

func (c *checks) fail(property, format string, args ...any) {
	c.failures = append(c.failures, p.CheckFailure{Property: property, Reason: fmt.Sprintf(format, args...)})
}

// known reports whether key holds a value that is set and known. During a
// preview, values that depend on other resources are unknown; they are
// validated later, when they are known, never as if they were empty.
func (c *checks) known(key string) bool {
	v, ok := c.inputs.GetOk(key)
	return ok && !v.IsNull() && !v.IsComputed() && !containsUnknowns(v)
}

// present reports whether key is set, to a known value or to one that is
// still unknown during a preview.
func (c *checks) present(key string) bool {
	v, ok := c.inputs.GetOk(key)
	return ok && !v.IsNull()
}

func containsUnknowns(v property.Value) bool {
	switch {
	case v.IsComputed():
		return true
	case v.IsArray():
		for _, e := range v.AsArray().All {
			if containsUnknowns(e) {
				return true
			}
		}
	case v.IsMap():
		for _, e := range v.AsMap().All {
			if containsUnknowns(e) {
				return true
			}
		}
	}
	return false
}

// secretName checks a secret name. It returns a warning, not a failure, for
// a name that ends in a hyphen and six characters: AWS accepts such names
// (and pulumi-aws programs use them, e.g. "my-secret"), but advises against
// them because lookups by partial ARN become ambiguous.
func (c *checks) secretName(property, name string) (warning string) {
	switch {
	case len(name) == 0 || len(name) > maxNameLength:
		c.fail(property, "must be 1 to %d characters long, got %d", maxNameLength, len(name))
	case !secretNameChars.MatchString(name):
		c.fail(property, "may contain only ASCII letters, digits and /_+=.@- ; got %q", name)
	case arnLikeSuffix.MatchString(name):
		return fmt.Sprintf("%s %q ends with a hyphen followed by six characters; AWS appends such a suffix "+
			"to the ARN, so looking this secret up by partial ARN can be ambiguous", property, name)
	}
	return ""
}

func (c *checks) namePrefix(property, prefix string) {
	switch {
	case len(prefix) == 0 || len(prefix) > maxNamePrefixLength:
		c.fail(property, "must be 1 to %d characters long (a %d-character unique suffix is appended), got %d",
			maxNamePrefixLength, prefixSuffixLength, len(prefix))
	case !secretNameChars.MatchString(prefix):
		c.fail(property, "may contain only ASCII letters, digits and /_+=.@- ; got %q", prefix)
	}
}

func (c *checks) description(property, description string) {
	if len(description) > maxDescriptionLength {
		c.fail(property, "must be at most %d characters long, got %d", maxDescriptionLength, len(description))
	}
}

func (c *checks) kmsKeyID(property, keyID string) {
	switch {
	case len(keyID) == 0 || len(keyID) > maxKMSKeyIDLength:
		c.fail(property, "must be 1 to %d characters long; omit it to use the default key aws/secretsmanager", maxKMSKeyIDLength)
	case !kmsKeyIDForm.MatchString(keyID) && aliasNameForm.MatchString(keyID):
		c.fail(property, "%q is neither a key ID nor an ARN; an alias name must start with \"alias/\" (did you mean \"alias/%s\"?)", keyID, keyID)
	case !kmsKeyIDForm.MatchString(keyID):
		c.fail(property, "must be a KMS key ARN, a key ID, an alias ARN, or an alias name starting with \"alias/\"; got %q", keyID)
	}
}

func (c *checks) recoveryWindow(property string, days int) {
	if days != 0 && (days < minRecoveryWindow || days > maxRecoveryWindow) {
		c.fail(property, "must be 0 (delete immediately, without recovery) or %d to %d days, got %d",
			minRecoveryWindow, maxRecoveryWindow, days)
	}
}

func (c *checks) tags(property string, tags map[string]string) {
	// smx sets one tag of its own (ownership.go), so programs get one less.
	if len(tags) > maxTags-1 {
		c.fail(property, "may hold at most %d tags (AWS allows %d; smx uses one), got %d", maxTags-1, maxTags, len(tags))
	}
	for key, value := range tags {
		switch {
		case len(key) == 0 || len(key) > maxTagKeyLength:
			c.fail(property, "tag key %q must be 1 to %d characters long", key, maxTagKeyLength)
		case strings.HasPrefix(strings.ToLower(key), "aws:"):
			c.fail(property, "tag key %q uses the prefix \"aws:\", which AWS reserves for its own tags", key)
		case strings.HasPrefix(strings.ToLower(key), reservedTagPrefix):
			c.fail(property, "tag key %q uses the prefix %q, which smx reserves for its own tag", key, reservedTagPrefix)
		case !tagChars.MatchString(key):
			c.fail(property, "tag key %q may contain only letters, digits, spaces and _.:/=+-@", key)
		}
		switch {
		case len(value) > maxTagValueLength:
			c.fail(property, "the value of tag %q must be at most %d characters long", key, maxTagValueLength)
		case !tagChars.MatchString(value):
			c.fail(property, "the value of tag %q may contain only letters, digits, spaces and _.:/=+-@", key)
		}
	}
}

// secretValue checks a SecretVersion's value without ever quoting it: the
// reasons name the property and the rule, never the content.
func (c *checks) secretValue(secretString, secretBinary *string) {
	stringSet, binarySet := c.present("secretString"), c.present("secretBinary")
	switch {
	case stringSet && binarySet:
		c.fail("secretString", "set exactly one of secretString and secretBinary, not both")
		return
	case !stringSet && !binarySet:
		c.fail("secretString", "set exactly one of secretString and secretBinary")
		return
	}
	if secretString != nil && c.known("secretString") {
		if n := len(*secretString); n == 0 || n > maxSecretValueBytes {
			c.fail("secretString", "must be 1 to %d bytes long, got %d bytes", maxSecretValueBytes, n)
		}
	}
	if secretBinary != nil && c.known("secretBinary") {
		decoded, err := base64.StdEncoding.DecodeString(*secretBinary)
		switch {
		case err != nil:
			c.fail("secretBinary", "must be base64-encoded (standard alphabet, with padding)")
		case len(decoded) == 0 || len(decoded) > maxSecretValueBytes:
			c.fail("secretBinary", "must decode to 1 to %d bytes, got %d bytes", maxSecretValueBytes, len(decoded))
		}
	}
}

func (c *checks) policy(property, policy string) {
	switch {
	case policy == "":
		// An empty policy is the way to say "no policy" on a Secret, whose
		// unset policy means no opinion.
	case len(policy) > maxPolicyLength:
		c.fail(property, "must be at most %d characters long, got %d", maxPolicyLength, len(policy))
	default:
		if err := validPolicyDocument(policy); err != nil {
			c.fail(property, "%v", err)
		}
	}
}

// region checks a `region` input with the provider's own region rule (as
// replicas' regions), with no API call.
func (c *checks) region(property, region string) {
	if reason := regionProblem(region); reason != "" {
		c.fail(property, "%s", reason)
	}
}

func regionProblem(region string) string {
	if err := config.ValidateRegion(region); err != nil {
		return err.Error() + "; omit it to use the provider's region"
	}
	return ""
}

func (c *checks) versionStages(property string, stages []string) {
	seen := map[string]bool{}
	for _, stage := range stages {
		switch {
		case len(stage) == 0 || len(stage) > 256:
			c.fail(property, "each stage label must be 1 to 256 characters long, got %q", stage)
		case seen[stage]:
			c.fail(property, "stage label %q is listed twice", stage)
		}
		seen[stage] = true
	}
	if len(stages) > 20 {
		c.fail(property, "a version may carry at most 20 stage labels, got %d", len(stages))
	}
}
