package secretsmanager

import (
	"context"
	"fmt"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// A write-only value (`secretStringWo`, `secretBinaryWo`) never reaches
// Pulumi state, not even encrypted. The engine records as a resource's inputs
// exactly what the provider's Check returns, and everything else it stores
// (checkpoints, history, backups, plans) is built from those inputs and the
// outputs. So Check validates the value, leaves it out of the inputs it
// returns and keeps it here, in this provider process's memory, for the
// Create or Update of the same deployment (the engine starts one provider
// process per deployment). That call takes it out again: a value is never
// written twice, and a process that never saw the Check (a crash, another
// deployment) has no value to write, and says so instead of writing an empty
// or stale one.

// versionValue is a SecretVersion's value: the text, or the base64-encoded
// binary. Exactly one is set, except in a preview that does not know it yet.
type versionValue struct {
	text, binary *string
}

// storedValue is the value a SecretVersion's state records, if any.
func storedValue(state SecretVersionState) versionValue {
	return versionValue{text: state.SecretString, binary: state.SecretBinary}
}

// same compares two values of the same kind, never logging either.
func (v versionValue) same(other versionValue) bool {
	return equalPtr(v.text, other.text) && equalPtr(v.binary, other.binary) && (v.text != nil || v.binary != nil)
}

// writeOnlyValues holds the write-only values Check validated, by URN, until
// their Create or Update takes them.
type writeOnlyValues struct {
	byURN sync.Map // resource.URN → versionValue
}

// keep remembers urn's value, or forgets an earlier one when value is nil (a
// Check that had no known write-only value).
func (w *writeOnlyValues) keep(urn resource.URN, value *versionValue) {
	if value == nil {
		w.byURN.Delete(urn)
		return
	}
	w.byURN.Store(urn, *value)
}

// peek returns urn's value without forgetting it: Diff and a preview's
// Create compare and describe, they do not write.
func (w *writeOnlyValues) peek(urn resource.URN) (versionValue, bool) {
	v, ok := w.byURN.Load(urn)
	if !ok {
		return versionValue{}, false
	}
	return v.(versionValue), true
}

// take returns urn's value and forgets it.
func (w *writeOnlyValues) take(urn resource.URN) (versionValue, bool) {
	v, ok := w.byURN.LoadAndDelete(urn)
	if !ok {
		return versionValue{}, false
	}
	return v.(versionValue), true
}

// missingWriteOnlyValue is the error of a Create that has no value to write.
func missingWriteOnlyValue(ctx context.Context) error {
	return fmt.Errorf("secretStringWo/secretBinaryWo: this provider process holds no write-only value for %s. "+
		"smx keeps a write-only value only in memory, from the Check to the Create of one deployment, and never "+
		"in state; run `pulumi up` again so that the program's value reaches this step", urnIn(ctx))
}
