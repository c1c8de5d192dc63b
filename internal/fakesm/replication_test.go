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

func inSync(region, kmsKeyID string) types.ReplicationStatusType {
	return types.ReplicationStatusType{
		Region: aws.String(region), KmsKeyId: aws.String(kmsKeyID),
		Status: types.StatusTypeInSync, StatusMessage: aws.String(fakesm.ReplicationSucceeded),
	}
}

func regions(names ...string) []types.ReplicaRegionType {
	out := make([]types.ReplicaRegionType, 0, len(names))
	for _, name := range names {
		out = append(out, types.ReplicaRegionType{Region: aws.String(name)})
	}
	return out
}

func TestCreateSecretWithReplicas(t *testing.T) {
	f := fakesm.New(fakesm.WithRegion("eu-west-1"))
	out, err := f.CreateSecret(t.Context(), &sm.CreateSecretInput{
		Name: aws.String("multi"), SecretString: aws.String("v"),
		AddReplicaRegions: []types.ReplicaRegionType{
			{Region: aws.String("us-east-1")},
			{Region: aws.String("eu-central-1"), KmsKeyId: aws.String("alias/mine")},
		},
	})
	require.NoError(t, err)
	want := []types.ReplicationStatusType{inSync("us-east-1", fakesm.DefaultReplicaKMSKey), inSync("eu-central-1", "alias/mine")}
	assert.Equal(t, want, out.ReplicationStatus)

	d := describe(t, f, "multi")
	assert.Equal(t, "eu-west-1", aws.ToString(d.PrimaryRegion))
	assert.Equal(t, want, d.ReplicationStatus)
	assert.Nil(t, d.ReplicationStatus[0].LastAccessedDate)
	snap, _ := f.Snapshot("multi")
	assert.Equal(t, []string{"us-east-1", "eu-central-1"}, snap.ReplicaRegions)

	plain := create(t, f, "plain", nil)
	assert.Nil(t, plain.ReplicationStatus)
	d = describe(t, f, "plain")
	assert.Nil(t, d.PrimaryRegion, "PrimaryRegion is reported only for replicated secrets")
	assert.Nil(t, d.ReplicationStatus)

	for _, add := range [][]types.ReplicaRegionType{
		{}, regions("eu-west-1"), regions("us-east-2", "us-east-2"), regions("useast1"), regions("US-EAST-1"), {{}},
	} {
		_, err := f.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("bad"), AddReplicaRegions: add})
		requireErrorAs[*types.InvalidParameterException](t, err)
	}
	_, ok := f.Snapshot("bad")
	assert.False(t, ok, "a rejected CreateSecret creates nothing")
}

func TestReplicateAndRemoveRegions(t *testing.T) {
	f := fakesm.New() // home region us-east-1
	arn := aws.ToString(create(t, f, "r", aws.String("v")).ARN)

	added, err := f.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("r"), AddReplicaRegions: regions("eu-west-1", "us-gov-west-1"),
	})
	require.NoError(t, err)
	assert.Equal(t, arn, aws.ToString(added.ARN))
	assert.Equal(t, []types.ReplicationStatusType{
		inSync("eu-west-1", fakesm.DefaultReplicaKMSKey), inSync("us-gov-west-1", fakesm.DefaultReplicaKMSKey),
	}, added.ReplicationStatus)

	for name, add := range map[string][]types.ReplicaRegionType{
		"already replicated":   regions("ap-southeast-2", "eu-west-1"),
		"home region":          regions("us-east-1"),
		"malformed region":     regions("europe"),
		"listed twice":         regions("ca-central-1", "ca-central-1"),
		"no regions":           nil,
		"region without code":  {{KmsKeyId: aws.String("alias/k")}},
		"trailing garbage":     regions("eu-west-1x"),
		"digits only at start": regions("1-east-1"),
	} {
		_, err := f.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{SecretId: aws.String("r"), AddReplicaRegions: add})
		requireErrorAs[*types.InvalidParameterException](t, err)
		assert.Len(t, describe(t, f, "r").ReplicationStatus, 2, "%s: a rejected call changes nothing", name)
	}

	for _, remove := range [][]string{{"ap-south-1"}, {"eu-west-1", "ap-south-1"}, {"us-east-1"}, {}, {"eu-west-1", "eu-west-1"}, {"bad"}} {
		_, err := f.RemoveRegionsFromReplication(t.Context(), &sm.RemoveRegionsFromReplicationInput{
			SecretId: aws.String("r"), RemoveReplicaRegions: remove,
		})
		requireErrorAs[*types.InvalidParameterException](t, err)
	}
	assert.Len(t, describe(t, f, "r").ReplicationStatus, 2)

	removed, err := f.RemoveRegionsFromReplication(t.Context(), &sm.RemoveRegionsFromReplicationInput{
		SecretId: aws.String(arn), RemoveReplicaRegions: []string{"eu-west-1"},
	})
	require.NoError(t, err)
	assert.Equal(t, arn, aws.ToString(removed.ARN))
	assert.Equal(t, []types.ReplicationStatusType{inSync("us-gov-west-1", fakesm.DefaultReplicaKMSKey)}, removed.ReplicationStatus)

	// A removed region can be added again.
	_, err = f.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("r"), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-west-1"), KmsKeyId: aws.String("alias/eu")}},
	})
	require.NoError(t, err)
	assert.Equal(t, []types.ReplicationStatusType{
		inSync("us-gov-west-1", fakesm.DefaultReplicaKMSKey), inSync("eu-west-1", "alias/eu"),
	}, describe(t, f, "r").ReplicationStatus)

	removed, err = f.RemoveRegionsFromReplication(t.Context(), &sm.RemoveRegionsFromReplicationInput{
		SecretId: aws.String("r"), RemoveReplicaRegions: []string{"eu-west-1", "us-gov-west-1"},
	})
	require.NoError(t, err)
	assert.Empty(t, removed.ReplicationStatus)
	d := describe(t, f, "r")
	assert.Nil(t, d.PrimaryRegion)
	assert.Nil(t, d.ReplicationStatus)

	_, err = f.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{SecretId: aws.String("never"), AddReplicaRegions: regions("eu-west-1")})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
	_, err = f.RemoveRegionsFromReplication(t.Context(), &sm.RemoveRegionsFromReplicationInput{SecretId: aws.String("never"), RemoveReplicaRegions: []string{"eu-west-1"}})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
}

func TestReplicationOnSecretScheduledForDeletion(t *testing.T) {
	f := fakesm.New()
	create(t, f, "doomed", nil)
	_, err := f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("doomed")})
	require.NoError(t, err)
	_, err = f.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{SecretId: aws.String("doomed"), AddReplicaRegions: regions("eu-west-1")})
	e := errorAs[*types.InvalidRequestException](t, err)
	assert.Contains(t, e.ErrorMessage(), "marked for deletion")
	_, err = f.RemoveRegionsFromReplication(t.Context(), &sm.RemoveRegionsFromReplicationInput{SecretId: aws.String("doomed"), RemoveReplicaRegions: []string{"eu-west-1"}})
	requireErrorAs[*types.InvalidRequestException](t, err)
}

func TestForceOverwriteReplicaSecret(t *testing.T) {
	f := fakesm.New()
	f.SetNameTakenInRegion("eu-west-1", "taken")
	_, err := f.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("taken"), AddReplicaRegions: regions("eu-west-1", "eu-west-2")})
	require.NoError(t, err, "the call succeeds; the replica fails")
	assert.Equal(t, []types.ReplicationStatusType{
		{Region: aws.String("eu-west-1"), KmsKeyId: aws.String(fakesm.DefaultReplicaKMSKey), Status: types.StatusTypeFailed, StatusMessage: aws.String(fakesm.NameTakenInRegion)},
		inSync("eu-west-2", fakesm.DefaultReplicaKMSKey),
	}, describe(t, f, "taken").ReplicationStatus)

	f.SetNameTakenInRegion("ap-northeast-1", "forced")
	out, err := f.CreateSecret(t.Context(), &sm.CreateSecretInput{
		Name: aws.String("forced"), AddReplicaRegions: regions("ap-northeast-1"), ForceOverwriteReplicaSecret: true,
	})
	require.NoError(t, err)
	assert.Equal(t, []types.ReplicationStatusType{inSync("ap-northeast-1", fakesm.DefaultReplicaKMSKey)}, out.ReplicationStatus)

	create(t, f, "later", nil)
	f.SetNameTakenInRegion("sa-east-1", "later")
	rep, err := f.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{SecretId: aws.String("later"), AddReplicaRegions: regions("sa-east-1")})
	require.NoError(t, err)
	assert.Equal(t, types.StatusTypeFailed, rep.ReplicationStatus[0].Status)
	_, err = f.RemoveRegionsFromReplication(t.Context(), &sm.RemoveRegionsFromReplicationInput{SecretId: aws.String("later"), RemoveReplicaRegions: []string{"sa-east-1"}})
	require.NoError(t, err, "a failed replica can be removed")
	rep, err = f.ReplicateSecretToRegions(t.Context(), &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("later"), AddReplicaRegions: regions("sa-east-1"), ForceOverwriteReplicaSecret: true,
	})
	require.NoError(t, err)
	assert.Equal(t, []types.ReplicationStatusType{inSync("sa-east-1", fakesm.DefaultReplicaKMSKey)}, rep.ReplicationStatus)
}

func TestDeleteSecretBlockedByReplicas(t *testing.T) {
	f := fakesm.New()
	_, err := f.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("rep"), SecretString: aws.String("s3cr3t-value"), AddReplicaRegions: regions("eu-west-1", "eu-north-1")})
	require.NoError(t, err)
	for _, in := range []*sm.DeleteSecretInput{
		{SecretId: aws.String("rep")},
		{SecretId: aws.String("rep"), RecoveryWindowInDays: aws.Int64(7)},
		{SecretId: aws.String("rep"), ForceDeleteWithoutRecovery: aws.Bool(true)},
	} {
		_, err := f.DeleteSecret(t.Context(), in)
		// AWS answers InvalidParameterException, naming the replica regions.
		e := errorAs[*types.InvalidParameterException](t, err)
		assert.Contains(t, e.ErrorMessage(), "still has replica regions [eu-west-1, eu-north-1]")
		assert.NotContains(t, e.Error(), "s3cr3t-value")
	}
	snap, ok := f.Snapshot("rep")
	require.True(t, ok)
	assert.Nil(t, snap.DeletedDate, "nothing was scheduled")

	_, err = f.RemoveRegionsFromReplication(t.Context(), &sm.RemoveRegionsFromReplicationInput{SecretId: aws.String("rep"), RemoveReplicaRegions: []string{"eu-west-1"}})
	require.NoError(t, err)
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("rep")})
	e := errorAs[*types.InvalidParameterException](t, err)
	assert.Contains(t, e.ErrorMessage(), "[eu-north-1]", "one replica left is enough to block")

	_, err = f.RemoveRegionsFromReplication(t.Context(), &sm.RemoveRegionsFromReplicationInput{SecretId: aws.String("rep"), RemoveReplicaRegions: []string{"eu-north-1"}})
	require.NoError(t, err)
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("rep"), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)
	assert.Equal(t, 0, f.Len())
}
