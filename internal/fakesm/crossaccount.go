package fakesm

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Cross-account replication (aws-sdk-go-v2 service/secretsmanager v1.51.0),
// as the API reference describes it:
//   - the replica account creates the replica with CreateSecret and
//     CrossAccountPrimaryARN: same region and partition as the primary, a
//     customer managed KMS key, and no value, description, replica regions or
//     Type. Secrets Manager attaches its own `cross-account-replication`
//     resource policy to it;
//   - the primary account calls AssociateCrossAccountReplica, which starts
//     replication (idempotent: called again, it repairs a failed one). A
//     primary has at most one cross-account replica;
//   - DisassociateCrossAccountReplica, on the primary, unlinks it: the replica
//     stays, Detached. A primary is not deleted while a replica is associated;
//   - StopReplicationToReplica, on the replica, promotes it to a standalone
//     secret (and removes the service policy); the primary sees Detached. A
//     replica is not deleted before it is promoted.
// The replica account is another fake of the same Cloud, reached under the
// lock every fake of a Cloud shares.

// Cross-account operations, as counted by Calls and targeted by FailNext.
const (
	OpAssociateCrossAccountReplica    = "AssociateCrossAccountReplica"
	OpDisassociateCrossAccountReplica = "DisassociateCrossAccountReplica"
	OpStopReplicationToReplica        = "StopReplicationToReplica"
)

// CrossAccountReplicationPolicyName is the resource policy Secrets Manager
// manages itself on a cross-account replica; only DefaultPolicyName is a
// user's to put or delete.
const CrossAccountReplicationPolicyName = "cross-account-replication"

// crossAccountLink is one end's view of a cross-account replication.
type crossAccountLink struct {
	peerARN  string // the other end: the replica's ARN on a primary, the primary's on a replica
	roleARN  string // ReplicationRoleARN, on the primary's side
	status   types.StatusType
	message  string
	accepted bool // on a replica: a primary has associated it
}

// validateCrossAccountReplica judges a CreateSecret that makes a
// cross-account replica: the rules of CreateSecret's API reference.
func (f *Fake) validateCrossAccountReplica(in *sm.CreateSecretInput) error {
	primary := aws.ToString(in.CrossAccountPrimaryARN)
	account, region, ok := accountAndRegion(primary)
	switch {
	case !ok:
		return invalidParameter("CrossAccountPrimaryARN must be the ARN of a secret.")
	case !strings.HasPrefix(primary, "arn:aws:"):
		return invalidParameter("The primary secret must be in the same partition as the replica.")
	case region != f.region:
		return invalidParameter("The primary secret must be in the same Region as the replica (%s), not %s.", f.region, region)
	case account == f.account:
		return invalidParameter("The primary secret must be in a different AWS account.")
	case in.SecretString != nil || in.SecretBinary != nil || in.Description != nil || len(in.AddReplicaRegions) > 0 || in.Type != nil:
		return invalidParameter("A cross-account replica can't include AddReplicaRegions, Description, SecretBinary, " +
			"SecretString, or Type: they come from the primary secret.")
	case in.KmsKeyId == nil || normalizeKMSKey(*in.KmsKeyId) == "":
		return invalidParameter("A cross-account replica must be encrypted with a customer managed KMS key, not aws/secretsmanager.")
	}
	return nil
}

// AssociateCrossAccountReplica links the primary to its replica in another
// account and replicates the primary's versions to it.
func (f *Fake) AssociateCrossAccountReplica(ctx context.Context, in *sm.AssociateCrossAccountReplicaInput, _ ...func(*sm.Options)) (*sm.AssociateCrossAccountReplicaOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	primary, err := f.beginOnLive(ctx, OpAssociateCrossAccountReplica, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	replicaARN := aws.ToString(in.CrossAccountReplicaARN)
	switch in.ReplicaRestriction {
	case "", types.ReplicaRestrictionTypeSameOrg, types.ReplicaRestrictionTypeNoRestriction:
	default:
		return nil, invalidParameter("ReplicaRestriction must be SameOrg or NoRestriction.")
	}
	account, region, ok := accountAndRegion(replicaARN)
	switch {
	case !ok:
		return nil, invalidParameter("CrossAccountReplicaARN must be the ARN of a secret.")
	case region != f.region || !strings.HasPrefix(replicaARN, "arn:aws:"):
		return nil, invalidParameter("The replica secret must be in the same Region and partition as the primary secret.")
	case account == f.account:
		return nil, invalidParameter("The replica secret must be in a different AWS account.")
	}
	if link := primary.crossAccountReplica; link != nil && link.peerARN != replicaARN {
		return nil, &types.InvalidRequestException{Message: aws.String(fmt.Sprintf(
			"A primary secret can have at most one cross-account replica: %s already replicates to %s.", primary.arn, link.peerARN))}
	}
	replica := f.crossAccountPeer(replicaARN)
	if replica == nil || replica.deletedDate != nil {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Secrets Manager can't find the replica secret " + replicaARN + ".")}
	}
	if replica.crossAccountPrimary == nil || replica.crossAccountPrimary.peerARN != primary.arn {
		return nil, &types.InvalidRequestException{Message: aws.String(fmt.Sprintf(
			"The secret %s was not created as a cross-account replica of %s.", replicaARN, primary.arn))}
	}
	// Called again, it repairs: whatever failed is replicated once more.
	primary.crossAccountReplica = &crossAccountLink{peerARN: replicaARN, roleARN: aws.ToString(in.ReplicationRoleARN), status: types.StatusTypeInSync}
	replica.crossAccountPrimary.status, replica.crossAccountPrimary.message, replica.crossAccountPrimary.accepted = types.StatusTypeInSync, "", true
	f.replicateAcross(primary)
	primary.lastChanged = f.now()
	return &sm.AssociateCrossAccountReplicaOutput{
		ARN: aws.String(primary.arn), CrossAccountReplicaARN: aws.String(replicaARN), ReplicationStatus: types.StatusTypeInSync,
	}, nil
}

// DisassociateCrossAccountReplica unlinks the primary from its replica,
// which stays in its account, Detached.
func (f *Fake) DisassociateCrossAccountReplica(ctx context.Context, in *sm.DisassociateCrossAccountReplicaInput, _ ...func(*sm.Options)) (*sm.DisassociateCrossAccountReplicaOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	primary, err := f.beginOnLive(ctx, OpDisassociateCrossAccountReplica, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	replicaARN := aws.ToString(in.CrossAccountReplicaARN)
	if link := primary.crossAccountReplica; link == nil || link.peerARN != replicaARN {
		return nil, &types.ResourceNotFoundException{Message: aws.String(fmt.Sprintf(
			"The secret %s has no cross-account replica %s.", primary.arn, replicaARN))}
	}
	primary.crossAccountReplica = nil
	primary.lastChanged = f.now()
	if replica := f.crossAccountPeer(replicaARN); replica != nil && replica.crossAccountPrimary != nil {
		replica.crossAccountPrimary.status = types.StatusTypeDetached
		replica.crossAccountPrimary.message = "Replication was stopped by the primary secret."
	}
	return &sm.DisassociateCrossAccountReplicaOutput{ARN: aws.String(primary.arn), CrossAccountReplicaARN: aws.String(replicaARN)}, nil
}

// StopReplicationToReplica promotes a cross-account replica to a standalone
// secret. (The fake models cross-region replicas from the primary's side
// only: RemoveRegionsFromReplication.)
func (f *Fake) StopReplicationToReplica(ctx context.Context, in *sm.StopReplicationToReplicaInput, _ ...func(*sm.Options)) (*sm.StopReplicationToReplicaOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	replica, err := f.beginOnLive(ctx, OpStopReplicationToReplica, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	link := replica.crossAccountPrimary
	if link == nil {
		return nil, &types.InvalidRequestException{Message: aws.String(fmt.Sprintf("The secret %s is not a replica.", replica.arn))}
	}
	replica.crossAccountPrimary = nil
	delete(replica.servicePolicies, CrossAccountReplicationPolicyName)
	replica.lastChanged = f.now()
	if primary := f.crossAccountPeer(link.peerARN); primary != nil && primary.crossAccountReplica != nil &&
		primary.crossAccountReplica.peerARN == replica.arn {
		primary.crossAccountReplica.status = types.StatusTypeDetached
		primary.crossAccountReplica.message = "Replication was stopped by the replica secret."
	}
	return &sm.StopReplicationToReplicaOutput{ARN: aws.String(replica.arn)}, nil
}

// FailCrossAccountReplication makes the replication from the primary
// secretID to its replica fail with message, as a lost KMS grant would: a
// refresh must see it, and AssociateCrossAccountReplica repairs it.
func (f *Fake) FailCrossAccountReplication(secretID, message string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	primary, err := f.lookupLive(secretID)
	if err != nil {
		return err
	}
	link := primary.crossAccountReplica
	if link == nil {
		return fmt.Errorf("fakesm: %s has no cross-account replica", secretID)
	}
	link.status, link.message = types.StatusTypeFailed, message
	if replica := f.crossAccountPeer(link.peerARN); replica != nil && replica.crossAccountPrimary != nil {
		replica.crossAccountPrimary.status, replica.crossAccountPrimary.message = types.StatusTypeFailed, message
	}
	return nil
}

// crossAccountPeer is the secret an ARN names in another account of the
// Cloud, or nil. f.mu must be held.
func (f *Fake) crossAccountPeer(arn string) *secret {
	if f.cloud == nil {
		return nil
	}
	other := f.cloud.fakeOf(arn)
	if other == nil {
		return nil
	}
	for _, s := range other.secrets {
		if s.arn == arn {
			return s
		}
	}
	return nil
}

// replicateAcross copies a primary's versions, labels included, to its
// cross-account replica while replication is in sync. f.mu must be held.
func (f *Fake) replicateAcross(primary *secret) {
	link := primary.crossAccountReplica
	if link == nil || link.status != types.StatusTypeInSync {
		return
	}
	replica := f.crossAccountPeer(link.peerARN)
	if replica == nil {
		return
	}
	replica.versions = make(map[string]*version, len(primary.versions))
	for id, v := range primary.versions {
		copied := *v
		copied.stages = slices.Clone(v.stages)
		copied.bin = bytes.Clone(v.bin)
		if v.str != nil {
			copied.str = aws.String(*v.str)
		}
		replica.versions[id] = &copied
	}
	replica.lastChanged = f.now()
}

// refuseOnCrossAccountReplica refuses a write to a replica's value: it comes
// from the primary until the replica is promoted.
func refuseOnCrossAccountReplica(s *secret) error {
	if s.crossAccountPrimary == nil {
		return nil
	}
	return &types.InvalidRequestException{Message: aws.String(fmt.Sprintf(
		"You can't change the value of %s: it is a cross-account replica of %s. Change the primary secret, "+
			"or promote the replica with StopReplicationToReplica.", s.arn, s.crossAccountPrimary.peerARN))}
}

// deletionBlockedByCrossAccount is why a secret cannot be deleted yet, if it
// cannot: a primary with an associated replica, or a replica not promoted.
func deletionBlockedByCrossAccount(s *secret) error {
	switch {
	case s.crossAccountReplica != nil:
		return &types.InvalidRequestException{Message: aws.String(fmt.Sprintf(
			"You can't delete secret %s while it has the cross-account replica %s: call DisassociateCrossAccountReplica first.",
			s.arn, s.crossAccountReplica.peerARN))}
	case s.crossAccountPrimary != nil:
		return &types.InvalidRequestException{Message: aws.String(fmt.Sprintf(
			"You can't delete secret %s while it is a cross-account replica of %s: call StopReplicationToReplica first.",
			s.arn, s.crossAccountPrimary.peerARN))}
	}
	return nil
}

// describeCrossAccount adds the cross-account links to DescribeSecret's answer.
func (s *secret) describeCrossAccount(out *sm.DescribeSecretOutput) {
	if link := s.crossAccountPrimary; link != nil {
		out.CrossAccountPrimary = &types.CrossAccountPrimaryType{
			PrimarySecretARN: aws.String(link.peerARN), ReplicationStatus: link.status, StatusMessage: optionalString(link.message),
		}
	}
	if link := s.crossAccountReplica; link != nil {
		out.CrossAccountReplicas = []types.CrossAccountReplicaEntry{{
			ReplicaSecretARN: aws.String(link.peerARN), ReplicationRoleARN: optionalString(link.roleARN),
			ReplicationStatus: link.status, StatusMessage: optionalString(link.message),
		}}
	}
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}
