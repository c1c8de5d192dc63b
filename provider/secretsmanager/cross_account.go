package secretsmanager

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	p "github.com/pulumi/pulumi-go-provider"
)

// Cross-account replication (aws-sdk-go-v2 service/secretsmanager v1.51.0),
// the replica's side. The replica account's Secret sets
// crossAccountPrimaryArn: CreateSecret makes it a replica, with no value of
// its own, and the primary's account associates it (CrossAccountReplication,
// cross_account_replication.go), which starts the copying. The replica's
// Secret promotes it (StopReplicationToReplica) when the program removes
// crossAccountPrimaryArn, and before deleting it, since AWS deletes no
// replica that is still linked. A primary's Secret unlinks a replica the
// state does not know of before deleting, as it removes replica regions
// added outside Pulumi.

// compareCrossAccountPrimary records the change of a Secret's
// crossAccountPrimaryArn. A standalone secret cannot become a replica, nor a
// replica change primaries: both replace it. Removing the primary promotes
// the replica in place. A primary ARN still unknown in this preview (its
// secret being replaced) is a new one.
func (d *differ) compareCrossAccountPrimary(ctx context.Context, news, olds *string) {
	unknown := unknownInput(ctx, "crossAccountPrimaryArn")
	inProgram := news != nil || unknown
	kind := p.Update // removed: the promotion
	if inProgram {
		kind = p.UpdateReplace
	}
	d.compareOptional("crossAccountPrimaryArn", unknown || !equalPtr(news, olds), inProgram, olds != nil, kind)
}

// staysCrossAccountReplica tells an update of a replica that keeps it one:
// its description and type stay its primary's, neither changed nor drift.
func staysCrossAccountReplica(olds SecretState, args SecretArgs) bool {
	return olds.CrossAccountPrimaryArn != nil && args.CrossAccountPrimaryArn != nil
}

// crossAccountPrimaryOf is the primary that DescribeSecret says the secret is
// a cross-account replica of, or nil.
func crossAccountPrimaryOf(out *sm.DescribeSecretOutput) *string {
	if out.CrossAccountPrimary == nil || aws.ToString(out.CrossAccountPrimary.PrimarySecretARN) == "" {
		return nil
	}
	return out.CrossAccountPrimary.PrimarySecretARN
}

// promoteReplica makes a cross-account replica a standalone secret with
// StopReplicationToReplica. A secret that is standalone already (promoted
// outside Pulumi) is fine: AWS refuses the call with InvalidRequestException,
// and one DescribeSecret tells that refusal from the others.
func promoteReplica(ctx context.Context, api API, secretID string) error {
	_, err := api.StopReplicationToReplica(ctx, &sm.StopReplicationToReplicaInput{SecretId: &secretID})
	var invalid *smtypes.InvalidRequestException
	if err == nil || !errors.As(err, &invalid) || isGone(err) {
		return err
	}
	current, derr := describeLiveSecret(ctx, api, secretID)
	if derr == nil && current.CrossAccountPrimary == nil {
		return nil
	}
	return err
}

// unlinkForDelete undoes what keeps AWS from deleting the secret described
// by current: replica regions, a cross-account replica associated outside
// Pulumi (disassociated: it stays in its account, Detached, with its value),
// or its own link to a primary (promoted).
func (s *Secret) unlinkForDelete(ctx context.Context, api API, current *sm.DescribeSecretOutput) error {
	var regions []string
	for _, r := range current.ReplicationStatus {
		regions = append(regions, aws.ToString(r.Region))
	}
	if err := removeAllReplicas(ctx, api, aws.ToString(current.ARN), regions); err != nil {
		return err
	}
	for _, replica := range current.CrossAccountReplicas {
		replicaARN := aws.ToString(replica.ReplicaSecretARN)
		p.GetLogger(ctx).Warningf("secret %q has the cross-account replica %s, which the stack does not manage: "+
			"disassociating it so that the secret can be deleted; the replica keeps its value and is Detached",
			aws.ToString(current.Name), replicaARN)
		_, err := api.DisassociateCrossAccountReplica(ctx, &sm.DisassociateCrossAccountReplicaInput{
			SecretId: current.ARN, CrossAccountReplicaARN: &replicaARN,
		})
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("disassociating the cross-account replica %s first: %w", replicaARN, err)
		}
	}
	if current.CrossAccountPrimary != nil {
		if err := promoteReplica(ctx, api, aws.ToString(current.ARN)); err != nil {
			return fmt.Errorf("promoting the cross-account replica first: %w", err)
		}
	}
	return nil
}
