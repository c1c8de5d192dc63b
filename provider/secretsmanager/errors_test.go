package secretsmanager

import (
	"testing"

	"github.com/aws/smithy-go"
)

// Only AWS's "cannot invoke the Lambda function" is waited out as a
// permission still propagating; the caller's own missing permission fails at
// once.
func TestLambdaPermissionDelayIsNotTheCallersOwnRefusal(t *testing.T) {
	for message, want := range map[string]bool{
		"Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.":           true,
		"User: arn:aws:iam::123456789012:user/limited is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:rotate": false,
		"User: arn:aws:iam::123456789012:user/limited is not authorized to perform: secretsmanager:RotateSecret":                                                              false,
	} {
		err := &smithy.GenericAPIError{Code: "AccessDeniedException", Message: message}
		if got := isLambdaPermissionDelay(err); got != want {
			t.Errorf("isLambdaPermissionDelay(%q) = %v, want %v", message, got, want)
		}
	}
	if isLambdaPermissionDelay(&smithy.GenericAPIError{Code: "InvalidRequestException", Message: "cannot invoke the Lambda function"}) {
		t.Error("an error other than AccessDeniedException counted as a permission delay")
	}
}
