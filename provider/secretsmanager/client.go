package secretsmanager

import (
	"context"

	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/provider/config"
)

// API is the part of the Secrets Manager API that smx calls. The SDK's
// *secretsmanager.Client implements it; unit tests use an in-process fake that
// follows the AWS API reference. Keep it narrow: every method added here must
// also be added, faithfully, to the fake.
type API interface {
	CreateSecret(context.Context, *sm.CreateSecretInput, ...func(*sm.Options)) (*sm.CreateSecretOutput, error)
	DescribeSecret(context.Context, *sm.DescribeSecretInput, ...func(*sm.Options)) (*sm.DescribeSecretOutput, error)
	UpdateSecret(context.Context, *sm.UpdateSecretInput, ...func(*sm.Options)) (*sm.UpdateSecretOutput, error)
	DeleteSecret(context.Context, *sm.DeleteSecretInput, ...func(*sm.Options)) (*sm.DeleteSecretOutput, error)
	TagResource(context.Context, *sm.TagResourceInput, ...func(*sm.Options)) (*sm.TagResourceOutput, error)
	UntagResource(context.Context, *sm.UntagResourceInput, ...func(*sm.Options)) (*sm.UntagResourceOutput, error)
	GetSecretValue(context.Context, *sm.GetSecretValueInput, ...func(*sm.Options)) (*sm.GetSecretValueOutput, error)
	BatchGetSecretValue(context.Context, *sm.BatchGetSecretValueInput, ...func(*sm.Options)) (*sm.BatchGetSecretValueOutput, error)
	PutSecretValue(context.Context, *sm.PutSecretValueInput, ...func(*sm.Options)) (*sm.PutSecretValueOutput, error)
	UpdateSecretVersionStage(context.Context, *sm.UpdateSecretVersionStageInput, ...func(*sm.Options)) (*sm.UpdateSecretVersionStageOutput, error)
	RestoreSecret(context.Context, *sm.RestoreSecretInput, ...func(*sm.Options)) (*sm.RestoreSecretOutput, error)
	GetResourcePolicy(context.Context, *sm.GetResourcePolicyInput, ...func(*sm.Options)) (*sm.GetResourcePolicyOutput, error)
	PutResourcePolicy(context.Context, *sm.PutResourcePolicyInput, ...func(*sm.Options)) (*sm.PutResourcePolicyOutput, error)
	DeleteResourcePolicy(context.Context, *sm.DeleteResourcePolicyInput, ...func(*sm.Options)) (*sm.DeleteResourcePolicyOutput, error)
	ReplicateSecretToRegions(context.Context, *sm.ReplicateSecretToRegionsInput, ...func(*sm.Options)) (*sm.ReplicateSecretToRegionsOutput, error)
	RemoveRegionsFromReplication(context.Context, *sm.RemoveRegionsFromReplicationInput, ...func(*sm.Options)) (*sm.RemoveRegionsFromReplicationOutput, error)
	GetRandomPassword(context.Context, *sm.GetRandomPasswordInput, ...func(*sm.Options)) (*sm.GetRandomPasswordOutput, error)
	ListSecrets(context.Context, *sm.ListSecretsInput, ...func(*sm.Options)) (*sm.ListSecretsOutput, error)
	ListSecretVersionIds(context.Context, *sm.ListSecretVersionIdsInput, ...func(*sm.Options)) (*sm.ListSecretVersionIdsOutput, error)
	RotateSecret(context.Context, *sm.RotateSecretInput, ...func(*sm.Options)) (*sm.RotateSecretOutput, error)
	CancelRotateSecret(context.Context, *sm.CancelRotateSecretInput, ...func(*sm.Options)) (*sm.CancelRotateSecretOutput, error)
	AssociateCrossAccountReplica(context.Context, *sm.AssociateCrossAccountReplicaInput, ...func(*sm.Options)) (*sm.AssociateCrossAccountReplicaOutput, error)
	DisassociateCrossAccountReplica(context.Context, *sm.DisassociateCrossAccountReplicaInput, ...func(*sm.Options)) (*sm.DisassociateCrossAccountReplicaOutput, error)
	StopReplicationToReplica(context.Context, *sm.StopReplicationToReplicaInput, ...func(*sm.Options)) (*sm.StopReplicationToReplicaOutput, error)
}

var _ API = (*sm.Client)(nil)

// ClientSource yields the API a lifecycle call should use, per region. The
// provider reads it from its configuration (one client per region, made once);
// tests hand in a fake, or one fake per region.
type ClientSource interface {
	// Client returns the API of region; "" is the provider's region.
	Client(ctx context.Context, region string) (API, error)
	// Region is the provider's effective region: where a resource or function
	// without a `region` input is managed. It makes no API call.
	Region(ctx context.Context) (string, error)
	// Tags are the provider's tag settings (smx:defaultTags and
	// smx:ignoreTags, tags.go). They make no API call.
	Tags(ctx context.Context) config.TagSettings
	// TagPolicy is the provider's smx:tagPolicyCompliance (tag_policy.go);
	// nil checks nothing. Getting it makes no API call.
	TagPolicy(ctx context.Context) *config.TagPolicy
}

// describeLiveSecret is DescribeSecret that maps both "not found" and
// "scheduled for deletion" to errGone: a secret with a DeletedDate still
// answers DescribeSecret but can no longer be used or managed.
func describeLiveSecret(ctx context.Context, api API, secretID string) (*sm.DescribeSecretOutput, error) {
	out, err := api.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: &secretID})
	if err != nil {
		if isGone(err) {
			return nil, errGone
		}
		return nil, err
	}
	if out.DeletedDate != nil {
		return nil, errGone
	}
	return out, nil
}
