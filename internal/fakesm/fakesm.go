// Package fakesm is an in-process, concurrency-safe fake of the AWS Secrets
// Manager API for unit tests. It implements every method of
// secretsmanager.API (the narrow interface smx calls) and follows the AWS API
// reference, not moto: where moto deviates from AWS (see
// /work/shared/docs/moto.md), the fake does what AWS documents.
//
// What it models:
//   - ARNs `arn:aws:secretsmanager:<region>:123456789012:secret:<name>-<6 letters/digits>`;
//     secrets are found by full ARN, partial ARN (without the suffix) or name.
//   - Soft delete: DeleteSecret schedules deletion (DeletedDate set);
//     DescribeSecret still answers, value and update calls fail with
//     InvalidRequestException "... marked for deletion", CreateSecret with the
//     same name fails with InvalidRequestException "... already scheduled for
//     deletion". ForceDeleteWithoutRecovery removes the secret.
//   - ClientRequestToken idempotency on CreateSecret, UpdateSecret and
//     PutSecretValue: same token and same value return the original version;
//     same token and another value fail with ResourceExistsException.
//   - Staging labels: a new value takes AWSCURRENT unless other labels are
//     given; AWSPREVIOUS follows the version AWSCURRENT left; labels given to
//     PutSecretValue move from their holders; UpdateSecretVersionStage needs
//     RemoveFromVersionId to name the holder of a label that is attached
//     elsewhere, and never removes AWSCURRENT without moving it.
//   - Garbage collection of unlabeled versions beyond 100, sparing versions
//     younger than 24 hours, as AWS does.
//   - Resource policies (only the policy named "default"): malformed JSON is
//     rejected with MalformedPolicyDocumentException; BlockPublicPolicy
//     rejects a statement that allows Principal "*" (or {"AWS": "*"})
//     without a Condition with PublicPolicyException. The policy is stored
//     rewritten, as AWS rewrites policies: compacted, and a one-element
//     "Action" array turned into a plain string, so that tests see a policy
//     that differs in text, not in meaning, from the one they put.
//   - Replication from the fake's region (WithRegion) to other regions:
//     CreateSecret with AddReplicaRegions, ReplicateSecretToRegions,
//     RemoveRegionsFromReplication; DescribeSecret reports ReplicationStatus
//     and, while replicas exist, PrimaryRegion. Replication completes at once
//     (InSync, "Replication succeeded"); a replica without a KMS key reports
//     alias/aws/secretsmanager, as AWS does. A name taken in the destination
//     region (SetNameTakenInRegion) makes the replica Failed unless
//     ForceOverwriteReplicaSecret is set. DeleteSecret refuses a secret that
//     still has replicas, forced or not.
//
// Every error is the SDK's typed error (types.ResourceNotFoundException and
// so on), so errors.As works as against AWS. No error message ever contains a
// secret value.
//
// For tests it counts calls per operation (Calls, ResetCalls), records the
// inputs of each call (Requests), injects errors into the next calls of an
// operation (FailNext), and changes state out of band, as another tool or a
// rotation would (SetDescription, SetTags, SetKmsKeyID, SetResourcePolicy,
// PutValueOutOfBand, DropVersion, Purge, SetReplicaStatus,
// SetNameTakenInRegion). Out-of-band helpers are not counted as calls.
package fakesm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Operation names, as counted by Calls and targeted by FailNext.
const (
	OpCreateSecret             = "CreateSecret"
	OpDescribeSecret           = "DescribeSecret"
	OpUpdateSecret             = "UpdateSecret"
	OpDeleteSecret             = "DeleteSecret"
	OpRestoreSecret            = "RestoreSecret"
	OpTagResource              = "TagResource"
	OpUntagResource            = "UntagResource"
	OpGetSecretValue           = "GetSecretValue"
	OpPutSecretValue           = "PutSecretValue"
	OpUpdateSecretVersionStage = "UpdateSecretVersionStage"

	OpGetResourcePolicy    = "GetResourcePolicy"
	OpPutResourcePolicy    = "PutResourcePolicy"
	OpDeleteResourcePolicy = "DeleteResourcePolicy"

	OpReplicateSecretToRegions     = "ReplicateSecretToRegions"
	OpRemoveRegionsFromReplication = "RemoveRegionsFromReplication"
)

// Account is the AWS account ID in every ARN the fake makes.
const Account = "123456789012"

// Staging labels Secrets Manager manages itself.
const (
	StageCurrent  = "AWSCURRENT"
	StagePrevious = "AWSPREVIOUS"
)

// Limits from the Secrets Manager API reference.
const (
	maxNameLength       = 512
	maxDescription      = 2048
	maxValueBytes       = 65536
	minTokenLength      = 32
	maxTokenLength      = 64
	maxTags             = 50
	maxTagKeyLength     = 127
	maxTagValueLength   = 255
	minRecoveryWindow   = 7
	maxRecoveryWindow   = 30
	defaultRecovery     = 30
	maxStagesPerVersion = 20
	maxVersions         = 100
	gcMinimumAge        = 24 * time.Hour
	maxPolicyLength     = 20480
	maxRegionLength     = 128
)

// DefaultPolicyName is the only resource policy name Secrets Manager accepts.
const DefaultPolicyName = "default"

// DefaultReplicaKMSKey is what ReplicationStatus reports for a replica
// encrypted with the AWS managed key.
const DefaultReplicaKMSKey = "alias/aws/secretsmanager"

// ReplicationSucceeded is the StatusMessage of a replica that is InSync.
const ReplicationSucceeded = "Replication succeeded"

// NameTakenInRegion is the StatusMessage of a replica that failed because the
// destination region already holds a secret with the same name.
const NameTakenInRegion = "Secret with this name already exists in this region"

var (
	nameChars = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)
	// A region code such as us-east-1, ap-southeast-2 or us-gov-west-1; a
	// stricter form of the API's pattern ^([a-z]+-)+\d+$.
	regionCode = regexp.MustCompile(`^[a-z]{2,}(-[a-z]+)+-[0-9]+$`)
)

// Fake is an in-memory Secrets Manager. Its zero value is not usable: call New.
type Fake struct {
	mu       sync.Mutex
	region   string
	now      func() time.Time
	secrets  []*secret // live and scheduled for deletion; force-deleted and purged ones are gone
	seq      int       // orders versions by creation
	calls    map[string]int
	requests map[string][]any
	failures map[string][]error
	// takenNames[region] holds names of secrets that exist in another region
	// outside the fake (see SetNameTakenInRegion).
	takenNames map[string]map[string]bool
}

type secret struct {
	arn          string
	name         string
	description  string
	kmsKeyID     string // "" = the AWS managed key aws/secretsmanager
	tags         map[string]string
	versions     map[string]*version
	created      time.Time
	lastChanged  time.Time
	deletedDate  *time.Time // set while deletion is scheduled
	deletionDate time.Time  // when a scheduled deletion completes
	policy       string     // the resource policy as AWS stores it; "" = none
	replicas     []*replica // in the order they were added

	// Rotation configuration (see fakesm_rotation.go).
	rotationEnabled   *bool // nil until rotation is first configured
	rotationLambdaARN string
	rotationRules     *types.RotationRulesType
	lastRotatedDate   *time.Time
	nextRotationDate  *time.Time
}

type replica struct {
	region   string
	kmsKeyID string
	status   types.StatusType
	message  string
}

type version struct {
	id      string
	str     *string
	bin     []byte
	stages  []string
	created time.Time
	seq     int
}

// Option configures a Fake.
type Option func(*Fake)

// WithRegion sets the region in ARNs (default us-east-1).
func WithRegion(region string) Option { return func(f *Fake) { f.region = region } }

// WithClock sets the fake's clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(f *Fake) { f.now = now } }

// New returns an empty fake.
func New(opts ...Option) *Fake {
	f := &Fake{
		region:   "us-east-1",
		now:      time.Now,
		calls:    map[string]int{},
		requests: map[string][]any{},
		failures: map[string][]error{},

		takenNames: map[string]map[string]bool{},
	}
	for _, opt := range opts {
		opt(f)
	}
	return f
}

// ---------------------------------------------------------------------------
// Test instrumentation

// Region is the region the fake plays (WithRegion): the one in its ARNs.
func (f *Fake) Region() string { return f.region }

// Calls returns how often each operation was called since the last
// ResetCalls, including calls that failed.
func (f *Fake) Calls() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.calls)
}

// TotalCalls returns the number of API calls since the last ResetCalls.
func (f *Fake) TotalCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

// ResetCalls clears the call counts and the recorded requests.
func (f *Fake) ResetCalls() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = map[string]int{}
	f.requests = map[string][]any{}
}

// Requests returns the inputs the calls of op were made with, oldest first,
// e.g. f.Requests(fakesm.OpDeleteSecret)[0].(*sm.DeleteSecretInput).
func (f *Fake) Requests(op string) []any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests[op])
}

// FailNext makes the next calls of op fail with errs, one error per call, in
// order; the calls are counted but change nothing.
func (f *Fake) FailNext(op string, errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[op] = append(f.failures[op], errs...)
}

// begin records a call of op and returns the error it must fail with, if
// any. f.mu must be held.
func (f *Fake) begin(ctx context.Context, op string, input any) error {
	f.calls[op]++
	f.requests[op] = append(f.requests[op], input)
	if err := ctx.Err(); err != nil {
		return err
	}
	if queued := f.failures[op]; len(queued) > 0 {
		f.failures[op] = queued[1:]
		return queued[0]
	}
	return nil
}

// ---------------------------------------------------------------------------
// Out-of-band changes, as made by another tool, the console or a rotation.
// They are not counted as calls.

// SetDescription changes a secret's description.
func (f *Fake) SetDescription(secretID, description string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.lookup(secretID)
	if err != nil {
		return err
	}
	s.description = description
	s.lastChanged = f.now()
	return nil
}

// SetKmsKeyID changes the KMS key of a secret ("" for the default key).
func (f *Fake) SetKmsKeyID(secretID, keyID string) error { //nolint:revive // matches the SDK's spelling
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.lookup(secretID)
	if err != nil {
		return err
	}
	s.kmsKeyID = normalizeKMSKey(keyID)
	s.lastChanged = f.now()
	return nil
}

// SetTags replaces all of a secret's tags.
func (f *Fake) SetTags(secretID string, tags map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.lookup(secretID)
	if err != nil {
		return err
	}
	s.tags = maps.Clone(tags)
	if s.tags == nil {
		s.tags = map[string]string{}
	}
	s.lastChanged = f.now()
	return nil
}

// PutValueOutOfBand stores a new string value as AWSCURRENT, as a rotation
// or a manual edit would, and returns the new version's ID.
func (f *Fake) PutValueOutOfBand(secretID, value string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.lookup(secretID)
	if err != nil {
		return "", err
	}
	v := f.addVersion(s, newUUID(), &value, nil, nil)
	return v.id, nil
}

// DropVersion removes a version as AWS's garbage collection does. Like AWS,
// it refuses to remove a version that still carries a staging label.
func (f *Fake) DropVersion(secretID, versionID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.lookup(secretID)
	if err != nil {
		return err
	}
	v, ok := s.versions[versionID]
	if !ok {
		return versionNotFound(versionID)
	}
	if len(v.stages) > 0 {
		return fmt.Errorf("fakesm: version %s still carries staging labels %v; AWS only collects unlabeled versions", versionID, v.stages)
	}
	delete(s.versions, versionID)
	return nil
}

// SetResourcePolicy replaces a secret's resource policy ("" removes it), as
// an edit in the console would. The policy is stored rewritten, as
// PutResourcePolicy stores it.
func (f *Fake) SetResourcePolicy(secretID, policy string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.lookup(secretID)
	if err != nil {
		return err
	}
	if policy == "" {
		s.policy = ""
	} else {
		if s.policy, err = normalizePolicy(policy); err != nil {
			return err
		}
	}
	s.lastChanged = f.now()
	return nil
}

// SetReplicaStatus changes the replication status of one replica, as AWS
// does when replication to that region fails or recovers. status is InSync,
// InProgress or Failed; an empty message clears StatusMessage.
func (f *Fake) SetReplicaStatus(secretID, region, status, message string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.lookup(secretID)
	if err != nil {
		return err
	}
	st := types.StatusType(status)
	switch st {
	case types.StatusTypeInSync, types.StatusTypeInProgress, types.StatusTypeFailed:
	default:
		return fmt.Errorf("fakesm: replica status %q is not InSync, InProgress or Failed", status)
	}
	r := s.replica(region)
	if r == nil {
		return fmt.Errorf("fakesm: secret %s is not replicated to %s", s.name, region)
	}
	r.status, r.message = st, message
	return nil
}

// SetNameTakenInRegion records that region already holds a secret named
// name that the fake does not manage. Replicating a secret of that name to
// region then fails (the replica's status is Failed, with the message
// NameTakenInRegion) unless ForceOverwriteReplicaSecret is set, which
// replaces the other secret.
func (f *Fake) SetNameTakenInRegion(region, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.takenNames[region] == nil {
		f.takenNames[region] = map[string]bool{}
	}
	f.takenNames[region][name] = true
}

// Purge completes a scheduled deletion at once, as the end of the recovery
// window would.
func (f *Fake) Purge(secretID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.lookup(secretID)
	if err != nil {
		return err
	}
	if s.deletedDate == nil {
		return fmt.Errorf("fakesm: secret %s is not scheduled for deletion", s.name)
	}
	f.remove(s)
	return nil
}

// SecretSnapshot is a copy of one secret's state, for assertions.
type SecretSnapshot struct {
	ARN, Name, Description, KmsKeyID string
	Tags                             map[string]string
	DeletedDate                      *time.Time
	DeletionDate                     time.Time
	VersionStages                    map[string][]string // every version, labeled or not
	ResourcePolicy                   string              // as stored; "" = none
	ReplicaRegions                   []string            // in the order they were added
}

// Snapshot returns a copy of a secret's state, found by ARN or name.
func (f *Fake) Snapshot(secretID string) (SecretSnapshot, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.lookup(secretID)
	if err != nil {
		return SecretSnapshot{}, false
	}
	snap := SecretSnapshot{
		ARN: s.arn, Name: s.name, Description: s.description, KmsKeyID: s.kmsKeyID,
		Tags: maps.Clone(s.tags), DeletionDate: s.deletionDate, VersionStages: map[string][]string{},
		ResourcePolicy: s.policy,
	}
	for _, r := range s.replicas {
		snap.ReplicaRegions = append(snap.ReplicaRegions, r.region)
	}
	if s.deletedDate != nil {
		d := *s.deletedDate
		snap.DeletedDate = &d
	}
	for id, v := range s.versions {
		snap.VersionStages[id] = slices.Clone(v.stages)
	}
	return snap, true
}

// Len returns the number of secrets, including those scheduled for deletion.
func (f *Fake) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.secrets)
}

// ---------------------------------------------------------------------------
// The API

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
	if in.Description != nil && len(*in.Description) > maxDescription {
		return nil, invalidParameter("Description must be at most %d characters long.", maxDescription)
	}
	if err := validateValue(in.SecretString, in.SecretBinary, false); err != nil {
		return nil, err
	}
	if err := validateToken(in.ClientRequestToken); err != nil {
		return nil, err
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
		tags:        tags,
		versions:    map[string]*version{},
		created:     now,
		lastChanged: now,
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

// DescribeSecret returns a secret's metadata; it answers for secrets
// scheduled for deletion too, with DeletedDate set.
func (f *Fake) DescribeSecret(ctx context.Context, in *sm.DescribeSecretInput, _ ...func(*sm.Options)) (*sm.DescribeSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, OpDescribeSecret, in); err != nil {
		return nil, err
	}
	s, err := f.lookup(aws.ToString(in.SecretId))
	if err != nil {
		return nil, err
	}
	created, changed := s.created, s.lastChanged
	out := &sm.DescribeSecretOutput{
		ARN:             aws.String(s.arn),
		Name:            aws.String(s.name),
		CreatedDate:     &created,
		LastChangedDate: &changed,
		Tags:            toTags(s.tags),
	}
	if s.description != "" {
		out.Description = aws.String(s.description)
	}
	if s.kmsKeyID != "" {
		out.KmsKeyId = aws.String(s.kmsKeyID)
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

// UpdateSecret changes the description or KMS key, and stores a new value
// (moving AWSCURRENT to it) when one is given.
func (f *Fake) UpdateSecret(ctx context.Context, in *sm.UpdateSecretInput, _ ...func(*sm.Options)) (*sm.UpdateSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpUpdateSecret, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if in.Description != nil && len(*in.Description) > maxDescription {
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
	hasValue := in.SecretString != nil || in.SecretBinary != nil
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
	s.lastChanged = f.now()
	out := &sm.UpdateSecretOutput{ARN: aws.String(s.arn), Name: aws.String(s.name)}
	if hasValue {
		v := f.addVersion(s, tokenOrNew(in.ClientRequestToken), in.SecretString, in.SecretBinary, nil)
		out.VersionId = aws.String(v.id)
	}
	return out, nil
}

// DeleteSecret schedules deletion after a recovery window (default 30 days),
// or removes the secret at once with ForceDeleteWithoutRecovery. A secret
// already scheduled for deletion can still be force-deleted.
func (f *Fake) DeleteSecret(ctx context.Context, in *sm.DeleteSecretInput, _ ...func(*sm.Options)) (*sm.DeleteSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, OpDeleteSecret, in); err != nil {
		return nil, err
	}
	force := aws.ToBool(in.ForceDeleteWithoutRecovery)
	if force && in.RecoveryWindowInDays != nil {
		return nil, invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	}
	if in.RecoveryWindowInDays != nil {
		if days := *in.RecoveryWindowInDays; days < minRecoveryWindow || days > maxRecoveryWindow {
			return nil, invalidParameter("The RecoveryWindowInDays value must be between %d and %d days (inclusive).",
				minRecoveryWindow, maxRecoveryWindow)
		}
	}
	s, err := f.lookup(aws.ToString(in.SecretId))
	if err != nil {
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
	if force {
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

// RestoreSecret cancels a scheduled deletion. Restoring a secret that is not
// scheduled for deletion succeeds and changes nothing, as on AWS.
func (f *Fake) RestoreSecret(ctx context.Context, in *sm.RestoreSecretInput, _ ...func(*sm.Options)) (*sm.RestoreSecretOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, OpRestoreSecret, in); err != nil {
		return nil, err
	}
	s, err := f.lookup(aws.ToString(in.SecretId))
	if err != nil {
		return nil, err
	}
	s.deletedDate = nil
	s.deletionDate = time.Time{}
	return &sm.RestoreSecretOutput{ARN: aws.String(s.arn), Name: aws.String(s.name)}, nil
}

// GetResourcePolicy returns the secret's resource policy as stored (see
// PutResourcePolicy); ResourcePolicy is nil when the secret has none.
func (f *Fake) GetResourcePolicy(ctx context.Context, in *sm.GetResourcePolicyInput, _ ...func(*sm.Options)) (*sm.GetResourcePolicyOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpGetResourcePolicy, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if name := aws.ToString(in.PolicyName); name != "" && name != DefaultPolicyName {
		return nil, &types.ResourceNotFoundException{Message: aws.String(
			fmt.Sprintf("Secrets Manager can't find the resource policy %s.", name))}
	}
	out := &sm.GetResourcePolicyOutput{
		ARN: aws.String(s.arn), Name: aws.String(s.name), PolicyName: aws.String(DefaultPolicyName),
	}
	if s.policy != "" {
		out.ResourcePolicy = aws.String(s.policy)
	}
	return out, nil
}

// PutResourcePolicy attaches a resource policy, replacing any other. Like
// AWS, it does not store the text as given: see normalizePolicy.
func (f *Fake) PutResourcePolicy(ctx context.Context, in *sm.PutResourcePolicyInput, _ ...func(*sm.Options)) (*sm.PutResourcePolicyOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpPutResourcePolicy, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if err := validatePolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	text := aws.ToString(in.ResourcePolicy)
	if len(text) == 0 || len(text) > maxPolicyLength {
		return nil, invalidParameter("ResourcePolicy must be 1 to %d characters long.", maxPolicyLength)
	}
	policy, err := normalizePolicy(text)
	if err != nil {
		return nil, err
	}
	if aws.ToBool(in.BlockPublicPolicy) && isPublicPolicy(policy) {
		return nil, &types.PublicPolicyException{Message: aws.String(
			"The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.")}
	}
	s.policy = policy
	s.lastChanged = f.now()
	return &sm.PutResourcePolicyOutput{
		ARN: aws.String(s.arn), Name: aws.String(s.name), PolicyName: aws.String(DefaultPolicyName),
	}, nil
}

// DeleteResourcePolicy removes the resource policy; it succeeds when there is
// none.
func (f *Fake) DeleteResourcePolicy(ctx context.Context, in *sm.DeleteResourcePolicyInput, _ ...func(*sm.Options)) (*sm.DeleteResourcePolicyOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpDeleteResourcePolicy, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if err := validatePolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	if s.policy != "" {
		s.policy = ""
		s.lastChanged = f.now()
	}
	return &sm.DeleteResourcePolicyOutput{
		ARN: aws.String(s.arn), Name: aws.String(s.name), PolicyName: aws.String(DefaultPolicyName),
	}, nil
}

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
func (f *Fake) UntagResource(ctx context.Context, in *sm.UntagResourceInput, _ ...func(*sm.Options)) (*sm.UntagResourceOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpUntagResource, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	for _, key := range in.TagKeys {
		delete(s.tags, key)
	}
	s.lastChanged = f.now()
	return &sm.UntagResourceOutput{}, nil
}

// GetSecretValue returns the version named by VersionId or VersionStage
// (default AWSCURRENT).
func (f *Fake) GetSecretValue(ctx context.Context, in *sm.GetSecretValueInput, _ ...func(*sm.Options)) (*sm.GetSecretValueOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpGetSecretValue, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	var v *version
	switch {
	case in.VersionId != nil:
		var ok bool
		if v, ok = s.versions[*in.VersionId]; !ok {
			return nil, versionNotFound(*in.VersionId)
		}
		if in.VersionStage != nil && !slices.Contains(v.stages, *in.VersionStage) {
			return nil, invalidParameter("The version %s does not carry the staging label %s.", *in.VersionId, *in.VersionStage)
		}
	default:
		stage := StageCurrent
		if in.VersionStage != nil {
			stage = *in.VersionStage
		}
		if v = s.holder(stage); v == nil {
			return nil, &types.ResourceNotFoundException{Message: aws.String(
				fmt.Sprintf("Secrets Manager can't find the specified secret value for staging label: %s", stage))}
		}
	}
	created := v.created
	out := &sm.GetSecretValueOutput{
		ARN:           aws.String(s.arn),
		Name:          aws.String(s.name),
		VersionId:     aws.String(v.id),
		VersionStages: slices.Clone(v.stages),
		CreatedDate:   &created,
	}
	if v.str != nil {
		out.SecretString = aws.String(*v.str)
	}
	if v.bin != nil {
		out.SecretBinary = bytes.Clone(v.bin)
	}
	return out, nil
}

// PutSecretValue stores a new version. Without VersionStages it takes
// AWSCURRENT (and the previous current version takes AWSPREVIOUS); labels
// given in VersionStages move to it from whichever version holds them.
func (f *Fake) PutSecretValue(ctx context.Context, in *sm.PutSecretValueInput, _ ...func(*sm.Options)) (*sm.PutSecretValueOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpPutSecretValue, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	if err := validateValue(in.SecretString, in.SecretBinary, true); err != nil {
		return nil, err
	}
	if err := validateToken(in.ClientRequestToken); err != nil {
		return nil, err
	}
	if err := validateStages(in.VersionStages); err != nil {
		return nil, err
	}
	if in.ClientRequestToken != nil {
		if v, ok := s.versions[*in.ClientRequestToken]; ok {
			if !v.sameValue(in.SecretString, in.SecretBinary) {
				return nil, versionExists()
			}
			// Idempotent retry: nothing changes, the original answers.
			return &sm.PutSecretValueOutput{
				ARN: aws.String(s.arn), Name: aws.String(s.name),
				VersionId: aws.String(v.id), VersionStages: slices.Clone(v.stages),
			}, nil
		}
	}
	v := f.addVersion(s, tokenOrNew(in.ClientRequestToken), in.SecretString, in.SecretBinary, in.VersionStages)
	return &sm.PutSecretValueOutput{
		ARN: aws.String(s.arn), Name: aws.String(s.name),
		VersionId: aws.String(v.id), VersionStages: slices.Clone(v.stages),
	}, nil
}

// UpdateSecretVersionStage attaches a label to a version (MoveToVersionId),
// removes it from one (RemoveFromVersionId), or both.
func (f *Fake) UpdateSecretVersionStage(ctx context.Context, in *sm.UpdateSecretVersionStageInput, _ ...func(*sm.Options)) (*sm.UpdateSecretVersionStageOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.beginOnLive(ctx, OpUpdateSecretVersionStage, in, in.SecretId)
	if err != nil {
		return nil, err
	}
	stage := aws.ToString(in.VersionStage)
	if stage == "" || len(stage) > 256 {
		return nil, invalidParameter("VersionStage must be 1 to 256 characters long.")
	}
	moveTo, removeFrom := aws.ToString(in.MoveToVersionId), aws.ToString(in.RemoveFromVersionId)
	if moveTo == "" && removeFrom == "" {
		return nil, invalidParameter("You must specify MoveToVersionId, RemoveFromVersionId, or both.")
	}
	out := &sm.UpdateSecretVersionStageOutput{ARN: aws.String(s.arn), Name: aws.String(s.name)}
	holder := s.holder(stage)
	if removeFrom != "" {
		if _, ok := s.versions[removeFrom]; !ok {
			return nil, versionNotFound(removeFrom)
		}
		if holder == nil || holder.id != removeFrom {
			if moveTo != "" && holder != nil {
				return nil, invalidParameter("When you move staging label %s, if you specify RemoveFromVersionId, "+
					"it must be set to the version that currently has the staging label %s.", stage, stage)
			}
			return nil, invalidParameter("The staging label %s is not attached to version %s.", stage, removeFrom)
		}
	}
	if moveTo == "" {
		if stage == StageCurrent {
			return nil, invalidParameter("You can't remove the staging label %s from a version without "+
				"also attaching it to another version with MoveToVersionId.", StageCurrent)
		}
		holder.stages = without(holder.stages, stage)
		s.lastChanged = f.now()
		return out, nil
	}
	target, ok := s.versions[moveTo]
	if !ok {
		return nil, versionNotFound(moveTo)
	}
	if holder == target {
		return out, nil // already there
	}
	if holder != nil && removeFrom == "" {
		return nil, invalidParameter("The parameter RemoveFromVersionId can't be empty. Staging label %s is currently "+
			"attached to version %s, so you must explicitly reference that version in RemoveFromVersionId.", stage, holder.id)
	}
	if len(target.stages) >= maxStagesPerVersion {
		return nil, &types.LimitExceededException{Message: aws.String(
			fmt.Sprintf("A version can carry at most %d staging labels.", maxStagesPerVersion))}
	}
	f.moveStage(s, stage, target)
	s.lastChanged = f.now()
	return out, nil
}

// ---------------------------------------------------------------------------
// Internals. f.mu must be held.

func (f *Fake) newARN(name string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for {
		suffix := make([]byte, 6)
		for i := range suffix {
			suffix[i] = alphabet[rand.IntN(len(alphabet))]
		}
		arn := fmt.Sprintf("%s%s-%s", f.arnPrefix(), name, suffix)
		if !slices.ContainsFunc(f.secrets, func(s *secret) bool { return s.arn == arn }) {
			return arn
		}
	}
}

func (f *Fake) arnPrefix() string {
	return fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:", f.region, Account)
}

func (f *Fake) findByName(name string) *secret {
	for _, s := range f.secrets {
		if s.name == name {
			return s
		}
	}
	return nil
}

// lookup finds a secret by full ARN, partial ARN (no random suffix) or name,
// including one scheduled for deletion.
func (f *Fake) lookup(id string) (*secret, error) {
	if id == "" {
		return nil, invalidParameter("SecretId must not be empty.")
	}
	for _, s := range f.secrets {
		if s.arn == id {
			return s, nil
		}
	}
	name, isARN := strings.CutPrefix(id, f.arnPrefix())
	if !isARN && strings.HasPrefix(id, "arn:") {
		return nil, secretNotFound()
	}
	if s := f.findByName(name); s != nil {
		return s, nil
	}
	return nil, secretNotFound()
}

// lookupLive is lookup for operations that a scheduled deletion forbids.
// beginOnLive starts an operation on a live secret: counts and records the
// call, returns an injected error if any, then looks the secret up.
func (f *Fake) beginOnLive(ctx context.Context, op string, in any, secretID *string) (*secret, error) {
	if err := f.begin(ctx, op, in); err != nil {
		return nil, err
	}
	return f.lookupLive(aws.ToString(secretID))
}

func (f *Fake) lookupLive(id string) (*secret, error) {
	s, err := f.lookup(id)
	if err != nil {
		return nil, err
	}
	if s.deletedDate != nil {
		return nil, markedForDeletion()
	}
	return s, nil
}

func (f *Fake) remove(s *secret) {
	f.secrets = slices.DeleteFunc(f.secrets, func(o *secret) bool { return o == s })
}

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

// addVersion stores a new version and attaches its labels: the given
// stages, or AWSCURRENT when none are given or when it is the secret's first
// version.
func (f *Fake) addVersion(s *secret, id string, str *string, bin []byte, stages []string) *version {
	now := f.now()
	f.seq++
	v := &version{id: id, created: now, seq: f.seq}
	if str != nil {
		v.str = aws.String(*str)
	}
	if bin != nil {
		v.bin = bytes.Clone(bin)
	}
	if len(stages) == 0 || s.holder(StageCurrent) == nil {
		stages = append(slices.Clone(stages), StageCurrent)
	}
	s.versions[id] = v
	for _, stage := range slices.Compact(slices.Sorted(slices.Values(stages))) {
		f.moveStage(s, stage, v)
	}
	s.lastChanged = now
	f.collectGarbage(s)
	return v
}

// moveStage attaches stage to target, detaching it from its holder. Moving
// AWSCURRENT moves AWSPREVIOUS to the version AWSCURRENT left.
func (f *Fake) moveStage(s *secret, stage string, target *version) {
	holder := s.holder(stage)
	if holder == target {
		return
	}
	if holder != nil {
		holder.stages = without(holder.stages, stage)
	}
	target.stages = append(target.stages, stage)
	if stage == StageCurrent && holder != nil {
		if prev := s.holder(StagePrevious); prev != nil {
			prev.stages = without(prev.stages, StagePrevious)
		}
		holder.stages = append(holder.stages, StagePrevious)
	}
}

// collectGarbage deletes the oldest unlabeled versions while a secret has
// more than 100 versions, sparing versions younger than 24 hours.
func (f *Fake) collectGarbage(s *secret) {
	if len(s.versions) <= maxVersions {
		return
	}
	unlabeled := make([]*version, 0, len(s.versions))
	for _, v := range s.versions {
		if len(v.stages) == 0 && f.now().Sub(v.created) >= gcMinimumAge {
			unlabeled = append(unlabeled, v)
		}
	}
	slices.SortFunc(unlabeled, func(a, b *version) int { return a.seq - b.seq })
	for _, v := range unlabeled {
		if len(s.versions) <= maxVersions {
			return
		}
		delete(s.versions, v.id)
	}
}

func (s *secret) holder(stage string) *version {
	for _, v := range s.versions {
		if slices.Contains(v.stages, stage) {
			return v
		}
	}
	return nil
}

func (v *version) sameValue(str *string, bin []byte) bool {
	if (v.str == nil) != (str == nil) || (v.bin == nil) != (bin == nil) {
		return false
	}
	return (str == nil || *v.str == *str) && bytes.Equal(v.bin, bin)
}

func without(stages []string, stage string) []string {
	return slices.DeleteFunc(slices.Clone(stages), func(s string) bool { return s == stage })
}

func tokenOrNew(token *string) string {
	if token != nil {
		return *token
	}
	// The SDK fills in a token when the caller gives none.
	return newUUID()
}

func newUUID() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rand.UintN(256))
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

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

func validateName(name string) error {
	switch {
	case len(name) == 0 || len(name) > maxNameLength:
		return invalidParameter("The secret name must be 1 to %d characters long.", maxNameLength)
	case !nameChars.MatchString(name):
		return invalidParameter("The secret name can contain only ASCII letters, numbers, and the characters /_+=.@-")
	}
	return nil
}

// validateValue checks a value: never both kinds, at most 64 KiB, and, when
// required, one of them.
func validateValue(str *string, bin []byte, required bool) error {
	switch {
	case str != nil && bin != nil:
		return invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.")
	case required && str == nil && bin == nil:
		return invalidParameter("You must provide either SecretString or SecretBinary.")
	case str != nil && (len(*str) == 0 || len(*str) > maxValueBytes):
		return invalidParameter("SecretString must be 1 to %d bytes long.", maxValueBytes)
	case bin != nil && (len(bin) == 0 || len(bin) > maxValueBytes):
		return invalidParameter("SecretBinary must be 1 to %d bytes long.", maxValueBytes)
	}
	return nil
}

func validateToken(token *string) error {
	if token != nil && (len(*token) < minTokenLength || len(*token) > maxTokenLength) {
		return invalidParameter("ClientRequestToken must be %d to %d characters long.", minTokenLength, maxTokenLength)
	}
	return nil
}

func validateStages(stages []string) error {
	if len(stages) > maxStagesPerVersion {
		return invalidParameter("A version can carry at most %d staging labels.", maxStagesPerVersion)
	}
	for _, stage := range stages {
		if stage == "" || len(stage) > 256 {
			return invalidParameter("Each staging label must be 1 to 256 characters long.")
		}
	}
	return nil
}

func validateRegion(region string) error {
	if len(region) == 0 || len(region) > maxRegionLength || !regionCode.MatchString(region) {
		return invalidParameter("%q is not a valid Region code (for example us-east-1).", region)
	}
	return nil
}

func validatePolicyName(name *string) error {
	if name != nil && *name != DefaultPolicyName {
		return invalidParameter("The only supported PolicyName is %s.", DefaultPolicyName)
	}
	return nil
}

// normalizePolicy checks that text is a JSON object and rewrites it as AWS
// rewrites stored policies, changing its text but not its meaning: it is
// compacted, and in each statement a one-element "Action" array becomes a
// plain string. Member order is kept.
func normalizePolicy(text string) (string, error) {
	malformed := &types.MalformedPolicyDocumentException{Message: aws.String(
		"This resource policy contains a syntax error: it must be a JSON object.")}
	if !json.Valid([]byte(text)) {
		return "", malformed
	}
	members, ok := objectMembers([]byte(text))
	if !ok {
		return "", malformed
	}
	for i, m := range members {
		if m.key != "Statement" {
			continue
		}
		if statement, ok := objectMembers(m.value); ok {
			members[i].value = rewriteStatement(statement)
			continue
		}
		var statements []json.RawMessage
		if json.Unmarshal(m.value, &statements) != nil {
			continue
		}
		for j, raw := range statements {
			if statement, ok := objectMembers(raw); ok {
				statements[j] = rewriteStatement(statement)
			}
		}
		members[i].value = joinJSON('[', statements, ']')
	}
	var out bytes.Buffer
	if err := json.Compact(&out, encodeObject(members)); err != nil {
		return "", malformed
	}
	return out.String(), nil
}

// rewriteStatement turns "Action": ["x"] into "Action": "x".
func rewriteStatement(members []member) json.RawMessage {
	for i, m := range members {
		var actions []json.RawMessage
		if m.key != "Action" || json.Unmarshal(m.value, &actions) != nil || len(actions) != 1 {
			continue
		}
		var action string
		if json.Unmarshal(actions[0], &action) == nil {
			members[i].value = actions[0]
		}
	}
	return encodeObject(members)
}

type member struct {
	key   string
	value json.RawMessage
}

// objectMembers splits a valid JSON object into its members, in order; ok
// is false when raw is not an object.
func objectMembers(raw []byte) (members []member, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, false
		}
		members = append(members, member{key: key, value: value})
	}
	return members, true
}

func encodeObject(members []member) json.RawMessage {
	parts := make([]json.RawMessage, 0, len(members))
	for _, m := range members {
		var key bytes.Buffer
		enc := json.NewEncoder(&key)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(m.key) // a string always encodes
		parts = append(parts, append(append(bytes.TrimSpace(key.Bytes()), ':'), m.value...))
	}
	return joinJSON('{', parts, '}')
}

func joinJSON(open byte, parts []json.RawMessage, end byte) json.RawMessage {
	out := []byte{open}
	for i, p := range parts {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, p...)
	}
	return append(out, end)
}

// isPublicPolicy reports whether a (valid) policy has a statement that
// allows everyone: Effect Allow, Principal "*" or {"AWS": "*"} (alone or in
// a list), and no Condition. AWS's analysis is finer; this is the case
// BlockPublicPolicy exists for.
func isPublicPolicy(policy string) bool {
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(policy), &doc) != nil {
		return false
	}
	type statement struct {
		Effect    string
		Principal any
		Condition json.RawMessage
	}
	var statements []statement
	if json.Unmarshal(doc.Statement, &statements) != nil {
		var one statement
		if json.Unmarshal(doc.Statement, &one) != nil {
			return false
		}
		statements = []statement{one}
	}
	isStar := func(v any) bool {
		switch v := v.(type) {
		case string:
			return v == "*"
		case []any:
			return slices.Contains(v, any("*"))
		}
		return false
	}
	for _, st := range statements {
		if st.Effect != "Allow" || len(st.Condition) > 0 && string(st.Condition) != "null" {
			continue
		}
		if isStar(st.Principal) {
			return true
		}
		if p, ok := st.Principal.(map[string]any); ok && isStar(p["AWS"]) {
			return true
		}
	}
	return false
}

// validateTags merges added into current (nil for none) and checks the
// result against AWS's tag rules.
func validateTags(current map[string]string, added []types.Tag) (map[string]string, error) {
	out := maps.Clone(current)
	if out == nil {
		out = map[string]string{}
	}
	for _, t := range added {
		key, value := aws.ToString(t.Key), aws.ToString(t.Value)
		switch {
		case len(key) == 0 || len(key) > maxTagKeyLength:
			return nil, invalidParameter("Tag keys must be 1 to %d characters long.", maxTagKeyLength)
		case strings.HasPrefix(strings.ToLower(key), "aws:"):
			return nil, invalidParameter("Tag keys can't start with the reserved prefix aws:.")
		case len(value) > maxTagValueLength:
			return nil, invalidParameter("Tag values must be at most %d characters long.", maxTagValueLength)
		}
		out[key] = value
	}
	if len(out) > maxTags {
		return nil, invalidParameter("A secret can have at most %d tags.", maxTags)
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// Errors, as the SDK types them.

func invalidParameter(format string, args ...any) error {
	return &types.InvalidParameterException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func secretNotFound() error {
	return &types.ResourceNotFoundException{Message: aws.String("Secrets Manager can't find the specified secret.")}
}

func versionNotFound(versionID string) error {
	return &types.ResourceNotFoundException{Message: aws.String(
		fmt.Sprintf("Secrets Manager can't find the specified secret value for VersionId: %s", versionID))}
}

func markedForDeletion() error {
	return &types.InvalidRequestException{Message: aws.String(
		"You can't perform this operation on the secret because it was marked for deletion.")}
}

func versionExists() error {
	return &types.ResourceExistsException{Message: aws.String(
		"You can't modify an existing version, you can only create a new version.")}
}
