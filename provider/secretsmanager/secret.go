package secretsmanager

import (
	"context"
	"crypto/rand"
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
)

//go:embed docs/secret.md
var secretDocs string

// defaultRecoveryWindowInDays is AWS's own default, used when the program
// does not say.
const defaultRecoveryWindowInDays = 30

// Lengths of the random suffix smx appends to a namePrefix (as pulumi-aws
// does), and, after a hyphen, to the resource name when neither name nor
// namePrefix is given (as Pulumi's auto-naming does).
const (
	prefixSuffixLength       = 26
	resourceNameSuffixLength = 7
)

// Secret manages the metadata of one Secrets Manager secret. Its value lives
// in SecretVersion, as in pulumi-aws.
type Secret struct{ api ClientSource }

// NewSecret returns the Secret resource, calling AWS through api.
func NewSecret(api ClientSource) *Secret { return &Secret{api: api} }

// SecretArgs are Secret's inputs; names and types match pulumi-aws's
// aws.secretsmanager.SecretArgs.
type SecretArgs struct {
	Name                 *string           `pulumi:"name,optional"`
	NamePrefix           *string           `pulumi:"namePrefix,optional"`
	Description          *string           `pulumi:"description,optional"`
	KmsKeyId             *string           `pulumi:"kmsKeyId,optional"` //nolint:revive // matches pulumi-aws
	Tags                 map[string]string `pulumi:"tags,optional"`
	RecoveryWindowInDays *int              `pulumi:"recoveryWindowInDays,optional"`
}

// SecretState is what smx records for a Secret.
type SecretState struct {
	Arn                  string            `pulumi:"arn"`
	Name                 string            `pulumi:"name"`
	NamePrefix           *string           `pulumi:"namePrefix,optional"`
	Description          *string           `pulumi:"description,optional"`
	KmsKeyId             *string           `pulumi:"kmsKeyId,optional"` //nolint:revive // matches pulumi-aws
	Tags                 map[string]string `pulumi:"tags,optional"`
	TagsAll              map[string]string `pulumi:"tagsAll"`
	RecoveryWindowInDays *int              `pulumi:"recoveryWindowInDays,optional"`
}

func (s *Secret) Annotate(a infer.Annotator) {
	a.Describe(s, secretDocs)
}

func (a *SecretArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Name, "Friendly name of the secret: 1–512 characters of `A-Za-z0-9/_+=.@-`, not ending in "+
		"a hyphen followed by six characters. Conflicts with `namePrefix`. When neither is set, smx names the secret "+
		"after the Pulumi resource name plus a random suffix. Changing it replaces the secret.")
	an.Describe(&a.NamePrefix, "Creates a unique name beginning with this prefix (at most 486 characters). "+
		"Conflicts with `name`. Changing it replaces the secret.")
	an.Describe(&a.Description, "Description of the secret, at most 2048 characters. Updated in place.")
	an.Describe(&a.KmsKeyId, "ARN, key ID, alias ARN or alias name (`alias/...`) of the KMS key that encrypts the "+
		"secret's values. When unset, Secrets Manager uses the AWS managed key `aws/secretsmanager`. Updated in place; "+
		"only new versions are encrypted with a new key.")
	an.Describe(&a.Tags, "Tags for the secret: at most 50, keys 1–127 characters without the reserved `aws:` "+
		"prefix, values at most 255 characters. Updated in place.")
	an.Describe(&a.RecoveryWindowInDays, "Days Secrets Manager waits before it deletes the secret for good: 0 "+
		"(delete at once, without recovery) or 7–30. Defaults to 30. Used only when the secret is deleted; changing it "+
		"makes no API call.")
}

func (s *SecretState) Annotate(an infer.Annotator) {
	an.Describe(&s.Arn, "ARN of the secret; also the resource's ID.")
	an.Describe(&s.Name, "Name of the secret.")
	an.Describe(&s.NamePrefix, "The prefix the name was generated from, when `namePrefix` was given.")
	an.Describe(&s.Description, "Description of the secret.")
	an.Describe(&s.KmsKeyId, "KMS key that encrypts the secret; absent for the default key `aws/secretsmanager`.")
	an.Describe(&s.Tags, "Tags set on the secret by this resource.")
	an.Describe(&s.TagsAll, "All tags on the secret.")
	an.Describe(&s.RecoveryWindowInDays, "Recovery window applied when the secret is deleted.")
}

var (
	_ infer.CustomCheck[SecretArgs]               = (*Secret)(nil)
	_ infer.CustomDiff[SecretArgs, SecretState]   = (*Secret)(nil)
	_ infer.CustomRead[SecretArgs, SecretState]   = (*Secret)(nil)
	_ infer.CustomUpdate[SecretArgs, SecretState] = (*Secret)(nil)
	_ infer.CustomDelete[SecretState]             = (*Secret)(nil)
)

// Check validates every known input and settles the secret's name, so that
// the name shown in a preview is the one that is created.
func (s *Secret) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[SecretArgs], error) {
	args, failures, err := infer.DefaultCheck[SecretArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[SecretArgs]{Inputs: args, Failures: failures}, err
	}
	c := checks{inputs: req.NewInputs}
	if c.present("name") && c.present("namePrefix") {
		c.fail("name", "conflicts with namePrefix: set at most one of them")
	}
	if c.known("name") {
		if warning := c.secretName("name", *args.Name); warning != "" {
			p.GetLogger(ctx).Warning(warning)
		}
	}
	if c.known("namePrefix") {
		c.namePrefix("namePrefix", *args.NamePrefix)
	}
	if c.known("description") {
		c.description("description", *args.Description)
	}
	if c.known("kmsKeyId") {
		c.kmsKeyID("kmsKeyId", *args.KmsKeyId)
	}
	if c.known("recoveryWindowInDays") {
		c.recoveryWindow("recoveryWindowInDays", *args.RecoveryWindowInDays)
	}
	if c.known("tags") {
		c.tags("tags", args.Tags)
	}
	if len(c.failures) == 0 && !c.present("name") {
		name, err := settleName(req, args.NamePrefix)
		if err != nil {
			return infer.CheckResponse[SecretArgs]{}, err
		}
		if name != "" {
			args.Name = &name
		}
	}
	return infer.CheckResponse[SecretArgs]{Inputs: args, Failures: c.failures}, nil
}

// settleName picks the name of a secret whose program gives no name: the one
// chosen before, if the prefix it came from is unchanged, else a new one from
// the prefix or the resource name. It returns "" while the prefix is unknown.
func settleName(req infer.CheckRequest, prefix *string) (string, error) {
	oldPrefix, hadPrefix := req.OldInputs.GetOk("namePrefix")
	samePrefix := (prefix == nil && !hadPrefix) ||
		(prefix != nil && hadPrefix && oldPrefix.IsString() && oldPrefix.AsString() == *prefix)
	if old, ok := req.OldInputs.GetOk("name"); ok && old.IsString() && samePrefix {
		return old.AsString(), nil
	}
	if v, ok := req.NewInputs.GetOk("namePrefix"); ok && v.IsComputed() {
		return "", nil
	}
	base, suffixLength := req.Name+"-", resourceNameSuffixLength
	if prefix != nil {
		base, suffixLength = *prefix, prefixSuffixLength
	}
	suffix, err := randomSuffix(suffixLength)
	if err != nil {
		return "", err
	}
	if len(base)+len(suffix) > maxNameLength {
		// Long resource names are trimmed so that the suffix, which keeps the
		// name unique, always fits after its hyphen.
		base = strings.TrimSuffix(base, "-")
		base = base[:maxNameLength-len(suffix)-1] + "-"
	}
	return base + suffix, nil
}

func randomSuffix(n int) (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("generating a unique secret name: %w", err)
	}
	for i, b := range buf {
		buf[i] = alphabet[int(b)%len(alphabet)]
	}
	return string(buf), nil
}

// Diff compares inputs with the recorded state without calling AWS, so a
// preview with no changes makes no API call.
func (s *Secret) Diff(_ context.Context, req infer.DiffRequest[SecretArgs, SecretState]) (infer.DiffResponse, error) {
	d := differ{}
	news, olds := req.Inputs, req.State
	// Check always settles the name, so a missing one is a name that depends
	// on a value still unknown in this preview: it may change.
	d.compare("name", news.Name == nil || *news.Name != olds.Name, p.UpdateReplace)
	d.compare("namePrefix", !equalPtr(news.NamePrefix, olds.NamePrefix), p.UpdateReplace)
	d.compare("description", !equalPtr(news.Description, olds.Description), p.Update)
	d.compare("kmsKeyId", !equalPtr(news.KmsKeyId, olds.KmsKeyId), p.Update)
	d.compare("tags", !maps.Equal(news.Tags, olds.Tags), p.Update)
	d.compare("recoveryWindowInDays", !equalPtr(news.RecoveryWindowInDays, olds.RecoveryWindowInDays), p.Update)
	resp := d.response()
	// A replacement that keeps the name must delete first: AWS will not create
	// a second secret with the same name.
	resp.DeleteBeforeReplace = news.Name != nil && *news.Name == olds.Name
	return resp, nil
}

func (s *Secret) Create(ctx context.Context, req infer.CreateRequest[SecretArgs]) (infer.CreateResponse[SecretState], error) {
	args := req.Inputs
	state := SecretState{
		Name:                 ptrOr(args.Name, ""),
		NamePrefix:           args.NamePrefix,
		Description:          args.Description,
		KmsKeyId:             args.KmsKeyId,
		Tags:                 args.Tags,
		TagsAll:              tagsOrEmpty(args.Tags),
		RecoveryWindowInDays: args.RecoveryWindowInDays,
	}
	if req.DryRun {
		return infer.CreateResponse[SecretState]{Output: state}, nil
	}
	api, err := s.api(ctx)
	if err != nil {
		return infer.CreateResponse[SecretState]{}, err
	}
	out, err := api.CreateSecret(ctx, &sm.CreateSecretInput{
		Name:        &state.Name,
		Description: args.Description,
		KmsKeyId:    args.KmsKeyId,
		Tags:        toAWSTags(args.Tags),
	})
	if err != nil {
		if isScheduledForDeletionConflict(err) {
			return infer.CreateResponse[SecretState]{}, fmt.Errorf(
				"creating secret %q: a secret with this name is scheduled for deletion; restore it with "+
					"`aws secretsmanager restore-secret --secret-id %s` and import it, delete it for good with "+
					"`aws secretsmanager delete-secret --secret-id %s --force-delete-without-recovery`, or choose another name",
				state.Name, state.Name, state.Name)
		}
		return infer.CreateResponse[SecretState]{}, fmt.Errorf("creating secret %q: %w", state.Name, err)
	}
	// CreateSecret's answer holds everything state needs: no read-after-write,
	// which also sidesteps AWS's eventual consistency right after a create.
	state.Arn = aws.ToString(out.ARN)
	return infer.CreateResponse[SecretState]{ID: state.Arn, Output: state}, nil
}

// Read refreshes the state from AWS. A secret that is gone or scheduled for
// deletion is reported gone, so `pulumi refresh` drops it and `pulumi up`
// creates it again. On import (no prior state) the ID may be an ARN or a name.
func (s *Secret) Read(ctx context.Context, req infer.ReadRequest[SecretArgs, SecretState]) (infer.ReadResponse[SecretArgs, SecretState], error) {
	api, err := s.api(ctx)
	if err != nil {
		return infer.ReadResponse[SecretArgs, SecretState]{}, err
	}
	out, err := describeLiveSecret(ctx, api, req.ID)
	if err == errGone {
		return infer.ReadResponse[SecretArgs, SecretState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[SecretArgs, SecretState]{}, fmt.Errorf("reading secret %q: %w", req.ID, err)
	}
	state := req.State
	state.Arn = aws.ToString(out.ARN)
	state.Name = aws.ToString(out.Name)
	state.Description = observedOptional(state.Description, out.Description)
	state.KmsKeyId = observedOptional(state.KmsKeyId, out.KmsKeyId)
	state.TagsAll = fromAWSTags(out.Tags)
	state.Tags = nilIfEmpty(state.TagsAll)

	inputs := req.Inputs
	if inputs.Name == nil && inputs.NamePrefix == nil {
		// Import: adopt the secret's real name as the input, so the first
		// preview after an import shows no change.
		inputs.Name = &state.Name
	}
	if inputs.Name != nil {
		inputs.Name = &state.Name
	}
	inputs.Description = state.Description
	inputs.KmsKeyId = state.KmsKeyId
	inputs.Tags = state.Tags
	if inputs.RecoveryWindowInDays == nil {
		inputs.RecoveryWindowInDays = state.RecoveryWindowInDays
	}
	return infer.ReadResponse[SecretArgs, SecretState]{ID: state.Arn, Inputs: inputs, State: state}, nil
}

// Update applies in-place changes with as few calls as the change needs: one
// UpdateSecret for description and KMS key together, one call each to add
// and to remove tags, and none for recoveryWindowInDays, which only matters
// at delete.
func (s *Secret) Update(ctx context.Context, req infer.UpdateRequest[SecretArgs, SecretState]) (infer.UpdateResponse[SecretState], error) {
	news, olds := req.Inputs, req.State
	state := olds
	state.Description = news.Description
	state.KmsKeyId = news.KmsKeyId
	state.Tags = news.Tags
	state.TagsAll = tagsOrEmpty(news.Tags)
	state.RecoveryWindowInDays = news.RecoveryWindowInDays
	if req.DryRun {
		return infer.UpdateResponse[SecretState]{Output: state}, nil
	}
	api, err := s.api(ctx)
	if err != nil {
		return infer.UpdateResponse[SecretState]{}, err
	}
	update := &sm.UpdateSecretInput{SecretId: &olds.Arn}
	needsUpdate := false
	if !equalPtr(news.Description, olds.Description) {
		update.Description = aws.String(ptrOr(news.Description, ""))
		needsUpdate = true
	}
	if !equalPtr(news.KmsKeyId, olds.KmsKeyId) {
		// Removing the key means going back to the AWS managed key.
		update.KmsKeyId = aws.String(ptrOr(news.KmsKeyId, "alias/aws/secretsmanager"))
		needsUpdate = true
	}
	if needsUpdate {
		if _, err := api.UpdateSecret(ctx, update); err != nil {
			return infer.UpdateResponse[SecretState]{}, fmt.Errorf("updating secret %q: %w", olds.Name, err)
		}
	}
	if err := syncTags(ctx, api, olds.Arn, olds.TagsAll, news.Tags); err != nil {
		return infer.UpdateResponse[SecretState]{}, fmt.Errorf("updating tags of secret %q: %w", olds.Name, err)
	}
	return infer.UpdateResponse[SecretState]{Output: state}, nil
}

// Delete schedules deletion with the recovery window from state, or deletes
// at once when the window is 0. A secret that is already gone is fine.
func (s *Secret) Delete(ctx context.Context, req infer.DeleteRequest[SecretState]) (infer.DeleteResponse, error) {
	api, err := s.api(ctx)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	input := &sm.DeleteSecretInput{SecretId: &req.ID}
	if days := ptrOr(req.State.RecoveryWindowInDays, defaultRecoveryWindowInDays); days == 0 {
		input.ForceDeleteWithoutRecovery = aws.Bool(true)
	} else {
		input.RecoveryWindowInDays = aws.Int64(int64(days))
	}
	if _, err := api.DeleteSecret(ctx, input); err != nil && !isGone(err) {
		return infer.DeleteResponse{}, fmt.Errorf("deleting secret %q: %w", req.State.Name, err)
	}
	return infer.DeleteResponse{}, nil
}

func syncTags(ctx context.Context, api API, arn string, current, desired map[string]string) error {
	var removed []string
	for key := range current {
		if _, keep := desired[key]; !keep {
			removed = append(removed, key)
		}
	}
	added := map[string]string{}
	for key, value := range desired {
		if old, ok := current[key]; !ok || old != value {
			added[key] = value
		}
	}
	if len(removed) > 0 {
		slices.Sort(removed)
		if _, err := api.UntagResource(ctx, &sm.UntagResourceInput{SecretId: &arn, TagKeys: removed}); err != nil {
			return err
		}
	}
	if len(added) > 0 {
		if _, err := api.TagResource(ctx, &sm.TagResourceInput{SecretId: &arn, Tags: toAWSTags(added)}); err != nil {
			return err
		}
	}
	return nil
}

func toAWSTags(tags map[string]string) []smtypes.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]smtypes.Tag, 0, len(tags))
	for _, key := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, smtypes.Tag{Key: aws.String(key), Value: aws.String(tags[key])})
	}
	return out
}

func fromAWSTags(tags []smtypes.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

func tagsOrEmpty(tags map[string]string) map[string]string {
	if tags == nil {
		return map[string]string{}
	}
	return tags
}

func nilIfEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

// observedOptional maps what AWS reports onto an optional property: absent
// and empty are the same thing to AWS, so an unset input stays unset.
func observedOptional(recorded, observed *string) *string {
	if aws.ToString(observed) == "" {
		if recorded != nil && *recorded == "" {
			return recorded
		}
		return nil
	}
	return observed
}
