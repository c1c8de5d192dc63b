package secretsmanager

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/smxlabs/pulumi-smx/provider/config"
)

// The one home of validation. Every resource's Check and every function's
// Invoke judge their inputs here before any API call: the leaf rules are
// plain functions (valid*), which say what is wrong with one value; checks
// collects their verdicts, each naming the property (or argument) and the
// rule, for resources as CheckFailures and for functions as one error.

// Limits from the Secrets Manager API reference. moto enforces none of them,
// so smx must: a mistake caught here costs no API call and no half-applied
// update. AWS counts every length limit in characters (Unicode code points:
// "Maximum key length: 127 Unicode characters in UTF-8", TagResource), except
// the secret value's, which the quotas page gives in bytes ("Secret value
// size: 65,536 bytes"): a limit is judged with characters() unless its name
// says Bytes.
const (
	maxNameLength = 512
	// prefixSuffixLength is the length of the random suffix smx appends to
	// a namePrefix, as pulumi-aws does (naming.go).
	prefixSuffixLength   = 26
	maxNamePrefixLength  = maxNameLength - prefixSuffixLength
	maxDescriptionLength = 2048
	maxKMSKeyIDLength    = 2048
	maxTags              = config.MaxTags
	maxSecretValueBytes  = 65536
	minRecoveryWindow    = 7
	maxRecoveryWindow    = 30
	maxPolicyLength      = 20480
	maxStageLabelLength  = 256
	maxStagesPerVersion  = 20
	// A managed external secret's rotation metadata, as the API reference's
	// ExternalSecretRotationMetadataItem limits it.
	maxExternalMetadataKeyLength   = 256
	maxExternalMetadataValueLength = 2048
	// maxSecretIDLength is the longest SecretId (an ARN or a name) AWS
	// accepts.
	maxSecretIDLength = 2048
)

var (
	secretNameChars = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)
	// AWS appends "-" and six characters to a secret's name in its ARN. A name
	// that already ends like that makes partial-ARN lookups ambiguous, and AWS
	// advises against it.
	arnLikeSuffix = regexp.MustCompile(`-[A-Za-z0-9]{6}$`)
	// A KMS key is named by its key ID (a UUID, or mrk- and 32 hex digits for
	// a multi-Region key), its ARN, an alias ARN, or an alias name, which
	// always starts with "alias/".
	kmsKeyIDForm = regexp.MustCompile(`^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+|alias/[A-Za-z0-9/_-]+|` +
		`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$`)
	aliasNameForm = regexp.MustCompile(`^[A-Za-z0-9/_-]+$`)
	// A Lambda function ARN, optionally with a version or alias qualifier.
	// An IAM role's ARN in any partition, with an optional path (IAM's
	// characters for role names and paths), as provider/config judges the
	// roles it assumes.
	roleARNForm   = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]+$`)
	lambdaARNForm = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$`)
)

// ---------------------------------------------------------------------------
// Collecting failures

// checks collects the failures of one resource's inputs or one function's
// arguments, each naming the property and the rule it breaks.
type checks struct {
	// inputs are a resource's raw inputs, which tell a value still unknown
	// in a preview from one that is unset; functions' arguments are always
	// known, and leave it empty.
	inputs   property.Map
	failures []p.CheckFailure
}

func (c *checks) fail(property, format string, args ...any) {
	c.failures = append(c.failures, p.CheckFailure{Property: property, Reason: fmt.Sprintf(format, args...)})
}

// check records the verdict of a leaf rule on property, when it is a failure.
func (c *checks) check(property string, err error) {
	if err != nil {
		c.failures = append(c.failures, p.CheckFailure{Property: property, Reason: err.Error()})
	}
}

// argumentsError is a function's failures as the one error its invoke
// returns, or nil when every argument passed.
func (c *checks) argumentsError(function string) error {
	if len(c.failures) == 0 {
		return nil
	}
	reasons := make([]string, len(c.failures))
	for i, f := range c.failures {
		reasons[i] = f.Property + " " + f.Reason
	}
	return fmt.Errorf("%s: invalid arguments: %s", function, strings.Join(reasons, "; "))
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

// anyPresent reports whether any of keys is present.
func (c *checks) anyPresent(keys []string) bool {
	for _, key := range keys {
		if c.present(key) {
			return true
		}
	}
	return false
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

// characters is a string's length as AWS counts it against a limit: in
// Unicode characters, not bytes, so that "€" (three bytes in UTF-8) counts
// once, as the AWS CLI and the API count it.
func characters(s string) int { return utf8.RuneCountInString(s) }

// ---------------------------------------------------------------------------
// Leaf rules

func validSecretName(name string) error {
	switch {
	case name == "" || characters(name) > maxNameLength:
		return fmt.Errorf("must be 1 to %d characters long, got %d", maxNameLength, characters(name))
	case !secretNameChars.MatchString(name):
		return fmt.Errorf("may contain only ASCII letters, digits and /_+=.@- ; got %q", name)
	}
	return nil
}

// arnLikeNameWarning warns of a name that ends in a hyphen and six
// characters: AWS accepts such names (and pulumi-aws programs use them, e.g.
// "my-secret"), but advises against them because lookups by partial ARN
// become ambiguous. It returns "" for any other name.
func arnLikeNameWarning(property, name string) string {
	if validSecretName(name) != nil || !arnLikeSuffix.MatchString(name) {
		return ""
	}
	return fmt.Sprintf("%s %q ends with a hyphen followed by six characters; AWS appends such a suffix "+
		"to the ARN, so looking this secret up by partial ARN can be ambiguous", property, name)
}

func validNamePrefix(prefix string) error {
	switch {
	case prefix == "" || characters(prefix) > maxNamePrefixLength:
		return fmt.Errorf("must be 1 to %d characters long (a %d-character unique suffix is appended), got %d",
			maxNamePrefixLength, prefixSuffixLength, characters(prefix))
	case !secretNameChars.MatchString(prefix):
		return fmt.Errorf("may contain only ASCII letters, digits and /_+=.@- ; got %q", prefix)
	}
	return nil
}

// validSecretID judges an argument that names a secret by ARN or name.
func validSecretID(id string) error {
	if id == "" || characters(id) > maxSecretIDLength {
		return fmt.Errorf("must be the ARN or name of a secret, 1 to %d characters long, got %d characters", maxSecretIDLength, characters(id))
	}
	return nil
}

// validSecretARN judges an argument that must be a secret's ARN.
func validSecretARN(arn string) error {
	if !secretARNForm.MatchString(arn) || characters(arn) > maxSecretIDLength {
		return fmt.Errorf("must be the ARN of a Secrets Manager secret "+
			"(arn:aws:secretsmanager:<region>:<account>:secret:<name>), got %q", arn)
	}
	return nil
}

func validDescription(description string) error {
	if n := characters(description); n > maxDescriptionLength {
		return fmt.Errorf("must be at most %d characters long, got %d", maxDescriptionLength, n)
	}
	return nil
}

// validPartnerType takes any partner name: AWS's list of managed external
// secret partners keeps growing, and the API reference gives Type no enum,
// only that it is "the exact string that identifies the partner", which an
// empty string or one with whitespace ("Salesforce Client Secret") is not.
func validPartnerType(partner string) error {
	switch {
	case partner == "":
		return errors.New("must not be empty: give the partner's exact name, such as \"SalesforceClientSecret\", or omit it for an ordinary secret")
	case strings.ContainsFunc(partner, unicode.IsSpace):
		return fmt.Errorf("must be the partner's exact name, without whitespace (such as \"SalesforceClientSecret\"), got %q", partner)
	}
	return nil
}

func validKMSKeyID(keyID string) error {
	switch {
	case keyID == "" || characters(keyID) > maxKMSKeyIDLength:
		return fmt.Errorf("must be 1 to %d characters long, got %d; omit it to use the default key aws/secretsmanager",
			maxKMSKeyIDLength, characters(keyID))
	case !kmsKeyIDForm.MatchString(keyID) && aliasNameForm.MatchString(keyID):
		return fmt.Errorf("%q is neither a key ID nor an ARN; an alias name must start with \"alias/\" (did you mean \"alias/%s\"?)", keyID, keyID)
	case !kmsKeyIDForm.MatchString(keyID):
		return fmt.Errorf("must be a KMS key ARN, a key ID, an alias ARN, or an alias name starting with \"alias/\"; got %q", keyID)
	}
	return nil
}

func validRecoveryWindow(days int) error {
	if days != 0 && (days < minRecoveryWindow || days > maxRecoveryWindow) {
		return fmt.Errorf("must be 0 (delete immediately, without recovery) or %d to %d days, got %d",
			minRecoveryWindow, maxRecoveryWindow, days)
	}
	return nil
}

// The tag rules are shared with smx:defaultTags, whose tags obey them too.
var (
	validTagKey   = config.ValidTagKey
	validTagValue = config.ValidTagValue
)

// validPolicy judges a resource policy: a JSON object within AWS's size
// limit. An empty policy is the way to say "no policy" on a Secret, whose
// unset policy means no opinion.
func validPolicy(policy string) error {
	switch {
	case policy == "":
		return nil
	case characters(policy) > maxPolicyLength:
		return fmt.Errorf("must be at most %d characters long, got %d", maxPolicyLength, characters(policy))
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return fmt.Errorf("must be a JSON policy document (an object): %w", err)
	}
	if doc == nil { // the JSON literal null
		return errors.New("must be a JSON policy document (an object), not null")
	}
	return nil
}

// validRegion judges a `region` input or argument with the provider's own
// region rule (as replicas' regions), with no API call.
func validRegion(region string) error {
	if err := config.ValidateRegion(region); err != nil {
		return fmt.Errorf("%w; omit it to use the provider's region", err)
	}
	return nil
}

func validLambdaARN(arn string) error {
	if !lambdaARNForm.MatchString(arn) {
		return fmt.Errorf("must be the ARN of a Lambda function, arn:aws:lambda:<region>:<12-digit account>:function:<name> "+
			"(optionally with :<version or alias>); got %q", arn)
	}
	return nil
}

// validRoleARN judges the IAM role a managed external secret is rotated with.
func validRoleARN(arn string) error {
	if !roleARNForm.MatchString(arn) {
		return fmt.Errorf("must be the ARN of an IAM role, arn:aws:iam::<12-digit account>:role/<name>; got %q", arn)
	}
	return nil
}

func validExternalMetadataKey(key string) error {
	if n := characters(key); n < 1 || n > maxExternalMetadataKeyLength {
		return fmt.Errorf("must be 1 to %d characters long (AWS's limit for rotation metadata keys), got %d",
			maxExternalMetadataKeyLength, n)
	}
	return nil
}

// validExternalMetadataValue judges a metadata value by its length only: the
// value itself may be anything the partner asks for, so it is not repeated
// in the reason.
func validExternalMetadataValue(value string) error {
	if n := characters(value); n < 1 || n > maxExternalMetadataValueLength {
		return fmt.Errorf("must be 1 to %d characters long (AWS's limit for rotation metadata values), got %d",
			maxExternalMetadataValueLength, n)
	}
	return nil
}

// ---------------------------------------------------------------------------
// Rules over several values

func (c *checks) tags(property string, tags map[string]string) {
	// AWS's limit. A secret smx creates has room for one less, because smx
	// adds its owner tag to it; an imported or migrated one never gets that
	// tag and may hold all 50. Check cannot tell the two apart (a program
	// that imports with the `import` option is checked as a new resource),
	// so Create and Update say it (ownerTagLeavesRoom, ownership.go).
	if len(tags) > maxTags {
		c.fail(property, "may hold at most %d tags, got %d", maxTags, len(tags))
	}
	for key, value := range tags {
		c.check(property, validTagKey(key))
		c.check(property, validTagValue(key, value))
	}
}

// secretValueProperties are a SecretVersion's value inputs: a program sets
// exactly one.
var secretValueProperties = []string{"secretString", "secretBinary", "secretStringWo", "secretBinaryWo"}

// secretValue checks a SecretVersion's value, given by property, without
// ever quoting it: the reasons name the property and the rule, never the
// content.
func (c *checks) secretValue(values map[string]*string) {
	var set []string
	for _, key := range secretValueProperties {
		if c.present(key) {
			set = append(set, key)
		}
	}
	const exactlyOne = "set exactly one of secretString, secretBinary, secretStringWo and secretBinaryWo"
	switch len(set) {
	case 0:
		c.fail("secretString", exactlyOne)
		return
	case 1:
	default:
		c.fail(set[0], "%s, not both %s and %s", exactlyOne, set[0], set[1])
		return
	}
	key, value := set[0], values[set[0]]
	if value == nil || !c.known(key) {
		return
	}
	if !strings.HasPrefix(key, "secretBinary") {
		if n := len(*value); n == 0 || n > maxSecretValueBytes {
			c.fail(key, "must be 1 to %d bytes long, got %d bytes", maxSecretValueBytes, n)
		}
		return
	}
	decoded, err := base64.StdEncoding.DecodeString(*value)
	switch {
	case err != nil:
		c.fail(key, "must be base64-encoded (standard alphabet, with padding)")
	case len(decoded) == 0 || len(decoded) > maxSecretValueBytes:
		c.fail(key, "must decode to 1 to %d bytes, got %d bytes", maxSecretValueBytes, len(decoded))
	}
}

// writeOnlyVersion checks secretStringWoVersion, which numbers the
// write-only values: a new number is what writes a new one.
func (c *checks) writeOnlyVersion(version *int) {
	writeOnly := c.present("secretStringWo") || c.present("secretBinaryWo")
	switch {
	case writeOnly && !c.present("secretStringWoVersion"):
		c.fail("secretStringWoVersion", "is required with secretStringWo and secretBinaryWo: a write-only value is "+
			"written again only when this number changes")
	case !writeOnly && c.present("secretStringWoVersion"):
		c.fail("secretStringWoVersion", "is only allowed with secretStringWo or secretBinaryWo")
	case !c.known("secretStringWoVersion"):
	case c.inputs.Get("secretStringWoVersion").AsNumber() != math.Trunc(c.inputs.Get("secretStringWoVersion").AsNumber()):
		c.fail("secretStringWoVersion", "must be a whole number")
	case version != nil && *version < 1:
		c.fail("secretStringWoVersion", "must be 1 or more, got %d", *version)
	}
}

func (c *checks) versionStages(property string, stages []string) {
	seen := map[string]bool{}
	for _, stage := range stages {
		switch {
		case stage == "" || characters(stage) > maxStageLabelLength:
			c.fail(property, "each stage label must be 1 to %d characters long, got %d", maxStageLabelLength, characters(stage))
		case seen[stage]:
			c.fail(property, "stage label %q is listed twice", stage)
		}
		seen[stage] = true
	}
	if len(stages) > maxStagesPerVersion {
		c.fail(property, "a version may carry at most %d stage labels, got %d", maxStagesPerVersion, len(stages))
	}
}

// replicas checks a Secret's replicas: a valid region each, no region twice,
// and valid KMS keys.
func (c *checks) replicas(property string, replicas []SecretReplica) {
	seen := map[string]bool{}
	for i, r := range replicas {
		where := fmt.Sprintf("%s[%d].region", property, i)
		switch err := config.ValidateRegion(r.Region); {
		case err != nil:
			c.fail(where, "%v", err)
		case seen[r.Region]:
			c.fail(where, "region %q is listed twice: a secret has at most one replica per region", r.Region)
		}
		seen[r.Region] = true
		if r.KmsKeyId != nil {
			c.check(fmt.Sprintf("%s[%d].kmsKeyId", property, i), validKMSKeyID(*r.KmsKeyId))
		}
	}
}

// ---------------------------------------------------------------------------
// Cross-account replication

// crossAccountReplica judges a Secret that sets crossAccountPrimaryArn, with
// the rules of CreateSecret's API reference: the primary in the replica's
// region and partition; a customer managed KMS key; and no value,
// description, type or replica regions, which come from the primary. region
// is the secret's, "" while unknown.
func (c *checks) crossAccountReplica(args SecretArgs, region string) {
	const why = "conflicts with crossAccountPrimaryArn: a cross-account replica takes its %s from its primary secret"
	if c.known("crossAccountPrimaryArn") {
		c.check("crossAccountPrimaryArn", validCrossAccountPeer(*args.CrossAccountPrimaryArn, region, "the replica's"))
	}
	if c.present("description") {
		c.fail("description", why, "description")
	}
	if c.present("type") {
		c.fail("type", why, "type")
	}
	if c.present("generateSecretString") {
		c.fail("generateSecretString", why, "value")
	}
	if c.present("replicas") && len(args.replicas()) > 0 {
		c.fail("replicas", "conflicts with crossAccountPrimaryArn: a cross-account replica cannot be replicated to other regions")
	}
	switch {
	case !c.present("kmsKeyId"):
		c.fail("kmsKeyId", "is required with crossAccountPrimaryArn: a cross-account replica must be encrypted with a "+
			"customer managed KMS key of its own account, not aws/secretsmanager")
	case c.known("kmsKeyId") && (sameKMSKey(*args.KmsKeyId, "") || isAWSManagedKeyARN(*args.KmsKeyId)):
		c.fail("kmsKeyId", "is the AWS managed key aws/secretsmanager: a cross-account replica must be encrypted with a "+
			"customer managed KMS key")
	}
}

// validCrossAccountPeer judges the ARN of the other end of a cross-account
// replication: a secret's ARN in the same region (and so partition) as this
// end's, which lives in region ("" while unknown).
func validCrossAccountPeer(arn, region, whose string) error {
	if err := validSecretARN(arn); err != nil {
		return err
	}
	peerRegion, partition := regionInARN(arn), partitionInARN(arn)
	switch {
	case region != "" && partition != partitionOf(region):
		return fmt.Errorf("is in partition %s, not %s: cross-account replication stays in one partition and region (%s)",
			partition, partitionOf(region), whose+" "+region)
	case region != "" && peerRegion != region:
		return fmt.Errorf("is in region %s, not %s: cross-account replication stays in one region; give the replica "+
			"the primary's region (region, or the provider's region)", peerRegion, whose+" "+region)
	}
	return nil
}

// isAWSManagedKeyARN tells the ARN of the alias aws/secretsmanager.
func isAWSManagedKeyARN(keyID string) bool {
	return strings.HasPrefix(keyID, "arn:") && strings.HasSuffix(keyID, ":alias/aws/secretsmanager")
}

// validReplicaRestriction judges AssociateCrossAccountReplica's
// ReplicaRestriction, an enum of the API.
func validReplicaRestriction(restriction string) error {
	if slices.Contains(smtypes.ReplicaRestrictionType("").Values(), smtypes.ReplicaRestrictionType(restriction)) {
		return nil
	}
	return fmt.Errorf("must be %q (the replica's account is in the primary's organization; AWS's default) or %q, got %q",
		smtypes.ReplicaRestrictionTypeSameOrg, smtypes.ReplicaRestrictionTypeNoRestriction, restriction)
}
