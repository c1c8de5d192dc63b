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

// isThrottle says whether an attempt's error is AWS throttling it: a
// throttling error code (ThrottlingException, ...) or HTTP 429. The SDK's
// list of throttling codes includes LimitExceededException, which Secrets
// Manager answers for a quota on what an account holds (too many versions
// of a secret), not on its rate: calling slower would not help.
func isThrottle(err error) bool {
	var coded interface{ ErrorCode() string }
	if err == nil || errors.As(err, &coded) && coded.ErrorCode() == "LimitExceededException" {
		return false
	}
	if throttles.IsErrorThrottle(err) == aws.TrueTernary {
		return true
	}
	var respErr *smithyhttp.ResponseError
	return errors.As(err, &respErr) && respErr.HTTPStatusCode() == http.StatusTooManyRequests
}
