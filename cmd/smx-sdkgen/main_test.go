package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/provider"
)

// The fast loop catches a stale schema.json before CI's check-generated
// does: the committed file must be what the generator writes now.
func TestCommittedSchemaIsCurrent(t *testing.T) {
	spec, raw, err := providerSchema()
	require.NoError(t, err)
	assert.Equal(t, provider.Version, spec.Version)
	committed, err := os.ReadFile(filepath.Join("..", "..", "schema.json"))
	require.NoError(t, err)
	assert.Equal(t, string(committed), string(raw), "schema.json is stale: run `make generate` and commit the result")
}

// The C# generator downloads the logo; smx-sdkgen answers from the
// repository's copy and refuses every other request, so generation never
// needs the network.
func TestLogoIsServedLocallyAndNothingElse(t *testing.T) {
	client := &http.Client{Transport: logoTransport{}}
	resp, err := client.Get(provider.LogoURL)
	require.NoError(t, err)
	defer func() { assert.NoError(t, resp.Body.Close()) }()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, logo, body)

	_, err = client.Get("https://example.com/other.png")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "makes no network calls")
}

// Regenerating empties an SDK folder of generated files, so a file the
// generator no longer writes does not linger, but keeps what building the
// SDK left there.
func TestRemoveGeneratedKeepsBuildOutputs(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"index.ts", "old/gone.ts", "bin/index.js", "node_modules/x/package.json", "package-lock.json"} {
		require.NoError(t, writeFile(filepath.Join(dir, name), []byte("x")))
	}
	require.NoError(t, removeGenerated(dir))
	var left []string
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	assert.ElementsMatch(t, []string{"bin", "node_modules", "package-lock.json"}, left)
	require.NoError(t, removeGenerated(filepath.Join(dir, "missing")), "a folder not generated yet is fine")
}

// Every SDK tells the engine where to download the plugin it needs, the
// schema's pluginDownloadURL, and which version: a user never installs the
// plugin by hand.
func TestEverySDKDeclaresWhereToDownloadThePlugin(t *testing.T) {
	spec, _, err := providerSchema()
	require.NoError(t, err)
	assert.Equal(t, provider.PluginDownloadURL, spec.PluginDownloadURL)
	for _, file := range []string{
		"sdk/nodejs/package.json",
		"sdk/python/pulumi_smx/pulumi-plugin.json",
		"sdk/go/smx/pulumi-plugin.json",
		"sdk/dotnet/pulumi-plugin.json",
		"examples/yaml/sdks/smx.yaml",
		"examples/yaml-rotation/sdks/smx.yaml",
	} {
		content, err := os.ReadFile(filepath.Join("..", "..", file))
		require.NoError(t, err)
		assert.Contains(t, string(content), provider.PluginDownloadURL, file)
		assert.Contains(t, string(content), provider.Version, file)
	}
}
