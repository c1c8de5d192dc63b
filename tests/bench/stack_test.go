package bench

// The stack the benchmark deploys — n Secret+SecretVersion pairs in a YAML
// program — and the real Pulumi CLI that deploys it, against moto through
// a fault proxy that counts every call.

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smxlabs/pulumi-smx/internal/faultproxy"
	"github.com/smxlabs/pulumi-smx/provider"
)

var (
	repoRoot     = mustAbs("../..")
	pulumiBinary = filepath.Join(repoRoot, ".tools", "bin", "pulumi")
	// providerBinary is the build benchmarked: this repository's, or
	// SMX_BENCH_PROVIDER's (an older build, for a before-and-after).
	providerBinary = cmp.Or(os.Getenv("SMX_BENCH_PROVIDER"), filepath.Join(repoRoot, "bin", "pulumi-resource-smx"))
)

func mustAbs(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		panic(err)
	}
	return abs
}

// defaultParallel is the engine's --parallel when none is given (4 per
// CPU, pkg/cmd/pulumi/operations/up.go): the raw floor runs at it too.
func defaultParallel() int { return 4 * runtime.GOMAXPROCS(0) }

// workspace is one PULUMI_HOME and file backend with smx installed, whose
// CLI reaches Secrets Manager through proxy.
type workspace struct {
	b       *testing.B
	dir     string
	env     []string
	proxy   *faultproxy.Proxy
	project string
}

func newWorkspace(b *testing.B, motoEnv map[string]string, proxy *faultproxy.Proxy, pairs int) *workspace {
	b.Helper()
	for _, path := range []string{pulumiBinary, providerBinary} {
		if _, err := os.Stat(path); err != nil {
			b.Fatalf("%s is missing: run `make bench`, which builds it", path)
		}
	}
	dir := b.TempDir()
	w := &workspace{b: b, dir: dir, proxy: proxy, project: filepath.Join(dir, "project")}
	env := map[string]string{
		"PULUMI_HOME":                          filepath.Join(dir, "home"),
		"PULUMI_BACKEND_URL":                   "file://" + filepath.Join(dir, "state"),
		"PULUMI_CONFIG_PASSPHRASE":             "bench",
		"PULUMI_SKIP_UPDATE_CHECK":             "true",
		"PULUMI_DIY_BACKEND_NO_LEGACY_WARNING": "true",
		"PATH":                                 filepath.Dir(pulumiBinary) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME":                                 os.Getenv("HOME"),
		"TMPDIR":                               dir,
	}
	for k, v := range motoEnv {
		env[k] = v
	}
	env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = proxy.URL
	// SMX_BENCH_ENV adds variables (KEY=VALUE,...) to the CLI's
	// environment, which the plugins inherit: GOGC=50, GOMEMLIMIT=24MiB, ...
	if extra := os.Getenv("SMX_BENCH_ENV"); extra != "" {
		for kv := range strings.SplitSeq(extra, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				b.Fatalf("SMX_BENCH_ENV: %q is not KEY=VALUE", kv)
			}
			env[k] = v
		}
	}
	for k, v := range env {
		w.env = append(w.env, k+"="+v)
	}
	if err := os.MkdirAll(filepath.Join(dir, "state"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(w.project, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(w.project, "Pulumi.yaml"), []byte(program(pairs)), 0o644); err != nil {
		b.Fatal(err)
	}
	w.pulumi(nil, "plugin", "install", "resource", provider.Name, provider.Version, "--file", providerBinary)
	return w
}

// program is n Secret+SecretVersion pairs under a prefix from stack config,
// so that several stacks of it can share one account.
func program(n int) string {
	var p strings.Builder
	fmt.Fprintf(&p, "name: smx-bench\nruntime: yaml\ndescription: %d Secret+SecretVersion pairs (tests/bench)\n", n)
	p.WriteString("config:\n  prefix:\n    type: string\nresources:\n")
	for i := range n {
		fmt.Fprintf(&p, "  secret%04d:\n    type: smx:secretsmanager:Secret\n    properties:\n      name: ${prefix}/secret-%04d\n", i, i)
		fmt.Fprintf(&p, "  version%04d:\n    type: smx:secretsmanager:SecretVersion\n    properties:\n"+
			"      secretId: ${secret%04d.id}\n      secretString: bench-value-%04d\n", i, i, i)
	}
	return p.String()
}

// newStack creates a stack whose secrets are named under prefix.
func (w *workspace) newStack(name, prefix string) {
	w.b.Helper()
	w.pulumi(nil, "stack", "init", name, "--non-interactive")
	w.pulumi(nil, "config", "set", "prefix", prefix, "--stack", name)
}

// pulumi runs the CLI in the project with extra environment, and fails the
// benchmark unless it succeeds. It returns how long it took.
func (w *workspace) pulumi(extraEnv []string, args ...string) time.Duration {
	w.b.Helper()
	took, err := w.tryPulumi(extraEnv, args...)
	if err != nil {
		w.b.Fatal(err)
	}
	return took
}

func (w *workspace) tryPulumi(extraEnv []string, args ...string) (time.Duration, error) {
	cmd := exec.Command(pulumiBinary, args...)
	cmd.Dir = w.project
	cmd.Env = append(append([]string{}, w.env...), extraEnv...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	timer := time.AfterFunc(30*time.Minute, func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	err := cmd.Wait()
	timer.Stop()
	took := time.Since(start)
	if err != nil {
		text := out.String()
		if len(text) > 6000 {
			text = "…" + text[len(text)-6000:]
		}
		return took, fmt.Errorf("pulumi %s: %w\n%s", strings.Join(args, " "), err, text)
	}
	return took, nil
}

// statePath is the stack's checkpoint in the file backend.
func (w *workspace) statePath(stack string) string {
	return filepath.Join(w.dir, "state", ".pulumi", "stacks", "smx-bench", stack+".json")
}
