package fakesm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
)

// Operations on values and their staging labels, as counted by Calls and
// targeted by FailNext.
const (
	OpGetSecretValue           = "GetSecretValue"
	OpBatchGetSecretValue      = "BatchGetSecretValue"
	OpPutSecretValue           = "PutSecretValue"
	OpUpdateSecretVersionStage = "UpdateSecretVersionStage"
)

// Staging labels Secrets Manager manages itself.
const (
	StageCurrent  = "AWSCURRENT"
	StagePrevious = "AWSPREVIOUS"
)

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
			// InvalidRequestException, as AWS answers (moto's check, which
			// its authors verified against AWS: getmoto/moto#5238).
			return nil, &types.InvalidRequestException{Message: aws.String(
				"You provided a VersionStage that is not associated to the provided VersionId.")}
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
	f.accessed(s, v)
	return valueOf(s, v), nil
}

// accessed records a read of version v of secret s: AWS reports when a
// secret and a version were last read, as LastAccessedDate, "at the date
// level", so the fake keeps the day (UTC midnight).
func (f *Fake) accessed(s *secret, v *version) {
	day := f.now().UTC().Truncate(24 * time.Hour)
	s.lastAccessed, v.lastAccessed = &day, &day
}

// lastAccessedDate copies a day recorded by accessed, nil if never read.
func lastAccessedDate(day *time.Time) *time.Time {
	if day == nil {
		return nil
	}
	d := *day
	return &d
}

// valueOf is what GetSecretValue answers for version v of secret s: copies,
// so that no caller can change the fake's state.
func valueOf(s *secret, v *version) *sm.GetSecretValueOutput {
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
	return out
}

// maxBatchSecrets is how many secrets one BatchGetSecretValue may name.
const maxBatchSecrets = 20

// BatchGetSecretValue returns the AWSCURRENT value of up to 20 secrets
// named in SecretIdList, or of the secrets that pass Filters (as ListSecrets
// filters and orders them, in pages of MaxResults, at most 20). As AWS
// does, a secret that cannot be read — not found, scheduled for deletion,
// without an AWSCURRENT value — fails alone, in Errors, and the others are
// returned (moto fails the whole call instead).
func (f *Fake) BatchGetSecretValue(ctx context.Context, in *sm.BatchGetSecretValueInput, _ ...func(*sm.Options)) (*sm.BatchGetSecretValueOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin(ctx, OpBatchGetSecretValue, in); err != nil {
		return nil, err
	}
	switch {
	case len(in.Filters) > 0 && len(in.SecretIdList) > 0:
		return nil, invalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.")
	case len(in.Filters) == 0 && len(in.SecretIdList) == 0:
		return nil, invalidParameter("Either 'SecretIdList' or 'Filters' must be provided.")
	case len(in.SecretIdList) > maxBatchSecrets:
		return nil, invalidParameter("SecretIdList can contain at most %d secrets.", maxBatchSecrets)
	case in.MaxResults != nil && len(in.Filters) == 0:
		return nil, invalidParameter("'MaxResults' is only valid together with 'Filters'.")
	case in.MaxResults != nil && (*in.MaxResults < 1 || *in.MaxResults > maxBatchSecrets):
		return nil, invalidParameter("MaxResults must be between 1 and %d.", maxBatchSecrets)
	}
	out := &sm.BatchGetSecretValueOutput{}
	ids := in.SecretIdList
	if len(in.Filters) > 0 {
		if err := validateFilters(in.Filters); err != nil {
			return nil, err
		}
		var matched []*secret
		for _, s := range f.secrets {
			if s.deletedDate == nil && matchesFilters(s, in.Filters, f.region) {
				matched = append(matched, s)
			}
		}
		// As ListSecrets lists them by default.
		if err := sortSecrets(matched, "", ""); err != nil {
			return nil, err
		}
		maxResults := in.MaxResults
		if maxResults == nil {
			maxResults = aws.Int32(maxBatchSecrets)
		}
		start, end, next, err := page(len(matched), maxResults, in.NextToken)
		if err != nil {
			return nil, err
		}
		out.NextToken = next
		ids = nil
		for _, s := range matched[start:end] {
			ids = append(ids, s.arn)
		}
	}
	for _, id := range ids {
		s, err := f.lookupLive(id)
		var v *version
		if err == nil {
			if v = s.holder(StageCurrent); v == nil {
				err = &types.ResourceNotFoundException{Message: aws.String(
					"Secrets Manager can't find the specified secret value for staging label: " + StageCurrent)}
			}
		}
		if err != nil {
			var apiErr smithy.APIError
			code, message := "InternalServiceError", err.Error()
			if errors.As(err, &apiErr) {
				code, message = apiErr.ErrorCode(), apiErr.ErrorMessage()
			}
			out.Errors = append(out.Errors, types.APIErrorType{SecretId: aws.String(id), ErrorCode: aws.String(code), Message: aws.String(message)})
			continue
		}
		f.accessed(s, v)
		value := valueOf(s, v)
		out.SecretValues = append(out.SecretValues, types.SecretValueEntry{
			ARN: value.ARN, Name: value.Name, VersionId: value.VersionId, VersionStages: value.VersionStages,
			CreatedDate: value.CreatedDate, SecretString: value.SecretString, SecretBinary: value.SecretBinary,
		})
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
	if err := refuseOnCrossAccountReplica(s); err != nil {
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
	f.replicateAcross(s)
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
	if stage == "" || characters(stage) > 256 {
		return nil, invalidParameter("VersionStage must be 1 to 256 characters long.")
	}
	if err := refuseOnCrossAccountReplica(s); err != nil {
		return nil, err
	}
	// The labels' new places reach a cross-account replica too.
	defer f.replicateAcross(s)
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

// ---------------------------------------------------------------------------
// Validation, as AWS does it. Messages never quote a secret value.

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
		if stage == "" || characters(stage) > 256 {
			return invalidParameter("Each staging label must be 1 to 256 characters long.")
		}
	}
	return nil
}
