package fakesm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Resource policy operations, as counted by Calls and targeted by FailNext.
const (
	OpGetResourcePolicy    = "GetResourcePolicy"
	OpPutResourcePolicy    = "PutResourcePolicy"
	OpDeleteResourcePolicy = "DeleteResourcePolicy"
	OpListResourcePolicies = "ListResourcePolicies"
	// OpValidateResourcePolicy is served, not called by smx.
	OpValidateResourcePolicy = "ValidateResourcePolicy"
)

// DefaultPolicyName is the user's resource policy: the only one
// PutResourcePolicy and DeleteResourcePolicy take. Secrets Manager manages
// others itself (CrossAccountReplicationPolicyName).
const DefaultPolicyName = "default"

// GetResourcePolicy returns the secret's resource policy as stored (see
// PutResourcePolicy); ResourcePolicy is nil when the secret has none.
func (f *Fake) GetResourcePolicy(ctx context.Context, in *sm.GetResourcePolicyInput, _ ...func(*sm.Options)) (*sm.GetResourcePolicyOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpGetResourcePolicy, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if name := aws.ToString(in.PolicyName); name != "" && name != DefaultPolicyName {
		policy, ok := s.servicePolicies[name]
		if !ok {
			return nil, &types.ResourceNotFoundException{Message: aws.String(
				fmt.Sprintf("Secrets Manager can't find the resource policy %s.", name))}
		}
		return &sm.GetResourcePolicyOutput{
			ARN: aws.String(s.arn), Name: aws.String(s.name), PolicyName: aws.String(name), ResourcePolicy: aws.String(policy),
		}, nil
	}
	out := &sm.GetResourcePolicyOutput{
		ARN: aws.String(s.arn), Name: aws.String(s.name), PolicyName: aws.String(DefaultPolicyName),
	}
	if s.policy != "" {
		out.ResourcePolicy = aws.String(s.policy)
	}
	return out, nil
}

// PutResourcePolicy attaches a resource policy, replacing any other. Like
// AWS, it does not store the text as given: see normalizePolicy.
func (f *Fake) PutResourcePolicy(ctx context.Context, in *sm.PutResourcePolicyInput, _ ...func(*sm.Options)) (*sm.PutResourcePolicyOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpPutResourcePolicy, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if err := validatePolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	text := aws.ToString(in.ResourcePolicy)
	if text == "" || characters(text) > maxPolicyLength {
		return nil, invalidParameter("ResourcePolicy must be 1 to %d characters long.", maxPolicyLength)
	}
	policy, err := normalizePolicy(text)
	if err != nil {
		return nil, err
	}
	if aws.ToBool(in.BlockPublicPolicy) && isPublicPolicy(policy) {
		return nil, &types.PublicPolicyException{Message: aws.String(
			"The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.")}
	}
	s.policy = policy
	s.lastChanged = f.now()
	return &sm.PutResourcePolicyOutput{
		ARN: aws.String(s.arn), Name: aws.String(s.name), PolicyName: aws.String(DefaultPolicyName),
	}, nil
}

// DeleteResourcePolicy removes the resource policy; it succeeds when there is
// none.
func (f *Fake) DeleteResourcePolicy(ctx context.Context, in *sm.DeleteResourcePolicyInput, _ ...func(*sm.Options)) (*sm.DeleteResourcePolicyOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpDeleteResourcePolicy, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if err := validatePolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	if s.policy != "" {
		s.policy = ""
		s.lastChanged = f.now()
	}
	return &sm.DeleteResourcePolicyOutput{
		ARN: aws.String(s.arn), Name: aws.String(s.name), PolicyName: aws.String(DefaultPolicyName),
	}, nil
}

// ListResourcePolicies lists the names of the secret's resource policies:
// `default` first when there is one, then the others in alphabetical order,
// as the API reference says.
func (f *Fake) ListResourcePolicies(ctx context.Context, in *sm.ListResourcePoliciesInput, _ ...func(*sm.Options)) (*sm.ListResourcePoliciesOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpListResourcePolicies, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	var names []string
	if s.policy != "" {
		names = append(names, DefaultPolicyName)
	}
	names = append(names, slices.Sorted(maps.Keys(s.servicePolicies))...)
	start, end, next, err := page(len(names), in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &sm.ListResourcePoliciesOutput{ResourcePolicies: []types.ResourcePolicySummary{}, NextToken: next}
	for _, name := range names[start:end] {
		out.ResourcePolicies = append(out.ResourcePolicies, types.ResourcePolicySummary{PolicyName: aws.String(name)})
	}
	return out, nil
}

// crossAccountReplicationPolicy is the policy Secrets Manager attaches to a
// cross-account replica: it lets the primary's account replicate into it.
// (Its text is not documented; this is the fake's own, of that meaning.)
func crossAccountReplicationPolicy(primaryARN string) string {
	account, _, _ := accountAndRegion(primaryARN)
	return `{"Statement":[{"Action":"secretsmanager:AcceptCrossAccountReplication","Effect":"Allow",` +
		`"Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Resource":"*"}],"Version":"2012-10-17"}`
}

// ValidateResourcePolicy judges a policy as PutResourcePolicy with
// BlockPublicPolicy would, without attaching it: a policy that is not a JSON
// object fails the call (MalformedPolicyDocumentException), and one that
// allows everyone fails validation (PolicyValidationPassed false, one entry
// in ValidationErrors). The entry has no CheckName: the API reference does
// not list the names of AWS's checks. AWS's third check, that the policy
// does not lock out the caller, needs IAM and is not modelled. SecretId is
// optional; when given, it must name a live secret.
func (f *Fake) ValidateResourcePolicy(ctx context.Context, in *sm.ValidateResourcePolicyInput, _ ...func(*sm.Options)) (*sm.ValidateResourcePolicyOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, OpValidateResourcePolicy, in); err != nil {
		return nil, err
	}
	if in.SecretId != nil {
		if _, err := f.lookupLive(*in.SecretId); err != nil {
			return nil, err
		}
	}
	text := aws.ToString(in.ResourcePolicy)
	if text == "" || characters(text) > maxPolicyLength {
		return nil, invalidParameter("ResourcePolicy must be 1 to %d characters long.", maxPolicyLength)
	}
	policy, err := normalizePolicy(text)
	if err != nil {
		return nil, err
	}
	if isPublicPolicy(policy) {
		return &sm.ValidateResourcePolicyOutput{
			PolicyValidationPassed: false,
			ValidationErrors: []types.ValidationErrorsEntry{{ErrorMessage: aws.String(
				"The resource policy allows broad access to the secret: a statement allows Principal \"*\" without a Condition.")}},
		}, nil
	}
	return &sm.ValidateResourcePolicyOutput{PolicyValidationPassed: true}, nil
}

// ---------------------------------------------------------------------------
// Validation, as AWS does it. Messages never quote a secret value.

func validatePolicyName(name *string) error {
	if name != nil && *name != DefaultPolicyName {
		return invalidParameter("The only supported PolicyName is %s.", DefaultPolicyName)
	}
	return nil
}

// normalizePolicy checks that text is a JSON object and rewrites it as AWS
// rewrites stored policies, changing its text but not its meaning: it is
// compacted, and in each statement a one-element "Action" array becomes a
// plain string. Member order is kept.
func normalizePolicy(text string) (string, error) {
	malformed := &types.MalformedPolicyDocumentException{Message: aws.String(
		"This resource policy contains a syntax error: it must be a JSON object.")}
	if !json.Valid([]byte(text)) {
		return "", malformed
	}
	members, ok := objectMembers([]byte(text))
	if !ok {
		return "", malformed
	}
	for i, m := range members {
		if m.key != "Statement" {
			continue
		}
		if statement, ok := objectMembers(m.value); ok {
			members[i].value = rewriteStatement(statement)
			continue
		}
		var statements []json.RawMessage
		if json.Unmarshal(m.value, &statements) != nil {
			continue
		}
		for j, raw := range statements {
			if statement, ok := objectMembers(raw); ok {
				statements[j] = rewriteStatement(statement)
			}
		}
		members[i].value = joinJSON('[', statements, ']')
	}
	var out bytes.Buffer
	if err := json.Compact(&out, encodeObject(members)); err != nil {
		return "", malformed
	}
	return out.String(), nil
}

// rewriteStatement turns "Action": ["x"] into "Action": "x".
func rewriteStatement(members []member) json.RawMessage {
	for i, m := range members {
		var actions []json.RawMessage
		if m.key != "Action" || json.Unmarshal(m.value, &actions) != nil || len(actions) != 1 {
			continue
		}
		var action string
		if json.Unmarshal(actions[0], &action) == nil {
			members[i].value = actions[0]
		}
	}
	return encodeObject(members)
}

type member struct {
	key   string
	value json.RawMessage
}

// objectMembers splits a valid JSON object into its members, in order; ok
// is false when raw is not an object.
func objectMembers(raw []byte) (members []member, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, false
		}
		members = append(members, member{key: key, value: value})
	}
	return members, true
}

func encodeObject(members []member) json.RawMessage {
	parts := make([]json.RawMessage, 0, len(members))
	for _, m := range members {
		var key bytes.Buffer
		enc := json.NewEncoder(&key)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(m.key) // a string always encodes
		parts = append(parts, append(append(bytes.TrimSpace(key.Bytes()), ':'), m.value...))
	}
	return joinJSON('{', parts, '}')
}

func joinJSON(open byte, parts []json.RawMessage, end byte) json.RawMessage {
	out := []byte{open}
	for i, p := range parts {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, p...)
	}
	return append(out, end)
}

// isPublicPolicy reports whether a (valid) policy has a statement that
// allows everyone: Effect Allow, Principal "*" or {"AWS": "*"} (alone or in
// a list), and no Condition. AWS's analysis is finer; this is the case
// BlockPublicPolicy exists for.
func isPublicPolicy(policy string) bool {
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(policy), &doc) != nil {
		return false
	}
	type statement struct {
		Effect    string
		Principal any
		Condition json.RawMessage
	}
	var statements []statement
	if json.Unmarshal(doc.Statement, &statements) != nil {
		var one statement
		if json.Unmarshal(doc.Statement, &one) != nil {
			return false
		}
		statements = []statement{one}
	}
	isStar := func(v any) bool {
		switch v := v.(type) {
		case string:
			return v == "*"
		case []any:
			return slices.Contains(v, any("*"))
		}
		return false
	}
	for _, st := range statements {
		if st.Effect != "Allow" || len(st.Condition) > 0 && string(st.Condition) != "null" {
			continue
		}
		if isStar(st.Principal) {
			return true
		}
		if p, ok := st.Principal.(map[string]any); ok && isStar(p["AWS"]) {
			return true
		}
	}
	return false
}
