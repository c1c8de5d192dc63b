package secretsmanager

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/middleware/schema"
	pschema "github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// Helpers shared by the data functions (get_*.go). Every function validates
// its arguments before any API call, reads fresh from AWS on every call (no
// caching: a rotation between two invokes is always seen), and never puts a
// secret value into an error message.

// clientFor ends the validation of a function's arguments: with the region
// argument judged too, it returns one error naming every failed argument,
// else the client of the function's region and that region.
func (c *checks) clientFor(ctx context.Context, src ClientSource, function string, region *string) (API, string, error) {
	if region != nil {
		c.check("region", validRegion(*region))
	}
	if err := c.argumentsError(function); err != nil {
		return nil, "", err
	}
	return clientIn(ctx, src, aws.ToString(region))
}

// rfc3339 formats an AWS timestamp as pulumi-aws does (RFC 3339, UTC), or ""
// when AWS gave none.
func rfc3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// withResultID adds the `id` result that every pulumi-aws function has.
// pulumi-go-provider's infer refuses a result field named `id` (it reserves
// the name for resources), so the typed functions leave it out and this
// wrapper adds it: to the schema, as a required string, and to every
// successful response, computed by id from the arguments and results.
func withResultID(fn infer.InferredFunction, description string, id resultID) infer.InferredFunction {
	return functionWithID{InferredFunction: fn, description: description, id: id}
}

// resultID computes a function's `id` result. It never derives it from a
// secret value.
type resultID func(ctx context.Context, args, result property.Map) (string, error)

type functionWithID struct {
	infer.InferredFunction
	description string
	id          resultID
}

func (f functionWithID) GetSchema(reg schema.RegisterDerivativeType) (pschema.FunctionSpec, error) {
	spec, err := f.InferredFunction.GetSchema(reg)
	if err != nil || spec.Outputs == nil {
		return spec, err
	}
	props := make(map[string]pschema.PropertySpec, len(spec.Outputs.Properties)+1)
	for k, v := range spec.Outputs.Properties {
		props[k] = v
	}
	props["id"] = pschema.PropertySpec{TypeSpec: pschema.TypeSpec{Type: "string"}, Description: f.description}
	spec.Outputs.Properties = props
	if !slices.Contains(spec.Outputs.Required, "id") {
		spec.Outputs.Required = slices.Sorted(slices.Values(append(slices.Clone(spec.Outputs.Required), "id")))
	}
	return spec, nil
}

func (f functionWithID) Invoke(ctx context.Context, req p.InvokeRequest) (p.InvokeResponse, error) {
	resp, err := f.InferredFunction.Invoke(ctx, req)
	if err != nil || len(resp.Failures) > 0 {
		return resp, err
	}
	id, err := f.id(ctx, req.Args, resp.Return)
	if err != nil {
		return p.InvokeResponse{}, err
	}
	resp.Return = resp.Return.Set("id", property.New(id))
	return resp, nil
}

// idFromResult uses a (string) result as the ID.
func idFromResult(key string) resultID {
	return func(_ context.Context, _, result property.Map) (string, error) {
		return stringOf(result.Get(key)), nil
	}
}

// stringOf returns the string in v, or "" when it holds none. A secret string
// is never used: no ID may carry a secret value.
func stringOf(v property.Value) string {
	if v.Secret() || !v.IsString() {
		return ""
	}
	return v.AsString()
}
