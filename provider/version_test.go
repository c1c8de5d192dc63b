package provider_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smxlabs/pulumi-smx/provider"
)

func TestVersionDefaultsToTheVersionFile(t *testing.T) {
	if _, stamped := os.LookupEnv("SMX_STAMPED_VERSION"); stamped {
		t.Skip("this run is the stamped build of TestVersionIsStampedByTheLinker")
	}
	file, err := os.ReadFile("VERSION")
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(string(file)), provider.Version)
}

// A release build stamps its version with -ldflags -X, without editing
// provider/VERSION. The test builds this package's tests stamped and runs
// this test in them, where the stamp must be the version.
func TestVersionIsStampedByTheLinker(t *testing.T) {
	if want, stamped := os.LookupEnv("SMX_STAMPED_VERSION"); stamped {
		assert.Equal(t, want, provider.Version, "a leading v is dropped, as in a git tag")
		return
	}
	if testing.Short() {
		t.Skip("builds this package's tests a second time: run by `make test`")
	}
	cmd := exec.Command("go", "test", "-count=1", "-run", "^(TestVersionIsStampedByTheLinker|TestVersionDefaultsToTheVersionFile)$",
		"-ldflags", "-X github.com/smxlabs/pulumi-smx/provider.version=v9.8.7-stamped", ".")
	cmd.Env = append(os.Environ(), "SMX_STAMPED_VERSION=9.8.7-stamped")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "ok")
}
