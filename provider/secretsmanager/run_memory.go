package secretsmanager

import "sync"

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
}

func (m *runMemory) secretCreated(arn, name string) {
	m.createdSecrets.Store(arn, struct{}{})
	m.createdSecrets.Store(name, struct{}{})
}

func (m *runMemory) createdThisRun(secretID string) bool {
	_, ok := m.createdSecrets.Load(secretID)
	return ok
}
