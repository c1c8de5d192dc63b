package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// A replacement that keeps the secret's name — here `pulumi up --replace` —
// must succeed in one run, although AWS keeps a deleted secret's name
// reserved for its recovery window. And after `pulumi destroy`, creating the
// same name again must fail at preview with a message that says what to do,
// until restoreIfScheduledForDeletion adopts the old secret.
func TestSameNameReplaceAndRecreate(t *testing.T) {
	r := newStackRun(t)
	project := t.TempDir()
	writeProgram := func(extra string) {
		t.Helper()
		program := `name: smx-replace
runtime: yaml
resources:
  secret:
    type: smx:secretsmanager:Secret
    properties:
      name: app/replace-me
      description: kept by name` + extra + `
  secretVersion:
    type: smx:secretsmanager:SecretVersion
    properties:
      secretId: ${secret.id}
      secretString: mysecret
outputs:
  secretId: ${secret.id}
`
		if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte(program), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeProgram("")
	r.run(project, "pulumi", "stack", "init", "replace", "--non-interactive")
	r.run(project, "pulumi", "up", "--yes", "--non-interactive")
	before := r.run(project, "pulumi", "stack", "output", "secretId")

	// `pulumi up --replace` creates the replacement before deleting the old
	// secret, which AWS refuses for one name: smx hands the existing secret
	// (its own, by its owner tag) over to the replacement, and deletes
	// nothing.
	urn := "urn:pulumi:replace::smx-replace::smx:secretsmanager:Secret::secret"
	r.run(project, "pulumi", "up", "--yes", "--non-interactive", "--replace", urn)
	if handedOver := r.run(project, "pulumi", "stack", "output", "secretId"); handedOver != before {
		t.Fatalf("--replace (create before delete) made %s; want the secret handed over, %s", handedOver, before)
	}
	r.assertSecretValue(strings.TrimSpace(before), documentSecretValue)
	r.run(project, "pulumi", "preview", "--expect-no-changes", "--non-interactive")

	// With delete-before-replace, the old secret is deleted first and its
	// name, reserved by the recovery window, is freed for a new secret.
	writeProgram("\n    options:\n      deleteBeforeReplace: true")
	r.run(project, "pulumi", "up", "--yes", "--non-interactive", "--replace", urn)
	after := r.run(project, "pulumi", "stack", "output", "secretId")
	if before == after {
		t.Fatalf("--replace with deleteBeforeReplace kept the same secret (%s)", before)
	}
	r.assertSecretValue(strings.TrimSpace(after), documentSecretValue)
	r.run(project, "pulumi", "preview", "--expect-no-changes", "--non-interactive")

	// Destroy schedules deletion with the default 30-day window; the name
	// stays reserved.
	r.run(project, "pulumi", "destroy", "--yes", "--non-interactive")
	out := r.runFailing(project, "pulumi", "preview", "--non-interactive")
	for _, want := range []string{"scheduled for deletion", "restoreIfScheduledForDeletion"} {
		if !contains(out, want) {
			t.Fatalf("preview over a name scheduled for deletion does not say %q:\n%s", want, out)
		}
	}

	// Opting in restores and adopts the old secret.
	writeProgram("\n      restoreIfScheduledForDeletion: true")
	r.run(project, "pulumi", "up", "--yes", "--non-interactive")
	restored := r.run(project, "pulumi", "stack", "output", "secretId")
	if restored != after {
		t.Fatalf("restoreIfScheduledForDeletion created %s instead of adopting %s", restored, after)
	}
	described, err := r.client.DescribeSecret(context.Background(), &sm.DescribeSecretInput{SecretId: aws.String("app/replace-me")})
	if err != nil || described.DeletedDate != nil {
		t.Fatalf("the adopted secret is not live: %v", err)
	}
	r.run(project, "pulumi", "destroy", "--yes", "--non-interactive")
	r.assertNoLiveSecrets()
	r.assertStateHasNoPlaintext()
}

// runFailing runs a command that must fail and returns its combined output,
// which must not leak the secret value either.
func (r *stackRun) runFailing(dir string, name string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command(filepath.Join(pulumiRoot, "bin", name), args...)
	if name != "pulumi" {
		cmd = exec.Command(name, args...)
	}
	cmd.Dir = dir
	cmd.Env = r.environ(nil)
	out, err := cmd.CombinedOutput()
	r.assertNoPlaintext("the output of "+name, string(out))
	if err == nil {
		r.t.Fatalf("%s %s succeeded, want a failure:\n%s", name, strings.Join(args, " "), out)
	}
	return string(out)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
