package secretsmanager_test

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every input the schema marks secret, on every resource, is one that an
// import either never returns (the write-only values, which AWS cannot tell
// from a stored one) or returns as the import's placeholder: the code
// `pulumi import` generates from the imported inputs never holds a value. A
// new secret input fails this test until its import is handled.
func TestImportedInputsHoldNoSecretValue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	schemaResp, err := h.server.GetSchema(p.GetSchemaRequest{})
	require.NoError(t, err)
	var schema struct {
		Resources map[string]struct {
			InputProperties map[string]struct {
				Secret bool `json:"secret"`
			} `json:"inputProperties"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal([]byte(schemaResp.Schema), &schema))
	secretInputs := map[string][]string{}
	for token, res := range schema.Resources {
		for name, prop := range res.InputProperties {
			if prop.Secret {
				secretInputs[token] = append(secretInputs[token], name)
			}
		}
		slices.Sort(secretInputs[token])
	}
	assert.Equal(t, map[string][]string{
		string(versionType): {"secretBinary", "secretBinaryWo", "secretString", "secretStringWo"},
	}, secretInputs, "the secret inputs this test imports")

	text := h.createSecretDirectly("legacy/text", &sm.CreateSecretInput{SecretString: aws.String(secretValue)})
	binary := h.createSecretDirectly("legacy/binary", &sm.CreateSecretInput{SecretBinary: []byte(secretValue)})
	for _, created := range []struct{ arn, valueProperty string }{
		{aws.ToString(text.ARN), "secretString"}, {aws.ToString(binary.ARN), "secretBinary"},
	} {
		resp, err := h.server.Read(p.ReadRequest{ID: created.arn + "|AWSCURRENT", Urn: urnOf(versionType, "imported")})
		require.NoError(t, err)
		for _, name := range secretInputs[string(versionType)] {
			v, has := resp.Inputs.GetOk(name)
			if name != created.valueProperty {
				assert.Falsef(t, has, "%s: the imported inputs hold %s", created.arn, name)
				continue
			}
			require.Truef(t, has && v.Secret(), "%s: %s is the placeholder, marked secret", created.arn, name)
			assert.Contains(t, v.WithSecret(false).AsString(), "which pulumi import never prints")
		}
		requireNoValue(t, "the imported inputs of "+created.arn, resp.Inputs, secretValue)
		requireNoValue(t, "the imported inputs of "+created.arn, resp.Inputs, base64.StdEncoding.EncodeToString([]byte(secretValue)))
	}
}

// The Secret's generateSecretString says how a value is generated, not the
// value (and is not secret): an import, which cannot know it, leaves it out.
func TestSecretImportLeavesGenerateSecretStringOut(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	created := h.createSecretDirectly("legacy/generated", &sm.CreateSecretInput{SecretString: aws.String(secretValue)})
	resp, err := h.server.Read(p.ReadRequest{ID: aws.ToString(created.ARN), Urn: urnOf(secretType, "imported")})
	require.NoError(t, err)
	_, has := resp.Inputs.GetOk("generateSecretString")
	assert.False(t, has)
	requireNoValue(t, "the imported Secret", resp.Inputs, secretValue)
	requireNoValue(t, "the imported Secret", resp.Properties, secretValue)
}
