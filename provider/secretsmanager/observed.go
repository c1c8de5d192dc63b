package secretsmanager

import (
	"github.com/aws/aws-sdk-go-v2/aws"
)

// What a refresh records of what AWS reports. AWS does not always answer in
// the program's words — an absent value for an empty one, a policy
// rewritten, the default KMS key left out — and reading those as drift would
// show changes nobody made.

// observedOptional maps what AWS reports onto an optional property: absent
// and empty are the same thing to AWS, so an unset input stays unset.
func observedOptional(recorded, observed *string) *string {
	if aws.ToString(observed) == "" {
		if recorded != nil && *recorded == "" {
			return recorded
		}
		return nil
	}
	return observed
}

// observedKMSKey keeps the program's spelling of the default key, which
// DescribeSecret reports as absent.
func observedKMSKey(recorded, observed *string) *string {
	if aws.ToString(observed) == "" && recorded != nil && sameKMSKey(*recorded, "") {
		return recorded
	}
	return observedOptional(recorded, observed)
}

// observedPolicy keeps the recorded text of a policy that AWS stores
// rewritten but with the same meaning, so a refresh shows no drift (a state
// an earlier smx recorded holds the program's text, and keeps it); any other
// policy is recorded normalized, as pulumi-aws does (verify.PolicyToSet), and
// none as "".
func observedPolicy(recorded, observed *string) *string {
	switch {
	case aws.ToString(observed) == "":
		return aws.String("")
	case recorded != nil && policiesEquivalent(*recorded, *observed):
		return recorded
	}
	return aws.String(normalizedPolicy(*observed))
}
