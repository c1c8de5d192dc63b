package secretsmanager

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
)

// Reads of AWSCURRENT values that arrive together — a `pulumi refresh`
// reads every SecretVersion at once, as many at a time as --parallel lets
// it — are coalesced into BatchGetSecretValue calls of up to 20 secrets: a
// refresh of 500 versions makes about 500/parallel calls instead of 500.
//
// What a refresh reports never changes: BatchGetSecretValue returns what
// GetSecretValue of AWSCURRENT returns (ARN, name, version ID, labels,
// value), and any secret the batch could not read is read again on its own
// with GetSecretValue, whose error the caller handles as it always did —
// "not found" as gone, and so on. That also covers moto, which fails a
// whole batch when one secret in it has no value (AWS fails that secret
// alone). An account whose policy does not allow
// secretsmanager:BatchGetSecretValue refuses the whole call: smx then reads
// one by one for the rest of the run.

// maxBatch is the most secrets one BatchGetSecretValue may name.
const maxBatch = 20

// currentValueReads coalesces reads per client (a client is one region).
type currentValueReads struct {
	// window is how long the first read waits for others to join its
	// batch (Timing.ReadBatchWindow).
	window time.Duration

	mu       sync.Mutex
	byClient map[API]*valueBatcher
}

func newCurrentValueReads(window time.Duration) *currentValueReads {
	return &currentValueReads{window: window, byClient: map[API]*valueBatcher{}}
}

// errReadAlone tells a read to make its own GetSecretValue call.
var errReadAlone = errors.New("read alone")

// current returns what GetSecretValue of secretID's AWSCURRENT returns,
// read in a batch with the reads that arrive with it.
func (r *currentValueReads) current(ctx context.Context, api API, secretID string) (*sm.GetSecretValueOutput, error) {
	out, err := r.batcherOf(api).read(ctx, secretID)
	if errors.Is(err, errReadAlone) {
		return api.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: &secretID, VersionStage: aws.String(stageCurrent)})
	}
	return out, err
}

func (r *currentValueReads) batcherOf(api API) *valueBatcher {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.byClient[api]
	if b == nil {
		b = &valueBatcher{api: api, window: r.window}
		r.byClient[api] = b
	}
	return b
}

// valueBatcher gathers the reads of one client.
type valueBatcher struct {
	api    API
	window time.Duration

	mu        sync.Mutex
	pending   []*pendingRead
	scheduled bool
	// refused is set once BatchGetSecretValue has been denied as a whole.
	refused bool
}

type pendingRead struct {
	ctx      context.Context
	secretID string
	done     chan struct{}
	out      *sm.GetSecretValueOutput
	err      error
}

func (b *valueBatcher) read(ctx context.Context, secretID string) (*sm.GetSecretValueOutput, error) {
	read := &pendingRead{ctx: ctx, secretID: secretID, done: make(chan struct{})}
	b.mu.Lock()
	if b.refused {
		b.mu.Unlock()
		return nil, errReadAlone
	}
	b.pending = append(b.pending, read)
	switch {
	case len(b.pending) >= maxBatch:
		batch := b.pending
		b.pending = nil
		go b.send(batch)
	case !b.scheduled:
		b.scheduled = true
		time.AfterFunc(b.window, b.flush)
	}
	b.mu.Unlock()
	select {
	case <-read.done:
		return read.out, read.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// flush sends what the gather window collected.
func (b *valueBatcher) flush() {
	b.mu.Lock()
	batch := b.pending
	b.pending, b.scheduled = nil, false
	b.mu.Unlock()
	if len(batch) > 0 {
		b.send(batch)
	}
}

// send reads one batch of at most maxBatch secrets and answers each read.
func (b *valueBatcher) send(batch []*pendingRead) {
	if len(batch) == 1 {
		// A batch of one spends the 100/s BatchGetSecretValue quota where
		// GetSecretValue's 10,000/s would do.
		finish(batch, errReadAlone)
		return
	}
	ids := make([]string, len(batch))
	for i, read := range batch {
		ids[i] = read.secretID
	}
	// The call serves every read in the batch, so no single read's
	// cancellation may cancel it; it keeps the first read's logger.
	ctx := context.WithoutCancel(batch[0].ctx)
	out, err := b.api.BatchGetSecretValue(ctx, &sm.BatchGetSecretValueInput{SecretIdList: ids})
	if err != nil {
		if isAccessDenied(err) {
			b.mu.Lock()
			b.refused = true
			b.mu.Unlock()
			p.GetLogger(ctx).Debugf("smx: BatchGetSecretValue is not allowed (%v); reading values one by one", err)
		}
		finish(batch, errReadAlone)
		return
	}
	found := map[string]*sm.GetSecretValueOutput{}
	for _, entry := range out.SecretValues {
		value := &sm.GetSecretValueOutput{
			ARN: entry.ARN, Name: entry.Name, VersionId: entry.VersionId, VersionStages: entry.VersionStages,
			SecretString: entry.SecretString, SecretBinary: entry.SecretBinary, CreatedDate: entry.CreatedDate,
		}
		found[aws.ToString(entry.ARN)] = value
		found[aws.ToString(entry.Name)] = value
	}
	for _, read := range batch {
		if value, ok := found[read.secretID]; ok {
			read.out = value
		} else {
			// In Errors, or named in a form the answer does not echo (a
			// partial ARN): GetSecretValue tells this secret's story.
			read.err = errReadAlone
		}
		close(read.done)
	}
}

func finish(batch []*pendingRead, err error) {
	for _, read := range batch {
		read.err = err
		close(read.done)
	}
}
