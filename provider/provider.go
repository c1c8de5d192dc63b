// Package provider assembles smx: its configuration, resources and schema
// metadata. The lifecycle logic lives in one package per schema module
// (provider/secretsmanager).
package provider

import (
	"context"
	_ "embed"
	"fmt"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	"github.com/smxlabs/pulumi-smx/provider/config"
	"github.com/smxlabs/pulumi-smx/provider/pacing"
	"github.com/smxlabs/pulumi-smx/provider/secretsmanager"
)

// Name is the Pulumi package name.
const Name = "smx"

//go:embed VERSION
var versionFile string

// version is what a release build stamps, without editing a file:
//
//	go build -ldflags "-X github.com/smxlabs/pulumi-smx/provider.version=1.2.3" ./cmd/pulumi-resource-smx
//
// It must stay an uninitialized string variable: the linker can set no other.
var version string

// Version is the provider's version, read by the binary, the schema and
// every SDK: the stamped version, else provider/VERSION.
var Version = stampedOr(version, versionFile)

func stampedOr(stamped, file string) string {
	if v := strings.TrimSpace(stamped); v != "" {
		return strings.TrimPrefix(v, "v")
	}
	return strings.TrimSpace(file)
}

// Option changes how the provider is built; tests use it to hand in a fake
// Secrets Manager.
type Option func(*options)

type options struct {
	api    secretsmanager.ClientSource
	timing secretsmanager.Timing
	// tags are the tag settings of a provider whose APIs tests hand in
	// (WithTags); a configured provider reads its own.
	tags config.TagSettings
	// policy is the tag policy of such a provider (WithTagPolicy).
	policy *config.TagPolicy
}

// WithSecretsManager makes every resource call api, whatever its region,
// instead of the clients built from the provider's configuration. The
// provider's region is api's (its Region method, as fakesm.Fake has), else
// us-east-1.
func WithSecretsManager(api secretsmanager.API) Option {
	region := "us-east-1"
	if r, ok := api.(interface{ Region() string }); ok && r.Region() != "" {
		region = r.Region()
	}
	return func(o *options) { o.api = fixedClients{region: region, all: api} }
}

// WithTiming replaces how long the provider waits for AWS (propagation,
// rotations in progress); tests shorten the waits with it.
func WithTiming(timing secretsmanager.Timing) Option {
	return func(o *options) { o.timing = timing }
}

// WithTags gives a provider whose Secrets Manager tests hand in
// (WithSecretsManager, WithSecretsManagerRegions) the tag settings that
// smx:defaultTags and smx:ignoreTags give a configured one.
func WithTags(tags config.TagSettings) Option {
	return func(o *options) { o.tags = tags }
}

// WithTagPolicy gives a provider whose Secrets Manager tests hand in the
// tag policy that smx:tagPolicyCompliance gives a configured one.
func WithTagPolicy(policy *config.TagPolicy) Option {
	return func(o *options) { o.policy = policy }
}

// WithSecretsManagerRegions routes each region's calls to its own API, as
// the configured provider does with one client per region: calls for a
// region that byRegion lacks fail. providerRegion is the provider's region,
// the default of every `region` input.
func WithSecretsManagerRegions(providerRegion string, byRegion map[string]secretsmanager.API) Option {
	return func(o *options) { o.api = fixedClients{region: providerRegion, byRegion: byRegion} }
}

// fixedClients are the APIs tests hand in: one for every region (all), or
// one per region.
type fixedClients struct {
	region   string
	all      secretsmanager.API
	byRegion map[string]secretsmanager.API
	tags     config.TagSettings
	policy   *config.TagPolicy
}

func (f fixedClients) Client(_ context.Context, region string) (secretsmanager.API, error) {
	if f.all != nil {
		return f.all, nil
	}
	if region == "" {
		region = f.region
	}
	if api, ok := f.byRegion[region]; ok {
		return api, nil
	}
	return nil, fmt.Errorf("smx: no Secrets Manager for region %q in this test", region)
}

func (f fixedClients) Region(context.Context) (string, error) { return f.region, nil }

func (f fixedClients) Tags(context.Context) config.TagSettings { return f.tags }

func (f fixedClients) TagPolicy(context.Context) *config.TagPolicy { return f.policy }

// configuredClients are the clients built from the provider's configuration:
// one per region, made on first use (config.Config.ClientFor).
type configuredClients struct{}

// Client hands out a client only with credentials to sign its calls with. A
// preview that plans a create or an update asks for one, and so fails, as
// `pulumi up` would, when there are none (pulumi-aws's previews fail then
// too), even where the preview itself makes no call or ignores a failed
// look-up. A preview with nothing to change asks for no client: it stays
// free of AWS.
func (configuredClients) Client(ctx context.Context, region string) (secretsmanager.API, error) {
	cfg := infer.GetConfig[config.Config](ctx)
	client, err := cfg.ClientFor(region)
	if err != nil {
		return nil, err
	}
	if err := cfg.CheckCredentials(ctx); err != nil {
		return nil, err
	}
	return client, nil
}

func (configuredClients) Region(ctx context.Context) (string, error) {
	return infer.GetConfig[config.Config](ctx).EffectiveRegion()
}

func (configuredClients) Tags(ctx context.Context) config.TagSettings {
	return infer.GetConfig[config.Config](ctx).TagSettings()
}

func (configuredClients) TagPolicy(ctx context.Context) *config.TagPolicy {
	return infer.GetConfig[config.Config](ctx).TagPolicy()
}

// New returns the smx provider.
func New(opts ...Option) (p.Provider, error) {
	o := options{api: configuredClients{}, timing: secretsmanager.DefaultTiming()}
	for _, opt := range opts {
		opt(&o)
	}
	if fixed, ok := o.api.(fixedClients); ok {
		fixed.tags, fixed.policy = o.tags, o.policy
		o.api = fixed
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
		WithPluginDownloadURL(PluginDownloadURL).
		WithConfig(infer.Config(&config.Config{})).
		WithResources(secretsmanager.Resources(o.api, o.timing)...).
		WithFunctions(secretsmanager.Functions(o.api)...).
		WithModuleMap(map[tokens.ModuleName]tokens.ModuleName{"secretsmanager": "secretsmanager",
			// The provider's own types (smx:endpoints' ProviderEndpoint) sit at the top of
			// every SDK, as pulumi-aws's do (aws.ProviderEndpointArgs), not beside the
			// generated config getters.
			"config": "index"}).
		WithLanguageMap(languages).
		Build()
	if err != nil {
		return p.Provider{}, err
	}
	return passRequestContext(remarkSecretsOnRead(acceptRecordedState(withPulumiAWSSchemaShape(config.WithDiffConfig(smx))))), nil
}

// passRequestContext hands each Check, Diff, Create, Read and Update the URN
// of its resource, each Check the engine's random seed, and each Diff and
// Update the resource's recorded inputs, which infer's typed requests leave
// out (and pulumi-go-provider's gRPC server drops the seed: see Serve).
// Secret draws its generated name from the seed, so that `up --plan` creates
// the name its saved plan showed (secretsmanager/naming.go), and tags the secrets it creates with their owner's URN (ownership.go);
// SecretVersion carries a write-only value from Check to Create by URN
// (write_only.go), marks the versions it writes with their stack, which its
// Read tells from versions written outside the stack (ids.go), and tells the
// Check that follows an import that the imported inputs hold a placeholder
// instead of the value (secretsmanager/imported_value.go). Secret finds in
// the recorded inputs the tag keys it declared (secretsmanager/tags.go), and
// each Diff its new inputs as sent, unknowns included, which infer decodes
// as unset (secretsmanager/cross_account.go). Each Create, Read, Update and
// Delete tells the CLI, on its resource, when pacing holds one of its calls
// for its quota (withQuotaWaitNotice).
func passRequestContext(prov p.Provider) p.Provider {
	check, diff, create, read, update, deleteResource := prov.Check, prov.Diff, prov.Create, prov.Read, prov.Update, prov.Delete
	prov.Check = func(ctx context.Context, req p.CheckRequest) (p.CheckResponse, error) {
		ctx = secretsmanager.ContextWithURN(ctx, req.Urn)
		if len(req.RandomSeed) > 0 { // else Serve put the engine's seed in ctx
			ctx = secretsmanager.ContextWithRandomSeed(ctx, req.RandomSeed)
		}
		return check(ctx, req)
	}
	prov.Diff = func(ctx context.Context, req p.DiffRequest) (p.DiffResponse, error) {
		ctx = secretsmanager.ContextWithOldInputs(secretsmanager.ContextWithURN(ctx, req.Urn), req.OldInputs)
		return diff(secretsmanager.ContextWithNewInputs(ctx, req.Inputs), req)
	}
	prov.Create = func(ctx context.Context, req p.CreateRequest) (p.CreateResponse, error) {
		return create(withQuotaWaitNotice(secretsmanager.ContextWithURN(ctx, req.Urn)), req)
	}
	prov.Read = func(ctx context.Context, req p.ReadRequest) (p.ReadResponse, error) {
		return read(withQuotaWaitNotice(secretsmanager.ContextWithURN(ctx, req.Urn)), req)
	}
	prov.Update = func(ctx context.Context, req p.UpdateRequest) (p.UpdateResponse, error) {
		ctx = secretsmanager.ContextWithOldInputs(secretsmanager.ContextWithURN(ctx, req.Urn), req.OldInputs)
		return update(withQuotaWaitNotice(ctx), req)
	}
	prov.Delete = func(ctx context.Context, req p.DeleteRequest) error {
		return deleteResource(withQuotaWaitNotice(ctx), req)
	}
	return prov
}

// withQuotaWaitNotice shows on the resource of ctx's lifecycle call, as an
// ephemeral status the CLI prints on the resource's row (the way a long
// create is reported), that one of its calls waits for an AWS quota. A long
// `up` at the quota then says why it is slow, once per resource.
func withQuotaWaitNotice(ctx context.Context) context.Context {
	return pacing.ContextWithWaitNotice(ctx, func(message string) {
		p.GetLogger(ctx).InfoStatus("smx: " + message)
	})
}
