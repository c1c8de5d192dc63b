package secretsmanager_test

import (
	"encoding/base64"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/provider"
	"github.com/smxlabs/pulumi-smx/provider/secretsmanager"
)

// batchingHarness gathers reads for long enough that every read a test
// starts at once lands in the same batches, however slow the machine.
func batchingHarness(t *testing.T) *harness {
	t.Helper()
	timing := secretsmanager.DefaultTiming()
	timing.ReadBatchWindow = 300 * time.Millisecond
	return newHarness(t, provider.WithTiming(timing))
}

// refreshAll reads every resource at once, as `pulumi refresh` does.
func (h *harness) refreshAll(resources []created) []p.ReadResponse {
	h.t.Helper()
	responses := make([]p.ReadResponse, len(resources))
	errs := make([]error, len(resources))
	var wg sync.WaitGroup
	for i, r := range resources {
		wg.Go(func() {
			responses[i], errs[i] = h.server.Read(p.ReadRequest{ID: r.id, Urn: r.urn, Properties: r.state, Inputs: r.inputs})
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(h.t, err, "reading %s", resources[i].urn.Name())
	}
	return responses
}

// newStringVersions creates n secrets named prefix/0…, each with a
// SecretVersion holding "value-<i>".
func (h *harness) newStringVersions(prefix string, n int) []created {
	h.t.Helper()
	var versions []created
	for i := range n {
		s := h.newSecret(fmt.Sprintf("%s/%d", prefix, i))
		versions = append(versions, h.create(versionType, fmt.Sprintf("v%d", i), pm{"secretId": str(s.id), "secretString": str(fmt.Sprintf("value-%d", i))}))
	}
	return versions
}

// callsSince is how many calls of each operation the fake has seen since
// before.
func callsSince(f *fakesm.Fake, before map[string]int) map[string]int {
	delta := map[string]int{}
	for op, n := range f.Calls() {
		if d := n - before[op]; d > 0 {
			delta[op] = d
		}
	}
	return delta
}

func TestRefreshesOfCurrentVersionsShareBatchGetSecretValueCalls(t *testing.T) {
	t.Parallel()
	h := batchingHarness(t)
	const n = 31
	var versions []created
	values := map[string]string{}
	for i := range n {
		s := h.newSecret(fmt.Sprintf("batch/%02d", i))
		args := pm{"secretId": str(s.id), "secretString": str(fmt.Sprintf("value-%02d", i))}
		if i%3 == 0 {
			args = pm{"secretId": str(s.id), "secretBinary": str(base64.StdEncoding.EncodeToString([]byte{byte(i), 0xff}))}
		}
		v := h.create(versionType, fmt.Sprintf("v%02d", i), args)
		versions = append(versions, v)
		values[v.urn.Name()] = getString(t, v.state, "versionId")
	}
	// A version pinned to a label of its own is read by its ID, alone.
	pinnedSecret := h.newSecret("batch/pinned")
	_, err := h.fake.PutValueOutOfBand(pinnedSecret.id, "current") // else the first version takes AWSCURRENT too
	require.NoError(t, err)
	pinned := h.create(versionType, "pinned", pm{"secretId": str(pinnedSecret.id), "secretString": str("pinned-value"), "versionStages": strList("pending")})

	before := h.fake.Calls()
	responses := h.refreshAll(append(versions, pinned))
	calls := callsSince(h.fake, before)
	// 31 versions that hold AWSCURRENT: a batch of 20 and one of 11. The
	// pinned version: one GetSecretValue.
	assert.Equal(t, map[string]int{fakesm.OpBatchGetSecretValue: 2, fakesm.OpGetSecretValue: 1}, calls)

	for i, resp := range responses[:n] {
		v := versions[i]
		require.Equal(t, v.id, resp.ID, "%s still exists", v.urn.Name())
		assert.Equal(t, values[v.urn.Name()], getString(t, resp.Properties, "versionId"))
		assert.Equal(t, []string{"AWSCURRENT"}, stagesValue(t, resp.Properties))
		// What a refresh reports is what it reported before batching: the
		// state Create recorded, value included.
		assert.Equal(t, v.state, resp.Properties, "%s refreshed to its own state", v.urn.Name())
	}
	assert.Equal(t, pinned.state, responses[n].Properties)
}

// One secret the batch cannot read fails alone: it is read again by
// itself, and what the refresh reports for every secret is what single
// reads report.
func TestAPartlyFailedBatchReadsTheFailedSecretsAlone(t *testing.T) {
	t.Parallel()
	h := batchingHarness(t)
	versions := h.newStringVersions("partial", 6)
	deleted, rotated := versions[1], versions[4]
	_, err := h.fake.DeleteSecret(t.Context(), &sm.DeleteSecretInput{SecretId: aws.String(getString(t, deleted.state, "arn"))})
	require.NoError(t, err)
	rotatedVersion, err := h.fake.PutValueOutOfBand(getString(t, rotated.state, "arn"), "rotated-value")
	require.NoError(t, err)

	before := h.fake.Calls()
	responses := h.refreshAll(versions)
	assert.Equal(t, map[string]int{fakesm.OpBatchGetSecretValue: 1, fakesm.OpGetSecretValue: 1}, callsSince(h.fake, before),
		"one batch; the secret scheduled for deletion read again alone")

	assert.Empty(t, responses[1].ID, "the version of a secret scheduled for deletion is gone")
	// AWSCURRENT moved out of band: the version reports the value it now stands for.
	require.NotEmpty(t, responses[4].ID)
	assert.Equal(t, rotatedVersion, getString(t, responses[4].Properties, "versionId"))
	requireSecret(t, responses[4].Properties, "secretString", "rotated-value")
	for _, i := range []int{0, 2, 3, 5} {
		assert.Equal(t, versions[i].state, responses[i].Properties)
	}
}

func TestABatchRefusedByIAMIsNotTriedAgain(t *testing.T) {
	t.Parallel()
	h := batchingHarness(t)
	versions := h.newStringVersions("denied", 4)
	h.fake.FailNext(fakesm.OpBatchGetSecretValue, &smithy.GenericAPIError{Code: "AccessDeniedException",
		Message: "User is not authorized to perform: secretsmanager:BatchGetSecretValue"})

	before := h.fake.Calls()
	responses := h.refreshAll(versions)
	assert.Equal(t, map[string]int{fakesm.OpBatchGetSecretValue: 1, fakesm.OpGetSecretValue: 4}, callsSince(h.fake, before))
	for i, resp := range responses {
		assert.Equal(t, versions[i].state, resp.Properties)
	}
	before = h.fake.Calls()
	h.refreshAll(versions)
	assert.Equal(t, map[string]int{fakesm.OpGetSecretValue: 4}, callsSince(h.fake, before), "no second BatchGetSecretValue")
}

// A batch that fails as a whole for another reason — as moto fails one
// with a secret that has no value — falls back for that batch only.
func TestABatchFailedAsAWholeFallsBackForThatBatchOnly(t *testing.T) {
	t.Parallel()
	h := batchingHarness(t)
	versions := h.newStringVersions("whole", 3)
	h.fake.FailNext(fakesm.OpBatchGetSecretValue, &smithy.GenericAPIError{Code: "ResourceNotFoundException",
		Message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"})
	before := h.fake.Calls()
	for i, resp := range h.refreshAll(versions) {
		assert.Equal(t, versions[i].state, resp.Properties)
	}
	assert.Equal(t, map[string]int{fakesm.OpBatchGetSecretValue: 1, fakesm.OpGetSecretValue: 3}, callsSince(h.fake, before))
	before = h.fake.Calls()
	h.refreshAll(versions)
	assert.Equal(t, map[string]int{fakesm.OpBatchGetSecretValue: 1}, callsSince(h.fake, before), "batching again")
}

// A refresh of one version alone spends no BatchGetSecretValue quota.
func TestALoneRefreshReadsWithGetSecretValue(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.newSecret("alone")
	v := h.create(versionType, "v", pm{"secretId": str(s.id), "secretString": str("value")})
	before := h.fake.Calls()
	assert.Equal(t, v.state, h.read(v).Properties)
	assert.Equal(t, map[string]int{fakesm.OpGetSecretValue: 1}, callsSince(h.fake, before))
}
