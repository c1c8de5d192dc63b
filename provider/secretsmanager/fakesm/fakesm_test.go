package fakesm_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/provider/secretsmanager"
	"github.com/smxlabs/pulumi-smx/provider/secretsmanager/fakesm"
)

// The fake must implement everything smx calls.
var _ secretsmanager.API = (*fakesm.Fake)(nil)

const (
	token1 = "11111111-1111-4111-8111-111111111111"
	token2 = "22222222-2222-4222-8222-222222222222"
)

// clock is a settable clock for the fake.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newClock() *clock { return &clock{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

func create(t *testing.T, f *fakesm.Fake, name string, value *string) *sm.CreateSecretOutput {
	t.Helper()
	out, err := f.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String(name), SecretString: value})
	require.NoError(t, err)
	return out
}

func put(t *testing.T, f *fakesm.Fake, secretID, value string, stages ...string) *sm.PutSecretValueOutput {
	t.Helper()
	out, err := f.PutSecretValue(t.Context(), &sm.PutSecretValueInput{
		SecretId: aws.String(secretID), SecretString: aws.String(value), VersionStages: stages,
	})
	require.NoError(t, err)
	return out
}

func stagesOf(t *testing.T, f *fakesm.Fake, secretID string) map[string][]string {
	t.Helper()
	out, err := f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String(secretID)})
	require.NoError(t, err)
	for _, stages := range out.VersionIdsToStages {
		slices.Sort(stages)
	}
	return out.VersionIdsToStages
}

func requireErrorAs[T error](t *testing.T, err error) T {
	t.Helper()
	var target T
	require.Error(t, err)
	require.Truef(t, errors.As(err, &target), "want %T, got %T: %v", target, err, err)
	return target
}

func TestARNFormatAndLookup(t *testing.T) {
	f := fakesm.New(fakesm.WithRegion("eu-west-1"))
	out := create(t, f, "app/db", nil)
	arn := aws.ToString(out.ARN)
	assert.Regexp(t, regexp.MustCompile(`^arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-[A-Za-z0-9]{6}$`), arn)
	assert.Equal(t, "app/db", aws.ToString(out.Name))
	assert.Nil(t, out.VersionId, "no value, no version")

	for _, id := range []string{arn, "app/db", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db"} {
		d, err := f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String(id)})
		require.NoError(t, err, id)
		assert.Equal(t, arn, aws.ToString(d.ARN), id)
	}
	for _, id := range []string{"app", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-zzzzzz", "nope"} {
		_, err := f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String(id)})
		requireErrorAs[*types.ResourceNotFoundException](t, err)
	}
}

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
	} {
		_, err := f.CreateSecret(t.Context(), in)
		e := requireErrorAs[*types.InvalidParameterException](t, err)
		assert.NotContains(t, e.Error(), "s3cr3t-value")
	}
	assert.Equal(t, 0, f.Len())
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
	e := requireErrorAs[*types.ResourceExistsException](t, err)
	assert.NotContains(t, e.Error(), "other-value")
	assert.NotContains(t, e.Error(), "first-value")
	assert.Equal(t, 1, f.Len())
}

func TestPutSecretValueIdempotency(t *testing.T) {
	f := fakesm.New()
	created := create(t, f, "idem", aws.String("v1"))
	v1 := aws.ToString(created.VersionId)

	in := &sm.PutSecretValueInput{SecretId: aws.String("idem"), SecretString: aws.String("v2-value"), ClientRequestToken: aws.String(token2)}
	first, err := f.PutSecretValue(t.Context(), in)
	require.NoError(t, err)
	assert.Equal(t, token2, aws.ToString(first.VersionId))
	want := map[string][]string{v1: {fakesm.StagePrevious}, token2: {fakesm.StageCurrent}}
	assert.Equal(t, want, stagesOf(t, f, "idem"))

	// A retry (e.g. after a lost answer) returns the original version and
	// changes nothing: no new version, no label moves.
	again, err := f.PutSecretValue(t.Context(), in)
	require.NoError(t, err)
	assert.Equal(t, token2, aws.ToString(again.VersionId))
	assert.Equal(t, []string{fakesm.StageCurrent}, again.VersionStages)
	assert.Equal(t, want, stagesOf(t, f, "idem"))
	snap, _ := f.Snapshot("idem")
	assert.Len(t, snap.VersionStages, 2)

	// Same token, other value: refused, and the message carries no value.
	_, err = f.PutSecretValue(t.Context(), &sm.PutSecretValueInput{
		SecretId: aws.String("idem"), SecretString: aws.String("v3-value"), ClientRequestToken: aws.String(token2),
	})
	e := requireErrorAs[*types.ResourceExistsException](t, err)
	assert.NotContains(t, e.Error(), "v3-value")
	assert.NotContains(t, e.Error(), "v2-value")
	// Same token, same bytes as binary instead of string: a different value.
	_, err = f.PutSecretValue(t.Context(), &sm.PutSecretValueInput{
		SecretId: aws.String("idem"), SecretBinary: []byte("v2-value"), ClientRequestToken: aws.String(token2),
	})
	requireErrorAs[*types.ResourceExistsException](t, err)
	assert.Equal(t, want, stagesOf(t, f, "idem"))

	got, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("idem")})
	require.NoError(t, err)
	assert.Equal(t, "v2-value", aws.ToString(got.SecretString))
}

func TestPutSecretValueMovesCurrentAndPrevious(t *testing.T) {
	f := fakesm.New()
	v1 := aws.ToString(create(t, f, "rot", aws.String("one")).VersionId)
	v2 := aws.ToString(put(t, f, "rot", "two").VersionId)
	v3out := put(t, f, "rot", "three")
	v3 := aws.ToString(v3out.VersionId)
	assert.Equal(t, []string{fakesm.StageCurrent}, v3out.VersionStages)

	// v1 lost its last label: DescribeSecret no longer lists it (AWS), but it
	// can still be read by ID until garbage collection.
	assert.Equal(t, map[string][]string{v2: {fakesm.StagePrevious}, v3: {fakesm.StageCurrent}}, stagesOf(t, f, "rot"))
	old, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("rot"), VersionId: aws.String(v1)})
	require.NoError(t, err)
	assert.Equal(t, "one", aws.ToString(old.SecretString))
	assert.Empty(t, old.VersionStages)

	prev, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("rot"), VersionStage: aws.String(fakesm.StagePrevious)})
	require.NoError(t, err)
	assert.Equal(t, "two", aws.ToString(prev.SecretString))
	cur, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("rot")})
	require.NoError(t, err)
	assert.Equal(t, "three", aws.ToString(cur.SecretString))
	assert.Equal(t, v3, aws.ToString(cur.VersionId))
}

func TestPutSecretValueWithCustomStages(t *testing.T) {
	f := fakesm.New()
	create(t, f, "staged", nil)
	// The first version of a secret always gets AWSCURRENT.
	first := put(t, f, "staged", "one", "pending")
	v1 := aws.ToString(first.VersionId)
	assert.ElementsMatch(t, []string{fakesm.StageCurrent, "pending"}, first.VersionStages)

	// Later, a custom label moves from its holder; AWSCURRENT stays put.
	v2 := aws.ToString(put(t, f, "staged", "two", "pending").VersionId)
	assert.Equal(t, map[string][]string{v1: {fakesm.StageCurrent}, v2: {"pending"}}, stagesOf(t, f, "staged"))

	// Naming AWSCURRENT explicitly moves it, with AWSPREVIOUS following.
	v3 := aws.ToString(put(t, f, "staged", "three", fakesm.StageCurrent, "blue").VersionId)
	assert.Equal(t, map[string][]string{
		v1: {fakesm.StagePrevious}, v2: {"pending"}, v3: {fakesm.StageCurrent, "blue"},
	}, stagesOf(t, f, "staged"))
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
		e := requireErrorAs[*types.InvalidRequestException](t, err)
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
	e := requireErrorAs[*types.InvalidRequestException](t, err)
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

func TestUpdateSecretVersionStage(t *testing.T) {
	f := fakesm.New()
	v1 := aws.ToString(create(t, f, "st", aws.String("one")).VersionId)
	v2 := aws.ToString(put(t, f, "st", "two", "pending").VersionId)
	id := aws.String("st")
	stage := func(in sm.UpdateSecretVersionStageInput) error {
		in.SecretId = id
		_, err := f.UpdateSecretVersionStage(t.Context(), &in)
		return err
	}

	// AWSCURRENT is on v1: moving it without naming v1 is refused.
	err := stage(sm.UpdateSecretVersionStageInput{VersionStage: aws.String(fakesm.StageCurrent), MoveToVersionId: aws.String(v2)})
	requireErrorAs[*types.InvalidParameterException](t, err)
	err = stage(sm.UpdateSecretVersionStageInput{
		VersionStage: aws.String(fakesm.StageCurrent), MoveToVersionId: aws.String(v2), RemoveFromVersionId: aws.String(v2),
	})
	requireErrorAs[*types.InvalidParameterException](t, err)
	assert.Equal(t, map[string][]string{v1: {fakesm.StageCurrent}, v2: {"pending"}}, stagesOf(t, f, "st"))

	// Naming the holder moves it, and AWSPREVIOUS follows to v1.
	require.NoError(t, stage(sm.UpdateSecretVersionStageInput{
		VersionStage: aws.String(fakesm.StageCurrent), MoveToVersionId: aws.String(v2), RemoveFromVersionId: aws.String(v1),
	}))
	assert.Equal(t, map[string][]string{v1: {fakesm.StagePrevious}, v2: {fakesm.StageCurrent, "pending"}}, stagesOf(t, f, "st"))
	cur, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: id})
	require.NoError(t, err)
	assert.Equal(t, "two", aws.ToString(cur.SecretString))

	// AWSCURRENT can't be removed without moving it.
	err = stage(sm.UpdateSecretVersionStageInput{VersionStage: aws.String(fakesm.StageCurrent), RemoveFromVersionId: aws.String(v2)})
	requireErrorAs[*types.InvalidParameterException](t, err)

	// A custom label: removed from its holder, refused from another version.
	err = stage(sm.UpdateSecretVersionStageInput{VersionStage: aws.String("pending"), RemoveFromVersionId: aws.String(v1)})
	requireErrorAs[*types.InvalidParameterException](t, err)
	require.NoError(t, stage(sm.UpdateSecretVersionStageInput{VersionStage: aws.String("pending"), RemoveFromVersionId: aws.String(v2)}))
	// A label held by no version is attached with MoveToVersionId alone.
	require.NoError(t, stage(sm.UpdateSecretVersionStageInput{VersionStage: aws.String("blue"), MoveToVersionId: aws.String(v1)}))
	// Moving a label onto the version that holds it is a no-op.
	require.NoError(t, stage(sm.UpdateSecretVersionStageInput{VersionStage: aws.String("blue"), MoveToVersionId: aws.String(v1)}))
	assert.Equal(t, map[string][]string{v1: {fakesm.StagePrevious, "blue"}, v2: {fakesm.StageCurrent}}, stagesOf(t, f, "st"))

	// Moving AWSCURRENT back onto the AWSPREVIOUS version swaps them.
	require.NoError(t, stage(sm.UpdateSecretVersionStageInput{
		VersionStage: aws.String(fakesm.StageCurrent), MoveToVersionId: aws.String(v1), RemoveFromVersionId: aws.String(v2),
	}))
	assert.Equal(t, map[string][]string{v1: {fakesm.StageCurrent, "blue"}, v2: {fakesm.StagePrevious}}, stagesOf(t, f, "st"))

	err = stage(sm.UpdateSecretVersionStageInput{VersionStage: aws.String("blue")})
	requireErrorAs[*types.InvalidParameterException](t, err)
	err = stage(sm.UpdateSecretVersionStageInput{VersionStage: aws.String("blue"), MoveToVersionId: aws.String(token1)})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
}

func TestGetSecretValueNotFound(t *testing.T) {
	f := fakesm.New()
	create(t, f, "empty", nil)
	v1 := aws.ToString(create(t, f, "full", aws.String("v")).VersionId)
	for _, in := range []*sm.GetSecretValueInput{
		{SecretId: aws.String("missing")},
		{SecretId: aws.String("empty")}, // no version yet
		{SecretId: aws.String("full"), VersionId: aws.String(token1)},
		{SecretId: aws.String("full"), VersionStage: aws.String("nope")},
	} {
		_, err := f.GetSecretValue(t.Context(), in)
		requireErrorAs[*types.ResourceNotFoundException](t, err)
	}
	out, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{
		SecretId: aws.String("full"), VersionId: aws.String(v1), VersionStage: aws.String(fakesm.StageCurrent),
	})
	require.NoError(t, err)
	assert.Equal(t, "v", aws.ToString(out.SecretString))
}

func TestBinaryValues(t *testing.T) {
	f := fakesm.New()
	create(t, f, "bin", nil)
	_, err := f.PutSecretValue(t.Context(), &sm.PutSecretValueInput{SecretId: aws.String("bin"), SecretBinary: []byte{0, 1, 2}})
	require.NoError(t, err)
	out, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("bin")})
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 1, 2}, out.SecretBinary)
	assert.Nil(t, out.SecretString)

	_, err = f.PutSecretValue(t.Context(), &sm.PutSecretValueInput{SecretId: aws.String("bin")})
	requireErrorAs[*types.InvalidParameterException](t, err)
	_, err = f.PutSecretValue(t.Context(), &sm.PutSecretValueInput{
		SecretId: aws.String("bin"), SecretString: aws.String("s3cr3t-value"), SecretBinary: []byte("x"),
	})
	e := requireErrorAs[*types.InvalidParameterException](t, err)
	assert.NotContains(t, e.Error(), "s3cr3t-value")
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

func TestCallCountingAndFailureInjection(t *testing.T) {
	f := fakesm.New()
	ctx := t.Context()
	injected := &types.InternalServiceError{Message: aws.String("boom")}
	f.FailNext(fakesm.OpCreateSecret, injected)

	_, err := f.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("x")})
	assert.Same(t, injected, requireErrorAs[*types.InternalServiceError](t, err))
	assert.Equal(t, 0, f.Len(), "a failed call changes nothing")

	create(t, f, "x", nil)
	_, _ = f.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("x")})
	assert.Equal(t, map[string]int{fakesm.OpCreateSecret: 2, fakesm.OpDescribeSecret: 1}, f.Calls())
	assert.Equal(t, 3, f.TotalCalls())
	reqs := f.Requests(fakesm.OpCreateSecret)
	require.Len(t, reqs, 2)
	assert.Equal(t, "x", aws.ToString(reqs[1].(*sm.CreateSecretInput).Name))

	f.ResetCalls()
	assert.Empty(t, f.Calls())
	assert.Empty(t, f.Requests(fakesm.OpCreateSecret))

	// Out-of-band helpers are not calls.
	require.NoError(t, f.SetDescription("x", "d"))
	_, err = f.PutValueOutOfBand("x", "v")
	require.NoError(t, err)
	assert.Equal(t, 0, f.TotalCalls())

	// Several injected errors are used one per call, in order.
	f.FailNext(fakesm.OpDescribeSecret, errors.New("one"), errors.New("two"))
	_, err = f.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("x")})
	assert.EqualError(t, err, "one")
	_, err = f.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("x")})
	assert.EqualError(t, err, "two")
	_, err = f.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("x")})
	assert.NoError(t, err)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = f.DescribeSecret(cancelled, &sm.DescribeSecretInput{SecretId: aws.String("x")})
	assert.ErrorIs(t, err, context.Canceled)
}

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

func TestGarbageCollection(t *testing.T) {
	clk := newClock()
	f := fakesm.New(fakesm.WithClock(clk.Now))
	first := aws.ToString(create(t, f, "gc", aws.String("v0")).VersionId)
	for i := 1; i < 105; i++ {
		put(t, f, "gc", fmt.Sprintf("v%d", i))
	}
	snap, _ := f.Snapshot("gc")
	assert.Len(t, snap.VersionStages, 105, "versions younger than 24 hours are never collected")

	clk.Advance(25 * time.Hour)
	put(t, f, "gc", "latest")
	snap, _ = f.Snapshot("gc")
	assert.Len(t, snap.VersionStages, 100)
	assert.NotContains(t, snap.VersionStages, first, "the oldest unlabeled versions go first")
	labeled := 0
	for _, stages := range snap.VersionStages {
		if len(stages) > 0 {
			labeled++
		}
	}
	assert.Equal(t, 2, labeled, "AWSCURRENT and AWSPREVIOUS survive")
}

func TestConcurrentUse(t *testing.T) {
	f := fakesm.New()
	create(t, f, "busy", aws.String("v0"))
	const writers = 40
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := f.PutSecretValue(t.Context(), &sm.PutSecretValueInput{
				SecretId: aws.String("busy"), SecretString: aws.String(fmt.Sprintf("v%d", i+1)),
			})
			assert.NoError(t, err)
		}()
		go func() {
			defer wg.Done()
			out, err := f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String("busy")})
			assert.NoError(t, err)
			current := 0
			for _, stages := range out.VersionIdsToStages {
				if slices.Contains(stages, fakesm.StageCurrent) {
					current++
				}
			}
			assert.Equal(t, 1, current, "exactly one version is AWSCURRENT at any time")
		}()
	}
	wg.Wait()
	snap, _ := f.Snapshot("busy")
	assert.Len(t, snap.VersionStages, writers+1)
	assert.Equal(t, map[string]int{fakesm.OpCreateSecret: 1, fakesm.OpPutSecretValue: writers, fakesm.OpDescribeSecret: writers}, f.Calls())
}
