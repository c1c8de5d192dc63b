package secretsmanager

import (
	"slices"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// A SecretVersion's staging labels, as the program asks for them and as
// AWS attaches them.
//
// Secrets Manager attaches two labels on its own: AWSCURRENT to a secret's
// first version, whatever labels that version was written with, and
// AWSPREVIOUS to the version AWSCURRENT leaves. Neither can be taken off
// by hand in a way that sticks (AWSCURRENT cannot be removed at all, only
// moved to another version), so a version holding one of them that the
// program did not ask for is not drift: it is AWS's doing, and fighting it
// would leave a stack that never previews clean. Every other label is the
// program's, and is kept as the program says.

// requestedStages is the labels the program asks for, sorted; unset (or
// empty) is AWSCURRENT, as PutSecretValue does with no labels.
func requestedStages(stages []string) []string {
	if len(stages) == 0 {
		return []string{stageCurrent}
	}
	return slices.Compact(slices.Sorted(slices.Values(stages)))
}

// heldStages is the labels AWS reports on a version, sorted. A version can
// hold none: its labels were moved to other versions.
func heldStages(stages []string) []string {
	held := append([]string{}, stages...) // none is [], not unset
	slices.Sort(held)
	return slices.Compact(held)
}

// attachedByAWS tells the labels AWS attaches on its own.
func attachedByAWS(stage string) bool {
	return stage == stageCurrent || stage == stagePrevious
}

// stageChanges lists the labels to attach to a version that holds held so
// that it holds the labels the program names, and the labels to detach from
// it. A label AWS attached on its own is never detached (see above). A
// program that names none has no opinion on labels, as in pulumi-aws
// (optional and computed): its version became current when it was written,
// and follows AWSCURRENT on refresh (SecretVersion.Read).
func stageChanges(named, held []string) (attach, detach []string) {
	if named == nil {
		return nil, nil
	}
	requested := requestedStages(named)
	for _, stage := range requested {
		if !slices.Contains(held, stage) {
			attach = append(attach, stage)
		}
	}
	for _, stage := range held {
		if !slices.Contains(requested, stage) && !attachedByAWS(stage) {
			detach = append(detach, stage)
		}
	}
	return attach, detach
}

// stagesAfter is the labels a version holds once attach and detach are
// applied: moving AWSCURRENT onto it makes AWS move AWSPREVIOUS to the
// version AWSCURRENT left.
func stagesAfter(held, attach, detach []string) []string {
	out := slices.DeleteFunc(slices.Clone(held), func(stage string) bool {
		return slices.Contains(detach, stage) || (stage == stagePrevious && slices.Contains(attach, stageCurrent))
	})
	return heldStages(append(out, attach...))
}

// stageClaims remembers, for one deployment, which SecretVersion of the
// program asks for each label of each secret. A label sits on one version
// at a time, so two resources asking for the same one can never both be
// satisfied: each `pulumi up` would move it from one to the other, and no
// preview would ever be clean. Check refuses the second.
type stageClaims struct {
	mu     sync.Mutex
	claims map[string]map[string]resource.URN // secret ID → label → resource
}

// claim records that urn asks for stages on secretID and returns the label
// another resource already asks for, if any.
func (c *stageClaims) claim(urn resource.URN, secretID string, stages []string) (stage string, other resource.URN) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.claims == nil {
		c.claims = map[string]map[string]resource.URN{}
	}
	labels := c.claims[secretID]
	if labels == nil {
		labels = map[string]resource.URN{}
		c.claims[secretID] = labels
	}
	// A resource's earlier claims (a Check of its old inputs, a
	// replacement's) are its own, and give way to its new ones.
	for label, holder := range labels {
		if holder == urn {
			delete(labels, label)
		}
	}
	for _, s := range stages {
		if holder, taken := labels[s]; taken && holder != urn {
			return s, holder
		}
	}
	for _, s := range stages {
		labels[s] = urn
	}
	return "", ""
}
