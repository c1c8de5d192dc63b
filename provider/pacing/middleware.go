package pacing

import (
	"context"
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/aws/smithy-go/middleware"
)

// APIOption paces every attempt of every call of a client of region: add it
// to the client's APIOptions. It goes right after the SDK's retry
// middleware, so each retry waits for a token too, and it sees each
// attempt's answer before the retryer does.
func (l *Limiter) APIOption(region string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Insert(pacer{limiter: l, region: region}, "Retry", middleware.After)
	}
}

type pacer struct {
	limiter *Limiter
	region  string
}

func (pacer) ID() string { return "smx.Pacing" }

func (p pacer) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	operation := awsmiddleware.GetOperationName(ctx)
	sentAt, err := p.limiter.Wait(ctx, p.region, operation)
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	out, metadata, err := next.HandleFinalize(ctx, in)
	p.limiter.Observe(p.region, operation, sentAt, isThrottle(err))
	return out, metadata, err
}

var throttles = retry.IsErrorThrottles(retry.DefaultThrottles)

// IsHoldingsQuota says whether err is Secrets Manager's
// LimitExceededException: a quota on what an account holds (too many
// versions of a secret, too many secrets), not on its rate. Calling slower
// or again would not help, so it is neither a throttle nor retried.
func IsHoldingsQuota(err error) bool {
	var coded interface{ ErrorCode() string }
	return errors.As(err, &coded) && coded.ErrorCode() == "LimitExceededException"
}

// isThrottle says whether an attempt's error is AWS throttling it: a
// throttling error code (ThrottlingException, ...) or HTTP 429. The SDK's
// list of throttling codes includes LimitExceededException, which is not
// (IsHoldingsQuota).
func isThrottle(err error) bool {
	if err == nil || IsHoldingsQuota(err) {
		return false
	}
	if throttles.IsErrorThrottle(err) == aws.TrueTernary {
		return true
	}
	var respErr *smithyhttp.ResponseError
	return errors.As(err, &respErr) && respErr.HTTPStatusCode() == http.StatusTooManyRequests
}
