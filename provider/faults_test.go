package provider_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
	"github.com/smxlabs/pulumi-smx/internal/moto"
	"github.com/smxlabs/pulumi-smx/provider"
)

// These tests put a fault-injecting proxy between the provider and moto, to
// check what moto cannot show: lost answers, throttling and quota errors.
// Each checks the outcome in moto directly, bypassing the proxy.

// serveVia runs the provider with its endpoint set to endpoint (moto, or the
// fault proxy in front of it) and any further provider config, e.g.
// maxRetries; credentials and region come from the standard AWS variables.
func serveVia(t *testing.T, endpoint string, config map[string]property.Value) integration.Server {
	t.Helper()
	for k, v := range (&moto.Server{}).Env() {
		if k != "AWS_ENDPOINT_URL_SECRETS_MANAGER" {
			t.Setenv(k, v)
		}
	}
	t.Setenv("AWS_MAX_ATTEMPTS", "") // only smx:maxRetries or smx's default
	smx, err := provider.New()
	if err != nil {
		t.Fatal(err)
	}
	s, err := integration.NewServer(t.Context(), provider.Name, semver.MustParse(provider.Version), integration.WithProvider(smx))
	if err != nil {
		t.Fatal(err)
	}
	args := map[string]property.Value{"endpoint": property.New(endpoint)}
	for k, v := range config {
		args[k] = v
	}
	if err := s.Configure(p.ConfigureRequest{Args: property.NewMap(args)}); err != nil {
		t.Fatal(err)
	}
	return s
}

// tryCreate is create that returns errors instead of failing the test, so
// that it can run on any goroutine.
func tryCreate(s integration.Server, token tokens.Type, name string, inputs map[string]property.Value) (p.CreateResponse, error) {
	check, err := s.Check(p.CheckRequest{Urn: urn(token, name), Inputs: property.NewMap(inputs)})
	if err != nil {
		return p.CreateResponse{}, fmt.Errorf("check %s: %w", name, err)
	}
	if len(check.Failures) > 0 {
		return p.CreateResponse{}, fmt.Errorf("check %s: %v", name, check.Failures)
	}
	return s.Create(p.CreateRequest{Urn: urn(token, name), Properties: check.Inputs})
}

// secretsNamed lists the secrets in moto with exactly this name, those
// scheduled for deletion included.
func secretsNamed(t *testing.T, client *sm.Client, name string) []smtypes.SecretListEntry {
	t.Helper()
	out, err := client.ListSecrets(context.Background(), &sm.ListSecretsInput{
		IncludePlannedDeletion: aws.Bool(true),
		Filters:                []smtypes.Filter{{Key: smtypes.FilterNameStringTypeName, Values: []string{name}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var exact []smtypes.SecretListEntry
	for _, s := range out.SecretList {
		if aws.ToString(s.Name) == name { // the filter matches prefixes
			exact = append(exact, s)
		}
	}
	return exact
}

// versionsOf returns every version ID moto holds for a secret, labelled or
// not.
func versionsOf(t *testing.T, client *sm.Client, secretID string) []string {
	t.Helper()
	out, err := client.DescribeSecret(context.Background(), &sm.DescribeSecretInput{SecretId: &secretID})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range out.VersionIdsToStages {
		ids = append(ids, id)
	}
	listed, err := client.ListSecretVersionIds(context.Background(), &sm.ListSecretVersionIdsInput{
		SecretId: &secretID, IncludeDeprecated: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range listed.Versions {
		if id := aws.ToString(v.VersionId); !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// The first CreateSecret creates the secret in moto but its answer is lost;
// the SDK retries and gets ResourceExistsException. The provider must adopt
// the secret its own first attempt made: no error, no second secret, no
// orphan.
func TestCreateSecretSurvivesALostResponse(t *testing.T) {
	server := moto.Start(t)
	proxy := faultproxy.Start(t, server.Endpoint)
	s := serveVia(t, proxy.URL, nil)
	proxy.Set(faultproxy.Config{DropFirst: map[string]int{"CreateSecret": 1}})

	secret, err := tryCreate(s, secretToken, "lost", map[string]property.Value{
		"description": property.New("created by a lost attempt"),
		"tags":        property.New(map[string]property.Value{"team": property.New("orders")}),
	})
	if err != nil {
		t.Fatalf("create after a lost CreateSecret answer: %v", err)
	}
	if c := proxy.Count("CreateSecret"); c.Received != 2 || c.Forwarded != 2 || c.DroppedResponses != 1 {
		t.Fatalf("CreateSecret counts %+v: want 2 requests, the first one's answer dropped", c)
	}
	name := secret.Properties.Get("name").AsString()
	found := secretsNamed(t, server.Client(), name)
	if len(found) != 1 {
		t.Fatalf("moto holds %d secrets named %q, want exactly 1", len(found), name)
	}
	if arn := aws.ToString(found[0].ARN); secret.ID != arn || secret.Properties.Get("arn").AsString() != arn {
		t.Fatalf("state has ID %q and arn %v, moto's secret is %q", secret.ID, secret.Properties.Get("arn"), arn)
	}
}

// The first PutSecretValue stores the value in moto but its answer is lost;
// the SDK's retry carries the same ClientRequestToken, so Secrets Manager
// answers with the version already stored instead of making a second one.
func TestPutSecretValueSurvivesALostResponse(t *testing.T) {
	server := moto.Start(t)
	proxy := faultproxy.Start(t, server.Endpoint)
	s := serveVia(t, proxy.URL, nil)
	secret := create(t, s, secretToken, "holder", nil)
	proxy.Set(faultproxy.Config{DropFirst: map[string]int{"PutSecretValue": 1}})

	version, err := tryCreate(s, versionToken, "value", map[string]property.Value{
		"secretId":     property.New(secret.ID),
		"secretString": property.New("written-once").WithSecret(true),
	})
	if err != nil {
		t.Fatalf("create after a lost PutSecretValue answer: %v", err)
	}
	if c := proxy.Count("PutSecretValue"); c.Received != 2 || c.Forwarded != 2 || c.DroppedResponses != 1 {
		t.Fatalf("PutSecretValue counts %+v: want 2 requests, the first one's answer dropped", c)
	}
	versionID := version.Properties.Get("versionId").AsString()
	if versions := versionsOf(t, server.Client(), secret.ID); len(versions) != 1 || versions[0] != versionID {
		t.Fatalf("moto holds versions %v, want exactly the state's version %q", versions, versionID)
	}
	if want := secret.ID + "|" + versionID; version.ID != want {
		t.Fatalf("version ID %q, want %q", version.ID, want)
	}
	got, err := server.Client().GetSecretValue(context.Background(), &sm.GetSecretValueInput{SecretId: &secret.ID})
	if err != nil || aws.ToString(got.VersionId) != versionID || aws.ToString(got.SecretString) != "written-once" {
		t.Fatalf("AWSCURRENT is version %q (%v), want %q holding the program's value", aws.ToString(got.VersionId), err, versionID)
	}
}

// Half of all calls are throttled. Ten secrets with a value each are created
// concurrently, as the engine would; every create must succeed. At most two
// throttles hit one SDK call, which keeps the SDK's 1 s-based throttle
// backoff, and so the test, to a few seconds.
func TestThrottlingIsRetried(t *testing.T) {
	server := moto.Start(t)
	proxy := faultproxy.Start(t, server.Endpoint)
	s := serveVia(t, proxy.URL, nil)
	proxy.Set(faultproxy.Config{Seed: 7, ThrottleRate: 0.5, MaxFaultsPerCall: 2})

	const n = 10
	type result struct {
		secret, version p.CreateResponse
		err             error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := &results[i]
			name := fmt.Sprintf("busy%d", i)
			r.secret, r.err = tryCreate(s, secretToken, name, nil)
			if r.err != nil {
				r.err = fmt.Errorf("secret %s: %w", name, r.err)
				return
			}
			r.version, r.err = tryCreate(s, versionToken, name, map[string]property.Value{
				"secretId":     property.New(r.secret.ID),
				"secretString": property.New("value-" + name).WithSecret(true),
			})
			if r.err != nil {
				r.err = fmt.Errorf("version of %s: %w", name, r.err)
			}
		})
	}
	wg.Wait()
	for _, r := range results {
		if r.err != nil {
			t.Error(r.err)
		}
	}
	if t.Failed() {
		return
	}
	created, put := proxy.Count("CreateSecret"), proxy.Count("PutSecretValue")
	t.Logf("CreateSecret %+v; PutSecretValue %+v", created, put)
	if created.Throttled+put.Throttled == 0 {
		t.Fatal("no call was throttled: the test proves nothing")
	}
	if created.Forwarded != n || put.Forwarded != n {
		t.Fatalf("forwarded %d CreateSecret and %d PutSecretValue, want %d each: a throttled call is retried, a successful one is not",
			created.Forwarded, put.Forwarded, n)
	}
	client := server.Client()
	for _, r := range results {
		versionID := r.version.Properties.Get("versionId").AsString()
		if versions := versionsOf(t, client, r.secret.ID); len(versions) != 1 || versions[0] != versionID {
			t.Errorf("secret %s holds versions %v, want only %q", r.secret.ID, versions, versionID)
		}
	}
}

// Every kind of fault at once, on every call, while ten secrets with a value
// each are created concurrently: every create succeeds, and whatever answers
// were lost, moto ends up with exactly one secret per resource and exactly
// one version per SecretVersion.
func TestMixedFaultsNeverDuplicate(t *testing.T) {
	server := moto.Start(t)
	proxy := faultproxy.Start(t, server.Endpoint)
	s := serveVia(t, proxy.URL, nil)
	proxy.Set(faultproxy.Config{
		Seed: 11, ThrottleRate: 0.05, ServerErrorRate: 0.1, ResetRate: 0.1, DropResponseRate: 0.2,
		MaxFaultsPerCall: 2,
	})

	const n = 10
	secrets := make([]p.CreateResponse, n)
	versions := make([]p.CreateResponse, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			name := fmt.Sprintf("mixed%d", i)
			if secrets[i], errs[i] = tryCreate(s, secretToken, name, map[string]property.Value{
				"description": property.New("mixed faults"),
			}); errs[i] != nil {
				return
			}
			versions[i], errs[i] = tryCreate(s, versionToken, name, map[string]property.Value{
				"secretId":     property.New(secrets[i].ID),
				"secretString": property.New("value-" + name).WithSecret(true),
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("mixed%d: %v", i, err)
		}
	}
	if t.Failed() {
		return
	}
	total := proxy.Total()
	t.Logf("all actions: %+v", total)
	// Which call meets which fault depends on how the goroutines interleave;
	// with seed 11 the second and the tenth request always get a server error
	// and a lost answer, whatever the order.
	if total.ServerErrors == 0 || total.DroppedResponses == 0 || total.Faults() < 4 {
		t.Fatalf("counts %+v: want lost answers among several faults", total)
	}
	client := server.Client()
	out, err := client.ListSecrets(context.Background(), &sm.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.SecretList) != n {
		t.Errorf("moto holds %d secrets, want %d", len(out.SecretList), n)
	}
	for i := range n {
		name := secrets[i].Properties.Get("name").AsString()
		if found := secretsNamed(t, client, name); len(found) != 1 || aws.ToString(found[0].ARN) != secrets[i].ID {
			t.Errorf("%s: moto holds %d secrets with the name; want exactly the one in state, %s", name, len(found), secrets[i].ID)
		}
		versionID := versions[i].Properties.Get("versionId").AsString()
		if got := versionsOf(t, client, secrets[i].ID); len(got) != 1 || got[0] != versionID {
			t.Errorf("%s holds versions %v, want only %q", name, got, versionID)
		}
	}
}

// Every call is throttled and the user allows 2 retries: Create fails after
// exactly 3 attempts and says why.
func TestGivesUpOnPersistentThrottlingWithAClearError(t *testing.T) {
	server := moto.Start(t)
	proxy := faultproxy.Start(t, server.Endpoint)
	s := serveVia(t, proxy.URL, map[string]property.Value{"maxRetries": property.New(2.0)})
	proxy.Set(faultproxy.Config{ThrottleRate: 1})

	start := time.Now()
	_, err := tryCreate(s, secretToken, "throttled", nil)
	if err == nil {
		t.Fatal("create succeeded although every call was throttled")
	}
	if !strings.Contains(err.Error(), "ThrottlingException") && !strings.Contains(err.Error(), "Rate exceeded") {
		t.Fatalf("error %q: want it to name the throttling", err)
	}
	if c := proxy.Count("CreateSecret"); c.Received != 3 || c.Throttled != 3 || c.Forwarded != 0 {
		t.Fatalf("CreateSecret counts %+v: want exactly 3 attempts (1 + maxRetries 2), all throttled", c)
	}
	if total := proxy.Total(); total.Received != 3 {
		t.Fatalf("the proxy saw %+v in all, want only the 3 CreateSecret attempts", total)
	}
	t.Logf("gave up after %v: %v", time.Since(start).Round(time.Millisecond), err)
	out, lerr := server.Client().ListSecrets(context.Background(), &sm.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
	if lerr != nil || len(out.SecretList) != 0 {
		t.Fatalf("moto holds %d secrets (%v), want none", len(out.SecretList), lerr)
	}
}

// LimitExceededException is a quota (for example too many versions), not a
// throttle, although the SDK's default retryer treats it as one: the
// provider must fail at once instead of retrying.
func TestLimitExceededIsNotRetried(t *testing.T) {
	server := moto.Start(t)
	proxy := faultproxy.Start(t, server.Endpoint)
	s := serveVia(t, proxy.URL, nil)
	secret := create(t, s, secretToken, "full", nil)
	proxy.Set(faultproxy.Config{InjectErrors: []faultproxy.InjectError{{
		Action: "PutSecretValue", Code: "LimitExceededException", Status: 400, Count: 1,
		Message: "You have exceeded the maximum number of versions for this secret.",
	}}})

	_, err := tryCreate(s, versionToken, "value", map[string]property.Value{
		"secretId":     property.New(secret.ID),
		"secretString": property.New("one-too-many").WithSecret(true),
	})
	c := proxy.Count("PutSecretValue")
	if err == nil {
		t.Fatalf("create succeeded after %d PutSecretValue attempts: LimitExceededException was retried", c.Received)
	}
	if !strings.Contains(err.Error(), "LimitExceededException") {
		t.Fatalf("error %q: want it to name LimitExceededException", err)
	}
	if c.Received != 1 || c.InjectedErrors != 1 || c.Forwarded != 0 {
		t.Fatalf("PutSecretValue counts %+v: want exactly 1 attempt", c)
	}
	if versions := versionsOf(t, server.Client(), secret.ID); len(versions) != 0 {
		t.Fatalf("moto holds versions %v, want none", versions)
	}
}
