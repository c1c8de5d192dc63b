package fakesm_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
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

func requireErrorAs[T error](t *testing.T, err error) {
	t.Helper()
	_ = errorAs[T](t, err)
}

// errorAs requires err to be a T, and returns it.
func errorAs[T error](t *testing.T, err error) T {
	t.Helper()
	var target T
	require.Error(t, err)
	require.Truef(t, errors.As(err, &target), "want %T, got %T: %v", target, err, err)
	return target
}

func describe(t *testing.T, f *fakesm.Fake, secretID string) *sm.DescribeSecretOutput {
	t.Helper()
	out, err := f.DescribeSecret(t.Context(), &sm.DescribeSecretInput{SecretId: aws.String(secretID)})
	require.NoError(t, err)
	return out
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

func TestCallCountingAndFailureInjection(t *testing.T) {
	f := fakesm.New()
	ctx := t.Context()
	injected := &types.InternalServiceError{Message: aws.String("boom")}
	f.FailNext(fakesm.OpCreateSecret, injected)

	_, err := f.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("x")})
	assert.Same(t, injected, errorAs[*types.InternalServiceError](t, err))
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
		assert.Same(t, injected, errorAs[*types.InternalServiceError](t, calls[op]()), op)
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

func TestCloudMakesOneFakePerAccountAndRegion(t *testing.T) {
	t.Parallel()
	cloud := fakesm.NewCloud(nil)
	primary := cloud.Fake("111111111111", "us-east-1")
	require.Same(t, primary, cloud.Fake("111111111111", "us-east-1"))
	replica := cloud.Fake("222222222222", "us-east-1")
	require.NotSame(t, primary, replica)

	ctx := context.Background()
	out, err := primary.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("db"), SecretString: aws.String("v")})
	require.NoError(t, err)
	assert.Regexp(t, `^arn:aws:secretsmanager:us-east-1:111111111111:secret:db-`, aws.ToString(out.ARN))
	assert.Equal(t, "222222222222", replica.AccountID())
	_, err = replica.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("db")})
	assert.Error(t, err, "one account's secret is not another's")
}
