package bench

// The raw floor: what each phase costs with aws-sdk-go-v2 alone — the fewest
// calls that do the phase's work, at the engine's concurrency, through the
// same proxy to the same moto in the same run. No engine, no plugin, no
// state: the difference to smx is everything Pulumi and smx add.
//
// It runs twice. Unpaced, it is as fast as moto answers — on this machine
// faster than AWS's quotas allow (500 CreateSecret in 4 s is 125/s against
// a quota of 50/s), so against AWS it would be throttled. Paced by
// provider/pacing at AWS's rates, it is the floor of any client that keeps
// to the quotas, which smx does: smx's ratios are taken to both.

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/internal/moto"
	"github.com/smxlabs/pulumi-smx/provider/pacing"
)

type rawFloor struct {
	client   *sm.Client
	parallel int
	names    []string
}

func newRawFloor(proxyURL, prefix string, pairs, parallel int, paced bool) *rawFloor {
	options := sm.Options{
		Region:       moto.Region,
		BaseEndpoint: aws.String(proxyURL),
		Credentials:  credentials.NewStaticCredentialsProvider(moto.AccessKeyID, moto.SecretAccessKey, ""),
	}
	if paced {
		options.APIOptions = append(options.APIOptions, pacing.NewLimiter(1).APIOption(moto.Region))
	}
	f := &rawFloor{parallel: parallel, client: sm.New(options)}
	for i := range pairs {
		f.names = append(f.names, fmt.Sprintf("%s/secret-%04d", prefix, i))
	}
	return f
}

// each runs work for every index at f.parallel at once, and returns how
// long it took.
func (f *rawFloor) each(b *testing.B, n int, work func(ctx context.Context, i int) error) time.Duration {
	b.Helper()
	ctx := context.Background()
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	start := time.Now()
	for range f.parallel {
		wg.Go(func() {
			for i := range next {
				if err := work(ctx, i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		b.Fatalf("raw floor: %v", firstErr)
	}
	return time.Since(start)
}

// up creates each secret, then stores its value: CreateSecret and
// PutSecretValue per pair, as smx's Secret and SecretVersion do.
func (f *rawFloor) up(b *testing.B) time.Duration {
	return f.each(b, len(f.names), func(ctx context.Context, i int) error {
		if _, err := f.client.CreateSecret(ctx, &sm.CreateSecretInput{Name: &f.names[i]}); err != nil {
			return err
		}
		_, err := f.client.PutSecretValue(ctx, &sm.PutSecretValueInput{
			SecretId: &f.names[i], SecretString: aws.String(fmt.Sprintf("bench-value-%04d", i)),
		})
		return err
	})
}

// refresh describes each secret and reads the values with
// BatchGetSecretValue, 20 at a time: the fewest calls that read everything
// a refresh reports.
func (f *rawFloor) refresh(b *testing.B) time.Duration {
	batches := (len(f.names) + 19) / 20
	return f.each(b, len(f.names)+batches, func(ctx context.Context, i int) error {
		if i < len(f.names) {
			_, err := f.client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &f.names[i]})
			return err
		}
		first := (i - len(f.names)) * 20
		_, err := f.client.BatchGetSecretValue(ctx, &sm.BatchGetSecretValueInput{SecretIdList: f.names[first:min(first+20, len(f.names))]})
		return err
	})
}

// destroy deletes each secret (with AWS's default recovery window, as smx
// does by default).
func (f *rawFloor) destroy(b *testing.B) time.Duration {
	return f.each(b, len(f.names), func(ctx context.Context, i int) error {
		_, err := f.client.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: &f.names[i]})
		return err
	})
}
