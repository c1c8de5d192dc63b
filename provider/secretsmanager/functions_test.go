package secretsmanager_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	rpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/provider"
)

// ---------------------------------------------------------------------------
// The data functions, driven through the in-process integration server
// against the fake.

const (
	getSecretToken         = "smx:secretsmanager:getSecret"
	getSecretVersionToken  = "smx:secretsmanager:getSecretVersion"
	getSecretVersionsToken = "smx:secretsmanager:getSecretVersions"
	getSecretsToken        = "smx:secretsmanager:getSecrets"
	getRandomPasswordToken = "smx:secretsmanager:getRandomPassword"
	getSecretRotationToken = "smx:secretsmanager:getSecretRotation"
)

// fnValue is a secret value that no error or non-secret output may contain.
const fnValue = "fn-s3cr3t-VALUE-never-shown"

// ---------------------------------------------------------------------------
// Schema

func TestFunctionsInSchema(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	resp, err := h.server.GetSchema(p.GetSchemaRequest{})
	require.NoError(t, err)
	var spec struct {
		Functions map[string]struct {
			Description string `json:"description"`
			Inputs      struct {
				Properties map[string]json.RawMessage `json:"properties"`
				Required   []string                   `json:"required"`
			} `json:"inputs"`
			Outputs struct {
				Properties map[string]struct {
					Secret  bool `json:"secret"`
					Default any  `json:"default"`
				} `json:"properties"`
				Required []string `json:"required"`
			} `json:"outputs"`
		} `json:"functions"`
	}
	require.NoError(t, json.Unmarshal([]byte(resp.Schema), &spec))

	// Arguments and results of @pulumi/aws 7.48.0 (v6.83.4's, plus region
	// since v7.0.0; getSecret's type, getSecretVersion's secretArn and
	// getSecretVersions' secretArn and secretName since 7.x).
	want := map[string]struct{ inputs, outputs, required []string }{
		getSecretToken: {
			inputs:  []string{"arn", "name", "region", "tags"},
			outputs: []string{"arn", "createdDate", "description", "id", "kmsKeyId", "lastChangedDate", "name", "policy", "region", "tags", "type"},
		},
		getSecretVersionToken: {
			inputs:   []string{"region", "secretId", "versionId", "versionStage"},
			outputs:  []string{"arn", "createdDate", "id", "region", "secretArn", "secretBinary", "secretId", "secretString", "versionId", "versionStage", "versionStages"},
			required: []string{"secretId"},
		},
		getSecretVersionsToken: {
			inputs:   []string{"includeDeprecated", "region", "secretId"},
			outputs:  []string{"arn", "id", "includeDeprecated", "name", "region", "secretArn", "secretId", "secretName", "versions"},
			required: []string{"secretId"},
		},
		getSecretsToken: {
			inputs:  []string{"filters", "region"},
			outputs: []string{"arns", "filters", "id", "names", "region"},
		},
		getSecretRotationToken: {
			inputs: []string{"region", "secretId"},
			// arn is smx's own, beside pulumi-aws's results: the source of id.
			outputs: []string{"arn", "externalSecretRotationMetadatas", "externalSecretRotationRoleArn", "id", "region",
				"rotationEnabled", "rotationLambdaArn", "rotationRules", "secretId"},
			required: []string{"secretId"},
		},
		getRandomPasswordToken: {
			inputs: []string{"excludeCharacters", "excludeLowercase", "excludeNumbers", "excludePunctuation",
				"excludeUppercase", "includeSpace", "passwordLength", "region", "requireEachIncludedType"},
			outputs: []string{"excludeCharacters", "excludeLowercase", "excludeNumbers", "excludePunctuation",
				"excludeUppercase", "id", "includeSpace", "passwordLength", "randomPassword", "region", "requireEachIncludedType"},
		},
	}
	secretOutputs := map[string][]string{
		getSecretVersionToken:  {"secretBinary", "secretString"},
		getRandomPasswordToken: {"randomPassword"},
	}
	for token, w := range want {
		fn, ok := spec.Functions[token]
		require.Truef(t, ok, "%s is missing from the schema", token)
		assert.Contains(t, fn.Description, "```typescript", "%s needs a TypeScript example", token)
		assert.ElementsMatch(t, w.inputs, slices.Collect(maps.Keys(fn.Inputs.Properties)), token)
		var outputs, secret []string
		for name, prop := range fn.Outputs.Properties {
			outputs = append(outputs, name)
			if prop.Secret {
				secret = append(secret, name)
			}
		}
		assert.ElementsMatch(t, w.outputs, outputs, token)
		assert.ElementsMatch(t, w.required, fn.Inputs.Required, token)
		assert.ElementsMatch(t, secretOutputs[token], secret, "%s: outputs declared secret", token)
	}
}

// ---------------------------------------------------------------------------
// Every function output carrying a value is secret

func TestFunctionOutputsCarryingValuesAreSecret(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	text := h.createSecretDirectly("fn/text", &sm.CreateSecretInput{SecretString: aws.String(fnValue)})
	binary := h.createSecretDirectly("fn/binary", &sm.CreateSecretInput{SecretBinary: []byte(fnValue)})

	for name, tc := range map[string]struct {
		token string
		args  pm
		// outputs carrying a value, and what it must be ("" = anything)
		values map[string]string
	}{
		"getSecretVersion string": {getSecretVersionToken, pm{"secretId": str(*text.ARN)},
			map[string]string{"secretString": fnValue, "secretBinary": ""}},
		"getSecretVersion binary": {getSecretVersionToken, pm{"secretId": str(*binary.ARN)},
			map[string]string{"secretString": "", "secretBinary": base64.StdEncoding.EncodeToString([]byte(fnValue))}},
		"getSecretVersion by stage": {getSecretVersionToken, pm{"secretId": str("fn/text"), "versionStage": str("AWSCURRENT")},
			map[string]string{"secretString": fnValue, "secretBinary": ""}},
		"getRandomPassword": {getRandomPasswordToken, pm{},
			map[string]string{"randomPassword": ""}},
		"getRandomPassword with arguments": {getRandomPasswordToken, pm{"passwordLength": num(12), "excludePunctuation": property.New(true)},
			map[string]string{"randomPassword": ""}},
	} {
		t.Run(name, func(t *testing.T) {
			out := h.invokeOK(tc.token, tc.args)
			for key, want := range tc.values {
				v, ok := out.GetOk(key)
				require.Truef(t, ok, "%s is missing", key)
				assert.Truef(t, v.Secret(), "%s carries a value and must be marked secret in the Invoke response", key)
				got := getString(t, out, key)
				if want != "" {
					assert.Equal(t, want, got, key)
				} else if key == "randomPassword" {
					assert.NotEmpty(t, got)
				}
			}
			// No other output carries the value, in clear or otherwise.
			for key, v := range out.All {
				if _, isValue := tc.values[key]; isValue {
					continue
				}
				assert.NotContainsf(t, fmt.Sprint(v), fnValue, "%s must not carry the value", key)
				if pw, ok := out.GetOk("randomPassword"); ok {
					assert.NotContainsf(t, fmt.Sprint(v), pw.WithSecret(false).AsString(), "%s must not carry the password", key)
				}
			}
		})
	}
}

// The secret marks survive the provider's gRPC encoding: this is what the
// engine receives.
func TestFunctionSecretsAreMarkedOnTheWire(t *testing.T) {
	t.Parallel()
	fake := fakesm.New()
	_, err := fake.CreateSecret(t.Context(), &sm.CreateSecretInput{Name: aws.String("wire"), SecretString: aws.String(fnValue)})
	require.NoError(t, err)
	prov, err := provider.New(provider.WithSecretsManager(fake))
	require.NoError(t, err)
	server, err := p.RawServer("smx", "0.1.0", prov)(nil)
	require.NoError(t, err)

	for token, tc := range map[string]struct {
		args   resource.PropertyMap
		values []string
	}{
		getSecretVersionToken:  {resource.PropertyMap{"secretId": resource.NewProperty("wire")}, []string{"secretString", "secretBinary"}},
		getRandomPasswordToken: {resource.PropertyMap{}, []string{"randomPassword"}},
	} {
		t.Run(token, func(t *testing.T) {
			args, err := plugin.MarshalProperties(tc.args, plugin.MarshalOptions{})
			require.NoError(t, err)
			resp, err := server.Invoke(t.Context(), &rpc.InvokeRequest{Tok: token, Args: args})
			require.NoError(t, err)
			require.Empty(t, resp.Failures)
			out, err := plugin.UnmarshalProperties(resp.Return, plugin.MarshalOptions{KeepSecrets: true})
			require.NoError(t, err)
			for _, key := range tc.values {
				assert.Truef(t, out[resource.PropertyKey(key)].IsSecret(), "%s must reach the engine marked secret", key)
			}
			// Without KeepSecrets, as an SDK that ignores secrets reads it, the
			// value is still there: the marks are additive.
			plain, err := plugin.UnmarshalProperties(resp.Return, plugin.MarshalOptions{})
			require.NoError(t, err)
			assert.True(t, plain[resource.PropertyKey(tc.values[0])].IsString())
		})
	}
}

// ---------------------------------------------------------------------------
// getSecret

func TestGetSecretByNameAndByARN(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	created := h.createSecretDirectly("app/db", &sm.CreateSecretInput{
		Description: aws.String("database"),
		KmsKeyId:    aws.String("alias/app"),
		Tags:        []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}, {Key: aws.String("smx:owner"), Value: aws.String("x")}},
	})
	require.NoError(t, h.fake.SetResourcePolicy("app/db",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["secretsmanager:GetSecretValue"],"Resource":"*"}]}`))

	for name, args := range map[string]pm{
		"name":        {"name": str("app/db")},
		"arn":         {"arn": str(*created.ARN)},
		"partial arn": {"arn": str(strings.TrimSuffix(*created.ARN, (*created.ARN)[len(*created.ARN)-7:]))},
		"arn as name": {"name": str(*created.ARN)},
		"tags given":  {"name": str("app/db"), "tags": strMap(map[string]string{"ignored": "yes"})},
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			out := h.invokeOK(getSecretToken, args)
			assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1, fakesm.OpGetResourcePolicy: 1}, h.fake.Calls())
			assert.Equal(t, *created.ARN, getString(t, out, "arn"))
			assert.Equal(t, *created.ARN, getString(t, out, "id"))
			assert.Equal(t, "app/db", getString(t, out, "name"))
			assert.Equal(t, "database", getString(t, out, "description"))
			assert.Equal(t, "alias/app", getString(t, out, "kmsKeyId"))
			requireRFC3339(t, getString(t, out, "createdDate"))
			requireRFC3339(t, getString(t, out, "lastChangedDate"))
			// As pulumi-aws: compact JSON with sorted keys.
			policy := getString(t, out, "policy")
			assert.True(t, json.Valid([]byte(policy)))
			assert.True(t, strings.HasPrefix(policy, `{"Statement":[{"Action":"secretsmanager:GetSecretValue","Effect":"Allow"`), policy)
			// smx's own tag is hidden, as it is from the Secret resource.
			assert.Equal(t, property.New(map[string]property.Value{"team": str("core")}), out.Get("tags"))
			requireNotSecret(t, out, "arn", "name", "policy", "tags")
			assert.Equal(t, "", getString(t, out, "type"), "an ordinary secret has no partner")
		})
	}
}

func TestGetSecretReportsTheManagedExternalSecretsPartner(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.createSecretDirectly("sf", &sm.CreateSecretInput{Type: aws.String("SalesforceClientSecret")})
	out := h.invokeOK(getSecretToken, pm{"name": str("sf")})
	assert.Equal(t, "SalesforceClientSecret", getString(t, out, "type"))
}

func TestGetSecretWithoutPolicyDescriptionOrKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.createSecretDirectly("plain", nil)
	out := h.invokeOK(getSecretToken, pm{"name": str("plain")})
	assert.Equal(t, "", getString(t, out, "policy"))
	assert.Equal(t, "", getString(t, out, "description"))
	assert.Equal(t, "", getString(t, out, "kmsKeyId"), "the default key aws/secretsmanager is reported as empty")
	tags, ok := out.GetOk("tags")
	require.True(t, ok, "tags is always present")
	assert.True(t, tags.IsMap() && tags.AsMap().Len() == 0, "no tags: %v", tags)
}

func TestGetSecretScheduledForDeletionIsAnError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	created := h.createSecretDirectly("going", &sm.CreateSecretInput{SecretString: aws.String(fnValue)})
	_, err := h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: created.ARN})
	require.NoError(t, err)
	h.fake.ResetCalls()
	_, err = h.invoke(getSecretToken, pm{"name": str("going")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "scheduled for deletion")
	assert.Contains(t, err.Error(), `"going"`)
	assert.Contains(t, err.Error(), "restore")
	assert.NotContains(t, err.Error(), fnValue)
	assert.Equal(t, map[string]int{fakesm.OpDescribeSecret: 1}, h.fake.Calls(), "no policy read for a deleted secret")
}

func TestGetSecretNotFound(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.invoke(getSecretToken, pm{"name": str("nope")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `secret "nope" was not found`)
	assert.ErrorContains(t, err, "ResourceNotFoundException", "the AWS cause is kept")
}

func TestGetSecretAPIErrorsAreReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.createSecretDirectly("app", nil)
	h.fake.FailNext(fakesm.OpGetResourcePolicy, &types.InternalServiceError{Message: aws.String("boom")})
	_, err := h.invoke(getSecretToken, pm{"name": str("app")})
	require.ErrorContains(t, err, "boom")
	assert.Contains(t, err.Error(), "resource policy")
}

func TestGetSecretArgumentValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for name, tc := range map[string]struct {
		args pm
		want []string
	}{
		"neither":       {pm{}, []string{"arn or name is required"}},
		"both":          {pm{"arn": str("arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf"), "name": str("a")}, []string{"arn conflicts with name"}},
		"arn not arn":   {pm{"arn": str("my-secret")}, []string{"arn must be the ARN of a Secrets Manager secret"}},
		"arn other svc": {pm{"arn": str("arn:aws:ssm:us-east-1:123456789012:parameter/x")}, []string{"arn must be the ARN"}},
		"empty name":    {pm{"name": str("")}, []string{"name must be 1 to 512 characters long, got 0"}},
		"long name":     {pm{"name": str(strings.Repeat("a", 513))}, []string{"name must be 1 to 512"}},
		"bad chars":     {pm{"name": str("a secret")}, []string{"name may contain only"}},
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, err := h.invoke(getSecretToken, tc.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "getSecret: invalid arguments")
			for _, want := range tc.want {
				assert.Contains(t, err.Error(), want)
			}
			assert.Zero(t, h.fake.TotalCalls(), "invalid arguments make no API call")
		})
	}
}

// ---------------------------------------------------------------------------
// getSecretVersion

func TestGetSecretVersionSelectsByStageOrVersionID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	created := h.createSecretDirectly("app/db", &sm.CreateSecretInput{SecretString: aws.String("first")})
	firstID := *created.VersionId
	second, err := h.fake.PutSecretValue(t.Context(), &sm.PutSecretValueInput{SecretId: created.ARN, SecretString: aws.String("second")})
	require.NoError(t, err)
	pending, err := h.fake.PutSecretValue(t.Context(), &sm.PutSecretValueInput{
		SecretId: created.ARN, SecretString: aws.String("third"), VersionStages: []string{"AWSPENDING"},
	})
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		args                  pm
		value, id, versionID  string
		stages                []string
		versionStage          *string
		wantStage, wantInputV bool
	}{
		"default is AWSCURRENT": {pm{"secretId": str("app/db")}, "second", "app/db|AWSCURRENT", *second.VersionId,
			[]string{"AWSCURRENT"}, aws.String("AWSCURRENT"), true, false},
		"AWSPREVIOUS": {pm{"secretId": str("app/db"), "versionStage": str("AWSPREVIOUS")}, "first", "app/db|AWSPREVIOUS", firstID,
			[]string{"AWSPREVIOUS"}, aws.String("AWSPREVIOUS"), true, false},
		"custom stage": {pm{"secretId": str(*created.ARN), "versionStage": str("AWSPENDING")}, "third", *created.ARN + "|AWSPENDING",
			*pending.VersionId, []string{"AWSPENDING"}, aws.String("AWSPENDING"), true, false},
		"versionId": {pm{"secretId": str("app/db"), "versionId": str(firstID)}, "first", "app/db|" + firstID, firstID,
			[]string{"AWSPREVIOUS"}, nil, false, true},
		"versionId overrides versionStage": {pm{"secretId": str("app/db"), "versionId": str(firstID), "versionStage": str("AWSCURRENT")},
			"first", "app/db|" + firstID, firstID, []string{"AWSPREVIOUS"}, nil, false, true},
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			out := h.invokeOK(getSecretVersionToken, tc.args)
			assert.Equal(t, map[string]int{fakesm.OpGetSecretValue: 1}, h.fake.Calls())
			in := h.fake.Requests(fakesm.OpGetSecretValue)[0].(*sm.GetSecretValueInput)
			if tc.wantInputV {
				assert.Equal(t, tc.versionID, aws.ToString(in.VersionId))
				assert.Nil(t, in.VersionStage, "versionId alone is sent, as pulumi-aws does")
			} else {
				assert.Nil(t, in.VersionId)
				assert.Equal(t, *tc.versionStage, aws.ToString(in.VersionStage))
			}
			assert.Equal(t, tc.value, getString(t, out, "secretString"))
			assert.Equal(t, "", getString(t, out, "secretBinary"))
			assert.Equal(t, tc.id, getString(t, out, "id"))
			assert.Equal(t, tc.versionID, getString(t, out, "versionId"))
			assert.Equal(t, *created.ARN, getString(t, out, "arn"))
			assert.Equal(t, *created.ARN, getString(t, out, "secretArn"), "pulumi-aws 7's name for arn")
			assert.Equal(t, getString(t, property.NewMap(tc.args), "secretId"), getString(t, out, "secretId"))
			assert.Equal(t, tc.stages, stringsOf(t, out.Get("versionStages")))
			requireRFC3339(t, getString(t, out, "createdDate"))
			if tc.wantStage {
				assert.Equal(t, *tc.versionStage, getString(t, out, "versionStage"))
			} else {
				v, ok := out.GetOk("versionStage")
				assert.True(t, !ok || v.IsNull(), "versionStage is absent when looked up by versionId: %v", v)
			}
			requireNotSecret(t, out, "arn", "id", "versionId", "versionStages", "createdDate")
		})
	}
}

// Functions always read fresh: a rotation between two invokes is seen.
func TestGetSecretVersionAlwaysReadsFresh(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.createSecretDirectly("rotating", &sm.CreateSecretInput{SecretString: aws.String("before")})
	h.fake.ResetCalls()
	out := h.invokeOK(getSecretVersionToken, pm{"secretId": str("rotating")})
	assert.Equal(t, "before", getString(t, out, "secretString"))
	rotated, err := h.fake.PutValueOutOfBand("rotating", "after")
	require.NoError(t, err)
	out = h.invokeOK(getSecretVersionToken, pm{"secretId": str("rotating")})
	assert.Equal(t, "after", getString(t, out, "secretString"))
	assert.Equal(t, rotated, getString(t, out, "versionId"))
	assert.Equal(t, 2, h.fake.Calls()[fakesm.OpGetSecretValue], "one GetSecretValue per invoke, nothing cached")
}

func TestGetSecretVersionArgumentValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.createSecretDirectly("app", &sm.CreateSecretInput{SecretString: aws.String(fnValue)})
	for name, tc := range map[string]struct {
		args pm
		want string
	}{
		"empty secretId":     {pm{"secretId": str("")}, "secretId must be the ARN or name of a secret"},
		"long secretId":      {pm{"secretId": str(strings.Repeat("a", 2049))}, "secretId must be the ARN or name of a secret, 1 to 2048"},
		"short versionId":    {pm{"secretId": str("app"), "versionId": str("v1")}, "versionId must be 32 to 64 characters long, got 2"},
		"long versionId":     {pm{"secretId": str("app"), "versionId": str(strings.Repeat("a", 65))}, "versionId must be 32 to 64"},
		"empty versionStage": {pm{"secretId": str("app"), "versionStage": str("")}, "versionStage must be 1 to 256 characters long, got 0"},
		"long versionStage":  {pm{"secretId": str("app"), "versionStage": str(strings.Repeat("S", 257))}, "versionStage must be 1 to 256"},
		"long CJK versionStage": {pm{"secretId": str("app"), "versionStage": str(strings.Repeat("秘", 257))},
			"versionStage must be 1 to 256 characters long, got 257"},
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, err := h.invoke(getSecretVersionToken, tc.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "getSecretVersion: invalid arguments")
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), fnValue)
			assert.Zero(t, h.fake.TotalCalls(), "invalid arguments make no API call")
		})
	}

	t.Run("missing secretId", func(t *testing.T) {
		h.fake.ResetCalls()
		resp, err := h.server.Invoke(p.InvokeRequest{Token: getSecretVersionToken, Args: property.NewMap(pm{})})
		require.NoError(t, err)
		require.Len(t, resp.Failures, 1)
		assert.Equal(t, "secretId", resp.Failures[0].Property)
		assert.Zero(t, h.fake.TotalCalls())
	})
}

func TestGetSecretVersionErrorsNeverContainValues(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	created := h.createSecretDirectly("app/db", &sm.CreateSecretInput{SecretString: aws.String(fnValue)})
	for name, tc := range map[string]struct {
		args   pm
		inject error
		want   string
	}{
		"missing stage":   {pm{"secretId": str("app/db"), "versionStage": str("AWSPENDING")}, nil, `labelled "AWSPENDING" was not found`},
		"missing version": {pm{"secretId": str("app/db"), "versionId": str(strings.Repeat("0", 32))}, nil, "was not found"},
		"missing secret":  {pm{"secretId": str("no/such")}, nil, `secret "no/such"`},
		"service error": {pm{"secretId": str("app/db")},
			&types.InternalServiceError{Message: aws.String("internal failure")}, "internal failure"},
		"invalid request": {pm{"secretId": str("app/db")},
			&types.InvalidRequestException{Message: aws.String("not allowed")}, "not allowed"},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.inject != nil {
				h.fake.FailNext(fakesm.OpGetSecretValue, tc.inject)
			}
			_, err := h.invoke(getSecretVersionToken, tc.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), fnValue)
		})
	}

	_, err := h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: created.ARN})
	require.NoError(t, err)
	_, err = h.invoke(getSecretVersionToken, pm{"secretId": str("app/db")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "scheduled for deletion")
	assert.NotContains(t, err.Error(), fnValue)
}

// ---------------------------------------------------------------------------
// getSecretVersions

func TestGetSecretVersions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	created := h.createSecretDirectly("app/db", &sm.CreateSecretInput{SecretString: aws.String(fnValue)})
	for i := range 3 {
		_, err := h.fake.PutValueOutOfBand("app/db", fmt.Sprintf("%s-%d", fnValue, i))
		require.NoError(t, err)
	}
	snap, _ := h.fake.Snapshot("app/db")
	require.Len(t, snap.VersionStages, 4)

	h.fake.ResetCalls()
	out := h.invokeOK(getSecretVersionsToken, pm{"secretId": str("app/db")})
	assert.Equal(t, map[string]int{fakesm.OpListSecretVersionIds: 1}, h.fake.Calls())
	assert.Equal(t, *created.ARN, getString(t, out, "arn"))
	assert.Equal(t, *created.ARN, getString(t, out, "id"))
	assert.Equal(t, "app/db", getString(t, out, "name"))
	assert.Equal(t, *created.ARN, getString(t, out, "secretArn"), "pulumi-aws 7's name for arn")
	assert.Equal(t, "app/db", getString(t, out, "secretName"), "pulumi-aws 7's name for name")
	assert.Equal(t, "app/db", getString(t, out, "secretId"))
	versions := out.Get("versions").AsArray()
	require.Equal(t, 2, versions.Len(), "only labelled versions by default")
	labels := map[string][]string{}
	for _, v := range versions.All {
		m := v.AsMap()
		requireRFC3339(t, getString(t, m, "createdTime"))
		assert.Equal(t, "", getString(t, m, "lastAccessedDate"))
		labels[getString(t, m, "versionId")] = stringsOf(t, m.Get("versionStages"))
	}
	for id, stages := range labels {
		assert.Equal(t, snap.VersionStages[id], stages)
	}
	assert.NotContains(t, fmt.Sprint(out), fnValue, "no value in the listing")
	in := h.fake.Requests(fakesm.OpListSecretVersionIds)[0].(*sm.ListSecretVersionIdsInput)
	assert.Nil(t, in.IncludeDeprecated)

	out = h.invokeOK(getSecretVersionsToken, pm{"secretId": str(*created.ARN), "includeDeprecated": property.New(true)})
	assert.Equal(t, 4, out.Get("versions").AsArray().Len(), "deprecated versions too")
	assert.Equal(t, property.New(true), out.Get("includeDeprecated"))
	in = h.fake.Requests(fakesm.OpListSecretVersionIds)[1].(*sm.ListSecretVersionIdsInput)
	assert.True(t, aws.ToBool(in.IncludeDeprecated))
	for _, v := range out.Get("versions").AsArray().All {
		stages, ok := v.AsMap().GetOk("versionStages")
		require.True(t, ok, "versionStages is present, empty for a deprecated version")
		assert.True(t, stages.IsArray())
	}
}

func TestGetSecretVersionsPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.createSecretDirectly("busy", &sm.CreateSecretInput{SecretString: aws.String("v0")})
	for i := range 150 {
		_, err := h.fake.PutValueOutOfBand("busy", fmt.Sprintf("v%d", i+1))
		require.NoError(t, err)
	}
	h.fake.ResetCalls()
	out := h.invokeOK(getSecretVersionsToken, pm{"secretId": str("busy"), "includeDeprecated": property.New(true)})
	assert.Equal(t, 151, out.Get("versions").AsArray().Len())
	requests := h.fake.Requests(fakesm.OpListSecretVersionIds)
	require.Len(t, requests, 2, "two pages")
	assert.Nil(t, requests[0].(*sm.ListSecretVersionIdsInput).NextToken)
	assert.NotNil(t, requests[1].(*sm.ListSecretVersionIdsInput).NextToken)
	ids := map[string]bool{}
	for _, v := range out.Get("versions").AsArray().All {
		ids[getString(t, v.AsMap(), "versionId")] = true
	}
	assert.Len(t, ids, 151, "every version once")
}

func TestGetSecretVersionsErrorsAndValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	_, err := h.invoke(getSecretVersionsToken, pm{"secretId": str("")})
	require.ErrorContains(t, err, "getSecretVersions: invalid arguments: secretId must be the ARN or name of a secret")
	assert.Zero(t, h.fake.TotalCalls())

	_, err = h.invoke(getSecretVersionsToken, pm{"secretId": str("nope")})
	require.ErrorContains(t, err, `getSecretVersions: secret "nope" was not found`)

	h.createSecretDirectly("app", nil)
	h.fake.FailNext(fakesm.OpListSecretVersionIds, &types.InternalServiceError{Message: aws.String("boom")})
	_, err = h.invoke(getSecretVersionsToken, pm{"secretId": str("app")})
	require.ErrorContains(t, err, "boom")
}

// ---------------------------------------------------------------------------
// getSecrets

func filtersArg(filters ...[]string) property.Value {
	var out []property.Value
	for _, f := range filters {
		out = append(out, property.New(map[string]property.Value{"name": str(f[0]), "values": strList(f[1:]...)}))
	}
	return property.New(out)
}

func TestGetSecretsFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	arns := map[string]string{}
	for name, tags := range map[string]map[string]string{
		"prod/db":    {"env": "prod", "team": "core"},
		"prod/api":   {"env": "prod"},
		"dev/db":     {"env": "dev", "team": "core"},
		"shared/key": nil,
	} {
		in := &sm.CreateSecretInput{}
		for k, v := range tags {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String(k), Value: aws.String(v)})
		}
		arns[name] = *h.createSecretDirectly(name, in).ARN
	}
	gone := h.createSecretDirectly("prod/old", nil)
	_, err := h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: gone.ARN})
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		args pm
		want []string
	}{
		"no filters":        {pm{}, []string{"dev/db", "prod/api", "prod/db", "shared/key"}},
		"name prefix":       {pm{"filters": filtersArg([]string{"name", "prod/"})}, []string{"prod/api", "prod/db"}},
		"tag-key":           {pm{"filters": filtersArg([]string{"tag-key", "team"})}, []string{"dev/db", "prod/db"}},
		"tag-value":         {pm{"filters": filtersArg([]string{"tag-value", "dev"})}, []string{"dev/db"}},
		"filters are ANDed": {pm{"filters": filtersArg([]string{"name", "prod/"}, []string{"tag-key", "team"})}, []string{"prod/db"}},
		"negation":          {pm{"filters": filtersArg([]string{"name", "!prod/"})}, []string{"dev/db", "shared/key"}},
		"no match":          {pm{"filters": filtersArg([]string{"name", "zzz"})}, []string{}},
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			out := h.invokeOK(getSecretsToken, tc.args)
			assert.Equal(t, map[string]int{fakesm.OpListSecrets: 1}, h.fake.Calls())
			names := stringsOf(t, out.Get("names"))
			assert.Equal(t, tc.want, names, "sorted by name; scheduled-for-deletion secrets never listed")
			var wantARNs []string
			for _, n := range tc.want {
				wantARNs = append(wantARNs, arns[n])
			}
			assert.Equal(t, emptyIfNilStrings(wantARNs), stringsOf(t, out.Get("arns")), "arns[i] is the ARN of names[i]")
			_, hasID := out.GetOk("id")
			assert.True(t, hasID)
			in := h.fake.Requests(fakesm.OpListSecrets)[0].(*sm.ListSecretsInput)
			assert.False(t, aws.ToBool(in.IncludePlannedDeletion))
			if f, ok := tc.args["filters"]; ok {
				assert.Equal(t, f, out.Get("filters"), "filters are echoed")
				assert.Len(t, in.Filters, f.AsArray().Len())
			}
		})
	}
}

func TestGetSecretsPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for i := range 230 {
		h.createSecretDirectly(fmt.Sprintf("bulk/%03d", i), nil)
	}
	h.fake.ResetCalls()
	out := h.invokeOK(getSecretsToken, pm{"filters": filtersArg([]string{"name", "bulk/"})})
	assert.Equal(t, 3, h.fake.Calls()[fakesm.OpListSecrets], "three pages of at most 100")
	names := stringsOf(t, out.Get("names"))
	require.Len(t, names, 230)
	assert.True(t, slices.IsSorted(names))
	assert.Len(t, stringsOf(t, out.Get("arns")), 230)
	requests := h.fake.Requests(fakesm.OpListSecrets)
	for i, r := range requests {
		in := r.(*sm.ListSecretsInput)
		assert.Equal(t, i > 0, in.NextToken != nil, "page %d", i)
		assert.Len(t, in.Filters, 1, "every page carries the filters")
	}
}

func TestGetSecretsArgumentValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	elevenValues := []string{"name"}
	for i := range 11 {
		elevenValues = append(elevenValues, fmt.Sprint(i))
	}
	var elevenFilters [][]string
	for range 11 {
		elevenFilters = append(elevenFilters, []string{"name", "a"})
	}
	for name, tc := range map[string]struct {
		filters property.Value
		want    string
	}{
		"unknown name":    {filtersArg([]string{"owner", "me"}), `filters[0].name must be one of description, name, tag-key, tag-value, primary-region, owning-service, all, got "owner"`},
		"no values":       {filtersArg([]string{"name"}), "filters[0].values must hold 1 to 10 values, got 0"},
		"too many values": {filtersArg(elevenValues), "filters[0].values must hold 1 to 10 values, got 11"},
		"long value":      {filtersArg([]string{"name", "ok"}, []string{"name", strings.Repeat("a", 513)}), "filters[1].values[0] must be at most 512 characters long"},
		"bad characters":  {filtersArg([]string{"tag-value", "a*b"}), `filters[0].values[0] may contain only`},
		"too many":        {filtersArg(elevenFilters...), "filters may hold at most 10 filters, got 11"},
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, err := h.invoke(getSecretsToken, pm{"filters": tc.filters})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "getSecrets: invalid arguments")
			assert.Contains(t, err.Error(), tc.want)
			assert.Zero(t, h.fake.TotalCalls(), "invalid arguments make no API call")
		})
	}
}

// ---------------------------------------------------------------------------
// getRandomPassword

func TestGetRandomPasswordDefaults(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out := h.invokeOK(getRandomPasswordToken, pm{})
	assert.Equal(t, map[string]int{fakesm.OpGetRandomPassword: 1}, h.fake.Calls())
	password := getString(t, out, "randomPassword")
	assert.Len(t, password, 32, "default length 32")
	assert.Equal(t, num(32), out.Get("passwordLength"))
	assert.NotEqual(t, password, getString(t, out, "id"), "the ID is never the password")
	in := h.fake.Requests(fakesm.OpGetRandomPassword)[0].(*sm.GetRandomPasswordInput)
	assert.Equal(t, int64(32), aws.ToInt64(in.PasswordLength))
	assert.Nil(t, in.ExcludeCharacters)
	// As pulumi-aws: every flag is sent, unset ones as false.
	for name, flag := range map[string]*bool{
		"ExcludeLowercase": in.ExcludeLowercase, "ExcludeUppercase": in.ExcludeUppercase, "ExcludeNumbers": in.ExcludeNumbers,
		"ExcludePunctuation": in.ExcludePunctuation, "IncludeSpace": in.IncludeSpace, "RequireEachIncludedType": in.RequireEachIncludedType,
	} {
		require.NotNilf(t, flag, "%s is sent", name)
		assert.Falsef(t, *flag, "%s", name)
	}

	// Each invoke draws a new password.
	again := h.invokeOK(getRandomPasswordToken, pm{})
	assert.NotEqual(t, password, getString(t, again, "randomPassword"))
}

func TestGetRandomPasswordArguments(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	out := h.invokeOK(getRandomPasswordToken, pm{
		"passwordLength":          num(64),
		"excludeCharacters":       str("abcXYZ"),
		"excludeNumbers":          property.New(true),
		"excludePunctuation":      property.New(true),
		"includeSpace":            property.New(true),
		"requireEachIncludedType": property.New(true),
	})
	password := getString(t, out, "randomPassword")
	require.Len(t, password, 64)
	assert.False(t, strings.ContainsAny(password, "abcXYZ0123456789!#$%&"), password)
	assert.True(t, strings.ContainsAny(password, " "), "a space is required when included: %q", password)
	in := h.fake.Requests(fakesm.OpGetRandomPassword)[0].(*sm.GetRandomPasswordInput)
	assert.Equal(t, "abcXYZ", aws.ToString(in.ExcludeCharacters))
	assert.True(t, aws.ToBool(in.ExcludeNumbers))
	assert.True(t, aws.ToBool(in.ExcludePunctuation))
	assert.False(t, aws.ToBool(in.ExcludeLowercase))
	assert.True(t, aws.ToBool(in.IncludeSpace))
	assert.True(t, aws.ToBool(in.RequireEachIncludedType))
	// Arguments are echoed, as in pulumi-aws.
	assert.Equal(t, "abcXYZ", getString(t, out, "excludeCharacters"))
	assert.Equal(t, property.New(true), out.Get("excludeNumbers"))
	assert.Equal(t, property.New(true), out.Get("requireEachIncludedType"))
	assert.Equal(t, num(64), out.Get("passwordLength"))
	requireNotSecret(t, out, "excludeCharacters", "passwordLength", "id")

	out = h.invokeOK(getRandomPasswordToken, pm{"passwordLength": num(1)})
	assert.Len(t, getString(t, out, "randomPassword"), 1)
	out = h.invokeOK(getRandomPasswordToken, pm{"passwordLength": num(4096)})
	assert.Len(t, getString(t, out, "randomPassword"), 4096)
}

func TestGetRandomPasswordArgumentValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	yes := property.New(true)
	for name, tc := range map[string]struct {
		args pm
		want string
	}{
		"zero length": {pm{"passwordLength": num(0)}, "passwordLength must be 1 to 4096, got 0"},
		"too long":    {pm{"passwordLength": num(4097)}, "passwordLength must be 1 to 4096, got 4097"},
		"negative":    {pm{"passwordLength": num(-5)}, "passwordLength must be 1 to 4096, got -5"},
		"long exclude": {pm{"excludeCharacters": str(strings.Repeat("a", 4097))},
			"excludeCharacters must be at most 4096 characters long, got 4097"},
		"everything excluded": {pm{"excludeLowercase": yes, "excludeUppercase": yes, "excludeNumbers": yes, "excludePunctuation": yes},
			"together exclude every character"},
		"everything excluded by characters": {pm{"excludeLowercase": yes, "excludeUppercase": yes, "excludePunctuation": yes,
			"excludeCharacters": str("0123456789")}, "together exclude every character"},
		"too short for each type": {pm{"passwordLength": num(3), "requireEachIncludedType": yes},
			"passwordLength must be at least 4 when requireEachIncludedType is set, one character for each included type (lowercase, uppercase, numbers, punctuation), got 3"},
		"too short with space": {pm{"passwordLength": num(4), "requireEachIncludedType": yes, "includeSpace": yes},
			"passwordLength must be at least 5"},
	} {
		t.Run(name, func(t *testing.T) {
			h.fake.ResetCalls()
			_, err := h.invoke(getRandomPasswordToken, tc.args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "getRandomPassword: invalid arguments")
			assert.Contains(t, err.Error(), tc.want)
			assert.Zero(t, h.fake.TotalCalls(), "invalid arguments make no API call")
		})
	}

	// excludeCharacters is limited in characters, as AWS counts it: 1,400
	// "€" are 4,200 bytes but 1,400 characters.
	h.invokeOK(getRandomPasswordToken, pm{"excludeCharacters": str(strings.Repeat("€", 1400))})

	// Excluding some characters of a type keeps the type.
	out := h.invokeOK(getRandomPasswordToken, pm{"excludeLowercase": yes, "excludeUppercase": yes, "excludePunctuation": yes,
		"excludeCharacters": str("012345678")})
	assert.Equal(t, strings.Repeat("9", 32), getString(t, out, "randomPassword"))
}

func TestGetRandomPasswordAPIErrorIsReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.fake.FailNext(fakesm.OpGetRandomPassword, &types.InternalServiceError{Message: aws.String("boom")})
	_, err := h.invoke(getRandomPasswordToken, pm{})
	require.ErrorContains(t, err, "getRandomPassword")
	assert.ErrorContains(t, err, "boom")
}
