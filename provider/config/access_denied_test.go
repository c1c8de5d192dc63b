package config

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// The two shapes an IAM refusal arrives in: Secrets Manager's own (awsJson1.1)
// and the Query protocol's XML, which moto answers when it enforces IAM
// (INITIAL_NO_AUTH_ACTION_COUNT) — its body copied here as moto 5.2 writes it.
var denials = map[string]struct {
	contentType, body string
}{
	"AWS's JSON": {"application/x-amz-json-1.1", `{"__type":"AccessDeniedException","Message":"User: arn:aws:iam::123456789012:user/limited is not authorized to perform: secretsmanager:GetSecretValue on resource: app/db because no identity-based policy allows the secretsmanager:GetSecretValue action"}`},
	"moto's XML": {"text/xml", `<?xml version="1.0" encoding="UTF-8"?>
<ErrorResponse>
    <Errors>
        <Error>
            <Code>AccessDenied</Code>
            <Message>User: arn:aws:iam::123456789012:user/limited is not authorized to perform: secretsmanager:GetSecretValue</Message>
        </Error>
    </Errors>
  <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
</ErrorResponse>`},
}

func TestAccessDeniedIsOneCallAndNamesTheActionAndTheSecret(t *testing.T) {
	for shape, denial := range denials {
		t.Run(shape, func(t *testing.T) {
			isolate(t)
			var calls atomic.Int32
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				calls.Add(1)
				w.Header().Set("Content-Type", denial.contentType)
				w.WriteHeader(http.StatusForbidden)
				_, _ = w.Write([]byte(denial.body))
			}))
			defer server.Close()
			retries := 5
			c := &Config{Region: "us-east-1", Endpoint: server.URL, MaxRetries: &retries}
			if err := c.Configure(context.Background()); err != nil {
				t.Fatal(err)
			}
			client, err := c.ClientFor("")
			if err != nil {
				t.Fatal(err)
			}
			_, err = client.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/db")})
			if calls.Load() != 1 {
				t.Fatalf("the endpoint saw %d calls: an AccessDeniedException must never be retried", calls.Load())
			}
			var denied *AccessDeniedError
			if !errors.As(err, &denied) || !IsAccessDenied(err) {
				t.Fatalf("not reported as an access denial: %v", err)
			}
			if denied.Action != "secretsmanager:GetSecretValue" || denied.Secret != "app/db" {
				t.Fatalf("denial of %q on %q, want secretsmanager:GetSecretValue on app/db", denied.Action, denied.Secret)
			}
			for _, want := range []string{`AWS denied secretsmanager:GetSecretValue on secret "app/db"`, "iam-policy.json", "user/limited"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q: %v", want, err)
				}
			}
		})
	}
}

// The input's value never reaches the message: only the secret's ID does.
func TestAccessDeniedErrorHoldsNoInputValue(t *testing.T) {
	isolate(t)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", denials["moto's XML"].contentType)
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(strings.ReplaceAll(denials["moto's XML"].body, "GetSecretValue", "CreateSecret")))
	}))
	defer server.Close()
	c := &Config{Region: "us-east-1", Endpoint: server.URL}
	if err := c.Configure(context.Background()); err != nil {
		t.Fatal(err)
	}
	client, _ := c.ClientFor("")
	_, err := client.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{
		Name: aws.String("app/db"), SecretString: aws.String("s3cr3t-value"),
	})
	if err == nil || !strings.Contains(err.Error(), `secretsmanager:CreateSecret on secret "app/db"`) {
		t.Fatalf("error does not name the action and the secret: %v", err)
	}
	if strings.Contains(err.Error(), "s3cr3t-value") {
		t.Fatal("the error holds the secret's value")
	}
}

// Other 403s and other XML pass through as they came.
func TestQueryStyleErrorReadsOnlyDenials(t *testing.T) {
	for body, wantOK := range map[string]bool{
		denials["moto's XML"].body: true,
		`<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>`:              true,
		`<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>bad key</Message></Error></ErrorResponse>`: false,
		denials["AWS's JSON"].body: false,
		`<not xml`:                 false,
	} {
		code, _, ok := queryStyleError([]byte(body))
		if ok != wantOK || (ok && code != "AccessDeniedException") {
			t.Errorf("queryStyleError(%.40q) = %q, %v; want ok=%v", body, code, ok, wantOK)
		}
	}
}
