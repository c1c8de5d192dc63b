// Package provider assembles smx: its configuration, resources and schema
// metadata. The lifecycle logic lives in one package per schema module
// (provider/secretsmanager).
package provider

import (
	"context"
	_ "embed"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/smxlabs/pulumi-smx/provider/config"
	"github.com/smxlabs/pulumi-smx/provider/secretsmanager"
)

// Name is the Pulumi package name.
const Name = "smx"

//go:embed VERSION
var versionFile string

// Version is the provider's version, from provider/VERSION: the one place it
// is set, read by the binary, the schema and every SDK.
var Version = strings.TrimSpace(versionFile)

// Option changes how the provider is built; tests use it to hand in a fake
// Secrets Manager.
type Option func(*options)

type options struct{ api secretsmanager.ClientSource }

// WithSecretsManager makes every resource call api instead of the client
// built from the provider's configuration.
func WithSecretsManager(api secretsmanager.API) Option {
	return func(o *options) {
		o.api = func(context.Context) (secretsmanager.API, error) { return api, nil }
	}
}

// New returns the smx provider.
func New(opts ...Option) (p.Provider, error) {
	o := options{api: configuredClient}
	for _, opt := range opts {
		opt(&o)
	}
	smx, err := infer.NewProviderBuilder().
		WithDisplayName("smx — AWS Secrets Manager").
		WithDescription("A native Pulumi provider for AWS Secrets Manager, drop-in compatible with aws.secretsmanager.").
		WithKeywords("pulumi", "aws", "secretsmanager", "secrets", "category/cloud", "kind/native").
		WithHomepage("https://github.com/smxlabs/pulumi-smx").
		WithRepository("https://github.com/smxlabs/pulumi-smx").
		WithPublisher("smxlabs").
		WithLicense("Apache-2.0").
		WithNamespace("smxlabs").
		WithLogoURL(LogoURL).
		WithConfig(infer.Config(&config.Config{})).
		WithResources(secretsmanager.Resources(o.api)...).
		WithFunctions(secretsmanager.Functions(o.api)...).
		WithModuleMap(map[tokens.ModuleName]tokens.ModuleName{"secretsmanager": "secretsmanager"}).
		WithLanguageMap(languages).
		Build()
	if err != nil {
		return p.Provider{}, err
	}
	return passURNToCreate(remarkSecretsOnRead(acceptPulumiAWSState(withPulumiAWSAliases(config.WithDiffConfig(smx))))), nil
}

// passURNToCreate hands each Create the URN of its resource, which infer's
// typed requests leave out: Secret tags the secrets it creates with their
// owner (see secretsmanager/ownership.go).
func passURNToCreate(prov p.Provider) p.Provider {
	create := prov.Create
	prov.Create = func(ctx context.Context, req p.CreateRequest) (p.CreateResponse, error) {
		return create(secretsmanager.ContextWithURN(ctx, req.Urn), req)
	}
	return prov
}

func configuredClient(ctx context.Context) (secretsmanager.API, error) {
	return infer.GetConfig[config.Config](ctx).Client()
}
