package provider_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/smxlabs/pulumi-smx/internal/moto"
)

// These tests drive the real provider, configured the way the engine
// configures it, through pulumi-go-provider's in-process server against moto.
// They cover what moto emulates faithfully; AWS behaviours moto gets wrong
// are tested against the in-process fake in provider/secretsmanager.

const (
	secretToken  = tokens.Type("smx:secretsmanager:Secret")
	versionToken = tokens.Type("smx:secretsmanager:SecretVersion")
)

// serve runs the provider configured as a user would against moto: only the
// endpoint comes from provider config; credentials and region come from the
// standard AWS environment variables.
func serve(t *testing.T, server *moto.Server) integration.Server {
	t.Helper()
	return serveVia(t, server.Endpoint, nil)
}

func urn(token tokens.Type, name string) presource.URN {
	return presource.NewURN("e2e", "integration", "", token, name)
}

// create runs Check then Create, as the engine does for `pulumi up`.
func create(t *testing.T, s integration.Server, token tokens.Type, name string, inputs map[string]property.Value) p.CreateResponse {
	t.Helper()
	check, err := s.Check(p.CheckRequest{Urn: urn(token, name), Inputs: property.NewMap(inputs)})
	if err != nil || len(check.Failures) > 0 {
		t.Fatalf("check %s: %v %v", name, err, check.Failures)
	}
	resp, err := s.Create(p.CreateRequest{Urn: urn(token, name), Properties: check.Inputs})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return resp
}

func TestSecretLifecycleAgainstMoto(t *testing.T) {
	server := moto.Start(t)
	s := serve(t, server)
	client := server.Client()
	ctx := context.Background()

	secret := create(t, s, secretToken, "app", map[string]property.Value{
		"description": property.New("first"),
		"tags":        property.New(map[string]property.Value{"team": property.New("orders")}),
	})
	name := secret.Properties.Get("name").AsString()
	if !strings.HasPrefix(name, "app-") || len(name) != len("app-")+7 {
		t.Fatalf("auto-name %q: want app- plus a 7-character suffix", name)
	}
	described, err := client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &secret.ID})
	if err != nil {
		t.Fatal(err)
	}
	// The program's tag, and smx's owner tag.
	if aws.ToString(described.Description) != "first" || len(described.Tags) != 2 {
		t.Fatalf("moto holds description %q and tags %v", aws.ToString(described.Description), described.Tags)
	}

	version := create(t, s, versionToken, "value", map[string]property.Value{
		"secretId":     property.New(secret.ID),
		"secretString": property.New("s3cr3t-value").WithSecret(true),
	})
	if !version.Properties.Get("secretString").Secret() {
		t.Fatal("Create returned secretString without marking it secret")
	}
	if want := secret.ID + "|" + version.Properties.Get("versionId").AsString(); version.ID != want {
		t.Fatalf("version ID %q, want %q", version.ID, want)
	}

	// Update in place: description and tags.
	oldInputs := property.NewMap(map[string]property.Value{"name": property.New(name)})
	check, err := s.Check(p.CheckRequest{Urn: urn(secretToken, "app"), State: oldInputs, Inputs: property.NewMap(map[string]property.Value{
		"description": property.New("second"),
		"tags":        property.New(map[string]property.Value{"team": property.New("payments")}),
	})})
	if err != nil || len(check.Failures) > 0 || check.Inputs.Get("name").AsString() != name {
		t.Fatalf("check of the update: %v %v; the name must stay %q, got %v", err, check.Failures, name, check.Inputs.Get("name"))
	}
	newInputs := check.Inputs
	diff, err := s.Diff(p.DiffRequest{ID: secret.ID, Urn: urn(secretToken, "app"), State: secret.Properties, Inputs: newInputs})
	if err != nil || !diff.HasChanges {
		t.Fatalf("diff: %v %+v", err, diff)
	}
	if _, replaces := diff.DetailedDiff["name"]; replaces {
		t.Fatalf("diff %+v: a description and tags change must not touch the name", diff.DetailedDiff)
	}
	if diff.DetailedDiff["description"].Kind != p.Update || diff.DetailedDiff["tags"].Kind != p.Update {
		t.Fatalf("diff %+v: want in-place updates of description and tags", diff.DetailedDiff)
	}
	if _, err := s.Update(p.UpdateRequest{ID: secret.ID, Urn: urn(secretToken, "app"), State: secret.Properties, Inputs: newInputs}); err != nil {
		t.Fatal(err)
	}
	described, _ = client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &secret.ID})
	if aws.ToString(described.Description) != "second" || !hasTag(described.Tags, "team", "payments") {
		t.Fatalf("after update moto holds description %q and tags %v", aws.ToString(described.Description), described.Tags)
	}

	// Import by name and by `arn|versionId`, as `pulumi import` does: a Read
	// with an ID and no state. The imported value stays marked secret in the
	// state; the imported inputs, which `pulumi import` prints as the
	// program's code, hold a placeholder instead (a secret too).
	imported, err := s.Read(p.ReadRequest{ID: name, Urn: urn(secretToken, "imported")})
	if err != nil || imported.ID != secret.ID || imported.Inputs.Get("name").AsString() != name {
		t.Fatalf("import by name: %v, ID %q inputs %v", err, imported.ID, imported.Inputs)
	}
	importedVersion, err := s.Read(p.ReadRequest{ID: version.ID, Urn: urn(versionToken, "imported")})
	if err != nil {
		t.Fatal(err)
	}
	value := importedVersion.Properties.Get("secretString")
	if !value.Secret() {
		t.Fatal("imported version state: secretString is not marked secret")
	}
	if value.WithSecret(false).AsString() != "s3cr3t-value" {
		t.Fatal("imported version state: secretString does not hold the stored value")
	}
	placeholder := importedVersion.Inputs.Get("secretString")
	if !placeholder.Secret() || !strings.HasPrefix(placeholder.WithSecret(false).AsString(), "<replace with this version's value") {
		t.Fatal("imported version inputs: secretString is not the import's placeholder, marked secret")
	}

	// Delete with the default 30-day window: moto keeps the secret, scheduled.
	if err := s.Delete(p.DeleteRequest{ID: version.ID, Urn: urn(versionToken, "value"), Properties: version.Properties}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(p.DeleteRequest{ID: secret.ID, Urn: urn(secretToken, "app"), Properties: secret.Properties}); err != nil {
		t.Fatal(err)
	}
	described, err = client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &secret.ID})
	if err != nil || described.DeletedDate == nil {
		t.Fatalf("after delete: %v, deleted date %v; want the secret scheduled for deletion", err, described.DeletedDate)
	}

	// Refresh now reports both resources gone.
	gone, err := s.Read(p.ReadRequest{ID: secret.ID, Urn: urn(secretToken, "app"), Properties: secret.Properties})
	if err != nil || gone.ID != "" {
		t.Fatalf("refresh of a secret scheduled for deletion: %v, ID %q; want gone", err, gone.ID)
	}
	gone, err = s.Read(p.ReadRequest{ID: version.ID, Urn: urn(versionToken, "value"), Properties: version.Properties})
	if err != nil || gone.ID != "" {
		t.Fatalf("refresh of a version of a deleted secret: %v, ID %q; want gone", err, gone.ID)
	}
}

func TestForceDeleteAgainstMoto(t *testing.T) {
	server := moto.Start(t)
	s := serve(t, server)
	secret := create(t, s, secretToken, "temp", map[string]property.Value{
		"recoveryWindowInDays": property.New(0.0),
	})
	if err := s.Delete(p.DeleteRequest{ID: secret.ID, Urn: urn(secretToken, "temp"), Properties: secret.Properties}); err != nil {
		t.Fatal(err)
	}
	out, err := server.Client().ListSecrets(context.Background(), &sm.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.SecretList) != 0 {
		t.Fatalf("recoveryWindowInDays 0 left %d secrets behind", len(out.SecretList))
	}
}

func hasTag(tags []smtypes.Tag, key, value string) bool {
	for _, tag := range tags {
		if aws.ToString(tag.Key) == key && aws.ToString(tag.Value) == value {
			return true
		}
	}
	return false
}

// moto stores and returns resource policies faithfully (it does not rewrite
// them as AWS does: that is covered against the fake).
func TestSecretPolicyAgainstMoto(t *testing.T) {
	server := moto.Start(t)
	s := serve(t, server)
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["secretsmanager:GetSecretValue"],"Resource":"*"}]}`
	secret := create(t, s, secretToken, "with-policy", map[string]property.Value{"policy": property.New(policy)})
	got, err := server.Client().GetResourcePolicy(context.Background(), &sm.GetResourcePolicyInput{SecretId: &secret.ID})
	if err != nil || aws.ToString(got.ResourcePolicy) == "" {
		t.Fatalf("moto holds no policy after create: %v", err)
	}
	// The output is the policy as pulumi-aws records it (compact, keys
	// sorted), and a refresh finds the same policy: no drift.
	const recorded = `{"Statement":[{"Action":["secretsmanager:GetSecretValue"],"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Resource":"*"}],"Version":"2012-10-17"}`
	if got := secret.Properties.Get("policy").AsString(); got != recorded {
		t.Fatalf("create recorded policy %s, want %s", got, recorded)
	}
	read, err := s.Read(p.ReadRequest{ID: secret.ID, Urn: urn(secretToken, "with-policy"), Properties: secret.Properties,
		Inputs: property.NewMap(map[string]property.Value{"name": secret.Properties.Get("name"), "policy": property.New(policy)})})
	if err != nil || read.Properties.Get("policy").AsString() != recorded {
		t.Fatalf("refresh: %v, policy %v", err, read.Properties.Get("policy"))
	}
	// An empty policy deletes it (an unset one is no opinion).
	inputs := property.NewMap(map[string]property.Value{"name": secret.Properties.Get("name"), "policy": property.New("")})
	if _, err := s.Update(p.UpdateRequest{ID: secret.ID, Urn: urn(secretToken, "with-policy"), State: secret.Properties, Inputs: inputs}); err != nil {
		t.Fatal(err)
	}
	got, err = server.Client().GetResourcePolicy(context.Background(), &sm.GetResourcePolicyInput{SecretId: &secret.ID})
	if err != nil || aws.ToString(got.ResourcePolicy) != "" {
		t.Fatalf("the policy is still attached after the program emptied it: %v", err)
	}
}

// After `pulumi destroy`, a program that recreates the same name fails at
// preview; with restoreIfScheduledForDeletion it restores and adopts the
// secret, values included (moto emulates scheduled deletion and restore).
func TestRestoreIfScheduledForDeletionAgainstMoto(t *testing.T) {
	server := moto.Start(t)
	client := server.Client()
	ctx := context.Background()
	if _, err := client.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("app/old"), SecretString: aws.String("kept-value")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String("app/old")}); err != nil {
		t.Fatal(err)
	}
	s := serve(t, server)
	inputs := map[string]property.Value{"name": property.New("app/old")}
	check, err := s.Check(p.CheckRequest{Urn: urn(secretToken, "old"), Inputs: property.NewMap(inputs)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Create(p.CreateRequest{Urn: urn(secretToken, "old"), Properties: check.Inputs, DryRun: true})
	if err == nil || !strings.Contains(err.Error(), "scheduled for deletion") {
		t.Fatalf("preview over a name scheduled for deletion: %v", err)
	}

	inputs["restoreIfScheduledForDeletion"] = property.New(true)
	restored := create(t, s, secretToken, "old", inputs)
	value, err := client.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: &restored.ID})
	if err != nil || aws.ToString(value.SecretString) != "kept-value" {
		t.Fatalf("the restored secret does not hold its old value: %v", err)
	}
}

// The data functions against moto, which lists, reads and generates
// faithfully; values come back marked secret.
func TestFunctionsAgainstMoto(t *testing.T) {
	server := moto.Start(t)
	s := serve(t, server)
	client := server.Client()
	ctx := context.Background()
	for _, name := range []string{"fn/alpha", "fn/beta", "other/gamma"} {
		if _, err := client.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String(name), SecretString: aws.String("value-of-" + name)}); err != nil {
			t.Fatal(err)
		}
	}
	invoke := func(token string, args map[string]property.Value) property.Map {
		t.Helper()
		resp, err := s.Invoke(p.InvokeRequest{Token: tokens.Type(token), Args: property.NewMap(args)})
		if err != nil || len(resp.Failures) > 0 {
			t.Fatalf("%s: %v %v", token, err, resp.Failures)
		}
		return resp.Return
	}

	secret := invoke("smx:secretsmanager:getSecret", map[string]property.Value{"name": property.New("fn/alpha")})
	if !strings.Contains(secret.Get("arn").AsString(), ":secret:fn/alpha-") {
		t.Fatalf("getSecret arn %v", secret.Get("arn"))
	}

	version := invoke("smx:secretsmanager:getSecretVersion", map[string]property.Value{"secretId": property.New("fn/beta")})
	value := version.Get("secretString")
	if !value.Secret() || value.WithSecret(false).AsString() != "value-of-fn/beta" {
		t.Fatal("getSecretVersion: secretString is not the stored value marked secret")
	}

	listed := invoke("smx:secretsmanager:getSecrets", map[string]property.Value{"filters": property.New([]property.Value{
		property.New(map[string]property.Value{"name": property.New("name"), "values": property.New([]property.Value{property.New("fn/")})}),
	})})
	var names []string
	for _, n := range listed.Get("names").AsArray().All {
		names = append(names, n.AsString())
	}
	if strings.Join(names, ",") != "fn/alpha,fn/beta" {
		t.Fatalf("getSecrets with a name filter: %v", names)
	}

	versions := invoke("smx:secretsmanager:getSecretVersions", map[string]property.Value{"secretId": property.New("fn/alpha")})
	if n := versions.Get("versions").AsArray().Len(); n != 1 {
		t.Fatalf("getSecretVersions: %d versions, want 1", n)
	}

	password := invoke("smx:secretsmanager:getRandomPassword", map[string]property.Value{
		"passwordLength": property.New(20.0), "excludePunctuation": property.New(true),
	}).Get("randomPassword")
	if !password.Secret() || len(password.WithSecret(false).AsString()) != 20 {
		t.Fatal("getRandomPassword: not a 20-character password marked secret")
	}
}

// A secret in a second region through the same moto endpoint, with the
// provider's credentials: moto keeps regions apart by the region a request
// is signed for, as AWS keeps them apart by endpoint.
func TestSecretInASecondRegionAgainstMoto(t *testing.T) {
	server := moto.Start(t)
	s := serve(t, server) // the provider's region is moto.Region, us-east-1
	const other = "eu-west-1"
	home := server.Client()
	away := sm.New(home.Options(), func(o *sm.Options) { o.Region = other })
	ctx := context.Background()

	secret := create(t, s, secretToken, "regional", map[string]property.Value{
		"name": property.New("regional"), "region": property.New(other),
	})
	if got := secret.Properties.Get("region").AsString(); got != other {
		t.Fatalf("recorded region %q, want %q", got, other)
	}
	if !strings.Contains(secret.ID, ":secretsmanager:"+other+":") {
		t.Fatalf("ARN %q is not eu-west-1's", secret.ID)
	}
	if _, err := away.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("regional")}); err != nil {
		t.Fatalf("eu-west-1 does not hold the secret: %v", err)
	}
	var notFound *smtypes.ResourceNotFoundException
	if _, err := home.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("regional")}); !errors.As(err, &notFound) {
		t.Fatalf("us-east-1 answered %v; want ResourceNotFoundException", err)
	}

	version := create(t, s, versionToken, "regional-value", map[string]property.Value{
		"secretId": property.New(secret.ID), "secretString": property.New("eu-s3cr3t").WithSecret(true),
		"region": property.New(other),
	})
	if got := version.Properties.Get("region").AsString(); got != other {
		t.Fatalf("version recorded region %q", got)
	}
	invoke := func(token string, args map[string]property.Value) (property.Map, error) {
		resp, err := s.Invoke(p.InvokeRequest{Token: tokens.Type(token), Args: property.NewMap(args)})
		return resp.Return, err
	}
	out, err := invoke("smx:secretsmanager:getSecretVersion", map[string]property.Value{
		"secretId": property.New("regional"), "region": property.New(other),
	})
	if err != nil || out.Get("secretString").WithSecret(false).AsString() != "eu-s3cr3t" || out.Get("region").AsString() != other {
		t.Fatalf("getSecretVersion in eu-west-1: %v, region %v", err, out.Get("region"))
	}
	if _, err := invoke("smx:secretsmanager:getSecret", map[string]property.Value{"name": property.New("regional")}); err == nil {
		t.Fatal("getSecret without region found the eu-west-1 secret in us-east-1")
	}
	rotation, err := invoke("smx:secretsmanager:getSecretRotation", map[string]property.Value{
		"secretId": property.New(secret.ID), "region": property.New(other),
	})
	if err != nil || rotation.Get("rotationEnabled").AsBool() || rotation.Get("id").AsString() != secret.ID {
		t.Fatalf("getSecretRotation in eu-west-1: %v, %v", err, rotation)
	}

	// Import by ARN, with no region: the ARN says where.
	imported, err := s.Read(p.ReadRequest{ID: secret.ID, Urn: urn(secretToken, "imported")})
	if err != nil || imported.ID != secret.ID || imported.Inputs.Get("region").AsString() != other {
		t.Fatalf("import by ARN: %v, ID %q, inputs %v", err, imported.ID, imported.Inputs)
	}

	if err := s.Delete(p.DeleteRequest{ID: version.ID, Urn: urn(versionToken, "regional-value"), Properties: version.Properties}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(p.DeleteRequest{ID: secret.ID, Urn: urn(secretToken, "regional"), Properties: secret.Properties}); err != nil {
		t.Fatal(err)
	}
	described, err := away.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(secret.ID)})
	if err != nil || described.DeletedDate == nil {
		t.Fatalf("after delete: %v; want the eu-west-1 secret scheduled for deletion", err)
	}
}
