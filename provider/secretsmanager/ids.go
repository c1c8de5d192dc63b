package secretsmanager

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The one home of identifiers: the forms of a secret's ARN and what can be
// read from it, the resource IDs smx records (the same as pulumi-aws's), and
// the idempotency tokens of writes.

// The staging labels AWS itself gives versions: the current value, the one
// before it, and the one a rotation in progress is writing.
const (
	stageCurrent  = "AWSCURRENT"
	stagePrevious = "AWSPREVIOUS"
	stagePending  = "AWSPENDING"
)

// secretARNForm is the ARN of a Secrets Manager secret, full (with AWS's
// six-character suffix) or partial.
var secretARNForm = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$`)

// regionInARN returns the region in a Secrets Manager ARN
// (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>), also at
// the start of an ID such as SecretVersion's `<arn>|<version>`; "" when id is
// not such an ARN (a secret's name, say).
func regionInARN(id string) string { return secretARNField(id, arnRegion) }

// The fields of arn:<partition>:secretsmanager:<region>:<account>:secret:<name>.
const (
	arnPartition = 1
	arnRegion    = 3
	arnAccount   = 4
)

// secretARNField returns one field of a Secrets Manager ARN (also at the
// start of an ID such as `<arn>|<version>`), or "" when id is not one.
func secretARNField(id string, field int) string {
	parts := strings.SplitN(id, ":", 5)
	if len(parts) < 5 || parts[0] != "arn" || parts[2] != "secretsmanager" {
		return ""
	}
	if field == arnAccount {
		account, _, _ := strings.Cut(parts[arnAccount], ":")
		return account
	}
	return parts[field]
}

// secretNameFromARN returns the name in a secret's ARN (which AWS suffixes
// with a hyphen and six characters), or "" if s is not a secret ARN.
func secretNameFromARN(s string) string {
	_, nameAndSuffix, ok := strings.Cut(s, ":secret:")
	if !strings.HasPrefix(s, "arn:") || !ok || len(nameAndSuffix) < 8 || nameAndSuffix[len(nameAndSuffix)-7] != '-' {
		return ""
	}
	return nameAndSuffix[:len(nameAndSuffix)-7]
}

// sameSecretID treats a secret's name and its ARN as the same secret.
func sameSecretID(a, b string) bool {
	return a == b || secretNameFromARN(a) == b || a == secretNameFromARN(b)
}

// versionID is the SecretVersion's resource ID, the same as pulumi-aws's.
func versionID(arn, version string) string { return arn + "|" + version }

func parseVersionID(id string) (secretID, version string, err error) {
	secretID, version, ok := strings.Cut(id, "|")
	if !ok || secretID == "" || version == "" {
		return "", "", fmt.Errorf("invalid SecretVersion ID %q: expected `<secret ARN>|<version ID>`", id)
	}
	return secretID, version, nil
}

// newClientRequestToken makes the idempotency token of one logical write.
// AWS uses it as the new VersionId, so it has a UUID's form.
func newClientRequestToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generating a client request token: %w", err)
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// newVersionToken is newClientRequestToken for a SecretVersion's write: the
// UUID, then a hyphen and stackMark. The version it makes can then be told,
// on any later refresh, from versions written outside this stack (by a
// rotation, the console, another stack), with no state and no API call.
func newVersionToken(urn resource.URN) (string, error) {
	token, err := newClientRequestToken()
	if err != nil || urn == "" {
		return token, err
	}
	return token + "-" + stackMark(urn), nil
}

// writtenByStack tells a version that a SecretVersion of urn's stack wrote
// (newVersionToken).
func writtenByStack(versionID string, urn resource.URN) bool {
	return urn != "" && len(versionID) == 36+1+stackMarkLength && strings.HasSuffix(versionID, "-"+stackMark(urn))
}

const stackMarkLength = 12

// stackMark names a stack (project and stack name) in 12 hexadecimal
// digits, which keeps a marked token within AWS's 32 to 64 characters.
func stackMark(urn resource.URN) string {
	sum := sha256.Sum256([]byte("smx|" + string(urn.Project()) + "|" + string(urn.Stack())))
	return hex.EncodeToString(sum[:])[:stackMarkLength]
}

// partitionInARN returns the partition of a Secrets Manager ARN, or "".
func partitionInARN(arn string) string { return secretARNField(arn, arnPartition) }

// accountInARN returns the account of a Secrets Manager ARN, or "".
func accountInARN(arn string) string { return secretARNField(arn, arnAccount) }

// partitionOf is the partition a region belongs to, as AWS's endpoint
// metadata assigns them: China, GovCloud and the isolated regions have their
// own; every other region is in aws.
func partitionOf(region string) string {
	for _, p := range []struct{ prefix, partition string }{
		{"cn-", "aws-cn"}, {"us-gov-", "aws-us-gov"}, {"us-isob-", "aws-iso-b"}, {"us-iso-", "aws-iso"},
		{"eu-isoe-", "aws-iso-e"}, {"us-isof-", "aws-iso-f"},
	} {
		if strings.HasPrefix(region, p.prefix) {
			return p.partition
		}
	}
	return "aws"
}

// crossAccountReplicationID is a CrossAccountReplication's resource ID:
// `<primary secret>,<replica ARN>`, in the form of the Tag's ID. Neither a
// secret's name or ARN may contain a comma.
func crossAccountReplicationID(secretID, replicaARN string) string {
	return secretID + tagIDSeparator + replicaARN
}

func parseCrossAccountReplicationID(id string) (secretID, replicaARN string, err error) {
	secretID, replicaARN, ok := strings.Cut(id, tagIDSeparator)
	if !ok || secretID == "" || validSecretARN(replicaARN) != nil {
		return "", "", fmt.Errorf("cross-account replication ID %q must be <primary secret ARN or name>,<replica secret ARN>", id)
	}
	return secretID, replicaARN, nil
}
