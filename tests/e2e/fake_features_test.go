package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// The features moto lacks, through the real CLI on the served fake: a
// managed external secret's type, its rotation by the partner (no Lambda),
// and rotation turned off on a secret AWS rotates.

// TestFakeHarnessReachesTwoAccounts proves what a cross-account program
// needs of the harness: two explicit providers with two access keys act in
// two accounts, so one secret name lives once in each; a preview after plans
// nothing; destroy removes both.
func TestFakeHarnessReachesTwoAccounts(t *testing.T) {
	t.Parallel()
	served := serveFake(t)
	r := newStackRunOnFake(t, served.Server, fakeMainAccount.accessKeyID, fakeRegion)
	s := newYAMLStack(r, "accounts", `name: smx-fake-accounts
runtime: yaml
resources:
  mainAccount:
    type: pulumi:providers:smx
    properties:
`+served.providerProperties(fakeMainAccount, fakeRegion)+`
  otherAccount:
    type: pulumi:providers:smx
    properties:
`+served.providerProperties(fakeOtherAccount, fakeRegion)+`
  inMain:
    type: smx:secretsmanager:Secret
    properties:
      name: shared/name
      recoveryWindowInDays: 0
    options:
      provider: ${mainAccount}
  inOther:
    type: smx:secretsmanager:Secret
    properties:
      name: shared/name
      recoveryWindowInDays: 0
    options:
      provider: ${otherAccount}
outputs:
  mainArn: ${inMain.arn}
  otherArn: ${inOther.arn}
`)
	s.cli("up", "--yes")
	outputs := s.outputs()
	requireInAccount(t, "inMain's ARN", outputs["mainArn"], fakeMainAccount)
	requireInAccount(t, "inOther's ARN", outputs["otherArn"], fakeOtherAccount)
	for _, account := range []fakeAccount{fakeMainAccount, fakeOtherAccount} {
		if names := liveSecretNames(t, served.client(account, fakeRegion)); len(names) != 1 || names[0] != "shared/name" {
			t.Fatalf("account %s holds %v; want only shared/name", account.accountID, names)
		}
	}
	s.previewPlansNothing()

	s.cli("destroy", "--yes")
	for _, account := range []fakeAccount{fakeMainAccount, fakeOtherAccount} {
		if names := liveSecretNames(t, served.client(account, fakeRegion)); len(names) != 0 {
			t.Fatalf("account %s still holds %v after destroy", account.accountID, names)
		}
	}
}

// partnerSecretProgram is a managed external secret of partnerType, and
// more YAML under resources.
func partnerSecretProgram(partnerType, extra string) string {
	return `name: smx-fake-partner
runtime: yaml
resources:
  partnerSecret:
    type: smx:secretsmanager:Secret
    properties:
      name: crm/salesforce-client
      type: ` + partnerType + `
      recoveryWindowInDays: 0
` + extra + `outputs:
  arn: ${partnerSecret.arn}
  type: ${partnerSecret.type}
`
}

// TestFakeSecretTypeLifecycle: a Secret's type makes it a managed external
// secret; AWS reports the type declared, a refresh finds no drift, and a new
// partner is an update in place (UpdateSecret takes Type), never a replace.
func TestFakeSecretTypeLifecycle(t *testing.T) {
	t.Parallel()
	served := serveFake(t)
	r := newStackRunOnFake(t, served.Server, fakeMainAccount.accessKeyID, fakeRegion)
	fake := served.fake(fakeMainAccount, fakeRegion)
	s := newYAMLStack(r, "partner", partnerSecretProgram("SalesforceClientSecret", ""))

	s.cli("up", "--yes")
	arn := s.outputs()["arn"]
	requireInAccount(t, "the secret's ARN", arn, fakeMainAccount)
	if got := aws.ToString(describeSecret(t, r, arn).Type); got != "SalesforceClientSecret" {
		t.Fatalf("AWS reports type %q; want SalesforceClientSecret, the program's", got)
	}
	if got := s.outputs()["type"]; got != "SalesforceClientSecret" {
		t.Fatalf("the type output is %q; want SalesforceClientSecret", got)
	}
	s.previewPlansNothing()
	requireCalls(t, fake, "a plain preview", map[string]int{}, func() { s.cli("preview", "--expect-no-changes") })
	s.cli("refresh", "--yes", "--expect-no-changes")
	s.previewPlansNothing()

	// Another partner: one UpdateSecret on the same secret.
	s.write(partnerSecretProgram("BigIDClientSecret", ""))
	preview := s.cli("preview", "--diff")
	requireShown(t, "preview --diff", preview.stdout, `"SalesforceClientSecret" => "BigIDClientSecret"`, "1 to update")
	requireNotShown(t, "preview --diff", preview.stdout, "replace")
	var up cliResult
	requireCalls(t, fake, "up with a new type", map[string]int{fakesm.OpUpdateSecret: 1},
		func() { up = s.cli("up", "--yes") })
	requireShown(t, "up", up.stdout, "1 updated")
	if got := aws.ToString(describeSecret(t, r, arn).Type); got != "BigIDClientSecret" {
		t.Fatalf("after the update AWS reports type %q; want BigIDClientSecret", got)
	}
	if got := s.outputs()["arn"]; got != arn {
		t.Fatalf("the update made another secret (%s, was %s): a type change is in place", got, arn)
	}
	s.cli("refresh", "--yes", "--expect-no-changes")
	s.previewPlansNothing()

	s.cli("destroy", "--yes")
	r.assertNoLiveSecrets()
}

// The partner's rotation of a managed external secret: a role AWS's partner
// assumes and the partner's metadata, no Lambda function.
const (
	partnerRotationRole = "arn:aws:iam::111111111111:role/salesforce-rotation"
	adminSecretArn      = "arn:aws:secretsmanager:us-east-1:111111111111:secret:crm/salesforce-admin-AbCdEf"
)

// partnerRotation is a SecretRotation (pulumi-aws's name for
// RotationSchedule) of partnerSecret with the given metadata lines (YAML
// list items).
func partnerRotation(metadata string) string {
	return `  partnerRotation:
    type: smx:secretsmanager:SecretRotation
    properties:
      secretId: ${partnerSecret.id}
      rotateImmediately: false
      rotationRules:
        automaticallyAfterDays: 30
      externalSecretRotationRoleArn: ` + partnerRotationRole + `
      externalSecretRotationMetadatas:
` + indent(metadata, 8)
}

// requireMetadata fails unless AWS reports exactly want (key, value pairs,
// in order) as the secret's external rotation metadata.
func requireMetadata(t *testing.T, got []smtypes.ExternalSecretRotationMetadataItem, want ...string) {
	t.Helper()
	ok := len(got) == len(want)/2
	for i := 0; ok && i < len(got); i++ {
		ok = aws.ToString(got[i].Key) == want[2*i] && aws.ToString(got[i].Value) == want[2*i+1]
	}
	if !ok {
		var pairs []string
		for _, item := range got {
			pairs = append(pairs, aws.ToString(item.Key), aws.ToString(item.Value))
		}
		t.Fatalf("AWS reports the external rotation metadata %v; want %v", pairs, want)
	}
}

// TestFakeExternalSecretRotationLifecycle: a managed external secret
// rotated by its partner, through its role and metadata: AWS stores them, a
// refresh reads them back with no drift, new metadata is an update in place
// (one RotateSecret), and destroy turns rotation off before the secret goes.
func TestFakeExternalSecretRotationLifecycle(t *testing.T) {
	t.Parallel()
	served := serveFake(t)
	r := newStackRunOnFake(t, served.Server, fakeMainAccount.accessKeyID, fakeRegion)
	fake := served.fake(fakeMainAccount, fakeRegion)
	s := newYAMLStack(r, "partner-rotation", partnerSecretProgram("SalesforceClientSecret",
		partnerRotation("- key: apiVersion\n  value: v65.0\n")))

	s.cli("up", "--yes")
	arn := s.outputs()["arn"]
	d := describeSecret(t, r, arn)
	if !aws.ToBool(d.RotationEnabled) || aws.ToString(d.ExternalSecretRotationRoleArn) != partnerRotationRole ||
		d.RotationLambdaARN != nil || aws.ToInt64(d.RotationRules.AutomaticallyAfterDays) != 30 {
		t.Fatalf("rotation in AWS: enabled %v, role %q, function %q, rules %+v; want on, %s, no function, every 30 days",
			aws.ToBool(d.RotationEnabled), aws.ToString(d.ExternalSecretRotationRoleArn), aws.ToString(d.RotationLambdaARN),
			d.RotationRules, partnerRotationRole)
	}
	requireMetadata(t, d.ExternalSecretRotationMetadata, "apiVersion", "v65.0")
	if pending := describeVersions(t, r, arn)[fakesm.StagePending]; pending != "" {
		t.Fatalf("version %s is AWSPENDING: rotateImmediately false started a rotation", pending)
	}
	s.cli("refresh", "--yes", "--expect-no-changes")
	s.previewPlansNothing()
	requireCalls(t, fake, "a plain preview", map[string]int{}, func() { s.cli("preview", "--expect-no-changes") })

	// New metadata: one RotateSecret that writes it, one DescribeSecret for
	// the next rotation date.
	s.write(partnerSecretProgram("SalesforceClientSecret",
		partnerRotation("- key: apiVersion\n  value: v66.0\n- key: adminSecretArn\n  value: "+adminSecretArn+"\n")))
	preview := s.cli("preview", "--diff")
	requireShown(t, "preview --diff", preview.stdout, `"v65.0" => "v66.0"`, "1 to update")
	requireNotShown(t, "preview --diff", preview.stdout, "replace")
	var up cliResult
	requireCalls(t, fake, "up with new metadata", map[string]int{fakesm.OpRotateSecret: 1, fakesm.OpDescribeSecret: 1},
		func() { up = s.cli("up", "--yes") })
	requireShown(t, "up", up.stdout, "1 updated")
	d = describeSecret(t, r, arn)
	requireMetadata(t, d.ExternalSecretRotationMetadata, "apiVersion", "v66.0", "adminSecretArn", adminSecretArn)
	if !aws.ToBool(d.RotationEnabled) || aws.ToString(d.ExternalSecretRotationRoleArn) != partnerRotationRole {
		t.Fatalf("after the update: rotation enabled %v with role %q; want on with %s",
			aws.ToBool(d.RotationEnabled), aws.ToString(d.ExternalSecretRotationRoleArn), partnerRotationRole)
	}
	s.cli("refresh", "--yes", "--expect-no-changes")
	s.previewPlansNothing()

	requireCalls(t, fake, "destroy", map[string]int{fakesm.OpCancelRotateSecret: 1, fakesm.OpDeleteSecret: 1},
		func() { s.cli("destroy", "--yes") })
	r.assertNoLiveSecrets()
}

// TestFakeRotationOffCancelsRotationAWSTurnedOn is the use pulumi-aws
// documents for rotationEnabled false: AWS turned rotation on itself (the
// secret of an RDS instance's managed master password, which the program
// does not manage), and the program turns it off with no rules. The refresh
// finds no drift, and destroy leaves rotation off and the secret in place.
func TestFakeRotationOffCancelsRotationAWSTurnedOn(t *testing.T) {
	t.Parallel()
	served := serveFake(t)
	r := newStackRunOnFake(t, served.Server, fakeMainAccount.accessKeyID, fakeRegion)
	fake := served.fake(fakeMainAccount, fakeRegion)
	ctx := t.Context()
	// What RDS does for a managed master password: a secret of its own, with
	// rotation on every 7 days through its function. (RDS names it
	// rds!db-<id>, a name only AWS services may use: CreateSecret refuses the
	// "!" to everyone else, and so does the fake.)
	created, err := r.client.CreateSecret(ctx, &sm.CreateSecretInput{
		Name: aws.String("rds-db-3f2a9c1e/orders-master"), SecretString: aws.String(`{"username":"admin"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	secretARN := aws.ToString(created.ARN)
	if _, err := r.client.RotateSecret(ctx, &sm.RotateSecretInput{
		SecretId:          created.ARN,
		RotationLambdaARN: aws.String("arn:aws:lambda:us-east-1:111111111111:function:rds-master-password-rotation"),
		RotationRules:     &smtypes.RotationRulesType{AutomaticallyAfterDays: aws.Int64(7)},
		RotateImmediately: aws.Bool(false),
	}); err != nil {
		t.Fatal(err)
	}
	if !aws.ToBool(describeSecret(t, r, secretARN).RotationEnabled) {
		t.Fatal("the RDS-like secret's rotation is not on: the test would prove nothing")
	}

	s := newYAMLStack(r, "rotation-off", `name: smx-fake-rotation-off
runtime: yaml
resources:
  rotationOff:
    type: smx:secretsmanager:SecretRotation
    properties:
      secretId: `+secretARN+`
      rotationEnabled: false
outputs:
  rotationEnabled: ${rotationOff.rotationEnabled}
`)
	requireCalls(t, fake, "up", map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpCancelRotateSecret: 1},
		func() { s.cli("up", "--yes") })
	d := describeSecret(t, r, secretARN)
	if aws.ToBool(d.RotationEnabled) || d.NextRotationDate != nil {
		t.Fatalf("after up AWS reports rotation enabled %v, next rotation %v; want off, none", aws.ToBool(d.RotationEnabled), d.NextRotationDate)
	}
	s.cli("refresh", "--yes", "--expect-no-changes")
	s.previewPlansNothing()
	requireCalls(t, fake, "a plain preview", map[string]int{}, func() { s.cli("preview", "--expect-no-changes") })

	// Deleting a schedule that turned rotation off turns nothing back on.
	requireCalls(t, fake, "destroy", map[string]int{}, func() { s.cli("destroy", "--yes") })
	d = describeSecret(t, r, secretARN)
	if aws.ToBool(d.RotationEnabled) || d.DeletedDate != nil {
		t.Fatalf("after destroy: rotation enabled %v, deleted %v; want rotation off and RDS's secret in place",
			aws.ToBool(d.RotationEnabled), d.DeletedDate)
	}
}
