package fakesm

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Rotation, as the Secrets Manager API reference describes RotateSecret and
// CancelRotateSecret (moto emulates both badly: see CONTRIBUTING.md, "Where moto differs from AWS").
//
// The fake cannot run a rotation function, so a rotation it starts stays in
// progress until a test ends it: CompleteRotation plays a rotation function
// that succeeded, FailRotation one that failed. What the fake models:
//
//   - RotateSecret stores the Lambda ARN and the rules (AutomaticallyAfterDays
//     or ScheduleExpression, and Duration), turns RotationEnabled on and
//     computes NextRotationDate. Without RotationLambdaARN it reuses the
//     secret's function. A managed external secret is rotated by its partner
//     instead, through ExternalSecretRotationRoleArn and the partner's
//     ExternalSecretRotationMetadata (each key 1–256 and each value 1–2048
//     characters, as the API reference's ExternalSecretRotationMetadataItem
//     says); like the function, each is stored and, when a later call leaves
//     it out, kept. A secret with neither a function nor an external
//     rotation role is refused with InvalidRequestException (rotation managed
//     by another service, which needs neither, is not modelled). The fake
//     does not check the metadata against the secret's partner: what each
//     partner requires is the partner's documentation, not the API's.
//   - With RotateImmediately (the default) it starts a rotation: a new, empty
//     version labelled AWSPENDING whose ID is the ClientRequestToken. Without
//     it, nothing but the configuration changes (AWS runs the function's
//     testSecret step, which removes the AWSPENDING version it makes).
//   - A rotation is in progress while a version carries AWSPENDING without
//     AWSCURRENT. RotateSecret then fails with InvalidRequestException "A
//     previous rotation isn't complete. That rotation will be reattempted.",
//     unless its ClientRequestToken is that rotation's own (an idempotent
//     retry, answered like the first call).
//   - CancelRotateSecret turns RotationEnabled off and clears
//     NextRotationDate; the Lambda ARN, the rules and the external rotation
//     role and metadata stay. Like AWS, it leaves the
//     AWSPENDING label of a cancelled rotation where it is — the API reference
//     says the caller should remove it, else it blocks later rotations — and
//     answers with that version's ID.
//   - DescribeSecret reports RotationEnabled (absent until rotation is first
//     configured), RotationLambdaARN, RotationRules,
//     ExternalSecretRotationRoleArn, ExternalSecretRotationMetadata,
//     LastRotatedDate and,
//     while rotation is on, NextRotationDate. For a ScheduleExpression
//     rate(N days) it also reports AutomaticallyAfterDays N, as AWS
//     calculates it from the schedule.

// Rotation operations, as counted by Calls and targeted by FailNext.
const (
	OpRotateSecret       = "RotateSecret"
	OpCancelRotateSecret = "CancelRotateSecret"
)

// StagePending labels the version a rotation is creating.
const StagePending = "AWSPENDING"

// RotationInProgressMessage is RotateSecret's answer while a rotation is in
// progress.
const RotationInProgressMessage = "A previous rotation isn't complete. That rotation will be reattempted."

const (
	maxLambdaARNLength     = 2048
	maxMetadataKeyLength   = 256  // ExternalSecretRotationMetadataItem.Key
	maxMetadataValueLength = 2048 // ExternalSecretRotationMetadataItem.Value
	maxScheduleExpression  = 256
	minRotationDays        = 1
	maxRotationDays        = 1000
	maxWindowHours         = 24
	maxCronSearchHours     = 24 * 400
)

var (
	rateExpression = regexp.MustCompile(`^rate\(([1-9][0-9]*) (hours?|days?)\)$`)
	durationForm   = regexp.MustCompile(`^([1-9][0-9]?)h$`)
)

// CompleteRotation ends the rotation in progress as a rotation function that
// succeeded would: the pending version gets value and AWSCURRENT (the old
// current version takes AWSPREVIOUS), LastRotatedDate is now and the next
// rotation is scheduled from it. AWSPENDING stays attached to the new current
// version, which AWS allows and which no longer counts as in progress. Not
// counted as a call.
func (f *Fake) CompleteRotation(secretID, value string) error {
	return f.mutate(secretID, func(s *secret) error {
		v := s.pendingRotation()
		if v == nil {
			return fmt.Errorf("fakesm: no rotation of secret %s is in progress", s.name)
		}
		v.str, v.bin = aws.String(value), nil
		f.moveStage(s, StageCurrent, v)
		now := f.now()
		s.lastRotatedDate = &now
		s.lastChanged = now
		if aws.ToBool(s.rotationEnabled) {
			s.nextRotationDate = nextRotation(s.rotationRules, now)
		}
		return nil
	})
}

// FailRotation ends the rotation in progress as a rotation function that
// failed for good would, and returns the ID of its version. Like AWS, it
// leaves that (empty) version labelled AWSPENDING, so RotateSecret keeps
// answering that a previous rotation isn't complete until someone removes
// the label (UpdateSecretVersionStage with RemoveFromVersionId). Not counted
// as a call.
func (f *Fake) FailRotation(secretID string) (string, error) {
	var id string
	err := f.mutate(secretID, func(s *secret) error {
		v := s.pendingRotation()
		if v == nil {
			return fmt.Errorf("fakesm: no rotation of secret %s is in progress", s.name)
		}
		v.str, v.bin = nil, nil
		id = v.id
		return nil
	})
	return id, err
}

// RotateSecret configures rotation and, unless RotateImmediately is false,
// starts a rotation.
func (f *Fake) RotateSecret(ctx context.Context, in *sm.RotateSecretInput, _ ...func(*sm.Options)) (*sm.RotateSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpRotateSecret, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if err := validateToken(in.ClientRequestToken); err != nil {
		return nil, err
	}
	if in.RotationLambdaARN != nil && (*in.RotationLambdaARN == "" || characters(*in.RotationLambdaARN) > maxLambdaARNLength) {
		return nil, invalidParameter("RotationLambdaARN must be 1 to %d characters long.", maxLambdaARNLength)
	}
	if err := validateRotationRules(in.RotationRules); err != nil {
		return nil, err
	}
	if err := validateExternalRotation(in.ExternalSecretRotationMetadata, in.ExternalSecretRotationRoleArn); err != nil {
		return nil, err
	}
	out := &sm.RotateSecretOutput{ARN: aws.String(s.arn), Name: aws.String(s.name)}
	if in.ClientRequestToken != nil {
		if _, ok := s.versions[*in.ClientRequestToken]; ok {
			// A retry of a call that was answered already: the original answer.
			out.VersionId = aws.String(*in.ClientRequestToken)
			return out, nil
		}
	}
	if s.pendingRotation() != nil {
		return nil, &types.InvalidRequestException{Message: aws.String(RotationInProgressMessage)}
	}
	lambda := aws.ToString(in.RotationLambdaARN)
	if lambda == "" {
		lambda = s.rotationLambdaARN
	}
	role := aws.ToString(in.ExternalSecretRotationRoleArn)
	if role == "" {
		role = s.externalRotationRoleARN
	}
	if lambda == "" && role == "" {
		return nil, &types.InvalidRequestException{Message: aws.String(
			"No Lambda rotation function ARN is associated with this secret.")}
	}
	now := f.now()
	s.rotationLambdaARN = lambda
	s.externalRotationRoleARN = role
	if in.ExternalSecretRotationMetadata != nil {
		s.externalRotationMetadata = cloneMetadata(in.ExternalSecretRotationMetadata)
	}
	if in.RotationRules != nil {
		s.rotationRules = &types.RotationRulesType{
			AutomaticallyAfterDays: cloneInt64(in.RotationRules.AutomaticallyAfterDays),
			ScheduleExpression:     cloneString(in.RotationRules.ScheduleExpression),
			Duration:               cloneString(in.RotationRules.Duration),
		}
	}
	s.rotationEnabled = aws.Bool(true)
	s.lastChanged = now
	base := now
	if s.lastRotatedDate != nil {
		base = *s.lastRotatedDate
	}
	s.nextRotationDate = nextRotation(s.rotationRules, base)
	if in.RotateImmediately == nil || *in.RotateImmediately { // AWS's default is true
		v := f.startRotation(s, tokenOrNew(in.ClientRequestToken))
		out.VersionId = aws.String(v.id)
	}
	return out, nil
}

// CancelRotateSecret turns automatic rotation off. A rotation in progress is
// cancelled, but its version keeps the AWSPENDING label, as on AWS; its ID is
// returned so that the caller can remove the label.
func (f *Fake) CancelRotateSecret(ctx context.Context, in *sm.CancelRotateSecretInput, _ ...func(*sm.Options)) (*sm.CancelRotateSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpCancelRotateSecret, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	out := &sm.CancelRotateSecretOutput{ARN: aws.String(s.arn), Name: aws.String(s.name)}
	if v := s.pendingRotation(); v != nil {
		out.VersionId = aws.String(v.id)
	}
	s.rotationEnabled = aws.Bool(false)
	s.nextRotationDate = nil
	s.lastChanged = f.now()
	return out, nil
}

// startRotation adds the empty version a rotation function is about to fill
// and labels it AWSPENDING (taking the label from any other version).
func (f *Fake) startRotation(s *secret, id string) *version {
	now := f.now()
	f.seq++
	v := &version{id: id, created: now, seq: f.seq}
	s.versions[id] = v
	f.moveStage(s, StagePending, v)
	f.collectGarbage(s)
	return v
}

// pendingRotation returns the version of the rotation in progress: the one
// carrying AWSPENDING without AWSCURRENT, or nil.
func (s *secret) pendingRotation() *version {
	v := s.holder(StagePending)
	if v == nil || slices.Contains(v.stages, StageCurrent) {
		return nil
	}
	return v
}

// describeRotation adds the rotation fields to DescribeSecret's answer.
func (s *secret) describeRotation(out *sm.DescribeSecretOutput) {
	if s.rotationEnabled != nil {
		out.RotationEnabled = aws.Bool(*s.rotationEnabled)
	}
	if s.rotationLambdaARN != "" {
		out.RotationLambdaARN = aws.String(s.rotationLambdaARN)
	}
	if s.externalRotationRoleARN != "" {
		out.ExternalSecretRotationRoleArn = aws.String(s.externalRotationRoleARN)
	}
	if len(s.externalRotationMetadata) > 0 {
		out.ExternalSecretRotationMetadata = cloneMetadata(s.externalRotationMetadata)
	}
	if r := s.rotationRules; r != nil {
		rules := &types.RotationRulesType{
			AutomaticallyAfterDays: cloneInt64(r.AutomaticallyAfterDays),
			ScheduleExpression:     cloneString(r.ScheduleExpression),
			Duration:               cloneString(r.Duration),
		}
		if m := rateExpression.FindStringSubmatch(aws.ToString(r.ScheduleExpression)); m != nil && strings.HasPrefix(m[2], "day") {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			rules.AutomaticallyAfterDays = &n
		}
		out.RotationRules = rules
	}
	if s.lastRotatedDate != nil {
		d := *s.lastRotatedDate
		out.LastRotatedDate = &d
	}
	if aws.ToBool(s.rotationEnabled) && s.nextRotationDate != nil {
		d := *s.nextRotationDate
		out.NextRotationDate = &d
	}
}

// validateRotationRules checks what the API itself checks: one schedule, not
// both; days 1–1000; an expression that is a rate() or cron() of at most 256
// characters; a window of 1 to 24 hours written "Nh". The finer rules of
// expressions are the provider's to check.
func validateRotationRules(r *types.RotationRulesType) error {
	if r == nil {
		return nil
	}
	if r.AutomaticallyAfterDays != nil && r.ScheduleExpression != nil {
		return invalidParameter("You can't specify both AutomaticallyAfterDays and ScheduleExpression.")
	}
	if d := r.AutomaticallyAfterDays; d != nil && (*d < minRotationDays || *d > maxRotationDays) {
		return invalidParameter("AutomaticallyAfterDays must be between %d and %d.", minRotationDays, maxRotationDays)
	}
	if e := r.ScheduleExpression; e != nil {
		switch {
		case *e == "" || characters(*e) > maxScheduleExpression:
			return invalidParameter("ScheduleExpression must be 1 to %d characters long.", maxScheduleExpression)
		case !strings.HasPrefix(*e, "rate(") && !strings.HasPrefix(*e, "cron("), !strings.HasSuffix(*e, ")"):
			return invalidParameter("ScheduleExpression must be a rate() or cron() expression.")
		}
	}
	if d := r.Duration; d != nil {
		m := durationForm.FindStringSubmatch(*d)
		if m == nil {
			return invalidParameter("Duration must be a number of hours followed by h, for example 3h.")
		}
		if n, _ := strconv.Atoi(m[1]); n > maxWindowHours {
			return invalidParameter("Duration must be at most %dh.", maxWindowHours)
		}
	}
	return nil
}

// validateExternalRotation checks what the API reference gives for a managed
// external secret's rotation: metadata keys of 1 to 256 characters, values
// of 1 to 2048, and a role ARN that is not empty.
func validateExternalRotation(metadata []types.ExternalSecretRotationMetadataItem, roleARN *string) error {
	for _, item := range metadata {
		if k := characters(aws.ToString(item.Key)); k < 1 || k > maxMetadataKeyLength {
			return invalidParameter("ExternalSecretRotationMetadata keys must be 1 to %d characters long.", maxMetadataKeyLength)
		}
		if v := characters(aws.ToString(item.Value)); v < 1 || v > maxMetadataValueLength {
			return invalidParameter("ExternalSecretRotationMetadata values must be 1 to %d characters long.", maxMetadataValueLength)
		}
	}
	if roleARN != nil && *roleARN == "" {
		return invalidParameter("ExternalSecretRotationRoleArn must not be empty.")
	}
	return nil
}

func cloneMetadata(items []types.ExternalSecretRotationMetadataItem) []types.ExternalSecretRotationMetadataItem {
	out := make([]types.ExternalSecretRotationMetadataItem, len(items))
	for i, item := range items {
		out[i] = types.ExternalSecretRotationMetadataItem{Key: cloneString(item.Key), Value: cloneString(item.Value)}
	}
	return out
}

// nextRotation is when the next rotation window opens after from, in UTC:
// windows of a rate() in hours open every N hours from midnight, those of a
// rate() in days and of AutomaticallyAfterDays at midnight N days on, those
// of a cron() at its next matching hour. nil when there is no schedule or
// the fake cannot evaluate it.
func nextRotation(r *types.RotationRulesType, from time.Time) *time.Time {
	if r == nil {
		return nil
	}
	from = from.UTC()
	midnight := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	var next time.Time
	switch expr := aws.ToString(r.ScheduleExpression); {
	case expr == "" && r.AutomaticallyAfterDays != nil:
		next = midnight.AddDate(0, 0, int(*r.AutomaticallyAfterDays))
	case rateExpression.MatchString(expr):
		m := rateExpression.FindStringSubmatch(expr)
		n, _ := strconv.Atoi(m[1])
		if strings.HasPrefix(m[2], "day") {
			next = midnight.AddDate(0, 0, n)
			break
		}
		next = midnight.Add(time.Duration((from.Hour()/n+1)*n) * time.Hour)
		if !next.Before(midnight.AddDate(0, 0, 1)) {
			next = midnight.AddDate(0, 0, 1)
		}
	case strings.HasPrefix(expr, "cron(") && strings.HasSuffix(expr, ")"):
		fields := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(expr, "cron("), ")"))
		if len(fields) != 6 {
			return nil
		}
		t := from.Truncate(time.Hour).Add(time.Hour)
		for range maxCronSearchHours {
			if match, ok := cronMatches(fields, t); !ok {
				return nil
			} else if match {
				return &t
			}
			t = t.Add(time.Hour)
		}
		return nil
	default:
		return nil
	}
	return &next
}

// cronMatches reports whether the hour starting at t matches a cron
// expression's hour, day-of-month, month and day-of-week fields; ok is false
// for a form the fake does not evaluate.
func cronMatches(fields []string, t time.Time) (match, ok bool) {
	hour, okH := cronFieldMatches(fields[1], t.Hour(), 0, 23, nil)
	month, okM := cronFieldMatches(fields[3], int(t.Month()), 1, 12, monthNames)
	lastDay := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	var dom, okD bool
	if fields[2] == "L" {
		dom, okD = t.Day() == lastDay, true
	} else {
		dom, okD = cronFieldMatches(fields[2], t.Day(), 1, 31, nil)
	}
	dow, okW := cronDayOfWeekMatches(fields[4], t, lastDay)
	return hour && month && dom && dow, okH && okM && okD && okW
}

var (
	monthNames = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	dayNames   = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
)

func cronDayOfWeekMatches(field string, t time.Time, lastDay int) (match, ok bool) {
	weekday := int(t.Weekday()) + 1 // 1 = SUN
	if n, k, found := strings.Cut(field, "#"); found {
		d, okD := cronValue(n, dayNames, 1)
		nth, err := strconv.Atoi(k)
		return okD && err == nil && weekday == d && (t.Day()-1)/7+1 == nth, okD && err == nil
	}
	if n, found := strings.CutSuffix(field, "L"); found && n != "" {
		d, okD := cronValue(n, dayNames, 1)
		return okD && weekday == d && t.Day()+7 > lastDay, okD
	}
	if field == "L" {
		return weekday == 7, true
	}
	return cronFieldMatches(field, weekday, 1, 7, dayNames)
}

// cronFieldMatches evaluates a field of `*`, `?`, values, ranges, lists and
// increments (`a/n`, `*/n`, `a-b/n`).
func cronFieldMatches(field string, value, lo, hi int, names []string) (match, ok bool) {
	for _, part := range strings.Split(field, ",") {
		base, stepText, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || n < 1 {
				return false, false
			}
			step = n
		}
		from, to := lo, hi
		switch {
		case base == "*" || base == "?":
		case strings.Contains(base, "-"):
			a, b, _ := strings.Cut(base, "-")
			var okA, okB bool
			if from, okA = cronValue(a, names, lo); !okA {
				return false, false
			}
			if to, okB = cronValue(b, names, lo); !okB {
				return false, false
			}
		default:
			v, okV := cronValue(base, names, lo)
			if !okV {
				return false, false
			}
			from = v
			if !hasStep {
				to = v
			}
		}
		if value >= from && value <= to && (value-from)%step == 0 {
			match = true
		}
	}
	return match, true
}

func cronValue(s string, names []string, first int) (int, bool) {
	if i := slices.Index(names, strings.ToUpper(s)); i >= 0 {
		return first + i, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func cloneInt64(v *int64) *int64 {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}

func cloneString(v *string) *string {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}
