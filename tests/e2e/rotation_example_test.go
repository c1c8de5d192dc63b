package e2e

import (
	"archive/zip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// TestGeneratedRotatedExample runs examples/yaml-rotation with the real
// `pulumi up`: a secret whose value Secrets Manager generates, a rotation
// schedule, a resource policy, and the value read back with
// getSecretVersion. moto needs the rotation Lambda to exist, so the test
// first creates it there with the AWS CLI, as a user would in AWS.
func TestGeneratedRotatedExample(t *testing.T) {
	t.Parallel()
	r := newStackRun(t)
	lambdaARN := createRotationLambda(t, r)

	project := filepath.Join(t.TempDir(), "yaml-rotation")
	r.runCommand(runOptions{}, "cp", "-r", filepath.Join(repoRoot, "examples", "yaml-rotation"), project)
	r.runPulumi(project, "stack", "init", "e2e", "--non-interactive")
	r.runPulumi(project, "config", "set", "rotationLambdaArn", lambdaARN)
	r.runPulumi(project, "up", "--yes", "--non-interactive", "--diff")

	var outputs struct {
		SecretArn       string `json:"secretArn"`
		RotationEnabled bool   `json:"rotationEnabled"`
		VersionID       string `json:"currentVersionId"`
	}
	if err := json.Unmarshal([]byte(r.runPulumi(project, "stack", "output", "--json")), &outputs); err != nil {
		t.Fatal(err)
	}
	if !outputs.RotationEnabled || outputs.VersionID == "" {
		t.Fatalf("outputs %+v: want rotation enabled and the current version read back", outputs)
	}

	// The generated value: the template with a 32-character password,
	// never in state or CLI output in plaintext.
	ctx := context.Background()
	value, err := r.client.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: &outputs.SecretArn})
	if err != nil {
		t.Fatal(err)
	}
	var credentials struct{ Username, Password string }
	if err := json.Unmarshal([]byte(aws.ToString(value.SecretString)), &credentials); err != nil {
		t.Fatalf("the generated value is not the template's JSON: %v", err)
	}
	if credentials.Username != "orders" || len(credentials.Password) != 32 || strings.ContainsAny(credentials.Password, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") {
		t.Fatalf("generated credentials: username %q, a %d-character password (want orders, 32, no punctuation)",
			credentials.Username, len(credentials.Password))
	}
	r.assertStateLacks(credentials.Password)
	// The stack output holding the value is a secret.
	shown := r.runPulumi(project, "stack", "output", "credentials")
	r.assertNoPlaintextValue("pulumi stack output", shown, credentials.Password)

	described, err := r.client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &outputs.SecretArn})
	if err != nil || !aws.ToBool(described.RotationEnabled) || aws.ToString(described.RotationLambdaARN) != lambdaARN ||
		aws.ToInt64(described.RotationRules.AutomaticallyAfterDays) != 30 {
		t.Fatalf("rotation in AWS: %v, %+v", err, described)
	}
	policy, err := r.client.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: &outputs.SecretArn})
	if err != nil || !strings.Contains(aws.ToString(policy.ResourcePolicy), "secretsmanager:GetSecretValue") {
		t.Fatalf("policy in AWS: %v, %v", err, aws.ToString(policy.ResourcePolicy))
	}

	r.runPulumi(project, "preview", "--expect-no-changes", "--non-interactive", "--diff")
	r.runPulumi(project, "destroy", "--yes", "--non-interactive")
	r.assertNoLiveSecrets()
	r.assertStateLacks(credentials.Password)
}

// createRotationLambda creates, in moto, the Lambda function the example
// rotates with (and the role it needs), using the AWS CLI.
func createRotationLambda(t *testing.T, r *stackRun) string {
	t.Helper()
	dir := t.TempDir()
	archive := filepath.Join(dir, "rotate.zip")
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("index.py")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("def handler(event, context):\n    return None\n")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	// IAM and Lambda go to moto through the general endpoint variable.
	env := map[string]string{"AWS_ENDPOINT_URL": r.moto.Endpoint}
	r.runCommand(runOptions{dir: dir, env: env}, "aws", "iam", "create-role", "--role-name", "secret-rotator",
		"--assume-role-policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	out := r.runCommand(runOptions{dir: dir, env: env}, "aws", "lambda", "create-function", "--function-name", "rotate-db-credentials",
		"--runtime", "python3.11", "--handler", "index.handler", "--role", "arn:aws:iam::123456789012:role/secret-rotator",
		"--zip-file", "fileb://"+archive, "--query", "FunctionArn", "--output", "text").stdout
	return strings.TrimSpace(out)
}

// The same program in TypeScript, run as an inline program by the Node
// driver: the Lambda is created under the ARN the program uses by default.
func TestGeneratedRotatedTypeScriptExample(t *testing.T) {
	t.Parallel()
	exampleDir := filepath.Join(repoRoot, "examples", "ts-rotation")
	requireFile(t, filepath.Join(exampleDir, "bin", "index.js"), "make examples")
	r := newStackRun(t)
	if arn := createRotationLambda(t, r); arn != "arn:aws:lambda:us-east-1:123456789012:function:rotate-db-credentials" {
		t.Fatalf("moto made the rotation function %s, not the ARN the example uses by default", arn)
	}
	driver := nodeDriver

	up := r.drive(driver, exampleDir, "e2e", "up")
	if up.Outputs["credentials"] != "[secret]" || up.Outputs["rotationEnabled"] != true {
		t.Fatalf("outputs %v: want the credentials as a secret and rotation enabled", up.Outputs)
	}
	secretArn, _ := up.Outputs["secretArn"].(string)
	value, err := r.client.GetSecretValue(context.Background(), &sm.GetSecretValueInput{SecretId: &secretArn})
	if err != nil {
		t.Fatal(err)
	}
	var credentials struct{ Username, Password string }
	if err := json.Unmarshal([]byte(aws.ToString(value.SecretString)), &credentials); err != nil || credentials.Username != "orders" || len(credentials.Password) != 32 {
		t.Fatalf("generated credentials: %v, username %q, %d-character password", err, credentials.Username, len(credentials.Password))
	}
	r.assertStateLacks(credentials.Password)
	r.assertNoChanges(r.drive(driver, exampleDir, "e2e", "preview").ChangeSummary)
	r.drive(driver, exampleDir, "e2e", "destroy")
	r.assertNoLiveSecrets()
	r.assertStateLacks(credentials.Password)
}
