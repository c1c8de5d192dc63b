package fakesm_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

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
	e := errorAs[*types.ResourceExistsException](t, err)
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
	e := errorAs[*types.InvalidParameterException](t, err)
	assert.NotContains(t, e.Error(), "s3cr3t-value")
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

func TestBatchGetSecretValueFailsSecretsAloneNotTheCall(t *testing.T) {
	f := fakesm.New()
	full := create(t, f, "full", aws.String("v"))
	create(t, f, "empty", nil) // no AWSCURRENT value
	create(t, f, "going", aws.String("g"))
	_, err := f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String("going")})
	require.NoError(t, err)
	_, err = f.PutSecretValue(t.Context(), &sm.PutSecretValueInput{SecretId: aws.String("full"), SecretBinary: []byte{7}})
	require.NoError(t, err)

	out, err := f.BatchGetSecretValue(t.Context(), &sm.BatchGetSecretValueInput{
		SecretIdList: []string{aws.ToString(full.ARN), "empty", "going", "missing"},
	})
	require.NoError(t, err)
	require.Len(t, out.SecretValues, 1)
	got := out.SecretValues[0]
	assert.Equal(t, aws.ToString(full.ARN), aws.ToString(got.ARN))
	assert.Equal(t, "full", aws.ToString(got.Name))
	assert.Equal(t, []byte{7}, got.SecretBinary, "the AWSCURRENT value")
	assert.Nil(t, got.SecretString)
	assert.Equal(t, []string{fakesm.StageCurrent}, got.VersionStages)
	codes := map[string]string{}
	for _, e := range out.Errors {
		codes[aws.ToString(e.SecretId)] = aws.ToString(e.ErrorCode)
	}
	assert.Equal(t, map[string]string{
		"empty": "ResourceNotFoundException", "going": "InvalidRequestException", "missing": "ResourceNotFoundException",
	}, codes)
	assert.Equal(t, 1, f.Calls()[fakesm.OpBatchGetSecretValue])
}

func TestBatchGetSecretValueInputRules(t *testing.T) {
	f := fakesm.New()
	create(t, f, "s", aws.String("v"))
	tooMany := make([]string, 21)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("s%d", i)
	}
	for name, in := range map[string]*sm.BatchGetSecretValueInput{
		"neither list nor filters": {},
		"both":                     {SecretIdList: []string{"s"}, Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{"s"}}}},
		"21 secrets":               {SecretIdList: tooMany},
		"MaxResults with a list":   {SecretIdList: []string{"s"}, MaxResults: aws.Int32(5)},
		"MaxResults over 20":       {Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{"s"}}}, MaxResults: aws.Int32(21)},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.BatchGetSecretValue(t.Context(), in)
			requireErrorAs[*types.InvalidParameterException](t, err)
		})
	}
}

// Found by the differential suite (tests/differential): AWS reads the
// secrets that pass Filters, as ListSecrets filters them; the fake refused
// Filters.
func TestBatchGetSecretValueWithFilters(t *testing.T) {
	f := fakesm.New()
	for _, name := range []string{"batch/b", "batch/a", "batch/c", "other"} {
		create(t, f, name, aws.String("value of "+name))
	}
	create(t, f, "batch/empty", nil)
	byName := []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{"batch/"}}}

	out, err := f.BatchGetSecretValue(t.Context(), &sm.BatchGetSecretValueInput{Filters: byName, MaxResults: aws.Int32(3)})
	require.NoError(t, err)
	var names []string
	for _, v := range out.SecretValues {
		names = append(names, aws.ToString(v.Name))
	}
	assert.Equal(t, []string{"batch/b", "batch/a", "batch/c"}, names, "oldest first, as ListSecrets lists them, a page of MaxResults")
	assert.Equal(t, "value of batch/b", aws.ToString(out.SecretValues[0].SecretString))
	require.NotNil(t, out.NextToken)

	out, err = f.BatchGetSecretValue(t.Context(), &sm.BatchGetSecretValueInput{Filters: byName, MaxResults: aws.Int32(3), NextToken: out.NextToken})
	require.NoError(t, err)
	assert.Empty(t, out.SecretValues)
	require.Len(t, out.Errors, 1, "a secret without a value fails alone")
	assert.Contains(t, aws.ToString(out.Errors[0].SecretId), ":secret:batch/empty-")
	assert.Nil(t, out.NextToken)

	_, err = f.BatchGetSecretValue(t.Context(), &sm.BatchGetSecretValueInput{Filters: []types.Filter{{Key: "colour", Values: []string{"x"}}}})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "ValidationException", api.ErrorCode())
}

// Found by the differential suite (tests/differential): AWS reports when a
// secret and a version were last read, to the day; the fake reported nothing.
func TestLastAccessedDateIsTheDayOfTheLastRead(t *testing.T) {
	now := time.Date(2026, 3, 4, 15, 30, 0, 0, time.UTC)
	f := fakesm.New(fakesm.WithClock(func() time.Time { return now }))
	create(t, f, "read", aws.String("v1"))
	create(t, f, "unread", aws.String("v1"))

	described, err := f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String("read")})
	require.NoError(t, err)
	assert.Nil(t, described.LastAccessedDate, "never read")

	_, err = f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("read")})
	require.NoError(t, err)
	now = now.Add(24 * time.Hour)
	_, err = f.BatchGetSecretValue(t.Context(), &sm.BatchGetSecretValueInput{SecretIdList: []string{"read"}})
	require.NoError(t, err)
	day := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)

	described, err = f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String("read")})
	require.NoError(t, err)
	assert.Equal(t, day, aws.ToTime(described.LastAccessedDate))
	versions, err := f.ListSecretVersionIds(t.Context(), &sm.ListSecretVersionIdsInput{SecretId: aws.String("read")})
	require.NoError(t, err)
	assert.Equal(t, day, aws.ToTime(versions.Versions[0].LastAccessedDate))
	listed, err := f.ListSecrets(t.Context(), &sm.ListSecretsInput{})
	require.NoError(t, err)
	require.Len(t, listed.SecretList, 2)
	assert.Equal(t, day, aws.ToTime(listed.SecretList[0].LastAccessedDate))
	assert.Nil(t, listed.SecretList[1].LastAccessedDate, "unread")
}

// Found by the differential suite (tests/differential): a VersionId and a
// VersionStage that name different versions are an InvalidRequestException
// on AWS (as moto, verified against AWS in getmoto/moto#5238), where the
// fake answered InvalidParameterException.
func TestGetSecretValueVersionIdAndStageMustAgree(t *testing.T) {
	f := fakesm.New()
	create(t, f, "s", aws.String("v1"))
	snap, _ := f.Snapshot("s")
	var v1 string
	for id := range snap.VersionStages {
		v1 = id
	}
	put(t, f, "s", "v2")
	_, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("s"), VersionId: aws.String(v1), VersionStage: aws.String(fakesm.StagePrevious)})
	require.NoError(t, err, "they agree")
	_, err = f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: aws.String("s"), VersionId: aws.String(v1), VersionStage: aws.String(fakesm.StageCurrent)})
	requireErrorAs[*types.InvalidRequestException](t, err)
}
