package secretsmanager

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// When the name a Secret is created with is taken. AWS keeps a deleted
// secret's name through its recovery window, and a create whose answer was
// lost (a network fault, a crash) leaves a live secret behind: what holds the
// name decides whether smx gives way, restores, adopts or explains.

// previewName reports, at preview, a name the create would find taken, as
// `pulumi up` would report it: by a secret scheduled for deletion (unless
// the program restores it, or this run deleted it, replacing it), or by a
// live secret that is not this resource's own. Errors of the look-up itself
// (for example a role without DescribeSecret) do not fail the preview.
func (s *Secret) previewName(ctx context.Context, api API, region string, args SecretArgs) error {
	if args.Name == nil {
		return nil
	}
	out, err := api.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: args.Name})
	switch {
	case err != nil || aws.ToString(out.Name) != *args.Name:
		return nil
	case out.DeletedDate != nil:
		if aws.ToBool(args.RestoreIfScheduledForDeletion) || s.deletedByThisRun(region, *args.Name) {
			return nil
		}
		return scheduledForDeletionError(*args.Name, out.DeletedDate)
	case s.ownSecret(ctx, out, args):
		return nil
	}
	return previewNameTakenError(*args.Name)
}

// ownSecret reports whether a live secret holding the name this resource
// creates is the resource's own, which `pulumi up` gives way to: one smx
// created for it (its owner tag names the resource: a create whose answer
// was lost, or the secret `pulumi up --replace` hands over), or the secret
// the resource's recorded inputs name, which a replacement that keeps the
// name deletes before it creates. A secret smx did not create (imported, or
// from pulumi-aws) that a targeted replacement (`pulumi up --replace`)
// replaces is not recognised: the engine then checks the resource without
// its recorded inputs, and nothing else in a preview tells it from someone
// else's secret.
func (s *Secret) ownSecret(ctx context.Context, live *sm.DescribeSecretOutput, args SecretArgs) bool {
	if owner := ownerTagValue(ctx); owner != "" && fromAWSTags(live.Tags)[ownerTagKey] == owner {
		return true
	}
	value, ok := s.recordedHere.Load(urnIn(ctx))
	if !ok {
		return false
	}
	recorded := value.(recordedName)
	// Names are unique per region only: the same name after a move to
	// another region is another secret. (A region input equal to the
	// provider's region is no move: pulumi-aws v7 records it.)
	recordedRegion, err := regionFrom(ctx, s.api, recorded.region)
	if err != nil {
		return false
	}
	region, err := regionFrom(ctx, s.api, aws.ToString(args.Region))
	return err == nil && recorded.name == *args.Name && recordedRegion == region
}

// recordedName is a Secret's name in the inputs the stack records for it,
// with its region input ("" for the provider's region).
type recordedName struct{ name, region string }

// rememberRecordedName keeps the name of a resource the stack already holds,
// from the recorded inputs the engine hands Check (none for a new resource).
func (s *Secret) rememberRecordedName(ctx context.Context, recordedInputs property.Map) {
	name, ok := recordedInputs.GetOk("name")
	if urnIn(ctx) == "" || !ok || !name.IsString() {
		return
	}
	region := ""
	if r, ok := recordedInputs.GetOk("region"); ok && r.IsString() {
		region = r.AsString()
	}
	s.recordedHere.Store(urnIn(ctx), recordedName{name: name.AsString(), region: region})
}

// resolveNameConflict handles CreateSecret's answer that the name is taken.
// What holds the name decides (AWS and moto word the answer differently, so
// one DescribeSecret looks): a secret this run just deleted, in a
// delete-before-replace, gives way to its replacement; one scheduled for
// deletion by an earlier run is restored and adopted only on request; a live
// one is adopted only if smx created it for this very resource.
func (s *Secret) resolveNameConflict(ctx context.Context, api API, args SecretArgs, state SecretState, createErr error) (SecretState, error) {
	existing, err := api.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &state.Name})
	switch {
	case err != nil:
		return state, fmt.Errorf("creating secret %q: the name is taken (%w), and finding out by what failed: %w",
			state.Name, createErr, err)
	case existing.DeletedDate != nil && s.deletedByThisRun(state.Region, state.Name):
		return s.createAfterReplacedDelete(ctx, api, args, state)
	case existing.DeletedDate != nil:
		return s.createOverScheduledDeletion(ctx, api, args, state, existing.DeletedDate)
	default:
		return s.adoptOwnSecret(ctx, api, args, state, existing, createErr)
	}
}

func (s *Secret) deletedByThisRun(region, name string) bool {
	_, ok := s.deletedHere.Load(regionalName(region, name))
	return ok
}

// regionalName keys deletedHere: names are unique per region only, so a
// secret this run deleted in one region says nothing of another region's.
func regionalName(region, name string) string { return region + "/" + name }

// createOverScheduledDeletion handles CreateSecret's answer that the name is
// held by a secret scheduled for deletion by an earlier run: with
// restoreIfScheduledForDeletion that secret is restored and adopted;
// otherwise the error says how to proceed.
func (s *Secret) createOverScheduledDeletion(ctx context.Context, api API, args SecretArgs, state SecretState, deletedDate *time.Time) (SecretState, error) {
	if !aws.ToBool(args.RestoreIfScheduledForDeletion) {
		return state, scheduledForDeletionError(state.Name, deletedDate)
	}
	if _, err := api.RestoreSecret(ctx, &sm.RestoreSecretInput{SecretId: &state.Name}); err != nil {
		return state, fmt.Errorf("restoring secret %q, which was scheduled for deletion: %w", state.Name, err)
	}
	p.GetLogger(ctx).Infof("secret %q was scheduled for deletion: restored and adopted", state.Name)
	current, err := describeLiveSecret(ctx, api, state.Name)
	if err != nil {
		return state, fmt.Errorf("reading restored secret %q: %w", state.Name, err)
	}
	state.Arn = aws.ToString(current.ARN)
	adopted := SecretState{
		Arn: state.Arn, Name: state.Name,
		Description: current.Description, KmsKeyId: current.KmsKeyId,
		TagsAll:  userTags(fromAWSTags(current.Tags)),
		Replicas: fromReplicationStatus(current.ReplicationStatus, nil),
	}
	adopted.Tags = nilIfEmpty(adopted.TagsAll)
	// Bring the restored secret to what the program says. Create attaches
	// the program's policy; a policy the old secret had goes. The restored
	// secret keeps its values: nothing is generated.
	adopted.Policy = aws.ToString(args.Policy)
	adopted.GenerateSecretString = args.GenerateSecretString
	if args.Policy == nil || isNoPolicy(*args.Policy) {
		if _, err := api.DeleteResourcePolicy(ctx, &sm.DeleteResourcePolicyInput{SecretId: &adopted.Arn}); err != nil {
			return adopted, partialUpdateError{state: adopted, err: fmt.Errorf("removing the restored secret's policy: %w", err)}
		}
	}
	// Every tag of a secret it adopts is this resource's to bring in line.
	return s.apply(ctx, api, adopted, adopted.TagsAll, args)
}

// createAfterReplacedDelete creates the replacement of a secret that this
// run deleted a moment ago under the same name (delete-before-replace). The
// recovery window would keep the name for days, so the old secret — being
// replaced, not kept — is deleted for good, and the create is retried while
// AWS finishes that deletion, which it does asynchronously.
func (s *Secret) createAfterReplacedDelete(ctx context.Context, api API, args SecretArgs, state SecretState) (SecretState, error) {
	_, err := api.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: &state.Name, ForceDeleteWithoutRecovery: aws.Bool(true)})
	if err != nil && !isGone(err) {
		return state, fmt.Errorf("replacing secret %q: deleting the old secret for good: %w", state.Name, err)
	}
	nameStillTaken := func(err error) bool { return isScheduledForDeletionConflict(err) || isAlreadyExists(err) }
	var out *sm.CreateSecretOutput
	nameFreed := newBackoff(s.timing.PropagationWindow, 500*time.Millisecond, 5*time.Second)
	err = retryWhile(ctx, nameFreed, nameStillTaken, func() (err error) {
		out, err = api.CreateSecret(ctx, createSecretInput(ctx, state.Name, args))
		return err
	})
	if err != nil {
		return state, fmt.Errorf("replacing secret %q: creating the new secret: %w", state.Name, err)
	}
	s.deletedHere.Delete(regionalName(state.Region, state.Name))
	state.Arn = aws.ToString(out.ARN)
	state.Replicas = fromReplicationStatus(out.ReplicationStatus, args.replicas())
	return state, nil
}

// adoptOwnSecret handles CreateSecret's answer that a live secret already
// has the name. If smx created that secret for this very resource (its owner
// tag names the resource), it is this resource's own: created by an attempt
// whose answer was lost — a network fault the SDK retried, or a crash before
// the state was saved — or the secret that `pulumi up --replace` is
// replacing (the engine creates before it deletes). It is adopted and brought
// to the program's settings, so nothing is lost or orphaned; the engine's
// Delete of the replaced resource then leaves it alone. Any other secret is
// never touched: the error says how to import it.
func (s *Secret) adoptOwnSecret(ctx context.Context, api API, args SecretArgs, state SecretState, existing *sm.DescribeSecretOutput, createErr error) (SecretState, error) {
	owner := ownerTagValue(ctx)
	if owner == "" || aws.ToString(existing.Name) != state.Name || fromAWSTags(existing.Tags)[ownerTagKey] != owner {
		return state, fmt.Errorf("creating secret %q: %s: %w", state.Name, nameTakenAdvice(state.Name), createErr)
	}
	p.GetLogger(ctx).Infof("secret %q already exists and was created by smx for this resource: adopting it", state.Name)
	s.adoptedHere.Store(aws.ToString(existing.ARN), struct{}{})
	adopted := SecretState{
		Arn: aws.ToString(existing.ARN), Name: state.Name,
		Description: existing.Description, KmsKeyId: existing.KmsKeyId,
		TagsAll:  userTags(fromAWSTags(existing.Tags)),
		Replicas: fromReplicationStatus(existing.ReplicationStatus, args.replicas()),
	}
	adopted.Tags = nilIfEmpty(adopted.TagsAll)
	// Create attaches the program's policy; apply brings the rest in line.
	// The adopted secret keeps its value: nothing is generated.
	adopted.Policy = aws.ToString(args.Policy)
	adopted.GenerateSecretString = args.GenerateSecretString
	if args.Policy != nil && isNoPolicy(*args.Policy) {
		// Create attaches nothing for `{}`: a policy the secret holds goes.
		if _, err := api.DeleteResourcePolicy(ctx, &sm.DeleteResourcePolicyInput{SecretId: &adopted.Arn}); err != nil {
			return adopted, partialUpdateError{state: adopted, err: fmt.Errorf("removing the adopted secret's policy: %w", err)}
		}
	}
	// Every tag of a secret it adopts is this resource's to bring in line.
	return s.apply(ctx, api, adopted, adopted.TagsAll, args)
}
