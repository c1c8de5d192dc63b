package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
)

// rolesProgram has an explicit provider per way of reaching an account:
// one assumed role, a chain of two, and web identity from a token file
// (with an account guard that lets it through). moto is multi-account:
// credentials from AssumeRole into arn:aws:iam::222222222222:role/x act in
// account 222222222222, so each secret's ARN says which account the
// provider wrote it in. extra is more YAML under resources.
func rolesProgram(tokenFile, extra string) string {
	return `name: smx-roles
runtime: yaml
resources:
  oneRole:
    type: pulumi:providers:smx
    properties:
      assumeRoles:
        - roleArn: arn:aws:iam::222222222222:role/x
          sessionName: smx-e2e
          duration: 1h
  twoRoles:
    type: pulumi:providers:smx
    properties:
      assumeRoles:
        - roleArn: arn:aws:iam::222222222222:role/first
        - roleArn: arn:aws:iam::333333333333:role/second
          externalId: smx-e2e
  webIdentity:
    type: pulumi:providers:smx
    properties:
      assumeRoleWithWebIdentity:
        roleArn: arn:aws:iam::444444444444:role/ci
        webIdentityTokenFile: ` + tokenFile + `
      allowedAccountIds: ["444444444444"]
  inOneRole:
    type: smx:secretsmanager:Secret
    properties:
      name: smx-e2e/one-role
    options:
      provider: ${oneRole}
  inTwoRoles:
    type: smx:secretsmanager:Secret
    properties:
      name: smx-e2e/two-roles
    options:
      provider: ${twoRoles}
  inWebIdentity:
    type: smx:secretsmanager:Secret
    properties:
      name: smx-e2e/web-identity
    options:
      provider: ${webIdentity}
` + extra + `outputs:
  oneRoleArn: ${inOneRole.arn}
  twoRolesArn: ${inTwoRoles.arn}
  webIdentityArn: ${inWebIdentity.arn}
`
}

// TestAssumedRolesAndAccountGuards runs smx's role settings through the real
// CLI on moto, in one stack: each provider's secret lands in the account of
// its last role; a no-op preview after makes no call at all; and a provider
// whose account is not in allowedAccountIds fails the preview, naming the
// account, before any Secrets Manager call.
func TestAssumedRolesAndAccountGuards(t *testing.T) {
	t.Parallel()
	r := newStackRun(t)
	secretsManager := faultproxy.Start(t, r.moto.Endpoint)
	sts := faultproxy.Start(t, r.moto.Endpoint)
	r.env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = secretsManager.URL
	r.env["AWS_ENDPOINT_URL_STS"] = sts.URL
	r.installProvider()

	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "web-identity-token")
	// moto does not verify the token; AWS would verify its issuer.
	if err := os.WriteFile(tokenFile, []byte("eyJhbGciOiJub25lIn0.eyJzdWIiOiJlMmUifQ."), 0o600); err != nil {
		t.Fatal(err)
	}
	project := filepath.Join(dir, "project")
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(program string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(project, "Pulumi.yaml"), []byte(program), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(rolesProgram(tokenFile, ""))
	r.runPulumi(project, "stack", "init", "roles", "--non-interactive")
	r.runPulumi(project, "up", "--yes", "--non-interactive")
	defer r.runPulumi(project, "destroy", "--yes", "--non-interactive")

	var outputs map[string]string
	if err := json.Unmarshal([]byte(r.runPulumi(project, "stack", "output", "--json")), &outputs); err != nil {
		t.Fatal(err)
	}
	for output, account := range map[string]string{"oneRoleArn": "222222222222", "twoRolesArn": "333333333333", "webIdentityArn": "444444444444"} {
		if arn := outputs[output]; !strings.HasPrefix(arn, "arn:aws:secretsmanager:us-east-1:"+account+":secret:") {
			t.Errorf("%s = %q; want a secret in account %s, the last role's", output, arn, account)
		}
	}

	// Nothing to change: no client is asked for, so neither the roles nor
	// the guard cost a call.
	secretsManager.ResetCounts()
	sts.ResetCounts()
	preview := r.runCommand(runOptions{dir: project}, "pulumi", "preview", "--non-interactive", "--json")
	var plan struct {
		ChangeSummary map[string]int `json:"changeSummary"`
	}
	if err := json.Unmarshal([]byte(preview.stdout), &plan); err != nil {
		t.Fatalf("preview --json: %v\n%s", err, preview.stdout)
	}
	r.assertNoChanges(plan.ChangeSummary)
	if sm, s := secretsManager.Total().Received, sts.Total().Received; sm != 0 || s != 0 {
		t.Fatalf("a no-op preview made %d Secrets Manager and %d STS calls; want none", sm, s)
	}

	// A provider whose role lands in an account allowedAccountIds does not
	// list: the preview of its new secret fails, naming the account, with
	// one STS round (the role, then GetCallerIdentity) and no Secrets
	// Manager call.
	write(rolesProgram(tokenFile, `  wrongAccount:
    type: pulumi:providers:smx
    properties:
      assumeRoles:
        - roleArn: arn:aws:iam::222222222222:role/x
      allowedAccountIds: ["111111111111"]
  inWrongAccount:
    type: smx:secretsmanager:Secret
    properties:
      name: smx-e2e/wrong-account
    options:
      provider: ${wrongAccount}
`))
	secretsManager.ResetCounts()
	sts.ResetCounts()
	refused := r.runCommand(runOptions{dir: project, expect: mustFail}, "pulumi", "preview", "--non-interactive")
	if want := "the credentials act in AWS account 222222222222, which is not in smx:allowedAccountIds (111111111111)"; !strings.Contains(refused.output(), want) {
		t.Fatalf("the refused preview does not say %q:\n%s", want, refused)
	}
	if n := secretsManager.Total().Received; n != 0 {
		t.Fatalf("the refused preview made %d Secrets Manager calls (%v); want none", n, secretsManager.Counts())
	}
	if n := sts.Total().Received; n != 2 {
		t.Fatalf("the refused preview made %d STS calls; want 2 (AssumeRole, GetCallerIdentity)", n)
	}
	write(rolesProgram(tokenFile, ""))
}
