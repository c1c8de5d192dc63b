package config

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// IAMPolicyDocument is where smx's least-privilege IAM policy lives; the
// error for a missing permission points there.
const IAMPolicyDocument = "https://github.com/smxlabs/pulumi-smx/blob/main/docs/iam-policy.json"

// A refused call must say which permission is missing, on what: the SDK's
// error names the operation, and AWS's message the caller, but a user reading
// a failed `pulumi up` needs the IAM action and the secret. These two
// middlewares make that so for every client smx builds.

// accessDeniedAPIOptions adds both middlewares to a client's stack.
func accessDeniedAPIOptions(stack *middleware.Stack) error {
	if err := stack.Deserialize.Add(queryStyleDenialAsJSON{}, middleware.After); err != nil {
		return err
	}
	return stack.Initialize.Add(explainAccessDenied{}, middleware.Before)
}

// queryStyleDenialAsJSON rewrites an IAM refusal answered in the XML shape
// of AWS's Query protocol — what moto's IAM enforcement and some other
// endpoints answer for every service — into the awsJson1.1 shape Secrets
// Manager itself answers (`{"__type": "AccessDeniedException", ...}`).
// Without it the SDK reports "failed to decode response body, invalid
// character '<'", which names neither the action nor the refusal. It sits
// closest to the transport, so it sees the raw answer before the SDK's
// deserializer does; any other answer passes through untouched.
type queryStyleDenialAsJSON struct{}

func (queryStyleDenialAsJSON) ID() string { return "smx.QueryStyleDenialAsJSON" }

func (queryStyleDenialAsJSON) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, metadata, err := next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, metadata, err
	}
	response, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || response.StatusCode != http.StatusForbidden || response.Body == nil {
		return out, metadata, nil
	}
	body, readErr := io.ReadAll(io.LimitReader(response.Body, 64<<10))
	_ = response.Body.Close()
	if readErr != nil {
		return out, metadata, &smithy.DeserializationError{Err: fmt.Errorf("reading a 403 answer: %w", readErr)}
	}
	if code, message, ok := queryStyleError(body); ok {
		response.Header.Del("X-Amzn-ErrorType")
		response.Header.Set("Content-Type", "application/x-amz-json-1.1")
		body, _ = json.Marshal(map[string]string{"__type": code, "message": message})
	}
	response.Body = io.NopCloser(bytes.NewReader(body))
	return out, metadata, nil
}

// queryStyleError reads `<ErrorResponse><Error><Code>…` (or the `<Errors>`
// wrapped form moto writes) and reports an IAM refusal in Secrets Manager's
// own name for it.
func queryStyleError(body []byte) (code, message string, ok bool) {
	trimmed := bytes.TrimSpace(body)
	if !bytes.HasPrefix(trimmed, []byte("<")) {
		return "", "", false
	}
	var answer struct {
		Error  queryError   `xml:"Error"`
		Errors []queryError `xml:"Errors>Error"`
	}
	if xml.Unmarshal(trimmed, &answer) != nil {
		return "", "", false
	}
	found := answer.Error
	if len(answer.Errors) > 0 {
		found = answer.Errors[0]
	}
	switch found.Code {
	case "AccessDenied", "AccessDeniedException":
		return "AccessDeniedException", found.Message, true
	}
	return "", "", false
}

type queryError struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// explainAccessDenied turns the final AccessDeniedException of a call (after
// the retryer, which never retries it) into an error naming the IAM action
// and the secret. The caller still finds the SDK's error by errors.As. The
// message holds the action, the secret's ID and AWS's words, which name the
// caller and the resource — never an input value.
type explainAccessDenied struct{}

func (explainAccessDenied) ID() string { return "smx.ExplainAccessDenied" }

func (explainAccessDenied) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error,
) {
	out, metadata, err := next.HandleInitialize(ctx, in)
	if err == nil || !IsAccessDenied(err) {
		return out, metadata, err
	}
	action := "secretsmanager:" + awsmiddleware.GetOperationName(ctx)
	secret, on := secretNamedBy(in.Parameters), ""
	if secret != "" {
		on = fmt.Sprintf(" on secret %q", secret)
	}
	return out, metadata, &AccessDeniedError{
		Action: action,
		Secret: secret,
		err: fmt.Errorf("AWS denied %s%s to smx's credentials: grant it to them (%s lists every permission "+
			"smx needs, grouped by what uses them): %w", action, on, IAMPolicyDocument, err),
	}
}

// AccessDeniedError is a call IAM refused: Action is the permission the
// credentials lack, Secret the secret it was asked for ("" for calls on no
// one secret, such as ListSecrets).
type AccessDeniedError struct {
	Action string
	Secret string
	err    error
}

func (e *AccessDeniedError) Error() string { return e.err.Error() }
func (e *AccessDeniedError) Unwrap() error { return e.err }

// secretNamedBy is the secret an operation's input names: SecretId for most
// operations, Name for CreateSecret, and the list of BatchGetSecretValue.
// Every Secrets Manager input names its secret with one of these fields, so
// reading them by name keeps this in step with the SDK without a case per
// operation.
func secretNamedBy(parameters any) string {
	v := reflect.ValueOf(parameters)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	v = v.Elem()
	for _, field := range []string{"SecretId", "Name"} {
		if f := v.FieldByName(field); f.IsValid() && f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.String {
			return f.Elem().String()
		}
	}
	if f := v.FieldByName("SecretIdList"); f.IsValid() && f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String {
		ids := make([]string, f.Len())
		for i := range ids {
			ids[i] = f.Index(i).String()
		}
		return strings.Join(ids, ", ")
	}
	return ""
}

// IsAccessDenied matches an IAM refusal of a call as a whole.
func IsAccessDenied(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == "AccessDeniedException"
}
