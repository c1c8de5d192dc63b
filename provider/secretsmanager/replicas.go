package secretsmanager

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// SecretReplica is one region a secret is replicated to. Its shape matches
// pulumi-aws's aws.secretsmanager.SecretReplica: region and kmsKeyId are set
// by the program, the status fields are reported by AWS.
type SecretReplica struct {
	Region           string  `pulumi:"region"`
	KmsKeyId         *string `pulumi:"kmsKeyId,optional"` //nolint:revive // matches pulumi-aws
	Status           *string `pulumi:"status,optional"`
	StatusMessage    *string `pulumi:"statusMessage,optional"`
	LastAccessedDate *string `pulumi:"lastAccessedDate,optional"`
}

func (r *SecretReplica) Annotate(a infer.Annotator) {
	a.Describe(r, "A region the secret is replicated to.")
	a.Describe(&r.Region, "The region to replicate the secret to, such as `eu-west-1`.")
	a.Describe(&r.KmsKeyId, "KMS key for the replica (ARN, key ID or `alias/...`); "+
		"the region's `aws/secretsmanager` key when unset. Changing it re-creates the replica.")
	a.Describe(&r.Status, "Replication status reported by AWS: `InSync`, `InProgress` or `Failed`.")
	a.Describe(&r.StatusMessage, "AWS's message about the replication status.")
	a.Describe(&r.LastAccessedDate, "When the replica was last read (RFC 3339), as reported by AWS.")
}

// replicaTargets is what the program asks for: region → KMS key ("" = the
// region's default key). Status fields are AWS's, not the program's.
func replicaTargets(replicas []SecretReplica) map[string]string {
	targets := make(map[string]string, len(replicas))
	for _, r := range replicas {
		key := aws.ToString(r.KmsKeyId)
		if sameKMSKey(key, "") {
			key = "" // AWS reports the default key by its alias
		}
		targets[r.Region] = key
	}
	return targets
}

func replicasEquivalent(a, b []SecretReplica) bool {
	ta, tb := replicaTargets(a), replicaTargets(b)
	if len(ta) != len(tb) {
		return false
	}
	for region, key := range ta {
		if other, ok := tb[region]; !ok || other != key {
			return false
		}
	}
	return true
}

// replicaChanges lists the regions to remove and to add to go from current
// to desired. A changed KMS key means removing and adding the region again:
// AWS cannot re-key a replica in place. So does a replica AWS reports as
// failed: adding it again (with forceOverwriteReplicaSecret, if the program
// now sets it) is the only way to repair it.
func replicaChanges(current, desired []SecretReplica) (remove []string, add []smtypes.ReplicaRegionType) {
	have, want := replicaTargets(current), replicaTargets(desired)
	failed := map[string]bool{}
	for _, r := range current {
		failed[r.Region] = aws.ToString(r.Status) == string(smtypes.StatusTypeFailed)
	}
	for region, key := range have {
		if wantKey, ok := want[region]; !ok || wantKey != key || failed[region] {
			remove = append(remove, region)
		}
	}
	for _, r := range desired {
		if haveKey, ok := have[r.Region]; !ok || haveKey != want[r.Region] || failed[r.Region] {
			add = append(add, smtypes.ReplicaRegionType{Region: aws.String(r.Region), KmsKeyId: r.KmsKeyId})
		}
	}
	slices.Sort(remove)
	return remove, add
}

func toReplicaRegions(replicas []SecretReplica) []smtypes.ReplicaRegionType {
	if len(replicas) == 0 {
		return nil
	}
	out := make([]smtypes.ReplicaRegionType, len(replicas))
	for i, r := range replicas {
		out[i] = smtypes.ReplicaRegionType{Region: aws.String(r.Region), KmsKeyId: r.KmsKeyId}
	}
	return out
}

// fromReplicationStatus turns AWS's replication status into replicas, in the
// order the program lists them (then any others, sorted), so that a refresh
// does not reorder the list. The program's KMS key spelling is kept when AWS
// reports none for the default key.
func fromReplicationStatus(statuses []smtypes.ReplicationStatusType, order []SecretReplica) []SecretReplica {
	byRegion := map[string]smtypes.ReplicationStatusType{}
	for _, s := range statuses {
		byRegion[aws.ToString(s.Region)] = s
	}
	var out []SecretReplica
	add := func(region string, programKey *string) {
		s, ok := byRegion[region]
		if !ok {
			return
		}
		delete(byRegion, region)
		r := SecretReplica{Region: region, KmsKeyId: s.KmsKeyId, Status: statusString(s.Status), StatusMessage: s.StatusMessage}
		if sameKMSKey(aws.ToString(programKey), aws.ToString(s.KmsKeyId)) {
			r.KmsKeyId = programKey // the program's spelling, or unset for the default key
		}
		if s.LastAccessedDate != nil {
			r.LastAccessedDate = aws.String(s.LastAccessedDate.UTC().Format(time.RFC3339))
		}
		out = append(out, r)
	}
	for _, r := range order {
		add(r.Region, r.KmsKeyId)
	}
	rest := make([]string, 0, len(byRegion))
	for region := range byRegion {
		rest = append(rest, region)
	}
	slices.Sort(rest)
	for _, region := range rest {
		add(region, nil)
	}
	return out
}

// sameKMSKey treats the default key's alias spellings as one key.
func sameKMSKey(a, b string) bool {
	norm := func(k string) string {
		if k == "alias/aws/secretsmanager" || k == "aws/secretsmanager" {
			return ""
		}
		return k
	}
	return norm(a) == norm(b)
}

func statusString(s smtypes.StatusType) *string {
	if s == "" {
		return nil
	}
	return aws.String(string(s))
}

// failedReplicas describes the replicas AWS reports as failed, or "".
func failedReplicas(replicas []SecretReplica) string {
	var failed []string
	for _, r := range replicas {
		if aws.ToString(r.Status) == string(smtypes.StatusTypeFailed) {
			failed = append(failed, fmt.Sprintf("%s (%s)", r.Region, aws.ToString(r.StatusMessage)))
		}
	}
	return strings.Join(failed, ", ")
}

// replicaInputs keeps only what a program sets of each replica; none is
// an empty list, not nil.
func replicaInputs(replicas []SecretReplica) []SecretReplica {
	out := make([]SecretReplica, len(replicas))
	for i, r := range replicas {
		out[i] = SecretReplica{Region: r.Region, KmsKeyId: r.KmsKeyId}
	}
	return out
}

func replicaRegions(replicas []SecretReplica) []string {
	regions := make([]string, len(replicas))
	for i, r := range replicas {
		regions[i] = r.Region
	}
	return regions
}

func removeAllReplicas(ctx context.Context, api API, secretID string, regions []string) error {
	if len(regions) == 0 {
		return nil
	}
	_, err := api.RemoveRegionsFromReplication(ctx, &sm.RemoveRegionsFromReplicationInput{SecretId: &secretID, RemoveReplicaRegions: regions})
	var invalid *smtypes.InvalidParameterException
	if err != nil && !isGone(err) && !errors.As(err, &invalid) {
		return fmt.Errorf("removing replicas %v first: %w", regions, err)
	}
	return nil
}

// programHadReplicas tells whether the inputs recorded at the last update
// set at least one replica.
func programHadReplicas(oldInputs property.Map) bool {
	replicas, ok := oldInputs.GetOk("replicas")
	return ok && replicas.IsArray() && replicas.AsArray().Len() > 0
}
