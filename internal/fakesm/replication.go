package fakesm

import (
	"context"
	"regexp"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Replication operations, as counted by Calls and targeted by FailNext.
const (
	OpReplicateSecretToRegions     = "ReplicateSecretToRegions"
	OpRemoveRegionsFromReplication = "RemoveRegionsFromReplication"
)

// DefaultReplicaKMSKey is what ReplicationStatus reports for a replica
// encrypted with the AWS managed key.
const DefaultReplicaKMSKey = "alias/aws/secretsmanager"

// ReplicationSucceeded is the StatusMessage of a replica that is InSync.
const ReplicationSucceeded = "Replication succeeded"

// NameTakenInRegion is the StatusMessage of a replica that failed because the
// destination region already holds a secret with the same name.
const NameTakenInRegion = "Secret with this name already exists in this region"

// A region code such as us-east-1, ap-southeast-2 or us-gov-west-1; a
// stricter form of the API's pattern ^([a-z]+-)+\d+$.
var regionCode = regexp.MustCompile(`^[a-z]{2,}(-[a-z]+)+-[0-9]+$`)

// ReplicateSecretToRegions adds replicas. A region that is the fake's own
// region or already holds a replica is rejected, and then nothing changes.
func (f *Fake) ReplicateSecretToRegions(ctx context.Context, in *sm.ReplicateSecretToRegionsInput, _ ...func(*sm.Options)) (*sm.ReplicateSecretToRegionsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpReplicateSecretToRegions, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if err := f.validateNewReplicas(s, in.AddReplicaRegions); err != nil {
		return nil, err
	}
	f.addReplicas(s, in.AddReplicaRegions, in.ForceOverwriteReplicaSecret)
	s.lastChanged = f.now()
	return &sm.ReplicateSecretToRegionsOutput{ARN: aws.String(s.arn), ReplicationStatus: s.replicationStatus()}, nil
}

// RemoveRegionsFromReplication deletes replicas; every region named must
// hold one, else nothing changes. It answers with the replicas that remain.
func (f *Fake) RemoveRegionsFromReplication(ctx context.Context, in *sm.RemoveRegionsFromReplicationInput, _ ...func(*sm.Options)) (*sm.RemoveRegionsFromReplicationOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpRemoveRegionsFromReplication, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if len(in.RemoveReplicaRegions) == 0 {
		return nil, invalidParameter("RemoveReplicaRegions must name at least one Region.")
	}
	seen := map[string]bool{}
	for _, region := range in.RemoveReplicaRegions {
		if err := validateRegion(region); err != nil {
			return nil, err
		}
		if seen[region] {
			return nil, invalidParameter("The Region %s is listed more than once.", region)
		}
		seen[region] = true
		if s.replica(region) == nil {
			return nil, invalidParameter("The secret isn't replicated to the Region %s.", region)
		}
	}
	s.replicas = slices.DeleteFunc(s.replicas, func(r *replica) bool { return seen[r.region] })
	s.lastChanged = f.now()
	return &sm.RemoveRegionsFromReplicationOutput{ARN: aws.String(s.arn), ReplicationStatus: s.replicationStatus()}, nil
}

// ---------------------------------------------------------------------------
// Internals. f.mu must be held.

// validateNewReplicas checks regions to replicate s to (s is nil for a
// secret being created): each a well-formed region code, not the fake's own
// region, not already a replica, not listed twice.
func (f *Fake) validateNewReplicas(s *secret, add []types.ReplicaRegionType) error {
	if len(add) == 0 {
		return invalidParameter("AddReplicaRegions must name at least one Region.")
	}
	seen := map[string]bool{}
	for _, r := range add {
		region := aws.ToString(r.Region)
		if err := validateRegion(region); err != nil {
			return err
		}
		switch {
		case region == f.region:
			return invalidParameter("You can't replicate a secret to its primary Region %s.", region)
		case seen[region]:
			return invalidParameter("The Region %s is listed more than once.", region)
		case s != nil && s.replica(region) != nil:
			return invalidParameter("The secret is already replicated to the Region %s.", region)
		}
		seen[region] = true
		if r.KmsKeyId != nil && len(*r.KmsKeyId) > 2048 {
			return invalidParameter("KmsKeyId must be at most 2048 characters long.")
		}
	}
	return nil
}

// addReplicas replicates s to validated regions. Replication completes at
// once, except where the region already holds a secret of the same name and
// overwriting was not asked for.
func (f *Fake) addReplicas(s *secret, add []types.ReplicaRegionType, overwrite bool) {
	for _, r := range add {
		region := aws.ToString(r.Region)
		rep := &replica{region: region, kmsKeyID: aws.ToString(r.KmsKeyId), status: types.StatusTypeInSync, message: ReplicationSucceeded}
		if rep.kmsKeyID == "" {
			rep.kmsKeyID = DefaultReplicaKMSKey
		}
		if f.takenNames[region][s.name] {
			if overwrite {
				delete(f.takenNames[region], s.name)
			} else {
				rep.status, rep.message = types.StatusTypeFailed, NameTakenInRegion
			}
		}
		s.replicas = append(s.replicas, rep)
	}
}

func (s *secret) replica(region string) *replica {
	for _, r := range s.replicas {
		if r.region == region {
			return r
		}
	}
	return nil
}

// replicationStatus is the ReplicationStatus AWS reports: nil without
// replicas. The fake never reads a replica, so LastAccessedDate stays nil.
func (s *secret) replicationStatus() []types.ReplicationStatusType {
	if len(s.replicas) == 0 {
		return nil
	}
	out := make([]types.ReplicationStatusType, 0, len(s.replicas))
	for _, r := range s.replicas {
		st := types.ReplicationStatusType{Region: aws.String(r.region), KmsKeyId: aws.String(r.kmsKeyID), Status: r.status}
		if r.message != "" {
			st.StatusMessage = aws.String(r.message)
		}
		out = append(out, st)
	}
	return out
}

// ---------------------------------------------------------------------------
// Validation, as AWS does it. Messages never quote a secret value.

func validateRegion(region string) error {
	if len(region) == 0 || len(region) > maxRegionLength || !regionCode.MatchString(region) {
		return invalidParameter("%q is not a valid Region code (for example us-east-1).", region)
	}
	return nil
}
