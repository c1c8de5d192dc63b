package secretsmanager

import (
	"context"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

type urnKey struct{}

// ContextWithURN records the URN of the resource a lifecycle call is for;
// the provider wraps every Check, Diff, Create, Read and Update with it,
// since infer's requests carry only the resource's name. Secret tags its
// secrets with their owner (ownership.go); SecretVersion keeps write-only
// values by URN (write_only.go), tells its own stack's versions on Read
// (ids.go), and remembers the versions it imported with a placeholder in
// place of their value (imported_value.go).
func ContextWithURN(ctx context.Context, urn resource.URN) context.Context {
	return context.WithValue(ctx, urnKey{}, urn)
}

// urnIn is the URN ContextWithURN recorded, or "".
func urnIn(ctx context.Context) resource.URN {
	urn, _ := ctx.Value(urnKey{}).(resource.URN)
	return urn
}

type randomSeedKey struct{}

// ContextWithRandomSeed records the random seed the engine sends with a
// Check. The engine keeps it in a saved plan and sends the same seed when
// `pulumi up --plan` checks the resource again, so a name drawn from it is
// the name the plan promised (naming.go).
func ContextWithRandomSeed(ctx context.Context, seed []byte) context.Context {
	return context.WithValue(ctx, randomSeedKey{}, seed)
}

// randomSeedIn is the seed ContextWithRandomSeed recorded, or nil.
func randomSeedIn(ctx context.Context) []byte {
	seed, _ := ctx.Value(randomSeedKey{}).([]byte)
	return seed
}

type oldInputsKey struct{}

// ContextWithOldInputs records the inputs the engine recorded for a
// resource at its last update (or refresh), which it sends with Diff and
// Update but infer's typed requests leave out. A Secret reads from them the
// tag keys it declared (tags.go): its state's `tagsAll` also holds the keys
// other resources and tools put on the secret, which it must leave alone.
func ContextWithOldInputs(ctx context.Context, inputs property.Map) context.Context {
	return context.WithValue(ctx, oldInputsKey{}, inputs)
}

// oldInputsIn is the inputs ContextWithOldInputs recorded; empty when none.
func oldInputsIn(ctx context.Context) property.Map {
	inputs, _ := ctx.Value(oldInputsKey{}).(property.Map)
	return inputs
}

type newInputsKey struct{}

// ContextWithNewInputs records the inputs the engine sends with a Diff, as
// they are, unknowns included. infer's typed requests decode an unknown
// input as its zero value, the same as an input the program leaves unset;
// a Diff that must tell the two apart (a Secret's crossAccountPrimaryArn,
// cross_account.go) asks unknownInput.
func ContextWithNewInputs(ctx context.Context, inputs property.Map) context.Context {
	return context.WithValue(ctx, newInputsKey{}, inputs)
}

// unknownInput reports whether the input named key is, or holds, a value
// still unknown in this preview.
func unknownInput(ctx context.Context, key string) bool {
	inputs, _ := ctx.Value(newInputsKey{}).(property.Map)
	value, ok := inputs.GetOk(key)
	return ok && containsUnknowns(value)
}
