package secretsmanager

import (
	"testing"
	"time"
)

// SetRotationTimingForTest shortens how long RotationSchedule waits for a
// rotation in progress (bound) and how often it looks (poll), for one test.
func SetRotationTimingForTest(t testing.TB, bound, poll time.Duration) {
	t.Helper()
	oldBound, oldPoll, oldMax := rotationWaitBound, rotationPollInterval, maxRotationPollInterval
	rotationWaitBound, rotationPollInterval, maxRotationPollInterval = bound, poll, 4*poll
	t.Cleanup(func() {
		rotationWaitBound, rotationPollInterval, maxRotationPollInterval = oldBound, oldPoll, oldMax
	})
}
