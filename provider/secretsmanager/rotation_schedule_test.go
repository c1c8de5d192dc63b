package secretsmanager_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/provider"
	"github.com/smxlabs/pulumi-smx/provider/secretsmanager"
)

const (
	rotationType tokens.Type = "smx:secretsmanager:RotationSchedule"
)

const (
	rotationLambda      = "arn:aws:lambda:us-east-1:123456789012:function:rotate-db"
	otherRotationLambda = "arn:aws:lambda:us-east-1:123456789012:function:rotate-db-v2"
	rotatedSecret       = "app/db"
)

// newRotationHarness is the shared harness with one secret, app/db, and
// rotation waits shortened to keep the tests fast.
func newRotationHarness(t *testing.T) (*harness, created) {
	t.Helper()
	return newRotationHarnessWaiting(t, 300*time.Millisecond)
}

// newRotationHarnessWaiting is newRotationHarness whose wait for a rotation
// in progress lasts bound.
func newRotationHarnessWaiting(t *testing.T, bound time.Duration) (*harness, created) {
	t.Helper()
	h := newHarness(t, provider.WithTiming(rotationTiming(bound)))
	secret := h.create(secretType, "secret", pm{"name": str(rotatedSecret)})
	h.fake.ResetCalls()
	return h, secret
}

// rotationTiming waits up to bound for a rotation in progress, looking
// every 5 to 20 ms.
func rotationTiming(bound time.Duration) secretsmanager.Timing {
	timing := secretsmanager.DefaultTiming()
	timing.RotationWait, timing.RotationPoll, timing.MaxRotationPoll = bound, 5*time.Millisecond, 20*time.Millisecond
	return timing
}

// rotationInputs are a RotationSchedule's inputs: secretId, the rules, and any
// other inputs.
func rotationInputs(secretID string, rules pm, extra pm) pm {
	in := pm{"secretId": str(secretID), "rotationRules": object(rules)}
	for k, v := range extra {
		in[k] = v
	}
	return in
}

func withLambda(extra pm) pm {
	out := pm{"rotationLambdaArn": str(rotationLambda)}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// pendingVersions lists the versions of a secret that carry AWSPENDING
// without AWSCURRENT: the rotations in progress.
func pendingVersions(t *testing.T, f *fakesm.Fake, secretID string) []string {
	t.Helper()
	snap, ok := f.Snapshot(secretID)
	require.True(t, ok)
	var out []string
	for id, stages := range snap.VersionStages {
		hasPending, hasCurrent := false, false
		for _, s := range stages {
			hasPending = hasPending || s == fakesm.StagePending
			hasCurrent = hasCurrent || s == fakesm.StageCurrent
		}
		if hasPending && !hasCurrent {
			out = append(out, id)
		}
	}
	return out
}

func rotateRequests(t *testing.T, f *fakesm.Fake) []*sm.RotateSecretInput {
	t.Helper()
	var out []*sm.RotateSecretInput
	for _, r := range f.Requests(fakesm.OpRotateSecret) {
		out = append(out, r.(*sm.RotateSecretInput))
	}
	return out
}

// tryCreateRotation runs Check and Create and returns Create's error.
func (h *harness) tryCreateRotation(name string, news pm) (p.CreateResponse, error) {
	h.t.Helper()
	inputs := h.checkOK(rotationType, name, property.Map{}, news)
	return h.server.Create(p.CreateRequest{Urn: urnOf(rotationType, name), Properties: inputs})
}

// tryUpdate runs Check, Diff and Update and returns Update's error.
func (h *harness) tryUpdate(r created, news pm) (p.UpdateResponse, error) {
	h.t.Helper()
	inputs, d := h.diff(r, news)
	require.True(h.t, d.HasChanges)
	return h.server.Update(p.UpdateRequest{ID: r.id, Urn: r.urn, State: r.state, Inputs: inputs, OldInputs: r.inputs})
}

// ---------------------------------------------------------------------------
// Check

func TestRotationScheduleCheckRules(t *testing.T) {
	t.Parallel()
	const (
		days       = "rotationRules.automaticallyAfterDays"
		expression = "rotationRules.scheduleExpression"
		duration   = "rotationRules.duration"
		rules      = "rotationRules"
		lambda     = "rotationLambdaArn"
	)
	type tc struct {
		name   string
		rules  pm
		lambda string // "" = rotationLambda
		prop   string // "" = valid
		reason string // a part of the reason
	}
	expr := func(e string) pm { return pm{"scheduleExpression": str(e)} }
	exprFor := func(e, d string) pm { return pm{"scheduleExpression": str(e), "duration": str(d)} }
	cases := []tc{
		// Valid schedules.
		{name: "days 1", rules: pm{"automaticallyAfterDays": num(1)}},
		{name: "days 1000", rules: pm{"automaticallyAfterDays": num(1000)}},
		{name: "days with a whole-day window", rules: pm{"automaticallyAfterDays": num(30), "duration": str("24h")}},
		{name: "days with a short window", rules: pm{"automaticallyAfterDays": num(30), "duration": str("3h")}},
		{name: "rate 4 hours", rules: expr("rate(4 hours)")},
		{name: "rate 23 hours", rules: expr("rate(23 hours)")},
		{name: "rate 24 hours", rules: expr("rate(24 hours)")},
		{name: "rate 1 day", rules: expr("rate(1 day)")},
		{name: "rate 10 days", rules: expr("rate(10 days)")},
		{name: "rate 999 days", rules: expr("rate(999 days)")},
		{name: "rate hours with a window as long as the interval", rules: exprFor("rate(4 hours)", "4h")},
		{name: "rate hours with a shorter window", rules: exprFor("rate(12 hours)", "6h")},
		{name: "rate days with a whole-day window", rules: exprFor("rate(7 days)", "24h")},
		{name: "cron twice a month", rules: expr("cron(0 16 1,15 * ? *)")},
		{name: "cron every 12 hours", rules: expr("cron(0 4/12 * * ? *)")},
		{name: "cron every 4 hours", rules: expr("cron(0 0/4 * * ? *)")},
		{name: "cron star increment", rules: expr("cron(0 */6 * * ? *)")},
		{name: "cron every 10 hours from 2", rules: expr("cron(0 2/10 * * ? *)")},
		{name: "cron range increment", rules: expr("cron(0 8-20/4 * * ? *)")},
		{name: "cron hour list", rules: exprFor("cron(0 0,12 * * ? *)", "12h")},
		{name: "cron weekly increment of days", rules: expr("cron(0 8 1/7 * ? *)")},
		{name: "cron first Sunday", rules: expr("cron(0 0 ? * SUN#1 *)")},
		{name: "cron last day of month", rules: expr("cron(0 16 L * ? *)")},
		{name: "cron last Friday", rules: expr("cron(0 16 ? * 6L *)")},
		{name: "cron weekdays", rules: expr("cron(0 8 ? * MON-FRI *)")},
		{name: "cron months by name", rules: expr("cron(0 10 ? JAN,JUL MON *)")},
		{name: "cron window to midnight", rules: exprFor("cron(0 4 * * ? *)", "20h")},
		{name: "lambda with an alias", rules: expr("rate(10 days)"), lambda: rotationLambda + ":live"},
		{name: "lambda in GovCloud", rules: expr("rate(10 days)"), lambda: "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:rotate"},

		// Exactly one of days and expression.
		{name: "neither", rules: pm{"duration": str("2h")}, prop: rules, reason: "exactly one of automaticallyAfterDays"},
		{name: "both", rules: pm{"automaticallyAfterDays": num(30), "scheduleExpression": str("rate(10 days)")}, prop: expression, reason: "conflicts"},

		// Days.
		{name: "days 0", rules: pm{"automaticallyAfterDays": num(0)}, prop: days, reason: "1 to 1000"},
		{name: "days 1001", rules: pm{"automaticallyAfterDays": num(1001)}, prop: days, reason: "1 to 1000"},

		// rate().
		{name: "rate 3 hours", rules: expr("rate(3 hours)"), prop: expression, reason: "every 4 hours"},
		{name: "rate 1 hour", rules: expr("rate(1 hour)"), prop: expression, reason: "every 4 hours"},
		{name: "rate minutes", rules: expr("rate(30 minutes)"), prop: expression, reason: "every 4 hours"},
		{name: "rate beyond 999 days in hours", rules: expr("rate(23977 hours)"), prop: expression, reason: "at most 23976 hours"},
		{name: "rate plural for one", rules: expr("rate(1 days)"), prop: expression, reason: `"rate(1 day)"`},
		{name: "rate singular for many", rules: expr("rate(2 day)"), prop: expression, reason: `"rate(2 days)"`},
		{name: "rate 0 days", rules: expr("rate(0 days)"), prop: expression, reason: "positive whole number"},
		{name: "rate 1000 days", rules: expr("rate(1000 days)"), prop: expression, reason: "at most 999 days"},
		{name: "rate leading zero", rules: expr("rate(04 hours)"), prop: expression, reason: "positive whole number"},
		{name: "rate words", rules: expr("rate(ten days)"), prop: expression, reason: "positive whole number"},
		{name: "rate weeks", rules: expr("rate(4 weeks)"), prop: expression, reason: "hours or days"},
		{name: "rate two spaces", rules: expr("rate(4  hours)"), prop: expression, reason: "rate(<number> <unit>)"},
		{name: "rate unclosed", rules: expr("rate(4 hours"), prop: expression, reason: "rate(<number> <unit>)"},
		{name: "not an expression", rules: expr("every 4 hours"), prop: expression, reason: "rate() expression"},
		{name: "empty expression", rules: expr(""), prop: expression, reason: "rate() expression"},

		// cron().
		{name: "cron 5 fields", rules: expr("cron(0 16 1,15 * ?)"), prop: expression, reason: "exactly 6 fields"},
		{name: "cron 7 fields", rules: expr("cron(0 16 1,15 * ? * *)"), prop: expression, reason: "exactly 6 fields"},
		{name: "cron minutes", rules: expr("cron(30 16 * * ? *)"), prop: expression, reason: "minutes field"},
		{name: "cron year", rules: expr("cron(0 16 * * ? 2026)"), prop: expression, reason: "year field"},
		{name: "cron every hour", rules: expr("cron(0 * * * ? *)"), prop: expression, reason: "every 4 hours"},
		{name: "cron every 2 hours", rules: expr("cron(0 0/2 * * ? *)"), prop: expression, reason: "2 hours apart"},
		{name: "cron hour range", rules: expr("cron(0 8-17 * * ? *)"), prop: expression, reason: "1 hours apart"},
		{name: "cron hours too close", rules: expr("cron(0 0,2 * * ? *)"), prop: expression, reason: "2 hours apart"},
		{name: "cron hour 24", rules: expr("cron(0 24 * * ? *)"), prop: expression, reason: "hours field"},
		{name: "cron hour question mark", rules: expr("cron(0 ? * * ? *)"), prop: expression, reason: "hours field"},
		{name: "cron hour reversed range", rules: expr("cron(0 20-8 * * ? *)"), prop: expression, reason: "hours field"},
		{name: "cron no question mark", rules: expr("cron(0 16 * * * *)"), prop: expression, reason: "? in exactly one"},
		{name: "cron two question marks", rules: expr("cron(0 16 ? * ? *)"), prop: expression, reason: "both day fields"},
		{name: "cron day 32", rules: expr("cron(0 16 32 * ? *)"), prop: expression, reason: "day-of-month"},
		{name: "cron month 13", rules: expr("cron(0 16 * 13 ? *)"), prop: expression, reason: "month field"},
		{name: "cron sixth Monday", rules: expr("cron(0 16 ? * MON#6 *)"), prop: expression, reason: "day-of-week"},
		{name: "cron unknown day", rules: expr("cron(0 16 ? * FUNDAY *)"), prop: expression, reason: "day-of-week"},
		{name: "cron unclosed", rules: expr("cron(0 16 * * ? *"), prop: expression, reason: `end with ")"`},

		// duration.
		{name: "duration 0h", rules: exprFor("rate(10 days)", "0h"), prop: duration, reason: "from 1 to 24"},
		{name: "duration 25h", rules: exprFor("rate(10 days)", "25h"), prop: duration, reason: "at most 24h"},
		{name: "duration without unit", rules: exprFor("rate(10 days)", "3"), prop: duration, reason: `"3h"`},
		{name: "duration upper-case unit", rules: exprFor("rate(10 days)", "3H"), prop: duration, reason: `"3h"`},
		{name: "duration fraction", rules: exprFor("rate(10 days)", "1.5h"), prop: duration, reason: `"3h"`},
		{name: "duration leading zero", rules: exprFor("rate(10 days)", "03h"), prop: duration, reason: `"3h"`},
		{name: "duration minutes", rules: exprFor("rate(10 days)", "90m"), prop: duration, reason: `"3h"`},
		{name: "window longer than rate", rules: exprFor("rate(4 hours)", "5h"), prop: duration, reason: "runs into the next one"},
		{name: "window past midnight", rules: exprFor("cron(0 20 * * ? *)", "5h"), prop: duration, reason: "past midnight"},
		{name: "window into the next cron window", rules: exprFor("cron(0 0,6 * * ? *)", "7h"), prop: duration, reason: "runs into the next one"},

		// rotationLambdaArn.
		{name: "lambda short account", rules: expr("rate(10 days)"), lambda: "arn:aws:lambda:us-east-1:123:function:x", prop: lambda, reason: "ARN of a Lambda function"},
		{name: "lambda role ARN", rules: expr("rate(10 days)"), lambda: "arn:aws:iam::123456789012:role/rotate", prop: lambda, reason: "ARN of a Lambda function"},
		{name: "lambda name only", rules: expr("rate(10 days)"), lambda: "rotate-db", prop: lambda, reason: "ARN of a Lambda function"},
		{name: "lambda without region", rules: expr("rate(10 days)"), lambda: "arn:aws:lambda::123456789012:function:x", prop: lambda, reason: "ARN of a Lambda function"},
	}
	h := newHarness(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.t = t
			lambdaARN := c.lambda
			if lambdaARN == "" {
				lambdaARN = rotationLambda
			}
			resp := h.check(rotationType, "rotation", property.Map{},
				rotationInputs(rotatedSecret, c.rules, pm{"rotationLambdaArn": str(lambdaARN)}))
			if c.prop == "" {
				assert.Empty(t, resp.Failures)
				return
			}
			require.Len(t, resp.Failures, 1, "%v", resp.Failures)
			reasons := failuresOn(resp, c.prop)
			require.Lenf(t, reasons, 1, "want a failure on %s, got %v", c.prop, resp.Failures)
			assert.Contains(t, reasons[0], c.reason)
		})
	}
	assert.Zero(t, h.fake.TotalCalls(), "Check makes no API call")
}

func TestRotationScheduleCheckSecretIDAndRequiredRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	resp := h.check(rotationType, "rotation", property.Map{}, rotationInputs("", pm{"automaticallyAfterDays": num(30)}, nil))
	assert.Len(t, failuresOn(resp, "secretId"), 1)

	resp = h.check(rotationType, "rotation", property.Map{}, pm{"secretId": str(rotatedSecret)})
	assert.NotEmpty(t, resp.Failures, "rotationRules is required, as in pulumi-aws")
	assert.Zero(t, h.fake.TotalCalls())
}

func TestRotationScheduleCheckDefaultsRotateImmediately(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inputs := h.checkOK(rotationType, "rotation", property.Map{}, rotationInputs(rotatedSecret, pm{"automaticallyAfterDays": num(30)}, nil))
	assert.Equal(t, boolean(true), inputs.Get("rotateImmediately"))
	inputs = h.checkOK(rotationType, "rotation", property.Map{},
		rotationInputs(rotatedSecret, pm{"automaticallyAfterDays": num(30)}, pm{"rotateImmediately": boolean(false)}))
	assert.Equal(t, boolean(false), inputs.Get("rotateImmediately"))
}

func TestRotationScheduleCheckUnknownsAreNotValidated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for name, news := range map[string]pm{
		"secretId":           rotationInputs("", pm{"automaticallyAfterDays": num(30)}, pm{"secretId": computed()}),
		"rotationLambdaArn":  rotationInputs(rotatedSecret, pm{"automaticallyAfterDays": num(30)}, pm{"rotationLambdaArn": computed()}),
		"rotationRules":      {"secretId": str(rotatedSecret), "rotationRules": computed()},
		"scheduleExpression": rotationInputs(rotatedSecret, pm{"scheduleExpression": computed(), "duration": str("20h")}, nil),
		"automaticallyAfterDays beside an expression": rotationInputs(rotatedSecret,
			pm{"automaticallyAfterDays": computed(), "scheduleExpression": str("rate(10 days)")}, nil),
		"duration": rotationInputs(rotatedSecret, pm{"scheduleExpression": str("rate(4 hours)"), "duration": computed()}, nil),
	} {
		t.Run(name, func(t *testing.T) {
			h.t = t
			resp := h.check(rotationType, "rotation", property.Map{}, news)
			assert.Empty(t, resp.Failures)
		})
	}
	assert.Zero(t, h.fake.TotalCalls())
}

func TestRotationScheduleCheckLambdaCannotBeRemoved(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	olds := h.checkOK(rotationType, "rotation", property.Map{}, rotationInputs(rotatedSecret, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	resp := h.check(rotationType, "rotation", olds, rotationInputs(rotatedSecret, pm{"automaticallyAfterDays": num(30)}, nil))
	reasons := failuresOn(resp, "rotationLambdaArn")
	require.Len(t, reasons, 1)
	assert.Contains(t, reasons[0], "cannot be removed")
	assert.Contains(t, reasons[0], rotationLambda)
	// Changing it is fine.
	h.checkOK(rotationType, "rotation", olds, rotationInputs(rotatedSecret, pm{"automaticallyAfterDays": num(30)}, pm{"rotationLambdaArn": str(otherRotationLambda)}))
	assert.Zero(t, h.fake.TotalCalls())
}

// ---------------------------------------------------------------------------
// Create

func TestRotationScheduleCreateRotatesImmediately(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"scheduleExpression": str("rate(4 hours)"), "duration": str("2h")}, withLambda(nil)))

	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 2, fakesm.OpRotateSecret: 1}, h.fake.Calls(),
		"one DescribeSecret to refuse a second schedule, one RotateSecret, one DescribeSecret for nextRotationDate; the preview makes none")
	assert.Equal(t, secret.id, r.id, "the ID is the secret's ARN")
	in := rotateRequests(t, h.fake)[0]
	assert.Equal(t, secret.id, aws.ToString(in.SecretId))
	assert.Equal(t, rotationLambda, aws.ToString(in.RotationLambdaARN))
	assert.Equal(t, "rate(4 hours)", aws.ToString(in.RotationRules.ScheduleExpression))
	assert.Equal(t, "2h", aws.ToString(in.RotationRules.Duration))
	assert.Nil(t, in.RotationRules.AutomaticallyAfterDays)
	assert.True(t, aws.ToBool(in.RotateImmediately), "rotateImmediately defaults to true")
	require.NotNil(t, in.ClientRequestToken)
	assert.GreaterOrEqual(t, len(*in.ClientRequestToken), 32)

	// AWS started a rotation: its version is the token's.
	assert.Equal(t, []string{*in.ClientRequestToken}, pendingVersions(t, h.fake, rotatedSecret))
	d := h.describe(rotatedSecret)
	assert.True(t, aws.ToBool(d.RotationEnabled))

	assert.Equal(t, boolean(true), r.state.Get("rotationEnabled"))
	assert.Equal(t, str(rotationLambda), r.state.Get("rotationLambdaArn"))
	requireRotationDate(t, getString(t, r.state, "nextRotationDate"), d.NextRotationDate)
}

func requireRotationDate(t *testing.T, got string, want *time.Time) {
	t.Helper()
	require.NotNil(t, want)
	when, err := time.Parse(time.RFC3339, got)
	require.NoErrorf(t, err, "%q is not RFC 3339", got)
	assert.True(t, when.Equal(want.Truncate(time.Second)), "got %s, want %s", when, want)
	assert.True(t, strings.HasSuffix(got, "Z"), "UTC: %s", got)
}

func TestRotationScheduleCreateWithoutRotatingImmediately(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)},
		withLambda(pm{"rotateImmediately": boolean(false)})))
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 2, fakesm.OpRotateSecret: 1}, h.fake.Calls())
	in := rotateRequests(t, h.fake)[0]
	require.NotNil(t, in.RotateImmediately)
	assert.False(t, *in.RotateImmediately)
	assert.Equal(t, int64(30), aws.ToInt64(in.RotationRules.AutomaticallyAfterDays))
	assert.Nil(t, in.RotationRules.ScheduleExpression)
	assert.Empty(t, pendingVersions(t, h.fake, rotatedSecret), "no rotation was started")
	assert.True(t, aws.ToBool(h.describe(rotatedSecret).RotationEnabled))
	assert.Equal(t, boolean(false), r.state.Get("rotateImmediately"))
	assert.Equal(t, boolean(true), r.state.Get("rotationEnabled"))
}

func TestRotationScheduleCreateBySecretName(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(rotatedSecret, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	assert.Equal(t, secret.id, r.id, "the ID is the ARN even when the program names the secret")
	assert.Equal(t, str(rotatedSecret), r.state.Get("secretId"), "secretId keeps the program's words")
	assert.Equal(t, secret.id, aws.ToString(rotateRequests(t, h.fake)[0].SecretId), "RotateSecret names the secret by its ARN")
}

func TestRotationSchedulePreviewMakesNoCall(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	inputs := h.checkOK(rotationType, "rotation", property.Map{}, rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	resp, err := h.server.Create(p.CreateRequest{Urn: urnOf(rotationType, "rotation"), Properties: inputs, DryRun: true})
	require.NoError(t, err)
	assert.Equal(t, str(rotationLambda), resp.Properties.Get("rotationLambdaArn"))
	assert.Zero(t, h.fake.TotalCalls())
}

func TestRotationScheduleSecondScheduleForOneSecretIsRejected(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	h.create(rotationType, "first", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	h.fake.ResetCalls()

	for name, secretID := range map[string]string{"by ARN": secret.id, "by name": rotatedSecret} {
		t.Run(name, func(t *testing.T) {
			h.t = t
			h.fake.ResetCalls()
			_, err := h.tryCreateRotation("second", rotationInputs(secretID, pm{"automaticallyAfterDays": num(7)}, withLambda(nil)))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "already has rotation configured")
			assert.Contains(t, err.Error(), "another RotationSchedule or outside Pulumi")
			assert.Contains(t, err.Error(), "pulumi import smx:secretsmanager:RotationSchedule <name> "+secret.id)
			assert.Contains(t, err.Error(), "aws secretsmanager cancel-rotate-secret --secret-id "+secret.id)
			assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "refused before any change")
		})
	}
	h.t = t
	d := h.describe(rotatedSecret)
	assert.Equal(t, int64(30), aws.ToInt64(d.RotationRules.AutomaticallyAfterDays), "the first schedule is untouched")
}

func TestRotationScheduleRotationConfiguredOutsidePulumiIsRejected(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	_, err := h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{
		SecretId: aws.String(secret.id), RotationLambdaARN: aws.String(rotationLambda),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(10)}, RotateImmediately: aws.Bool(false),
	})
	require.NoError(t, err)
	h.fake.ResetCalls()
	_, err = h.tryCreateRotation("rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already has rotation configured")
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
}

func TestRotationScheduleCreateForMissingOrDeletedSecret(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	_, err := h.tryCreateRotation("rotation", rotationInputs("no/such/secret", pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not found or scheduled for deletion")

	require.NoError(t, h.delete(secret))
	h.fake.ResetCalls()
	_, err = h.tryCreateRotation("rotation", rotationInputs(rotatedSecret, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not found or scheduled for deletion")
	assert.Zero(t, h.fake.Calls()[fakesm.OpRotateSecret])
}

func TestRotationScheduleCreateWithoutAnyLambdaReportsAWSError(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	_, err := h.tryCreateRotation("rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "No Lambda rotation function ARN is associated with this secret")
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpRotateSecret], "not retried")
}

func TestRotationScheduleRetriesWhileLambdaPermissionPropagates(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	h.fake.FailNext(fakesm.OpRotateSecret, &smithy.GenericAPIError{
		Code:    "AccessDeniedException",
		Message: "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.",
	})
	h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	requests := rotateRequests(t, h.fake)
	require.Len(t, requests, 2)
	assert.Equal(t, aws.ToString(requests[0].ClientRequestToken), aws.ToString(requests[1].ClientRequestToken),
		"a retry reuses the write's token")
}

func TestRotationScheduleOtherErrorsAreNotRetried(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	h.fake.FailNext(fakesm.OpRotateSecret, &types.InternalServiceError{Message: aws.String("internal failure")})
	_, err := h.tryCreateRotation("rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "internal failure")
	assert.Contains(t, err.Error(), secret.id)
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpRotateSecret])
	assert.False(t, aws.ToBool(h.describe(rotatedSecret).RotationEnabled), "nothing half-configured")
}

// ---------------------------------------------------------------------------
// A rotation in progress

func TestRotationScheduleWaitsForRotationInProgress(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarnessWaiting(t, 5*time.Second)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	require.Len(t, pendingVersions(t, h.fake, rotatedSecret), 1, "the create started a rotation")
	h.fake.ResetCalls()

	done := make(chan error, 1)
	go func() {
		time.Sleep(50 * time.Millisecond)
		done <- h.fake.CompleteRotation(rotatedSecret, "rotated-value")
	}()
	r = h.update(r, rotationInputs(secret.id, pm{"automaticallyAfterDays": num(7)}, withLambda(nil)))
	require.NoError(t, <-done)

	requests := rotateRequests(t, h.fake)
	require.Len(t, requests, 2, "refused while the rotation ran, accepted once it was done")
	assert.Equal(t, aws.ToString(requests[0].ClientRequestToken), aws.ToString(requests[1].ClientRequestToken),
		"one token for the write, reused on the retry")
	assert.GreaterOrEqual(t, h.fake.Calls()[fakesm.OpDescribeSecret], 2, "polled, then read nextRotationDate")
	assert.Equal(t, int64(7), aws.ToInt64(h.describe(rotatedSecret).RotationRules.AutomaticallyAfterDays))
	assert.Equal(t, num(7), r.state.Get("rotationRules").AsMap().Get("automaticallyAfterDays"))
}

func TestRotationScheduleRotationInProgressBeyondTheBoundFails(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	pending, err := h.fake.FailRotation(rotatedSecret)
	require.NoError(t, err)
	h.fake.ResetCalls()

	start := time.Now()
	_, err = h.tryUpdate(r, rotationInputs(secret.id, pm{"automaticallyAfterDays": num(7)}, withLambda(nil)))
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second, "the wait is bounded")
	msg := err.Error()
	assert.Contains(t, msg, "still in progress")
	assert.Contains(t, msg, pending, "names the version of the stuck rotation")
	assert.Contains(t, msg, "aws secretsmanager cancel-rotate-secret --secret-id "+secret.id)
	assert.Contains(t, msg, "aws secretsmanager update-secret-version-stage --secret-id "+secret.id+
		" --version-stage AWSPENDING --remove-from-version-id "+pending)
	assert.GreaterOrEqual(t, h.fake.Calls()[fakesm.OpDescribeSecret], 2, "polled more than once, with backoff")
	for _, in := range rotateRequests(t, h.fake) {
		assert.Equal(t, aws.ToString(rotateRequests(t, h.fake)[0].ClientRequestToken), aws.ToString(in.ClientRequestToken))
	}
	assert.Equal(t, int64(30), aws.ToInt64(h.describe(rotatedSecret).RotationRules.AutomaticallyAfterDays), "unchanged")

	// Doing what the message says unblocks the update.
	_, err = h.fake.CancelRotateSecret(t.Context(), &sm.CancelRotateSecretInput{SecretId: aws.String(secret.id)})
	require.NoError(t, err)
	_, err = h.fake.UpdateSecretVersionStage(t.Context(), &sm.UpdateSecretVersionStageInput{
		SecretId: aws.String(secret.id), VersionStage: aws.String(fakesm.StagePending), RemoveFromVersionId: aws.String(pending),
	})
	require.NoError(t, err)
	h.update(r, rotationInputs(secret.id, pm{"automaticallyAfterDays": num(7)}, withLambda(nil)))
	assert.Equal(t, int64(7), aws.ToInt64(h.describe(rotatedSecret).RotationRules.AutomaticallyAfterDays))
}

// A schedule cancelled outside Pulumi in the middle of a rotation leaves
// AWSPENDING behind, which AWS treats as a rotation in progress. With
// rotation off nothing can finish it, so Create explains at once instead of
// waiting.
func TestRotationScheduleCreateBlockedByALeftoverRotationFailsAtOnce(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarnessWaiting(t, time.Minute)
	out, err := h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{
		SecretId: aws.String(secret.id), RotationLambdaARN: aws.String(rotationLambda),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(10)},
	})
	require.NoError(t, err)
	pending := aws.ToString(out.VersionId)
	_, err = h.fake.CancelRotateSecret(t.Context(), &sm.CancelRotateSecretInput{SecretId: aws.String(secret.id)})
	require.NoError(t, err)
	h.fake.ResetCalls()

	start := time.Now()
	_, err = h.tryCreateRotation("rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	require.Error(t, err)
	assert.Less(t, time.Since(start), 10*time.Second, "no waiting for a rotation that cannot finish")
	assert.Contains(t, err.Error(), pending)
	assert.Contains(t, err.Error(), "aws secretsmanager update-secret-version-stage --secret-id "+secret.id+
		" --version-stage AWSPENDING --remove-from-version-id "+pending)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())

	// Doing what the message says unblocks the create.
	_, err = h.fake.UpdateSecretVersionStage(t.Context(), &sm.UpdateSecretVersionStageInput{
		SecretId: aws.String(secret.id), VersionStage: aws.String(fakesm.StagePending), RemoveFromVersionId: aws.String(pending),
	})
	require.NoError(t, err)
	h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
}

// With rotation on, a rotation that started after Create's first look makes
// RotateSecret wait as an update does.
func TestRotationScheduleCreateWaitsForARotationThatStartedMeanwhile(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	h.fake.FailNext(fakesm.OpRotateSecret, &types.InvalidRequestException{Message: aws.String(fakesm.RotationInProgressMessage)})
	h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	assert.Equal(t, 2, h.fake.Calls()[fakesm.OpRotateSecret])
	assert.GreaterOrEqual(t, h.fake.Calls()[fakesm.OpDescribeSecret], 3, "the first look, a poll, and the read of nextRotationDate")
}

// ---------------------------------------------------------------------------
// Read

func TestRotationScheduleReadNoDrift(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	// AWS reports AutomaticallyAfterDays beside a rate() in days; it must not
	// show as drift.
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"scheduleExpression": str("rate(10 days)"), "duration": str("3h")}, withLambda(nil)))
	require.NotNil(t, h.describe(rotatedSecret).RotationRules.AutomaticallyAfterDays)
	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	assert.Equal(t, r.id, resp.ID)
	assert.Equal(t, r.inputs.Get("rotationRules"), resp.Inputs.Get("rotationRules"))
	assert.Equal(t, r.inputs.Get("rotationLambdaArn"), resp.Inputs.Get("rotationLambdaArn"))
	assert.Equal(t, r.state.Get("rotationRules"), resp.Properties.Get("rotationRules"))

	_, d := h.diff(created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}, rotationInputs(secret.id,
		pm{"scheduleExpression": str("rate(10 days)"), "duration": str("3h")}, withLambda(nil)))
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}

func TestRotationScheduleReadRotationTurnedOffIsGone(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(pm{"rotateImmediately": boolean(false)})))
	_, err := h.fake.CancelRotateSecret(t.Context(), &sm.CancelRotateSecretInput{SecretId: aws.String(secret.id)})
	require.NoError(t, err)
	h.fake.ResetCalls()
	resp := h.read(r)
	assert.Empty(t, resp.ID, "rotation turned off outside Pulumi reads as gone, so the next up turns it on again")
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())

	// ... and the next up does.
	h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	assert.True(t, aws.ToBool(h.describe(rotatedSecret).RotationEnabled))
}

func TestRotationScheduleReadReflectsChangesOutOfBand(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(pm{"rotateImmediately": boolean(false)})))
	_, err := h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{
		SecretId: aws.String(secret.id), RotationLambdaARN: aws.String(otherRotationLambda), RotateImmediately: aws.Bool(false),
		RotationRules: &types.RotationRulesType{ScheduleExpression: aws.String("cron(0 4 ? * MON *)"), Duration: aws.String("2h")},
	})
	require.NoError(t, err)
	h.fake.ResetCalls()

	resp := h.read(r)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	assert.Equal(t, r.id, resp.ID)
	for _, m := range []property.Map{resp.Properties, resp.Inputs} {
		assert.Equal(t, str(otherRotationLambda), m.Get("rotationLambdaArn"))
		rules := m.Get("rotationRules").AsMap()
		assert.Equal(t, str("cron(0 4 ? * MON *)"), rules.Get("scheduleExpression"))
		assert.Equal(t, str("2h"), rules.Get("duration"))
		_, hasDays := rules.GetOk("automaticallyAfterDays")
		assert.False(t, hasDays)
	}
	// The program's schedule shows as a change, updated in place.
	refreshed := created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
	_, d := h.diff(refreshed, rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(pm{"rotateImmediately": boolean(false)})))
	assert.Equal(t, map[string]p.PropertyDiff{
		"rotationRules":     {Kind: p.Update},
		"rotationLambdaArn": {Kind: p.Update},
	}, d.DetailedDiff)
}

func TestRotationScheduleReadDeletedSecretIsGone(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	require.NoError(t, h.delete(secret))
	assert.Empty(t, h.read(r).ID, "scheduled for deletion")
	require.NoError(t, h.fake.Purge(secret.id))
	assert.Empty(t, h.read(r).ID, "deleted")
}

func TestRotationScheduleImport(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	_, err := h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{
		SecretId: aws.String(secret.id), RotationLambdaARN: aws.String(rotationLambda), RotateImmediately: aws.Bool(false),
		RotationRules: &types.RotationRulesType{ScheduleExpression: aws.String("rate(10 days)")},
	})
	require.NoError(t, err)
	for _, id := range []string{secret.id, rotatedSecret} {
		resp, err := h.server.Read(p.ReadRequest{ID: id, Urn: urnOf(rotationType, "imported")})
		require.NoError(t, err)
		assert.Equal(t, secret.id, resp.ID)
		assert.Equal(t, str(secret.id), resp.Inputs.Get("secretId"))
		assert.Equal(t, str(rotationLambda), resp.Inputs.Get("rotationLambdaArn"))
		assert.Equal(t, str("rate(10 days)"), resp.Inputs.Get("rotationRules").AsMap().Get("scheduleExpression"))
		assert.Equal(t, boolean(true), resp.Properties.Get("rotationEnabled"))
		getString(t, resp.Properties, "nextRotationDate")

		// The program that matches shows no change after the import.
		imported := created{urn: urnOf(rotationType, "imported"), id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
		_, d := h.diff(imported, rotationInputs(secret.id, pm{"scheduleExpression": str("rate(10 days)")}, withLambda(nil)))
		assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
	}
}

// ---------------------------------------------------------------------------
// Diff and Update

func TestRotationScheduleDiff(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	other := h.create(secretType, "other", pm{"name": str("app/other")})
	base := pm{"automaticallyAfterDays": num(30)}
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, base, withLambda(nil)))
	byName := h.create(rotationType, "byName", rotationInputs("app/other", base, withLambda(nil)))
	cases := []struct {
		name    string
		r       created
		news    pm
		want    map[string]p.DiffKind
		replace bool
	}{
		{name: "no change", r: r, news: rotationInputs(secret.id, base, withLambda(nil))},
		{name: "ARN to name", r: r, news: rotationInputs(rotatedSecret, base, withLambda(nil))},
		{name: "name to ARN", r: byName, news: rotationInputs(other.id, base, withLambda(nil))},
		{name: "another secret", r: r, news: rotationInputs(other.id, base, withLambda(nil)),
			want: map[string]p.DiffKind{"secretId": p.UpdateReplace}, replace: true},
		{name: "unknown secret", r: r, news: rotationInputs("", base, withLambda(pm{"secretId": computed()})),
			want: map[string]p.DiffKind{"secretId": p.UpdateReplace}, replace: true},
		{name: "days", r: r, news: rotationInputs(secret.id, pm{"automaticallyAfterDays": num(7)}, withLambda(nil)),
			want: map[string]p.DiffKind{"rotationRules": p.Update}},
		{name: "days to expression", r: r, news: rotationInputs(secret.id, pm{"scheduleExpression": str("rate(30 days)")}, withLambda(nil)),
			want: map[string]p.DiffKind{"rotationRules": p.Update}},
		{name: "duration", r: r, news: rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30), "duration": str("4h")}, withLambda(nil)),
			want: map[string]p.DiffKind{"rotationRules": p.Update}},
		{name: "lambda", r: r, news: rotationInputs(secret.id, base, pm{"rotationLambdaArn": str(otherRotationLambda)}),
			want: map[string]p.DiffKind{"rotationLambdaArn": p.Update}},
		{name: "rotateImmediately", r: r, news: rotationInputs(secret.id, base, withLambda(pm{"rotateImmediately": boolean(false)})),
			want: map[string]p.DiffKind{"rotateImmediately": p.Update}},
	}
	h.fake.ResetCalls()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.t = t
			_, d := h.diff(c.r, c.news)
			got := map[string]p.DiffKind{}
			for k, v := range d.DetailedDiff {
				got[k] = v.Kind
			}
			if c.want == nil {
				c.want = map[string]p.DiffKind{}
			}
			assert.Equal(t, c.want, got)
			assert.Equal(t, len(c.want) > 0, d.HasChanges)
			assert.Equal(t, c.replace, d.DeleteBeforeReplace, "a replacement turns the old rotation off first")
		})
	}
	assert.Zero(t, h.fake.TotalCalls(), "Diff makes no API call")
}

func TestRotationScheduleUpdate(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)},
		withLambda(pm{"rotateImmediately": boolean(false)})))
	h.fake.ResetCalls()

	r = h.update(r, rotationInputs(secret.id, pm{"scheduleExpression": str("cron(0 16 1,15 * ? *)"), "duration": str("2h")},
		pm{"rotationLambdaArn": str(otherRotationLambda), "rotateImmediately": boolean(false)}))
	assert.Equal(t, map[string]int{fakesm.OpRotateSecret: 1, fakesm.OpDescribeSecret: 1}, h.fake.Calls(),
		"one RotateSecret, one DescribeSecret for nextRotationDate; the preview makes none")
	in := rotateRequests(t, h.fake)[0]
	assert.Equal(t, secret.id, aws.ToString(in.SecretId))
	assert.Equal(t, otherRotationLambda, aws.ToString(in.RotationLambdaARN))
	assert.Equal(t, "cron(0 16 1,15 * ? *)", aws.ToString(in.RotationRules.ScheduleExpression))
	assert.Nil(t, in.RotationRules.AutomaticallyAfterDays, "the old days are not sent beside the expression")
	assert.False(t, aws.ToBool(in.RotateImmediately))

	d := h.describe(rotatedSecret)
	assert.Equal(t, otherRotationLambda, aws.ToString(d.RotationLambdaARN))
	assert.Equal(t, "cron(0 16 1,15 * ? *)", aws.ToString(d.RotationRules.ScheduleExpression))
	assert.Equal(t, str(otherRotationLambda), r.state.Get("rotationLambdaArn"))
	requireRotationDate(t, getString(t, r.state, "nextRotationDate"), d.NextRotationDate)
}

func TestRotationScheduleUpdateRotateImmediatelyAloneMakesNoCall(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	h.fake.ResetCalls()
	r = h.update(r, rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(pm{"rotateImmediately": boolean(false)})))
	assert.Zero(t, h.fake.TotalCalls())
	assert.Equal(t, boolean(false), r.state.Get("rotateImmediately"))
}

func TestRotationScheduleUpdateErrorIsReported(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(pm{"rotateImmediately": boolean(false)})))
	h.fake.FailNext(fakesm.OpRotateSecret, &types.InternalServiceError{Message: aws.String("internal failure")})
	_, err := h.tryUpdate(r, rotationInputs(secret.id, pm{"automaticallyAfterDays": num(7)}, withLambda(pm{"rotateImmediately": boolean(false)})))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "internal failure")
	assert.Equal(t, int64(30), aws.ToInt64(h.describe(rotatedSecret).RotationRules.AutomaticallyAfterDays))
}

// ---------------------------------------------------------------------------
// Delete

func TestRotationScheduleDeleteCancelsRotation(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(pm{"rotateImmediately": boolean(false)})))
	h.fake.ResetCalls()
	require.NoError(t, h.delete(r))
	assert.Equal(t, map[string]int{fakesm.OpCancelRotateSecret: 1}, h.fake.Calls())
	d := h.describe(rotatedSecret)
	require.NotNil(t, d.RotationEnabled)
	assert.False(t, *d.RotationEnabled)
	assert.Nil(t, d.NextRotationDate)
}

func TestRotationScheduleDeleteDuringRotationClearsAWSPENDING(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	require.Len(t, pendingVersions(t, h.fake, rotatedSecret), 1)
	h.fake.ResetCalls()
	require.NoError(t, h.delete(r))
	assert.Equal(t, map[string]int{fakesm.OpCancelRotateSecret: 1, fakesm.OpUpdateSecretVersionStage: 1}, h.fake.Calls())
	assert.Empty(t, pendingVersions(t, h.fake, rotatedSecret), "the cancelled rotation no longer blocks later ones")
	assert.False(t, aws.ToBool(h.describe(rotatedSecret).RotationEnabled))

	// A new schedule goes through without waiting.
	h.fake.ResetCalls()
	h.create(rotationType, "again", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	assert.Equal(t, 1, h.fake.Calls()[fakesm.OpRotateSecret])
}

func TestRotationScheduleDeleteOfGoneSecretSucceeds(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	require.NoError(t, h.delete(secret))
	require.NoError(t, h.delete(r), "scheduled for deletion")
	require.NoError(t, h.fake.Purge(secret.id))
	require.NoError(t, h.delete(r), "deleted")
}

func TestRotationScheduleDeleteErrorIsReported(t *testing.T) {
	t.Parallel()
	h, secret := newRotationHarness(t)
	r := h.create(rotationType, "rotation", rotationInputs(secret.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	h.fake.FailNext(fakesm.OpCancelRotateSecret, &types.InternalServiceError{Message: aws.String("internal failure")})
	err := h.delete(r)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "internal failure")
}

// ---------------------------------------------------------------------------
// Schema

func TestRotationScheduleSchema(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	resp, err := h.server.GetSchema(p.GetSchemaRequest{})
	require.NoError(t, err)
	type propSpec struct {
		Description string `json:"description"`
		Type        string `json:"type"`
		Ref         string `json:"$ref"`
		Default     any    `json:"default"`
	}
	var spec struct {
		Resources map[string]struct {
			Description     string              `json:"description"`
			Properties      map[string]propSpec `json:"properties"`
			Required        []string            `json:"required"`
			InputProperties map[string]propSpec `json:"inputProperties"`
			RequiredInputs  []string            `json:"requiredInputs"`
			Aliases         []struct {
				Type string `json:"type"`
			} `json:"aliases"`
		} `json:"resources"`
		Types map[string]struct {
			Properties map[string]propSpec `json:"properties"`
		} `json:"types"`
	}
	require.NoError(t, json.Unmarshal([]byte(resp.Schema), &spec))

	res, ok := spec.Resources[string(rotationType)]
	require.True(t, ok)
	assert.Contains(t, res.Description, `new aws.secretsmanager.RotationSchedule(`)
	assert.Contains(t, res.Description, `import * as aws from "@smxlabs/pulumi-smx"`)
	// pulumi-aws's name is a resource of its own (so SDKs have the class),
	// with exactly RotationSchedule's inputs and outputs.
	alias, ok := spec.Resources["smx:secretsmanager:SecretRotation"]
	require.True(t, ok, "SecretRotation is in the schema")
	assert.ElementsMatch(t, slices.Collect(maps.Keys(res.InputProperties)), slices.Collect(maps.Keys(alias.InputProperties)))
	assert.ElementsMatch(t, slices.Collect(maps.Keys(res.Properties)), slices.Collect(maps.Keys(alias.Properties)))
	assert.ElementsMatch(t, res.RequiredInputs, alias.RequiredInputs)

	// As in pulumi-aws 7.48: rotationRules is optional (rotationEnabled false
	// omits it), and rotationEnabled is an input as well as an output.
	assert.ElementsMatch(t, []string{"secretId"}, res.RequiredInputs)
	assert.ElementsMatch(t, []string{"secretId", "rotationLambdaArn", "rotationRules", "rotateImmediately", "rotationEnabled",
		"externalSecretRotationMetadatas", "externalSecretRotationRoleArn", "region"}, slices.Collect(maps.Keys(res.InputProperties)))
	assert.ElementsMatch(t, []string{"secretId", "rotationLambdaArn", "rotationRules", "rotateImmediately", "rotationEnabled",
		"externalSecretRotationMetadatas", "externalSecretRotationRoleArn", "nextRotationDate", "region"},
		slices.Collect(maps.Keys(res.Properties)))
	assert.Contains(t, res.Required, "rotationEnabled", "always recorded, as pulumi-aws's output")
	assert.Equal(t, "boolean", res.InputProperties["rotationEnabled"].Type)
	assert.Equal(t, "string", res.InputProperties["externalSecretRotationRoleArn"].Type)
	assert.Equal(t, "array", res.InputProperties["externalSecretRotationMetadatas"].Type)
	metadata, ok := spec.Types["smx:secretsmanager:SecretRotationExternalSecretRotationMetadata"]
	require.True(t, ok, "the metadata type is named like pulumi-aws's")
	assert.ElementsMatch(t, []string{"key", "value"}, slices.Collect(maps.Keys(metadata.Properties)))
	for name, prop := range metadata.Properties {
		assert.Equal(t, "string", prop.Type)
		assert.NotEmptyf(t, prop.Description, "externalSecretRotationMetadatas.%s has no description", name)
	}
	assert.Equal(t, true, res.InputProperties["rotateImmediately"].Default)
	assert.Equal(t, "#/types/smx:secretsmanager:SecretRotationRotationRules", res.InputProperties["rotationRules"].Ref)
	for name, prop := range res.InputProperties {
		assert.NotEmptyf(t, prop.Description, "input %s has no description", name)
	}
	for name, prop := range res.Properties {
		assert.NotEmptyf(t, prop.Description, "output %s has no description", name)
	}
	assert.Contains(t, res.InputProperties["secretId"].Description, "replaces")
	assert.Contains(t, res.InputProperties["rotateImmediately"].Description, "Defaults to true")

	rules, ok := spec.Types["smx:secretsmanager:SecretRotationRotationRules"]
	require.True(t, ok, "the rules type is named like pulumi-aws's")
	assert.ElementsMatch(t, []string{"automaticallyAfterDays", "scheduleExpression", "duration"}, slices.Collect(maps.Keys(rules.Properties)))
	assert.Equal(t, "integer", rules.Properties["automaticallyAfterDays"].Type)
	for name, prop := range rules.Properties {
		assert.NotEmptyf(t, prop.Description, "rotationRules.%s has no description", name)
	}
}

// A program that sets no rotation function keeps the one the secret already
// has (RotateSecret without one keeps it). A refresh must not write that
// function into the inputs: the next Check would then read its absence from
// the program as a removal, which it refuses.
func TestRotationScheduleReadKeepsUnsetLambdaUnset(t *testing.T) {
	t.Parallel()
	h, _ := newRotationHarness(t)
	_, err := h.fake.RotateSecret(t.Context(), &sm.RotateSecretInput{
		SecretId: aws.String(rotatedSecret), RotationLambdaARN: aws.String(rotationLambda),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(7)}, RotateImmediately: aws.Bool(false),
	})
	require.NoError(t, err)
	// Rotation turned off again: the secret keeps its function.
	_, err = h.fake.CancelRotateSecret(t.Context(), &sm.CancelRotateSecretInput{SecretId: aws.String(rotatedSecret)})
	require.NoError(t, err)
	news := rotationInputs(rotatedSecret, pm{"automaticallyAfterDays": num(30)}, pm{"rotateImmediately": boolean(false)})
	r := h.create(rotationType, "rotation", news)

	resp := h.read(r)
	assert.Equal(t, rotationLambda, getString(t, resp.Properties, "rotationLambdaArn"), "the state shows the function AWS uses")
	_, set := resp.Inputs.GetOk("rotationLambdaArn")
	assert.False(t, set, "an unset rotationLambdaArn stays unset after refresh")

	check := h.check(rotationType, "rotation", resp.Inputs, news)
	assert.Empty(t, check.Failures, "the program unchanged still passes Check after a refresh")
	// Nor is the function AWS keeps a change: RotateSecret would keep it.
	_, d := h.diff(created{urn: r.urn, id: resp.ID, inputs: resp.Inputs, state: resp.Properties}, news)
	assert.False(t, d.HasChanges, "%v", d.DetailedDiff)
}
