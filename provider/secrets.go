package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// remarkSecretsOnRead makes every property that the schema declares secret
// come back from Read marked secret.
//
// pulumi-go-provider marks secret outputs from the prior state; on import
// (`pulumi import`, or a Read with no prior state) there is none, and an
// imported secret value would reach state unmarked, in plaintext. Deriving the
// list from the schema keeps one source of truth: a field tagged
// `provider:"secret"` is protected here without being named again.
func remarkSecretsOnRead(prov p.Provider) p.Provider {
	var (
		once      sync.Once
		secrets   map[string][]string
		schemaErr error
		read      = prov.Read
		getSchema = prov.GetSchema
	)
	prov.Read = func(ctx context.Context, req p.ReadRequest) (p.ReadResponse, error) {
		resp, err := read(ctx, req)
		if err != nil || resp.ID == "" {
			return resp, err
		}
		once.Do(func() { secrets, schemaErr = secretProperties(ctx, getSchema) })
		if schemaErr != nil {
			return p.ReadResponse{}, schemaErr
		}
		for _, key := range secrets[string(req.Urn.Type())] {
			resp.Properties = markSecret(resp.Properties, key)
			resp.Inputs = markSecret(resp.Inputs, key)
		}
		return resp, nil
	}
	return prov
}

func markSecret(m property.Map, key string) property.Map {
	v, ok := m.GetOk(key)
	if !ok || v.IsNull() || v.Secret() {
		return m
	}
	return m.Set(key, v.WithSecret(true))
}

// secretProperties lists, per resource token, the properties the schema
// marks secret, inputs and outputs alike.
func secretProperties(
	ctx context.Context, getSchema func(context.Context, p.GetSchemaRequest) (p.GetSchemaResponse, error),
) (map[string][]string, error) {
	resp, err := getSchema(ctx, p.GetSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("reading the provider schema: %w", err)
	}
	type property struct {
		Secret bool `json:"secret"`
	}
	var spec struct {
		Resources map[string]struct {
			Properties      map[string]property `json:"properties"`
			InputProperties map[string]property `json:"inputProperties"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(resp.Schema), &spec); err != nil {
		return nil, fmt.Errorf("decoding the provider schema: %w", err)
	}
	secrets := map[string][]string{}
	for token, resource := range spec.Resources {
		seen := map[string]bool{}
		for _, props := range []map[string]property{resource.Properties, resource.InputProperties} {
			for name, prop := range props {
				if prop.Secret && !seen[name] {
					seen[name] = true
					secrets[token] = append(secrets[token], name)
				}
			}
		}
	}
	return secrets, nil
}
