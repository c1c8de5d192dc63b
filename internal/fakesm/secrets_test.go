package fakesm_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

func TestCreateSecretExistingName(t *testing.T) {
	f := fakesm.New()
	create(t, f, "dup", nil)
	_, err := f.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("dup")})
	requireErrorAs[*types.ResourceExistsException](t, err)
}

func TestCreateSecretValidation(t *testing.T) {
	f := fakesm.New()
	for _, in := range []*sm.CreateSecretInput{
		{Name: aws.String("")},
		{Name: aws.String(strings.Repeat("a", 513))},
		{Name: aws.String("bad name")},
		{Name: aws.String("both"), SecretString: aws.String("s3cr3t-value"), SecretBinary: []byte("s3cr3t-value")},
		{Name: aws.String("token"), SecretString: aws.String("s3cr3t-value"), ClientRequestToken: aws.String("short")},
		{Name: aws.String("tags"), Tags: []types.Tag{{Key: aws.String("aws:owner"), Value: aws.String("x")}}},
		{Name: aws.String("type"), Type: aws.String("")},
	} {
		_, err := f.CreateSecret(t.Context(), in)
		e := errorAs[*types.InvalidParameterException](t, err)
		assert.NotContains(t, e.Error(), "s3cr3t-value")
	}
	assert.Equal(t, 0, f.Len())
}

// Type, the partner of a managed external secret, is kept, reported by
// DescribeSecret and ListSecrets, and changed by UpdateSecret.
func TestManagedExternalSecretType(t *testing.T) {
	f := fakesm.New()
	ctx := t.Context()
	_, err := f.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("sf"), Type: aws.String("SalesforceClientSecret")})
	require.NoError(t, err)
	_, err = f.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("plain")})
	require.NoError(t, err)

	described, err := f.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("sf")})
	require.NoError(t, err)
	assert.Equal(t, "SalesforceClientSecret", aws.ToString(described.Type))
	plain, err := f.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("plain")})
	require.NoError(t, err)
	assert.Nil(t, plain.Type, "an ordinary secret has no Type")

	_, err = f.UpdateSecret(ctx, &sm.UpdateSecretInput{SecretId: aws.String("sf"), Type: aws.String("BigIDClientSecret")})
	require.NoError(t, err)
	_, err = f.UpdateSecret(ctx, &sm.UpdateSecretInput{SecretId: aws.String("sf"), Type: aws.String("")})
	requireErrorAs[*types.InvalidParameterException](t, err)
	listed, err := f.ListSecrets(ctx, &sm.ListSecretsInput{})
	require.NoError(t, err)
	partners := map[string]string{}
	for _, e := range listed.SecretList {
		partners[aws.ToString(e.Name)] = aws.ToString(e.Type)
	}
	assert.Equal(t, map[string]string{"sf": "BigIDClientSecret", "plain": ""}, partners)
}

// AWS counts its length limits in characters, the value's size in bytes.
func TestCreateSecretCountsCharactersAndValueBytes(t *testing.T) {
	f := fakesm.New()
	cjk := "秘"
	_, err := f.CreateSecret(t.Context(), &sm.CreateSecretInput{
		Name: aws.String("unicode"), Description: aws.String(strings.Repeat("€", 2048)),
		Tags:         []types.Tag{{Key: aws.String(strings.Repeat(cjk, 127)), Value: aws.String(strings.Repeat(cjk, 255))}},
		SecretString: aws.String(strings.Repeat("€", 21845)), // 65,535 bytes
	})
	require.NoError(t, err, "2,048 characters of description and 127/255 characters of tag fit, whatever their bytes")
	for name, in := range map[string]*sm.CreateSecretInput{
		"description": {Name: aws.String("d"), Description: aws.String(strings.Repeat("€", 2049))},
		"tag key":     {Name: aws.String("k"), Tags: []types.Tag{{Key: aws.String(strings.Repeat(cjk, 128)), Value: aws.String("v")}}},
		"tag value":   {Name: aws.String("v"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String(strings.Repeat(cjk, 256))}}},
		"value bytes": {Name: aws.String("s"), SecretString: aws.String(strings.Repeat("€", 21846))}, // 65,538 bytes
	} {
		_, err := f.CreateSecret(t.Context(), in)
		_ = errorAs[*types.InvalidParameterException](t, err)
		_, created := f.Snapshot(aws.ToString(in.Name))
		assert.Falsef(t, created, "%s over the limit creates nothing", name)
	}
}

func TestCreateSecretIdempotency(t *testing.T) {
	f := fakesm.New()
	in := &sm.CreateSecretInput{Name: aws.String("idem"), SecretString: aws.String("first-value"), ClientRequestToken: aws.String(token1)}
	first, err := f.CreateSecret(t.Context(), in)
	require.NoError(t, err)
	assert.Equal(t, token1, aws.ToString(first.VersionId), "the token becomes the version ID")

	again, err := f.CreateSecret(t.Context(), in)
	require.NoError(t, err, "same token and value is a no-op success")
	assert.Equal(t, aws.ToString(first.ARN), aws.ToString(again.ARN))
	assert.Equal(t, token1, aws.ToString(again.VersionId))
	assert.Equal(t, map[string][]string{token1: {fakesm.StageCurrent}}, stagesOf(t, f, "idem"))

	_, err = f.CreateSecret(t.Context(), &sm.CreateSecretInput{
		Name: aws.String("idem"), SecretString: aws.String("other-value"), ClientRequestToken: aws.String(token1),
	})
	e := errorAs[*types.ResourceExistsException](t, err)
	assert.NotContains(t, e.Error(), "other-value")
	assert.NotContains(t, e.Error(), "first-value")
	assert.Equal(t, 1, f.Len())
}

func TestScheduledDeletion(t *testing.T) {
	clk := newClock()
	f := fakesm.New(fakesm.WithClock(clk.Now))
	created := create(t, f, "doomed", aws.String("value"))
	arn := aws.ToString(created.ARN)
	v1 := aws.ToString(created.VersionId)

	del, err := f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(arn)})
	require.NoError(t, err)
	assert.Equal(t, clk.Now().Add(30*24*time.Hour), aws.ToTime(del.DeletionDate), "default recovery window is 30 days")

	d, err := f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String("doomed")})
	require.NoError(t, err, "DescribeSecret still answers")
	require.NotNil(t, d.DeletedDate)

	marked := func(err error) {
		t.Helper()
		e := errorAs[*types.InvalidRequestException](t, err)
		assert.Contains(t, e.ErrorMessage(), "because it was marked for deletion")
	}
	_, err = f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String(arn)})
	marked(err)
	_, err = f.PutSecretValue(t.Context(), &sm.PutSecretValueInput{SecretId: aws.String(arn), SecretString: aws.String("x")})
	marked(err)
	_, err = f.UpdateSecret(t.Context(), &sm.UpdateSecretInput{SecretId: aws.String(arn), Description: aws.String("d")})
	marked(err)
	_, err = f.UpdateSecretVersionStage(t.Context(), &sm.UpdateSecretVersionStageInput{
		SecretId: aws.String(arn), VersionStage: aws.String("blue"), MoveToVersionId: aws.String(v1),
	})
	marked(err)
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(arn)})
	marked(err)

	_, err = f.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("doomed")})
	e := errorAs[*types.InvalidRequestException](t, err)
	assert.Equal(t, "You can't create this secret because a secret with this name is already scheduled for deletion.", e.ErrorMessage())

	// A scheduled deletion can be cut short with a forced delete.
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(arn), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)
	_, err = f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String(arn)})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
	again := create(t, f, "doomed", nil)
	assert.NotEqual(t, arn, aws.ToString(again.ARN), "a new secret gets a new ARN suffix")
	// The old ARN does not resolve to the new secret.
	_, err = f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String(arn)})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
}

func TestRestoreAndPurge(t *testing.T) {
	f := fakesm.New()
	create(t, f, "back", aws.String("v"))
	_, err := f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("back"), RecoveryWindowInDays: aws.Int64(7)})
	require.NoError(t, err)
	_, err = f.RestoreSecret(t.Context(), &sm.RestoreSecretInput{SecretId: aws.String("back")})
	require.NoError(t, err)
	got, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("back")})
	require.NoError(t, err)
	assert.Equal(t, "v", aws.ToString(got.SecretString))

	require.Error(t, f.Purge("back"), "only scheduled deletions can be purged")
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("back")})
	require.NoError(t, err)
	require.NoError(t, f.Purge("back"))
	assert.Equal(t, 0, f.Len())
}

func TestDeleteSecretValidation(t *testing.T) {
	f := fakesm.New()
	create(t, f, "s", nil)
	for _, in := range []*sm.DeleteSecretInput{
		{SecretId: aws.String("s"), RecoveryWindowInDays: aws.Int64(6)},
		{SecretId: aws.String("s"), RecoveryWindowInDays: aws.Int64(31)},
		{SecretId: aws.String("s"), RecoveryWindowInDays: aws.Int64(0)},
		{SecretId: aws.String("s"), RecoveryWindowInDays: aws.Int64(7), ForceDeleteWithoutRecovery: aws.Bool(true)},
	} {
		_, err := f.DeleteSecret(t.Context(), in)
		requireErrorAs[*types.InvalidParameterException](t, err)
	}
	snap, ok := f.Snapshot("s")
	require.True(t, ok)
	assert.Nil(t, snap.DeletedDate, "rejected calls change nothing")

	for _, days := range []int64{7, 30} {
		name := fmt.Sprintf("w%d", days)
		create(t, f, name, nil)
		_, err := f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(name), RecoveryWindowInDays: aws.Int64(days)})
		require.NoError(t, err, days)
	}

	_, err := f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("never"), ForceDeleteWithoutRecovery: aws.Bool(true)})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
}

func TestDescribeMetadataAndTags(t *testing.T) {
	f := fakesm.New()
	_, err := f.CreateSecret(t.Context(), &sm.CreateSecretInput{
		Name: aws.String("meta"), Description: aws.String("first"),
		Tags: []types.Tag{{Key: aws.String("b"), Value: aws.String("2")}, {Key: aws.String("a"), Value: aws.String("1")}},
	})
	require.NoError(t, err)
	describe := func() *sm.DescribeSecretOutput {
		out, err := f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String("meta")})
		require.NoError(t, err)
		return out
	}
	d := describe()
	assert.Equal(t, "first", aws.ToString(d.Description))
	assert.Nil(t, d.KmsKeyId, "the default key is reported as absent")
	assert.Nil(t, d.DeletedDate)
	assert.Equal(t, []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}, d.Tags)

	_, err = f.UpdateSecret(t.Context(), &sm.UpdateSecretInput{SecretId: aws.String("meta"), KmsKeyId: aws.String("alias/mine"), Description: aws.String("")})
	require.NoError(t, err)
	d = describe()
	assert.Equal(t, "alias/mine", aws.ToString(d.KmsKeyId))
	assert.Nil(t, d.Description, "an empty description is cleared (moto keeps the old one)")
	_, err = f.UpdateSecret(t.Context(), &sm.UpdateSecretInput{SecretId: aws.String("meta"), KmsKeyId: aws.String("alias/aws/secretsmanager")})
	require.NoError(t, err)
	assert.Nil(t, describe().KmsKeyId)

	_, err = f.TagResource(t.Context(), &sm.TagResourceInput{SecretId: aws.String("meta"), Tags: []types.Tag{
		{Key: aws.String("a"), Value: aws.String("one")}, {Key: aws.String("c"), Value: aws.String("3")},
	}})
	require.NoError(t, err)
	_, err = f.UntagResource(t.Context(), &sm.UntagResourceInput{SecretId: aws.String("meta"), TagKeys: []string{"b", "absent"}})
	require.NoError(t, err)
	snap, _ := f.Snapshot("meta")
	assert.Equal(t, map[string]string{"a": "one", "c": "3"}, snap.Tags)

	_, err = f.TagResource(t.Context(), &sm.TagResourceInput{SecretId: aws.String("meta"), Tags: []types.Tag{{Key: aws.String("AWS:x"), Value: aws.String("v")}}})
	requireErrorAs[*types.InvalidParameterException](t, err)
	_, err = f.TagResource(t.Context(), &sm.TagResourceInput{SecretId: aws.String("missing"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
}

// Tags with the reserved prefix aws: are put on a secret by AWS services
// (CloudFormation's aws:cloudformation:stack-name, for one), never by
// callers: TagResource and UntagResource refuse them, in any case, and
// change nothing; they do not count against the 50 tags a secret may have.
func TestReservedAWSTags(t *testing.T) {
	f := fakesm.New()
	create(t, f, "stack-made", nil)
	cloudFormation := map[string]string{"aws:cloudformation:stack-name": "app", "aws:cloudformation:logical-id": "Secret"}
	require.NoError(t, f.SetTags("stack-made", cloudFormation))

	for _, key := range []string{"aws:cloudformation:stack-name", "AWS:cloudformation:logical-id"} {
		_, err := f.UntagResource(t.Context(), &sm.UntagResourceInput{SecretId: aws.String("stack-made"), TagKeys: []string{key}})
		requireErrorAs[*types.InvalidParameterException](t, err)
		_, err = f.TagResource(t.Context(), &sm.TagResourceInput{SecretId: aws.String("stack-made"),
			Tags: []types.Tag{{Key: aws.String(key), Value: aws.String("other")}}})
		requireErrorAs[*types.InvalidParameterException](t, err)
	}
	_, err := f.UntagResource(t.Context(), &sm.UntagResourceInput{SecretId: aws.String("stack-made"),
		TagKeys: []string{"absent", "aws:cloudformation:stack-name"}})
	requireErrorAs[*types.InvalidParameterException](t, err)
	snap, _ := f.Snapshot("stack-made")
	assert.Equal(t, cloudFormation, snap.Tags, "a refused call changes nothing")

	fifty := make([]types.Tag, 0, 51)
	for i := range 50 {
		fifty = append(fifty, types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")})
	}
	_, err = f.TagResource(t.Context(), &sm.TagResourceInput{SecretId: aws.String("stack-made"), Tags: fifty})
	require.NoError(t, err, "AWS's own tags leave room for 50 more")
	snap, _ = f.Snapshot("stack-made")
	assert.Len(t, snap.Tags, 52)
	_, err = f.TagResource(t.Context(), &sm.TagResourceInput{SecretId: aws.String("stack-made"),
		Tags: []types.Tag{{Key: aws.String("one-more"), Value: aws.String("v")}}})
	requireErrorAs[*types.InvalidParameterException](t, err)
	_, err = f.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("fifty-one"),
		Tags: append(fifty, types.Tag{Key: aws.String("one-more"), Value: aws.String("v")})})
	requireErrorAs[*types.InvalidParameterException](t, err)
	_, err = f.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("fifty"), Tags: fifty})
	require.NoError(t, err)
}

func TestUpdateSecretWithValue(t *testing.T) {
	f := fakesm.New()
	v1 := aws.ToString(create(t, f, "u", aws.String("one")).VersionId)
	in := &sm.UpdateSecretInput{SecretId: aws.String("u"), SecretString: aws.String("two"), ClientRequestToken: aws.String(token1)}
	out, err := f.UpdateSecret(t.Context(), in)
	require.NoError(t, err)
	assert.Equal(t, token1, aws.ToString(out.VersionId))
	_, err = f.UpdateSecret(t.Context(), in)
	require.NoError(t, err, "idempotent retry")
	assert.Equal(t, map[string][]string{v1: {fakesm.StagePrevious}, token1: {fakesm.StageCurrent}}, stagesOf(t, f, "u"))
}

func TestRestoreSecret(t *testing.T) {
	clk := newClock()
	f := fakesm.New(fakesm.WithClock(clk.Now))
	arn := aws.ToString(create(t, f, "back", aws.String("v")).ARN)

	out, err := f.RestoreSecret(t.Context(), &sm.RestoreSecretInput{SecretId: aws.String("back")})
	require.NoError(t, err, "restoring a secret that is not scheduled for deletion succeeds")
	assert.Equal(t, arn, aws.ToString(out.ARN))
	assert.Equal(t, "back", aws.ToString(out.Name))
	assert.Nil(t, describe(t, f, "back").DeletedDate)

	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(arn)})
	require.NoError(t, err)
	require.NotNil(t, describe(t, f, "back").DeletedDate)
	out, err = f.RestoreSecret(t.Context(), &sm.RestoreSecretInput{SecretId: aws.String(arn)})
	require.NoError(t, err)
	assert.Equal(t, arn, aws.ToString(out.ARN))
	assert.Nil(t, describe(t, f, "back").DeletedDate)
	snap, _ := f.Snapshot("back")
	assert.Nil(t, snap.DeletedDate)
	assert.True(t, snap.DeletionDate.IsZero())

	// Restored, the secret is usable and deletable again.
	_, err = f.PutSecretValue(t.Context(), &sm.PutSecretValueInput{SecretId: aws.String("back"), SecretString: aws.String("w")})
	require.NoError(t, err)
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("back"), RecoveryWindowInDays: aws.Int64(7)})
	require.NoError(t, err)

	for _, id := range []string{"never", arn + "x", ""} {
		_, err = f.RestoreSecret(t.Context(), &sm.RestoreSecretInput{SecretId: aws.String(id)})
		require.Error(t, err, id)
	}
	_, err = f.RestoreSecret(t.Context(), &sm.RestoreSecretInput{SecretId: aws.String("never")})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("back"), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)
	_, err = f.RestoreSecret(t.Context(), &sm.RestoreSecretInput{SecretId: aws.String(arn)})
	requireErrorAs[*types.ResourceNotFoundException](t, err) // a force-deleted secret cannot be restored
}
