package fakesm_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

const (
	primaryAccount = "111111111111"
	replicaAccount = "222222222222"
	replicaKey     = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

// primaryAndReplica is a primary secret with a value in one account and the fake
// of a second account in the same region.
func primaryAndReplica(t *testing.T) (primary, replica *fakesm.Fake, primaryARN string) {
	t.Helper()
	cloud := fakesm.NewCloud(nil)
	primary, replica = cloud.Fake(primaryAccount, "us-east-1"), cloud.Fake(replicaAccount, "us-east-1")
	out, err := primary.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("db"), SecretString: aws.String("v1")})
	require.NoError(t, err)
	return primary, replica, aws.ToString(out.ARN)
}

func createReplica(t *testing.T, replica *fakesm.Fake, primaryARN string) string {
	t.Helper()
	out, err := replica.CreateSecret(t.Context(), &sm.CreateSecretInput{
		Name: aws.String("db-copy"), CrossAccountPrimaryARN: aws.String(primaryARN), KmsKeyId: aws.String(replicaKey),
	})
	require.NoError(t, err)
	return aws.ToString(out.ARN)
}

// CreateSecret's rules for a cross-account replica: no value, description,
// replica regions or Type, a customer managed key, the same region and
// partition, another account.
func TestCrossAccountReplicaCreateRules(t *testing.T) {
	t.Parallel()
	_, replica, primaryARN := primaryAndReplica(t)
	key := aws.String(replicaKey)
	for name, in := range map[string]*sm.CreateSecretInput{
		"a value":             {SecretString: aws.String("x"), KmsKeyId: key},
		"a description":       {Description: aws.String("d"), KmsKeyId: key},
		"replica regions":     {AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-west-1")}}, KmsKeyId: key},
		"a type":              {Type: aws.String("SalesforceClientSecret"), KmsKeyId: key},
		"no KMS key":          {},
		"the AWS managed key": {KmsKeyId: aws.String("alias/aws/secretsmanager")},
	} {
		in.Name, in.CrossAccountPrimaryARN = aws.String("copy"), aws.String(primaryARN)
		_, err := replica.CreateSecret(t.Context(), in)
		requireErrorAs[*types.InvalidParameterException](t, err)
		assert.Zero(t, replica.Len(), name)
	}
	for name, primary := range map[string]string{
		"another region":    "arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf",
		"another partition": "arn:aws-cn:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf",
		"the same account":  "arn:aws:secretsmanager:us-east-1:222222222222:secret:db-AbCdEf",
		"not a secret ARN":  "arn:aws:kms:us-east-1:111111111111:key/abc",
	} {
		_, err := replica.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("copy"), CrossAccountPrimaryARN: aws.String(primary), KmsKeyId: key})
		requireErrorAs[*types.InvalidParameterException](t, err)
		assert.Zero(t, replica.Len(), name)
	}
}

func TestCrossAccountReplicationLifecycle(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	primary, replica, primaryARN := primaryAndReplica(t)
	replicaARN := createReplica(t, replica, primaryARN)

	// Before the association: pending, with the service's own policy.
	described, err := replica.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(replicaARN)})
	require.NoError(t, err)
	require.NotNil(t, described.CrossAccountPrimary)
	assert.Equal(t, primaryARN, aws.ToString(described.CrossAccountPrimary.PrimarySecretARN))
	assert.Equal(t, types.StatusTypePending, described.CrossAccountPrimary.ReplicationStatus)
	policies, err := replica.ListResourcePolicies(ctx, &sm.ListResourcePoliciesInput{SecretId: aws.String(replicaARN)})
	require.NoError(t, err)
	assert.Equal(t, []string{fakesm.CrossAccountReplicationPolicyName}, policyNames(policies))
	got, err := replica.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: aws.String(replicaARN), PolicyName: aws.String(fakesm.CrossAccountReplicationPolicyName)})
	require.NoError(t, err)
	assert.Contains(t, aws.ToString(got.ResourcePolicy), primaryAccount)
	for _, call := range []func() error{
		func() error {
			_, err := replica.PutResourcePolicy(ctx, &sm.PutResourcePolicyInput{SecretId: aws.String(replicaARN), ResourcePolicy: aws.String(`{}`), PolicyName: aws.String(fakesm.CrossAccountReplicationPolicyName)})
			return err
		},
		func() error {
			_, err := replica.DeleteResourcePolicy(ctx, &sm.DeleteResourcePolicyInput{SecretId: aws.String(replicaARN), PolicyName: aws.String(fakesm.CrossAccountReplicationPolicyName)})
			return err
		},
	} {
		requireErrorAs[*types.InvalidParameterException](t, call()) // only default is the user's
	}

	// Associated: in sync, the value replicated, and every new value after it.
	associated, err := primary.AssociateCrossAccountReplica(ctx, &sm.AssociateCrossAccountReplicaInput{
		SecretId: aws.String(primaryARN), CrossAccountReplicaARN: aws.String(replicaARN),
		ReplicaRestriction: types.ReplicaRestrictionTypeSameOrg, ReplicationRoleARN: aws.String("arn:aws:iam::111111111111:role/replicate"),
	})
	require.NoError(t, err)
	assert.Equal(t, types.StatusTypeInSync, associated.ReplicationStatus)
	assert.Equal(t, "v1", currentValue(t, replica, replicaARN))
	_, err = primary.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: aws.String(primaryARN), SecretString: aws.String("v2")})
	require.NoError(t, err)
	assert.Equal(t, "v2", currentValue(t, replica, replicaARN))
	onPrimary, err := primary.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(primaryARN)})
	require.NoError(t, err)
	require.Len(t, onPrimary.CrossAccountReplicas, 1)
	assert.Equal(t, replicaARN, aws.ToString(onPrimary.CrossAccountReplicas[0].ReplicaSecretARN))
	assert.Equal(t, "arn:aws:iam::111111111111:role/replicate", aws.ToString(onPrimary.CrossAccountReplicas[0].ReplicationRoleARN))

	// The replica's value is the primary's; neither is deleted out of order.
	_, err = replica.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: aws.String(replicaARN), SecretString: aws.String("mine")})
	requireErrorAs[*types.InvalidRequestException](t, err)
	_, err = primary.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String(primaryARN), ForceDeleteWithoutRecovery: aws.Bool(true)})
	requireErrorAs[*types.InvalidRequestException](t, err)
	_, err = replica.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String(replicaARN), ForceDeleteWithoutRecovery: aws.Bool(true)})
	requireErrorAs[*types.InvalidRequestException](t, err)

	// A failure shows on both sides; associating again repairs it.
	require.NoError(t, primary.FailCrossAccountReplication(primaryARN, "kms:Encrypt denied"))
	onPrimary, err = primary.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(primaryARN)})
	require.NoError(t, err)
	assert.Equal(t, types.StatusTypeFailed, onPrimary.CrossAccountReplicas[0].ReplicationStatus)
	assert.Equal(t, "kms:Encrypt denied", aws.ToString(onPrimary.CrossAccountReplicas[0].StatusMessage))
	_, err = primary.AssociateCrossAccountReplica(ctx, &sm.AssociateCrossAccountReplicaInput{SecretId: aws.String(primaryARN), CrossAccountReplicaARN: aws.String(replicaARN)})
	require.NoError(t, err, "associating again is idempotent: the repair")
	described, err = replica.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(replicaARN)})
	require.NoError(t, err)
	assert.Equal(t, types.StatusTypeInSync, described.CrossAccountPrimary.ReplicationStatus)

	// Disassociated: the replica stays, detached; the primary can go.
	_, err = primary.DisassociateCrossAccountReplica(ctx, &sm.DisassociateCrossAccountReplicaInput{SecretId: aws.String(primaryARN), CrossAccountReplicaARN: aws.String(replicaARN)})
	require.NoError(t, err)
	described, err = replica.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(replicaARN)})
	require.NoError(t, err)
	assert.Equal(t, types.StatusTypeDetached, described.CrossAccountPrimary.ReplicationStatus)
	_, err = primary.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String(primaryARN), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)

	// Promoted: a standalone secret that keeps its value, without the
	// service's policy, that takes writes and can be deleted.
	_, err = replica.StopReplicationToReplica(ctx, &sm.StopReplicationToReplicaInput{SecretId: aws.String(replicaARN)})
	require.NoError(t, err)
	described, err = replica.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(replicaARN)})
	require.NoError(t, err)
	assert.Nil(t, described.CrossAccountPrimary)
	assert.Equal(t, "v2", currentValue(t, replica, replicaARN))
	policies, err = replica.ListResourcePolicies(ctx, &sm.ListResourcePoliciesInput{SecretId: aws.String(replicaARN)})
	require.NoError(t, err)
	assert.Empty(t, policyNames(policies))
	_, err = replica.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: aws.String(replicaARN), SecretString: aws.String("mine")})
	require.NoError(t, err)
	_, err = replica.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String(replicaARN), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)
}

// A primary has at most one cross-account replica; only a secret made as a
// replica of this primary can be associated; the replica is in another
// account of the same region.
func TestCrossAccountAssociateRules(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	primary, replica, primaryARN := primaryAndReplica(t)
	first := createReplica(t, replica, primaryARN)
	out, err := replica.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("second"), CrossAccountPrimaryARN: aws.String(primaryARN), KmsKeyId: aws.String(replicaKey)})
	require.NoError(t, err)
	second := aws.ToString(out.ARN)
	plain, err := replica.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("plain")})
	require.NoError(t, err)

	associate := func(replicaARN string) error {
		_, err := primary.AssociateCrossAccountReplica(ctx, &sm.AssociateCrossAccountReplicaInput{SecretId: aws.String(primaryARN), CrossAccountReplicaARN: aws.String(replicaARN)})
		return err
	}
	requireErrorAs[*types.InvalidRequestException](t, associate(aws.ToString(plain.ARN))) // not made as a replica
	requireErrorAs[*types.ResourceNotFoundException](t, associate("arn:aws:secretsmanager:us-east-1:222222222222:secret:missing-AbCdEf"))
	requireErrorAs[*types.InvalidParameterException](t, associate("arn:aws:secretsmanager:eu-west-1:222222222222:secret:db-copy-AbCdEf"))
	requireErrorAs[*types.InvalidParameterException](t, associate(primaryARN)) // the same account
	require.NoError(t, associate(first))
	requireErrorAs[*types.InvalidRequestException](t, associate(second)) // one cross-account replica per primary
	assert.Equal(t, 6, primary.Calls()[fakesm.OpAssociateCrossAccountReplica], "every call, refused ones too, is counted on the primary's account")
	assert.Zero(t, replica.Calls()[fakesm.OpAssociateCrossAccountReplica])
}

// Promotion from the replica's side tells the primary: Detached.
func TestCrossAccountPromotionDetachesThePrimary(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	primary, replica, primaryARN := primaryAndReplica(t)
	replicaARN := createReplica(t, replica, primaryARN)
	_, err := primary.AssociateCrossAccountReplica(ctx, &sm.AssociateCrossAccountReplicaInput{SecretId: aws.String(primaryARN), CrossAccountReplicaARN: aws.String(replicaARN)})
	require.NoError(t, err)
	_, err = replica.StopReplicationToReplica(ctx, &sm.StopReplicationToReplicaInput{SecretId: aws.String(replicaARN)})
	require.NoError(t, err)
	onPrimary, err := primary.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(primaryARN)})
	require.NoError(t, err)
	require.Len(t, onPrimary.CrossAccountReplicas, 1)
	assert.Equal(t, types.StatusTypeDetached, onPrimary.CrossAccountReplicas[0].ReplicationStatus)
	_, err = replica.StopReplicationToReplica(ctx, &sm.StopReplicationToReplicaInput{SecretId: aws.String(replicaARN)})
	requireErrorAs[*types.InvalidRequestException](t, err) // a standalone secret is no replica
}

func policyNames(out *sm.ListResourcePoliciesOutput) []string {
	names := []string{}
	for _, p := range out.ResourcePolicies {
		names = append(names, aws.ToString(p.PolicyName))
	}
	return names
}

func currentValue(t *testing.T, f *fakesm.Fake, secretID string) string {
	t.Helper()
	out, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(secretID)})
	require.NoError(t, err)
	return aws.ToString(out.SecretString)
}
