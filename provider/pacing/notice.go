package pacing

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// A call that pacing holds for long looks, from the CLI, like a slow or hung
// `pulumi up`. The provider tells the user instead, on the resource whose
// call waits, the way providers report a long operation: once per lifecycle
// call (a resource's Create, say), whatever number of its calls wait, and
// with nothing but the quota's name and the queue's length in it.

// NoticeAfter is how long a call waits for its quota before the wait is told.
const NoticeAfter = time.Second

type waitNoticeKey struct{}

// waitNotice tells one lifecycle call's first long wait, and no later one.
type waitNotice struct {
	once sync.Once
	tell func(message string)
}

// tellOnce tells the message that message makes, the first time only.
func (n *waitNotice) tellOnce(message func() string) { n.once.Do(func() { n.tell(message()) }) }

// ContextWithWaitNotice makes the calls made with ctx tell tell, once, when
// one of them has waited NoticeAfter for its quota. The provider gives each
// resource's lifecycle call its own, which reports on that resource.
func ContextWithWaitNotice(ctx context.Context, tell func(message string)) context.Context {
	return context.WithValue(ctx, waitNoticeKey{}, &waitNotice{tell: tell})
}

func noticeIn(ctx context.Context) *waitNotice {
	notice, _ := ctx.Value(waitNoticeKey{}).(*waitNotice)
	return notice
}

// quotaNames say in a user's words which of AWS's quotas a group is.
var quotaNames = map[Group]string{
	ValueReads:   "read quota (DescribeSecret and GetSecretValue)",
	SecretWrites: "write quota (PutSecretValue, UpdateSecret, UpdateSecretVersionStage and replication)",
	Policies:     "resource policy quota",
	Rotation:     "rotation quota",
	Tags:         "tagging quota",
}

// waitMessage says what a call of operation in region waits for.
func waitMessage(region, operation string, b *bucket) string {
	g, _ := GroupOf(operation)
	name, ok := quotaNames[g]
	if !ok {
		name = operation + " quota"
	}
	return fmt.Sprintf("waiting for the Secrets Manager %s in %s: %d calls queued at %.3g/s", name, region, b.queued(), b.currentRate())
}
