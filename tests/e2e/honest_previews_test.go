package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// TestHonestPreviewsAndRefreshes runs, as a careful user would, the cases
// where a preview or a refresh used to lie or a stack got stuck, in one
// stack of one YAML program:
//
//   - a secret's first version written with a custom label, which AWS makes
//     AWSCURRENT too (the next preview used to fail);
//   - a version whose only label is moved to another version outside Pulumi
//     (it used to be refreshed as AWSCURRENT, and preview and up failed);
//   - two versions of one secret with unset labels, the second written after
//     the first (terraform-provider-aws's
//     TestAccSecretsManagerSecretVersionsDataSource_basic; a refreshing
//     preview used to replace the first);
//   - a secret with no replicas in the program that gets one outside Pulumi
//     (the next up used to delete it behind an empty "~ update"), and a tag
//     added outside Pulumi on a key the secret does not declare (it used to
//     be shown as an update naming no property; it is now left alone and
//     shown in tagsAll, tags.go);
//   - replicas removed from a program that had them: removed, and shown.
//
// Each step is the real CLI: up, the change outside Pulumi, refresh --diff,
// preview --diff, up, preview --refresh --expect-no-changes, and a plain
// preview that makes no Secrets Manager call at all. Custom labels are not
// moved by a PutSecretValue that moves AWSCURRENT here, since moto drops
// them from the version AWSCURRENT leaves and AWS does not (moto.md); the
// fake covers those orders (provider/secretsmanager/secret_version_stages_test.go).
func TestHonestPreviewsAndRefreshes(t *testing.T) {
	t.Parallel()
	r := newStackRun(t)
	proxy := faultproxy.Start(t, r.moto.Endpoint)
	r.env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = proxy.URL
	ctx := context.Background()
	project := t.TempDir()
	writeHonestProgram(t, project, "")
	cli := func(args ...string) cliResult {
		t.Helper()
		return r.runCommand(runOptions{dir: project}, "pulumi", append(args, "--non-interactive")...)
	}
	cli("stack", "init", "honest")
	cli("up", "--yes")
	cli("preview", "--expect-no-changes")
	cli("preview", "--refresh", "--expect-no-changes")

	// Outside Pulumi: the "pending" label moves from its version to the
	// current one, a replica and a tag are added.
	versions := describeVersions(t, r, "honest/labels")
	pendingID, blueID := versions["pending"], versions["blue"]
	if pendingID == "" || blueID == "" || pendingID == blueID {
		t.Fatalf("after up the labels are %v, want pending and blue on two versions", versions)
	}
	if _, err := r.client.UpdateSecretVersionStage(ctx, &sm.UpdateSecretVersionStageInput{
		SecretId: aws.String("honest/labels"), VersionStage: aws.String("pending"),
		MoveToVersionId: aws.String(blueID), RemoveFromVersionId: aws.String(pendingID),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.ReplicateSecretToRegions(ctx, &sm.ReplicateSecretToRegionsInput{
		SecretId: aws.String("honest/drift"), AddReplicaRegions: []smtypes.ReplicaRegionType{{Region: aws.String("eu-west-1")}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.TagResource(ctx, &sm.TagResourceInput{
		SecretId: aws.String("honest/drift"), Tags: []smtypes.Tag{{Key: aws.String("added-by"), Value: aws.String("console")}},
	}); err != nil {
		t.Fatal(err)
	}

	// The refresh records what AWS holds, and shows each drift the next up
	// would undo, property by property. The replica and the tag are recorded
	// too (the tag in tagsAll), but are no drift, and the refresh does not
	// show them: the program has no opinion on replicas, nor on the tag keys
	// it does not declare.
	refresh := cli("refresh", "--diff", "--yes")
	requireShown(t, "refresh --diff", refresh.stdout, "versionStages", `- [0]: "pending"`)
	requireNotShown(t, "refresh --diff", refresh.stdout, "replicas", "added-by")
	exported := cli("stack", "export").stdout
	if tagsAll := compact(recordedOutput(t, exported, "drift", "tagsAll")); tagsAll != `{"added-by":"console","team":"core"}` {
		t.Fatalf("after the refresh the secret's tagsAll is recorded as %s, want the tag added outside Pulumi in it", tagsAll)
	}
	if stages := recordedOutput(t, exported, "pending", "versionStages"); stages != "[]" {
		t.Fatalf("after the refresh the version with no label is recorded with %s, want []", stages)
	}
	if replicas := recordedOutput(t, exported, "drift", "replicas"); !strings.Contains(replicas, "eu-west-1") {
		t.Fatalf("after the refresh the secret's replicas are recorded as %s, want the one added outside Pulumi", replicas)
	}

	// The preview names each change it plans: the label coming back; the
	// replica and the tag nobody asked for are left alone.
	preview := cli("preview", "--diff")
	// (blue holds AWSCURRENT, blue and pending in that order: only pending
	// goes, and AWS's own AWSCURRENT is not shown at all.)
	requireShown(t, "preview --diff", preview.stdout, `- [2]: "pending"`, `+ [0]: "pending"`)
	requireNotShown(t, "preview --diff", preview.stdout, "replicas", "eu-west-1", "replace", "AWSCURRENT", "added-by")
	cli("up", "--yes")
	if got := describeVersions(t, r, "honest/labels")["pending"]; got != pendingID {
		t.Fatalf("after up the pending label is on %s, want it back on its version %s", got, pendingID)
	}
	drift := describeSecret(t, r, "honest/drift")
	if len(drift.ReplicationStatus) != 1 || aws.ToString(drift.ReplicationStatus[0].Region) != "eu-west-1" {
		t.Fatalf("after up the replicas are %v, want the one added outside Pulumi kept", drift.ReplicationStatus)
	}
	requireLiveTags(t, r, "honest/drift", map[string]string{"team": "core", "added-by": "console"})
	cli("preview", "--refresh", "--expect-no-changes")
	requireNoCalls(t, proxy, func() { cli("preview", "--expect-no-changes") })

	// Replicas the program sets, then stops setting: the removal is shown and
	// done, the one added outside Pulumi included, since the program now
	// speaks for the replicas.
	writeHonestProgram(t, project, "      replicas:\n        - region: us-west-2\n")
	cli("up", "--yes")
	writeHonestProgram(t, project, "")
	preview = cli("preview", "--diff")
	requireShown(t, "preview --diff after replicas left the program", preview.stdout, "~ replicas", `- region: "us-west-2"`)
	cli("up", "--yes")
	if replicas := describeSecret(t, r, "honest/drift").ReplicationStatus; len(replicas) != 0 {
		t.Fatalf("after replicas left the program, the secret still has %v", replicas)
	}
	cli("preview", "--refresh", "--expect-no-changes")
	requireNoCalls(t, proxy, func() { cli("preview", "--expect-no-changes") })

	cli("destroy", "--yes")
	r.assertNoLiveSecrets()
}

func writeHonestProgram(t *testing.T, dir, driftProperties string) {
	t.Helper()
	program := `name: smx-honest
runtime: yaml
resources:
  labels:
    type: smx:secretsmanager:Secret
    properties:
      name: honest/labels
  blue:
    type: smx:secretsmanager:SecretVersion
    properties:
      secretId: ${labels.id}
      secretString: blue-value
      versionStages: [blue]
  pending:
    type: smx:secretsmanager:SecretVersion
    properties:
      secretId: ${labels.id}
      secretString: pending-value
      versionStages: [pending]
    options:
      dependsOn:
        - ${blue}
  siblings:
    type: smx:secretsmanager:Secret
    properties:
      name: honest/siblings
  older:
    type: smx:secretsmanager:SecretVersion
    properties:
      secretId: ${siblings.id}
      secretString: older-value
  newer:
    type: smx:secretsmanager:SecretVersion
    properties:
      secretId: ${siblings.id}
      secretString: newer-value
    options:
      dependsOn:
        - ${older}
  drift:
    type: smx:secretsmanager:Secret
    properties:
      name: honest/drift
      tags:
        team: core
` + driftProperties
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
}

// describeVersions maps each label of a secret to the version holding it.
func describeVersions(t *testing.T, r *stackRun, secretID string) map[string]string {
	t.Helper()
	holders := map[string]string{}
	for version, stages := range describeSecret(t, r, secretID).VersionIdsToStages {
		for _, stage := range stages {
			holders[stage] = version
		}
	}
	return holders
}

func describeSecret(t *testing.T, r *stackRun, secretID string) *sm.DescribeSecretOutput {
	t.Helper()
	return describeIn(t, r.client, secretID)
}

func requireShown(t *testing.T, step, output string, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(output, w) {
			t.Fatalf("%s does not show %q:\n%s", step, w, output)
		}
	}
}

func requireNotShown(t *testing.T, step, output string, words ...string) {
	t.Helper()
	for _, w := range words {
		if strings.Contains(output, w) {
			t.Fatalf("%s shows %q:\n%s", step, w, output)
		}
	}
}

// recordedOutput is one output of the resource named name in an exported
// deployment, as JSON.
func recordedOutput(t *testing.T, exported, name, output string) string {
	t.Helper()
	var state struct {
		Deployment struct {
			Resources []struct {
				URN     string                     `json:"urn"`
				Outputs map[string]json.RawMessage `json:"outputs"`
			} `json:"resources"`
		} `json:"deployment"`
	}
	if err := json.Unmarshal([]byte(exported), &state); err != nil {
		t.Fatalf("pulumi stack export: %v", err)
	}
	for _, res := range state.Deployment.Resources {
		if strings.HasSuffix(res.URN, "::"+name) {
			return string(res.Outputs[output])
		}
	}
	t.Fatalf("no resource %s in the exported state", name)
	return ""
}

// requireNoCalls runs f and fails if it made any Secrets Manager call.
func requireNoCalls(t *testing.T, proxy *faultproxy.Proxy, f func()) {
	t.Helper()
	proxy.ResetCounts()
	f()
	for action, c := range proxy.Counts() {
		if c.Received > 0 {
			t.Fatalf("a plain preview made %d %s calls, want none", c.Received, action)
		}
	}
}
