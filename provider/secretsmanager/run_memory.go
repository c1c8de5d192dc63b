package secretsmanager

import (
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// runMemory is what one provider process — one `pulumi up` — remembers
// across its resources. The engine starts a provider process per
// deployment, so nothing here outlives a run, and a crash forgets it all.
type runMemory struct {
	// createdSecrets holds the ARNs and names of the secrets this run created:
	// a SecretVersion of such a secret can have no earlier version to find.
	createdSecrets sync.Map
	// writeOnly carries SecretVersion's write-only values from Check to
	// Create (write_only.go).
	writeOnly writeOnlyValues
	// stages holds which SecretVersion asks for each label (stages.go).
	stages stageClaims
	// importedWithoutValue holds, by URN, the value property (secretString
	// or secretBinary) of each SecretVersion that Read imported with a
	// placeholder in place of its value, for the Check the engine runs next
	// on the imported inputs (imported_value.go).
	importedWithoutValue sync.Map
	// crossAccountReplicas holds the ARNs and names of the cross-account
	// replicas this run's Secrets created or found: a SecretVersion may not
	// write to one (cross_account.go).
	crossAccountReplicas sync.Map
}

func (m *runMemory) crossAccountReplicaSeen(arn, name string) {
	m.crossAccountReplicas.Store(arn, struct{}{})
	m.crossAccountReplicas.Store(name, struct{}{})
}

func (m *runMemory) isCrossAccountReplica(secretID string) bool {
	_, ok := m.crossAccountReplicas.Load(secretID)
	return ok
}

func (m *runMemory) versionImportedWithoutValue(urn resource.URN, property string) {
	m.importedWithoutValue.Store(urn, property)
}

// takeVersionImportedWithoutValue returns the value property that holds a
// placeholder in urn's imported inputs, and forgets it: only the one Check
// that follows the import is told.
func (m *runMemory) takeVersionImportedWithoutValue(urn resource.URN) (string, bool) {
	property, ok := m.importedWithoutValue.LoadAndDelete(urn)
	if !ok {
		return "", false
	}
	return property.(string), true
}

func (m *runMemory) secretCreated(arn, name string) {
	m.createdSecrets.Store(arn, struct{}{})
	m.createdSecrets.Store(name, struct{}{})
}

func (m *runMemory) createdThisRun(secretID string) bool {
	_, ok := m.createdSecrets.Load(secretID)
	return ok
}
