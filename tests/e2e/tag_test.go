package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// TestSecretTagsAndTagResourcesConverge runs a Secret with its own tags and
// a Tag resource on another key of the same secret, which in pulumi-aws
// fight for ever (its docs prescribe ignoreChanges on the Secret's tags), in
// one stack of one YAML program with the real CLI:
//
//   - up puts both keys on the secret; refresh shows the Tag's key in the
//     Secret's tagsAll; preview --expect-no-changes and up --refresh
//     --expect-no-changes then find nothing to do, and a plain preview makes
//     no Secrets Manager call;
//   - the Secret's own key changed outside Pulumi is put back by up
//     --refresh, the Tag's key staying; the Tag's value changed outside
//     Pulumi is put back the same way;
//   - destroy removes everything.
func TestSecretTagsAndTagResourcesConverge(t *testing.T) {
	t.Parallel()
	r := newStackRun(t)
	proxy := faultproxy.Start(t, r.moto.Endpoint)
	r.env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = proxy.URL
	ctx := context.Background()
	project := t.TempDir()
	program := `name: smx-tag
runtime: yaml
resources:
  secret:
    type: smx:secretsmanager:Secret
    properties:
      name: tagged/app
      recoveryWindowInDays: 0
      tags:
        team: core
  costCenter:
    type: smx:secretsmanager:Tag
    properties:
      secretId: ${secret.id}
      key: CostCenter
      value: "4711"
outputs:
  tags: ${secret.tags}
  tagsAll: ${secret.tagsAll}
  tagId: ${costCenter.id}
`
	if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) cliResult {
		t.Helper()
		return r.runCommand(runOptions{dir: project}, "pulumi", append(args, "--non-interactive")...)
	}
	cli("stack", "init", "tag")
	cli("up", "--yes")
	both := map[string]string{"team": "core", "CostCenter": "4711"}
	requireLiveTags(t, r, "tagged/app", both)
	arn := aws.ToString(describeSecret(t, r, "tagged/app").ARN)
	requireShown(t, "stack output", compact(cli("stack", "output", "--json").stdout), `"tagId":"`+arn+`,CostCenter"`)

	cli("refresh", "--yes")
	exported := cli("stack", "export").stdout
	requireShown(t, "the Secret's state after refresh", compact(recordedOutput(t, exported, "secret", "tags")), `{"team":"core"}`)
	requireShown(t, "the Secret's state after refresh", compact(recordedOutput(t, exported, "secret", "tagsAll")),
		`{"CostCenter":"4711","team":"core"}`)
	cli("preview", "--expect-no-changes")
	cli("up", "--refresh", "--yes", "--expect-no-changes")
	requireLiveTags(t, r, "tagged/app", both)
	cli("preview", "--refresh", "--expect-no-changes")
	requireNoCalls(t, proxy, func() { cli("preview", "--expect-no-changes") })

	// Outside Pulumi: the Secret's own key and the Tag's value change.
	if _, err := r.client.TagResource(ctx, &sm.TagResourceInput{SecretId: aws.String("tagged/app"), Tags: []smtypes.Tag{
		{Key: aws.String("team"), Value: aws.String("edited")}, {Key: aws.String("CostCenter"), Value: aws.String("0000")},
	}}); err != nil {
		t.Fatal(err)
	}
	preview := cli("preview", "--refresh", "--diff")
	requireShown(t, "preview --refresh --diff", preview.stdout, `"edited" => "core"`, `"0000" => "4711"`, "2 to update")
	requireNotShown(t, "preview --refresh --diff", preview.stdout, "replace", "- CostCenter", "- team")
	cli("up", "--refresh", "--yes")
	requireLiveTags(t, r, "tagged/app", both)
	cli("up", "--refresh", "--yes", "--expect-no-changes")

	cli("destroy", "--yes")
	r.assertNoLiveSecrets()
}
