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

func TestOutOfBandChanges(t *testing.T) {
	f := fakesm.New()
	v1 := aws.ToString(create(t, f, "oob", aws.String("one")).VersionId)
	v2, err := f.PutValueOutOfBand("oob", "two")
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{v1: {fakesm.StagePrevious}, v2: {fakesm.StageCurrent}}, stagesOf(t, f, "oob"))

	require.Error(t, f.DropVersion("oob", v1), "labeled versions are never collected")
	_, err = f.PutValueOutOfBand("oob", "three")
	require.NoError(t, err)
	require.NoError(t, f.DropVersion("oob", v1))
	_, err = f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("oob"), VersionId: aws.String(v1)})
	requireErrorAs[*types.ResourceNotFoundException](t, err)

	require.NoError(t, f.SetTags("oob", map[string]string{"k": "v"}))
	require.NoError(t, f.SetKmsKeyID("oob", "alias/other"))
	require.NoError(t, f.SetDescription("oob", "changed"))
	d, err := f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String("oob")})
	require.NoError(t, err)
	assert.Equal(t, "changed", aws.ToString(d.Description))
	assert.Equal(t, "alias/other", aws.ToString(d.KmsKeyId))
	assert.Equal(t, []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}, d.Tags)
}

func TestSetResourcePolicyOutOfBand(t *testing.T) {
	f := fakesm.New()
	create(t, f, "p", nil)
	require.NoError(t, f.SetResourcePolicy("p", `{ "Statement": [ {"Action": ["a:b"]} ] }`))
	assert.Equal(t, `{"Statement":[{"Action":"a:b"}]}`, aws.ToString(getPolicy(t, f, "p")))
	require.NoError(t, f.SetResourcePolicy("p", `{"Id<&>": "x", "Statement": {"Sid<&>": "s", "Action": ["a:b"]}}`))
	assert.Equal(t, `{"Id<&>":"x","Statement":{"Sid<&>":"s","Action":"a:b"}}`, aws.ToString(getPolicy(t, f, "p")), "keys are not re-escaped")
	requireErrorAs[*types.MalformedPolicyDocumentException](t, f.SetResourcePolicy("p", "{"))
	require.NoError(t, f.SetResourcePolicy("p", ""))
	assert.Nil(t, getPolicy(t, f, "p"))
	assert.Equal(t, 0, f.Calls()[fakesm.OpPutResourcePolicy])
}

func TestSetReplicaStatus(t *testing.T) {
	f := fakesm.New()
	_, err := f.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("r"), AddReplicaRegions: regions("eu-west-1", "eu-west-2")})
	require.NoError(t, err)
	require.NoError(t, f.SetReplicaStatus("r", "eu-west-2", "Failed", "Access to KMS is not allowed"))
	assert.Equal(t, []types.ReplicationStatusType{
		inSync("eu-west-1", fakesm.DefaultReplicaKMSKey),
		{Region: aws.String("eu-west-2"), KmsKeyId: aws.String(fakesm.DefaultReplicaKMSKey), Status: types.StatusTypeFailed, StatusMessage: aws.String("Access to KMS is not allowed")},
	}, describe(t, f, "r").ReplicationStatus)

	require.NoError(t, f.SetReplicaStatus("r", "eu-west-2", "InProgress", ""))
	st := describe(t, f, "r").ReplicationStatus[1]
	assert.Equal(t, types.StatusTypeInProgress, st.Status)
	assert.Nil(t, st.StatusMessage)

	require.Error(t, f.SetReplicaStatus("r", "ap-south-1", "Failed", "x"), "not a replica region")
	require.Error(t, f.SetReplicaStatus("r", "eu-west-1", "Broken", "x"), "not a status")
	require.Error(t, f.SetReplicaStatus("nope", "eu-west-1", "Failed", "x"))
	assert.Equal(t, map[string]int{fakesm.OpCreateSecret: 1, fakesm.OpDescribeSecret: 2}, f.Calls(), "helpers are not calls")
}
