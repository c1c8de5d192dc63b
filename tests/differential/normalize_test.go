package differential

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decode(t *testing.T, text string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var v any
	require.NoError(t, d.Decode(&v))
	return v
}

// The normalization hides only what AWS leaves to the service; these are
// the differences it must keep.
func TestNormalizeKeepsWhatMatters(t *testing.T) {
	now := time.Now().Unix()
	in := decode(t, `{
		"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbC123",
		"VersionIdsToStages": {"6f1c0c5e-1b7a-4a53-9d1e-0c7b8e3f2a11": ["b", "AWSCURRENT"], "00000000-0000-4000-8000-000000000001": []},
		"DeletedDate": `+itoa(now)+`,
		"DeletionDate": `+itoa(now+7*86400)+`,
		"KmsKeyId": null,
		"Tags": [{"Key": "z", "Value": "1"}, {"Key": "a", "Value": "2"}],
		"ReplicationStatus": [],
		"ResourcePolicy": "{\"Statement\": [{\"Action\": [\"secretsmanager:GetSecretValue\"]}]}"
	}`)
	got := normalize(in, "", newIdentities(), false).(map[string]any)

	assert.Equal(t, "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-??????", got["ARN"], "the suffix goes, the name and account stay")
	assert.Equal(t, map[string]any{
		"<version-1>":                          []any{"AWSCURRENT", "b"},
		"00000000-0000-4000-8000-000000000001": []any{},
	}, got["VersionIdsToStages"], "generated IDs are named, the sequence's tokens kept, and a version without labels stays")
	assert.Equal(t, "now", got["DeletedDate"])
	assert.Equal(t, "now+7d", got["DeletionDate"], "a recovery window still shows")
	assert.NotContains(t, got, "KmsKeyId", "null is absent")
	assert.NotContains(t, got, "ReplicationStatus", "an empty list is absent")
	assert.Equal(t, []any{map[string]any{"Key": "a", "Value": "2"}, map[string]any{"Key": "z", "Value": "1"}}, got["Tags"])
	assert.Equal(t, `{"Statement":{"Action":"secretsmanager:GetSecretValue"}}`, got["ResourcePolicy"])

	errorAnswer := normalize(decode(t, `{"__type": "com.amazonaws.secretsmanager#ResourceNotFoundException", "Message": "free text"}`), "", newIdentities(), true)
	assert.Equal(t, map[string]any{"__type": "ResourceNotFoundException"}, errorAnswer)
}

func TestCompareNamesEachDifference(t *testing.T) {
	m := answer{status: 404, body: map[string]any{"__type": "X", "Extra": "e"}}
	f := answer{status: 400, body: map[string]any{"__type": "Y"}}
	var paths []string
	for _, d := range compare("s", 1, "Op", m, f) {
		paths = append(paths, d.path)
	}
	assert.Equal(t, []string{"", ".Extra", ".__type"}, paths)
	assert.Empty(t, compare("s", 1, "Op", m, m))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
