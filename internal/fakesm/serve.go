package fakesm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smithy "github.com/aws/smithy-go"
)

// The served fake: a Cloud behind Secrets Manager's own wire protocol (AWS
// JSON 1.1), so that what cannot take an in-process fake — the provider
// binary run by the Pulumi CLI, the AWS CLI, any SDK — can reach one over
// loopback, as it reaches moto. It serves what moto lacks (see
// CONTRIBUTING.md, "Where moto differs from AWS"): the fake's validation,
// errors, rotation, replication and accounts, as the AWS API reference
// describes them.
//
// A request is `POST /` with `X-Amz-Target: secretsmanager.<Operation>` and a
// JSON body. Its SigV4 Authorization header names the caller's access key ID
// and, in the credential scope, the region: the key picks the account (from
// the map given to NewHandler or Serve) and the region picks that account's
// fake in the Cloud. The signature itself is not verified: the served fake
// stands in for the service, not for IAM, and every caller is a test.

// defaultReadHeaderTimeout bounds how long the server waits for a request's
// headers, so that a stalled client cannot hold a connection forever.
const defaultReadHeaderTimeout = 10 * time.Second

// serviceTarget is the prefix of X-Amz-Target: the service model's shape name.
const serviceTarget = "secretsmanager."

// operation is one method of Fake that implements a Secrets Manager
// operation, found by reflection: its name is the operation's, its input is
// *sm.<Name>Input and its output *sm.<Name>Output.
type operation struct {
	method reflect.Method
	input  reflect.Type // the input struct type (not the pointer)
}

var (
	contextType    = reflect.TypeFor[context.Context]()
	errorType      = reflect.TypeFor[error]()
	sdkPackagePath = reflect.TypeFor[sm.Client]().PkgPath()
)

// operations maps each operation name to the Fake method that serves it.
var operations = func() map[string]operation {
	ops := map[string]operation{}
	fakeType := reflect.TypeFor[*Fake]()
	for i := range fakeType.NumMethod() {
		m := fakeType.Method(i)
		t := m.Type // receiver, ctx, *Input, ...func(*sm.Options) → *Output, error
		if t.NumIn() != 4 || !t.IsVariadic() || t.In(1) != contextType || t.NumOut() != 2 || t.Out(1) != errorType {
			continue
		}
		in, out := t.In(2), t.Out(0)
		if in.Kind() != reflect.Pointer || out.Kind() != reflect.Pointer ||
			in.Elem().PkgPath() != sdkPackagePath || in.Elem().Name() != m.Name+"Input" ||
			out.Elem().PkgPath() != sdkPackagePath || out.Elem().Name() != m.Name+"Output" {
			continue
		}
		ops[m.Name] = operation{method: m, input: in.Elem()}
	}
	return ops
}()

// ServedOperations lists the operations the served fake answers, sorted.
func ServedOperations() []string {
	names := make([]string, 0, len(operations))
	for name := range operations {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Handler serves a Cloud over Secrets Manager's wire protocol.
type Handler struct {
	cloud *Cloud
	// accounts maps an access key ID to the account it signs for.
	accounts map[string]string
}

// NewHandler serves cloud to callers whose access key IDs are the keys of
// accounts, each acting in the account its key maps to.
func NewHandler(cloud *Cloud, accounts map[string]string) *Handler {
	h := &Handler{cloud: cloud, accounts: map[string]string{}}
	for key, account := range accounts {
		h.accounts[key] = account
	}
	return h
}

// wireError is an error answer: the error code (the exception's shape name),
// its message and HTTP status.
type wireError struct {
	code, message string
	status        int
}

func (e *wireError) Error() string { return e.code + ": " + e.message }

func clientError(code, format string, args ...any) *wireError {
	return &wireError{code: code, message: fmt.Sprintf(format, args...), status: http.StatusBadRequest}
}

// ServeHTTP answers one Secrets Manager request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-amzn-RequestId", newUUID())
	out, err := h.serve(r)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out) // the caller is gone: nothing to tell it
}

func (h *Handler) serve(r *http.Request) ([]byte, error) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		return nil, &wireError{code: "UnknownOperationException", status: http.StatusNotFound,
			message: fmt.Sprintf("%s %s is not a Secrets Manager operation: requests are POST /", r.Method, r.URL.Path)}
	}
	account, region, err := h.caller(r.Header.Get("Authorization"))
	if err != nil {
		return nil, err
	}
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, serviceTarget)
	op, known := operations[name]
	if !ok || !known {
		return nil, clientError("UnknownOperationException", "The operation %q is not supported by this fake of Secrets Manager.", target)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, clientError("SerializationException", "reading the request body: %v", err)
	}
	in := reflect.New(op.input)
	if len(body) > 0 {
		if err := json.Unmarshal(body, in.Interface()); err != nil {
			return nil, clientError("SerializationException", "%s", describeDecodeError(err))
		}
	}
	fake := h.cloud.Fake(account, region)
	results := op.method.Func.Call([]reflect.Value{reflect.ValueOf(fake), reflect.ValueOf(r.Context()), in})
	if errValue := results[1]; !errValue.IsNil() {
		return nil, errValue.Interface().(error)
	}
	w := &jsonShapeWriter{}
	results[0].Interface().(smithy.Serializable).Serialize(w)
	return w.Bytes(), nil
}

// describeDecodeError says which member had the wrong type, never the value
// (it may be a secret).
func describeDecodeError(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Sprintf("member %s: a JSON %s cannot be a %s", typeErr.Field, typeErr.Value, typeErr.Type)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return fmt.Sprintf("the request body is not JSON (offset %d)", syntaxErr.Offset)
	}
	return "the request body does not match the operation's input"
}

// caller reads the account and region from a SigV4 Authorization header:
// "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=..., Signature=...".
func (h *Handler) caller(authorization string) (account, region string, err error) {
	if authorization == "" {
		return "", "", clientError("MissingAuthenticationTokenException", "Missing Authentication Token")
	}
	_, rest, found := strings.Cut(authorization, "Credential=")
	if !found {
		return "", "", clientError("IncompleteSignatureException", "Authorization header requires 'Credential' parameter.")
	}
	credential, _, _ := strings.Cut(rest, ",")
	scope := strings.Split(strings.TrimSpace(credential), "/")
	if len(scope) != 5 || scope[4] != "aws4_request" {
		return "", "", clientError("IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.")
	}
	if scope[3] != "secretsmanager" {
		return "", "", clientError("InvalidSignatureException", "Credential should be scoped to correct service: 'secretsmanager'.")
	}
	account, ok := h.accounts[scope[0]]
	if !ok {
		return "", "", clientError("UnrecognizedClientException", "The security token included in the request is invalid.")
	}
	return account, scope[2], nil
}

// writeError answers an error as AWS JSON 1.1 does: the code in the body's
// __type and in x-amzn-ErrorType, HTTP 400 for the caller's faults and 500
// for the service's. An error that is not an AWS error (a bug in the fake, a
// cancelled request) is an InternalServiceError.
func writeError(w http.ResponseWriter, err error) {
	answer := &wireError{code: "InternalServiceError", message: err.Error(), status: http.StatusInternalServerError}
	var wire *wireError
	var api smithy.APIError
	switch {
	case errors.As(err, &wire):
		answer = wire
	case errors.As(err, &api):
		answer = &wireError{code: api.ErrorCode(), message: api.ErrorMessage(), status: http.StatusBadRequest}
		if api.ErrorFault() == smithy.FaultServer || api.ErrorCode() == "InternalServiceError" {
			answer.status = http.StatusInternalServerError
		}
	}
	body, _ := json.Marshal(map[string]string{"__type": answer.code, "Message": answer.message}) //nolint:errchkjson // two strings always marshal
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-ErrorType", answer.code)
	w.WriteHeader(answer.status)
	_, _ = w.Write(body) // the caller is gone: nothing to tell it
}

// Server is a served fake listening on loopback (Serve).
type Server struct {
	// Endpoint is the server's base URL, e.g. http://127.0.0.1:45123.
	Endpoint string
}

// Serve serves cloud on a free loopback port until the test t ends, to
// callers whose access key IDs are the keys of accounts (access key ID →
// account ID). It is started the way internal/moto starts moto_server, and
// needs nothing installed, so it runs under -short too.
func Serve(t testing.TB, cloud *Cloud, accounts map[string]string) *Server {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("fakesm: listening on loopback: %v", err)
	}
	server := &http.Server{Handler: NewHandler(cloud, accounts), ReadHeaderTimeout: defaultReadHeaderTimeout}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	t.Cleanup(func() {
		_ = server.Close() // closing the listener is what ends Serve, awaited below
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("fakesm: serving: %v", err)
		}
	})
	return &Server{Endpoint: "http://" + listener.Addr().String()}
}

// Client returns an SDK client of this server that signs with accessKeyID
// (one of the keys given to Serve) in region.
func (s *Server) Client(accessKeyID, region string) *sm.Client {
	return sm.New(sm.Options{
		Region:       region,
		BaseEndpoint: aws.String(s.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKeyID, "not-checked", ""),
	})
}

// Env is the environment that points the provider, the AWS CLI and any AWS
// SDK at this server as accessKeyID in region, through the standard
// variables alone.
func (s *Server) Env(accessKeyID, region string) map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL_SECRETS_MANAGER": s.Endpoint,
		"AWS_ACCESS_KEY_ID":                accessKeyID,
		"AWS_SECRET_ACCESS_KEY":            "not-checked",
		"AWS_REGION":                       region,
		"AWS_DEFAULT_REGION":               region,
	}
}
