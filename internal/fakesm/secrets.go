package fakesm

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Operations on secrets and their tags, as counted by Calls and targeted by
// FailNext.
const (
	OpCreateSecret   = "CreateSecret"
	OpDescribeSecret = "DescribeSecret"
	OpUpdateSecret   = "UpdateSecret"
	OpDeleteSecret   = "DeleteSecret"
	OpRestoreSecret  = "RestoreSecret"
	OpTagResource    = "TagResource"
	OpUntagResource  = "UntagResource"
)

var nameChars = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)

// CreateSecret creates a secret, with a first version (AWSCURRENT) when a
// value is given.
func (f *Fake) CreateSecret(ctx context.Context, in *sm.CreateSecretInput, _ ...func(*sm.Options)) (*sm.CreateSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, OpCreateSecret, in); err != nil {
		return nil, err
	}
	name := aws.ToString(in.Name)
	if err := validateName(name); err != nil {
		return nil, err
	}
	if in.Description != nil && characters(*in.Description) > maxDescription {
		return nil, invalidParameter("Description must be at most %d characters long.", maxDescription)
	}
	if err := validateValue(in.SecretString, in.SecretBinary, false); err != nil {
		return nil, err
	}
	if err := validateToken(in.ClientRequestToken); err != nil {
		return nil, err
	}
	if err := validateType(in.Type); err != nil {
		return nil, err
	}
	if in.CrossAccountPrimaryARN != nil {
		if err := f.validateCrossAccountReplica(in); err != nil {
			return nil, err
		}
	}
	tags, err := validateTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	if in.AddReplicaRegions != nil {
		if err := f.validateNewReplicas(nil, in.AddReplicaRegions); err != nil {
			return nil, err
		}
	}
	if existing := f.findByName(name); existing != nil {
		if existing.deletedDate != nil {
			return nil, &types.InvalidRequestException{Message: aws.String(
				"You can't create this secret because a secret with this name is already scheduled for deletion.")}
		}
		// A retried CreateSecret with the same token and value is answered
		// with the original result.
		if in.ClientRequestToken != nil {
			if v, ok := existing.versions[*in.ClientRequestToken]; ok {
				if !v.sameValue(in.SecretString, in.SecretBinary) {
					return nil, versionExists()
				}
				return &sm.CreateSecretOutput{
					ARN: aws.String(existing.arn), Name: aws.String(existing.name), VersionId: aws.String(v.id),
					ReplicationStatus: existing.replicationStatus(),
				}, nil
			}
		}
		return nil, &types.ResourceExistsException{Message: aws.String(
			fmt.Sprintf("The operation failed because the secret %s already exists.", name))}
	}
	now := f.now()
	s := &secret{
		arn:         f.newARN(name),
		name:        name,
		description: aws.ToString(in.Description),
		kmsKeyID:    normalizeKMSKey(aws.ToString(in.KmsKeyId)),
		partnerType: aws.ToString(in.Type),
		tags:        tags,
		versions:    map[string]*version{},
		created:     now,
		lastChanged: now,
	}
	if primary := aws.ToString(in.CrossAccountPrimaryARN); primary != "" {
		s.crossAccountPrimary = &crossAccountLink{peerARN: primary, status: types.StatusTypePending}
		s.servicePolicies = map[string]string{CrossAccountReplicationPolicyName: crossAccountReplicationPolicy(primary)}
	}
	f.secrets = append(f.secrets, s)
	f.addReplicas(s, in.AddReplicaRegions, in.ForceOverwriteReplicaSecret)
	out := &sm.CreateSecretOutput{ARN: aws.String(s.arn), Name: aws.String(s.name)}
	if in.SecretString != nil || in.SecretBinary != nil {
		v := f.addVersion(s, tokenOrNew(in.ClientRequestToken), in.SecretString, in.SecretBinary, nil)
		out.VersionId = aws.String(v.id)
	}
	out.ReplicationStatus = s.replicationStatus()
	return out, nil
}

// validateType refuses an empty Type: the API reference gives no list of
// partners (it grows), only that Type is "the exact string that identifies
// the partner", which an empty string is not.
func validateType(partnerType *string) error {
	if partnerType != nil && *partnerType == "" {
		return invalidParameter("Type must not be empty.")
	}
	return nil
}

// DescribeSecret returns a secret's metadata; it answers for secrets
// scheduled for deletion too, with DeletedDate set.
func (f *Fake) DescribeSecret(ctx context.Context, in *sm.DescribeSecretInput, _ ...func(*sm.Options)) (*sm.DescribeSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOn(ctx, OpDescribeSecret, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	created, changed := s.created, s.lastChanged
	out := &sm.DescribeSecretOutput{
		ARN:              aws.String(s.arn),
		Name:             aws.String(s.name),
		CreatedDate:      &created,
		LastChangedDate:  &changed,
		LastAccessedDate: lastAccessedDate(s.lastAccessed),
		Tags:             toTags(s.tags),
	}
	if s.description != "" {
		out.Description = aws.String(s.description)
	}
	if s.kmsKeyID != "" {
		out.KmsKeyId = aws.String(s.kmsKeyID)
	}
	if s.partnerType != "" {
		out.Type = aws.String(s.partnerType)
	}
	if s.deletedDate != nil {
		d := *s.deletedDate
		out.DeletedDate = &d
	}
	if len(s.replicas) > 0 {
		out.PrimaryRegion = aws.String(f.region)
		out.ReplicationStatus = s.replicationStatus()
	}
	out.VersionIdsToStages = s.versionsToStages()
	s.describeRotation(out)
	s.describeCrossAccount(out)
	return out, nil
}

// versionsToStages maps each labeled version to its labels: like AWS (and
// unlike moto), versions without labels are left out.
func (s *secret) versionsToStages() map[string][]string {
	var out map[string][]string
	for id, v := range s.versions {
		if len(v.stages) == 0 {
			continue
		}
		if out == nil {
			out = map[string][]string{}
		}
		out[id] = slices.Clone(v.stages)
	}
	return out
}

// UpdateSecret changes the description, KMS key or partner Type, and stores a new value
// (moving AWSCURRENT to it) when one is given.
func (f *Fake) UpdateSecret(ctx context.Context, in *sm.UpdateSecretInput, _ ...func(*sm.Options)) (*sm.UpdateSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpUpdateSecret, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if in.Description != nil && characters(*in.Description) > maxDescription {
		return nil, invalidParameter("Description must be at most %d characters long.", maxDescription)
	}
	if err := validateValue(in.SecretString, in.SecretBinary, false); err != nil {
		return nil, err
	}
	if err := validateToken(in.ClientRequestToken); err != nil {
		return nil, err
	}
	if in.KmsKeyId != nil && *in.KmsKeyId == "" {
		return nil, invalidParameter("KmsKeyId must not be empty.")
	}
	if err := validateType(in.Type); err != nil {
		return nil, err
	}
	hasValue := in.SecretString != nil || in.SecretBinary != nil
	if hasValue {
		if err := refuseOnCrossAccountReplica(s); err != nil {
			return nil, err
		}
	}
	if hasValue && in.ClientRequestToken != nil {
		if v, ok := s.versions[*in.ClientRequestToken]; ok {
			if !v.sameValue(in.SecretString, in.SecretBinary) {
				return nil, versionExists()
			}
			return &sm.UpdateSecretOutput{ARN: aws.String(s.arn), Name: aws.String(s.name), VersionId: aws.String(v.id)}, nil
		}
	}
	if in.Description != nil {
		s.description = *in.Description
	}
	if in.KmsKeyId != nil {
		s.kmsKeyID = normalizeKMSKey(*in.KmsKeyId)
	}
	if in.Type != nil {
		s.partnerType = *in.Type
	}
	s.lastChanged = f.now()
	out := &sm.UpdateSecretOutput{ARN: aws.String(s.arn), Name: aws.String(s.name)}
	if hasValue {
		v := f.addVersion(s, tokenOrNew(in.ClientRequestToken), in.SecretString, in.SecretBinary, nil)
		out.VersionId = aws.String(v.id)
		f.replicateAcross(s)
	}
	return out, nil
}

// DeleteSecret schedules deletion after a recovery window (default 30 days),
// or removes the secret at once with ForceDeleteWithoutRecovery. A secret
// already scheduled for deletion can still be force-deleted.
func (f *Fake) DeleteSecret(ctx context.Context, in *sm.DeleteSecretInput, _ ...func(*sm.Options)) (*sm.DeleteSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOn(ctx, OpDeleteSecret, in, in.SecretId, func() error { return validateDeletionWindow(in) })
	if err != nil {
		return nil, err
	}
	if err := deletionBlockedByCrossAccount(s); err != nil {
		return nil, err
	}
	if len(s.replicas) > 0 {
		// AWS answers InvalidParameterException with this wording, for
		// forced deletions too.
		regions := make([]string, 0, len(s.replicas))
		for _, r := range s.replicas {
			regions = append(regions, r.region)
		}
		return nil, invalidParameter("You can't delete secret %s that still has replica regions [%s].",
			s.arn, strings.Join(regions, ", "))
	}
	now := f.now()
	out := &sm.DeleteSecretOutput{ARN: aws.String(s.arn), Name: aws.String(s.name)}
	if aws.ToBool(in.ForceDeleteWithoutRecovery) {
		f.remove(s)
		out.DeletionDate = &now
		return out, nil
	}
	if s.deletedDate != nil {
		return nil, markedForDeletion()
	}
	days := int64(defaultRecovery)
	if in.RecoveryWindowInDays != nil {
		days = *in.RecoveryWindowInDays
	}
	deleted := now
	s.deletedDate = &deleted
	s.deletionDate = now.Add(time.Duration(days) * 24 * time.Hour)
	deletion := s.deletionDate
	out.DeletionDate = &deletion
	return out, nil
}

// validateDeletionWindow judges DeleteSecret's own parameters, which AWS
// does before it looks the secret up.
func validateDeletionWindow(in *sm.DeleteSecretInput) error {
	if aws.ToBool(in.ForceDeleteWithoutRecovery) && in.RecoveryWindowInDays != nil {
		return invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	}
	if in.RecoveryWindowInDays != nil {
		if days := *in.RecoveryWindowInDays; days < minRecoveryWindow || days > maxRecoveryWindow {
			return invalidParameter("The RecoveryWindowInDays value must be between %d and %d days (inclusive).",
				minRecoveryWindow, maxRecoveryWindow)
		}
	}
	return nil
}

// RestoreSecret cancels a scheduled deletion. Restoring a secret that is not
// scheduled for deletion succeeds and changes nothing, as on AWS.
func (f *Fake) RestoreSecret(ctx context.Context, in *sm.RestoreSecretInput, _ ...func(*sm.Options)) (*sm.RestoreSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOn(ctx, OpRestoreSecret, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	s.deletedDate = nil
	s.deletionDate = time.Time{}
	return &sm.RestoreSecretOutput{ARN: aws.String(s.arn), Name: aws.String(s.name)}, nil
}

// TagResource adds tags, overwriting the values of keys already present.
func (f *Fake) TagResource(ctx context.Context, in *sm.TagResourceInput, _ ...func(*sm.Options)) (*sm.TagResourceOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpTagResource, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	tags, err := validateTags(s.tags, in.Tags)
	if err != nil {
		return nil, err
	}
	s.tags = tags
	s.lastChanged = f.now()
	return &sm.TagResourceOutput{}, nil
}

// UntagResource removes tags by key; keys that are not present are ignored.
// A key with the reserved prefix aws: is refused, and then nothing is
// removed: AWS's tags (CloudFormation's aws:cloudformation:*, for one) belong
// to the service that set them.
func (f *Fake) UntagResource(ctx context.Context, in *sm.UntagResourceInput, _ ...func(*sm.Options)) (*sm.UntagResourceOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpUntagResource, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	for _, key := range in.TagKeys {
		if isReservedTagKey(key) {
			return nil, reservedTagKey()
		}
	}
	for _, key := range in.TagKeys {
		delete(s.tags, key)
	}
	s.lastChanged = f.now()
	return &sm.UntagResourceOutput{}, nil
}

// ---------------------------------------------------------------------------
// Internals. f.mu must be held.

// normalizeKMSKey maps the AWS managed key to "": DescribeSecret does not
// report a KmsKeyId for secrets encrypted with aws/secretsmanager.
func normalizeKMSKey(keyID string) string {
	if keyID == "alias/aws/secretsmanager" || strings.HasSuffix(keyID, ":alias/aws/secretsmanager") {
		return ""
	}
	return keyID
}

func toTags(tags map[string]string) []types.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]types.Tag, 0, len(tags))
	for _, key := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, types.Tag{Key: aws.String(key), Value: aws.String(tags[key])})
	}
	return out
}

// ---------------------------------------------------------------------------
// Validation, as AWS does it. Messages never quote a secret value.

// characters is a string's length as AWS counts it against a limit.
func characters(s string) int { return utf8.RuneCountInString(s) }

func validateName(name string) error {
	switch {
	case name == "" || characters(name) > maxNameLength:
		return invalidParameter("The secret name must be 1 to %d characters long.", maxNameLength)
	case !nameChars.MatchString(name):
		return invalidParameter("The secret name can contain only ASCII letters, numbers, and the characters /_+=.@-")
	}
	return nil
}

// validateTags merges added into current (nil for none) and checks the
// result against AWS's tag rules. Tags with the reserved prefix aws: are
// AWS's own: a caller can neither add nor remove them, and they do not count
// against the 50 tags a secret may have (AWS's tagging reference: "Tags with
// the aws: prefix do not count against your tags per resource quota").
func validateTags(current map[string]string, added []types.Tag) (map[string]string, error) {
	out := maps.Clone(current)
	if out == nil {
		out = map[string]string{}
	}
	for _, t := range added {
		key, value := aws.ToString(t.Key), aws.ToString(t.Value)
		switch {
		case key == "" || characters(key) > maxTagKeyLength:
			return nil, invalidParameter("Tag keys must be 1 to %d characters long.", maxTagKeyLength)
		case isReservedTagKey(key):
			return nil, reservedTagKey()
		case characters(value) > maxTagValueLength:
			return nil, invalidParameter("Tag values must be at most %d characters long.", maxTagValueLength)
		}
		out[key] = value
	}
	counted := 0
	for key := range out {
		if !isReservedTagKey(key) {
			counted++
		}
	}
	if counted > maxTags {
		return nil, invalidParameter("A secret can have at most %d tags.", maxTags)
	}
	return out, nil
}

// isReservedTagKey tells a key with the prefix AWS reserves for itself, in
// any case ("aws:", "AWS:", "Aws:").
func isReservedTagKey(key string) bool {
	return strings.HasPrefix(strings.ToLower(key), "aws:")
}

func reservedTagKey() error {
	return invalidParameter("Tag keys can't start with the reserved prefix aws:.")
}
