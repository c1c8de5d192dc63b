package provider_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/provider"
)

// The schema's logoUrl must name a file the repository has: the published
// URL is that file on the main branch.
func TestLogoURLNamesAFileOfTheRepository(t *testing.T) {
	const published = "https://raw.githubusercontent.com/smxlabs/pulumi-smx/main/"
	require.True(t, strings.HasPrefix(provider.LogoURL, published), provider.LogoURL)
	path := filepath.Join("..", filepath.FromSlash(strings.TrimPrefix(provider.LogoURL, published)))
	info, err := os.Stat(path)
	require.NoError(t, err, "the logo %s is not in the repository", path)
	require.Greater(t, info.Size(), int64(0))
}
