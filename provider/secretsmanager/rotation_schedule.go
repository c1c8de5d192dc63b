package secretsmanager

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
)

//go:embed docs/rotation_schedule.md
var rotationScheduleDocs string

// RotationSchedule turns on automatic rotation of a secret: its rotation
// function and schedule. pulumi-aws calls it SecretRotation, CloudFormation
// RotationSchedule.
type RotationSchedule struct {
	api    ClientSource
	timing Timing
}

// RotationScheduleArgs are RotationSchedule's inputs; names and types match
// pulumi-aws's aws.secretsmanager.SecretRotationArgs.
type RotationScheduleArgs struct {
	SecretId          string                      `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	RotationLambdaArn *string                     `pulumi:"rotationLambdaArn,optional"`
	RotationRules     SecretRotationRotationRules `pulumi:"rotationRules"`
	RotateImmediately *bool                       `pulumi:"rotateImmediately,optional"`
	Region            *string                     `pulumi:"region,optional"`
}

// RotationScheduleState is what smx records for a RotationSchedule.
type RotationScheduleState struct {
	SecretId          string                      `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	RotationLambdaArn *string                     `pulumi:"rotationLambdaArn,optional"`
	RotationRules     SecretRotationRotationRules `pulumi:"rotationRules"`
	RotateImmediately *bool                       `pulumi:"rotateImmediately,optional"`
	RotationEnabled   bool                        `pulumi:"rotationEnabled"`
	NextRotationDate  *string                     `pulumi:"nextRotationDate,optional"`
	Region            string                      `pulumi:"region"`
}

func (r *RotationSchedule) Annotate(a infer.Annotator) {
	a.Describe(r, rotationScheduleDocs)
}

// SecretRotation is RotationSchedule under pulumi-aws's name, so that a
// program written for aws.secretsmanager.SecretRotation runs unchanged: the
// same inputs, outputs and behaviour, one implementation. (A schema alias
// would only move state between the tokens; it adds no SDK class.)
type SecretRotation struct{ RotationSchedule }

func (r *SecretRotation) Annotate(a infer.Annotator) {
	a.Describe(r, "pulumi-aws's name for `smx.secretsmanager.RotationSchedule`: the same resource, "+
		"so that programs written for `aws.secretsmanager.SecretRotation` run on smx unchanged. "+
		"New programs can use either; a secret still has at most one rotation schedule.\n\n"+rotationScheduleDocs)
}

func (a *RotationScheduleArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.SecretId, "ARN or name of the secret to rotate. A secret has at most one rotation schedule. "+
		"Changing it to another secret replaces the schedule (the old secret's rotation is turned off first); "+
		"switching between the same secret's name and ARN is no change.")
	an.Describe(&a.RotationLambdaArn, "ARN of the Lambda function that rotates the secret, "+
		"`arn:aws:lambda:<region>:<account>:function:<name>`. Omit it for managed rotation or to keep the function "+
		"the secret already has. Once set it cannot be removed, only changed; changing it is an update.")
	an.Describe(&a.RotationRules, "When the secret is rotated: `automaticallyAfterDays` or `scheduleExpression` "+
		"(exactly one), and optionally a `duration`. Updated in place.")
	an.Describe(&a.RotateImmediately, "Whether to rotate the secret as soon as the schedule is created or changed. "+
		"Defaults to true; when false, the first rotation happens in the next window (AWS only tests the rotation "+
		"function). Used only when the schedule is written: changing it alone makes no API call.")
	an.SetDefault(&a.RotateImmediately, true)
	an.Describe(&a.Region, regionInputDescription)
}

func (s *RotationScheduleState) Annotate(an infer.Annotator) {
	an.Describe(&s.SecretId, "ARN or name of the secret, as the program gave it.")
	an.Describe(&s.RotationLambdaArn, "ARN of the Lambda function that rotates the secret.")
	an.Describe(&s.RotationRules, "The rotation schedule and window.")
	an.Describe(&s.RotateImmediately, "Whether the secret is rotated as soon as the schedule is written.")
	an.Describe(&s.RotationEnabled, "Whether automatic rotation is on. Always true while the resource exists: "+
		"rotation turned off outside Pulumi makes the resource read as gone.")
	an.Describe(&s.NextRotationDate, "When the next rotation window opens (RFC 3339, UTC), as AWS reports it.")
	an.Describe(&s.Region, regionOutputDescription)
}

var (
	_ infer.CustomCheck[RotationScheduleArgs]                         = (*RotationSchedule)(nil)
	_ infer.CustomDiff[RotationScheduleArgs, RotationScheduleState]   = (*RotationSchedule)(nil)
	_ infer.CustomRead[RotationScheduleArgs, RotationScheduleState]   = (*RotationSchedule)(nil)
	_ infer.CustomUpdate[RotationScheduleArgs, RotationScheduleState] = (*RotationSchedule)(nil)
	_ infer.CustomDelete[RotationScheduleState]                       = (*RotationSchedule)(nil)
	_ infer.CustomDelete[RotationScheduleState]                       = (*SecretRotation)(nil)
)

// Check validates every known input without any API call.
func (r *RotationSchedule) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[RotationScheduleArgs], error) {
	args, failures, err := infer.DefaultCheck[RotationScheduleArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[RotationScheduleArgs]{Inputs: args, Failures: failures}, err
	}
	c := checks{inputs: req.NewInputs}
	if c.known("secretId") && args.SecretId == "" {
		c.fail("secretId", "must name the secret (its ARN or name)")
	}
	switch {
	case c.known("rotationLambdaArn"):
		c.check("rotationLambdaArn", validLambdaARN(*args.RotationLambdaArn))
	case !c.present("rotationLambdaArn"):
		// RotateSecret without a function keeps the one the secret has, so
		// removing it from the program could never take effect.
		if old, ok := req.OldInputs.GetOk("rotationLambdaArn"); ok && old.IsString() && old.AsString() != "" {
			c.fail("rotationLambdaArn", "cannot be removed: AWS keeps a secret's rotation function until another "+
				"replaces it. Set it to a function's ARN (it is %q now), or delete this RotationSchedule to turn "+
				"rotation off", old.AsString())
		}
	}
	c.rotationRules(args.RotationRules)
	if c.known("region") {
		c.check("region", validRegion(*args.Region))
	}
	return infer.CheckResponse[RotationScheduleArgs]{Inputs: args, Failures: c.failures}, nil
}

// Diff compares inputs with state without calling AWS. Only a different
// secret replaces the schedule, deleting the old one first, so that the two
// never exist at once (which AWS would refuse if both named one secret).
func (r *RotationSchedule) Diff(ctx context.Context, req infer.DiffRequest[RotationScheduleArgs, RotationScheduleState]) (infer.DiffResponse, error) {
	d := differ{}
	news, olds := req.Inputs, req.State
	// An empty secretId is one still unknown in this preview (Check rejects a
	// known empty one); it can only be a different secret.
	replace := news.SecretId == "" ||
		!sameSecret(news.SecretId, SecretVersionState{SecretId: olds.SecretId, Arn: req.ID})
	d.compare("secretId", replace, p.UpdateReplace)
	moved, err := regionReplaces(ctx, r.api, news.Region, olds.Region, req.ID)
	if err != nil {
		return infer.DiffResponse{}, err
	}
	d.compare("region", moved, p.UpdateReplace)
	replace = replace || moved
	d.compare("rotationLambdaArn", !equalPtr(news.RotationLambdaArn, olds.RotationLambdaArn), p.Update)
	d.compare("rotationRules", !sameRotationRules(news.RotationRules, olds.RotationRules), p.Update)
	d.compare("rotateImmediately", ptrOr(news.RotateImmediately, true) != ptrOr(olds.RotateImmediately, true), p.Update)
	resp := d.response()
	resp.DeleteBeforeReplace = replace
	return resp, nil
}

func sameRotationRules(a, b SecretRotationRotationRules) bool {
	return equalPtr(a.AutomaticallyAfterDays, b.AutomaticallyAfterDays) &&
		equalPtr(a.ScheduleExpression, b.ScheduleExpression) && equalPtr(a.Duration, b.Duration)
}

func stateFromRotationArgs(args RotationScheduleArgs) RotationScheduleState {
	return RotationScheduleState{
		SecretId:          args.SecretId,
		RotationLambdaArn: args.RotationLambdaArn,
		RotationRules:     args.RotationRules,
		RotateImmediately: args.RotateImmediately,
		RotationEnabled:   true,
	}
}

// Create turns rotation on: one DescribeSecret, to refuse a secret whose
// rotation is already configured (by another RotationSchedule or outside
// Pulumi — a secret has one schedule), one RotateSecret, and one more
// DescribeSecret for nextRotationDate. A preview makes no call.
func (r *RotationSchedule) Create(ctx context.Context, req infer.CreateRequest[RotationScheduleArgs]) (infer.CreateResponse[RotationScheduleState], error) {
	args := req.Inputs
	state := stateFromRotationArgs(args)
	api, region, err := clientIn(ctx, r.api, aws.ToString(args.Region))
	if err != nil {
		return infer.CreateResponse[RotationScheduleState]{}, err
	}
	state.Region = region
	if req.DryRun {
		return infer.CreateResponse[RotationScheduleState]{Output: state}, nil
	}
	current, err := describeSecretToRotate(ctx, api, r.timing, args.SecretId)
	if err != nil {
		return infer.CreateResponse[RotationScheduleState]{}, err
	}
	arn := aws.ToString(current.ARN)
	if aws.ToBool(current.RotationEnabled) {
		return infer.CreateResponse[RotationScheduleState]{}, fmt.Errorf("secret %q already has rotation configured "+
			"(by another RotationSchedule or outside Pulumi), and a secret has only one rotation schedule. To manage "+
			"that schedule with this resource, import it: `pulumi import smx:secretsmanager:RotationSchedule <name> %s`; "+
			"or turn it off first: `aws secretsmanager cancel-rotate-secret --secret-id %s`", args.SecretId, arn, arn)
	}
	if pending := pendingRotationVersion(current.VersionIdsToStages); pending != "" {
		// Rotation is off, so no rotation is running that could finish: this
		// is what a cancelled or failed one left behind. Waiting is pointless,
		// and clearing it is the owner's call — that version may already hold
		// the credential the rotation function set.
		return infer.CreateResponse[RotationScheduleState]{}, fmt.Errorf("secret %q has rotation turned off, but "+
			"version %s still carries AWSPENDING without AWSCURRENT, left by a rotation that was cancelled or failed; "+
			"AWS refuses to start rotation until that label is removed. If that version does not hold the credential "+
			"in use, remove the label: `aws secretsmanager update-secret-version-stage --secret-id %s --version-stage "+
			"AWSPENDING --remove-from-version-id %s`, then run `pulumi up` again", args.SecretId, pending, arn, pending)
	}
	if err := writeRotation(ctx, api, r.timing, rotateSecretInput(arn, args)); err != nil {
		return infer.CreateResponse[RotationScheduleState]{}, fmt.Errorf("turning on rotation of secret %q: %w", args.SecretId, err)
	}
	state.NextRotationDate = observeNextRotation(ctx, api, arn)
	return infer.CreateResponse[RotationScheduleState]{ID: arn, Output: state}, nil
}

// rotateSecretInput is the RotateSecret call that writes the program's
// schedule.
func rotateSecretInput(secretARN string, args RotationScheduleArgs) sm.RotateSecretInput {
	return sm.RotateSecretInput{
		SecretId:          &secretARN,
		RotationLambdaARN: args.RotationLambdaArn,
		RotationRules:     toAWSRotationRules(args.RotationRules),
		RotateImmediately: aws.Bool(ptrOr(args.RotateImmediately, true)),
	}
}

// Read refreshes the schedule with one DescribeSecret. A secret that is
// gone or scheduled for deletion, or whose rotation was turned off outside
// Pulumi, reads as gone, so the next `pulumi up` creates the schedule again.
// A function or rules changed outside Pulumi show as drift. On import the ID
// is the secret's ARN or name.
func (r *RotationSchedule) Read(ctx context.Context, req infer.ReadRequest[RotationScheduleArgs, RotationScheduleState]) (infer.ReadResponse[RotationScheduleArgs, RotationScheduleState], error) {
	api, region, err := clientIn(ctx, r.api, req.State.Region, aws.ToString(req.Inputs.Region), regionInARN(req.ID))
	if err != nil {
		return infer.ReadResponse[RotationScheduleArgs, RotationScheduleState]{}, err
	}
	out, err := describeLiveSecret(ctx, api, req.ID)
	if errors.Is(err, errGone) {
		return infer.ReadResponse[RotationScheduleArgs, RotationScheduleState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[RotationScheduleArgs, RotationScheduleState]{}, fmt.Errorf("reading the rotation of secret %q: %w", req.ID, err)
	}
	if !aws.ToBool(out.RotationEnabled) {
		if req.State.SecretId != "" {
			p.GetLogger(ctx).Warningf("rotation of secret %q was turned off outside Pulumi; the next `pulumi up` turns it on again", req.ID)
		}
		return infer.ReadResponse[RotationScheduleArgs, RotationScheduleState]{}, nil
	}
	state := req.State
	state.RotationEnabled = true
	state.Region = region
	if state.SecretId == "" {
		state.SecretId = aws.ToString(out.ARN)
	}
	state.RotationLambdaArn = observedOptional(state.RotationLambdaArn, out.RotationLambdaARN)
	state.RotationRules = fromAWSRotationRules(out.RotationRules)
	state.NextRotationDate = formatRotationDate(out.NextRotationDate)

	inputs := req.Inputs
	importing := req.State.SecretId == ""
	inputs.SecretId = state.SecretId
	// An unset Lambda ARN stays unset in the inputs (a managed rotation has
	// none); a set one, or an import, follows AWS.
	if importing || inputs.RotationLambdaArn != nil {
		inputs.RotationLambdaArn = state.RotationLambdaArn
	}
	inputs.RotationRules = state.RotationRules
	if inputs.RotateImmediately == nil {
		inputs.RotateImmediately = state.RotateImmediately
	}
	if importing {
		inputs.Region = importedRegion(ctx, r.api, inputs.Region, region)
	}
	return infer.ReadResponse[RotationScheduleArgs, RotationScheduleState]{
		ID: aws.ToString(out.ARN), Inputs: inputs, State: state,
	}, nil
}

// Update writes a changed function or schedule with one RotateSecret (after
// waiting for a rotation in progress, as Create does) and reads
// nextRotationDate with one DescribeSecret. A change of rotateImmediately
// alone makes no call: it only matters when the schedule is written.
func (r *RotationSchedule) Update(ctx context.Context, req infer.UpdateRequest[RotationScheduleArgs, RotationScheduleState]) (infer.UpdateResponse[RotationScheduleState], error) {
	olds, args := req.State, req.Inputs
	state := stateFromRotationArgs(args)
	state.NextRotationDate = olds.NextRotationDate
	// The schedule stays where it is: a move to another region is a replacement.
	api, region, err := clientIn(ctx, r.api, olds.Region, regionInARN(req.ID), aws.ToString(args.Region))
	if err != nil {
		return infer.UpdateResponse[RotationScheduleState]{}, err
	}
	state.Region = region
	changed := !equalPtr(args.RotationLambdaArn, olds.RotationLambdaArn) ||
		!sameRotationRules(args.RotationRules, olds.RotationRules)
	if req.DryRun || !changed {
		return infer.UpdateResponse[RotationScheduleState]{Output: state}, nil
	}
	if err := writeRotation(ctx, api, r.timing, rotateSecretInput(req.ID, args)); err != nil {
		return infer.UpdateResponse[RotationScheduleState]{}, fmt.Errorf("changing the rotation of secret %q: %w", args.SecretId, err)
	}
	state.NextRotationDate = observeNextRotation(ctx, api, req.ID)
	return infer.UpdateResponse[RotationScheduleState]{Output: state}, nil
}

// Delete turns rotation off with CancelRotateSecret; a secret already gone
// or scheduled for deletion is fine. If a rotation was in progress, AWS
// leaves its version labelled AWSPENDING, which would block every later
// rotation of the secret: Delete removes the label (one more call, only
// then) and warns, because the cancelled rotation may have changed the
// credential already.
func (r *RotationSchedule) Delete(ctx context.Context, req infer.DeleteRequest[RotationScheduleState]) (infer.DeleteResponse, error) {
	api, _, err := clientIn(ctx, r.api, req.State.Region, regionInARN(req.ID))
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	out, err := api.CancelRotateSecret(ctx, &sm.CancelRotateSecretInput{SecretId: &req.ID})
	if err != nil {
		if isGone(err) {
			return infer.DeleteResponse{}, nil
		}
		return infer.DeleteResponse{}, fmt.Errorf("turning off rotation of secret %q: %w", req.State.SecretId, err)
	}
	pending := aws.ToString(out.VersionId)
	if pending == "" {
		return infer.DeleteResponse{}, nil
	}
	_, err = api.UpdateSecretVersionStage(ctx, &sm.UpdateSecretVersionStageInput{
		SecretId: &req.ID, VersionStage: aws.String(stagePending), RemoveFromVersionId: &pending,
	})
	var invalid *smtypes.InvalidParameterException
	switch {
	case err == nil:
		p.GetLogger(ctx).Warningf("rotation of secret %q is off; the rotation that was in progress was cancelled and "+
			"its version %s no longer carries AWSPENDING. If the rotation function had already changed the credential, "+
			"make that version current: `aws secretsmanager update-secret-version-stage --secret-id %s "+
			"--version-stage AWSCURRENT --move-to-version-id %s --remove-from-version-id <current version>`",
			req.ID, pending, req.ID, pending)
	case isGone(err) || errors.As(err, &invalid):
		// The version no longer carries the label (or is gone): nothing to do.
	default:
		p.GetLogger(ctx).Warningf("rotation of secret %q is off, but removing AWSPENDING from the cancelled rotation's "+
			"version %s failed, which blocks later rotations until it is removed: %v. Remove it with "+
			"`aws secretsmanager update-secret-version-stage --secret-id %s --version-stage AWSPENDING "+
			"--remove-from-version-id %s`", req.ID, pending, err, req.ID, pending)
	}
	return infer.DeleteResponse{}, nil
}
