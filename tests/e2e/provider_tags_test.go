package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/smxlabs/pulumi-smx/internal/faketagging"
	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// TestDefaultAndIgnoredTags runs the provider's tag settings as a pulumi-aws
// user carries them over, as stack config (smx:defaultTags,
// smx:ignoreTags), in one stack of one YAML program:
//
//   - the default tags are live on each secret and in tagsAll, not in tags,
//     a secret's own tag winning on the same key, with no diff after;
//   - a tag that ignoreTags names, added outside Pulumi, is no drift on a
//     refreshing preview and stays through `up`;
//   - a change of the default tags previews as a change of tagsAll, and up
//     applies it; a plain preview then makes no Secrets Manager call.
func TestDefaultAndIgnoredTags(t *testing.T) {
	t.Parallel()
	r := newStackRun(t)
	proxy := faultproxy.Start(t, r.moto.Endpoint)
	r.env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = proxy.URL
	ctx := context.Background()
	project := t.TempDir()
	program := `name: smx-tags
runtime: yaml
resources:
  app:
    type: smx:secretsmanager:Secret
    properties:
      name: tags/app
      tags:
        env: prod
  own:
    type: smx:secretsmanager:Secret
    properties:
      name: tags/own
      tags:
        team: core
outputs:
  appTags: ${app.tags}
  appTagsAll: ${app.tagsAll}
`
	if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) cliResult {
		t.Helper()
		return r.runCommand(runOptions{dir: project}, "pulumi", append(args, "--non-interactive")...)
	}
	cli("stack", "init", "tags")
	cli("config", "set", "--path", "smx:defaultTags.tags.team", "payments")
	cli("config", "set", "--path", "smx:ignoreTags.keys[0]", "CostCenter")
	cli("up", "--yes")

	requireLiveTags(t, r, "tags/app", map[string]string{"team": "payments", "env": "prod"})
	requireLiveTags(t, r, "tags/own", map[string]string{"team": "core"})
	outputs := cli("stack", "output", "--json").stdout
	requireShown(t, "stack output", compact(outputs), `"appTags":{"env":"prod"}`, `"appTagsAll":{"env":"prod","team":"payments"}`)
	cli("preview", "--refresh", "--expect-no-changes")

	// Outside Pulumi, the organisation's tooling adds the ignored tag.
	if _, err := r.client.TagResource(ctx, &sm.TagResourceInput{
		SecretId: aws.String("tags/app"), Tags: []smtypes.Tag{{Key: aws.String("CostCenter"), Value: aws.String("4711")}},
	}); err != nil {
		t.Fatal(err)
	}
	cli("preview", "--refresh", "--expect-no-changes")
	cli("refresh", "--yes")
	requireNotShown(t, "stack output after refresh", cli("stack", "output", "--json").stdout, "CostCenter")

	// A change of the default tags is an update of each secret that gets
	// them, shown as tagsAll.
	cli("config", "set", "--path", "smx:defaultTags.tags.team", "billing")
	preview := cli("preview", "--diff")
	requireShown(t, "preview --diff", preview.stdout, "~ tagsAll", `"payments" => "billing"`, "1 to update")
	requireNotShown(t, "preview --diff", preview.stdout, "replace", "CostCenter")
	cli("up", "--yes")
	requireLiveTags(t, r, "tags/app", map[string]string{"team": "billing", "env": "prod", "CostCenter": "4711"})
	requireLiveTags(t, r, "tags/own", map[string]string{"team": "core"})
	cli("preview", "--refresh", "--expect-no-changes")
	requireNoCalls(t, proxy, func() { cli("preview", "--expect-no-changes") })

	// smx:tagPolicyCompliance, with the organization's required keys from a
	// loopback ListRequiredTags (moto serves none), found through the SDK's
	// endpoint variable. A preview with nothing to change asks nothing; a
	// change of the tags of a secret that lacks a required key fails the
	// preview, naming the key and the setting; a default tag supplies it.
	org := faketagging.Start(t,
		faketagging.RequiredTag{ResourceType: "secretsmanager:secret", ReportingTagKeys: []string{"team", "cost"}})
	r.env["AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API"] = org.URL
	cli("config", "set", "smx:tagPolicyCompliance", "error")
	requireNoCalls(t, proxy, func() { cli("preview", "--expect-no-changes") })
	if org.Calls() != 0 {
		t.Fatalf("a preview with nothing to change made %d ListRequiredTags calls, want none", org.Calls())
	}
	cli("config", "set", "--path", "smx:defaultTags.tags.team", "payments")
	refused := r.runCommand(runOptions{dir: project, expect: mustFail}, "pulumi", "preview", "--non-interactive")
	requireShown(t, "preview of a secret lacking a required tag", refused.stdout+refused.stderr, "resource 'app'", "lacks tag keys [cost]",
		`smx:tagPolicyCompliance is "error"`)
	cli("config", "set", "--path", "smx:defaultTags.tags.cost", "cc-4711")
	cli("up", "--yes")
	requireLiveTags(t, r, "tags/app", map[string]string{"team": "payments", "cost": "cc-4711", "env": "prod", "CostCenter": "4711"})

	cli("destroy", "--yes")
	r.assertNoLiveSecrets()
}

// requireLiveTags fails unless the secret carries exactly want, smx's owner
// tag aside.
func requireLiveTags(t *testing.T, r *stackRun, secretID string, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, tag := range describeSecret(t, r, secretID).Tags {
		if key := aws.ToString(tag.Key); !strings.HasPrefix(key, "smx:") {
			got[key] = aws.ToString(tag.Value)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("secret %s carries %v, want %v", secretID, got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("secret %s carries %v, want %v", secretID, got, want)
		}
	}
}

// compact is JSON without its whitespace, for comparing printed outputs.
func compact(s string) string {
	return strings.Join(strings.Fields(s), "")
}
