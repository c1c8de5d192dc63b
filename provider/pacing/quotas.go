package pacing

// AWS's request quotas for Secrets Manager, per account and region
// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html).
// Operations listed together share one bucket: 50 UpdateSecret calls in a
// second leave no PutSecretValue for that second, in the whole account, for
// every client — every deployment and every application — at once.

// Group is one of AWS's request quotas: the operations that draw on it.
type Group string

// The quota groups of the operations smx (and its tests) call.
const (
	// ValueReads is DescribeSecret and GetSecretValue, 10,000/s combined.
	ValueReads Group = "DescribeSecret+GetSecretValue"
	// SecretWrites is PutSecretValue, UpdateSecret,
	// UpdateSecretVersionStage and the replication calls, 50/s combined.
	SecretWrites Group = "PutSecretValue+UpdateSecret+UpdateSecretVersionStage+replication"
	// Policies is Get/Put/Delete/ValidateResourcePolicy, 50/s combined: a
	// read of a policy spends the same quota as a write.
	Policies Group = "ResourcePolicy"
	// Rotation is RotateSecret and CancelRotateSecret, 50/s combined.
	Rotation Group = "RotateSecret+CancelRotateSecret"
	// Tags is TagResource and UntagResource, 50/s combined.
	Tags Group = "TagResource+UntagResource"

	CreateSecret         Group = "CreateSecret"
	DeleteSecret         Group = "DeleteSecret"
	RestoreSecret        Group = "RestoreSecret"
	BatchGetSecretValue  Group = "BatchGetSecretValue"
	ListSecrets          Group = "ListSecrets"
	ListSecretVersionIDs Group = "ListSecretVersionIds"
	GetRandomPassword    Group = "GetRandomPassword"
)

// groupOf maps each operation to its quota group.
var groupOf = map[string]Group{
	"DescribeSecret": ValueReads,
	"GetSecretValue": ValueReads,

	"PutSecretValue":               SecretWrites,
	"UpdateSecret":                 SecretWrites,
	"UpdateSecretVersionStage":     SecretWrites,
	"ReplicateSecretToRegions":     SecretWrites,
	"RemoveRegionsFromReplication": SecretWrites,
	"StopReplicationToReplica":     SecretWrites,
	// The cross-account replication calls (aws-sdk-go-v2 secretsmanager
	// v1.51.0) are not on the quota page yet: paced with the other
	// replication calls, the tightest bucket they could belong to.
	"AssociateCrossAccountReplica":    SecretWrites,
	"DisassociateCrossAccountReplica": SecretWrites,

	"GetResourcePolicy":      Policies,
	"PutResourcePolicy":      Policies,
	"DeleteResourcePolicy":   Policies,
	"ValidateResourcePolicy": Policies,

	"RotateSecret":       Rotation,
	"CancelRotateSecret": Rotation,

	"TagResource":   Tags,
	"UntagResource": Tags,

	"CreateSecret":         CreateSecret,
	"DeleteSecret":         DeleteSecret,
	"RestoreSecret":        RestoreSecret,
	"BatchGetSecretValue":  BatchGetSecretValue,
	"ListSecrets":          ListSecrets,
	"ListSecretVersionIds": ListSecretVersionIDs,
	"GetRandomPassword":    GetRandomPassword,
}

// quotaPerSecond is AWS's rate of each group, in requests per second.
var quotaPerSecond = map[Group]float64{
	ValueReads:           10_000,
	SecretWrites:         50,
	Policies:             50,
	Rotation:             50,
	Tags:                 50,
	CreateSecret:         50,
	DeleteSecret:         50,
	RestoreSecret:        50,
	BatchGetSecretValue:  100,
	ListSecrets:          100,
	ListSecretVersionIDs: 50,
	GetRandomPassword:    50,
}

// GroupOf is the quota group of an operation ("PutSecretValue"), and false
// for an operation the table does not know.
func GroupOf(operation string) (Group, bool) {
	g, ok := groupOf[operation]
	return g, ok
}

// QuotaPerSecond is AWS's rate for a group, in requests per second per
// account and region.
func QuotaPerSecond(g Group) float64 {
	return quotaPerSecond[g]
}
