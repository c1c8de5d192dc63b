package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/smxlabs/pulumi-smx/provider/secretsmanager"
)

// withPulumiAWSSchemaShape gives the schema what pulumi-aws's has and
// pulumi-go-provider's inference does not make:
//   - to each resource, an alias to the pulumi-aws type it stands in for. The
//     generated SDKs put these aliases in every constructor, so a program that
//     pulumi-aws deployed finds its old resources again when only its import
//     line changes: the engine matches the old URN through the alias instead
//     of planning a create and a delete. pulumi-go-provider's own AddAlias can
//     only name types of this package.
//   - to each resource, state inputs: its outputs, each optional, as the
//     Terraform bridge writes them for pulumi-aws. They are what the SDKs make
//     `Secret.get(name, id, state)` and the `SecretState` types (TypeScript),
//     and the keyword arguments of `Secret.get` (Python) from.
func withPulumiAWSSchemaShape(prov p.Provider) p.Provider {
	getSchema := prov.GetSchema
	prov.GetSchema = func(ctx context.Context, req p.GetSchemaRequest) (p.GetSchemaResponse, error) {
		resp, err := getSchema(ctx, req)
		if err != nil {
			return resp, err
		}
		var spec schema.PackageSpec
		if err := json.Unmarshal([]byte(resp.Schema), &spec); err != nil {
			return resp, fmt.Errorf("decoding the provider schema: %w", err)
		}
		for _, token := range slices.Sorted(maps.Keys(secretsmanager.PulumiAWSTypes)) {
			resource, ok := spec.Resources[string(token)]
			if !ok {
				return resp, fmt.Errorf("the schema has no resource %s to alias", token)
			}
			resource.Aliases = append(resource.Aliases, schema.AliasSpec{Type: string(secretsmanager.PulumiAWSTypes[token])})
			spec.Resources[string(token)] = resource
		}
		for token, resource := range spec.Resources {
			resource.StateInputs = stateInputsOf(token, resource)
			spec.Resources[token] = resource
		}
		raw, err := json.Marshal(spec)
		if err != nil {
			return resp, fmt.Errorf("encoding the provider schema: %w", err)
		}
		resp.Schema = string(raw)
		return resp, nil
	}
	return prov
}

// stateInputsOf is what a program may give `get` of a resource: every output,
// none required, with the output's type, secrecy and description.
func stateInputsOf(token string, resource schema.ResourceSpec) *schema.ObjectTypeSpec {
	name := token[strings.LastIndex(token, ":")+1:]
	return &schema.ObjectTypeSpec{
		Description: fmt.Sprintf("Input properties used for looking up and filtering %s resources.", name),
		Type:        "object",
		Properties:  maps.Clone(resource.Properties),
	}
}

// acceptRecordedState lets every lifecycle call that receives recorded
// state take state written by pulumi-aws or by an earlier smx, by bringing it
// into today's shape first:
//   - pulumi-aws's (see secretsmanager/pulumiaws.go) is rewritten into smx's.
//     A migrated resource's first Diff reports that rewrite as a change, so
//     that `pulumi up` records smx's shape; the Update it leads to finds
//     nothing to change in AWS and makes no call. Without it the engine would
//     keep pulumi-aws's outputs for ever, as it does for a resource without
//     changes.
//   - A state without a required output that smx or pulumi-aws added later
//     gets it (withOutputsAddedLater), as infer would refuse to decode it.
func acceptRecordedState(prov p.Provider) p.Provider {
	check, diff, update, read, del := prov.Check, prov.Diff, prov.Update, prov.Read, prov.Delete
	recorded := func(urn tokens.Type, state, inputs property.Map) (property.Map, property.Map) {
		if _, _, written := secretsmanager.PulumiAWSMarker(state, inputs); written {
			state, inputs = secretsmanager.FromPulumiAWSState(urn, state), secretsmanager.FromPulumiAWSInputs(urn, inputs)
		}
		return withOutputsAddedLater(urn, state), inputs
	}

	prov.Check = func(ctx context.Context, req p.CheckRequest) (p.CheckResponse, error) {
		_, req.State = recorded(req.Urn.Type(), property.Map{}, req.State)
		return check(ctx, req)
	}
	prov.Diff = func(ctx context.Context, req p.DiffRequest) (p.DiffResponse, error) {
		marker, inInputs, migrating := secretsmanager.PulumiAWSMarker(req.State, req.OldInputs)
		req.State, req.OldInputs = recorded(req.Urn.Type(), req.State, req.OldInputs)
		resp, err := diff(ctx, req)
		if err != nil || !migrating || resp.HasChanges {
			return resp, err
		}
		resp.HasChanges = true
		if resp.DetailedDiff == nil {
			resp.DetailedDiff = map[string]p.PropertyDiff{}
		}
		// What changes is only the state's shape: the Terraform bridge's
		// bookkeeping goes.
		resp.DetailedDiff[marker] = p.PropertyDiff{Kind: p.Delete, InputDiff: inInputs}
		return resp, nil
	}
	prov.Update = func(ctx context.Context, req p.UpdateRequest) (p.UpdateResponse, error) {
		req.State, req.OldInputs = recorded(req.Urn.Type(), req.State, req.OldInputs)
		return update(ctx, req)
	}
	prov.Read = func(ctx context.Context, req p.ReadRequest) (p.ReadResponse, error) {
		req.Properties, req.Inputs = recorded(req.Urn.Type(), req.Properties, req.Inputs)
		return read(ctx, req)
	}
	prov.Delete = func(ctx context.Context, req p.DeleteRequest) error {
		req.Properties, req.OldInputs = recorded(req.Urn.Type(), req.Properties, req.OldInputs)
		return del(ctx, req)
	}
	return prov
}

// withOutputsAddedLater gives a recorded state the required outputs it was
// recorded without. An empty state (an import, or Check's old inputs) stays
// empty.
//   - `region`, in states written before smx recorded regions or migrated
//     from pulumi-aws v6, is "": the resources read it as "not recorded", so
//     the resource is found where its ARN says (else in the provider's
//     region), is not replaced for it, and its next Read or Update records
//     the region.
//   - A SecretVersion's `secretArn`, pulumi-aws 7's second name for `arn`,
//     is `arn`.
func withOutputsAddedLater(token tokens.Type, state property.Map) property.Map {
	if state.Len() == 0 {
		return state
	}
	if _, ok := state.GetOk("region"); !ok {
		state = state.Set("region", property.New(""))
	}
	if token == "smx:secretsmanager:SecretVersion" {
		if _, ok := state.GetOk("secretArn"); !ok {
			if arn, ok := state.GetOk("arn"); ok {
				state = state.Set("secretArn", arn)
			}
		}
	}
	return state
}
