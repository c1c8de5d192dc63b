package provider

import (
	"context"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// acceptStateWithoutRegion lets every lifecycle call that receives recorded
// state take a state that has no `region` output: one written before smx
// recorded regions, or migrated from pulumi-aws v6. `region` is a required
// output (a plain string in every SDK, as in pulumi-aws v7), so infer would
// refuse to decode such a state; it gets an empty region instead, which the
// resources read as "not recorded": the resource is found where its ARN says
// (else in the provider's region), is not replaced for it, and its next Read
// or Update records the region.
func acceptStateWithoutRegion(prov p.Provider) p.Provider {
	diff, update, read, del := prov.Diff, prov.Update, prov.Read, prov.Delete
	prov.Diff = func(ctx context.Context, req p.DiffRequest) (p.DiffResponse, error) {
		req.State = withRecordedRegion(req.State)
		return diff(ctx, req)
	}
	prov.Update = func(ctx context.Context, req p.UpdateRequest) (p.UpdateResponse, error) {
		req.State = withRecordedRegion(req.State)
		return update(ctx, req)
	}
	prov.Read = func(ctx context.Context, req p.ReadRequest) (p.ReadResponse, error) {
		req.Properties = withRecordedRegion(req.Properties)
		return read(ctx, req)
	}
	prov.Delete = func(ctx context.Context, req p.DeleteRequest) error {
		req.Properties = withRecordedRegion(req.Properties)
		return del(ctx, req)
	}
	return prov
}

// withRecordedRegion adds an empty `region` to a recorded state that lacks
// one. An empty state (an import) stays empty.
func withRecordedRegion(state property.Map) property.Map {
	if state.Len() == 0 {
		return state
	}
	if _, ok := state.GetOk("region"); ok {
		return state
	}
	return state.Set("region", property.New(""))
}
