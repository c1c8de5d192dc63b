// Package fakesm is a test double: an in-process, concurrency-safe fake of
// the AWS Secrets Manager API, so that the provider's unit tests run without
// AWS or moto. It is internal to this module, not part of smx's API, so it
// can change whenever the tests need it to. It implements every method of
// secretsmanager.API (the narrow interface smx calls) and follows the AWS API
// reference, not moto: where moto deviates from AWS (see CONTRIBUTING.md,
// "Where moto differs from AWS"), the fake does what AWS documents.
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
//   - Tags: at most 50, keys 1–127 and values at most 255 characters. Keys
//     with the reserved prefix aws: (in any case) belong to AWS services:
//     CreateSecret, TagResource and UntagResource refuse them with
//     InvalidParameterException, and they do not count against the 50.
//     SetTags puts them on a secret, as CloudFormation would.
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
// SetNameTakenInRegion; CompleteRotation and FailRotation end a rotation).
// Out-of-band helpers are not counted as calls.
//
// Serve (serve.go) serves a Cloud of fakes on loopback over Secrets
// Manager's own wire protocol, for what takes only an endpoint (the AWS CLI,
// another SDK, the provider binary); tests/differential compares it with
// moto.
package fakesm

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// Account is the AWS account ID in the ARNs of a fake made without
// WithAccount.
const Account = "123456789012"

// Limits from the Secrets Manager API reference. AWS counts lengths in
// characters (Unicode code points), except the value's size, which it counts
// in bytes (maxValueBytes): the fake measures strings with characters().
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

// Fake is an in-memory Secrets Manager. Its zero value is not usable: call New.
type Fake struct {
	// mu guards the fake's state. Fakes of one Cloud share theirs, so that an
	// operation that reaches into another account (cross-account replication)
	// holds one lock, never two.
	mu       *sync.Mutex
	account  string
	region   string
	cloud    *Cloud // the other accounts and regions; nil for a fake on its own
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
	partnerType  string // Type: the partner of a managed external secret; "" = an ordinary secret
	tags         map[string]string
	versions     map[string]*version
	created      time.Time
	lastChanged  time.Time
	lastAccessed *time.Time // the day of the last read (see accessed); nil if never read
	deletedDate  *time.Time // set while deletion is scheduled
	deletionDate time.Time  // when a scheduled deletion completes
	policy       string     // the resource policy as AWS stores it; "" = none
	replicas     []*replica // in the order they were added

	// Cross-account replication (crossaccount.go): the primary a replica
	// replicates from, or the replica a primary replicates to.
	crossAccountPrimary *crossAccountLink
	crossAccountReplica *crossAccountLink
	// servicePolicies are the resource policies Secrets Manager manages
	// itself, by name; policy is the user's `default` one.
	servicePolicies map[string]string

	// Rotation configuration (see rotation.go).
	rotationEnabled   *bool // nil until rotation is first configured
	rotationLambdaARN string
	rotationRules     *types.RotationRulesType
	// What a managed external secret's partner needs to rotate it, in
	// place of a Lambda function (see rotation.go).
	externalRotationMetadata []types.ExternalSecretRotationMetadataItem
	externalRotationRoleARN  string
	lastRotatedDate          *time.Time
	nextRotationDate         *time.Time
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
	// lastAccessed is the day of the version's last read; nil if never read.
	lastAccessed *time.Time
}

// Option configures a Fake.
type Option func(*Fake)

// WithRegion sets the region in ARNs (default us-east-1).
func WithRegion(region string) Option { return func(f *Fake) { f.region = region } }

// WithAccount sets the account ID in ARNs (default Account).
func WithAccount(account string) Option { return func(f *Fake) { f.account = account } }

// WithClock sets the fake's clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(f *Fake) { f.now = now } }

// New returns an empty fake.
func New(opts ...Option) *Fake {
	f := &Fake{
		mu:       &sync.Mutex{},
		account:  Account,
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

// AccountID is the account the fake plays (WithAccount): the one in its ARNs.
func (f *Fake) AccountID() string { return f.account }

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
	return fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:", f.region, f.account)
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

// beginOn opens every operation on one secret: it counts and records the
// call, returns an injected error if any, runs requestChecks (the request's
// own parameters, for an operation that AWS judges before it looks the secret
// up), then looks the secret up. It finds a secret scheduled for deletion too,
// as DescribeSecret, DeleteSecret, RestoreSecret and ListSecretVersionIds do;
// beginOnLive refuses one.
func (f *Fake) beginOn(ctx context.Context, op string, in any, secretID *string, requestChecks ...func() error) (*secret, error) {
	if err := f.begin(ctx, op, in); err != nil {
		return nil, err
	}
	for _, check := range requestChecks {
		if err := check(); err != nil {
			return nil, err
		}
	}
	return f.lookup(aws.ToString(secretID))
}

// beginOnLive is beginOn for the operations that a scheduled deletion
// forbids.
func (f *Fake) beginOnLive(ctx context.Context, op string, in any, secretID *string) (*secret, error) {
	s, err := f.beginOn(ctx, op, in, secretID)
	if err != nil {
		return nil, err
	}
	if err := refuseIfScheduledForDeletion(s); err != nil {
		return nil, err
	}
	return s, nil
}

// lookupLive is lookup for operations that a scheduled deletion forbids.
func (f *Fake) lookupLive(id string) (*secret, error) {
	s, err := f.lookup(id)
	if err != nil {
		return nil, err
	}
	if err := refuseIfScheduledForDeletion(s); err != nil {
		return nil, err
	}
	return s, nil
}

func refuseIfScheduledForDeletion(s *secret) error {
	if s.deletedDate != nil {
		return markedForDeletion()
	}
	return nil
}

func (f *Fake) remove(s *secret) {
	f.secrets = slices.DeleteFunc(f.secrets, func(o *secret) bool { return o == s })
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
