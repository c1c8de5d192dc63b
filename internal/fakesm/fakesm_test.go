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

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/provider/secretsmanager"
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

// ---------------------------------------------------------------------------
// Resource policies

func getPolicy(t *testing.T, f *fakesm.Fake, secretID string) *string {
	t.Helper()
	out, err := f.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String(secretID)})
	require.NoError(t, err)
	return out.ResourcePolicy
}

func TestResourcePolicyIsStoredRewritten(t *testing.T) {
	f := fakesm.New()
	arn := aws.ToString(create(t, f, "p", nil).ARN)
	assert.Nil(t, getPolicy(t, f, "p"), "no policy yet")

	policy := `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "one", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]},
     "Action": ["secretsmanager:GetSecretValue"], "Resource": "*"},
    {"Sid": "two<&>", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::123456789012:role/r"},
     "Action": ["secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret"], "Resource": ["*"]}
  ]
}`
	put, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String("p"), ResourcePolicy: aws.String(policy)})
	require.NoError(t, err)
	assert.Equal(t, arn, aws.ToString(put.ARN))
	assert.Equal(t, "p", aws.ToString(put.Name))
	assert.Equal(t, fakesm.DefaultPolicyName, aws.ToString(put.PolicyName))

	got, err := f.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String(arn)})
	require.NoError(t, err)
	assert.Equal(t, arn, aws.ToString(got.ARN))
	assert.Equal(t, "p", aws.ToString(got.Name))
	// Compacted, member order kept, the one-element Action array becomes a
	// string; other one-element arrays (Principal.AWS, Resource) and
	// longer Action arrays stay as they were.
	want := `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"one","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},` +
		`"Action":"secretsmanager:GetSecretValue","Resource":"*"},` +
		`{"Sid":"two<&>","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:role/r"},` +
		`"Action":["secretsmanager:PutSecretValue","secretsmanager:DeleteSecret"],"Resource":["*"]}]}`
	assert.Equal(t, want, aws.ToString(got.ResourcePolicy))
	assert.JSONEq(t, want, aws.ToString(got.ResourcePolicy))
	snap, _ := f.Snapshot("p")
	assert.Equal(t, want, snap.ResourcePolicy)

	// A single statement object (not in an array) is rewritten too.
	_, err = f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String("p"), ResourcePolicy: aws.String(
		`{"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": ["secretsmanager:*"], "Resource": "*"}}`)})
	require.NoError(t, err)
	assert.Equal(t, `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:*","Resource":"*"}}`,
		aws.ToString(getPolicy(t, f, "p")))

	del, err := f.DeleteResourcePolicy(t.Context(), &sm.DeleteResourcePolicyInput{SecretId: aws.String("p")})
	require.NoError(t, err)
	assert.Equal(t, arn, aws.ToString(del.ARN))
	assert.Equal(t, "p", aws.ToString(del.Name))
	assert.Nil(t, getPolicy(t, f, "p"))
	_, err = f.DeleteResourcePolicy(t.Context(), &sm.DeleteResourcePolicyInput{SecretId: aws.String("p")})
	require.NoError(t, err, "deleting a policy that is not there succeeds")
}

func TestPutResourcePolicyRejectsMalformed(t *testing.T) {
	f := fakesm.New()
	create(t, f, "p", nil)
	for _, policy := range []string{`{"Statement": [`, `not json`, `["a"]`, `"text"`, `{"a":1} {"b":2}`} {
		_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String("p"), ResourcePolicy: aws.String(policy)})
		requireErrorAs[*types.MalformedPolicyDocumentException](t, err)
	}
	for _, in := range []*sm.PutResourcePolicyInput{
		{SecretId: aws.String("p")},
		{SecretId: aws.String("p"), ResourcePolicy: aws.String("")},
		{SecretId: aws.String("p"), ResourcePolicy: aws.String(`{"a":"` + strings.Repeat("x", 20480) + `"}`)},
		{SecretId: aws.String("p"), ResourcePolicy: aws.String(`{}`), PolicyName: aws.String("other")},
	} {
		_, err := f.PutResourcePolicy(t.Context(), in)
		requireErrorAs[*types.InvalidParameterException](t, err)
	}
	assert.Nil(t, getPolicy(t, f, "p"), "rejected calls store nothing")

	_, err := f.DeleteResourcePolicy(t.Context(), &sm.DeleteResourcePolicyInput{SecretId: aws.String("p"), PolicyName: aws.String("other")})
	requireErrorAs[*types.InvalidParameterException](t, err)
	_, err = f.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String("p"), PolicyName: aws.String("other")})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
	_, err = f.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String("p"), PolicyName: aws.String(fakesm.DefaultPolicyName)})
	require.NoError(t, err)
}

func TestPutResourcePolicyBlockPublicPolicy(t *testing.T) {
	statement := func(s string) string { return `{"Version":"2012-10-17","Statement":[` + s + `]}` }
	const rest = `"Action":"secretsmanager:GetSecretValue","Resource":"*"`
	public := map[string]string{
		"principal star":        statement(`{"Effect":"Allow","Principal":"*",` + rest + `}`),
		"AWS star":              statement(`{"Effect":"Allow","Principal":{"AWS":"*"},` + rest + `}`),
		"AWS star in a list":    statement(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","*"]},` + rest + `}`),
		"second statement":      statement(`{"Effect":"Deny","Principal":"*",` + rest + `},{"Effect":"Allow","Principal":"*",` + rest + `}`),
		"single statement only": `{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},` + rest + `}}`,
	}
	notPublic := map[string]string{
		"named principal": statement(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},` + rest + `}`),
		"deny star":       statement(`{"Effect":"Deny","Principal":"*",` + rest + `}`),
		"star with condition": statement(`{"Effect":"Allow","Principal":"*",` + rest +
			`,"Condition":{"StringEquals":{"aws:PrincipalAccount":"123456789012"}}}`),
		"service star": statement(`{"Effect":"Allow","Principal":{"Service":"*"},` + rest + `}`),
	}
	f := fakesm.New()
	create(t, f, "p", nil)
	for name, policy := range public {
		_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{
			SecretId: aws.String("p"), ResourcePolicy: aws.String(policy), BlockPublicPolicy: aws.Bool(true),
		})
		requireErrorAs[*types.PublicPolicyException](t, err)
		assert.Nil(t, getPolicy(t, f, "p"), name)
	}
	for name, policy := range public {
		_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String("p"), ResourcePolicy: aws.String(policy)})
		require.NoError(t, err, "public policies are not blocked by default: %s", name)
		_, err = f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{
			SecretId: aws.String("p"), ResourcePolicy: aws.String(policy), BlockPublicPolicy: aws.Bool(false),
		})
		require.NoError(t, err, name)
	}
	for name, policy := range notPublic {
		_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{
			SecretId: aws.String("p"), ResourcePolicy: aws.String(policy), BlockPublicPolicy: aws.Bool(true),
		})
		require.NoError(t, err, name)
	}
}

func TestResourcePolicyOnDeletedOrUnknownSecret(t *testing.T) {
	f := fakesm.New()
	create(t, f, "gone", nil)
	const policy = `{"Statement":[]}`
	_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String("gone"), ResourcePolicy: aws.String(policy)})
	require.NoError(t, err)
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("gone")})
	require.NoError(t, err)

	calls := map[string]func(id string) error{
		fakesm.OpGetResourcePolicy: func(id string) error {
			_, err := f.GetResourcePolicy(t.Context(), &sm.GetResourcePolicyInput{SecretId: aws.String(id)})
			return err
		},
		fakesm.OpPutResourcePolicy: func(id string) error {
			_, err := f.PutResourcePolicy(t.Context(), &sm.PutResourcePolicyInput{SecretId: aws.String(id), ResourcePolicy: aws.String(policy)})
			return err
		},
		fakesm.OpDeleteResourcePolicy: func(id string) error {
			_, err := f.DeleteResourcePolicy(t.Context(), &sm.DeleteResourcePolicyInput{SecretId: aws.String(id)})
			return err
		},
	}
	for op, call := range calls {
		e := requireErrorAs[*types.InvalidRequestException](t, call("gone"))
		assert.Contains(t, e.ErrorMessage(), "marked for deletion", op)
		requireErrorAs[*types.ResourceNotFoundException](t, call("never"))
	}
	snap, _ := f.Snapshot("gone")
	assert.Equal(t, policy, snap.ResourcePolicy, "the policy survives a scheduled deletion")
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

// ---------------------------------------------------------------------------
// Replication

func describe(t *testing.T, f *fakesm.Fake, secretID string) *sm.DescribeSecretOutput {
	t.Helper()
	out, err := f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String(secretID)})
	require.NoError(t, err)
	return out
}

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
	e := requireErrorAs[*types.InvalidRequestException](t, err)
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
		e := requireErrorAs[*types.InvalidParameterException](t, err)
		assert.Contains(t, e.ErrorMessage(), "still has replica regions [eu-west-1, eu-north-1]")
		assert.NotContains(t, e.Error(), "s3cr3t-value")
	}
	snap, ok := f.Snapshot("rep")
	require.True(t, ok)
	assert.Nil(t, snap.DeletedDate, "nothing was scheduled")

	_, err = f.RemoveRegionsFromReplication(t.Context(), &sm.RemoveRegionsFromReplicationInput{SecretId: aws.String("rep"), RemoveReplicaRegions: []string{"eu-west-1"}})
	require.NoError(t, err)
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("rep")})
	e := requireErrorAs[*types.InvalidParameterException](t, err)
	assert.Contains(t, e.ErrorMessage(), "[eu-north-1]", "one replica left is enough to block")

	_, err = f.RemoveRegionsFromReplication(t.Context(), &sm.RemoveRegionsFromReplicationInput{SecretId: aws.String("rep"), RemoveReplicaRegions: []string{"eu-north-1"}})
	require.NoError(t, err)
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("rep"), ForceDeleteWithoutRecovery: aws.Bool(true)})
	require.NoError(t, err)
	assert.Equal(t, 0, f.Len())
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

// ---------------------------------------------------------------------------
// RestoreSecret, counting and injection for the newer operations

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

func TestNewOperationsAreCountedAndInjectable(t *testing.T) {
	f := fakesm.New()
	create(t, f, "x", nil)
	ctx := t.Context()
	calls := map[string]func() error{
		fakesm.OpRestoreSecret: func() error {
			_, err := f.RestoreSecret(ctx, &sm.RestoreSecretInput{SecretId: aws.String("x")})
			return err
		},
		fakesm.OpGetResourcePolicy: func() error {
			_, err := f.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: aws.String("x")})
			return err
		},
		fakesm.OpPutResourcePolicy: func() error {
			_, err := f.PutResourcePolicy(ctx, &sm.PutResourcePolicyInput{SecretId: aws.String("x"), ResourcePolicy: aws.String(`{"Statement":[]}`)})
			return err
		},
		fakesm.OpDeleteResourcePolicy: func() error {
			_, err := f.DeleteResourcePolicy(ctx, &sm.DeleteResourcePolicyInput{SecretId: aws.String("x")})
			return err
		},
		fakesm.OpReplicateSecretToRegions: func() error {
			_, err := f.ReplicateSecretToRegions(ctx, &sm.ReplicateSecretToRegionsInput{SecretId: aws.String("x"), AddReplicaRegions: regions("eu-west-1")})
			return err
		},
		fakesm.OpRemoveRegionsFromReplication: func() error {
			_, err := f.RemoveRegionsFromReplication(ctx, &sm.RemoveRegionsFromReplicationInput{SecretId: aws.String("x"), RemoveReplicaRegions: []string{"eu-west-1"}})
			return err
		},
	}
	f.ResetCalls()
	// In this order each call succeeds when not failed by injection.
	order := []string{
		fakesm.OpRestoreSecret, fakesm.OpPutResourcePolicy, fakesm.OpGetResourcePolicy, fakesm.OpDeleteResourcePolicy,
		fakesm.OpReplicateSecretToRegions, fakesm.OpRemoveRegionsFromReplication,
	}
	for _, op := range order {
		injected := &types.InternalServiceError{Message: aws.String("boom " + op)}
		f.FailNext(op, injected)
		assert.Same(t, injected, requireErrorAs[*types.InternalServiceError](t, calls[op]()), op)
		require.NoError(t, calls[op](), op)
	}
	want := map[string]int{}
	for _, op := range order {
		want[op] = 2
		require.Len(t, f.Requests(op), 2, op)
	}
	assert.Equal(t, want, f.Calls())
	snap, _ := f.Snapshot("x")
	assert.Empty(t, snap.ResourcePolicy)
	assert.Empty(t, snap.ReplicaRegions)
}
