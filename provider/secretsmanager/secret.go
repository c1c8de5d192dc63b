package secretsmanager

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
)

//go:embed docs/secret.md
var secretDocs string

// defaultRecoveryWindowInDays is AWS's own default, used when the program
// does not say.
const defaultRecoveryWindowInDays = 30

// Secret manages the metadata of one Secrets Manager secret: name,
// description, KMS key, policy, replicas and tags. Its value lives in
// SecretVersion, as in pulumi-aws.
type Secret struct {
	api    ClientSource
	timing Timing
	// run is shared with SecretVersion (see Resources).
	run *runMemory
	// deletedHere holds the names of the secrets this provider process
	// deleted, so Create can tell a same-name replacement (delete, then
	// create, in one `pulumi up`) from a name that an earlier run left
	// scheduled for deletion.
	deletedHere sync.Map
	// adoptedHere holds the ARNs of live secrets that Create adopted as its
	// own (see ownership.go), so that the engine's Delete of the resource they
	// replace, later in the same run, leaves them alone.
	adoptedHere sync.Map
	// recordedHere holds, by URN, the name (and region input) that each
	// resource's recorded inputs gave Check in this run (a recordedName): a
	// preview's Create finds that name taken by the resource's own secret
	// when a replacement keeps the name (secret_conflicts.go).
	recordedHere sync.Map
}

// SecretArgs are Secret's inputs; names and types match pulumi-aws's
// aws.secretsmanager.SecretArgs, plus restoreIfScheduledForDeletion.
// Replicas is a pointer so that `replicas: []` (none) is not unset (no
// opinion).
type SecretArgs struct {
	Name                          *string               `pulumi:"name,optional"`
	NamePrefix                    *string               `pulumi:"namePrefix,optional"`
	Description                   *string               `pulumi:"description,optional"`
	KmsKeyId                      *string               `pulumi:"kmsKeyId,optional"` //nolint:revive // matches pulumi-aws
	Policy                        *string               `pulumi:"policy,optional"`
	RecoveryWindowInDays          *int                  `pulumi:"recoveryWindowInDays,optional"`
	ForceOverwriteReplicaSecret   *bool                 `pulumi:"forceOverwriteReplicaSecret,optional"`
	Replicas                      *[]SecretReplica      `pulumi:"replicas,optional"`
	Tags                          map[string]string     `pulumi:"tags,optional"`
	RestoreIfScheduledForDeletion *bool                 `pulumi:"restoreIfScheduledForDeletion,optional"`
	GenerateSecretString          *GenerateSecretString `pulumi:"generateSecretString,optional"`
	Region                        *string               `pulumi:"region,optional"`
	Type                          *string               `pulumi:"type,optional"`
	CrossAccountPrimaryArn        *string               `pulumi:"crossAccountPrimaryArn,optional"`
	// TagsAll is computed by Check, never set by a program (tags.go): the
	// secret's tags with the provider's defaultTags, in the checked inputs
	// so that a change of the default tags is a change a preview shows.
	TagsAll map[string]string `pulumi:"tagsAll,optional"`
}

// replicas is the replicas the program sets; nil both when it sets none and
// when it leaves them unset.
func (a SecretArgs) replicas() []SecretReplica {
	if a.Replicas == nil {
		return nil
	}
	return *a.Replicas
}

// SecretState is what smx records for a Secret. namePrefix and policy are
// always present ("" when unset), as in pulumi-aws, whose SDKs type them as
// plain string outputs.
type SecretState struct {
	Arn                           string                `pulumi:"arn"`
	Name                          string                `pulumi:"name"`
	NamePrefix                    string                `pulumi:"namePrefix"`
	Description                   *string               `pulumi:"description,optional"`
	KmsKeyId                      *string               `pulumi:"kmsKeyId,optional"` //nolint:revive // matches pulumi-aws
	Policy                        string                `pulumi:"policy"`
	RecoveryWindowInDays          *int                  `pulumi:"recoveryWindowInDays,optional"`
	ForceOverwriteReplicaSecret   *bool                 `pulumi:"forceOverwriteReplicaSecret,optional"`
	Replicas                      []SecretReplica       `pulumi:"replicas,optional"`
	Tags                          map[string]string     `pulumi:"tags,optional"`
	TagsAll                       map[string]string     `pulumi:"tagsAll"`
	RestoreIfScheduledForDeletion *bool                 `pulumi:"restoreIfScheduledForDeletion,optional"`
	GenerateSecretString          *GenerateSecretString `pulumi:"generateSecretString,optional"`
	Region                        string                `pulumi:"region"`
	Type                          *string               `pulumi:"type,optional"`
	CrossAccountPrimaryArn        *string               `pulumi:"crossAccountPrimaryArn,optional"`
}

func (s *Secret) Annotate(a infer.Annotator) {
	a.Describe(s, secretDocs)
}

func (a *SecretArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Name, "Friendly name of the secret: 1–512 characters of `A-Za-z0-9/_+=.@-`. Conflicts with "+
		"`namePrefix`. When neither is set, smx names the secret after the Pulumi resource name plus a hyphen and 7 "+
		"random characters, and keeps that name. Changing it replaces the secret.")
	an.Describe(&a.NamePrefix, "Creates a unique name beginning with this prefix (at most 486 characters), followed "+
		"by 26 lowercase hexadecimal digits, as in pulumi-aws. Conflicts with `name`, unless `name` is a name made from "+
		"this prefix (as `pulumi import` writes them). Changing it replaces the secret.")
	an.Describe(&a.Description, "Description of the secret, at most 2048 characters. Updated in place.")
	an.Describe(&a.KmsKeyId, "ARN, key ID, alias ARN or alias name (`alias/...`) of the KMS key that encrypts the "+
		"secret's values. When unset, Secrets Manager uses the AWS managed key `aws/secretsmanager`. Updated in place; "+
		"only new versions are encrypted with a new key.")
	an.Describe(&a.Policy, "Resource policy of the secret, as a JSON document (at most 20480 characters). "+
		"Documents that mean the same — key order, whitespace, one-element arrays — are not a change, so AWS's "+
		"rewriting causes no diff. Updated in place. Unset means no opinion, as in pulumi-aws: smx neither reads nor "+
		"changes the policy, so a separate SecretPolicy can manage it; to delete a policy this resource set, set it to `\"\"` "+
		"or `{}`, which pulumi-aws also reads as no policy.")
	an.Describe(&a.RecoveryWindowInDays, "Days Secrets Manager waits before it deletes the secret for good: 0 "+
		"(delete at once, without recovery) or 7–30. Defaults to 30. Used only when the secret is deleted; changing it "+
		"makes no API call.")
	an.Describe(&a.ForceOverwriteReplicaSecret, "Whether to overwrite a secret with the same name in a replica "+
		"region. Defaults to false. Used only when replicas are added.")
	an.Describe(&a.Replicas, "Regions to replicate the secret to, each with an optional KMS key. Updated in place: "+
		"regions are added and removed; a replica's new KMS key re-creates that replica. A replica AWS reports as "+
		"failed is an error. Unset means no opinion, as in pulumi-aws: replicas added outside Pulumi stay. `[]` means "+
		"none, and replicas removed from the program are removed.")
	an.Describe(&a.Tags, "Tags for the secret: at most 50, keys 1–127 characters without the reserved `aws:` "+
		"prefix, values at most 255 characters. A secret smx creates takes at most 49, because smx adds its own "+
		"`smx:owner` tag to it; an imported one takes all 50. AWS's own `aws:` tags on the secret are left alone. "+
		"Updated in place. The provider's `defaultTags` are added to them in `tagsAll`; tags the provider's "+
		"`ignoreTags` names may not be set. Only the keys declared here or in `defaultTags` are managed: such a key "+
		"changed by hand is put back, and one no longer declared is removed; keys the secret never declared (a "+
		"`Tag` resource's, another tool's) are never removed and are no drift, unlike pulumi-aws, whose Secret "+
		"removes them.")
	an.Describe(&a.TagsAll, "Computed by smx, never set by a program: the secret's `tags` merged over the "+
		"provider's `defaultTags`. A program that sets it fails at preview.")
	an.Describe(&a.RestoreIfScheduledForDeletion, "When a secret with this name is scheduled for deletion (for "+
		"example after `pulumi destroy`), restore it and adopt it — its versions included — instead of failing. "+
		"Defaults to false: creating the secret then fails at preview with a message saying how to proceed.")
	an.Describe(&a.GenerateSecretString, "Have Secrets Manager generate the secret's value (GetRandomPassword), "+
		"stored as its first version. The value is never a program input nor an output of this resource: read it "+
		"with getSecretVersion, whose result is secret. Changing these settings generates and stores a new value.")
	an.Describe(&a.Region, regionInputDescription)
	an.Describe(&a.Type, "For a managed external secret, the exact string that identifies the partner that holds "+
		"it, such as `SalesforceClientSecret`, `BigIDClientSecret` or `SnowflakeKeyPairAuthentication` (see AWS's "+
		"list of managed external secret partners, which keeps growing: smx takes any non-empty name without "+
		"whitespace). Secrets Manager then rotates the secret with the partner, with no Lambda (SecretRotation's "+
		"`externalSecretRotationMetadatas`). Updated in place, with UpdateSecret, which takes `Type` (pulumi-aws "+
		"replaces the secret instead). Unset means no opinion: AWS has no call that makes a managed external "+
		"secret an ordinary one, so removing `type` from the program changes nothing.")
	an.Describe(&a.CrossAccountPrimaryArn, "Makes this secret a cross-account replica of the secret with this ARN, in "+
		"another AWS account of the same region and partition: Secrets Manager copies the primary's value to it once "+
		"the primary's account associates it (a `CrossAccountReplication` resource, with a provider of that account). "+
		"A replica takes its value, description and type from the primary: it may not set `description`, `type`, "+
		"`generateSecretString` or `replicas`, and no SecretVersion may write to it. It must set `kmsKeyId` to a "+
		"customer managed key. Changing it replaces the secret. Removing it promotes the replica in place to a "+
		"standalone secret (StopReplicationToReplica), which keeps its value; a replica is also promoted before it is "+
		"deleted, as AWS requires. pulumi-aws has no such property.")
}

func (s *SecretState) Annotate(an infer.Annotator) {
	an.Describe(&s.Arn, "ARN of the secret; also the resource's ID.")
	an.Describe(&s.Name, "Name of the secret.")
	an.Describe(&s.NamePrefix, "The prefix the name was generated from, when `namePrefix` was given; for an imported "+
		"secret, the part of its name before a final 26 hexadecimal digits, if it ends so.")
	an.Describe(&s.Description, "Description of the secret.")
	an.Describe(&s.KmsKeyId, "KMS key that encrypts the secret; absent for the default key `aws/secretsmanager`.")
	an.Describe(&s.Policy, "Resource policy of the secret, when this resource sets one, as pulumi-aws records it: "+
		"compact JSON with keys sorted, the text getSecret returns; empty for none.")
	an.Describe(&s.RecoveryWindowInDays, "Recovery window applied when the secret is deleted: 30 unless the program sets another.")
	an.Describe(&s.ForceOverwriteReplicaSecret, "Whether replicas overwrite same-named secrets in their regions: false unless the program sets it.")
	an.Describe(&s.Replicas, "Replicas of the secret, with the status AWS reports for each.")
	an.Describe(&s.Tags, "Tags set on the secret by this resource, without the provider's `defaultTags`: the "+
		"values AWS holds for the keys the program declares.")
	an.Describe(&s.TagsAll, "All tags on the secret, the provider's `defaultTags` included, and, after a refresh, "+
		"those the secret does not declare (set by `Tag` resources, other tools or by hand), except AWS's reserved "+
		"`aws:` tags (those that services such as CloudFormation set), smx's own `smx:owner` tag, and the tags the "+
		"provider's `ignoreTags` names, which smx ignores.")
	an.Describe(&s.RestoreIfScheduledForDeletion, "Whether a secret scheduled for deletion under this name is restored and adopted.")
	an.Describe(&s.GenerateSecretString, "How the secret's value was generated (the value itself is not recorded).")
	an.Describe(&s.Region, regionOutputDescription)
	an.Describe(&s.Type, "The partner that holds the secret, for a managed external secret; absent for an ordinary secret.")
	an.Describe(&s.CrossAccountPrimaryArn, "The primary secret, in another account, that this secret is a "+
		"cross-account replica of, as Secrets Manager reports it; absent for a standalone secret.")
}

// WireDependencies says which inputs each output follows, so that a preview
// of an in-place update marks unknown only what the update can change. By
// default every output would follow every input: a description change would
// make `arn` unknown, and a SecretPolicy on `secret.arn` would preview as
// replaced.
func (*Secret) WireDependencies(f infer.FieldSelector, args *SecretArgs, state *SecretState) {
	// Check settles the name, from namePrefix too, so the name input is
	// what arn and name follow. (A dependency on namePrefix would mark them
	// unknown whenever the program sets none: state records it as "".)
	name := f.InputField(&args.Name)
	f.OutputField(&state.Arn).DependsOn(name)
	f.OutputField(&state.Name).DependsOn(name)
	f.OutputField(&state.NamePrefix).DependsOn(f.InputField(&args.NamePrefix))
	f.OutputField(&state.Description).DependsOn(f.InputField(&args.Description))
	f.OutputField(&state.KmsKeyId).DependsOn(f.InputField(&args.KmsKeyId))
	f.OutputField(&state.Policy).DependsOn(f.InputField(&args.Policy))
	f.OutputField(&state.RecoveryWindowInDays).DependsOn(f.InputField(&args.RecoveryWindowInDays))
	f.OutputField(&state.ForceOverwriteReplicaSecret).DependsOn(f.InputField(&args.ForceOverwriteReplicaSecret))
	f.OutputField(&state.Replicas).DependsOn(f.InputField(&args.Replicas), f.InputField(&args.ForceOverwriteReplicaSecret))
	f.OutputField(&state.Tags).DependsOn(f.InputField(&args.Tags))
	// Not on the tagsAll input: infer compares an input with the output of
	// the same name, and the output also holds the keys the secret never
	// declared (tags.go), so it would always look changed. Update's preview
	// computes tagsAll itself, default tags included; only unknown tags leave
	// it unknown.
	f.OutputField(&state.TagsAll).DependsOn(f.InputField(&args.Tags))
	f.OutputField(&state.RestoreIfScheduledForDeletion).DependsOn(f.InputField(&args.RestoreIfScheduledForDeletion))
	f.OutputField(&state.GenerateSecretString).DependsOn(f.InputField(&args.GenerateSecretString))
	f.OutputField(&state.Type).DependsOn(f.InputField(&args.Type))
	f.OutputField(&state.CrossAccountPrimaryArn).DependsOn(f.InputField(&args.CrossAccountPrimaryArn))
}

var (
	_ infer.ExplicitDependencies[SecretArgs, SecretState] = (*Secret)(nil)
	_ infer.CustomCheck[SecretArgs]                       = (*Secret)(nil)
	_ infer.CustomDiff[SecretArgs, SecretState]           = (*Secret)(nil)
	_ infer.CustomRead[SecretArgs, SecretState]           = (*Secret)(nil)
	_ infer.CustomUpdate[SecretArgs, SecretState]         = (*Secret)(nil)
	_ infer.CustomDelete[SecretState]                     = (*Secret)(nil)
)

// Check validates every known input, without any API call, and settles the
// secret's name, so that the name shown in a preview is the one created.
func (s *Secret) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[SecretArgs], error) {
	args, failures, err := infer.DefaultCheck[SecretArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[SecretArgs]{Inputs: args, Failures: failures}, err
	}
	s.rememberRecordedName(ctx, req.OldInputs)
	c := checks{inputs: req.NewInputs}
	// A name with the prefix it was made from (as an import writes them)
	// says one thing twice; any other pair says two.
	sayTheSame := c.known("name") && c.known("namePrefix") && namePrefixFromName(*args.Name) == *args.NamePrefix
	if c.present("name") && c.present("namePrefix") && !sayTheSame {
		c.fail("name", "conflicts with namePrefix: set at most one of them")
	}
	if c.known("name") {
		c.check("name", validSecretName(*args.Name))
		if warning := arnLikeNameWarning("name", *args.Name); warning != "" {
			p.GetLogger(ctx).Warning(warning)
		}
	}
	if c.known("namePrefix") {
		c.check("namePrefix", validNamePrefix(*args.NamePrefix))
	}
	if c.known("description") {
		c.check("description", validDescription(*args.Description))
	}
	if c.known("kmsKeyId") {
		c.check("kmsKeyId", validKMSKeyID(*args.KmsKeyId))
	}
	if c.known("type") {
		c.check("type", validPartnerType(*args.Type))
	}
	if c.present("crossAccountPrimaryArn") {
		c.crossAccountReplica(args, regionInCheck(ctx, s.api, &c, args.Region))
	}
	if c.known("policy") {
		c.check("policy", validPolicy(*args.Policy))
	}
	if c.known("recoveryWindowInDays") {
		c.check("recoveryWindowInDays", validRecoveryWindow(*args.RecoveryWindowInDays))
	}
	if c.known("replicas") {
		c.replicas("replicas", args.replicas())
	}
	args.TagsAll = c.secretTags(s.api.Tags(ctx), args.Tags)
	if len(c.failures) == 0 {
		if err := s.checkTagPolicy(ctx, &c, req, args); err != nil {
			return infer.CheckResponse[SecretArgs]{}, err
		}
	}
	if c.known("generateSecretString") {
		c.generateSecretString("generateSecretString", args.GenerateSecretString)
	}
	if c.known("region") {
		c.check("region", validRegion(*args.Region))
		for i, r := range args.replicas() {
			if r.Region == *args.Region {
				c.fail(fmt.Sprintf("replicas[%d].region", i), "is the secret's own region %q: a secret cannot be "+
					"replicated to the region it lives in", r.Region)
			}
		}
	}
	if !c.present("replicas") && programHadReplicas(req.OldInputs) {
		// Replicas the program stopped setting are removed, as pulumi-aws
		// removes them; unset from the start, they are no opinion.
		args.Replicas = &[]SecretReplica{}
	}
	if len(c.failures) == 0 && !c.present("name") {
		name, err := settleName(ctx, req, args.NamePrefix)
		if err != nil {
			return infer.CheckResponse[SecretArgs]{}, err
		}
		if name != "" {
			args.Name = &name
		}
	}
	return infer.CheckResponse[SecretArgs]{Inputs: args, Failures: c.failures}, nil
}

// Diff compares inputs with the recorded state without calling AWS, so a
// preview with no changes makes no API call.
func (s *Secret) Diff(ctx context.Context, req infer.DiffRequest[SecretArgs, SecretState]) (infer.DiffResponse, error) {
	d := differ{}
	news, olds := req.Inputs, req.State
	moved, err := regionReplaces(ctx, s.api, news.Region, olds.Region, olds.Arn)
	if err != nil {
		return infer.DiffResponse{}, err
	}
	d.compare("region", moved, p.UpdateReplace)
	// Check always settles the name, so a missing one is a name that depends
	// on a value still unknown in this preview: it may change.
	d.compare("name", news.Name == nil || *news.Name != olds.Name, p.UpdateReplace)
	// An unset namePrefix is no opinion, as in pulumi-aws (optional and
	// computed): an imported secret records the prefix its name shows.
	d.compare("namePrefix", news.NamePrefix != nil && *news.NamePrefix != olds.NamePrefix, p.UpdateReplace)
	// A cross-account replica takes its description and type from its
	// primary: Check refuses them in the program, and what AWS reports is
	// the primary's, not drift (until it is promoted).
	replica := olds.CrossAccountPrimaryArn != nil
	// A primary still unknown replaces the replica: it stays one too.
	staysReplica := staysCrossAccountReplica(olds, news) || (replica && unknownInput(ctx, "crossAccountPrimaryArn"))
	if replica {
		s.run.crossAccountReplicaSeen(olds.Arn, olds.Name)
	}
	d.compareCrossAccountPrimary(ctx, news.CrossAccountPrimaryArn, olds.CrossAccountPrimaryArn)
	d.compareOptional("description", !staysReplica && !equalPtr(news.Description, olds.Description),
		news.Description != nil, olds.Description != nil, p.Update)
	d.compareOptional("kmsKeyId", !equalPtr(news.KmsKeyId, olds.KmsKeyId), news.KmsKeyId != nil, olds.KmsKeyId != nil, p.Update)
	// An unset type is no opinion: no call turns a managed external secret
	// back into an ordinary one.
	d.compare("type", !staysReplica && news.Type != nil && *news.Type != aws.ToString(olds.Type), p.Update)
	// An unset policy means no opinion, as in pulumi-aws (optional and
	// computed): a SecretPolicy resource may be the one managing it.
	d.compareOptional("policy", news.Policy != nil && !policiesEquivalent(*news.Policy, olds.Policy),
		true, olds.Policy != "", p.Update)
	// So do unset replicas (optional and computed in pulumi-aws): a replica
	// added outside Pulumi stays. Check turns replicas the program stopped
	// setting into `[]`, which is the program's word for none.
	d.compareInputs("replicas", news.Replicas != nil && !replicasEquivalent(*news.Replicas, olds.Replicas), p.Update)
	d.compare("forceOverwriteReplicaSecret", aws.ToBool(news.ForceOverwriteReplicaSecret) != aws.ToBool(olds.ForceOverwriteReplicaSecret), p.Update)
	// AWS's own tags in a state recorded before smx ignored them are not the
	// program's to change (tags.go).
	// Nor are the tags the provider's ignoreTags names.
	settings := s.api.Tags(ctx)
	stateTags := liveTags(settings, olds.Tags)
	d.compareOptional("tags", !maps.Equal(news.Tags, stateTags), news.Tags != nil, len(stateTags) > 0, p.Update)
	// tagsAll changes with the tags, and alone when the provider's
	// defaultTags change. Unknown tags leave it unknown: tags shows that.
	// Only the keys the secret declared or declares are compared: the others
	// are not its own (tags.go).
	if news.TagsAll != nil {
		current := managedTags(liveTags(settings, olds.TagsAll), declaredTags(ctx, settings, olds), news.TagsAll)
		d.compareTagsAll(current, news.TagsAll)
	}
	// Unset and AWS's default are the same window (pulumi-aws records the 30).
	d.compare("recoveryWindowInDays", ptrOr(news.RecoveryWindowInDays, defaultRecoveryWindowInDays) != ptrOr(olds.RecoveryWindowInDays, defaultRecoveryWindowInDays), p.Update)
	d.compare("restoreIfScheduledForDeletion", aws.ToBool(news.RestoreIfScheduledForDeletion) != aws.ToBool(olds.RestoreIfScheduledForDeletion), p.Update)
	d.compare("generateSecretString", generationChanged(news.GenerateSecretString, olds.GenerateSecretString), p.Update)
	resp := d.response()
	// A replacement that keeps the name must delete first: AWS will not create
	// a second secret with the same name (in one region).
	resp.DeleteBeforeReplace = news.Name != nil && *news.Name == olds.Name && !moved
	return resp, nil
}

// Create creates the secret with one CreateSecret call (replicas included)
// and, when a policy is given, one PutResourcePolicy call. In a preview it
// makes one DescribeSecret call to report, before anything is changed, a
// name that the create would find taken: by a secret scheduled for deletion,
// or by a live secret that is not this resource's own. Tags that leave no
// room for the owner tag are reported before any call, in the preview too.
func (s *Secret) Create(ctx context.Context, req infer.CreateRequest[SecretArgs]) (infer.CreateResponse[SecretState], error) {
	args := req.Inputs
	args.TagsAll = tagsAllOf(s.api.Tags(ctx), args)
	if err := newSecretTagsFit(ctx, args.Tags, args.TagsAll); err != nil {
		return infer.CreateResponse[SecretState]{}, err
	}
	state := stateFromArgs(args)
	api, region, err := clientIn(ctx, s.api, aws.ToString(args.Region))
	if err != nil {
		return infer.CreateResponse[SecretState]{}, err
	}
	state.Region = region
	if req.DryRun {
		return infer.CreateResponse[SecretState]{Output: state}, s.previewName(ctx, api, region, args)
	}
	input := createSecretInput(ctx, state.Name, args)
	if args.GenerateSecretString != nil {
		value, err := generateValue(ctx, api, args.GenerateSecretString)
		if err != nil {
			return infer.CreateResponse[SecretState]{}, fmt.Errorf("creating secret %q: %w", state.Name, err)
		}
		// The SDK fills in one ClientRequestToken for the call and reuses it
		// on retries: a lost answer cannot make a second version.
		input.SecretString = &value
	}
	out, err := api.CreateSecret(ctx, input)
	switch {
	case err == nil:
		// CreateSecret's answer holds everything state needs: no
		// read-after-write, which also sidesteps AWS's eventual consistency.
		state.Arn = aws.ToString(out.ARN)
		state.Replicas = fromReplicationStatus(out.ReplicationStatus, args.replicas())
		if args.CrossAccountPrimaryArn != nil {
			s.run.crossAccountReplicaSeen(state.Arn, state.Name)
		}
	case isScheduledForDeletionConflict(err) || isAlreadyExists(err):
		state, err = s.resolveNameConflict(ctx, api, args, state, err)
		state.Region = region
		var partial partialUpdateError
		if errors.As(err, &partial) {
			partial.state.Region = region
			// The secret was restored or adopted: keep it in state, so the
			// next `pulumi up` finishes the job instead of orphaning it.
			return infer.CreateResponse[SecretState]{ID: partial.state.Arn, Output: partial.state},
				infer.ResourceInitFailedError{Reasons: []string{partial.Error()}}
		}
		if err != nil {
			return infer.CreateResponse[SecretState]{}, err
		}
	default:
		return infer.CreateResponse[SecretState]{}, fmt.Errorf("creating secret %q: %w", state.Name, err)
	}
	s.run.secretCreated(state.Arn, state.Name)
	// From here on the secret exists: a failure must leave it in state, so
	// the next `pulumi up` finishes the job instead of orphaning it.
	var unfinished []string
	if args.Policy != nil && !isNoPolicy(*args.Policy) {
		if err := putPolicy(ctx, api, s.timing, state.Arn, *args.Policy, nil); err != nil {
			state.Policy = ""
			unfinished = append(unfinished, fmt.Sprintf("attaching the resource policy: %v", err))
		}
	}
	if failed := failedReplicas(state.Replicas); failed != "" {
		unfinished = append(unfinished, "replication failed in "+failed)
	}
	if len(unfinished) > 0 {
		return infer.CreateResponse[SecretState]{ID: state.Arn, Output: state}, infer.ResourceInitFailedError{Reasons: unfinished}
	}
	return infer.CreateResponse[SecretState]{ID: state.Arn, Output: state}, nil
}

// createSecretInput creates the secret the program describes, replicas
// included, tagged with its owner.
func createSecretInput(ctx context.Context, name string, args SecretArgs) *sm.CreateSecretInput {
	return &sm.CreateSecretInput{
		Name:                        &name,
		Description:                 args.Description,
		KmsKeyId:                    args.KmsKeyId,
		Type:                        args.Type,
		CrossAccountPrimaryARN:      args.CrossAccountPrimaryArn,
		Tags:                        toAWSTags(withOwnerTag(ctx, args.TagsAll)),
		AddReplicaRegions:           toReplicaRegions(args.replicas()),
		ForceOverwriteReplicaSecret: aws.ToBool(args.ForceOverwriteReplicaSecret),
	}
}

// recoveryWindowOutput is the window a delete will use, as pulumi-aws
// outputs it: AWS's default when the program sets none.
func recoveryWindowOutput(days *int) *int {
	return aws.Int(ptrOr(days, defaultRecoveryWindowInDays))
}

func stateFromArgs(args SecretArgs) SecretState {
	return SecretState{
		Name:                          aws.ToString(args.Name),
		NamePrefix:                    aws.ToString(args.NamePrefix),
		Description:                   args.Description,
		KmsKeyId:                      args.KmsKeyId,
		Policy:                        policyOutput(aws.ToString(args.Policy)),
		RecoveryWindowInDays:          recoveryWindowOutput(args.RecoveryWindowInDays),
		ForceOverwriteReplicaSecret:   aws.Bool(aws.ToBool(args.ForceOverwriteReplicaSecret)),
		Replicas:                      args.replicas(),
		Tags:                          args.Tags,
		TagsAll:                       tagsOrEmpty(args.TagsAll),
		RestoreIfScheduledForDeletion: args.RestoreIfScheduledForDeletion,
		GenerateSecretString:          args.GenerateSecretString,
		Type:                          args.Type,
		CrossAccountPrimaryArn:        args.CrossAccountPrimaryArn,
	}
}

// Read refreshes the state from AWS with DescribeSecret, plus
// GetResourcePolicy where the program sets a policy. A secret that is gone
// or scheduled for deletion is reported gone, so `pulumi refresh` drops it
// and `pulumi up` creates it again. Description, KMS key, tags, policy and
// replicas changed out of band show as drift; so do the tags the secret
// declares, while a tag it never declared shows in tagsAll and is not drift
// (tags.go). On import (no prior state) the ID may be an ARN or a name.
func (s *Secret) Read(ctx context.Context, req infer.ReadRequest[SecretArgs, SecretState]) (infer.ReadResponse[SecretArgs, SecretState], error) {
	api, region, err := clientIn(ctx, s.api, req.State.Region, aws.ToString(req.Inputs.Region), regionInARN(req.ID))
	if err != nil {
		return infer.ReadResponse[SecretArgs, SecretState]{}, err
	}
	out, err := describeLiveSecret(ctx, api, req.ID)
	if errors.Is(err, errGone) {
		return infer.ReadResponse[SecretArgs, SecretState]{}, nil
	}
	if err != nil {
		return infer.ReadResponse[SecretArgs, SecretState]{}, fmt.Errorf("reading secret %q: %w", req.ID, err)
	}
	if owner := aws.ToString(out.OwningService); owner != "" && req.State.Arn == "" {
		p.GetLogger(ctx).Warningf("secret %q is managed by %s, which rejects changes made by anyone else", aws.ToString(out.Name), owner)
	}
	importing := req.State.Arn == ""
	state := req.State
	// The policy is read only where this resource manages it (or on import):
	// an unset policy is no opinion, and GetResourcePolicy spends the 50/s
	// quota that policy writes share.
	if importing || req.Inputs.Policy != nil {
		policy, err := api.GetResourcePolicy(ctx, &sm.GetResourcePolicyInput{SecretId: out.ARN})
		if errors.Is(mapGone(err), errGone) {
			return infer.ReadResponse[SecretArgs, SecretState]{}, nil
		}
		if err != nil {
			return infer.ReadResponse[SecretArgs, SecretState]{}, fmt.Errorf("reading the policy of secret %q: %w", req.ID, err)
		}
		state.Policy = aws.ToString(observedPolicy(&state.Policy, policy.ResourcePolicy))
	} else {
		state.Policy = ""
	}
	state.Arn = aws.ToString(out.ARN)
	state.Name = aws.ToString(out.Name)
	state.Region = region
	state.Description = observedOptional(state.Description, out.Description)
	state.KmsKeyId = observedKMSKey(state.KmsKeyId, out.KmsKeyId)
	state.Type = observedOptional(nil, out.Type)
	state.CrossAccountPrimaryArn = crossAccountPrimaryOf(out)
	if state.CrossAccountPrimaryArn != nil {
		s.run.crossAccountReplicaSeen(state.Arn, state.Name)
	}
	state.Replicas = fromReplicationStatus(out.ReplicationStatus, state.Replicas)
	settings := s.api.Tags(ctx)
	// Every tag the secret carries, whoever put it there (tags.go).
	state.TagsAll = liveTags(settings, fromAWSTags(out.Tags))
	programTags := req.Inputs.Tags
	if programTags == nil {
		programTags = req.State.Tags
	}
	if importing {
		// An import adopts every tag as the program's own, without the
		// default tags it leaves to the provider (as terraform-provider-aws
		// reads them).
		state.Tags = nilIfEmpty(settings.Own(state.TagsAll, programTags))
	} else {
		// The live values of the keys the program declares: a declared key
		// removed out of band is missing, which is drift; a key it never
		// declared is not its own.
		state.Tags = nilIfEmpty(ownTags(state.TagsAll, programTags))
	}
	// AWS does not report these settings; an import, or a state recorded
	// before smx output them, gets the values a delete and a new replica use.
	state.RecoveryWindowInDays = recoveryWindowOutput(state.RecoveryWindowInDays)
	state.ForceOverwriteReplicaSecret = aws.Bool(aws.ToBool(state.ForceOverwriteReplicaSecret))

	// The inputs keep what the program set, refreshed to what AWS holds; an
	// input the program left unset stays unset, so drift shows in the next
	// preview as drift instead of becoming the program's wish. On import
	// every observed value becomes an input, so the first preview after it
	// shows no change.
	inputs := req.Inputs
	refresh := func(input **string, observed *string) {
		if importing || *input != nil {
			*input = observed
		}
	}
	if importing || inputs.Name != nil || inputs.NamePrefix == nil {
		inputs.Name = &state.Name
	}
	if importing {
		// As terraform-provider-aws reads it (create.NamePrefixFromName). The
		// inputs hold the name and the prefix it shows, as smx records a name
		// it made from a prefix: a program may give either, or both.
		state.NamePrefix = namePrefixFromName(state.Name)
		if state.NamePrefix != "" {
			inputs.NamePrefix = &state.NamePrefix
		}
	}
	refresh(&inputs.Description, state.Description)
	refresh(&inputs.KmsKeyId, state.KmsKeyId)
	refresh(&inputs.Type, state.Type)
	refresh(&inputs.CrossAccountPrimaryArn, state.CrossAccountPrimaryArn)
	if state.CrossAccountPrimaryArn != nil {
		// A replica's description and type are its primary's: the program
		// `pulumi import` writes may not set them (Check).
		inputs.Description, inputs.Type = nil, nil
	}
	// A policy removed out of band reads as "": the program's opinion stays,
	// so the next refresh reads the policy again.
	if !importing || state.Policy != "" {
		refresh(&inputs.Policy, &state.Policy)
	}
	if importing || inputs.Replicas != nil {
		// `[]` stays `[]`: none is the program's word, not no opinion.
		replicas := replicaInputs(state.Replicas)
		inputs.Replicas = &replicas
		if importing && len(replicas) == 0 {
			inputs.Replicas = nil
		}
	}
	if importing || inputs.Tags != nil {
		inputs.Tags = state.Tags
	}
	// Check computes it from the program; an import's inputs, which become
	// the program `pulumi import` writes, must not set it. Otherwise the
	// recorded inputs keep the keys the secret declared (declaredTags), with
	// the values AWS holds.
	inputs.TagsAll = nil
	if !importing {
		declared := req.Inputs.TagsAll
		if declared == nil {
			declared = settings.All(programTags)
		}
		inputs.TagsAll = ownTags(state.TagsAll, declared)
	}
	if importing {
		inputs.Region = importedRegion(ctx, s.api, inputs.Region, region)
	}
	return infer.ReadResponse[SecretArgs, SecretState]{ID: state.Arn, Inputs: inputs, State: state}, nil
}

// Update applies in-place changes with as few calls as the change needs.
// Its preview makes no call, except one DescribeSecret when the program sets
// all 50 tags, to find out whether smx's owner tag leaves room for them.
func (s *Secret) Update(ctx context.Context, req infer.UpdateRequest[SecretArgs, SecretState]) (infer.UpdateResponse[SecretState], error) {
	// The secret stays where it is: a move to another region is a replacement.
	api, region, err := clientIn(ctx, s.api, req.State.Region, regionInARN(req.State.Arn), aws.ToString(req.Inputs.Region))
	if err != nil {
		return infer.UpdateResponse[SecretState]{}, err
	}
	settings := s.api.Tags(ctx)
	req.Inputs.TagsAll = tagsAllOf(settings, req.Inputs)
	declared := declaredTags(ctx, settings, req.State)
	if err := existingSecretTagsFit(ctx, api, req.State, req.Inputs.Tags, req.Inputs.TagsAll); err != nil {
		return infer.UpdateResponse[SecretState]{}, err
	}
	if req.DryRun {
		state := stateFromArgs(req.Inputs)
		// The name and its prefix only change by a replacement.
		state.Arn, state.Name, state.NamePrefix, state.Region = req.State.Arn, req.State.Name, req.State.NamePrefix, region
		if req.Inputs.Replicas == nil {
			state.Replicas = req.State.Replicas
		}
		staysReplica := staysCrossAccountReplica(req.State, req.Inputs)
		if req.Inputs.Type == nil || staysReplica {
			state.Type = req.State.Type
		}
		if staysReplica {
			state.Description = req.State.Description
		}
		state.TagsAll = tagsAllAfter(liveTags(settings, req.State.TagsAll), declared, req.Inputs.TagsAll)
		return infer.UpdateResponse[SecretState]{Output: state}, nil
	}
	olds := req.State
	olds.Region = region
	state, err := s.apply(ctx, api, olds, declared, req.Inputs)
	if err != nil {
		var partial partialUpdateError
		if errors.As(err, &partial) {
			return infer.UpdateResponse[SecretState]{Output: partial.state}, infer.ResourceInitFailedError{Reasons: []string{partial.Error()}}
		}
		return infer.UpdateResponse[SecretState]{}, err
	}
	return infer.UpdateResponse[SecretState]{Output: state}, nil
}

// apply brings the secret described by olds to the program's args: one
// UpdateSecret for description, KMS key and type together, one call each to add
// and remove tags, one to put or delete the policy, one each to remove and
// add replicas; nothing for settings that matter only at delete. Of the
// tags, only those the secret declared (declared, tags.go) or declares are
// changed.
func (s *Secret) apply(ctx context.Context, api API, olds SecretState, declared map[string]string, args SecretArgs) (SecretState, error) {
	state := olds
	// Settings used only at delete or when replicas are added.
	state.RecoveryWindowInDays = recoveryWindowOutput(args.RecoveryWindowInDays)
	state.ForceOverwriteReplicaSecret = aws.Bool(aws.ToBool(args.ForceOverwriteReplicaSecret))
	state.RestoreIfScheduledForDeletion = args.RestoreIfScheduledForDeletion
	changed := false // whether a call has changed the secret yet
	fail := func(what string, err error) (SecretState, error) {
		err = fmt.Errorf("%s of secret %q: %w", what, olds.Name, err)
		if !changed {
			return olds, err
		}
		return state, partialUpdateError{state: state, err: err}
	}

	if olds.CrossAccountPrimaryArn != nil && args.CrossAccountPrimaryArn == nil {
		// First, so that the standalone secret may then take a description.
		if err := promoteReplica(ctx, api, olds.Arn); err != nil {
			return fail("promoting the cross-account replica", err)
		}
		state.CrossAccountPrimaryArn = nil
		changed = true
	}
	stillReplica := staysCrossAccountReplica(olds, args)

	update := &sm.UpdateSecretInput{SecretId: &olds.Arn}
	needsUpdate := false
	if !stillReplica && !equalPtr(args.Description, olds.Description) {
		update.Description = aws.String(aws.ToString(args.Description))
		needsUpdate = true
	}
	if !equalPtr(args.KmsKeyId, olds.KmsKeyId) {
		// Removing the key means going back to the AWS managed key.
		update.KmsKeyId = aws.String(ptrOr(args.KmsKeyId, "alias/aws/secretsmanager"))
		needsUpdate = true
	}
	if !stillReplica && args.Type != nil && *args.Type != aws.ToString(olds.Type) {
		update.Type = args.Type
		needsUpdate = true
	}
	if needsUpdate {
		if _, err := api.UpdateSecret(ctx, update); err != nil {
			return fail("updating the description, KMS key and type", err)
		}
		state.KmsKeyId = args.KmsKeyId
		if !stillReplica {
			state.Description = args.Description
		}
		if !stillReplica && args.Type != nil {
			state.Type = args.Type
		}
		changed = true
	}

	settings := s.api.Tags(ctx)
	all := tagsOrEmpty(tagsAllOf(settings, args))
	live := liveTags(settings, olds.TagsAll)
	if managed := managedTags(live, declared, all); !maps.Equal(managed, all) {
		if err := syncTags(ctx, api, settings, olds.Arn, managed, all); err != nil {
			return fail("updating the tags", err)
		}
		changed = true
	}
	state.Tags, state.TagsAll = args.Tags, tagsAllAfter(live, declared, all)

	if args.Policy != nil && !policiesEquivalent(*args.Policy, olds.Policy) {
		if isNoPolicy(*args.Policy) {
			if _, err := api.DeleteResourcePolicy(ctx, &sm.DeleteResourcePolicyInput{SecretId: &olds.Arn}); err != nil {
				return fail("deleting the resource policy", err)
			}
		} else if err := putPolicy(ctx, api, s.timing, olds.Arn, *args.Policy, nil); err != nil {
			return fail("attaching the resource policy", err)
		}
		changed = true
	}
	state.Policy = policyOutput(aws.ToString(args.Policy))

	if args.GenerateSecretString != nil && generationChanged(args.GenerateSecretString, olds.GenerateSecretString) {
		value, err := generateValue(ctx, api, args.GenerateSecretString)
		if err != nil {
			return fail("generating a new value", err)
		}
		if _, err := api.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: &olds.Arn, SecretString: &value}); err != nil {
			return fail("storing a new generated value", err)
		}
		changed = true
	}
	state.GenerateSecretString = args.GenerateSecretString

	if args.Replicas == nil {
		// Unset replicas are no opinion: the secret keeps the ones it has.
		return state, nil
	}
	remove, add := replicaChanges(olds.Replicas, *args.Replicas)
	if len(remove) > 0 {
		out, err := api.RemoveRegionsFromReplication(ctx, &sm.RemoveRegionsFromReplicationInput{SecretId: &olds.Arn, RemoveReplicaRegions: remove})
		if err != nil {
			return fail("removing replicas", err)
		}
		state.Replicas = fromReplicationStatus(out.ReplicationStatus, args.replicas())
		changed = true
	}
	if len(add) > 0 {
		out, err := api.ReplicateSecretToRegions(ctx, &sm.ReplicateSecretToRegionsInput{
			SecretId: &olds.Arn, AddReplicaRegions: add,
			ForceOverwriteReplicaSecret: aws.ToBool(args.ForceOverwriteReplicaSecret),
		})
		if err != nil {
			return fail("adding replicas", err)
		}
		state.Replicas = fromReplicationStatus(out.ReplicationStatus, args.replicas())
		changed = true
	}
	if failed := failedReplicas(state.Replicas); failed != "" {
		return fail("replicating", errors.New("replication failed in "+failed))
	}
	return state, nil
}

// Delete removes the secret's replicas (AWS refuses to delete a replicated
// secret) and promotes a cross-account replica (AWS refuses to delete one
// still linked to its primary), then schedules deletion with the recovery window from state, or
// deletes at once when the window is 0. A secret already gone is fine.
func (s *Secret) Delete(ctx context.Context, req infer.DeleteRequest[SecretState]) (infer.DeleteResponse, error) {
	api, region, err := clientIn(ctx, s.api, req.State.Region, regionInARN(req.ID))
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	// Only the one Delete that follows a handover is skipped: the engine
	// deletes the replaced resource once.
	if _, adopted := s.adoptedHere.LoadAndDelete(req.ID); adopted {
		p.GetLogger(ctx).Infof("secret %q now belongs to the resource that replaced this one: not deleted", req.State.Name)
		return infer.DeleteResponse{}, nil
	}
	input := &sm.DeleteSecretInput{SecretId: &req.ID}
	if days := ptrOr(req.State.RecoveryWindowInDays, defaultRecoveryWindowInDays); days == 0 {
		input.ForceDeleteWithoutRecovery = aws.Bool(true)
	} else {
		input.RecoveryWindowInDays = aws.Int64(int64(days))
	}
	if len(req.State.Replicas) > 0 {
		if err := removeAllReplicas(ctx, api, req.ID, replicaRegions(req.State.Replicas)); err != nil {
			return infer.DeleteResponse{}, fmt.Errorf("deleting secret %q: %w", req.State.Name, err)
		}
	}
	if req.State.CrossAccountPrimaryArn != nil {
		// AWS deletes no cross-account replica before it is promoted.
		if err := promoteReplica(ctx, api, req.ID); err != nil && !isGone(err) {
			return infer.DeleteResponse{}, fmt.Errorf("deleting secret %q: promoting the cross-account replica first: %w", req.State.Name, err)
		}
	}
	_, err = api.DeleteSecret(ctx, input)
	if isReplicatedRefusal(err) {
		// Replicas added outside Pulumi, or a cross-account link that the
		// state does not know of: undo them, then retry.
		if current, derr := describeLiveSecret(ctx, api, req.ID); derr == nil {
			if uerr := s.unlinkForDelete(ctx, api, current); uerr != nil {
				return infer.DeleteResponse{}, fmt.Errorf("deleting secret %q: %w", req.State.Name, uerr)
			}
			_, err = api.DeleteSecret(ctx, input)
		}
	}
	if err != nil && !isGone(err) {
		return infer.DeleteResponse{}, fmt.Errorf("deleting secret %q: %w", req.State.Name, err)
	}
	s.deletedHere.Store(regionalName(region, req.State.Name), struct{}{})
	return infer.DeleteResponse{}, nil
}

// partialUpdateError is an update that failed after changing some things:
// state records what was changed, so nothing is applied twice or lost.
type partialUpdateError struct {
	state SecretState
	err   error
}

func (e partialUpdateError) Error() string { return e.err.Error() }

func (e partialUpdateError) Unwrap() error { return e.err }
