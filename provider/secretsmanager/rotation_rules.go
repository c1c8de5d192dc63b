package secretsmanager

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/pulumi/pulumi-go-provider/infer"
)

// Rotation limits from the Secrets Manager API reference and user guide
// ("Rotation schedules"). moto checks none of them, and AWS reports some
// only when RotateSecret runs, so smx checks them all at preview.
const (
	minRotationDays       = 1
	maxRotationDays       = 1000 // AutomaticallyAfterDays
	maxRateDays           = 999  // rate(N days): "the maximum rotation period is 999 days"
	minRotationHours      = 4    // "you can rotate a secret as often as every four hours"
	maxRateHours          = maxRateDays * 24
	maxWindowHours        = 24
	rotationHoursPerDay   = 24
	rotationRulesProperty = "rotationRules"
)

var (
	rateExpressionForm = regexp.MustCompile(`^rate\((\S+) (\S+)\)$`)
	rotationWindowForm = regexp.MustCompile(`^([1-9][0-9]?)h$`)
	cronWholeNumber    = regexp.MustCompile(`^(0|[1-9][0-9]*)$`)
)

var (
	cronMonthNames = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	cronDayNames   = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
)

// rotationSchedule describes when rotation windows open, as far as the
// duration check needs it.
type rotationSchedule struct {
	// everyHours is N for rate(N hours): a window opens every N hours from
	// midnight UTC.
	everyHours int
	// hours lists, for a cron() expression, the hours of the day (UTC) at
	// which a window opens, sorted; nil for rate() and for days.
	hours []int
}

// rotationRules checks rotationRules: exactly one of automaticallyAfterDays
// and scheduleExpression, each within AWS's limits, and a duration that fits
// in the rotation window. Values still unknown in a preview are left alone.
func (c *checks) rotationRules(rules SecretRotationRotationRules) {
	v, ok := c.inputs.GetOk(rotationRulesProperty)
	if !ok || v.IsNull() || v.IsComputed() || !v.IsMap() {
		return // a missing object is reported by the decoder; an unknown one later
	}
	r := checks{inputs: v.AsMap()}
	const (
		daysProperty       = rotationRulesProperty + ".automaticallyAfterDays"
		expressionProperty = rotationRulesProperty + ".scheduleExpression"
		durationProperty   = rotationRulesProperty + ".duration"
	)
	// An unknown value may turn out to be absent: only two known values
	// conflict, and an unknown one may be the one that is set.
	daysSet, expressionSet := r.present("automaticallyAfterDays"), r.present("scheduleExpression")
	switch {
	case r.known("automaticallyAfterDays") && r.known("scheduleExpression"):
		c.fail(expressionProperty, "conflicts with %s: set exactly one of them", daysProperty)
	case !daysSet && !expressionSet:
		c.fail(rotationRulesProperty, "set exactly one of automaticallyAfterDays (1–%d days) and scheduleExpression "+
			"(rate(N hours), rate(N days) or cron(0 H DoM Mon DoW *))", maxRotationDays)
	}
	var schedule *rotationSchedule
	if r.known("automaticallyAfterDays") && rules.AutomaticallyAfterDays != nil {
		if days := *rules.AutomaticallyAfterDays; days < minRotationDays || days > maxRotationDays {
			c.fail(daysProperty, "must be %d to %d days, got %d", minRotationDays, maxRotationDays, days)
		} else {
			schedule = &rotationSchedule{} // windows open at midnight UTC
		}
	}
	if r.known("scheduleExpression") && rules.ScheduleExpression != nil {
		s, err := parseScheduleExpression(*rules.ScheduleExpression)
		if err != nil {
			c.fail(expressionProperty, "%v", err)
		} else if !daysSet {
			schedule = s
		}
	}
	if r.known("duration") && rules.Duration != nil {
		hours, err := parseDuration(*rules.Duration)
		switch {
		case err != nil:
			c.fail(durationProperty, "%v", err)
		case schedule != nil:
			if err := schedule.fits(hours); err != nil {
				c.fail(durationProperty, "%v", err)
			}
		}
	}
}

// parseDuration reads a rotation window: "Nh" with 1 ≤ N ≤ 24.
func parseDuration(duration string) (int, error) {
	m := rotationWindowForm.FindStringSubmatch(duration)
	if m == nil {
		return 0, fmt.Errorf("must be a whole number of hours from 1 to %d followed by \"h\", for example \"3h\"; got %q",
			maxWindowHours, duration)
	}
	hours, _ := strconv.Atoi(m[1])
	if hours > maxWindowHours {
		return 0, fmt.Errorf("must be at most %dh (a rotation window cannot run into the next UTC day), got %q",
			maxWindowHours, duration)
	}
	return hours, nil
}

// fits checks that a window of hours ends before the next window opens and
// before the end of the UTC day.
func (s *rotationSchedule) fits(hours int) error {
	switch {
	case s.everyHours > 0:
		if hours > s.everyHours {
			return fmt.Errorf("a %dh rotation window runs into the next one, which opens %d hours later "+
				"(rate(%d hours)); use at most %dh", hours, s.everyHours, s.everyHours, s.everyHours)
		}
	case len(s.hours) > 0:
		last := s.hours[len(s.hours)-1]
		if last+hours > rotationHoursPerDay {
			return fmt.Errorf("the rotation window opening at %02d:00 UTC would run past midnight UTC with %dh; "+
				"use at most %dh", last, hours, rotationHoursPerDay-last)
		}
		if gap := s.shortestGap(); gap > 0 && hours > gap {
			return fmt.Errorf("a %dh rotation window runs into the next one, which opens %d hours later; use at most %dh",
				hours, gap, gap)
		}
	}
	// Windows of a schedule in days open at midnight: any 1–24h window fits.
	return nil
}

// shortestGap is the fewest hours between two windows of a cron() schedule
// on one day, or 0 when it opens one window a day. Windows of consecutive
// days need no check: a window must close by midnight UTC (see fits), and
// schedules in hours restart each day.
func (s *rotationSchedule) shortestGap() int {
	gap := 0
	for i := 1; i < len(s.hours); i++ {
		if d := s.hours[i] - s.hours[i-1]; gap == 0 || d < gap {
			gap = d
		}
	}
	return gap
}

// parseScheduleExpression checks a rate() or cron() expression against the
// rules of Secrets Manager rotation schedules.
func parseScheduleExpression(expr string) (*rotationSchedule, error) {
	switch {
	case strings.HasPrefix(expr, "rate("):
		return parseRate(expr)
	case strings.HasPrefix(expr, "cron("):
		return parseCron(expr)
	}
	return nil, fmt.Errorf("must be a rate() expression such as \"rate(10 days)\" or \"rate(4 hours)\", or a cron() "+
		"expression such as \"cron(0 16 1,15 * ? *)\"; got %q", expr)
}

func parseRate(expr string) (*rotationSchedule, error) {
	m := rateExpressionForm.FindStringSubmatch(expr)
	if m == nil {
		return nil, fmt.Errorf("a rate() expression is rate(<number> <unit>), for example \"rate(10 days)\" or "+
			"\"rate(4 hours)\"; got %q", expr)
	}
	value, unit := m[1], m[2]
	if !cronWholeNumber.MatchString(value) {
		return nil, fmt.Errorf("the value of %q must be a positive whole number", expr)
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 1 {
		return nil, fmt.Errorf("the value of %q must be a positive whole number", expr)
	}
	singular := strings.TrimSuffix(unit, "s")
	switch singular {
	case "hour", "day":
	case "minute", "second":
		return nil, fmt.Errorf("%q is too frequent: Secrets Manager rotates at most every %d hours; use hours or days, "+
			"for example \"rate(%d hours)\"", expr, minRotationHours, minRotationHours)
	default:
		return nil, fmt.Errorf("the unit of %q must be hours or days", expr)
	}
	switch {
	case singular == "day" && n > maxRateDays:
		return nil, fmt.Errorf("%q is too long: rate() allows at most %d days", expr, maxRateDays)
	case singular == "hour" && n < minRotationHours:
		return nil, fmt.Errorf("%q is too frequent: Secrets Manager rotates at most every %d hours (\"rate(%d hours)\")",
			expr, minRotationHours, minRotationHours)
	case singular == "hour" && n > maxRateHours:
		return nil, fmt.Errorf("%q is too long: rate() allows at most %d hours (%d days)", expr, maxRateHours, maxRateDays)
	}
	if want := pluralUnit(singular, n); unit != want {
		return nil, fmt.Errorf("write %q as \"rate(%d %s)\": the unit is singular for 1 and plural otherwise", expr, n, want)
	}
	if singular == "day" {
		return &rotationSchedule{}, nil
	}
	return &rotationSchedule{everyHours: n}, nil
}

func pluralUnit(singular string, n int) string {
	if n == 1 {
		return singular
	}
	return singular + "s"
}

// parseCron checks cron(Minutes Hours Day-of-month Month Day-of-week Year):
// minutes 0 (windows open on the hour), year * (schedules repeat within a
// year), windows at least 4 hours apart, and a ? in exactly one of the day
// fields.
func parseCron(expr string) (*rotationSchedule, error) {
	body, ok := strings.CutSuffix(strings.TrimPrefix(expr, "cron("), ")")
	if !ok {
		return nil, fmt.Errorf("a cron() expression must end with \")\"; got %q", expr)
	}
	fields := strings.Fields(body)
	if len(fields) != 6 {
		return nil, fmt.Errorf("a cron() expression has exactly 6 fields, cron(Minutes Hours Day-of-month Month "+
			"Day-of-week Year), for example \"cron(0 16 1,15 * ? *)\"; %q has %d", expr, len(fields))
	}
	minutes, hourField, dom, month, dow, year := fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]
	if minutes != "0" {
		return nil, fmt.Errorf("the minutes field of %q must be 0: rotation windows open on the hour", expr)
	}
	if year != "*" {
		return nil, fmt.Errorf("the year field of %q must be *: Secrets Manager does not support schedules more than a year apart", expr)
	}
	hours, err := cronHours(hourField)
	if err != nil {
		return nil, fmt.Errorf("the hours field of %q %w", expr, err)
	}
	if err := cronDayOfMonth(dom); err != nil {
		return nil, fmt.Errorf("the day-of-month field of %q %w", expr, err)
	}
	if err := cronMonth(month); err != nil {
		return nil, fmt.Errorf("the month field of %q %w", expr, err)
	}
	if err := cronDayOfWeek(dow); err != nil {
		return nil, fmt.Errorf("the day-of-week field of %q %w", expr, err)
	}
	switch {
	case dom == "?" && dow == "?":
		return nil, fmt.Errorf("%q has ? in both day fields: set one of day-of-month and day-of-week, and ? in the other", expr)
	case dom != "?" && dow != "?":
		return nil, fmt.Errorf("%q must have ? in exactly one of the day-of-month and day-of-week fields, "+
			"for example \"cron(0 4 * * ? *)\" or \"cron(0 4 ? * MON *)\"", expr)
	}
	s := &rotationSchedule{hours: hours}
	if gap := s.shortestGap(); gap > 0 && gap < minRotationHours {
		return nil, fmt.Errorf("%q opens rotation windows %d hours apart: Secrets Manager rotates at most every %d hours",
			expr, gap, minRotationHours)
	}
	return s, nil
}

// cronHours expands an hours field — an hour 0–23, a list, a range or an
// increment (H/N, */N, A-B/N) — to the sorted hours it selects.
func cronHours(field string) ([]int, error) {
	const allowed = "must be an hour 0–23, a list (0,12), a range (8-20) or an increment (0/6, */6, 8-20/4)"
	selected := map[int]bool{}
	for _, part := range strings.Split(field, ",") {
		base, stepText, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, ok := cronNumber(stepText, 1, 23)
			if !ok {
				return nil, fmt.Errorf("%s; the increment in %q must be 1–23", allowed, part)
			}
			step = n
		}
		from, to := 0, 23
		switch {
		case base == "*":
			if !hasStep {
				return nil, fmt.Errorf("must not be * (every hour): Secrets Manager rotates at most every %d hours; "+
					"use an increment such as */%d", minRotationHours, minRotationHours)
			}
		case strings.Contains(base, "-"):
			a, b, _ := strings.Cut(base, "-")
			var okA, okB bool
			from, okA = cronNumber(a, 0, 23)
			to, okB = cronNumber(b, 0, 23)
			if !okA || !okB || from > to {
				return nil, fmt.Errorf("%s; got %q", allowed, part)
			}
		default:
			n, ok := cronNumber(base, 0, 23)
			if !ok {
				return nil, fmt.Errorf("%s; got %q", allowed, part)
			}
			from = n
			if !hasStep {
				to = n
			}
		}
		for h := from; h <= to; h += step {
			selected[h] = true
		}
	}
	hours := make([]int, 0, len(selected))
	for h := range selected {
		hours = append(hours, h)
	}
	slices.Sort(hours)
	return hours, nil
}

// cronDayOfMonth accepts *, ?, L, or days 1–31 in lists, ranges and
// increments.
func cronDayOfMonth(field string) error {
	if field == "*" || field == "?" || field == "L" {
		return nil
	}
	if !cronList(field, 1, 31, nil) {
		return fmt.Errorf("must be *, ?, L, or days 1–31 as a value, list (1,15), range (1-7) or increment (1/7); got %q", field)
	}
	return nil
}

// cronMonth accepts * or months 1–12 / JAN–DEC in lists, ranges and
// increments.
func cronMonth(field string) error {
	if field == "*" {
		return nil
	}
	if !cronList(field, 1, 12, cronMonthNames) {
		return fmt.Errorf("must be *, or months 1–12 or JAN–DEC as a value, list (JAN,JUL), range (1-6) or increment (1/3); got %q", field)
	}
	return nil
}

// cronDayOfWeek accepts *, ?, L, a day's last occurrence in the month (6L,
// FRIL), its nth occurrence (MON#1), or days 1–7 / SUN–SAT in lists, ranges
// and increments.
func cronDayOfWeek(field string) error {
	const allowed = "must be *, ?, L, days 1–7 or SUN–SAT as a value, list (MON,FRI), range (MON-FRI) or increment (1/2), " +
		"the nth day of the month (MON#1) or the last one (FRIL)"
	switch {
	case field == "*" || field == "?" || field == "L":
		return nil
	case strings.Contains(field, "#"):
		day, nth, _ := strings.Cut(field, "#")
		if _, ok := cronName(day, 1, 7, cronDayNames); !ok {
			return fmt.Errorf("%s; got %q", allowed, field)
		}
		if _, ok := cronNumber(nth, 1, 5); !ok {
			return fmt.Errorf("%s; the n in %q must be 1–5", allowed, field)
		}
		return nil
	case len(field) > 1 && strings.HasSuffix(field, "L"):
		if _, ok := cronName(strings.TrimSuffix(field, "L"), 1, 7, cronDayNames); !ok {
			return fmt.Errorf("%s; got %q", allowed, field)
		}
		return nil
	}
	if !cronList(field, 1, 7, cronDayNames) {
		return fmt.Errorf("%s; got %q", allowed, field)
	}
	return nil
}

// cronList checks a list of values, ranges and increments within lo–hi.
func cronList(field string, lo, hi int, names []string) bool {
	for _, part := range strings.Split(field, ",") {
		base, step, hasStep := strings.Cut(part, "/")
		if hasStep {
			if _, ok := cronNumber(step, 1, hi); !ok {
				return false
			}
		}
		switch {
		case base == "*" && hasStep:
		case strings.Contains(base, "-"):
			a, b, _ := strings.Cut(base, "-")
			from, okA := cronName(a, lo, hi, names)
			to, okB := cronName(b, lo, hi, names)
			if !okA || !okB || from > to {
				return false
			}
		default:
			if _, ok := cronName(base, lo, hi, names); !ok {
				return false
			}
		}
	}
	return true
}

func cronName(s string, lo, hi int, names []string) (int, bool) {
	if i := slices.Index(names, strings.ToUpper(s)); i >= 0 && s != "" {
		return lo + i, true
	}
	return cronNumber(s, lo, hi)
}

func cronNumber(s string, lo, hi int) (int, bool) {
	if !cronWholeNumber.MatchString(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= lo && n <= hi
}

// SecretRotationRotationRules is the schedule and window of a rotation. Its
// name gives it the token smx:secretsmanager:SecretRotationRotationRules, so
// the SDKs' types match pulumi-aws's SecretRotationRotationRules(Args).
type SecretRotationRotationRules struct {
	AutomaticallyAfterDays *int    `pulumi:"automaticallyAfterDays,optional"`
	ScheduleExpression     *string `pulumi:"scheduleExpression,optional"`
	Duration               *string `pulumi:"duration,optional"`
}

func (r *SecretRotationRotationRules) Annotate(an infer.Annotator) {
	an.Describe(&r.AutomaticallyAfterDays, "Days between rotations, 1–1000; the window is the whole UTC day. "+
		"Conflicts with `scheduleExpression`.")
	an.Describe(&r.ScheduleExpression, "A `rate()` or `cron()` expression (UTC) for the schedule: `rate(N hours)` "+
		"(at least 4 hours), `rate(N days)` (1–999; `rate(1 day)` for one), or `cron(0 H DoM Mon DoW *)` with minutes 0, year "+
		"`*`, windows at least 4 hours apart and `?` in exactly one of the day fields. Conflicts with "+
		"`automaticallyAfterDays`.")
	an.Describe(&r.Duration, "Length of the rotation window, `1h` to `24h`, for example `3h`. It must close before "+
		"the next window opens and by midnight UTC. Defaults to AWS's: one hour for schedules in hours, the rest of the "+
		"day for schedules in days.")
}

func toAWSRotationRules(r SecretRotationRotationRules) *smtypes.RotationRulesType {
	out := &smtypes.RotationRulesType{ScheduleExpression: r.ScheduleExpression, Duration: r.Duration}
	if r.AutomaticallyAfterDays != nil {
		out.AutomaticallyAfterDays = aws.Int64(int64(*r.AutomaticallyAfterDays))
	}
	return out
}

// fromAWSRotationRules maps what DescribeSecret reports. AWS reports an
// AutomaticallyAfterDays it calculates from a ScheduleExpression too; only
// the expression is the program's, so the days are dropped then (as the
// Terraform AWS provider does).
func fromAWSRotationRules(r *smtypes.RotationRulesType) SecretRotationRotationRules {
	if r == nil {
		return SecretRotationRotationRules{}
	}
	out := SecretRotationRotationRules{ScheduleExpression: r.ScheduleExpression, Duration: r.Duration}
	if aws.ToString(r.ScheduleExpression) == "" {
		out.ScheduleExpression = nil
		if r.AutomaticallyAfterDays != nil {
			out.AutomaticallyAfterDays = aws.Int(int(*r.AutomaticallyAfterDays))
		}
	}
	if aws.ToString(r.Duration) == "" {
		out.Duration = nil
	}
	return out
}
