package secretsmanager

import (
	"bytes"
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
	if isNoPolicy(a) || isNoPolicy(b) {
		return isNoPolicy(a) && isNoPolicy(b)
	}
	ca, errA := canonicalPolicy(a)
	cb, errB := canonicalPolicy(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return ca == cb
}

// isNoPolicy reports whether a Secret's policy input means that the secret
// has none: "" or an empty document, `{}`, which terraform-provider-aws (and
// so pulumi-aws) never attaches, deletes instead, and compares equal to "".
func isNoPolicy(policy string) bool {
	return strings.TrimSpace(policy) == "" || normalizedPolicy(policy) == "{}"
}

// policyOutput is a policy as pulumi-aws outputs it: normalized (the same
// text getSecret returns), and "" for no policy.
func policyOutput(policy string) string {
	if isNoPolicy(policy) {
		return ""
	}
	return normalizedPolicy(policy)
}

// normalizedPolicy renders a policy document as pulumi-aws does: compact,
// with object keys sorted. Text that is not JSON is returned as it is.
func normalizedPolicy(policy string) string {
	if policy == "" {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(policy)))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil || dec.More() {
		return policy
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return policy
	}
	return string(bytes.TrimSpace(buf.Bytes()))
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
