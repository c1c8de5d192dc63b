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

//go:embed docs/cross_account_replication.md
var crossAccountReplicationDocs string

// CrossAccountReplication is the primary's side of a cross-account
// replication (aws-sdk-go-v2 service/secretsmanager v1.51.0): it associates a
// secret of this provider's account with its replica in another account,
// which that account's Secret created with crossAccountPrimaryArn
// (cross_account.go). pulumi-aws has no such resource.
type CrossAccountReplication struct {
	api    ClientSource
	timing Timing
	// primaries holds which resource of this run associates each primary
	// secret (by ARN): AWS allows one cross-account replica per primary.
	primaries stageClaims
}

// CrossAccountReplicationArgs are the inputs, named after
// AssociateCrossAccountReplica's parameters.
type CrossAccountReplicationArgs struct {
	SecretId               string  `pulumi:"secretId"` //nolint:revive // as pulumi-aws names secret IDs
	CrossAccountReplicaArn string  `pulumi:"crossAccountReplicaArn"`
	ReplicaRestriction     *string `pulumi:"replicaRestriction,optional"`
	ReplicationRoleArn     *string `pulumi:"replicationRoleArn,optional"`
	Region                 *string `pulumi:"region,optional"`
}

// CrossAccountReplicationState is what smx records: the inputs, the region,
// and the replication's status as Secrets Manager last reported it.
type CrossAccountReplicationState struct {
	CrossAccountReplicationArgs
	Region            string  `pulumi:"region"`
	ReplicationStatus string  `pulumi:"replicationStatus"`
	StatusMessage     *string `pulumi:"statusMessage,optional"`
}

func (r *CrossAccountReplication) Annotate(a infer.Annotator) {
	a.Describe(r, crossAccountReplicationDocs)
}

func (a *CrossAccountReplicationArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.SecretId, "ARN (or name) of the primary secret, in this provider's account. Changing it replaces the replication.")
	an.Describe(&a.CrossAccountReplicaArn, "ARN of the replica secret in the other account: a Secret created there "+
		"with `crossAccountPrimaryArn` set to this primary's ARN, in the same region. Changing it replaces the replication.")
	an.Describe(&a.ReplicaRestriction, "`SameOrg` (the replica's account must be in the primary's AWS Organization; "+
		"AWS's default) or `NoRestriction`. Updated in place, by associating again.")
	an.Describe(&a.ReplicationRoleArn, "IAM role in the primary's account that Secrets Manager assumes to replicate; "+
		"when unset, it replicates with the credentials of whoever updates the primary. Updated in place, by associating again.")
	an.Describe(&a.Region, regionInputDescription)
}

func (s *CrossAccountReplicationState) Annotate(an infer.Annotator) {
	an.Describe(&s.Region, regionOutputDescription)
	an.Describe(&s.ReplicationStatus, "`InSync`, `InProgress`, `Failed` or `Detached`, as Secrets Manager last "+
		"reported it. A refresh that finds `Failed` or `Detached` makes the next `pulumi up` associate again, which "+
		"AWS documents as the way to repair a replication.")
	an.Describe(&s.StatusMessage, "Why the replication is not in sync, when Secrets Manager says.")
}

var (
	_ infer.CustomCheck[CrossAccountReplicationArgs]                                = (*CrossAccountReplication)(nil)
	_ infer.CustomDiff[CrossAccountReplicationArgs, CrossAccountReplicationState]   = (*CrossAccountReplication)(nil)
	_ infer.CustomRead[CrossAccountReplicationArgs, CrossAccountReplicationState]   = (*CrossAccountReplication)(nil)
	_ infer.CustomUpdate[CrossAccountReplicationArgs, CrossAccountReplicationState] = (*CrossAccountReplication)(nil)
	_ infer.CustomDelete[CrossAccountReplicationState]                              = (*CrossAccountReplication)(nil)
)

// Check validates the association with AssociateCrossAccountReplica's rules,
// before any API call: the replica in the primary's region and partition
// and in another account, a known restriction, a role's ARN.
func (r *CrossAccountReplication) Check(ctx context.Context, req infer.CheckRequest) (infer.CheckResponse[CrossAccountReplicationArgs], error) {
	args, failures, err := infer.DefaultCheck[CrossAccountReplicationArgs](ctx, req.NewInputs)
	if err != nil || len(failures) > 0 {
		return infer.CheckResponse[CrossAccountReplicationArgs]{Inputs: args, Failures: failures}, err
	}
	c := checks{inputs: req.NewInputs}
	if c.known("secretId") {
		c.check("secretId", validSecretID(args.SecretId))
	}
	if c.known("region") {
		c.check("region", validRegion(*args.Region))
	}
	region := regionInCheck(ctx, r.api, &c, args.Region)
	if c.known("crossAccountReplicaArn") {
		c.check("crossAccountReplicaArn", validCrossAccountPeer(args.CrossAccountReplicaArn, region, "the primary's"))
		if primaryAccount := accountInARN(args.SecretId); c.known("secretId") && primaryAccount != "" &&
			primaryAccount == accountInARN(args.CrossAccountReplicaArn) {
			c.fail("crossAccountReplicaArn", "is in the primary's own account %s: a cross-account replica lives in "+
				"another account (for a replica in another region, use the primary Secret's replicas)", primaryAccount)
		}
	}
	if c.known("secretId") && secretNameFromARN(args.SecretId) != "" && len(c.failures) == 0 {
		// Judged by ARN only: a name means another secret in each account.
		if _, other := r.primaries.claim(urnIn(ctx), args.SecretId, []string{"replica"}); other != "" {
			c.fail("secretId", "is also associated by %s: a primary secret has at most one cross-account replica",
				other.Name())
		}
	}
	if c.known("replicaRestriction") {
		c.check("replicaRestriction", validReplicaRestriction(*args.ReplicaRestriction))
	}
	if c.known("replicationRoleArn") {
		c.check("replicationRoleArn", validRoleARN(*args.ReplicationRoleArn))
	}
	return infer.CheckResponse[CrossAccountReplicationArgs]{Inputs: args, Failures: c.failures}, nil
}

// Diff makes no API call: another primary, replica or region replaces the
// replication; a new restriction or role, or a replication that a refresh
// found Failed or Detached, associates again.
func (r *CrossAccountReplication) Diff(ctx context.Context, req infer.DiffRequest[CrossAccountReplicationArgs, CrossAccountReplicationState]) (infer.DiffResponse, error) {
	d := differ{}
	news, olds := req.Inputs, req.State
	moved, err := regionReplaces(ctx, r.api, news.Region, olds.Region, olds.SecretId)
	if err != nil {
		return infer.DiffResponse{}, err
	}
	d.compare("region", moved, p.UpdateReplace)
	// An empty ID is one still unknown in this preview.
	d.compare("secretId", news.SecretId == "" || !sameSecretID(news.SecretId, olds.SecretId), p.UpdateReplace)
	d.compare("crossAccountReplicaArn", news.CrossAccountReplicaArn == "" || news.CrossAccountReplicaArn != olds.CrossAccountReplicaArn, p.UpdateReplace)
	d.compareOptional("replicaRestriction", !equalPtr(news.ReplicaRestriction, olds.ReplicaRestriction),
		news.ReplicaRestriction != nil, olds.ReplicaRestriction != nil, p.Update)
	d.compareOptional("replicationRoleArn", !equalPtr(news.ReplicationRoleArn, olds.ReplicationRoleArn),
		news.ReplicationRoleArn != nil, olds.ReplicationRoleArn != nil, p.Update)
	d.compare("replicationStatus", needsRepair(olds.ReplicationStatus), p.Update)
	return d.response(), nil
}

// needsRepair tells a status that associating again is documented to
// repair. (An empty status is a state recorded in a preview.)
func needsRepair(status string) bool {
	return status == string(smtypes.StatusTypeFailed) || status == string(smtypes.StatusTypeDetached)
}

// Create associates the replica with one AssociateCrossAccountReplica call,
// retried while AWS does not yet see a replica created a moment ago. Its
// preview makes no call.
func (r *CrossAccountReplication) Create(ctx context.Context, req infer.CreateRequest[CrossAccountReplicationArgs]) (infer.CreateResponse[CrossAccountReplicationState], error) {
	api, region, err := clientIn(ctx, r.api, aws.ToString(req.Inputs.Region))
	if err != nil {
		return infer.CreateResponse[CrossAccountReplicationState]{}, err
	}
	state := CrossAccountReplicationState{CrossAccountReplicationArgs: req.Inputs, Region: region}
	id := crossAccountReplicationID(state.SecretId, state.CrossAccountReplicaArn)
	if req.DryRun {
		return infer.CreateResponse[CrossAccountReplicationState]{ID: id, Output: state}, nil
	}
	if err := r.associate(ctx, api, &state); err != nil {
		return infer.CreateResponse[CrossAccountReplicationState]{}, err
	}
	return infer.CreateResponse[CrossAccountReplicationState]{ID: id, Output: state}, nil
}

// associate calls AssociateCrossAccountReplica and records the status it
// answers. AWS documents the call as idempotent, and as the repair of a
// failed replication.
func (r *CrossAccountReplication) associate(ctx context.Context, api API, state *CrossAccountReplicationState) error {
	input := &sm.AssociateCrossAccountReplicaInput{
		SecretId:               &state.SecretId,
		CrossAccountReplicaARN: &state.CrossAccountReplicaArn,
		ReplicationRoleARN:     state.ReplicationRoleArn,
	}
	if state.ReplicaRestriction != nil {
		input.ReplicaRestriction = smtypes.ReplicaRestrictionType(*state.ReplicaRestriction)
	}
	var out *sm.AssociateCrossAccountReplicaOutput
	err := r.timing.retryWhilePropagating(ctx, func() error {
		var err error
		out, err = api.AssociateCrossAccountReplica(ctx, input)
		return err
	})
	if err != nil {
		return crossAccountError("associating", state.SecretId, state.CrossAccountReplicaArn, err)
	}
	state.ReplicationStatus, state.StatusMessage = string(out.ReplicationStatus), nil
	return nil
}

// Read finds the replica among the primary's cross-account replicas with one
// DescribeSecret. A primary gone or scheduled for deletion, or a replica no
// longer associated, is the replication gone: `pulumi refresh` drops it and
// `pulumi up` associates again. On import the ID is
// `<primary secret ARN or name>,<replica ARN>`.
func (r *CrossAccountReplication) Read(ctx context.Context, req infer.ReadRequest[CrossAccountReplicationArgs, CrossAccountReplicationState]) (infer.ReadResponse[CrossAccountReplicationArgs, CrossAccountReplicationState], error) {
	type response = infer.ReadResponse[CrossAccountReplicationArgs, CrossAccountReplicationState]
	importing := req.State.SecretId == ""
	state := req.State
	if importing {
		secretID, replicaARN, err := parseCrossAccountReplicationID(req.ID)
		if err != nil {
			return response{}, err
		}
		state.SecretId, state.CrossAccountReplicaArn = secretID, replicaARN
	}
	api, region, err := clientIn(ctx, r.api, req.State.Region, aws.ToString(req.Inputs.Region), regionInARN(state.SecretId))
	if err != nil {
		return response{}, err
	}
	out, err := describeLiveSecret(ctx, api, state.SecretId)
	if errors.Is(err, errGone) {
		return response{}, nil
	}
	if err != nil {
		return response{}, crossAccountError("reading", state.SecretId, state.CrossAccountReplicaArn, err)
	}
	var entry *smtypes.CrossAccountReplicaEntry
	for i := range out.CrossAccountReplicas {
		if aws.ToString(out.CrossAccountReplicas[i].ReplicaSecretARN) == state.CrossAccountReplicaArn {
			entry = &out.CrossAccountReplicas[i]
		}
	}
	if entry == nil {
		return response{}, nil
	}
	state.Region = region
	state.ReplicationStatus, state.StatusMessage = string(entry.ReplicationStatus), entry.StatusMessage
	state.ReplicationRoleArn = observedOptional(state.ReplicationRoleArn, entry.ReplicationRoleARN)
	inputs := req.Inputs
	inputs.SecretId, inputs.CrossAccountReplicaArn = state.SecretId, state.CrossAccountReplicaArn
	if importing || inputs.ReplicationRoleArn != nil {
		inputs.ReplicationRoleArn = state.ReplicationRoleArn
	}
	if importing {
		inputs.Region = importedRegion(ctx, r.api, inputs.Region, region)
	}
	// DescribeSecret does not report the restriction: the recorded one stays.
	return response{ID: crossAccountReplicationID(state.SecretId, state.CrossAccountReplicaArn), Inputs: inputs, State: state}, nil
}

// Update associates again with the new restriction or role, or to repair a
// replication found Failed or Detached: one AssociateCrossAccountReplica call.
func (r *CrossAccountReplication) Update(ctx context.Context, req infer.UpdateRequest[CrossAccountReplicationArgs, CrossAccountReplicationState]) (infer.UpdateResponse[CrossAccountReplicationState], error) {
	// The replication stays where it is: a move to another region is a replacement.
	api, region, err := clientIn(ctx, r.api, req.State.Region, regionInARN(req.State.SecretId), aws.ToString(req.Inputs.Region))
	if err != nil {
		return infer.UpdateResponse[CrossAccountReplicationState]{}, err
	}
	state := CrossAccountReplicationState{CrossAccountReplicationArgs: req.Inputs, Region: region,
		ReplicationStatus: req.State.ReplicationStatus, StatusMessage: req.State.StatusMessage}
	if req.DryRun {
		return infer.UpdateResponse[CrossAccountReplicationState]{Output: state}, nil
	}
	if err := r.associate(ctx, api, &state); err != nil {
		return infer.UpdateResponse[CrossAccountReplicationState]{}, err
	}
	return infer.UpdateResponse[CrossAccountReplicationState]{Output: state}, nil
}

// Delete disassociates the replica with one DisassociateCrossAccountReplica
// call: it stays in its account, Detached, with its value, until its own
// Secret promotes or deletes it. A primary or an association already gone is
// fine.
func (r *CrossAccountReplication) Delete(ctx context.Context, req infer.DeleteRequest[CrossAccountReplicationState]) (infer.DeleteResponse, error) {
	secretID, replicaARN := req.State.SecretId, req.State.CrossAccountReplicaArn
	if secretID == "" || replicaARN == "" {
		var err error
		if secretID, replicaARN, err = parseCrossAccountReplicationID(req.ID); err != nil {
			return infer.DeleteResponse{}, err
		}
	}
	api, _, err := clientIn(ctx, r.api, req.State.Region, regionInARN(secretID))
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	_, err = api.DisassociateCrossAccountReplica(ctx, &sm.DisassociateCrossAccountReplicaInput{
		SecretId: &secretID, CrossAccountReplicaARN: &replicaARN,
	})
	if err != nil && !isGone(err) {
		return infer.DeleteResponse{}, crossAccountError("disassociating", secretID, replicaARN, err)
	}
	return infer.DeleteResponse{}, nil
}

// crossAccountError says which replication a call failed on.
func crossAccountError(doing, secretID, replicaARN string, err error) error {
	return fmt.Errorf("%s the cross-account replica %s of secret %q: %w", doing, replicaARN, secretID, err)
}
