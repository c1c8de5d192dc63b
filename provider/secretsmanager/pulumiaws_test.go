package secretsmanager_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
)

// The states pulumi-aws v6 and v7 record (tests/fixtures/pulumi-aws, sources
// in SOURCES.md there), handed to smx as the engine does when a stack moves
// over through the schema aliases: Check with the old inputs, Diff and Update
// with the old state. Every form of "unset" pulumi-aws writes must compare
// equal to smx's, so the only change is the state's shape, and the Update
// that rewrites it makes no call. (tests/e2e/migration_test.go runs the same
// states through the real CLI.)

const (
	fixtureARN         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:secret-a1b2c3d-AbCdEf"
	fixtureLambda      = "arn:aws:lambda:us-east-1:123456789012:function:rotate"
	fixtureRole        = "arn:aws:iam::123456789012:role/salesforce-rotation"
	fixtureAdminSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:salesforce-admin-GhIjKl"
	fixturePolicy      = `{"Statement":[{"Action":"secretsmanager:GetSecretValue","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Resource":"*"}],"Version":"2012-10-17"}`
)

var fixtureVars = map[string]string{
	"ACCOUNT": "123456789012", "REGION": "us-east-1", "SECRET_ARN": fixtureARN, "SECRET_NAME": "secret-a1b2c3d",
	"VERSION_ID": "6f9e3a52-9c1d-4f0b-8a7e-2b4c6d8e0f13", "LAMBDA_ARN": fixtureLambda, "POLICY": fixturePolicy,
	"ROLE_ARN": fixtureRole, "ADMIN_SECRET_ARN": fixtureAdminSecret,
}

func TestPulumiAWSStatesMigrateWithoutCalls(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"v6", "v7"} {
		for _, c := range []struct {
			file    string
			token   tokens.Type
			id      string
			program pm
		}{
			// The document's program: an auto-named secret.
			{"secret", secretType, fixtureARN, pm{}},
			{"secret_version", versionType, fixtureARN + "|" + fixtureVars["VERSION_ID"],
				pm{"secretId": str(fixtureARN), "secretString": str("mysecret").WithSecret(true)}},
			{"secret_rotation", "smx:secretsmanager:SecretRotation", fixtureARN,
				pm{"secretId": str(fixtureARN), "rotationLambdaArn": str(fixtureLambda),
					"rotationRules": property.New(pm{"automaticallyAfterDays": num(30)})}},
			{"secret_policy", policyType, fixtureARN, pm{"secretArn": str(fixtureARN), "policy": str(fixturePolicy)}},
		} {
			t.Run(version+"/"+c.file, func(t *testing.T) {
				_, _ = requireMigratesWithoutCalls(t, version, c.file, c.token, c.id, c.program)
			})
		}
	}
}

// pulumi-aws 7.48's newer properties (tests/fixtures/pulumi-aws/v7.48):
// a managed external secret's type, and a SecretVersion's secretArn.
func TestPulumiAWSv748StatesMigrateWithoutCalls(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		file    string
		token   tokens.Type
		id      string
		program pm
	}{
		{"secret_managed_external", secretType, fixtureARN, pm{"type": str("SalesforceClientSecret")}},
		{"secret_version", versionType, fixtureARN + "|" + fixtureVars["VERSION_ID"],
			pm{"secretId": str(fixtureARN), "secretString": str("mysecret").WithSecret(true)}},
	} {
		t.Run(c.file, func(t *testing.T) {
			_, _ = requireMigratesWithoutCalls(t, "v7.48", c.file, c.token, c.id, c.program)
		})
	}
}

// requireMigratesWithoutCalls hands smx the state a fixture holds, as the
// engine does when a stack moves over, with the program that made it: the
// diff is the state's shape alone, the Update that rewrites it makes no
// call, and the next diff, from smx's own state, finds nothing. It returns
// the harness and the rewritten state, for what a caller checks besides.
func requireMigratesWithoutCalls(t *testing.T, version, file string, token tokens.Type, id string, program pm) (*harness, property.Map) {
	t.Helper()
	h := newHarness(t)
	oldInputs, oldState := loadPulumiAWSFixture(t, version, file)
	urn := urnOf(token, "migrated")
	inputs := h.checkOK(token, "migrated", oldInputs, program)

	d, err := h.server.Diff(p.DiffRequest{ID: id, Urn: urn, State: oldState, Inputs: inputs, OldInputs: oldInputs})
	require.NoError(t, err)
	assert.True(t, d.HasChanges, "the state's shape changes, so up rewrites it")
	for prop, diff := range d.DetailedDiff {
		assert.True(t, strings.HasPrefix(prop, "__") || prop == "id", "%s: only the bridge's bookkeeping changes, not %s (%v)", file, prop, diff)
		assert.Equal(t, p.Delete, diff.Kind)
	}

	resp, err := h.server.Update(p.UpdateRequest{ID: id, Urn: urn, State: oldState, Inputs: inputs, OldInputs: oldInputs})
	require.NoError(t, err)
	assert.Zero(t, h.fake.TotalCalls(), "migrating makes no Secrets Manager call: %v", h.fake.Calls())
	for _, key := range []string{"__meta", "__defaults", "__pulumi_raw_state_delta", "id"} {
		_, ok := resp.Properties.GetOk(key)
		assert.False(t, ok, "the rewritten state holds no %q", key)
	}

	again, err := h.server.Diff(p.DiffRequest{ID: id, Urn: urn, State: resp.Properties, Inputs: inputs, OldInputs: inputs})
	require.NoError(t, err)
	assert.False(t, again.HasChanges, "%v", again.DetailedDiff)
	if token == secretType {
		assert.Equal(t, fixtureVars["SECRET_NAME"], getString(t, inputs, "name"), "an auto-named secret keeps its name")
	}
	return h, resp.Properties
}

// A pulumi-aws v7 SecretVersion written from secretStringWo migrates with
// no call, and the value the Terraform bridge left in its inputs leaves the
// state with the Update that rewrites it.
func TestPulumiAWSv7WriteOnlyVersionMigratesWithoutCalls(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	oldInputs, oldState := loadPulumiAWSFixture(t, "v7", "secret_version_wo")
	id := fixtureARN + "|" + fixtureVars["VERSION_ID"]
	urn := urnOf(versionType, "migrated")
	inputs := h.checkOK(versionType, "migrated", oldInputs, pm{
		"secretId": str(fixtureARN), "secretStringWo": str("mysecret").WithSecret(true), "secretStringWoVersion": num(1),
	})
	d, err := h.server.Diff(p.DiffRequest{ID: id, Urn: urn, State: oldState, Inputs: inputs, OldInputs: oldInputs})
	require.NoError(t, err)
	for prop, diff := range d.DetailedDiff {
		assert.True(t, strings.HasPrefix(prop, "__"), "only the bridge's bookkeeping changes, not %s (%v)", prop, diff)
	}
	resp, err := h.server.Update(p.UpdateRequest{ID: id, Urn: urn, State: oldState, Inputs: inputs, OldInputs: oldInputs})
	require.NoError(t, err)
	assert.Zero(t, h.fake.TotalCalls(), "migrating makes no Secrets Manager call: %v", h.fake.Calls())
	requireNoValue(t, "the rewritten state", resp.Properties, "mysecret")
	requireNoValue(t, "the new inputs", inputs, "mysecret")
	assert.True(t, resp.Properties.Get("hasSecretStringWo").AsBool())
	assert.Equal(t, 1.0, resp.Properties.Get("secretStringWoVersion").AsNumber())

	again, err := h.server.Diff(p.DiffRequest{ID: id, Urn: urn, State: resp.Properties, Inputs: inputs, OldInputs: inputs})
	require.NoError(t, err)
	assert.False(t, again.HasChanges, "%v", again.DetailedDiff)
}

// loadPulumiAWSFixture reads one fixture as the engine would hand it to a
// provider: placeholders filled in, secrets (stored in plaintext form in
// the fixture) marked secret.
func loadPulumiAWSFixture(t *testing.T, version, file string) (inputs, outputs property.Map) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "tests", "fixtures", "pulumi-aws", version, file+".json"))
	require.NoError(t, err)
	var fixture struct {
		Inputs  map[string]any `json:"inputs"`
		Outputs map[string]any `json:"outputs"`
	}
	require.NoError(t, json.Unmarshal(raw, &fixture))
	return fixtureValue(t, fixture.Inputs).AsMap(), fixtureValue(t, fixture.Outputs).AsMap()
}

// secretSignature marks a secret in Pulumi's serialized state.
const secretSignature = "4dabf18193072939515e22adb298388d"

func fixtureValue(t *testing.T, v any) property.Value {
	t.Helper()
	switch v := v.(type) {
	case nil:
		return property.New(property.Null)
	case bool:
		return property.New(v)
	case float64:
		return property.New(v)
	case string:
		for name, value := range fixtureVars {
			v = strings.ReplaceAll(v, "${"+name+"}", value)
		}
		require.NotContains(t, v, "${", "a fixture placeholder without a value")
		return property.New(v)
	case []any:
		items := make([]property.Value, len(v))
		for i, item := range v {
			items[i] = fixtureValue(t, item)
		}
		return property.New(items)
	case map[string]any:
		if _, secret := v[secretSignature]; secret {
			var plain any
			require.NoError(t, json.Unmarshal([]byte(v["plaintext"].(string)), &plain))
			return fixtureValue(t, plain).WithSecret(true)
		}
		fields := pm{}
		for key, field := range v {
			fields[key] = fixtureValue(t, field)
		}
		return property.New(fields)
	}
	t.Fatalf("unexpected fixture value %T", v)
	return property.Value{}
}

// A pulumi-aws 7.48 Tag (tests/fixtures/pulumi-aws/v7.48) moves over with no
// call: its properties are smx's, and only the bridge's bookkeeping goes,
// the raw-state delta included. A refresh of the state pulumi-aws wrote finds
// the tag with one DescribeSecret.
func TestPulumiAWSv748TagMigratesWithoutCalls(t *testing.T) {
	t.Parallel()
	h, migrated := requireMigratesWithoutCalls(t, "v7.48", "tag", tagType, fixtureARN+",CostCenter", tagInputs(fixtureARN, "CostCenter", "4711"))
	assert.Equal(t, pm{"secretId": str(fixtureARN), "key": str("CostCenter"), "value": str("4711"), "region": str("us-east-1")},
		migrated.AsMap())

	oldInputs, oldState := loadPulumiAWSFixture(t, "v7.48", "tag")
	urn := urnOf(tagType, "migrated")
	// A refresh before the first up reads pulumi-aws's state as smx's.
	_, err := h.fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("secret-a1b2c3d"),
		Tags: []types.Tag{{Key: aws.String("CostCenter"), Value: aws.String("4711")}}})
	require.NoError(t, err)
	live := aws.ToString(h.describe("secret-a1b2c3d").ARN)
	oldInputs, oldState = oldInputs.Set("secretId", str(live)), oldState.Set("secretId", str(live))
	h.fake.ResetCalls()
	read, err := h.server.Read(p.ReadRequest{ID: live + ",CostCenter", Urn: urn, Properties: oldState, Inputs: oldInputs})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls())
	assert.Equal(t, live+",CostCenter", read.ID)
	assert.Equal(t, "4711", getString(t, read.Properties, "value"))
}
