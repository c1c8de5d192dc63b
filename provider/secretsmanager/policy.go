package secretsmanager

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// policiesEquivalent reports whether two policy documents mean the same. AWS
// rewrites policies it stores (whitespace, key order, one-element arrays
// written as plain strings, element order), so comparing text would show a
// change on every preview.
func policiesEquivalent(a, b string) bool {
	if strings.TrimSpace(a) == "" || strings.TrimSpace(b) == "" {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	ca, errA := canonicalPolicy(a)
	cb, errB := canonicalPolicy(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return ca == cb
}

// canonicalPolicy renders a policy so that equivalent documents render alike:
// objects with sorted keys, a one-element array as its element, and arrays as
// unordered sets.
func canonicalPolicy(policy string) (string, error) {
	var doc any
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return "", err
	}
	out, err := json.Marshal(canonicalJSON(doc))
	return string(out), err
}

func canonicalJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = canonicalJSON(e)
		}
		return out
	case []any:
		if len(v) == 1 {
			return canonicalJSON(v[0])
		}
		rendered := make([]string, len(v))
		for i, e := range v {
			b, _ := json.Marshal(canonicalJSON(e))
			rendered[i] = string(b)
		}
		slices.Sort(rendered)
		out := make([]any, len(rendered))
		for i, r := range rendered {
			out[i] = json.RawMessage(r)
		}
		return out
	default:
		return v
	}
}

// putPolicy attaches a resource policy, retrying within the propagation
// window while AWS does not see a secret or an IAM principal that was just
// created. The common case is one call.
func putPolicy(ctx context.Context, api API, timing Timing, secretID, policy string, blockPublic *bool) error {
	return timing.retryWhilePropagating(ctx, func() error {
		_, err := api.PutResourcePolicy(ctx, &sm.PutResourcePolicyInput{
			SecretId: &secretID, ResourcePolicy: &policy, BlockPublicPolicy: blockPublic,
		})
		return err
	})
}
