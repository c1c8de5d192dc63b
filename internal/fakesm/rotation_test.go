package fakesm_test

import (
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

const rotationLambda = "arn:aws:lambda:us-east-1:123456789012:function:rotate"

func mustRotate(t *testing.T, f *fakesm.Fake, in *sm.RotateSecretInput) *sm.RotateSecretOutput {
	t.Helper()
	out, err := f.RotateSecret(t.Context(), in)
	require.NoError(t, err)
	return out
}

func rotDays(n int64) *types.RotationRulesType {
	return &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(n)}
}

func rotSchedule(expr string) *types.RotationRulesType {
	return &types.RotationRulesType{ScheduleExpression: aws.String(expr)}
}

func TestRotateSecretStartsARotation(t *testing.T) {
	c := newClock()
	f := fakesm.New(fakesm.WithClock(c.Now))
	s := create(t, f, "app/db", aws.String("v1"))
	current := stagesOf(t, f, "app/db")

	out := mustRotate(t, f, &sm.RotateSecretInput{
		SecretId: s.ARN, ClientRequestToken: aws.String(token1), RotationLambdaARN: aws.String(rotationLambda),
		RotationRules: &types.RotationRulesType{ScheduleExpression: aws.String("rate(4 hours)"), Duration: aws.String("2h")},
	})
	assert.Equal(t, s.ARN, out.ARN)
	assert.Equal(t, token1, aws.ToString(out.VersionId), "RotateImmediately defaults to true; the new version is the token's")

	stages := stagesOf(t, f, "app/db")
	assert.Equal(t, []string{fakesm.StagePending}, stages[token1], "the new version is pending, not current")
	for id, labels := range current {
		assert.Equal(t, labels, stages[id], "AWSCURRENT stays where it was until the rotation completes")
	}
	v, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: s.ARN, VersionStage: aws.String(fakesm.StagePending)})
	require.NoError(t, err)
	assert.Nil(t, v.SecretString, "the rotation function has not stored a value yet")

	d := describe(t, f, "app/db")
	assert.True(t, aws.ToBool(d.RotationEnabled))
	assert.Equal(t, rotationLambda, aws.ToString(d.RotationLambdaARN))
	assert.Equal(t, "rate(4 hours)", aws.ToString(d.RotationRules.ScheduleExpression))
	assert.Equal(t, "2h", aws.ToString(d.RotationRules.Duration))
	assert.Nil(t, d.LastRotatedDate, "no rotation has completed")
	// 03:04 → the next 4-hour window opens at 04:00.
	require.NotNil(t, d.NextRotationDate)
	assert.Equal(t, time.Date(2025, 1, 2, 4, 0, 0, 0, time.UTC), *d.NextRotationDate)
}

func TestRotateSecretWithoutRotatingImmediately(t *testing.T) {
	c := newClock()
	f := fakesm.New(fakesm.WithClock(c.Now))
	s := create(t, f, "app/db", aws.String("v1"))
	before := stagesOf(t, f, "app/db")
	out := mustRotate(t, f, &sm.RotateSecretInput{
		SecretId: s.ARN, ClientRequestToken: aws.String(token1), RotationLambdaARN: aws.String(rotationLambda),
		RotationRules: rotDays(30), RotateImmediately: aws.Bool(false),
	})
	assert.Nil(t, out.VersionId)
	assert.Equal(t, before, stagesOf(t, f, "app/db"), "no version is created")
	d := describe(t, f, "app/db")
	assert.True(t, aws.ToBool(d.RotationEnabled))
	assert.Equal(t, int64(30), aws.ToInt64(d.RotationRules.AutomaticallyAfterDays))
	require.NotNil(t, d.NextRotationDate)
	assert.Equal(t, time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), *d.NextRotationDate, "midnight, 30 days on")
	// Without rotation in progress, it can be called again at once.
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, RotationRules: rotDays(7), RotateImmediately: aws.Bool(false)})
	assert.Equal(t, rotationLambda, aws.ToString(describe(t, f, "app/db").RotationLambdaARN), "the function is kept")
}

func TestRotateSecretRefusedWhileARotationIsInProgress(t *testing.T) {
	f := fakesm.New()
	s := create(t, f, "app/db", aws.String("v1"))
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, ClientRequestToken: aws.String(token1),
		RotationLambdaARN: aws.String(rotationLambda), RotationRules: rotDays(30)})

	for _, immediately := range []bool{true, false} {
		_, err := f.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: s.ARN, ClientRequestToken: aws.String(token2),
			RotationRules: rotDays(7), RotateImmediately: aws.Bool(immediately)})
		invalid := errorAs[*types.InvalidRequestException](t, err)
		assert.Equal(t, fakesm.RotationInProgressMessage, invalid.ErrorMessage())
	}
	assert.Equal(t, int64(30), aws.ToInt64(describe(t, f, "app/db").RotationRules.AutomaticallyAfterDays), "a refused call changes nothing")

	// A retry with the rotation's own token is answered like the first call.
	out := mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, ClientRequestToken: aws.String(token1),
		RotationLambdaARN: aws.String(rotationLambda), RotationRules: rotDays(30)})
	assert.Equal(t, token1, aws.ToString(out.VersionId))
	assert.Len(t, stagesOf(t, f, "app/db"), 2, "no second rotation")
}

func TestCompleteRotation(t *testing.T) {
	c := newClock()
	f := fakesm.New(fakesm.WithClock(c.Now))
	s := create(t, f, "app/db", aws.String("v1"))
	first := describe(t, f, "app/db")
	var oldCurrent string
	for id := range first.VersionIdsToStages {
		oldCurrent = id
	}
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, ClientRequestToken: aws.String(token1),
		RotationLambdaARN: aws.String(rotationLambda), RotationRules: rotDays(10)})
	c.Advance(2 * time.Hour)
	require.NoError(t, f.CompleteRotation("app/db", "v2"))

	stages := stagesOf(t, f, "app/db")
	assert.ElementsMatch(t, []string{fakesm.StageCurrent, fakesm.StagePending}, stages[token1],
		"AWSCURRENT moves to the new version; AWSPENDING may stay beside it")
	assert.Equal(t, []string{fakesm.StagePrevious}, stages[oldCurrent])
	v, err := f.GetSecretValue(t.Context(), &sm.GetSecretValueInput{SecretId: s.ARN})
	require.NoError(t, err)
	assert.Equal(t, "v2", aws.ToString(v.SecretString))

	d := describe(t, f, "app/db")
	require.NotNil(t, d.LastRotatedDate)
	assert.Equal(t, c.Now(), *d.LastRotatedDate)
	assert.Equal(t, time.Date(2025, 1, 12, 0, 0, 0, 0, time.UTC), *d.NextRotationDate)

	// No longer in progress: the next RotateSecret starts a new rotation,
	// taking AWSPENDING from the current version.
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, ClientRequestToken: aws.String(token2)})
	stages = stagesOf(t, f, "app/db")
	assert.Equal(t, []string{fakesm.StageCurrent}, stages[token1])
	assert.Equal(t, []string{fakesm.StagePending}, stages[token2])

	require.Error(t, fakesm.New().CompleteRotation("app/db", "x"), "unknown secret")
	f2 := fakesm.New()
	create(t, f2, "idle", aws.String("v1"))
	require.Error(t, f2.CompleteRotation("idle", "x"), "no rotation in progress")
}

func TestFailRotationLeavesAWSPENDINGUntilRemoved(t *testing.T) {
	f := fakesm.New()
	s := create(t, f, "app/db", aws.String("v1"))
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, ClientRequestToken: aws.String(token1),
		RotationLambdaARN: aws.String(rotationLambda), RotationRules: rotDays(10)})
	pending, err := f.FailRotation("app/db")
	require.NoError(t, err)
	assert.Equal(t, token1, pending)
	assert.Equal(t, []string{fakesm.StagePending}, stagesOf(t, f, "app/db")[token1])

	_, err = f.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: s.ARN, ClientRequestToken: aws.String(token2)})
	requireErrorAs[*types.InvalidRequestException](t, err)

	_, err = f.UpdateSecretVersionStage(t.Context(), &sm.UpdateSecretVersionStageInput{SecretId: s.ARN,
		VersionStage: aws.String(fakesm.StagePending), RemoveFromVersionId: aws.String(pending)})
	require.NoError(t, err)
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, ClientRequestToken: aws.String(token2)})

	_, err = fakesm.New().FailRotation("app/db")
	require.Error(t, err)
}

func TestRotateSecretNeedsALambda(t *testing.T) {
	f := fakesm.New()
	s := create(t, f, "app/db", aws.String("v1"))
	_, err := f.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: s.ARN, RotationRules: rotDays(30)})
	invalid := errorAs[*types.InvalidRequestException](t, err)
	assert.Contains(t, invalid.ErrorMessage(), "No Lambda rotation function ARN")
	d := describe(t, f, "app/db")
	assert.Nil(t, d.RotationEnabled, "a secret never configured for rotation reports no RotationEnabled")
	assert.Nil(t, d.RotationRules)
	assert.Empty(t, stagesOf(t, f, "app/db")[token1])
}

func TestRotateSecretValidation(t *testing.T) {
	f := fakesm.New()
	s := create(t, f, "app/db", aws.String("v1"))
	for name, in := range map[string]*sm.RotateSecretInput{
		"both schedules": {RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(3), ScheduleExpression: aws.String("rate(3 days)")}},
		"days 0":         {RotationRules: rotDays(0)},
		"days 1001":      {RotationRules: rotDays(1001)},
		"not rate/cron":  {RotationRules: rotSchedule("every day")},
		"duration form":  {RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(3), Duration: aws.String("3 hours")}},
		"duration 25h":   {RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(3), Duration: aws.String("25h")}},
		"short token":    {ClientRequestToken: aws.String("short"), RotationRules: rotDays(3)},
		"empty lambda":   {RotationLambdaARN: aws.String(""), RotationRules: rotDays(3)},
	} {
		t.Run(name, func(t *testing.T) {
			in.SecretId = s.ARN
			if in.RotationLambdaARN == nil {
				in.RotationLambdaARN = aws.String(rotationLambda)
			}
			_, err := f.RotateSecret(t.Context(), in)
			requireErrorAs[*types.InvalidParameterException](t, err)
		})
	}
	assert.Nil(t, describe(t, f, "app/db").RotationEnabled, "nothing was configured")
}

func TestCancelRotateSecret(t *testing.T) {
	f := fakesm.New()
	s := create(t, f, "app/db", aws.String("v1"))

	// Without a rotation in progress.
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, RotationLambdaARN: aws.String(rotationLambda),
		RotationRules: rotDays(30), RotateImmediately: aws.Bool(false)})
	out, err := f.CancelRotateSecret(t.Context(), &sm.CancelRotateSecretInput{SecretId: aws.String("app/db")})
	require.NoError(t, err)
	assert.Equal(t, s.ARN, out.ARN)
	assert.Nil(t, out.VersionId)
	d := describe(t, f, "app/db")
	require.NotNil(t, d.RotationEnabled)
	assert.False(t, *d.RotationEnabled)
	assert.Nil(t, d.NextRotationDate)
	assert.Equal(t, rotationLambda, aws.ToString(d.RotationLambdaARN), "the function and rules stay")
	assert.Equal(t, int64(30), aws.ToInt64(d.RotationRules.AutomaticallyAfterDays))

	// During a rotation: cancelled, but the label stays, as on AWS, and
	// keeps blocking RotateSecret until it is removed.
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, ClientRequestToken: aws.String(token1)})
	out, err = f.CancelRotateSecret(t.Context(), &sm.CancelRotateSecretInput{SecretId: s.ARN})
	require.NoError(t, err)
	assert.Equal(t, token1, aws.ToString(out.VersionId))
	assert.Equal(t, []string{fakesm.StagePending}, stagesOf(t, f, "app/db")[token1])
	assert.False(t, aws.ToBool(describe(t, f, "app/db").RotationEnabled))
	_, err = f.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: s.ARN, ClientRequestToken: aws.String(token2)})
	requireErrorAs[*types.InvalidRequestException](t, err)
}

func TestRotationOnMissingOrDeletedSecret(t *testing.T) {
	f := fakesm.New()
	_, err := f.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: aws.String("nope"), RotationLambdaARN: aws.String(rotationLambda)})
	requireErrorAs[*types.ResourceNotFoundException](t, err)
	_, err = f.CancelRotateSecret(t.Context(), &sm.CancelRotateSecretInput{SecretId: aws.String("nope")})
	requireErrorAs[*types.ResourceNotFoundException](t, err)

	s := create(t, f, "app/db", aws.String("v1"))
	_, err = f.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: s.ARN})
	require.NoError(t, err)
	_, err = f.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: s.ARN, RotationLambdaARN: aws.String(rotationLambda)})
	assert.Contains(t, errorAs[*types.InvalidRequestException](t, err).ErrorMessage(), "marked for deletion")
	_, err = f.CancelRotateSecret(t.Context(), &sm.CancelRotateSecretInput{SecretId: s.ARN})
	assert.Contains(t, errorAs[*types.InvalidRequestException](t, err).ErrorMessage(), "marked for deletion")
}

func TestRotationCallsAreCountedAndInjectable(t *testing.T) {
	f := fakesm.New()
	s := create(t, f, "app/db", aws.String("v1"))
	f.ResetCalls()
	f.FailNext(fakesm.OpRotateSecret, &types.InternalServiceError{Message: aws.String("boom")})
	_, err := f.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: s.ARN, RotationLambdaARN: aws.String(rotationLambda), RotationRules: rotDays(3)})
	requireErrorAs[*types.InternalServiceError](t, err)
	assert.Nil(t, describe(t, f, "app/db").RotationEnabled, "an injected failure changes nothing")
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, RotationLambdaARN: aws.String(rotationLambda), RotationRules: rotDays(3)})
	_, err = f.CancelRotateSecret(t.Context(), &sm.CancelRotateSecretInput{SecretId: s.ARN})
	require.NoError(t, err)
	require.NoError(t, f.CompleteRotation("app/db", "v2"), "helpers are not counted")
	assert.Equal(t, map[string]int{fakesm.OpRotateSecret: 2, fakesm.OpCancelRotateSecret: 1, fakesm.OpDescribeSecret: 1}, f.Calls())
	in := f.Requests(fakesm.OpRotateSecret)[1].(*sm.RotateSecretInput)
	assert.Equal(t, int64(3), aws.ToInt64(in.RotationRules.AutomaticallyAfterDays))
}

func TestNextRotationDate(t *testing.T) {
	// The fake's clock: Thursday 2025-01-02 03:04:05 UTC.
	for _, tc := range []struct {
		rules *types.RotationRulesType
		want  time.Time
	}{
		{rotDays(1), time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)},
		{rotSchedule("rate(10 days)"), time.Date(2025, 1, 12, 0, 0, 0, 0, time.UTC)},
		{rotSchedule("rate(1 day)"), time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)},
		{rotSchedule("rate(4 hours)"), time.Date(2025, 1, 2, 4, 0, 0, 0, time.UTC)},
		{rotSchedule("rate(12 hours)"), time.Date(2025, 1, 2, 12, 0, 0, 0, time.UTC)},
		{rotSchedule("rate(23 hours)"), time.Date(2025, 1, 2, 23, 0, 0, 0, time.UTC)},
		{rotSchedule("cron(0 16 1,15 * ? *)"), time.Date(2025, 1, 15, 16, 0, 0, 0, time.UTC)},
		{rotSchedule("cron(0 4/12 * * ? *)"), time.Date(2025, 1, 2, 4, 0, 0, 0, time.UTC)},
		{rotSchedule("cron(0 0 ? * SUN#1 *)"), time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC)},
		{rotSchedule("cron(0 10 ? * MON-FRI *)"), time.Date(2025, 1, 2, 10, 0, 0, 0, time.UTC)},
		{rotSchedule("cron(0 16 L * ? *)"), time.Date(2025, 1, 31, 16, 0, 0, 0, time.UTC)},
		{rotSchedule("cron(0 8 ? * 6L *)"), time.Date(2025, 1, 31, 8, 0, 0, 0, time.UTC)},
		{rotSchedule("cron(0 9 1 JUL ? *)"), time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)},
	} {
		t.Run(aws.ToString(tc.rules.ScheduleExpression), func(t *testing.T) {
			c := newClock()
			f := fakesm.New(fakesm.WithClock(c.Now))
			s := create(t, f, "app/db", aws.String("v1"))
			mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, RotationLambdaARN: aws.String(rotationLambda),
				RotationRules: tc.rules, RotateImmediately: aws.Bool(false)})
			d := describe(t, f, "app/db")
			require.NotNil(t, d.NextRotationDate)
			assert.Equal(t, tc.want, *d.NextRotationDate)
		})
	}
}

func TestDescribeReportsDaysCalculatedFromARateInDays(t *testing.T) {
	f := fakesm.New()
	s := create(t, f, "app/db", aws.String("v1"))
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, RotationLambdaARN: aws.String(rotationLambda),
		RotationRules: rotSchedule("rate(10 days)"), RotateImmediately: aws.Bool(false)})
	r := describe(t, f, "app/db").RotationRules
	assert.Equal(t, "rate(10 days)", aws.ToString(r.ScheduleExpression))
	assert.Equal(t, int64(10), aws.ToInt64(r.AutomaticallyAfterDays), "as AWS calculates it")

	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, RotationRules: rotSchedule("rate(6 hours)"), RotateImmediately: aws.Bool(false)})
	assert.Nil(t, describe(t, f, "app/db").RotationRules.AutomaticallyAfterDays)
}

const externalRotationRole = "arn:aws:iam::123456789012:role/salesforce-rotation"

func externalMetadata(pairs ...string) []types.ExternalSecretRotationMetadataItem {
	var items []types.ExternalSecretRotationMetadataItem
	for i := 0; i+1 < len(pairs); i += 2 {
		items = append(items, types.ExternalSecretRotationMetadataItem{Key: aws.String(pairs[i]), Value: aws.String(pairs[i+1])})
	}
	return items
}

// A managed external secret is rotated by its partner through a role, with
// no Lambda function; DescribeSecret reports the role and the metadata, and
// a later RotateSecret that leaves them out keeps them, as it keeps a
// function.
func TestRotateSecretExternalRotationNeedsNoLambda(t *testing.T) {
	f := fakesm.New()
	s := create(t, f, "app/salesforce", aws.String("v1"))
	mustRotate(t, f, &sm.RotateSecretInput{
		SecretId: s.ARN, RotationRules: rotDays(30), RotateImmediately: aws.Bool(false),
		ExternalSecretRotationRoleArn:  aws.String(externalRotationRole),
		ExternalSecretRotationMetadata: externalMetadata("apiVersion", "v65.0", "adminSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf"),
	})
	d := describe(t, f, "app/salesforce")
	assert.True(t, aws.ToBool(d.RotationEnabled))
	assert.Nil(t, d.RotationLambdaARN, "no function")
	assert.Equal(t, externalRotationRole, aws.ToString(d.ExternalSecretRotationRoleArn))
	assert.Equal(t, externalMetadata("apiVersion", "v65.0", "adminSecretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf"),
		d.ExternalSecretRotationMetadata, "in the order given")

	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, RotationRules: rotDays(7), RotateImmediately: aws.Bool(false)})
	d = describe(t, f, "app/salesforce")
	assert.Equal(t, externalRotationRole, aws.ToString(d.ExternalSecretRotationRoleArn), "left out: kept")
	assert.Len(t, d.ExternalSecretRotationMetadata, 2, "left out: kept")
	assert.Equal(t, int64(7), aws.ToInt64(d.RotationRules.AutomaticallyAfterDays))

	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, RotateImmediately: aws.Bool(false),
		ExternalSecretRotationMetadata: externalMetadata("apiVersion", "v66.0")})
	assert.Equal(t, externalMetadata("apiVersion", "v66.0"), describe(t, f, "app/salesforce").ExternalSecretRotationMetadata,
		"given again: replaced as a whole")

	// Cancelling keeps them, as it keeps the function and the rules.
	_, err := f.CancelRotateSecret(t.Context(), &sm.CancelRotateSecretInput{SecretId: s.ARN})
	require.NoError(t, err)
	d = describe(t, f, "app/salesforce")
	assert.False(t, aws.ToBool(d.RotationEnabled))
	assert.Equal(t, externalRotationRole, aws.ToString(d.ExternalSecretRotationRoleArn))
	assert.Len(t, d.ExternalSecretRotationMetadata, 1)
}

func TestRotateSecretExternalRotationValidation(t *testing.T) {
	f := fakesm.New()
	s := create(t, f, "app/salesforce", aws.String("v1"))
	long := func(n int) string { return strings.Repeat("é", n) } // counted in characters, not bytes
	for name, in := range map[string]*sm.RotateSecretInput{
		"empty key":      {ExternalSecretRotationMetadata: externalMetadata("", "v")},
		"key of 257":     {ExternalSecretRotationMetadata: externalMetadata(long(257), "v")},
		"empty value":    {ExternalSecretRotationMetadata: externalMetadata("k", "")},
		"value of 2049":  {ExternalSecretRotationMetadata: externalMetadata("k", long(2049))},
		"missing value":  {ExternalSecretRotationMetadata: []types.ExternalSecretRotationMetadataItem{{Key: aws.String("k")}}},
		"empty role ARN": {ExternalSecretRotationRoleArn: aws.String("")},
	} {
		t.Run(name, func(t *testing.T) {
			in.SecretId, in.RotationRules = s.ARN, rotDays(30)
			if in.ExternalSecretRotationRoleArn == nil {
				in.ExternalSecretRotationRoleArn = aws.String(externalRotationRole)
			}
			_, err := f.RotateSecret(t.Context(), in)
			requireErrorAs[*types.InvalidParameterException](t, err)
		})
	}
	mustRotate(t, f, &sm.RotateSecretInput{SecretId: s.ARN, RotationRules: rotDays(30), RotateImmediately: aws.Bool(false),
		ExternalSecretRotationRoleArn:  aws.String(externalRotationRole),
		ExternalSecretRotationMetadata: externalMetadata(long(256), long(2048))})
	assert.Len(t, describe(t, f, "app/salesforce").ExternalSecretRotationMetadata, 1, "the longest key and value are accepted")
}
