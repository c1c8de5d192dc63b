package fakesm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	smithy "github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

const (
	keyOfA, accountA = "AKIAACCOUNTA", "111111111111"
	keyOfB, accountB = "AKIAACCOUNTB", "222222222222"
)

var twoAccounts = map[string]string{keyOfA: accountA, keyOfB: accountB}

func serve(t *testing.T) (*fakesm.Cloud, *fakesm.Server) {
	t.Helper()
	cloud := fakesm.NewCloud(nil)
	return cloud, fakesm.Serve(t, cloud, twoAccounts)
}

func TestServedOperationsAreEveryFakeOperation(t *testing.T) {
	// Every method of Fake shaped like the SDK client's method of the same
	// name is served; the list below is what the fake implements today, so
	// that a new operation (or a renamed one) is noticed here.
	assert.Equal(t, []string{
		"AssociateCrossAccountReplica", "BatchGetSecretValue", "CancelRotateSecret", "CreateSecret",
		"DeleteResourcePolicy", "DeleteSecret", "DescribeSecret", "DisassociateCrossAccountReplica",
		"GetRandomPassword", "GetResourcePolicy", "GetSecretValue", "ListResourcePolicies", "ListSecretVersionIds",
		"ListSecrets", "PutResourcePolicy", "PutSecretValue", "RemoveRegionsFromReplication",
		"ReplicateSecretToRegions", "RestoreSecret", "RotateSecret", "StopReplicationToReplica", "TagResource",
		"UntagResource", "UpdateSecret", "UpdateSecretVersionStage", "ValidateResourcePolicy",
	}, fakesm.ServedOperations())
	client := reflect.TypeFor[*sm.Client]()
	for _, op := range fakesm.ServedOperations() {
		_, ok := client.MethodByName(op)
		assert.True(t, ok, "%s is not an operation of the SDK client", op)
	}
}

func TestServedSecretLifecycle(t *testing.T) {
	ctx := context.Background()
	cloud, srv := serve(t)
	c := srv.Client(keyOfA, "eu-west-1")

	created, err := c.CreateSecret(ctx, &sm.CreateSecretInput{
		Name: aws.String("app/db"), Description: aws.String("first"), SecretString: aws.String("s3cret"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}},
	})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(aws.ToString(created.ARN), "arn:aws:secretsmanager:eu-west-1:"+accountA+":secret:app/db-"), aws.ToString(created.ARN))
	assert.Len(t, aws.ToString(created.VersionId), 36)

	got, err := c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("app/db")})
	require.NoError(t, err)
	assert.Equal(t, "s3cret", aws.ToString(got.SecretString))
	assert.Equal(t, []string{"AWSCURRENT"}, got.VersionStages)
	assert.WithinDuration(t, time.Now(), aws.ToTime(got.CreatedDate), time.Minute, "timestamps cross the wire as epoch seconds")

	// A binary value crosses the wire as base64, byte for byte.
	binary := []byte{0, 1, 2, 0xfe, 0xff}
	put, err := c.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: created.ARN, SecretBinary: binary, VersionStages: []string{"AWSCURRENT", "blue"}})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"AWSCURRENT", "blue"}, put.VersionStages)
	got, err = c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: created.ARN})
	require.NoError(t, err)
	assert.Equal(t, binary, got.SecretBinary)
	assert.Nil(t, got.SecretString)

	_, err = c.UpdateSecret(ctx, &sm.UpdateSecretInput{SecretId: aws.String("app/db"), Description: aws.String("second")})
	require.NoError(t, err)
	_, err = c.UpdateSecretVersionStage(ctx, &sm.UpdateSecretVersionStageInput{
		SecretId: aws.String("app/db"), VersionStage: aws.String("blue"), RemoveFromVersionId: put.VersionId, MoveToVersionId: created.VersionId,
	})
	require.NoError(t, err)
	_, err = c.TagResource(ctx, &sm.TagResourceInput{SecretId: aws.String("app/db"), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	require.NoError(t, err)
	_, err = c.UntagResource(ctx, &sm.UntagResourceInput{SecretId: aws.String("app/db"), TagKeys: []string{"team"}})
	require.NoError(t, err)
	_, err = c.ReplicateSecretToRegions(ctx, &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("app/db"), AddReplicaRegions: []types.ReplicaRegionType{{Region: aws.String("eu-central-1")}},
	})
	require.NoError(t, err)

	described, err := c.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("app/db")})
	require.NoError(t, err)
	assert.Equal(t, "second", aws.ToString(described.Description))
	assert.Equal(t, []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}, described.Tags)
	assert.ElementsMatch(t, []string{"AWSPREVIOUS", "blue"}, described.VersionIdsToStages[aws.ToString(created.VersionId)])
	assert.Equal(t, []string{"AWSCURRENT"}, described.VersionIdsToStages[aws.ToString(put.VersionId)])
	require.Len(t, described.ReplicationStatus, 1)
	assert.Equal(t, types.StatusTypeInSync, described.ReplicationStatus[0].Status)
	assert.Equal(t, "eu-west-1", aws.ToString(described.PrimaryRegion))

	// What the wire answered is what the fake holds.
	snap, ok := cloud.Fake(accountA, "eu-west-1").Snapshot("app/db")
	require.True(t, ok)
	assert.Equal(t, "second", snap.Description)

	listed, err := c.ListSecrets(ctx, &sm.ListSecretsInput{Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{"app/"}}}})
	require.NoError(t, err)
	require.Len(t, listed.SecretList, 1)
	assert.Equal(t, "app/db", aws.ToString(listed.SecretList[0].Name))

	_, err = c.RemoveRegionsFromReplication(ctx, &sm.RemoveRegionsFromReplicationInput{SecretId: aws.String("app/db"), RemoveReplicaRegions: []string{"eu-central-1"}})
	require.NoError(t, err)
	deleted, err := c.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String("app/db"), RecoveryWindowInDays: aws.Int64(7)})
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(7*24*time.Hour), aws.ToTime(deleted.DeletionDate), time.Minute)
	_, err = c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("app/db")})
	var invalidRequest *types.InvalidRequestException
	require.ErrorAs(t, err, &invalidRequest)
	assert.Contains(t, invalidRequest.ErrorMessage(), "marked for deletion")
	_, err = c.RestoreSecret(ctx, &sm.RestoreSecretInput{SecretId: aws.String("app/db")})
	require.NoError(t, err)
	_, err = c.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("app/db")})
	require.NoError(t, err)

	batch, err := c.BatchGetSecretValue(ctx, &sm.BatchGetSecretValueInput{SecretIdList: []string{"app/db", "missing"}})
	require.NoError(t, err)
	require.Len(t, batch.SecretValues, 1)
	require.Len(t, batch.Errors, 1)
	assert.Equal(t, "ResourceNotFoundException", aws.ToString(batch.Errors[0].ErrorCode))
}

func TestServedPolicyAndRotation(t *testing.T) {
	ctx := context.Background()
	_, srv := serve(t)
	c := srv.Client(keyOfA, "us-east-1")
	_, err := c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("rotated"), SecretString: aws.String("v1")})
	require.NoError(t, err)

	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["secretsmanager:GetSecretValue"],"Resource":"*"}]}`
	_, err = c.PutResourcePolicy(ctx, &sm.PutResourcePolicyInput{SecretId: aws.String("rotated"), ResourcePolicy: aws.String(policy)})
	require.NoError(t, err)
	gotPolicy, err := c.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: aws.String("rotated")})
	require.NoError(t, err)
	assert.JSONEq(t, strings.Replace(policy, `["secretsmanager:GetSecretValue"]`, `"secretsmanager:GetSecretValue"`, 1), aws.ToString(gotPolicy.ResourcePolicy))
	_, err = c.PutResourcePolicy(ctx, &sm.PutResourcePolicyInput{SecretId: aws.String("rotated"), ResourcePolicy: aws.String("{not json")})
	var malformed *types.MalformedPolicyDocumentException
	require.ErrorAs(t, err, &malformed)

	rotated, err := c.RotateSecret(ctx, &sm.RotateSecretInput{
		SecretId:          aws.String("rotated"),
		RotationLambdaARN: aws.String("arn:aws:lambda:us-east-1:111111111111:function:rotate"),
		RotationRules:     &types.RotationRulesType{ScheduleExpression: aws.String("rate(10 days)"), Duration: aws.String("2h")},
	})
	require.NoError(t, err)
	described, err := c.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("rotated")})
	require.NoError(t, err)
	assert.True(t, aws.ToBool(described.RotationEnabled))
	assert.Equal(t, "rate(10 days)", aws.ToString(described.RotationRules.ScheduleExpression))
	assert.Equal(t, []string{"AWSPENDING"}, described.VersionIdsToStages[aws.ToString(rotated.VersionId)])
	_, err = c.CancelRotateSecret(ctx, &sm.CancelRotateSecretInput{SecretId: aws.String("rotated")})
	require.NoError(t, err)

	password, err := c.GetRandomPassword(ctx, &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(40), ExcludePunctuation: aws.Bool(true)})
	require.NoError(t, err)
	assert.Len(t, aws.ToString(password.RandomPassword), 40)
}

func TestServedErrorsAreTheSDKsTypedErrors(t *testing.T) {
	ctx := context.Background()
	_, srv := serve(t)
	c := srv.Client(keyOfA, "us-east-1")

	_, err := c.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("missing")})
	var notFound *types.ResourceNotFoundException
	require.ErrorAs(t, err, &notFound)
	assert.Equal(t, "Secrets Manager can't find the specified secret.", notFound.ErrorMessage())

	_, err = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("both"), SecretString: aws.String("x"), SecretBinary: []byte("y")})
	var invalidParameter *types.InvalidParameterException
	require.ErrorAs(t, err, &invalidParameter)

	_, err = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("taken")})
	require.NoError(t, err)
	_, err = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("taken")})
	var exists *types.ResourceExistsException
	require.ErrorAs(t, err, &exists)

	_, err = c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String(strings.Repeat("n", 513))})
	require.ErrorAs(t, err, &invalidParameter)
}

func TestServedInjectedFailures(t *testing.T) {
	// FailNext reaches through the wire: a throttle is answered as AWS
	// answers one, and an error the SDK does not model as a server fault is
	// HTTP 500, which the SDK retries.
	ctx := context.Background()
	cloud, srv := serve(t)
	cloud.Fake(accountA, "us-east-1").FailNext(fakesm.OpDescribeSecret,
		&smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"})
	c := sm.New(sm.Options{}, func(o *sm.Options) {
		*o = srv.Client(keyOfA, "us-east-1").Options()
		o.RetryMaxAttempts = 1
	})
	_, err := c.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("missing")})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "ThrottlingException", api.ErrorCode())

	cloud.Fake(accountA, "us-east-1").FailNext(fakesm.OpDescribeSecret, errors.New("a bug"))
	_, err = c.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("missing")})
	var internal *types.InternalServiceError
	require.ErrorAs(t, err, &internal)
}

func TestServedAccessKeysPickTheAccountAndScopeTheRegion(t *testing.T) {
	ctx := context.Background()
	cloud, srv := serve(t)
	a, b := srv.Client(keyOfA, "us-east-1"), srv.Client(keyOfB, "us-east-1")

	for _, c := range []*sm.Client{a, b} {
		_, err := c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("same-name"), SecretString: aws.String("v")})
		require.NoError(t, err, "a name is per account")
	}
	described, err := b.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("same-name")})
	require.NoError(t, err)
	assert.Contains(t, aws.ToString(described.ARN), ":"+accountB+":")
	assert.Equal(t, 1, cloud.Fake(accountA, "us-east-1").Len())
	assert.Equal(t, 1, cloud.Fake(accountB, "us-east-1").Len())

	// The credential scope's region is the fake's region.
	_, err = srv.Client(keyOfA, "ap-south-1").DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("same-name")})
	var notFound *types.ResourceNotFoundException
	require.ErrorAs(t, err, &notFound)

	_, err = srv.Client("AKIAUNKNOWN", "us-east-1").ListSecrets(ctx, &sm.ListSecretsInput{})
	var api smithy.APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, "UnrecognizedClientException", api.ErrorCode())
}

// post sends a raw request, as a client with no SDK would.
func post(t *testing.T, srv *fakesm.Server, target, authorization, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.Endpoint+"/", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var decoded map[string]any
	require.NoError(t, json.Unmarshal(raw, &decoded), string(raw))
	return resp.StatusCode, resp.Header, decoded
}

func authorization(key, region string) string {
	return fmt.Sprintf("AWS4-HMAC-SHA256 Credential=%s/20260101/%s/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature=0", key, region)
}

func TestServedWireShape(t *testing.T) {
	_, srv := serve(t)
	auth := authorization(keyOfA, "us-east-1")

	status, header, body := post(t, srv, "secretsmanager.CreateSecret", auth,
		`{"Name":"wire","SecretBinary":"AAEC","ClientRequestToken":"00000000-0000-4000-8000-000000000001"}`)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "application/x-amz-json-1.1", header.Get("Content-Type"))
	assert.NotEmpty(t, header.Get("x-amzn-RequestId"))
	assert.Equal(t, "00000000-0000-4000-8000-000000000001", body["VersionId"])

	status, _, body = post(t, srv, "secretsmanager.GetSecretValue", auth, `{"SecretId":"wire"}`)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "AAEC", body["SecretBinary"], "blobs are base64")
	assert.IsType(t, float64(0), body["CreatedDate"], "timestamps are epoch seconds, JSON numbers")
	assert.NotContains(t, body, "SecretString", "an absent member is left out, not null")

	status, _, body = post(t, srv, "secretsmanager.DescribeSecret", auth, `{"SecretId":"wire"}`)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, map[string]any{"00000000-0000-4000-8000-000000000001": []any{"AWSCURRENT"}}, body["VersionIdsToStages"])

	for _, tc := range []struct {
		name, target, authorization, body, code string
		status                                  int
	}{
		{"missing secret", "secretsmanager.DescribeSecret", auth, `{"SecretId":"nope"}`, "ResourceNotFoundException", 400},
		{"wrong member type", "secretsmanager.DescribeSecret", auth, `{"SecretId":5}`, "SerializationException", 400},
		{"not JSON", "secretsmanager.DescribeSecret", auth, `{`, "SerializationException", 400},
		{"unknown operation", "secretsmanager.FlyToTheMoon", auth, `{}`, "UnknownOperationException", 400},
		{"another service", "kms.CreateKey", auth, `{}`, "UnknownOperationException", 400},
		{"unsigned", "secretsmanager.ListSecrets", "", `{}`, "MissingAuthenticationTokenException", 400},
		{"unknown access key", "secretsmanager.ListSecrets", authorization("AKIANOBODY", "us-east-1"), `{}`, "UnrecognizedClientException", 400},
		{"another service's scope", "secretsmanager.ListSecrets", strings.Replace(auth, "/secretsmanager/", "/kms/", 1), `{}`, "InvalidSignatureException", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, header, body := post(t, srv, tc.target, tc.authorization, tc.body)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.code, body["__type"])
			assert.Equal(t, tc.code, header.Get("x-amzn-ErrorType"))
			assert.NotEmpty(t, body["Message"])
		})
	}
}

func TestServedConcurrently(t *testing.T) {
	ctx := context.Background()
	cloud, srv := serve(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []string{keyOfA, keyOfB}[i%2]
			c := srv.Client(key, "us-east-1")
			name := fmt.Sprintf("concurrent-%d", i)
			_, err := c.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String(name), SecretString: aws.String("v")})
			assert.NoError(t, err)
			for range 5 {
				_, err := c.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: aws.String(name), SecretString: aws.String("w")})
				assert.NoError(t, err)
				_, err = c.ListSecrets(ctx, &sm.ListSecretsInput{})
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 4, cloud.Fake(accountA, "us-east-1").Len())
	assert.Equal(t, 4, cloud.Fake(accountB, "us-east-1").Len())
}

func TestServedToTheAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the AWS CLI (seconds per call): run by `make test`, skipped by -short")
	}
	awsCLI, err := exec.LookPath("aws")
	if err != nil {
		t.Fatalf("the AWS CLI is not installed: run `make tools`: %v", err)
	}
	cloud, srv := serve(t)
	run := func(key string, args ...string) (string, error) {
		cmd := exec.Command(awsCLI, append([]string{"secretsmanager", "--output", "json"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
		for k, v := range srv.Env(key, "us-west-2") {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := run(keyOfB, "create-secret", "--name", "from-cli", "--secret-string", "cli-value", "--tags", "Key=k,Value=v")
	require.NoError(t, err, out)
	var created struct {
		ARN       string
		VersionID string `json:"VersionId"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &created), out)
	assert.Contains(t, created.ARN, ":us-west-2:"+accountB+":secret:from-cli-")

	out, err = run(keyOfB, "describe-secret", "--secret-id", "from-cli")
	require.NoError(t, err, out)
	var described struct {
		Tags               []types.Tag
		VersionIDsToStages map[string][]string `json:"VersionIdsToStages"`
		CreatedDate        float64
	}
	require.NoError(t, json.Unmarshal([]byte(out), &described), out)
	assert.Equal(t, map[string][]string{created.VersionID: {"AWSCURRENT"}}, described.VersionIDsToStages)
	assert.InDelta(t, float64(time.Now().Unix()), described.CreatedDate, 60, "the CLI prints the epoch seconds it decoded")

	out, err = run(keyOfB, "get-secret-value", "--secret-id", "from-cli", "--query", "SecretString", "--output", "text")
	require.NoError(t, err, out)
	assert.Equal(t, "cli-value", strings.TrimSpace(out))

	out, err = run(keyOfA, "describe-secret", "--secret-id", "from-cli")
	require.Error(t, err, "another account's key does not see the secret")
	assert.Contains(t, out, "ResourceNotFoundException")

	out, err = run("AKIANOBODY", "list-secrets")
	require.Error(t, err)
	assert.Contains(t, out, "UnrecognizedClientException")

	_, ok := cloud.Fake(accountB, "us-west-2").Snapshot("from-cli")
	assert.True(t, ok)
}
