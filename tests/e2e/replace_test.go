package e2e

import (
	"context"
	"os"
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
// until restoreIfScheduledForDeletion adopts the old secret. A secret without
// smx's owner tag (imported, migrated) is replaced the same way.
func TestSameNameReplaceAndRecreate(t *testing.T) {
	t.Parallel()
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
	r.runPulumi(project, "stack", "init", "replace", "--non-interactive")
	r.runPulumi(project, "up", "--yes", "--non-interactive")
	before := r.runPulumi(project, "stack", "output", "secretId")

	// `pulumi up --replace` creates the replacement before deleting the old
	// secret, which AWS refuses for one name: smx hands the existing secret
	// (its own, by its owner tag) over to the replacement, and deletes
	// nothing.
	urn := "urn:pulumi:replace::smx-replace::smx:secretsmanager:Secret::secret"
	r.runPulumi(project, "up", "--yes", "--non-interactive", "--replace", urn)
	if handedOver := r.runPulumi(project, "stack", "output", "secretId"); handedOver != before {
		t.Fatalf("--replace (create before delete) made %s; want the secret handed over, %s", handedOver, before)
	}
	r.assertSecretValue(strings.TrimSpace(before), documentSecretValue)
	r.runPulumi(project, "preview", "--expect-no-changes", "--non-interactive")

	// With delete-before-replace, the old secret is deleted first and its
	// name, reserved by the recovery window, is freed for a new secret.
	writeProgram("\n    options:\n      deleteBeforeReplace: true")
	r.runPulumi(project, "up", "--yes", "--non-interactive", "--replace", urn)
	after := r.runPulumi(project, "stack", "output", "secretId")
	if before == after {
		t.Fatalf("--replace with deleteBeforeReplace kept the same secret (%s)", before)
	}
	r.assertSecretValue(strings.TrimSpace(after), documentSecretValue)
	r.runPulumi(project, "preview", "--expect-no-changes", "--non-interactive")

	// A secret smx did not create (imported, or moved from pulumi-aws) has no
	// owner tag. A replacement that keeps its name and that the diff plans
	// (here replaceOnChanges) deletes it first; the preview, which still sees
	// it live, must not refuse the name as someone else's.
	dropOwnerTag := func(secretID string) {
		t.Helper()
		if _, err := r.client.UntagResource(context.Background(), &sm.UntagResourceInput{
			SecretId: aws.String(strings.TrimSpace(secretID)), TagKeys: []string{"smx:owner"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	dropOwnerTag(after)
	writeProgram(", replaced on change\n    options:\n      replaceOnChanges: [description]\n      deleteBeforeReplace: true")
	r.runPulumi(project, "up", "--yes", "--non-interactive")
	replaced := r.runPulumi(project, "stack", "output", "secretId")
	if replaced == after {
		t.Fatalf("replaceOnChanges kept the same secret (%s)", after)
	}
	r.assertSecretValue(strings.TrimSpace(replaced), documentSecretValue)
	// A targeted replacement reaches the provider without the recorded
	// inputs: the preview cannot tell such a secret from someone else's and
	// refuses the name, saying how to run it; without the preview it works.
	dropOwnerTag(replaced)
	refused := r.runCommand(runOptions{dir: project, expect: mustFail}, "pulumi", "up", "--yes", "--non-interactive", "--replace", urn).output()
	for _, want := range []string{"a secret with this name already exists", "--skip-preview"} {
		if !strings.Contains(refused, want) {
			t.Fatalf("the preview of --replace of a secret without owner tag does not say %q:\n%s", want, refused)
		}
	}
	r.runPulumi(project, "up", "--yes", "--non-interactive", "--replace", urn, "--skip-preview")
	after = r.runPulumi(project, "stack", "output", "secretId")
	if after == replaced {
		t.Fatalf("--replace --skip-preview kept the same secret (%s)", replaced)
	}
	r.assertSecretValue(strings.TrimSpace(after), documentSecretValue)
	r.runPulumi(project, "preview", "--expect-no-changes", "--non-interactive")

	// Destroy schedules deletion with the default 30-day window; the name
	// stays reserved.
	r.runPulumi(project, "destroy", "--yes", "--non-interactive")
	out := r.runCommand(runOptions{dir: project, expect: mustFail}, "pulumi", "preview", "--non-interactive").output()
	for _, want := range []string{"scheduled for deletion", "restoreIfScheduledForDeletion"} {
		if !strings.Contains(out, want) {
			t.Fatalf("preview over a name scheduled for deletion does not say %q:\n%s", want, out)
		}
	}

	// Opting in restores and adopts the old secret.
	writeProgram("\n      restoreIfScheduledForDeletion: true")
	r.runPulumi(project, "up", "--yes", "--non-interactive")
	restored := r.runPulumi(project, "stack", "output", "secretId")
	if restored != after {
		t.Fatalf("restoreIfScheduledForDeletion created %s instead of adopting %s", restored, after)
	}
	described, err := r.client.DescribeSecret(context.Background(), &sm.DescribeSecretInput{SecretId: aws.String("app/replace-me")})
	if err != nil || described.DeletedDate != nil {
		t.Fatalf("the adopted secret is not live: %v", err)
	}
	r.runPulumi(project, "destroy", "--yes", "--non-interactive")
	r.assertNoLiveSecrets()
	r.assertStateHasNoPlaintext()
}
