package secretsmanager_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/provider"
	"github.com/smxlabs/pulumi-smx/provider/secretsmanager"
)

// ---------------------------------------------------------------------------
// `region` (pulumi-aws v7): a provider in us-east-1 with a fake Secrets
// Manager per region, routed as the configured provider routes its clients.

const (
	homeRegion  = "us-east-1"
	otherRegion = "eu-west-1"
)

// regionHarness is the shared harness whose fake plays us-east-1 (the
// provider's region), plus a second fake for eu-west-1.
type regionHarness struct {
	*harness
	other *fakesm.Fake
}

func newRegionHarness(t *testing.T) *regionHarness {
	t.Helper()
	home, other := fakesm.New(), fakesm.New(fakesm.WithRegion(otherRegion))
	prov, err := provider.New(provider.WithSecretsManagerRegions(homeRegion, map[string]secretsmanager.API{
		homeRegion: home, otherRegion: other,
	}), provider.WithTiming(rotationTiming(300*time.Millisecond)))
	require.NoError(t, err)
	server, err := integration.NewServer(t.Context(), "smx", semver.MustParse("0.1.0"), integration.WithProvider(prov))
	require.NoError(t, err)
	return &regionHarness{harness: &harness{t: t, fake: home, server: server, otherRegions: []*fakesm.Fake{other}}, other: other}
}

func (h *regionHarness) resetCalls() {
	h.fake.ResetCalls()
	h.other.ResetCalls()
}

func withRegion(in pm, region string) pm { return pmWith(in, "region", str(region)) }

func TestSecretInASecondRegion(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	s := h.create(secretType, "secret", withRegion(pm{"name": str("app/db")}, otherRegion))
	assert.Equal(t, otherRegion, getString(t, s.state, "region"))
	assert.Contains(t, s.id, ":secretsmanager:"+otherRegion+":", "the secret's ARN is eu-west-1's")
	assert.Equal(t, 1, h.other.Calls()[fakesm.OpCreateSecret])
	assert.Zero(t, h.fake.TotalCalls(), "nothing reaches the provider's region")
	_, inOther := h.other.Snapshot("app/db")
	assert.True(t, inOther)

	// Read, update and delete go to the secret's region too.
	h.resetCalls()
	read := h.read(s)
	assert.Equal(t, otherRegion, getString(t, read.Properties, "region"))
	s = h.update(s, withRegion(pm{"name": str("app/db"), "description": str("in Ireland")}, otherRegion))
	assert.Equal(t, "in Ireland", aws.ToString(h.describeIn(h.other, "app/db").Description))
	require.NoError(t, h.delete(s))
	assert.Equal(t, 1, h.other.Calls()[fakesm.OpDeleteSecret])
	assert.Zero(t, h.fake.TotalCalls())
}

func (h *regionHarness) describeIn(f *fakesm.Fake, secretID string) *sm.DescribeSecretOutput {
	h.t.Helper()
	out, err := f.DescribeSecret(h.t.Context(), &sm.DescribeSecretInput{SecretId: aws.String(secretID)})
	require.NoError(h.t, err)
	return out
}

func TestDefaultRegionIsRecorded(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	s := h.create(secretType, "secret", pm{"name": str("app/db")})
	assert.Equal(t, homeRegion, getString(t, s.state, "region"))
	_, hasInput := s.inputs.GetOk("region")
	assert.False(t, hasInput, "the default is not written into the inputs")
	assert.Zero(t, h.other.TotalCalls())

	v := h.create(versionType, "version", pm{"secretId": str(s.id), "secretString": str(secretValue)})
	assert.Equal(t, homeRegion, getString(t, v.state, "region"))
	pol := h.create(policyType, "policy", pm{"secretArn": str(s.id), "policy": str(readPolicy)})
	assert.Equal(t, homeRegion, getString(t, pol.state, "region"))
	rot := h.create(rotationType, "rotation", rotationInputs(s.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	assert.Equal(t, homeRegion, getString(t, rot.state, "region"))
	assert.Zero(t, h.other.TotalCalls())

	// Naming the provider's region explicitly is no change.
	_, d := h.diff(s, withRegion(pm{"name": str("app/db")}, homeRegion))
	assert.False(t, d.HasChanges)
}

// Every resource lives in the region it names: its calls go there, and the
// region is recorded.
func TestEveryResourceInASecondRegion(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	s := h.create(secretType, "secret", withRegion(pm{"name": str("app/db")}, otherRegion))
	v := h.create(versionType, "version", withRegion(pm{"secretId": str(s.id), "secretString": str(secretValue)}, otherRegion))
	pol := h.create(policyType, "policy", withRegion(pm{"secretArn": str(s.id), "policy": str(readPolicy)}, otherRegion))
	// Not rotated at once: the fake's rotation would stay in progress, and
	// the update below would wait for it.
	later := withLambda(pm{"rotateImmediately": boolean(false)})
	rot := h.create(rotationType, "rotation", withRegion(rotationInputs(s.id, pm{"automaticallyAfterDays": num(30)}, later), otherRegion))
	second := h.create(secretType, "second", withRegion(pm{"name": str("app/cache")}, otherRegion))
	alias := h.create("smx:secretsmanager:SecretRotation", "alias", withRegion(rotationInputs(second.id, pm{"automaticallyAfterDays": num(7)}, withLambda(nil)), otherRegion))
	for _, r := range []created{v, pol, rot, alias} {
		assert.Equalf(t, otherRegion, getString(t, r.state, "region"), "%s", r.urn.Type())
	}
	assert.Zero(t, h.fake.TotalCalls(), "nothing reaches the provider's region")
	assert.Equal(t, 1, h.other.Calls()[fakesm.OpPutSecretValue])
	assert.Equal(t, 1, h.other.Calls()[fakesm.OpPutResourcePolicy])
	assert.Equal(t, 2, h.other.Calls()[fakesm.OpRotateSecret])

	h.resetCalls()
	for _, r := range []created{v, pol, rot} {
		read := h.read(r)
		assert.Equalf(t, otherRegion, getString(t, read.Properties, "region"), "%s", r.urn.Type())
	}
	rot = h.update(rot, withRegion(rotationInputs(s.id, pm{"automaticallyAfterDays": num(14)}, later), otherRegion))
	assert.Equal(t, otherRegion, getString(t, rot.state, "region"))
	for _, r := range []created{alias, rot, pol, v} {
		require.NoErrorf(t, h.delete(r), "%s", r.urn.Type())
	}
	assert.Zero(t, h.fake.TotalCalls())
	assert.NotZero(t, h.other.Calls()[fakesm.OpCancelRotateSecret])
	assert.NotZero(t, h.other.Calls()[fakesm.OpDeleteResourcePolicy])
}

func TestRegionChangeReplaces(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	s := h.create(secretType, "secret", pm{"name": str("app/db")})
	v := h.create(versionType, "version", pm{"secretId": str(s.id), "secretString": str(secretValue)})
	pol := h.create(policyType, "policy", pm{"secretArn": str(s.id), "policy": str(readPolicy)})
	rot := h.create(rotationType, "rotation", rotationInputs(s.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)))
	h.resetCalls()

	_, d := h.diff(s, withRegion(pm{"name": str("app/db")}, otherRegion))
	require.Contains(t, d.DetailedDiff, "region")
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["region"].Kind)
	assert.False(t, d.DeleteBeforeReplace, "the same name in another region can exist beside the old secret")

	for r, news := range map[*created]pm{
		&v:   {"secretId": str(s.id), "secretString": str(secretValue)},
		&pol: {"secretArn": str(s.id), "policy": str(readPolicy)},
		&rot: rotationInputs(s.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)),
	} {
		_, d := h.diff(*r, withRegion(news, otherRegion))
		require.Containsf(t, d.DetailedDiff, "region", "%s", r.urn.Type())
		assert.Equalf(t, p.UpdateReplace, d.DetailedDiff["region"].Kind, "%s", r.urn.Type())
		h.requireNoChange(*r, news, string(r.urn.Type()), "no region, the provider's, is no change")
	}
	assert.Zero(t, h.fake.TotalCalls()+h.other.TotalCalls(), "a Diff that moves a resource makes no API call either")
}

// Dropping `region` from a resource that lives in another region moves it to
// the provider's region: a replacement too.
func TestDroppingTheRegionMovesToTheProvidersRegion(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	s := h.create(secretType, "secret", withRegion(pm{"name": str("app/db")}, otherRegion))
	for typ, news := range map[tokens.Type]pm{
		secretType:   {"name": str("app/db")},
		versionType:  {"secretId": str(s.id), "secretString": str(secretValue)},
		policyType:   {"secretArn": str(s.id), "policy": str(readPolicy)},
		rotationType: rotationInputs(s.id, pm{"automaticallyAfterDays": num(30)}, withLambda(pm{"rotateImmediately": boolean(false)})),
	} {
		r := s
		if typ != secretType {
			r = h.create(typ, "r", withRegion(news, otherRegion))
		}
		assert.Equalf(t, otherRegion, getString(t, r.state, "region"), "%s", typ)
		_, d := h.diff(r, news)
		require.Containsf(t, d.DetailedDiff, "region", "%s", typ)
		assert.Equalf(t, p.UpdateReplace, d.DetailedDiff["region"].Kind, "%s", typ)
	}
}

// The replacement itself: a new secret in the new region, the old one
// deleted in its own.
func TestRegionChangeReplacementCreatesThereAndDeletesHere(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	old := h.create(secretType, "secret", pm{"name": str("app/db")})
	moved := h.create(secretType, "secret", withRegion(pm{"name": str("app/db")}, otherRegion))
	require.NoError(t, h.delete(old))
	assert.Equal(t, otherRegion, getString(t, moved.state, "region"))
	assert.True(t, h.describeIn(h.fake, "app/db").DeletedDate != nil, "the old secret is deleted in us-east-1")
	assert.Nil(t, h.describeIn(h.other, "app/db").DeletedDate, "the new one lives in eu-west-1")
}

// A state written before smx recorded regions (or migrated from pulumi-aws
// v6) has no region: it is not replaced for that, and the next update or
// refresh records where the secret lives.
func TestStateWithoutRegionIsNotReplaced(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	s := h.create(secretType, "secret", pm{"name": str("app/db")})
	s.state = s.state.Delete("region")

	_, d := h.diff(s, pm{"name": str("app/db")})
	assert.False(t, d.HasChanges)
	_, d = h.diff(s, withRegion(pm{"name": str("app/db")}, homeRegion))
	assert.False(t, d.HasChanges, "the region the ARN names, given explicitly, is no move")
	_, d = h.diff(s, withRegion(pm{"name": str("app/db")}, otherRegion))
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["region"].Kind, "a region the ARN does not name is a move")

	read := h.read(s)
	assert.Equal(t, homeRegion, getString(t, read.Properties, "region"))
	updated := h.update(s, pm{"name": str("app/db"), "description": str("described")})
	assert.Equal(t, homeRegion, getString(t, updated.state, "region"))
}

// A region Secrets Manager cannot have is refused at preview, naming the
// property, before any API call.
func TestBadRegionFailsAtPreviewWithNoCall(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	s := h.create(secretType, "secret", pm{"name": str("app/db")})
	h.resetCalls()
	for typ, inputs := range map[tokens.Type]pm{
		secretType:                          {"name": str("app/other")},
		versionType:                         {"secretId": str(s.id), "secretString": str(secretValue)},
		policyType:                          {"secretArn": str(s.id), "policy": str(readPolicy)},
		rotationType:                        rotationInputs(s.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)),
		"smx:secretsmanager:SecretRotation": rotationInputs(s.id, pm{"automaticallyAfterDays": num(30)}, withLambda(nil)),
	} {
		for _, bad := range []string{"EU-WEST-1", "eu-west", "us_east_1", "", "moon-base-1a", "https://eu-west-1"} {
			resp := h.check(typ, "r", property.Map{}, withRegion(inputs, bad))
			reasons := failuresOn(resp, "region")
			require.NotEmptyf(t, reasons, "%s: region %q must be refused", typ, bad)
			assert.Contains(t, reasons[0], "must be an AWS region such as eu-west-1")
		}
		for _, good := range []string{"eu-west-1", "us-gov-west-1", "ap-southeast-2", "eu-central-2"} {
			resp := h.check(typ, "r", property.Map{}, withRegion(inputs, good))
			assert.Emptyf(t, resp.Failures, "%s: region %q is valid", typ, good)
		}
		// A region still unknown in this preview is not judged.
		resp := h.check(typ, "r", property.Map{}, pmWith(inputs, "region", computed()))
		assert.Emptyf(t, failuresOn(resp, "region"), "%s: an unknown region waits", typ)
	}
	assert.Zero(t, h.fake.TotalCalls()+h.other.TotalCalls(), "Check makes no API call")
}

func TestReplicaInTheSecretsOwnRegionFailsAtPreview(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	resp := h.check(secretType, "secret", property.Map{}, withRegion(pm{
		"name":     str("app/db"),
		"replicas": property.New([]property.Value{property.New(pm{"region": str(otherRegion)})}),
	}, otherRegion))
	assert.NotEmpty(t, failuresOn(resp, "replicas[0].region"))
	assert.Zero(t, h.fake.TotalCalls()+h.other.TotalCalls())
}

// Importing a secret of another region by its ARN: the region comes from
// the ARN, and the imported inputs name it, so the first preview after the
// import shows no change.
func TestImportByARNFromAnotherRegion(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	out, err := h.other.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("imported"), SecretString: aws.String(secretValue)})
	require.NoError(t, err)
	arn := aws.ToString(out.ARN)
	h.resetCalls()

	for typ, id := range map[tokens.Type]string{
		secretType:  arn,
		versionType: arn + "|AWSCURRENT",
	} {
		resp, err := h.server.Read(p.ReadRequest{ID: id, Urn: urnOf(typ, "imported")})
		require.NoError(t, err)
		require.NotEmptyf(t, resp.ID, "%s is found in eu-west-1", typ)
		assert.Equal(t, otherRegion, getString(t, resp.Properties, "region"))
		assert.Equalf(t, otherRegion, getString(t, resp.Inputs, "region"), "%s: the imported inputs name the region", typ)
		r := created{urn: urnOf(typ, "imported"), id: resp.ID, inputs: resp.Inputs, state: resp.Properties}
		news := map[tokens.Type]pm{
			secretType:  {"name": str("imported"), "region": str(otherRegion)},
			versionType: {"secretId": str(arn), "secretString": str(secretValue), "region": str(otherRegion)},
		}[typ]
		h.requireNoChange(r, news, string(typ), "the inputs the import recorded")
	}
	assert.Zero(t, h.fake.TotalCalls(), "nothing asked the provider's region")

	// A secret of the provider's own region imports without a region input.
	home, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("home")})
	require.NoError(t, err)
	resp, err := h.server.Read(p.ReadRequest{ID: aws.ToString(home.ARN), Urn: urnOf(secretType, "home")})
	require.NoError(t, err)
	assert.Equal(t, homeRegion, getString(t, resp.Properties, "region"))
	_, hasRegion := resp.Inputs.GetOk("region")
	assert.False(t, hasRegion)
}

// A secret this run deleted in one region says nothing of a same-named
// secret that an earlier run left scheduled for deletion in another: that one
// is never deleted for good to make room.
func TestSameNameScheduledForDeletionInAnotherRegionIsNotPurged(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	leftover, err := h.other.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("app/db")})
	require.NoError(t, err)
	_, err = h.other.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: leftover.ARN})
	require.NoError(t, err)

	old := h.create(secretType, "secret", pm{"name": str("app/db")})
	require.NoError(t, h.delete(old))
	inputs := h.checkOK(secretType, "secret", property.Map{}, withRegion(pm{"name": str("app/db")}, otherRegion))
	_, err = h.server.Create(p.CreateRequest{Urn: urnOf(secretType, "secret"), Properties: inputs})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "scheduled for deletion")
	assert.NotNil(t, h.describeIn(h.other, aws.ToString(leftover.ARN)).DeletedDate, "the leftover is still recoverable")
	assert.Zero(t, h.other.Calls()[fakesm.OpRestoreSecret])
}

// ---------------------------------------------------------------------------
// Functions

func TestFunctionsByRegion(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	out, err := h.other.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("fn/eu"), SecretString: aws.String(fnValue)})
	require.NoError(t, err)
	arn := aws.ToString(out.ARN)
	_, err = h.other.RotateSecret(t.Context(), &sm.RotateSecretInput{SecretId: out.ARN, RotationLambdaARN: aws.String(rotationLambda),
		RotationRules: &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(30)}})
	require.NoError(t, err)
	h.resetCalls()

	for token, args := range map[string]pm{
		getSecretToken:         {"name": str("fn/eu")},
		getSecretVersionToken:  {"secretId": str("fn/eu")},
		getSecretVersionsToken: {"secretId": str("fn/eu")},
		getSecretsToken:        {},
		getRandomPasswordToken: {},
		getSecretRotationToken: {"secretId": str("fn/eu")},
	} {
		result := h.invokeOK(token, withRegion(args, otherRegion))
		assert.Equalf(t, otherRegion, getString(t, result, "region"), "%s", token)
		home := h.invokeOK(getSecretsToken, pm{})
		assert.Equal(t, homeRegion, getString(t, home, "region"), "without region: the provider's")
	}
	assert.Zero(t, h.fake.Calls()[fakesm.OpDescribeSecret]+h.fake.Calls()[fakesm.OpGetSecretValue], "eu-west-1's secret was looked up there")

	names := h.invokeOK(getSecretsToken, withRegion(pm{}, otherRegion))
	assert.Equal(t, []string{"fn/eu"}, stringsOf(t, names.Get("names")))
	assert.Equal(t, otherRegion, getString(t, names, "id"), "getSecrets's ID is the region listed")
	assert.Empty(t, stringsOf(t, h.invokeOK(getSecretsToken, pm{}).Get("names")), "us-east-1 has none")
	pw := h.invokeOK(getRandomPasswordToken, withRegion(pm{}, otherRegion))
	assert.Equal(t, otherRegion, getString(t, pw, "id"))

	_, err = h.invoke(getSecretToken, pm{"name": str("fn/eu")})
	require.Error(t, err, "without region the provider's region is asked, which does not have it")
	byARN := h.invokeOK(getSecretRotationToken, withRegion(pm{"secretId": str(arn)}, otherRegion))
	assert.Equal(t, arn, getString(t, byARN, "id"))
}

func TestFunctionsRefuseABadRegionWithNoCall(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	for token, args := range map[string]pm{
		getSecretToken:         {"name": str("x")},
		getSecretVersionToken:  {"secretId": str("x")},
		getSecretVersionsToken: {"secretId": str("x")},
		getSecretsToken:        {},
		getRandomPasswordToken: {},
		getSecretRotationToken: {"secretId": str("x")},
	} {
		_, err := h.invoke(token, withRegion(args, "Europe"))
		require.Errorf(t, err, "%s", token)
		assert.Containsf(t, err.Error(), "region must be an AWS region such as", "%s: the argument is named", token)
	}
	assert.Zero(t, h.fake.TotalCalls()+h.other.TotalCalls())
}

// The provider's own routing: a region it has no client for is an error
// that names it, never a call to another region.
func TestUnknownTestRegionIsAnError(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	_, err := h.invoke(getSecretsToken, withRegion(pm{}, "ap-south-1"))
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), `"ap-south-1"`), err.Error())
	assert.Zero(t, h.fake.TotalCalls()+h.other.TotalCalls())
}

// Changing the provider's region moves the resources that name no region of
// their own (as in pulumi-aws v7), and leaves those that do where they are.
func TestProviderRegionChangeMovesResourcesWithoutTheirOwnRegion(t *testing.T) {
	t.Parallel()
	h := newRegionHarness(t)
	implicit := h.create(secretType, "implicit", pm{"name": str("app/implicit")})
	explicit := h.create(secretType, "explicit", withRegion(pm{"name": str("app/explicit")}, homeRegion))

	// The same fakes, now under a provider configured for eu-west-1.
	prov, err := provider.New(provider.WithSecretsManagerRegions(otherRegion, map[string]secretsmanager.API{
		homeRegion: h.fake, otherRegion: h.other,
	}))
	require.NoError(t, err)
	server, err := integration.NewServer(t.Context(), "smx", semver.MustParse("0.1.0"), integration.WithProvider(prov))
	require.NoError(t, err)
	moved := &harness{t: t, fake: h.fake, server: server}

	_, d := moved.diff(implicit, pm{"name": str("app/implicit")})
	require.Contains(t, d.DetailedDiff, "region")
	assert.Equal(t, p.UpdateReplace, d.DetailedDiff["region"].Kind)
	_, d = moved.diff(explicit, withRegion(pm{"name": str("app/explicit")}, homeRegion))
	assert.False(t, d.HasChanges, "a resource that names its region stays there")
}
