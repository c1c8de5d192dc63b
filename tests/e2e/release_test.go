package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smxlabs/pulumi-smx/provider"
)

// TestRelease installs smx the way a user of a release does: from the
// artifacts `make dist` builds (scripts/dist.sh, for this machine's platform
// only), served by a loopback HTTP server laid out as the project's GitHub
// releases (/releases/download/v<version>/<asset>). The engine is pointed at
// it with PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES, which replaces the
// pluginDownloadURL every SDK and the YAML package declaration carry
// (github://api.github.com/smxlabs/pulumi-smx) by an http source: the CLI then
// fetches <url>/pulumi-resource-smx-v<version>-<os>-<arch>.tar.gz
// (sdk/go/common/workspace/plugins.go, httpSource, v3.274.1), with ${VERSION}
// in the URL replaced by the plugin's version.
//
// Every run starts with an empty PULUMI_HOME and no provider on PATH, so the
// plugin can only come from the server:
//   - `pulumi up` of examples/yaml (its sdks/smx.yaml tells the engine the
//     plugin's version and download URL);
//   - examples/ts with the SDK installed from the npm tarball, run as an
//     Automation API inline program, as examples_test.go runs TypeScript
//     (this machine has no pulumi-language-nodejs for `pulumi up`): the engine
//     installs the missing provider when the program registers a resource;
//   - `pulumi plugin install resource smx v<version> --server <url>`;
//   - a corrupt archive (garbage, a truncated gzip) fails the install and the
//     `up` with an error that names the plugin, and leaves nothing that a
//     later run would use.
//
// Python artifacts are built too, unless SMX_E2E_DIST_PYTHON=skip.
func TestRelease(t *testing.T) {
	t.Parallel()
	start := time.Now()
	dist := buildHostDist(t)
	t.Logf("dist for %s/%s built in %.0fs", runtime.GOOS, runtime.GOARCH, time.Since(start).Seconds())
	archive := pluginArchiveName()
	good, err := os.ReadFile(filepath.Join(dist, archive))
	if err != nil {
		t.Fatalf("dist.sh wrote no %s: %v", archive, err)
	}
	assertChecksum(t, dist, archive, good)
	binary := pluginBinaryFromArchive(t, good)
	npmTarball := filepath.Join(dist, "smxlabs-pulumi-smx-"+provider.Version+".tgz")
	requireFile(t, npmTarball, "scripts/dist.sh")
	assertChecksum(t, dist, filepath.Base(npmTarball), nil)

	fromDist := func(name string) ([]byte, bool) {
		content, err := os.ReadFile(filepath.Join(dist, filepath.Base(name)))
		return content, err == nil
	}

	t.Run("YAMLUpDownloadsThePlugin", func(t *testing.T) {
		server := startReleaseServer(t, fromDist)
		r := newReleaseRun(t, server)
		project := copyYAMLExample(r)
		r.runPulumi(project, "stack", "init", "e2e", "--non-interactive")
		r.runCLI(project, cliTimeout, mustSucceed, "up", "--yes", "--non-interactive", "--diff")
		r.assertPluginInstalled(binary)
		server.assertServed(t, archive, 1)

		var outputs map[string]string
		if err := json.Unmarshal([]byte(r.runPulumi(project, "stack", "output", "--json")), &outputs); err != nil {
			t.Fatal(err)
		}
		r.assertSecretValue(outputs["secretId"], documentSecretValue)
		// The installed plugin serves every later command: no new download.
		r.runCLI(project, cliTimeout, mustSucceed, "preview", "--expect-no-changes", "--non-interactive")
		r.runCLI(project, cliTimeout, mustSucceed, "destroy", "--yes", "--non-interactive")
		server.assertServed(t, archive, 1)
		r.assertNoLiveSecrets()
		r.assertStateHasNoPlaintext()
	})

	t.Run("TypeScriptFromTheNpmTarballDownloadsThePlugin", func(t *testing.T) {
		server := startReleaseServer(t, fromDist)
		r := newReleaseRun(t, server)
		project := typeScriptExampleFromTarball(r, npmTarball)

		up := r.drive(nodeDriver, project, "e2e", "up")
		secretID, _ := up.Outputs["secretId"].(string)
		if !strings.HasPrefix(secretID, "arn:aws:secretsmanager:") {
			t.Fatalf("output secretId is %v, want the secret's ARN", up.Outputs["secretId"])
		}
		r.assertPluginInstalled(binary)
		server.assertServed(t, archive, 1)
		r.assertSecretValue(secretID, documentSecretValue)
		r.assertNoChanges(r.drive(nodeDriver, project, "e2e", "preview").ChangeSummary)
		if destroyed := r.drive(nodeDriver, project, "e2e", "destroy").ChangeSummary; destroyed["delete"] != 3 {
			t.Fatalf("destroy deleted %v, want the stack and its two resources", destroyed)
		}
		server.assertServed(t, archive, 1)
		r.assertNoLiveSecrets()
		r.assertStateHasNoPlaintext()
	})

	t.Run("PluginInstallFromTheServer", func(t *testing.T) {
		server := startReleaseServer(t, fromDist)
		r := newReleaseRun(t, server)
		delete(r.env, overridesVariable) // --server alone says where
		r.runCLI(repoRoot, cliTimeout, mustSucceed, "plugin", "install", "resource", provider.Name, "v"+provider.Version,
			"--server", server.downloadURL())
		r.assertPluginInstalled(binary)
		server.assertServed(t, archive, 1)
		r.assertPluginListed(true)
	})

	t.Run("CorruptArchive", func(t *testing.T) {
		garbage := bytes.Repeat([]byte("not a gzip archive\n"), 4096)
		corrupt := map[string][]byte{
			"garbage":        garbage,
			"truncated gzip": good[:len(good)/2],
		}
		r := newReleaseRun(t, nil)
		project := copyYAMLExample(r)
		r.runPulumi(project, "stack", "init", "e2e", "--non-interactive")
		for _, kind := range []string{"garbage", "truncated gzip"} {
			content := corrupt[kind]
			server := startReleaseServer(t, func(name string) ([]byte, bool) {
				if name != archive {
					return nil, false
				}
				return content, true
			})
			r.env[overridesVariable] = server.overrides()

			before := server.served(archive)
			install := r.runCLI(repoRoot, cliTimeout, mustFail, "plugin", "install", "resource", provider.Name, "v"+provider.Version,
				"--server", server.downloadURL())
			assertPluginError(t, kind+": pulumi plugin install", install)
			r.assertPluginNotInstalled(kind + ", after pulumi plugin install")
			if server.served(archive) == before {
				t.Fatalf("%s: pulumi plugin install did not ask the server for %s", kind, archive)
			}
			before = server.served(archive)

			up := r.runCLI(project, cliTimeout, mustFail, "up", "--yes", "--non-interactive")
			assertPluginError(t, kind+": pulumi up", up)
			r.assertPluginNotInstalled(kind + ", after pulumi up")
			if server.served(archive) == before {
				t.Fatalf("%s: pulumi up did not ask the server for %s", kind, archive)
			}
		}
		r.assertNoLiveSecrets()

		// The same PULUMI_HOME, now with the good archive: the failed runs
		// left nothing that stands in for the plugin, so it downloads again.
		server := startReleaseServer(t, fromDist)
		r.env[overridesVariable] = server.overrides()
		r.runCLI(project, cliTimeout, mustSucceed, "up", "--yes", "--non-interactive")
		server.assertServed(t, archive, 1)
		r.assertPluginInstalled(binary)
		var outputs map[string]string
		if err := json.Unmarshal([]byte(r.runPulumi(project, "stack", "output", "--json")), &outputs); err != nil {
			t.Fatal(err)
		}
		r.assertSecretValue(outputs["secretId"], documentSecretValue)
		r.runCLI(project, cliTimeout, mustSucceed, "destroy", "--yes", "--non-interactive")
		r.assertNoLiveSecrets()
		r.assertStateHasNoPlaintext()
	})
}

// overridesVariable redirects the CLI's plugin downloads: comma-separated
// regexp=URL pairs, matched against a plugin's download URL.
const overridesVariable = "PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES"

func pluginArchiveName() string {
	return fmt.Sprintf("pulumi-resource-%s-v%s-%s-%s.tar.gz", provider.Name, provider.Version, runtime.GOOS, runtime.GOARCH)
}

// buildHostDist runs scripts/dist.sh for this machine's platform at the
// provider's version into a temporary folder, and returns it.
func buildHostDist(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command(filepath.Join(repoRoot, "scripts", "dist.sh"))
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "VERSION="+provider.Version, "PLATFORMS=host", "DIST_DIR="+out)
	if os.Getenv("SMX_E2E_DIST_PYTHON") == "skip" {
		cmd.Env = append(cmd.Env, "DIST_PYTHON=skip")
	}
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/dist.sh: %v\n%s", err, output)
	}
	return out
}

// assertChecksum checks that checksums.txt lists name with content's sha256
// (or, with nil content, the file's).
func assertChecksum(t *testing.T, dist, name string, content []byte) {
	t.Helper()
	if content == nil {
		var err error
		if content, err = os.ReadFile(filepath.Join(dist, name)); err != nil {
			t.Fatal(err)
		}
	}
	sums, err := os.ReadFile(filepath.Join(dist, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	if want := hex.EncodeToString(sum[:]) + "  " + name + "\n"; !strings.Contains(string(sums), want) {
		t.Fatalf("checksums.txt lacks %q:\n%s", want, sums)
	}
}

// pluginBinaryFromArchive checks the archive's layout — the binary,
// executable, and LICENSE and README.md, all at the top level — and returns
// the binary.
func pluginBinaryFromArchive(t *testing.T, archive []byte) []byte {
	t.Helper()
	name := "pulumi-resource-" + provider.Name
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = content
		if h.Name == name && h.Mode&0o111 == 0 {
			t.Errorf("%s in the archive is not executable (mode %o)", name, h.Mode)
		}
	}
	for _, want := range []string{name, "LICENSE", "README.md"} {
		if _, ok := files[want]; !ok {
			t.Errorf("the plugin archive lacks %s at its top level", want)
		}
	}
	if len(files) != 3 {
		t.Errorf("the plugin archive holds %d files, want 3", len(files))
	}
	return files[name]
}

// releaseServer is a loopback HTTP server laid out as the project's GitHub
// releases: /releases/download/v<version>/<asset>. It records the assets
// asked for.
type releaseServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests map[string]int
}

// startReleaseServer serves what serve returns for an asset of this
// version's release, 404 for anything else; the test stops it.
func startReleaseServer(t *testing.T, serve func(asset string) ([]byte, bool)) *releaseServer {
	t.Helper()
	s := &releaseServer{requests: map[string]int{}}
	prefix := "/releases/download/v" + provider.Version + "/"
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		asset, ok := strings.CutPrefix(req.URL.Path, prefix)
		s.mu.Lock()
		s.requests[req.URL.Path]++
		s.mu.Unlock()
		if !ok || req.Method != http.MethodGet {
			http.NotFound(w, req)
			return
		}
		content, found := serve(asset)
		if !found {
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeContent(w, req, asset, time.Time{}, bytes.NewReader(content))
	}))
	// Loopback only, on a free port (httptest would fall back to IPv6).
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Listener = listener
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// downloadURL is the release's download folder as a plugin server URL: the
// CLI puts the plugin's version in place of ${VERSION}.
func (s *releaseServer) downloadURL() string {
	return s.URL + "/releases/download/v${VERSION}"
}

// overrides is PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES sending the project's
// GitHub releases to s.
func (s *releaseServer) overrides() string {
	return "^" + regexp.QuoteMeta(provider.PluginDownloadURL) + "=" + s.downloadURL()
}

// served is how many times asset of this release was asked for.
func (s *releaseServer) served(asset string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests["/releases/download/v"+provider.Version+"/"+asset]
}

// assertServed checks that asset of this release was asked for exactly n times.
func (s *releaseServer) assertServed(t *testing.T, asset string, n int) {
	t.Helper()
	path := "/releases/download/v" + provider.Version + "/" + asset
	s.mu.Lock()
	defer s.mu.Unlock()
	if got := s.requests[path]; got != n {
		t.Fatalf("the release server was asked for %s %d times, want %d (all requests: %v)", path, got, n, s.requests)
	}
}

// newReleaseRun is a stackRun with an empty PULUMI_HOME, no provider binary
// on PATH, and, with a server, the project's plugin downloads sent to it.
func newReleaseRun(t *testing.T, server *releaseServer) *stackRun {
	t.Helper()
	r := newStackRunWithoutPlugin(t)
	var path []string
	for _, dir := range filepath.SplitList(r.env["PATH"]) {
		if _, err := os.Stat(filepath.Join(dir, "pulumi-resource-"+provider.Name)); err == nil {
			continue
		}
		path = append(path, dir)
	}
	r.env["PATH"] = strings.Join(path, string(os.PathListSeparator))
	if server != nil {
		r.env[overridesVariable] = server.overrides()
	}
	if _, err := os.Stat(r.env["PULUMI_HOME"]); !os.IsNotExist(err) {
		t.Fatalf("PULUMI_HOME %s exists before the first command", r.env["PULUMI_HOME"])
	}
	return r
}

// runCLI runs the Pulumi CLI in dir with a time limit.
func (r *stackRun) runCLI(dir string, timeout time.Duration, expect expectation, args ...string) cliResult {
	r.t.Helper()
	return r.runCommand(runOptions{dir: dir, timeout: timeout, expect: expect}, "pulumi", args...)
}

// pluginDir is where the CLI installs this version of the plugin.
func (r *stackRun) pluginDir() string {
	return filepath.Join(r.env["PULUMI_HOME"], "plugins", "resource-"+provider.Name+"-v"+provider.Version)
}

// assertPluginInstalled checks that the plugin is installed, completely,
// with exactly the binary of the release's archive.
func (r *stackRun) assertPluginInstalled(binary []byte) {
	r.t.Helper()
	dir := r.pluginDir()
	installed, err := os.ReadFile(filepath.Join(dir, "pulumi-resource-"+provider.Name))
	if err != nil {
		r.t.Fatalf("the plugin is not installed: %v", err)
	}
	if !bytes.Equal(installed, binary) {
		r.t.Fatalf("the installed plugin (%d bytes) is not the binary of the release's archive (%d bytes)", len(installed), len(binary))
	}
	if _, err := os.Stat(dir + ".partial"); err == nil {
		r.t.Fatalf("%s.partial exists: the install did not finish", dir)
	}
	for _, name := range []string{"LICENSE", "README.md"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			r.t.Errorf("the installed plugin lacks %s: %v", name, err)
		}
	}
}

// assertPluginListed checks whether `pulumi plugin ls` lists this version.
func (r *stackRun) assertPluginListed(want bool) {
	r.t.Helper()
	var plugins []struct {
		Name    string `json:"name"`
		Kind    string `json:"kind"`
		Version string `json:"version"`
	}
	out := r.runPulumi(repoRoot, "plugin", "ls", "--json")
	if err := json.Unmarshal([]byte(out), &plugins); err != nil {
		r.t.Fatalf("pulumi plugin ls --json: %v\n%s", err, out)
	}
	listed := false
	for _, p := range plugins {
		if p.Name == provider.Name && p.Kind == "resource" && p.Version == provider.Version {
			listed = true
		}
	}
	if listed != want {
		r.t.Fatalf("pulumi plugin ls lists smx v%s: %v, want %v\n%s", provider.Version, listed, want, out)
	}
}

// assertPluginNotInstalled checks that a failed install left nothing the CLI
// takes for the plugin: `pulumi plugin ls` does not list it, and a folder
// left behind is marked partial (the CLI skips and replaces such a folder).
func (r *stackRun) assertPluginNotInstalled(when string) {
	r.t.Helper()
	r.assertPluginListed(false)
	dir := r.pluginDir()
	if _, err := os.Stat(dir); err == nil {
		if _, err := os.Stat(dir + ".partial"); err != nil {
			r.t.Fatalf("%s: %s is left without a .partial marker", when, dir)
		}
	}
}

// assertPluginError checks that a command failed for the plugin, and said so
// in an error naming it (the CLI writes "resource plugin smx-<version>",
// "provider smx" or the binary's name, pulumi-resource-smx).
func assertPluginError(t *testing.T, what string, res cliResult) {
	t.Helper()
	names := regexp.MustCompile(`(plugin|provider) ` + regexp.QuoteMeta(provider.Name) + `\b|pulumi-resource-` + regexp.QuoteMeta(provider.Name))
	for _, line := range strings.Split(ansiEscape.ReplaceAllString(res.output(), ""), "\n") {
		if strings.Contains(strings.ToLower(line), "error") && names.MatchString(line) {
			t.Logf("%s failed as it should: %s", what, strings.TrimSpace(line))
			return
		}
	}
	t.Fatalf("%s failed without an error naming the plugin (%s):\n%s", what, names, res)
}

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// copyYAMLExample copies examples/yaml, its sdks/smx.yaml package declaration
// included, into a temporary folder.
func copyYAMLExample(r *stackRun) string {
	r.t.Helper()
	project := filepath.Join(r.t.TempDir(), "yaml")
	r.runCommand(runOptions{}, "cp", "-r", filepath.Join(repoRoot, "examples", "yaml"), project)
	requireFile(r.t, filepath.Join(project, "sdks", provider.Name+".yaml"), "make generate")
	return project
}

// typeScriptExampleFromTarball copies examples/ts into a temporary folder
// with its SDK dependency pointed at the npm tarball, installs it
// (@pulumi/pulumi and the compiler from the npm registry, or npm's cache) and
// compiles it.
func typeScriptExampleFromTarball(r *stackRun, tarball string) string {
	r.t.Helper()
	example := filepath.Join(repoRoot, "examples", "ts")
	project := filepath.Join(r.t.TempDir(), "ts")
	if err := os.MkdirAll(project, 0o755); err != nil {
		r.t.Fatal(err)
	}
	for _, name := range []string{"Pulumi.yaml", "index.ts", "tsconfig.json"} {
		r.runCommand(runOptions{}, "cp", filepath.Join(example, name), project)
	}
	content, err := os.ReadFile(filepath.Join(example, "package.json"))
	if err != nil {
		r.t.Fatal(err)
	}
	var pkg map[string]any
	if err := json.Unmarshal(content, &pkg); err != nil {
		r.t.Fatal(err)
	}
	deps, _ := pkg["dependencies"].(map[string]any)
	if _, ok := deps["@smxlabs/pulumi-smx"]; !ok {
		r.t.Fatalf("examples/ts/package.json does not depend on @smxlabs/pulumi-smx: %s", content)
	}
	deps["@smxlabs/pulumi-smx"] = "file:" + tarball
	if content, err = json.MarshalIndent(pkg, "", "    "); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, "package.json"), content, 0o644); err != nil {
		r.t.Fatal(err)
	}
	npm := runOptions{dir: project, timeout: 10 * time.Minute}
	r.runCommand(npm, "npm", "install", "--no-audit", "--no-fund", "--prefer-offline", "--silent")
	r.runCommand(npm, "npx", "tsc")

	// The SDK is the tarball's, unpacked (not a link to sdk/nodejs), at this version.
	sdk := filepath.Join(project, "node_modules", "@smxlabs", "pulumi-smx")
	if info, err := os.Lstat(sdk); err != nil || info.Mode()&os.ModeSymlink != 0 {
		r.t.Fatalf("%s is not a folder unpacked from the tarball (%v)", sdk, err)
	}
	var installed struct {
		Version string `json:"version"`
	}
	content, err = os.ReadFile(filepath.Join(sdk, "package.json"))
	if err == nil {
		err = json.Unmarshal(content, &installed)
	}
	if err != nil || installed.Version != provider.Version {
		r.t.Fatalf("the installed SDK is version %q (%v), want %s", installed.Version, err, provider.Version)
	}
	return project
}
