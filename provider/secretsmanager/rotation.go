package secretsmanager

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
)

// How RotationSchedule talks to AWS about rotation: finding the secret,
// writing the schedule with one idempotent RotateSecret, waiting for a
// rotation in progress, and mapping AWS's rotation rules to the program's.

// describeSecretToRotate reads the secret a schedule is for. An ARN usually
// comes from a Secret created a moment ago, which AWS may not show everywhere
// yet, so "not found" is retried for a while; a name fails at once.
func describeSecretToRotate(ctx context.Context, api API, timing Timing, secretID string) (*sm.DescribeSecretOutput, error) {
	var out *sm.DescribeSecretOutput
	describe := func() (err error) {
		out, err = api.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &secretID})
		return err
	}
	var err error
	if strings.HasPrefix(secretID, "arn:") {
		err = timing.retryWhilePropagating(ctx, describe)
	} else {
		err = describe()
	}
	switch {
	case err != nil && isGone(err), err == nil && out.DeletedDate != nil:
		return nil, fmt.Errorf("secret %q to rotate: %w", secretID, errGone)
	case err != nil:
		return nil, fmt.Errorf("reading secret %q: %w", secretID, err)
	}
	return out, nil
}

// writeRotation calls RotateSecret with input and one ClientRequestToken,
// reused on every retry so that AWS never starts a second rotation for one
// write. A
// rotation already in progress is waited for (see waitForRotation), and a
// rotation function that AWS cannot invoke yet because its permission was
// just granted is retried within the propagation window.
func writeRotation(ctx context.Context, api API, timing Timing, input sm.RotateSecretInput) error {
	token, err := newClientRequestToken()
	if err != nil {
		return err
	}
	input.ClientRequestToken = &token
	secretARN := aws.ToString(input.SecretId)
	inProgress := newBackoff(timing.RotationWait, timing.RotationPoll, timing.MaxRotationPoll)
	waiting := false
	permission := newBackoff(timing.PropagationWindow, timing.RotationPoll, timing.MaxRotationPoll)
	for {
		_, err := api.RotateSecret(ctx, &input)
		switch {
		case err == nil:
			return nil
		case isRotationInProgress(err):
			if !waiting {
				p.GetLogger(ctx).Infof("secret %q: a rotation is in progress; waiting up to %s for it to finish",
					secretARN, timing.RotationWait)
				waiting = true
			}
			if err := waitForRotation(ctx, api, inProgress, timing.RotationWait, secretARN); err != nil {
				return err
			}
		case isLambdaPermissionDelay(err):
			more, waitErr := permission.pause(ctx)
			if waitErr != nil {
				return waitErr
			}
			if !more {
				return err
			}
		default:
			return err
		}
	}
}

// waitForRotation waits, within the bound of b, for a rotation in progress
// to finish: it polls DescribeSecret until no version carries AWSPENDING
// without AWSCURRENT.
func waitForRotation(ctx context.Context, api API, b *backoff, bound time.Duration, secretARN string) error {
	pending := "" // the version of the rotation last seen in progress
	for {
		more, err := b.pause(ctx)
		if err != nil {
			return err
		}
		if !more {
			return rotationStillInProgress(secretARN, pending, bound)
		}
		out, err := describeLiveSecret(ctx, api, secretARN)
		if err != nil {
			return fmt.Errorf("waiting for the rotation of secret %q to finish: %w", secretARN, err)
		}
		if pending = pendingRotationVersion(out.VersionIdsToStages); pending == "" {
			return nil
		}
	}
}

// pendingRotationVersion returns the version of a rotation in progress: one
// that carries AWSPENDING without AWSCURRENT (AWS's own rule), or "".
func pendingRotationVersion(stages map[string][]string) string {
	for version, labels := range stages {
		pending, current := false, false
		for _, label := range labels {
			pending = pending || label == stagePending
			current = current || label == stageCurrent
		}
		if pending && !current {
			return version
		}
	}
	return ""
}

// observeNextRotation reads when the next rotation window opens. It is
// informational: a failure is logged, not returned, because rotation is
// already configured.
func observeNextRotation(ctx context.Context, api API, secretARN string) *string {
	out, err := api.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &secretARN})
	if err != nil {
		p.GetLogger(ctx).Warningf("rotation of secret %q is configured, but reading its next rotation date failed: %v", secretARN, err)
		return nil
	}
	if !aws.ToBool(out.RotationEnabled) {
		return nil
	}
	return formatRotationDate(out.NextRotationDate)
}

func formatRotationDate(t *time.Time) *string {
	if t == nil {
		return nil
	}
	return aws.String(t.UTC().Format(time.RFC3339))
}
