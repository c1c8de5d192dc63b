package secretsmanager

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
)

//go:embed docs/tag.md
var tagDocs string

// Tag manages one tag of a secret on its own, as pulumi-aws's
// aws.secretsmanager.Tag (Terraform's aws_secretsmanager_tag) does: for
// secrets made outside the program (by RDS, say), or beside a Secret that
// leaves the key to it. A Secret manages only the keys it declares
// (tags.go), so the two coexist on one secret without fighting.
type Tag struct {
	api    ClientSource
	timing Timing
}

// TagArgs are Tag's inputs; names and types match pulumi-aws's
// aws.secretsmanager.TagArgs.
type TagArgs struct {
	SecretId string  `pulumi:"secretId"` //nolint:revive // matches pulumi-aws
	Key      string  `pulumi:"key"`
	Value    string  `pulumi:"value"`
	Region   *string `pulumi:"region,optional"`
}

// TagState is what smx records for a Tag: its inputs, and the region the tag
// is managed in, always set, which shadows the input's.
type TagState struct {
	TagArgs
	Region string `pulumi:"region"`
}

func (r *Tag) Annotate(a infer.Annotator) {
	a.Describe(r, tagDocs)
}

func (a *TagArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.SecretId, "ARN (or name) of the secret to tag. Changing it replaces the tag.")
	an.Describe(&a.Key, "Tag key: 1–127 characters of letters, digits, spaces and `_.:/=+-@`, without AWS's reserved "+
		"`aws:` prefix or smx's own `smx:`. Changing it replaces the tag.")
	an.Describe(&a.Value, "Tag value: at most 255 characters of letters, digits, spaces and `_.:/=+-@`. Updated in place.")
	an.Describe(&a.Region, regionInputDescription)
}

func (s *TagState) Annotate(an infer.Annotator) {
	an.Describe(&s.Region, regionOutputDescription)
}

var (
	_ infer.CustomCheck[TagArgs]            = (*Tag)(nil)
	_ infer.CustomDiff[TagArgs, TagState]   = (*Tag)(nil)
	_ infer.CustomRead[TagArgs, TagState]   = (*Tag)(nil)
	_ infer.CustomUpdate[TagArgs, TagState] = (*Tag)(nil)
	_ infer.CustomDelete[TagState]          = (*Tag)(nil)
)

// tagIDSeparator joins a Tag's ID, `<secretId>,<key>`, as
// terraform-provider-aws's tftags.SetResourceID does. Neither a secret's
// name or ARN nor a tag key may contain a comma, so the ID splits back
// unambiguously.
const tagIDSeparator = ","

func tagID(secretID, key string) string { return secretID + tagIDSeparator + key }

func parseTagID(id string) (secretID, key string, err error) {
	secretID, key, ok := strings.Cut(id, tagIDSeparator)
	if !ok || secretID == "" || key == "" || strings.Contains(key, tagIDSeparator) {
		return "", "", fmt.Errorf("tag ID %q must be <secret ARN or name>,<tag key>, as pulumi-aws's", id)
	}
	return secretID, key, nil
}

// Check validates the tag with the rules a Secret's tags obey, before any
// API call. A key the provider's ignoreTags names is allowed, as pulumi-aws
// allows it (its Tag does not use ignoreTags): the Tag, not the Secret,
// manages that key. A key that is also one of the provider's defaultTags is
// a warning: a Secret of this provider declares it too.
func (r *Tag) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[TagArgs], error) {
	args, failures, err := infer.DefaultCheck[TagArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[TagArgs]{Inputs: args, Failures: failures}, err
	}
	c := checks{inputs: req.NewInputs}
	if c.known("secretId") {
		c.check("secretId", validSecretID(args.SecretId))
	}
	if c.known("key") {
		c.check("key", validTagKey(args.Key))
	}
	if c.known("value") {
		c.check("value", validTagValue(args.Key, args.Value))
	}
	if c.known("region") {
		c.check("region", validRegion(*args.Region))
	}
	if c.known("key") && c.known("value") {
		if value, isDefault := r.api.Tags(ctx).Defaults[args.Key]; isDefault && value != args.Value {
			p.GetLogger(ctx).Warningf("smx: Tag key %q is also one of the provider's defaultTags (value %q): a Secret "+
				"of this provider puts the default's value back on its next update; set the key in one place only",
				args.Key, value)
		}
	}
	return infer.CheckResponse[TagArgs]{Inputs: args, Failures: c.failures}, nil
}

// Diff makes no API call: a new secret or key replaces the tag, a new value
// updates it.
func (r *Tag) Diff(ctx context.Context, req infer.DiffRequest[TagArgs, TagState]) (infer.DiffResponse, error) {
	d := differ{}
	news, olds := req.Inputs, req.State
	moved, err := regionReplaces(ctx, r.api, news.Region, olds.Region, olds.SecretId)
	if err != nil {
		return infer.DiffResponse{}, err
	}
	d.compare("region", moved, p.UpdateReplace)
	// An empty secretId or key is one still unknown in this preview.
	d.compare("secretId", news.SecretId == "" || !sameSecretID(news.SecretId, olds.SecretId), p.UpdateReplace)
	d.compare("key", news.Key == "" || news.Key != olds.Key, p.UpdateReplace)
	d.compare("value", news.Value != olds.Value, p.Update)
	return d.response(), nil
}

// Create puts the tag on the secret with one TagResource call, which
// overwrites the key's value if the secret already has the key, as
// pulumi-aws's does. It is retried only while AWS does not yet see a secret
// created a moment ago.
func (r *Tag) Create(ctx context.Context, req infer.CreateRequest[TagArgs]) (infer.CreateResponse[TagState], error) {
	api, region, err := clientIn(ctx, r.api, aws.ToString(req.Inputs.Region))
	if err != nil {
		return infer.CreateResponse[TagState]{}, err
	}
	state := TagState{req.Inputs, region}
	id := tagID(state.SecretId, state.Key)
	if req.DryRun {
		return infer.CreateResponse[TagState]{ID: id, Output: state}, nil
	}
	if err := putTag(ctx, api, r.timing, state.SecretId, state.Key, state.Value); err != nil {
		return infer.CreateResponse[TagState]{}, tagError("tagging", state.SecretId, state.Key, err)
	}
	return infer.CreateResponse[TagState]{ID: id, Output: state}, nil
}

// Read looks for the key among the secret's tags with one DescribeSecret.
// A secret that is gone or scheduled for deletion, or a key no longer on it,
// is the tag gone: `pulumi refresh` drops it and `pulumi up` puts it back. A
// value changed out of band shows as drift. On import the ID is
// `<secret ARN or name>,<key>`, as pulumi-aws's.
func (r *Tag) Read(ctx context.Context, req infer.ReadRequest[TagArgs, TagState]) (infer.ReadResponse[TagArgs, TagState], error) {
	importing := req.State.SecretId == ""
	state := req.State
	if importing {
		secretID, key, err := parseTagID(req.ID)
		if err != nil {
			return infer.ReadResponse[TagArgs, TagState]{}, err
		}
		if err := validTagKey(key); err != nil {
			// The program `pulumi import` writes would fail Check.
			return infer.ReadResponse[TagArgs, TagState]{}, fmt.Errorf("importing tag %q: %w", req.ID, err)
		}
		state.SecretId, state.Key = secretID, key
	}
	api, region, err := clientIn(ctx, r.api, req.State.Region, aws.ToString(req.Inputs.Region), regionInARN(state.SecretId))
	if err != nil {
		return infer.ReadResponse[TagArgs, TagState]{}, err
	}
	out, err := describeLiveSecret(ctx, api, state.SecretId)
	if errors.Is(err, errGone) {
		return infer.ReadResponse[TagArgs, TagState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[TagArgs, TagState]{}, fmt.Errorf("reading tag %q of secret %q: %w", state.Key, state.SecretId, err)
	}
	value, ok := fromAWSTags(out.Tags)[state.Key]
	if !ok {
		return infer.ReadResponse[TagArgs, TagState]{}, nil
	}
	state.Value, state.Region = value, region
	inputs := req.Inputs
	inputs.SecretId, inputs.Key, inputs.Value = state.SecretId, state.Key, state.Value
	if importing {
		inputs.Region = importedRegion(ctx, r.api, inputs.Region, region)
	}
	return infer.ReadResponse[TagArgs, TagState]{ID: tagID(state.SecretId, state.Key), Inputs: inputs, State: state}, nil
}

// Update puts the new value with one TagResource call, and makes no call
// when the value is the recorded one (the first up after a move from
// pulumi-aws, which only rewrites the state).
func (r *Tag) Update(ctx context.Context, req infer.UpdateRequest[TagArgs, TagState]) (infer.UpdateResponse[TagState], error) {
	// The tag stays where it is: a move to another region is a replacement.
	api, region, err := clientIn(ctx, r.api, req.State.Region, regionInARN(req.State.SecretId), aws.ToString(req.Inputs.Region))
	if err != nil {
		return infer.UpdateResponse[TagState]{}, err
	}
	state := TagState{req.Inputs, region}
	if req.DryRun || state.Value == req.State.Value {
		return infer.UpdateResponse[TagState]{Output: state}, nil
	}
	if err := putTag(ctx, api, r.timing, state.SecretId, state.Key, state.Value); err != nil {
		return infer.UpdateResponse[TagState]{}, tagError("updating", state.SecretId, state.Key, err)
	}
	return infer.UpdateResponse[TagState]{Output: state}, nil
}

// Delete removes the key with one UntagResource call; a secret already gone
// (or scheduled for deletion) is fine, and so is a key already removed,
// which AWS does not refuse.
func (r *Tag) Delete(ctx context.Context, req infer.DeleteRequest[TagState]) (infer.DeleteResponse, error) {
	secretID, key := req.State.SecretId, req.State.Key
	if secretID == "" || key == "" {
		var err error
		if secretID, key, err = parseTagID(req.ID); err != nil {
			return infer.DeleteResponse{}, err
		}
	}
	api, _, err := clientIn(ctx, r.api, req.State.Region, regionInARN(secretID))
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	_, err = api.UntagResource(ctx, &sm.UntagResourceInput{SecretId: &secretID, TagKeys: []string{key}})
	if err != nil && !isGone(err) {
		return infer.DeleteResponse{}, tagError("removing", secretID, key, err)
	}
	return infer.DeleteResponse{}, nil
}

// putTag sets one tag, retried while AWS does not yet see a secret created a
// moment ago (TagResource answers ResourceNotFoundException then).
func putTag(ctx context.Context, api API, timing Timing, secretID, key, value string) error {
	return timing.retryWhilePropagating(ctx, func() error {
		_, err := api.TagResource(ctx, &sm.TagResourceInput{
			SecretId: &secretID, Tags: []smtypes.Tag{{Key: &key, Value: &value}},
		})
		return err
	})
}

// tagError says which tag of which secret a call failed on, and what to do
// when the secret is not there.
func tagError(doing, secretID, key string, err error) error {
	if isGone(err) {
		return fmt.Errorf("%s tag %q of secret %q: the secret does not exist or is scheduled for deletion: "+
			"create or restore it, or point secretId at a live secret: %w", doing, key, secretID, err)
	}
	return fmt.Errorf("%s tag %q of secret %q: %w", doing, key, secretID, err)
}
