package secretsmanager

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
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
// pulumi-aws's aws.secretsmanager.SecretRotationArgs (7.48).
type RotationScheduleArgs struct {
	SecretId          string                       `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	RotationLambdaArn *string                      `pulumi:"rotationLambdaArn,optional"`
	RotationRules     *SecretRotationRotationRules `pulumi:"rotationRules,optional"`
	RotateImmediately *bool                        `pulumi:"rotateImmediately,optional"`
	// RotationEnabled false turns rotation off (CancelRotateSecret): how a
	// program stops the rotation AWS turned on itself, as for the secret of
	// an RDS instance's managed master password. Unset means true.
	RotationEnabled                 *bool                                          `pulumi:"rotationEnabled,optional"`
	ExternalSecretRotationMetadatas []SecretRotationExternalSecretRotationMetadata `pulumi:"externalSecretRotationMetadatas,optional"`
	ExternalSecretRotationRoleArn   *string                                        `pulumi:"externalSecretRotationRoleArn,optional"`
	Region                          *string                                        `pulumi:"region,optional"`
}

// RotationScheduleState is what smx records for a RotationSchedule.
type RotationScheduleState struct {
	SecretId                        string                                         `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	RotationLambdaArn               *string                                        `pulumi:"rotationLambdaArn,optional"`
	RotationRules                   *SecretRotationRotationRules                   `pulumi:"rotationRules,optional"`
	RotateImmediately               *bool                                          `pulumi:"rotateImmediately,optional"`
	RotationEnabled                 bool                                           `pulumi:"rotationEnabled"`
	ExternalSecretRotationMetadatas []SecretRotationExternalSecretRotationMetadata `pulumi:"externalSecretRotationMetadatas,optional"`
	ExternalSecretRotationRoleArn   *string                                        `pulumi:"externalSecretRotationRoleArn,optional"`
	NextRotationDate                *string                                        `pulumi:"nextRotationDate,optional"`
	Region                          string                                         `pulumi:"region"`
}

// SecretRotationExternalSecretRotationMetadata is one item of what a managed
// external secret's partner needs to rotate it. Its name gives it the token
// smx:secretsmanager:SecretRotationExternalSecretRotationMetadata, so the
// SDKs' types match pulumi-aws's.
type SecretRotationExternalSecretRotationMetadata struct {
	Key   string `pulumi:"key"`
	Value string `pulumi:"value"`
}

func (m *SecretRotationExternalSecretRotationMetadata) Annotate(an infer.Annotator) {
	an.Describe(&m.Key, "Metadata key, 1–256 characters. Each partner requires its own keys: see "+
		"https://docs.aws.amazon.com/secretsmanager/latest/userguide/mes-partners.html.")
	an.Describe(&m.Value, "Metadata value for the key, 1–2048 characters.")
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
		"`arn:aws:lambda:<region>:<account>:function:<name>`. Omit it for managed rotation, for a managed external "+
		"secret (its partner rotates it), or to keep the function the secret already has: unset, the function AWS "+
		"keeps is no change. Once set it cannot be removed, only changed; changing it is an update.")
	an.Describe(&a.RotationRules, "When the secret is rotated: `automaticallyAfterDays` or `scheduleExpression` "+
		"(exactly one), and optionally a `duration`. Required unless `rotationEnabled` is false, and then it must be "+
		"omitted. Updated in place.")
	an.Describe(&a.RotateImmediately, "Whether to rotate the secret as soon as the schedule is created or changed. "+
		"Defaults to true; when false, the first rotation happens in the next window (AWS only tests the rotation "+
		"function). Used only when the schedule is written: changing it alone makes no API call.")
	an.SetDefault(&a.RotateImmediately, true)
	an.Describe(&a.RotationEnabled, "Whether automatic rotation is on. Defaults to true. Set it to false to turn off "+
		"rotation that AWS turned on itself, such as that of the secret of an RDS instance's managed master password: "+
		"`rotationRules`, `rotationLambdaArn` and the external rotation settings must then be omitted, and the secret "+
		"keeps its last rotation settings for when rotation is turned on again. Changing it is an update "+
		"(CancelRotateSecret to turn rotation off, RotateSecret to turn it on). Deleting the resource does not turn "+
		"back on rotation it turned off.")
	an.Describe(&a.ExternalSecretRotationMetadatas, "What the partner of a managed external secret (a Secret whose "+
		"`type` is a partner's, such as `SalesforceClientSecret`) needs to rotate it: a list of `key`/`value` items "+
		"(keys 1–256, values 1–2048 characters) whose keys each partner documents. Such a secret is rotated by its "+
		"partner, with no Lambda function. Unset keeps what the secret has; once set it cannot be removed, only "+
		"changed (an update).")
	an.Describe(&a.ExternalSecretRotationRoleArn, "ARN of the IAM role that allows Secrets Manager to rotate a managed "+
		"external secret held by a third-party partner, `arn:aws:iam::<account>:role/<name>`. Unset keeps the role "+
		"the secret has; once set it cannot be removed, only changed (an update).")
	an.Describe(&a.Region, regionInputDescription)
}

func (s *RotationScheduleState) Annotate(an infer.Annotator) {
	an.Describe(&s.SecretId, "ARN or name of the secret, as the program gave it.")
	an.Describe(&s.RotationLambdaArn, "ARN of the Lambda function that rotates the secret.")
	an.Describe(&s.RotationRules, "The rotation schedule and window.")
	an.Describe(&s.RotateImmediately, "Whether the secret is rotated as soon as the schedule is written.")
	an.Describe(&s.RotationEnabled, "Whether automatic rotation is on, as AWS reports it. For a schedule that turns "+
		"rotation on, rotation turned off outside Pulumi makes the resource read as gone; for one that turns it off "+
		"(`rotationEnabled` false), rotation AWS turned on again reads as true, a drift the next update undoes.")
	an.Describe(&s.ExternalSecretRotationMetadatas, "The partner metadata of a managed external secret's rotation, "+
		"as AWS reports it.")
	an.Describe(&s.ExternalSecretRotationRoleArn, "ARN of the IAM role that rotates a managed external secret, as "+
		"AWS reports it.")
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
	case c.known("rotationEnabled") && !*args.RotationEnabled:
		c.rotationOff()
	case c.known("rotationEnabled") || !c.present("rotationEnabled"):
		// Rotation on (the default): RotateSecret needs a schedule to keep.
		if !c.present(rotationRulesProperty) {
			c.fail(rotationRulesProperty, "is required unless rotationEnabled is false: set automaticallyAfterDays "+
				"or scheduleExpression, or set rotationEnabled to false to turn rotation off")
		}
		c.rotationOn(args, req.OldInputs)
	default:
		// rotationEnabled is unknown in this preview: either set of rules may
		// apply, so only the values themselves are judged.
		c.rotationOn(args, property.Map{})
	}
	if c.known("region") {
		c.check("region", validRegion(*args.Region))
	}
	return infer.CheckResponse[RotationScheduleArgs]{Inputs: args, Failures: c.failures}, nil
}

// rotationOffConflicts are the inputs that configure a rotation, which a
// schedule that turns rotation off cannot take.
var rotationOffConflicts = []string{
	rotationRulesProperty, "rotationLambdaArn", "externalSecretRotationMetadatas", "externalSecretRotationRoleArn",
}

// rotationOff checks a schedule with rotationEnabled false. pulumi-aws
// requires rotationRules to be omitted then; smx refuses the function and the
// external rotation settings too, because CancelRotateSecret takes none of
// them and AWS keeps the secret's own for when rotation is turned on again,
// so a value given here could never take effect.
func (c *checks) rotationOff() {
	for _, key := range rotationOffConflicts {
		if c.present(key) {
			c.fail(key, "must be omitted when rotationEnabled is false: turning rotation off (CancelRotateSecret) "+
				"takes no rotation settings, and the secret keeps its last ones for when rotation is turned on again")
		}
	}
}

// rotationOn checks the settings of a schedule that turns rotation on. A
// rotation with no rotationLambdaArn is allowed with or without the
// external settings: RotateSecret without a function keeps the secret's
// own, and managed rotation (a secret another service owns) needs none, so
// only AWS can tell whether a secret can be rotated without one.
func (c *checks) rotationOn(args RotationScheduleArgs, oldInputs property.Map) {
	switch {
	case c.known("rotationLambdaArn"):
		c.check("rotationLambdaArn", validLambdaARN(*args.RotationLambdaArn))
	case !c.present("rotationLambdaArn"):
		// RotateSecret without a function keeps the one the secret has, so
		// removing it from the program could never take effect.
		if old, ok := oldInputs.GetOk("rotationLambdaArn"); ok && old.IsString() && old.AsString() != "" {
			c.fail("rotationLambdaArn", "cannot be removed: AWS keeps a secret's rotation function until another "+
				"replaces it. Set it to a function's ARN (it is %q now), or delete this RotationSchedule to turn "+
				"rotation off", old.AsString())
		}
	}
	const role, metadata = "externalSecretRotationRoleArn", "externalSecretRotationMetadatas"
	switch {
	case c.known(role):
		c.check(role, validRoleARN(*args.ExternalSecretRotationRoleArn))
	case !c.present(role):
		// Like the function: RotateSecret without a role keeps the secret's.
		if old, ok := oldInputs.GetOk(role); ok && old.IsString() && old.AsString() != "" {
			c.fail(role, "cannot be removed: AWS keeps a secret's external rotation role until another replaces it. "+
				"Set it to a role's ARN (it is %q now), or delete this RotationSchedule to turn rotation off", old.AsString())
		}
	}
	switch {
	case c.known(metadata):
		for i, item := range args.ExternalSecretRotationMetadatas {
			c.check(fmt.Sprintf("%s[%d].key", metadata, i), validExternalMetadataKey(item.Key))
			c.check(fmt.Sprintf("%s[%d].value", metadata, i), validExternalMetadataValue(item.Value))
		}
	case !c.present(metadata):
		if old, ok := oldInputs.GetOk(metadata); ok && old.IsArray() && old.AsArray().Len() > 0 {
			c.fail(metadata, "cannot be removed: RotateSecret without metadata keeps the secret's, so removing it "+
				"could never take effect. Set the metadata the partner needs, or delete this RotationSchedule to turn "+
				"rotation off")
		}
	}
	c.rotationRules(ptrOr(args.RotationRules, SecretRotationRotationRules{}))
}

// Diff compares inputs with state without calling AWS. Only a different
// secret replaces the schedule, deleting the old one first, so that the two
// never exist at once (which AWS would refuse if both named one secret).
// A schedule that turns rotation off compares nothing but rotationEnabled:
// the settings the secret keeps meanwhile are AWS's, recorded in the state,
// and the program cannot set them (Check).
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
	enabled := ptrOr(news.RotationEnabled, true)
	d.compare("rotationEnabled", enabled != olds.RotationEnabled, p.Update)
	if enabled {
		// An unset function or external setting keeps the secret's
		// (RotateSecret leaves it as it is, and Check refuses to remove one
		// the program set), so only a value the program gives can differ:
		// the one AWS keeps is recorded in the state, but is no change.
		d.compare("rotationLambdaArn",
			news.RotationLambdaArn != nil && !equalPtr(news.RotationLambdaArn, olds.RotationLambdaArn), p.Update)
		d.compare("rotationRules", !sameRotationRules(news.RotationRules, olds.RotationRules), p.Update)
		d.compareOptional("externalSecretRotationRoleArn",
			news.ExternalSecretRotationRoleArn != nil && !equalPtr(news.ExternalSecretRotationRoleArn, olds.ExternalSecretRotationRoleArn),
			true, olds.ExternalSecretRotationRoleArn != nil, p.Update)
		d.compareOptional("externalSecretRotationMetadatas",
			news.ExternalSecretRotationMetadatas != nil && !slices.Equal(news.ExternalSecretRotationMetadatas, olds.ExternalSecretRotationMetadatas),
			true, len(olds.ExternalSecretRotationMetadatas) > 0, p.Update)
	}
	d.compare("rotateImmediately", ptrOr(news.RotateImmediately, true) != ptrOr(olds.RotateImmediately, true), p.Update)
	resp := d.response()
	resp.DeleteBeforeReplace = replace
	return resp, nil
}

func sameRotationRules(a, b *SecretRotationRotationRules) bool {
	if a == nil || b == nil {
		return a == b
	}
	return equalPtr(a.AutomaticallyAfterDays, b.AutomaticallyAfterDays) &&
		equalPtr(a.ScheduleExpression, b.ScheduleExpression) && equalPtr(a.Duration, b.Duration)
}

// externalSettingsChanged reports whether the program gives external
// rotation settings other than the recorded ones (unset ones keep the
// secret's).
func externalSettingsChanged(args RotationScheduleArgs, olds RotationScheduleState) bool {
	return args.ExternalSecretRotationRoleArn != nil && !equalPtr(args.ExternalSecretRotationRoleArn, olds.ExternalSecretRotationRoleArn) ||
		args.ExternalSecretRotationMetadatas != nil && !slices.Equal(args.ExternalSecretRotationMetadatas, olds.ExternalSecretRotationMetadatas)
}

func stateFromRotationArgs(args RotationScheduleArgs) RotationScheduleState {
	return RotationScheduleState{
		SecretId:                        args.SecretId,
		RotationLambdaArn:               args.RotationLambdaArn,
		RotationRules:                   args.RotationRules,
		RotateImmediately:               args.RotateImmediately,
		RotationEnabled:                 ptrOr(args.RotationEnabled, true),
		ExternalSecretRotationMetadatas: args.ExternalSecretRotationMetadatas,
		ExternalSecretRotationRoleArn:   args.ExternalSecretRotationRoleArn,
	}
}

// recordRotationSettings records the rotation settings DescribeSecret
// reports, exactly: the function, the rules and the external rotation role
// and metadata. While rotation is off AWS keeps them, and so does the state.
func recordRotationSettings(state *RotationScheduleState, out *sm.DescribeSecretOutput) {
	state.RotationLambdaArn = observedOptional(state.RotationLambdaArn, out.RotationLambdaARN)
	state.RotationRules = nil
	if out.RotationRules != nil {
		rules := fromAWSRotationRules(out.RotationRules)
		state.RotationRules = &rules
	}
	state.ExternalSecretRotationRoleArn = observedOptional(state.ExternalSecretRotationRoleArn, out.ExternalSecretRotationRoleArn)
	state.ExternalSecretRotationMetadatas = fromAWSExternalMetadata(out.ExternalSecretRotationMetadata)
}

func toAWSExternalMetadata(items []SecretRotationExternalSecretRotationMetadata) []smtypes.ExternalSecretRotationMetadataItem {
	if items == nil {
		return nil // unset: RotateSecret keeps the secret's
	}
	out := make([]smtypes.ExternalSecretRotationMetadataItem, len(items))
	for i, item := range items {
		out[i] = smtypes.ExternalSecretRotationMetadataItem{Key: aws.String(item.Key), Value: aws.String(item.Value)}
	}
	return out
}

func fromAWSExternalMetadata(items []smtypes.ExternalSecretRotationMetadataItem) []SecretRotationExternalSecretRotationMetadata {
	if len(items) == 0 {
		return nil
	}
	out := make([]SecretRotationExternalSecretRotationMetadata, len(items))
	for i, item := range items {
		out[i] = SecretRotationExternalSecretRotationMetadata{Key: aws.ToString(item.Key), Value: aws.ToString(item.Value)}
	}
	return out
}

// Create turns rotation on: one DescribeSecret, to refuse a secret whose
// rotation is already configured (by another RotationSchedule or outside
// Pulumi — a secret has one schedule), one RotateSecret, and one more
// DescribeSecret for nextRotationDate. With rotationEnabled false it turns
// rotation off instead: one DescribeSecret, then CancelRotateSecret only if
// rotation is on (AWS turned it on itself, as for an RDS instance's managed
// master password); the state records the settings the secret keeps, from
// that DescribeSecret. A preview makes no call.
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
	if !state.RotationEnabled {
		recordRotationSettings(&state, current)
		if aws.ToBool(current.RotationEnabled) {
			if err := cancelRotation(ctx, api, arn); err != nil {
				return infer.CreateResponse[RotationScheduleState]{}, fmt.Errorf("turning off rotation of secret %q: %w", args.SecretId, err)
			}
		}
		return infer.CreateResponse[RotationScheduleState]{ID: arn, Output: state}, nil
	}
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
// schedule. Settings the program leaves unset are left out, so AWS keeps
// the secret's own.
func rotateSecretInput(secretARN string, args RotationScheduleArgs) sm.RotateSecretInput {
	in := sm.RotateSecretInput{
		SecretId:                       &secretARN,
		RotationLambdaARN:              args.RotationLambdaArn,
		ExternalSecretRotationRoleArn:  args.ExternalSecretRotationRoleArn,
		ExternalSecretRotationMetadata: toAWSExternalMetadata(args.ExternalSecretRotationMetadatas),
		RotateImmediately:              aws.Bool(ptrOr(args.RotateImmediately, true)),
	}
	if args.RotationRules != nil {
		in.RotationRules = toAWSRotationRules(*args.RotationRules)
	}
	return in
}

// Read refreshes the schedule with one DescribeSecret. A secret that is
// gone or scheduled for deletion reads as gone. So does one whose rotation
// was turned off outside Pulumi while the program turns it on, so the next
// `pulumi up` creates the schedule again; a schedule that turns rotation
// off reads what AWS reports, and rotation turned on again (AWS does that
// for some managed secrets) shows as rotationEnabled true, drift the next
// update undoes. A function, rules or external settings changed outside
// Pulumi show as drift. On import the ID is the secret's ARN or name; a
// secret whose rotation is off imports as gone (create a schedule with
// rotationEnabled false instead, which needs no import).
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
	importing := req.State.SecretId == ""
	// A schedule that turns rotation off records RotationEnabled false.
	turnsRotationOff := !importing && !req.State.RotationEnabled
	enabled := aws.ToBool(out.RotationEnabled)
	if !enabled && !turnsRotationOff {
		if !importing {
			p.GetLogger(ctx).Warningf("rotation of secret %q was turned off outside Pulumi; the next `pulumi up` turns it on again", req.ID)
		}
		return infer.ReadResponse[RotationScheduleArgs, RotationScheduleState]{}, nil
	}
	state := req.State
	state.RotationEnabled = enabled
	state.Region = region
	if state.SecretId == "" {
		state.SecretId = aws.ToString(out.ARN)
	}
	recordRotationSettings(&state, out)
	state.NextRotationDate = nil
	if enabled {
		state.NextRotationDate = formatRotationDate(out.NextRotationDate)
	}

	inputs := req.Inputs
	inputs.SecretId = state.SecretId
	if inputs.RotationEnabled != nil {
		inputs.RotationEnabled = aws.Bool(state.RotationEnabled)
	}
	if !turnsRotationOff {
		// Unset settings stay unset in the inputs (a managed rotation has no
		// function; unset external settings keep the secret's); set ones,
		// or an import, follow AWS.
		if importing || inputs.RotationLambdaArn != nil {
			inputs.RotationLambdaArn = state.RotationLambdaArn
		}
		if importing || inputs.RotationRules != nil {
			inputs.RotationRules = state.RotationRules
		}
		if importing || inputs.ExternalSecretRotationRoleArn != nil {
			inputs.ExternalSecretRotationRoleArn = state.ExternalSecretRotationRoleArn
		}
		if importing || inputs.ExternalSecretRotationMetadatas != nil {
			inputs.ExternalSecretRotationMetadatas = state.ExternalSecretRotationMetadatas
		}
	}
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

// Update writes a changed function, schedule or external settings, or turns
// rotation back on, with one RotateSecret (after waiting for a rotation in
// progress, as Create does) and reads nextRotationDate with one
// DescribeSecret. Turning rotation off is one CancelRotateSecret (and one
// UpdateSecretVersionStage only if a rotation was in progress, as Delete
// does); a schedule that stays off makes no call. A change of
// rotateImmediately alone makes no call: it only matters when the schedule
// is written.
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
	if !state.RotationEnabled {
		// The secret keeps its settings while rotation is off, as recorded.
		state.RotationLambdaArn, state.RotationRules = olds.RotationLambdaArn, olds.RotationRules
		state.ExternalSecretRotationRoleArn = olds.ExternalSecretRotationRoleArn
		state.ExternalSecretRotationMetadatas = olds.ExternalSecretRotationMetadatas
		state.NextRotationDate = nil
		if req.DryRun || !olds.RotationEnabled {
			return infer.UpdateResponse[RotationScheduleState]{Output: state}, nil
		}
		if err := cancelRotation(ctx, api, req.ID); err != nil {
			return infer.UpdateResponse[RotationScheduleState]{}, fmt.Errorf("turning off rotation of secret %q: %w", args.SecretId, err)
		}
		return infer.UpdateResponse[RotationScheduleState]{Output: state}, nil
	}
	// An unset function or external setting keeps the secret's, as recorded.
	if args.RotationLambdaArn == nil {
		state.RotationLambdaArn = olds.RotationLambdaArn
	}
	if args.ExternalSecretRotationRoleArn == nil {
		state.ExternalSecretRotationRoleArn = olds.ExternalSecretRotationRoleArn
	}
	if args.ExternalSecretRotationMetadatas == nil {
		state.ExternalSecretRotationMetadatas = olds.ExternalSecretRotationMetadatas
	}
	changed := !olds.RotationEnabled ||
		args.RotationLambdaArn != nil && !equalPtr(args.RotationLambdaArn, olds.RotationLambdaArn) ||
		!sameRotationRules(args.RotationRules, olds.RotationRules) ||
		externalSettingsChanged(args, olds)
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
// or scheduled for deletion is fine. A schedule that turned rotation off
// has nothing to cancel and makes no call: deleting it does not turn back
// on the rotation it turned off (as in pulumi-aws).
func (r *RotationSchedule) Delete(ctx context.Context, req infer.DeleteRequest[RotationScheduleState]) (infer.DeleteResponse, error) {
	if !req.State.RotationEnabled && req.State.SecretId != "" {
		return infer.DeleteResponse{}, nil
	}
	api, _, err := clientIn(ctx, r.api, req.State.Region, regionInARN(req.ID))
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	if err := cancelRotation(ctx, api, req.ID); err != nil && !isGone(err) {
		return infer.DeleteResponse{}, fmt.Errorf("turning off rotation of secret %q: %w", req.State.SecretId, err)
	}
	return infer.DeleteResponse{}, nil
}

// cancelRotation turns rotation off with CancelRotateSecret. If a rotation
// was in progress, AWS leaves its version labelled AWSPENDING, which would
// block every later rotation of the secret: cancelRotation removes the label
// (one more call, only then) and warns, because the cancelled rotation may
// have changed the credential already. A secret that is gone returns an
// error isGone recognises.
func cancelRotation(ctx context.Context, api API, secretARN string) error {
	out, err := api.CancelRotateSecret(ctx, &sm.CancelRotateSecretInput{SecretId: &secretARN})
	if err != nil {
		return err
	}
	pending := aws.ToString(out.VersionId)
	if pending == "" {
		return nil
	}
	_, err = api.UpdateSecretVersionStage(ctx, &sm.UpdateSecretVersionStageInput{
		SecretId: &secretARN, VersionStage: aws.String(stagePending), RemoveFromVersionId: &pending,
	})
	var invalid *smtypes.InvalidParameterException
	switch {
	case err == nil:
		p.GetLogger(ctx).Warningf("rotation of secret %q is off; the rotation that was in progress was cancelled and "+
			"its version %s no longer carries AWSPENDING. If the rotation function had already changed the credential, "+
			"make that version current: `aws secretsmanager update-secret-version-stage --secret-id %s "+
			"--version-stage AWSCURRENT --move-to-version-id %s --remove-from-version-id <current version>`",
			secretARN, pending, secretARN, pending)
	case isGone(err) || errors.As(err, &invalid):
		// The version no longer carries the label (or is gone): nothing to do.
	default:
		p.GetLogger(ctx).Warningf("rotation of secret %q is off, but removing AWSPENDING from the cancelled rotation's "+
			"version %s failed, which blocks later rotations until it is removed: %v. Remove it with "+
			"`aws secretsmanager update-secret-version-stage --secret-id %s --version-stage AWSPENDING "+
			"--remove-from-version-id %s`", secretARN, pending, err, secretARN, pending)
	}
	return nil
}
