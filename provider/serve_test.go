package provider_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	rpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/internal/fakesm"
	"github.com/smxlabs/pulumi-smx/provider"
)

// The engine's random seed arrives over gRPC, and a Secret's generated name
// follows it: `pulumi up --plan` sends the seed its saved plan recorded and
// must settle the name the plan showed.
func TestServerNamesSecretsFromTheEngineSeed(t *testing.T) {
	smx, err := provider.New(provider.WithSecretsManager(fakesm.New()))
	require.NoError(t, err)
	server, err := provider.Server(smx)(nil)
	require.NoError(t, err)
	urn := resource.NewURN("dev", "app", "", "smx:secretsmanager:Secret", "db")
	news, err := plugin.MarshalProperties(resource.PropertyMap{}, plugin.MarshalOptions{})
	require.NoError(t, err)
	nameFor := func(seed string) string {
		resp, err := server.Check(t.Context(), &rpc.CheckRequest{Urn: string(urn), News: news, RandomSeed: []byte(seed)})
		require.NoError(t, err)
		require.Empty(t, resp.Failures)
		return resp.Inputs.Fields["name"].GetStringValue()
	}
	planned := nameFor("the saved plan's seed")
	assert.Regexp(t, `^db-[a-z0-9]{7}$`, planned)
	assert.Equal(t, planned, nameFor("the saved plan's seed"), "the update checks with the plan's seed")
	assert.NotEqual(t, planned, nameFor("another deployment's seed"))
}
