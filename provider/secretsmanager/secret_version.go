package secretsmanager

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

//go:embed docs/secret_version.md
var secretVersionDocs string

// SecretVersion manages one version of a secret's value.
type SecretVersion struct {
	api    ClientSource
	timing Timing
	// run is shared with Secret (see Resources).
	run *runMemory
	// reads batches the refreshes of versions that hold AWSCURRENT.
	reads *currentValueReads
}

// SecretVersionArgs are SecretVersion's inputs; names and types match
// pulumi-aws's aws.secretsmanager.SecretVersionArgs.
type SecretVersionArgs struct {
	SecretId     string  `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	SecretString *string `pulumi:"secretString,optional" provider:"secret"`
	SecretBinary *string `pulumi:"secretBinary,optional" provider:"secret"`
	// The write-only values never reach state: Check leaves them out of the
	// inputs it returns (write_only.go).
	SecretStringWo        *string  `pulumi:"secretStringWo,optional" provider:"secret"`
	SecretBinaryWo        *string  `pulumi:"secretBinaryWo,optional" provider:"secret"`
	SecretStringWoVersion *int     `pulumi:"secretStringWoVersion,optional"`
	VersionStages         []string `pulumi:"versionStages,optional"`
	Region                *string  `pulumi:"region,optional"`
}

// writeOnly tells a version written from a write-only value: Check requires
// secretStringWoVersion with one, and allows it with nothing else.
func (a SecretVersionArgs) writeOnly() bool { return a.SecretStringWoVersion != nil }

// SecretVersionState is what smx records for a SecretVersion. A value set
// with secretString or secretBinary is kept so that refresh can detect a
// value changed out of band; it is always marked secret, so it is stored
// encrypted. A write-only value is not kept at all: the state says only that
// there is one, and its version number.
type SecretVersionState struct {
	Arn string `pulumi:"arn"`
	// SecretArn is pulumi-aws 7's second name for arn; the lifecycle
	// methods set it from arn as they return (withSecretArn).
	SecretArn     string   `pulumi:"secretArn"`
	SecretId      string   `pulumi:"secretId"`  //nolint:revive // matches pulumi-aws
	VersionId     string   `pulumi:"versionId"` //nolint:revive // matches pulumi-aws
	SecretString  *string  `pulumi:"secretString,optional" provider:"secret"`
	SecretBinary  *string  `pulumi:"secretBinary,optional" provider:"secret"`
	VersionStages []string `pulumi:"versionStages"`
	Region        string   `pulumi:"region"`
	// Optional outputs: states written before smx had write-only values
	// lack them.
	SecretStringWoVersion *int  `pulumi:"secretStringWoVersion,optional"`
	HasSecretStringWo     *bool `pulumi:"hasSecretStringWo,optional"`
	HasSecretBinaryWo     *bool `pulumi:"hasSecretBinaryWo,optional"`
	// SecretStringWo is never set: a write-only value never reaches state.
	// It is an output because pulumi-aws's SecretVersion has it (always
	// empty there too), so a program that reads it compiles on smx.
	SecretStringWo *string `pulumi:"secretStringWo,optional" provider:"secret"`
}

// withSecretArn sets secretArn, which always says what arn says.
func (s SecretVersionState) withSecretArn() SecretVersionState {
	s.SecretArn = s.Arn
	return s
}

// writeOnly tells a version whose value smx never recorded. pulumi-aws v7
// records hasSecretStringWo alone in some states.
func (s SecretVersionState) writeOnly() bool {
	return s.SecretStringWoVersion != nil || aws.ToBool(s.HasSecretStringWo) || aws.ToBool(s.HasSecretBinaryWo)
}

func (v *SecretVersion) Annotate(a infer.Annotator) {
	a.Describe(v, secretVersionDocs)
}

func (a *SecretVersionArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.SecretId, "ARN or name of the secret this version belongs to. Changing it replaces the version.")
	an.Describe(&a.SecretString, "Text to store as the secret's value, 1–65536 bytes. Set exactly one of "+
		"`secretString`, `secretBinary`, `secretStringWo` and `secretBinaryWo`. Always stored as a Pulumi secret. "+
		"Changing it creates a new version.")
	an.Describe(&a.SecretBinary, "Binary data to store as the secret's value, base64-encoded (1–65536 bytes once "+
		"decoded). Set exactly one of `secretString`, `secretBinary`, `secretStringWo` and `secretBinaryWo`. "+
		"Always stored as a Pulumi secret. Changing it creates a new version.")
	an.Describe(&a.SecretStringWo, "Write-only text to store as the secret's value, 1–65536 bytes: it never "+
		"reaches Pulumi state, not even encrypted. Requires `secretStringWoVersion`. The value is written when the "+
		"version is created and whenever `secretStringWoVersion` changes; **a changed value with the same "+
		"`secretStringWoVersion` writes nothing**, because smx keeps nothing to compare it with. Refresh never "+
		"reads it back.")
	an.Describe(&a.SecretBinaryWo, "Write-only binary data to store as the secret's value, base64-encoded "+
		"(1–65536 bytes once decoded): it never reaches Pulumi state, not even encrypted. Requires "+
		"`secretStringWoVersion`, which numbers both write-only values. Written only when the version is created "+
		"and whenever `secretStringWoVersion` changes.")
	an.Describe(&a.SecretStringWoVersion, "Version number of the write-only value (`secretStringWo` or "+
		"`secretBinaryWo`), 1 or more, required with one and allowed with nothing else. Changing it stores the "+
		"write-only value as a new version (a replacement), which is the only way a new write-only value is "+
		"written.")
	an.Describe(&a.VersionStages, "Staging labels to attach to this version. Defaults to `[\"AWSCURRENT\"]`: the "+
		"new version becomes the secret's current value. Updated in place. Secrets Manager attaches AWSCURRENT to a "+
		"secret's first version whatever its labels, and AWSPREVIOUS to the version AWSCURRENT leaves; a version "+
		"holding either without asking for it is not a change, and AWSCURRENT leaves a version only when another "+
		"version takes it. Two SecretVersions of one secret cannot ask for the same label.")
	an.Describe(&a.Region, regionInputDescription)
}

func (s *SecretVersionState) Annotate(an infer.Annotator) {
	an.Describe(&s.Arn, "ARN of the secret.")
	an.Deprecate(&s.Arn, "arn is deprecated. Use secretArn instead.")
	an.Describe(&s.SecretArn, "ARN of the secret (the same as `arn`: pulumi-aws 7 has both).")
	an.Describe(&s.SecretStringWo, "Always empty: a write-only value never reaches state. Here because pulumi-aws's "+
		"SecretVersion has it.")
	an.Describe(&s.SecretId, "ARN or name of the secret.")
	an.Describe(&s.VersionId, "Unique identifier of this version of the secret.")
	an.Describe(&s.SecretString, "The stored text value (a Pulumi secret).")
	an.Describe(&s.SecretBinary, "The stored binary value, base64-encoded (a Pulumi secret).")
	an.Describe(&s.VersionStages, "Staging labels attached to this version.")
	an.Describe(&s.Region, regionOutputDescription)
	an.Describe(&s.SecretStringWoVersion, "Version number of the write-only value this version was written from.")
	an.Describe(&s.HasSecretStringWo, "Whether this version's value was written from `secretStringWo` (and is "+
		"therefore not in state).")
	an.Describe(&s.HasSecretBinaryWo, "Whether this version's value was written from `secretBinaryWo` (and is "+
		"therefore not in state).")
}

var (
	_ infer.CustomCheck[SecretVersionArgs]                              = (*SecretVersion)(nil)
	_ infer.CustomDiff[SecretVersionArgs, SecretVersionState]           = (*SecretVersion)(nil)
	_ infer.CustomRead[SecretVersionArgs, SecretVersionState]           = (*SecretVersion)(nil)
	_ infer.CustomUpdate[SecretVersionArgs, SecretVersionState]         = (*SecretVersion)(nil)
	_ infer.CustomDelete[SecretVersionState]                            = (*SecretVersion)(nil)
	_ infer.ExplicitDependencies[SecretVersionArgs, SecretVersionState] = (*SecretVersion)(nil)
)

// WireDependencies marks the value outputs secret on the wire in every
// response: pulumi-go-provider does not do it for `provider:"secret"` outputs
// of Create and Update by itself.
//
// It also says which inputs each output follows, so that a preview of a
// stage change keeps `arn` and `versionId` known.
func (*SecretVersion) WireDependencies(f infer.FieldSelector, args *SecretVersionArgs, state *SecretVersionState) {
	f.OutputField(&state.SecretString).AlwaysSecret()
	f.OutputField(&state.SecretBinary).AlwaysSecret()
	// versionId follows secretId only: a new value replaces the version
	// anyway, and a dependency on a secret input would make it secret too.
	secretID := f.InputField(&args.SecretId)
	f.OutputField(&state.Arn).DependsOn(secretID)
	f.OutputField(&state.SecretArn).DependsOn(secretID)
	f.OutputField(&state.SecretId).DependsOn(secretID)
	f.OutputField(&state.VersionId).DependsOn(secretID)
	f.OutputField(&state.SecretString).DependsOn(f.InputField(&args.SecretString))
	f.OutputField(&state.SecretBinary).DependsOn(f.InputField(&args.SecretBinary))
	f.OutputField(&state.VersionStages).DependsOn(f.InputField(&args.VersionStages))
	f.OutputField(&state.SecretStringWoVersion).DependsOn(f.InputField(&args.SecretStringWoVersion))
}

// Check validates every known input, the value without ever quoting it,
// before any API call. A write-only value leaves here: the inputs it returns,
// which the engine records, never hold it, even when a check fails; the
// provider keeps it in memory for this deployment's Create (write_only.go).
func (v *SecretVersion) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[SecretVersionArgs], error) {
	args, failures, err := infer.DefaultCheck[SecretVersionArgs](ctx, req.NewInputs)
	values := map[string]*string{
		"secretString": args.SecretString, "secretBinary": args.SecretBinary,
		"secretStringWo": args.SecretStringWo, "secretBinaryWo": args.SecretBinaryWo,
	}
	writeOnly := args.writeOnlyValue()
	args.SecretStringWo, args.SecretBinaryWo = nil, nil
	if err != nil || len(failures) > 0 {
		v.run.writeOnly.keep(urnIn(ctx), nil)
		return infer.CheckResponse[SecretVersionArgs]{Inputs: args, Failures: failures}, err
	}
	c := checks{inputs: req.NewInputs}
	if c.known("secretId") && args.SecretId == "" {
		c.fail("secretId", "must name the secret (its ARN or name)")
	}
	if c.known("secretId") && v.run.isCrossAccountReplica(args.SecretId) {
		// Known from the replica's Secret, which the engine steps first.
		c.fail("secretId", "is a cross-account replica (its Secret sets crossAccountPrimaryArn): its value comes from "+
			"its primary secret, in the other account; put the SecretVersion on the primary")
	}
	v.checkValue(ctx, &c, values)
	c.writeOnlyVersion(args.SecretStringWoVersion)
	if c.known("versionStages") {
		c.versionStages("versionStages", args.VersionStages)
		v.warnIfCurrentStays(ctx, req.OldInputs, args.VersionStages)
		// Only labels the program names are claimed: versions that leave
		// them unset each become current when written, one after another.
		if c.known("secretId") && len(c.failures) == 0 {
			if stage, other := v.run.stages.claim(urnIn(ctx), args.SecretId, requestedStages(args.VersionStages)); stage != "" {
				c.fail("versionStages", "%q is also asked for by %s, another SecretVersion of secret %q: a label sits "+
					"on one version at a time, so each `pulumi up` would move it from one to the other; give it to one "+
					"of them", stage, other.Name(), args.SecretId)
			}
		}
	}
	if c.known("region") {
		c.check("region", validRegion(*args.Region))
	}
	if len(c.failures) > 0 {
		writeOnly = nil
	}
	v.run.writeOnly.keep(urnIn(ctx), writeOnly)
	return infer.CheckResponse[SecretVersionArgs]{Inputs: args, Failures: c.failures}, nil
}

// writeOnlyValue is the write-only value the program set, if it is known.
func (a SecretVersionArgs) writeOnlyValue() *versionValue {
	if a.SecretStringWo == nil && a.SecretBinaryWo == nil {
		return nil
	}
	return &versionValue{text: a.SecretStringWo, binary: a.SecretBinaryWo}
}

// Diff compares inputs with state without calling AWS. The detailed diff
// names the value properties but never carries their values.
func (v *SecretVersion) Diff(ctx context.Context, req infer.DiffRequest[SecretVersionArgs, SecretVersionState]) (infer.DiffResponse, error) {
	d := differ{}
	news, olds := req.Inputs, req.State
	moved, err := regionReplaces(ctx, v.api, news.Region, olds.Region, olds.Arn)
	if err != nil {
		return infer.DiffResponse{}, err
	}
	d.compare("region", moved, p.UpdateReplace)
	// An empty secretId is one still unknown in this preview (Check rejects a
	// known empty one); it can only be a different secret.
	d.compare("secretId", news.SecretId == "" || !sameSecret(news.SecretId, olds), p.UpdateReplace)
	v.diffValue(ctx, &d, news, olds)
	v.diffStages(&d, news.VersionStages, olds.VersionStages)
	return d.response(), nil
}

// diffStages names each label the update attaches (by its place in the
// program's list) or detaches (by its place in the state's), so that the
// preview shows those labels and no others: a label AWS attached on its own
// stays out of it, as it stays on the version.
func (*SecretVersion) diffStages(d *differ, named, held []string) {
	attach, detach := stageChanges(named, held)
	for _, stage := range attach {
		d.compareElement("versionStages", slices.Index(named, stage), p.Add)
	}
	for _, stage := range detach {
		d.compareElement("versionStages", slices.Index(held, stage), p.Delete)
	}
}

// diffValue compares the value. A write-only value is not in the inputs
// Diff receives, so only its version number can change; a stored value is
// compared as it is. A switch from a stored value to the same value made
// write-only keeps the AWS version: only the state changes, and the value
// leaves it.
func (v *SecretVersion) diffValue(ctx context.Context, d *differ, news SecretVersionArgs, olds SecretVersionState) {
	switch {
	case news.writeOnly() && olds.writeOnly():
		d.compare("secretStringWoVersion", !equalPtr(news.SecretStringWoVersion, olds.SecretStringWoVersion), p.UpdateReplace)
	case news.writeOnly():
		stored, kept := storedValue(olds), false
		if value, ok := v.run.writeOnly.peek(urnIn(ctx)); ok {
			kept = value.same(stored)
		}
		removed, added := p.DeleteReplace, p.AddReplace
		if kept {
			removed, added = p.Delete, p.Add
		}
		d.compare("secretString", stored.text != nil, removed)
		d.compare("secretBinary", stored.binary != nil, removed)
		d.compare("secretStringWoVersion", true, added)
	case olds.writeOnly():
		d.compare("secretString", news.SecretString != nil, p.AddReplace)
		d.compare("secretBinary", news.SecretBinary != nil, p.AddReplace)
		d.compare("secretStringWoVersion", true, p.DeleteReplace)
	default:
		d.compare("secretString", !equalPtr(news.SecretString, olds.SecretString), p.UpdateReplace)
		d.compare("secretBinary", !equalPtr(news.SecretBinary, olds.SecretBinary), p.UpdateReplace)
	}
}

// sameSecret treats a secret's name and its ARN as the same secret, in
// either direction.
func sameSecret(secretID string, state SecretVersionState) bool {
	return sameSecretID(secretID, state.SecretId) || sameSecretID(secretID, state.Arn)
}

// warnIfCurrentStays says, at preview, that a version the program no
// longer asks to be current stays current until another version takes
// AWSCURRENT: Secrets Manager can only move the label, never remove it.
func (v *SecretVersion) warnIfCurrentStays(ctx context.Context, oldInputs property.Map, stages []string) {
	if oldInputs.Len() == 0 || slices.Contains(stages, stageCurrent) {
		return
	}
	var old SecretVersionArgs
	if stagesValue, ok := oldInputs.GetOk("versionStages"); ok && !stagesValue.IsNull() {
		for _, stage := range stagesValue.AsArray().AsSlice() {
			if stage.IsString() {
				old.VersionStages = append(old.VersionStages, stage.AsString())
			}
		}
	}
	if slices.Contains(requestedStages(old.VersionStages), stageCurrent) {
		p.GetLogger(ctx).Warningf("versionStages no longer lists AWSCURRENT, but Secrets Manager never removes " +
			"AWSCURRENT from a version: it moves only when another version takes it. This version stays the secret's " +
			"current value until another SecretVersion lists AWSCURRENT.")
	}
}

// Create stores the value with one PutSecretValue and one idempotency
// token, or adopts the current version when it already holds the value. A
// write-only value comes from this deployment's Check, and is not recorded.
func (v *SecretVersion) Create(ctx context.Context, req infer.CreateRequest[SecretVersionArgs]) (infer.CreateResponse[SecretVersionState], error) {
	resp, err := v.create(ctx, req)
	resp.Output = resp.Output.withSecretArn()
	return resp, err
}

func (v *SecretVersion) create(ctx context.Context, req infer.CreateRequest[SecretVersionArgs]) (infer.CreateResponse[SecretVersionState], error) {
	args := req.Inputs
	state := SecretVersionState{
		SecretId:      args.SecretId,
		VersionStages: requestedStages(args.VersionStages),
	}
	api, region, err := clientIn(ctx, v.api, aws.ToString(args.Region))
	if err != nil {
		return infer.CreateResponse[SecretVersionState]{}, err
	}
	state.Region = region
	value := versionValue{text: args.SecretString, binary: args.SecretBinary}
	if args.writeOnly() {
		if req.DryRun {
			// A preview writes nothing, so it leaves the value to the Create.
			value, _ = v.run.writeOnly.peek(urnIn(ctx))
		} else if value, err = v.takeWriteOnlyValue(ctx); err != nil {
			return infer.CreateResponse[SecretVersionState]{}, err
		}
	}
	state.record(args, value)
	if req.DryRun {
		return infer.CreateResponse[SecretVersionState]{Output: state}, nil
	}
	if adopted, ok := v.adoptCurrentVersion(ctx, api, args.SecretId, value, state); ok {
		return infer.CreateResponse[SecretVersionState]{ID: versionID(adopted.Arn, adopted.VersionId), Output: adopted}, nil
	}
	token, err := newVersionToken(urnIn(ctx))
	if err != nil {
		return infer.CreateResponse[SecretVersionState]{}, err
	}
	input := &sm.PutSecretValueInput{
		SecretId:           &args.SecretId,
		SecretString:       value.text,
		VersionStages:      args.VersionStages,
		ClientRequestToken: &token,
	}
	if value.binary != nil {
		if input.SecretBinary, err = base64.StdEncoding.DecodeString(*value.binary); err != nil {
			// Unreachable after Check; the message never quotes the value.
			return infer.CreateResponse[SecretVersionState]{}, fmt.Errorf("the secret's binary value is not valid base64")
		}
	}
	// The SDK retries with this same token, and so does smx, so a lost answer
	// is answered by AWS's idempotency instead of a second version.
	var out *sm.PutSecretValueOutput
	put := func() (err error) {
		out, err = api.PutSecretValue(ctx, input)
		return err
	}
	if strings.HasPrefix(args.SecretId, "arn:") {
		// An ARN usually comes from a Secret created a moment ago, which AWS
		// may not show everywhere yet: retry "not found" for a while. A name
		// is the program's own words, and fails at once.
		err = v.timing.retryWhilePropagating(ctx, put)
	} else {
		err = put()
	}
	if err != nil {
		return infer.CreateResponse[SecretVersionState]{}, fmt.Errorf("storing a value in secret %q: %w", args.SecretId, err)
	}
	state.Arn = aws.ToString(out.ARN)
	state.VersionId = aws.ToString(out.VersionId)
	// What the version holds, which for a secret's first version includes
	// the AWSCURRENT that AWS attached on its own.
	if len(out.VersionStages) > 0 {
		state.VersionStages = heldStages(out.VersionStages)
	}
	return infer.CreateResponse[SecretVersionState]{ID: versionID(state.Arn, state.VersionId), Output: state}, nil
}

// takeWriteOnlyValue takes the write-only value this deployment's Check kept
// for the resource, which only this Create may write.
func (v *SecretVersion) takeWriteOnlyValue(ctx context.Context) (versionValue, error) {
	value, ok := v.run.writeOnly.take(urnIn(ctx))
	if !ok {
		return versionValue{}, missingWriteOnlyValue(ctx)
	}
	return value, nil
}

// record sets what the state says about the value: the value itself when
// the program stored it, or only that there is a write-only one, and its
// version number. A preview that does not know a write-only value yet says
// nothing about its kind.
func (s *SecretVersionState) record(args SecretVersionArgs, value versionValue) {
	s.SecretString, s.SecretBinary, s.SecretStringWoVersion = nil, nil, nil
	s.HasSecretStringWo, s.HasSecretBinaryWo = aws.Bool(false), aws.Bool(false)
	if !args.writeOnly() {
		s.SecretString, s.SecretBinary = value.text, value.binary
		return
	}
	s.SecretStringWoVersion = args.SecretStringWoVersion
	s.HasSecretStringWo, s.HasSecretBinaryWo = nil, nil
	if value.text != nil || value.binary != nil {
		s.HasSecretStringWo, s.HasSecretBinaryWo = aws.Bool(value.text != nil), aws.Bool(value.binary != nil)
	}
}

// adoptCurrentVersion finds a version that already holds the program's
// value as AWSCURRENT, and adopts it instead of writing the value again. That
// version is this resource's own when a previous run wrote it and crashed
// before saving the state: the SDK's retries reuse one ClientRequestToken
// within a run, but a new run cannot know the old token. Adopting it leaves
// the secret as the program wants it, with no second copy of the value and
// AWSPREVIOUS still naming the value that was current before.
//
// It costs one GetSecretValue, skipped for a secret this run created (which
// has no earlier version) and for versions with custom labels. Any failure
// to read (an IAM policy without secretsmanager:GetSecretValue, for
// instance) simply means writing as usual.
func (v *SecretVersion) adoptCurrentVersion(ctx context.Context, api API, secretID string, value versionValue, state SecretVersionState) (SecretVersionState, bool) {
	if !slices.Equal(state.VersionStages, []string{stageCurrent}) || v.run.createdThisRun(secretID) {
		return state, false
	}
	current, err := api.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: &secretID, VersionStage: aws.String(stageCurrent)})
	if err != nil || !sameValue(current, value) {
		return state, false
	}
	p.GetLogger(ctx).Infof("secret %q already holds this value as its current version %s: adopting it",
		secretID, aws.ToString(current.VersionId))
	state.Arn = aws.ToString(current.ARN)
	state.VersionId = aws.ToString(current.VersionId)
	state.VersionStages = heldStages(current.VersionStages)
	return state, true
}

// sameValue compares a stored value with the program's, never logging
// either.
func sameValue(stored *sm.GetSecretValueOutput, value versionValue) bool {
	if value.binary != nil {
		want, err := base64.StdEncoding.DecodeString(*value.binary)
		return err == nil && stored.SecretBinary != nil && bytes.Equal(stored.SecretBinary, want)
	}
	return value.text != nil && stored.SecretString != nil && *stored.SecretString == *value.text
}

// Read refreshes the version from AWS.
//
// A version's value never changes in AWS; what changes out of band (a
// rotation, a console edit) is which version is AWSCURRENT. A SecretVersion
// that the program asked to be current (by naming AWSCURRENT, or no label)
// and that held AWSCURRENT therefore follows it: when a write outside the
// stack has made another version current, Read reports that version and its
// value, and warns. The next
// preview shows the value as changed (never the value itself), and `pulumi up`
// stores the program's value as a new version, leaving the other one in place
// as AWSPREVIOUS: it is never rewritten, and never replaced silently. To let
// rotation own the value, add `ignoreChanges: ["secretString"]`. A version
// that holds AWSCURRENT only because AWS attached it, or that a newer version
// of the same stack took AWSCURRENT from, is refreshed as the version it is,
// with the labels it holds (none, even), never ones it does not.
//
// The version is reported gone when its secret is deleted or scheduled for
// deletion, or when AWS garbage-collected a version that was not current.
// On import the ID is `arn|versionId` or `arn|<stage>` (e.g. `arn|AWSCURRENT`),
// and the inputs hold a placeholder instead of the value (imported_value.go).
//
// A version written from a write-only value is refreshed without its value
// (readWriteOnly).
func (v *SecretVersion) Read(ctx context.Context, req infer.ReadRequest[SecretVersionArgs, SecretVersionState]) (infer.ReadResponse[SecretVersionArgs, SecretVersionState], error) {
	resp, err := v.read(ctx, req)
	if resp.ID != "" {
		resp.State = resp.State.withSecretArn()
	}
	return resp, err
}

func (v *SecretVersion) read(ctx context.Context, req infer.ReadRequest[SecretVersionArgs, SecretVersionState]) (infer.ReadResponse[SecretVersionArgs, SecretVersionState], error) {
	secretID, version, err := parseVersionID(req.ID)
	if err != nil {
		return infer.ReadResponse[SecretVersionArgs, SecretVersionState]{}, err
	}
	api, region, err := clientIn(ctx, v.api, req.State.Region, aws.ToString(req.Inputs.Region), regionInARN(secretID))
	if err != nil {
		return infer.ReadResponse[SecretVersionArgs, SecretVersionState]{}, err
	}
	if req.State.writeOnly() && req.State.VersionId != "" {
		return v.readWriteOnly(ctx, api, region, req)
	}
	var out *sm.GetSecretValueOutput
	if followsCurrent(req) && !looksLikeStage(version) {
		// A version the program asked to be current, and that was, follows
		// AWSCURRENT: read AWSCURRENT, in a batch with the other refreshes.
		// When AWSCURRENT has moved away (a rotation, a console edit; the
		// version may since have been garbage-collected), that is the value
		// the program's version now stands for.
		out, err = v.reads.current(ctx, api, secretID)
		if err == nil && aws.ToString(out.VersionId) != version && writtenByStack(aws.ToString(out.VersionId), urnIn(ctx)) {
			// AWSCURRENT went to a version this stack wrote: a newer
			// SecretVersion of the program took it, which is no drift. This
			// version is refreshed as the one it is.
			out, err = api.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: &secretID, VersionId: &version})
		} else if err == nil && aws.ToString(out.VersionId) != version {
			p.GetLogger(ctx).Warningf("the current value of secret %q was changed outside Pulumi (version %s is now "+
				"AWSCURRENT); the next `pulumi up` stores this program's value as a new version, keeping the other "+
				"as AWSPREVIOUS. Add ignoreChanges: [\"secretString\"] to keep the value set outside Pulumi.",
				secretID, aws.ToString(out.VersionId))
		}
	} else {
		input := &sm.GetSecretValueInput{SecretId: &secretID, VersionId: &version}
		if looksLikeStage(version) {
			input = &sm.GetSecretValueInput{SecretId: &secretID, VersionStage: &version}
		}
		out, err = api.GetSecretValue(ctx, input)
	}
	if err != nil {
		if isGone(err) {
			return infer.ReadResponse[SecretVersionArgs, SecretVersionState]{}, nil
		}
		return infer.ReadResponse[SecretVersionArgs, SecretVersionState]{}, fmt.Errorf("reading version %q of secret %q: %w", version, secretID, err)
	}
	state := req.State
	state.Arn = aws.ToString(out.ARN)
	state.VersionId = aws.ToString(out.VersionId)
	if state.SecretId == "" {
		state.SecretId = state.Arn
	}
	state.SecretString, state.SecretBinary = nil, nil
	if out.SecretBinary != nil {
		state.SecretBinary = aws.String(base64.StdEncoding.EncodeToString(out.SecretBinary))
	} else {
		state.SecretString = out.SecretString
	}
	state.VersionStages = heldStages(out.VersionStages)
	state.Region = region

	inputs := req.Inputs
	inputs.SecretId = state.SecretId
	inputs.SecretString, inputs.SecretBinary = state.SecretString, state.SecretBinary
	// The labels stay the program's: the state says what the version holds,
	// and the next preview compares the two. (Copied into the inputs, a
	// label AWS attached on its own would read as one the program asked
	// for.) An import has no program yet: what the version holds is it.
	if req.State.VersionId == "" {
		v.importedInputs(ctx, &inputs, state)
	}
	if req.State.VersionId == "" {
		inputs.VersionStages = state.VersionStages
		inputs.Region = importedRegion(ctx, v.api, inputs.Region, region)
	}
	return infer.ReadResponse[SecretVersionArgs, SecretVersionState]{
		ID: versionID(state.Arn, state.VersionId), Inputs: inputs, State: state,
	}, nil
}

// followsCurrent tells a version that follows AWSCURRENT on refresh: one the
// program asked to be current, and that was. A version that holds AWSCURRENT
// only because AWS attached it on its own (a secret's first version, written
// with other labels) is the version it is, wherever AWSCURRENT goes.
//
// It follows AWSCURRENT only when a write outside the stack moved it: when
// a newer SecretVersion of the same stack took the label, the version is
// refreshed as the one it is (see Read).
func followsCurrent(req infer.ReadRequest[SecretVersionArgs, SecretVersionState]) bool {
	return slices.Contains(req.State.VersionStages, stageCurrent) &&
		slices.Contains(requestedStages(req.Inputs.VersionStages), stageCurrent)
}

// readWriteOnly refreshes a version whose value smx never recorded, with one
// DescribeSecret and no GetSecretValue: it checks that the version still
// exists and which labels it holds. So a write-only SecretVersion needs no
// secretsmanager:GetSecretValue permission.
//
// When AWSCURRENT has moved to another version (a rotation, a console edit),
// the version reports the labels it holds now, and the next `pulumi up`
// moves AWSCURRENT back to it, which restores the program's value without
// writing it. So does a version left with no label at all; DescribeSecret
// does not list such a version, so one ListSecretVersionIds tells it from a
// version AWS has deleted, which is reported gone (`pulumi up` then writes
// the program's value as a new version).
func (v *SecretVersion) readWriteOnly(ctx context.Context, api API, region string, req infer.ReadRequest[SecretVersionArgs, SecretVersionState]) (infer.ReadResponse[SecretVersionArgs, SecretVersionState], error) {
	state := req.State
	out, err := describeLiveSecret(ctx, api, state.Arn)
	if errors.Is(err, errGone) {
		return infer.ReadResponse[SecretVersionArgs, SecretVersionState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[SecretVersionArgs, SecretVersionState]{}, fmt.Errorf("reading version %q of secret %q: %w", state.VersionId, state.Arn, err)
	}
	stages, labeled := out.VersionIdsToStages[state.VersionId]
	if !labeled || len(stages) == 0 {
		exists, err := versionExists(ctx, api, state.Arn, state.VersionId)
		if err != nil {
			return infer.ReadResponse[SecretVersionArgs, SecretVersionState]{}, fmt.Errorf("reading version %q of secret %q: %w", state.VersionId, state.Arn, err)
		}
		if !exists {
			return infer.ReadResponse[SecretVersionArgs, SecretVersionState]{}, nil
		}
	}
	stages = heldStages(stages)
	if slices.Contains(state.VersionStages, stageCurrent) && !slices.Contains(stages, stageCurrent) {
		warnWriteOnlyNotCurrent(ctx, out.VersionIdsToStages, req)
	}
	state.VersionStages = stages
	state.Region = region
	return infer.ReadResponse[SecretVersionArgs, SecretVersionState]{ID: req.ID, Inputs: req.Inputs, State: state}, nil
}

// warnWriteOnlyNotCurrent says that a write outside the stack made another
// version current, and what the next `pulumi up` does about it.
func warnWriteOnlyNotCurrent(ctx context.Context, versions map[string][]string, req infer.ReadRequest[SecretVersionArgs, SecretVersionState]) {
	for holder, stages := range versions {
		if slices.Contains(stages, stageCurrent) && writtenByStack(holder, urnIn(ctx)) {
			return // a newer version of this stack took it
		}
	}
	state := req.State
	if req.Inputs.VersionStages == nil {
		p.GetLogger(ctx).Warningf("the current value of secret %q was changed outside Pulumi (version %s no longer "+
			"holds AWSCURRENT). This version names no labels, so `pulumi up` leaves that as it is; to restore the "+
			"program's write-only value, set versionStages: [\"AWSCURRENT\"] (which moves the label back) or bump "+
			"secretStringWoVersion (which writes it again).", state.Arn, state.VersionId)
		return
	}
	p.GetLogger(ctx).Warningf("the current value of secret %q was changed outside Pulumi (version %s no longer "+
		"holds AWSCURRENT); the next `pulumi up` moves AWSCURRENT back to it, restoring this program's "+
		"write-only value. Add ignoreChanges: [\"versionStages\"] to keep the value set outside Pulumi.",
		state.Arn, state.VersionId)
}

// versionExists tells whether a version that DescribeSecret does not list
// (it lists only versions with labels) still exists, labeled or not.
func versionExists(ctx context.Context, api API, arn, versionID string) (bool, error) {
	pages := sm.NewListSecretVersionIdsPaginator(api, &sm.ListSecretVersionIdsInput{SecretId: &arn, IncludeDeprecated: aws.Bool(true)})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if isGone(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		for _, v := range out.Versions {
			if aws.ToString(v.VersionId) == versionID {
				return true, nil
			}
		}
	}
	return false, nil
}

// looksLikeStage tells a staging label from a version ID in an import ID:
// version IDs are 32 to 64 characters long, labels rarely are.
func looksLikeStage(s string) bool {
	return len(s) < 32
}

// Update moves staging labels, the only property that changes in place, and
// takes a stored value out of the state when the program makes it write-only.
// Labels are moved onto this version first and removed from it after, so
// AWSCURRENT is never left without a version. The labels' current holders are
// read once, so that only labels this version still holds are removed: moving
// AWSCURRENT makes AWS move AWSPREVIOUS by itself.
func (v *SecretVersion) Update(ctx context.Context, req infer.UpdateRequest[SecretVersionArgs, SecretVersionState]) (infer.UpdateResponse[SecretVersionState], error) {
	resp, err := v.update(ctx, req)
	resp.Output = resp.Output.withSecretArn()
	return resp, err
}

func (v *SecretVersion) update(ctx context.Context, req infer.UpdateRequest[SecretVersionArgs, SecretVersionState]) (infer.UpdateResponse[SecretVersionState], error) {
	olds := req.State
	state := olds
	// The version stays where it is: a move to another region is a replacement.
	api, region, err := clientIn(ctx, v.api, olds.Region, regionInARN(olds.Arn), aws.ToString(req.Inputs.Region))
	if err != nil {
		return infer.UpdateResponse[SecretVersionState]{}, err
	}
	state.Region = region
	if req.Inputs.writeOnly() && !olds.writeOnly() {
		// The stored value made write-only (Diff found it the same): the
		// AWS version stays, and the value leaves the state. Nothing to
		// write, so the kept value is only forgotten.
		if !req.DryRun {
			v.run.writeOnly.take(urnIn(ctx))
		}
		state.record(req.Inputs, storedValue(olds))
	}
	added, removed := stageChanges(req.Inputs.VersionStages, olds.VersionStages)
	state.VersionStages = stagesAfter(olds.VersionStages, added, removed)
	if req.DryRun || len(added)+len(removed) == 0 {
		return infer.UpdateResponse[SecretVersionState]{Output: state}, nil
	}
	holders, err := stageHolders(ctx, api, olds.Arn)
	if err != nil {
		return infer.UpdateResponse[SecretVersionState]{}, err
	}
	for _, stage := range added {
		if err := moveStage(ctx, api, olds.Arn, olds.VersionId, stage, holders); err != nil {
			return infer.UpdateResponse[SecretVersionState]{}, err
		}
		if stage == stageCurrent {
			// AWS moves AWSPREVIOUS to the version that lost AWSCURRENT.
			delete(holders, stagePrevious)
		}
	}
	for _, stage := range removed {
		if holders[stage] != olds.VersionId {
			continue
		}
		err := removeStage(ctx, api, olds.Arn, olds.VersionId, stage)
		if isInvalidParameter(err) && !stillHolds(ctx, api, olds.Arn, olds.VersionId, stage) {
			continue // another version of the program took it meanwhile
		}
		if err != nil {
			return infer.UpdateResponse[SecretVersionState]{}, err
		}
	}
	return infer.UpdateResponse[SecretVersionState]{Output: state}, nil
}

// moveStage attaches stage to versionID, taking it from its holder. The
// versions of one program are updated in parallel, so the holder read a
// moment ago may have let the label go since; AWS then refuses the move,
// and it is tried once more with the holder read again.
func moveStage(ctx context.Context, api API, arn, versionID, stage string, holders map[string]string) error {
	move := func() error {
		input := &sm.UpdateSecretVersionStageInput{
			SecretId: &arn, VersionStage: aws.String(stage), MoveToVersionId: &versionID,
		}
		if holder, ok := holders[stage]; ok && holder != versionID {
			input.RemoveFromVersionId = aws.String(holder)
		}
		_, err := api.UpdateSecretVersionStage(ctx, input)
		return err
	}
	err := move()
	if isInvalidParameter(err) {
		var again map[string]string
		if again, err = stageHolders(ctx, api, arn); err == nil {
			maps.Copy(holders, again)
			if _, held := again[stage]; !held {
				delete(holders, stage)
			}
			err = move()
		}
	}
	if err != nil {
		return fmt.Errorf("moving stage %q to version %q: %w", stage, versionID, err)
	}
	return nil
}

// stillHolds tells whether versionID holds stage now; an error reads as yes,
// so that the caller reports its own error.
func stillHolds(ctx context.Context, api API, arn, versionID, stage string) bool {
	holders, err := stageHolders(ctx, api, arn)
	return err != nil || holders[stage] == versionID
}

// Delete detaches the labels this version still holds so that AWS can
// garbage-collect it. AWSCURRENT cannot be detached: a version that holds it
// stays the secret's current value, and the secret stays usable. A version
// with no other label needs no call at all.
func (v *SecretVersion) Delete(ctx context.Context, req infer.DeleteRequest[SecretVersionState]) (infer.DeleteResponse, error) {
	var detach []string
	for _, stage := range req.State.VersionStages {
		if stage != stageCurrent {
			detach = append(detach, stage)
		}
	}
	if len(detach) == 0 {
		return infer.DeleteResponse{}, nil
	}
	api, _, err := clientIn(ctx, v.api, req.State.Region, regionInARN(req.State.Arn))
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	holders, err := stageHolders(ctx, api, req.State.Arn)
	if errors.Is(err, errGone) {
		return infer.DeleteResponse{}, nil
	}
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	for _, stage := range detach {
		// A replacement's PutSecretValue may already have taken the label.
		if holders[stage] != req.State.VersionId {
			continue
		}
		if err := removeStage(ctx, api, req.State.Arn, req.State.VersionId, stage); err != nil && !isGone(err) {
			return infer.DeleteResponse{}, err
		}
	}
	return infer.DeleteResponse{}, nil
}

func removeStage(ctx context.Context, api API, arn, versionID, stage string) error {
	_, err := api.UpdateSecretVersionStage(ctx, &sm.UpdateSecretVersionStageInput{
		SecretId: &arn, VersionStage: aws.String(stage), RemoveFromVersionId: aws.String(versionID),
	})
	if err != nil {
		return fmt.Errorf("removing stage %q from version %q: %w", stage, versionID, err)
	}
	return nil
}

// stageHolders maps each staging label of a secret to the version holding it.
func stageHolders(ctx context.Context, api API, arn string) (map[string]string, error) {
	out, err := describeLiveSecret(ctx, api, arn)
	if err != nil {
		return nil, fmt.Errorf("reading the stages of secret %q: %w", arn, err)
	}
	holders := map[string]string{}
	for version, stages := range out.VersionIdsToStages {
		for _, stage := range stages {
			holders[stage] = version
		}
	}
	return holders, nil
}
