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
//
// Every error is the SDK's typed error (types.ResourceNotFoundException and
// so on), so errors.As works as against AWS. No error message ever contains a
// secret value.
//
// For tests it counts calls per operation (Calls, ResetCalls), records the
// inputs of each call (Requests), injects errors into the next calls of an
// operation (FailNext), and changes state out of band, as another tool or a
// rotation would (SetDescription, SetTags, SetKmsKeyID, PutValueOutOfBand,
// DropVersion, Purge). Out-of-band helpers are not counted as calls.
package fakesm

import (
	"bytes"
	"context"
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
)

var nameChars = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)

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
	}
	for _, opt := range opts {
		opt(f)
	}
	return f
}

// ---------------------------------------------------------------------------
// Test instrumentation

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
				return &sm.CreateSecretOutput{ARN: aws.String(existing.arn), Name: aws.String(existing.name), VersionId: aws.String(v.id)}, nil
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
	out := &sm.CreateSecretOutput{ARN: aws.String(s.arn), Name: aws.String(s.name)}
	if in.SecretString != nil || in.SecretBinary != nil {
		v := f.addVersion(s, tokenOrNew(in.ClientRequestToken), in.SecretString, in.SecretBinary, nil)
		out.VersionId = aws.String(v.id)
	}
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
	for id, v := range s.versions {
		// Like AWS (and unlike moto), only versions with labels are listed.
		if len(v.stages) == 0 {
			continue
		}
		if out.VersionIdsToStages == nil {
			out.VersionIdsToStages = map[string][]string{}
		}
		out.VersionIdsToStages[id] = slices.Clone(v.stages)
	}
	return out, nil
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

// RestoreSecret cancels a scheduled deletion. It is not part of
// secretsmanager.API yet; it is here so that tests can undo a deletion the
// way AWS allows.
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
