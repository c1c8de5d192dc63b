package secretsmanager

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
)

//go:embed docs/secret_policy.md
var secretPolicyDocs string

// SecretPolicy manages the resource policy of a secret on its own, as
// pulumi-aws's aws.secretsmanager.SecretPolicy does. Manage a secret's policy
// here or with Secret's `policy`, not both.
type SecretPolicy struct {
	api    ClientSource
	timing Timing
}

// SecretPolicyArgs are SecretPolicy's inputs; names and types match
// pulumi-aws's aws.secretsmanager.SecretPolicyArgs.
type SecretPolicyArgs struct {
	SecretArn         string  `pulumi:"secretArn"`
	Policy            string  `pulumi:"policy"`
	BlockPublicPolicy *bool   `pulumi:"blockPublicPolicy,optional"`
	Region            *string `pulumi:"region,optional"`
}

// SecretPolicyState is what smx records for a SecretPolicy. Its Region, the
// region the policy is managed in, is always set, so it shadows the input's.
type SecretPolicyState struct {
	SecretPolicyArgs
	Region string `pulumi:"region"`
}

func (r *SecretPolicy) Annotate(a infer.Annotator) {
	a.Describe(r, secretPolicyDocs)
}

func (a *SecretPolicyArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.SecretArn, "ARN (or name) of the secret the policy is attached to. Changing it replaces the policy.")
	an.Describe(&a.Policy, "The resource policy, a JSON document of at most 20480 characters. Documents that mean the "+
		"same — key order, whitespace, one-element arrays — are not a change, so AWS's rewriting causes no diff. "+
		"Updated in place.")
	an.Describe(&a.BlockPublicPolicy, "Whether AWS rejects a policy that grants broad access to the secret "+
		"(PublicPolicyException). Defaults to false, as in the AWS API. Updated in place.")
	an.Describe(&a.Region, regionInputDescription)
}

func (s *SecretPolicyState) Annotate(an infer.Annotator) {
	an.Describe(&s.Region, regionOutputDescription)
}

var (
	_ infer.CustomCheck[SecretPolicyArgs]                     = (*SecretPolicy)(nil)
	_ infer.CustomDiff[SecretPolicyArgs, SecretPolicyState]   = (*SecretPolicy)(nil)
	_ infer.CustomRead[SecretPolicyArgs, SecretPolicyState]   = (*SecretPolicy)(nil)
	_ infer.CustomUpdate[SecretPolicyArgs, SecretPolicyState] = (*SecretPolicy)(nil)
	_ infer.CustomDelete[SecretPolicyState]                   = (*SecretPolicy)(nil)
)

// Check validates the policy document before any API call.
func (r *SecretPolicy) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[SecretPolicyArgs], error) {
	args, failures, err := infer.DefaultCheck[SecretPolicyArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[SecretPolicyArgs]{Inputs: args, Failures: failures}, err
	}
	c := checks{inputs: req.NewInputs}
	if c.known("secretArn") && args.SecretArn == "" {
		c.fail("secretArn", "must name the secret (its ARN or name)")
	}
	if c.known("policy") && args.Policy == "" {
		c.fail("policy", "must be a JSON policy document; to remove the policy, delete this SecretPolicy")
	} else if c.known("policy") {
		c.check("policy", validPolicy(args.Policy))
	}
	if c.known("region") {
		c.check("region", validRegion(*args.Region))
	}
	return infer.CheckResponse[SecretPolicyArgs]{Inputs: args, Failures: c.failures}, nil
}

// Diff compares by meaning and makes no API call.
func (r *SecretPolicy) Diff(ctx context.Context, req infer.DiffRequest[SecretPolicyArgs, SecretPolicyState]) (infer.DiffResponse, error) {
	d := differ{}
	news, olds := req.Inputs, req.State
	moved, err := regionReplaces(ctx, r.api, news.Region, olds.Region, olds.SecretArn)
	if err != nil {
		return infer.DiffResponse{}, err
	}
	d.compare("region", moved, p.UpdateReplace)
	// An empty secretArn is one still unknown in this preview.
	d.compare("secretArn", news.SecretArn == "" || !sameSecretID(news.SecretArn, olds.SecretArn), p.UpdateReplace)
	d.compare("policy", !policiesEquivalent(news.Policy, olds.Policy), p.Update)
	d.compare("blockPublicPolicy", aws.ToBool(news.BlockPublicPolicy) != aws.ToBool(olds.BlockPublicPolicy), p.Update)
	return d.response(), nil
}

// Create attaches the policy with one PutResourcePolicy call, retried only
// while AWS does not see a principal or secret created a moment ago.
func (r *SecretPolicy) Create(ctx context.Context, req infer.CreateRequest[SecretPolicyArgs]) (infer.CreateResponse[SecretPolicyState], error) {
	api, region, err := clientIn(ctx, r.api, aws.ToString(req.Inputs.Region))
	if err != nil {
		return infer.CreateResponse[SecretPolicyState]{}, err
	}
	state := SecretPolicyState{req.Inputs, region}
	// The output is normalized, as pulumi-aws records it; the call sends the
	// program's text.
	state.Policy = normalizedPolicy(req.Inputs.Policy)
	if req.DryRun {
		return infer.CreateResponse[SecretPolicyState]{ID: state.SecretArn, Output: state}, nil
	}
	if err := putPolicy(ctx, api, r.timing, state.SecretArn, req.Inputs.Policy, state.BlockPublicPolicy); err != nil {
		return infer.CreateResponse[SecretPolicyState]{}, policyError(state.SecretArn, r.timing.PropagationWindow, err)
	}
	return infer.CreateResponse[SecretPolicyState]{ID: state.SecretArn, Output: state}, nil
}

// Read reports the policy gone when the secret is gone or has no policy, and
// keeps the program's text for a policy AWS stored rewritten but with the
// same meaning. blockPublicPolicy cannot be read back from AWS: it stays as
// recorded. On import the ID is the secret's ARN.
func (r *SecretPolicy) Read(ctx context.Context, req infer.ReadRequest[SecretPolicyArgs, SecretPolicyState]) (infer.ReadResponse[SecretPolicyArgs, SecretPolicyState], error) {
	api, region, err := clientIn(ctx, r.api, req.State.Region, aws.ToString(req.Inputs.Region), regionInARN(req.ID))
	if err != nil {
		return infer.ReadResponse[SecretPolicyArgs, SecretPolicyState]{}, err
	}
	out, err := api.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: aws.String(req.ID)})
	if err != nil {
		if isGone(err) {
			return infer.ReadResponse[SecretPolicyArgs, SecretPolicyState]{}, nil
		}
		return infer.ReadResponse[SecretPolicyArgs, SecretPolicyState]{}, fmt.Errorf("reading the policy of secret %q: %w", req.ID, err)
	}
	if aws.ToString(out.ResourcePolicy) == "" {
		return infer.ReadResponse[SecretPolicyArgs, SecretPolicyState]{}, nil
	}
	state := req.State
	state.Region = region
	if state.SecretArn == "" {
		state.SecretArn = aws.ToString(out.ARN)
	}
	state.Policy = aws.ToString(observedPolicy(&state.Policy, out.ResourcePolicy))
	inputs := req.Inputs
	inputs.SecretArn, inputs.Policy = state.SecretArn, state.Policy
	if inputs.BlockPublicPolicy == nil {
		inputs.BlockPublicPolicy = state.BlockPublicPolicy
	}
	if req.State.SecretArn == "" {
		inputs.Region = importedRegion(ctx, r.api, inputs.Region, region)
	}
	return infer.ReadResponse[SecretPolicyArgs, SecretPolicyState]{ID: req.ID, Inputs: inputs, State: state}, nil
}

// Update puts the policy with one PutResourcePolicy call, and makes no call
// when neither the policy's meaning nor blockPublicPolicy changes.
func (r *SecretPolicy) Update(ctx context.Context, req infer.UpdateRequest[SecretPolicyArgs, SecretPolicyState]) (infer.UpdateResponse[SecretPolicyState], error) {
	// The policy stays where it is: a move to another region is a replacement.
	api, region, err := clientIn(ctx, r.api, req.State.Region, regionInARN(req.ID), aws.ToString(req.Inputs.Region))
	if err != nil {
		return infer.UpdateResponse[SecretPolicyState]{}, err
	}
	state := SecretPolicyState{req.Inputs, region}
	state.Policy = normalizedPolicy(req.Inputs.Policy)
	olds := req.State
	// An update that changes neither the policy nor blockPublicPolicy (the
	// first up after a move from pulumi-aws, which only rewrites the state)
	// makes no call: a policy write spends the 50/s quota it shares with reads.
	unchanged := policiesEquivalent(state.Policy, olds.Policy) &&
		aws.ToBool(state.BlockPublicPolicy) == aws.ToBool(olds.BlockPublicPolicy)
	if req.DryRun || unchanged {
		return infer.UpdateResponse[SecretPolicyState]{Output: state}, nil
	}
	if err := putPolicy(ctx, api, r.timing, state.SecretArn, req.Inputs.Policy, state.BlockPublicPolicy); err != nil {
		return infer.UpdateResponse[SecretPolicyState]{}, policyError(state.SecretArn, r.timing.PropagationWindow, err)
	}
	return infer.UpdateResponse[SecretPolicyState]{Output: state}, nil
}

// Delete removes the policy; a secret or policy already gone is fine.
func (r *SecretPolicy) Delete(ctx context.Context, req infer.DeleteRequest[SecretPolicyState]) (infer.DeleteResponse, error) {
	api, _, err := clientIn(ctx, r.api, req.State.Region, regionInARN(req.ID))
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	_, err = api.DeleteResourcePolicy(ctx, &sm.DeleteResourcePolicyInput{SecretId: aws.String(req.ID)})
	if err != nil && !isGone(err) {
		return infer.DeleteResponse{}, fmt.Errorf("deleting the policy of secret %q: %w", req.ID, err)
	}
	return infer.DeleteResponse{}, nil
}
