// Package e2e runs the document's programs through the real Pulumi CLI
// against moto: the YAML example with `pulumi up` in its project, and the Go,
// TypeScript and Python examples as Automation API inline programs (this
// machine has no nodejs/python/go language hosts). `make test` builds what
// these tests need first: the Pulumi CLI, the provider, the SDKs.
package e2e

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/smxlabs/pulumi-smx/internal/moto"
	"github.com/smxlabs/pulumi-smx/provider"
)

// The value every example stores; it must never appear in plaintext in state.
const documentSecretValue = "mysecret"

// repoRoot is the repository root, found from this file's location.
var repoRoot = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}()

// pulumiRoot holds bin/pulumi, the CLI built by `make tools`.
var pulumiRoot = filepath.Join(repoRoot, ".tools")

// stackRun is one isolated Pulumi environment: its own moto, PULUMI_HOME
// (with the provider plugin installed), file backend and passphrase.
type stackRun struct {
	t        *testing.T
	moto     *moto.Server
	client   *sm.Client
	env      map[string]string
	stateDir string

	// What the leak checks look for and where (see leakcheck_test.go): the
	// secret values this run's programs store besides documentSecretValue,
	// files the provider plugin's own logs were copied to, and more folders
	// whose every file must be free of those values.
	secretValues []string
	providerLogs []string
	leakDirs     []string
}

func newStackRun(t *testing.T) *stackRun {
	t.Helper()
	r := newStackRunWithoutPlugin(t)
	r.installPlugin()
	return r
}

// newStackRunWithoutPlugin is newStackRun with an empty PULUMI_HOME: no
// provider plugin is installed, so the engine must download one (see
// release_test.go).
func newStackRunWithoutPlugin(t *testing.T) *stackRun {
	t.Helper()
	return newStackRunOn(t, moto.Start(t))
}

// newStackRunOn is a stack run against a moto the caller started (and
// shares between runs, as iam_test.go does), with no plugin installed.
func newStackRunOn(t *testing.T, server *moto.Server) *stackRun {
	t.Helper()
	r := newIsolatedStackRun(t, server.Client(), server.Env())
	r.moto = server
	return r
}

// newIsolatedStackRun is a stack run of its own PULUMI_HOME, file backend
// and passphrase, with no plugin installed, whose AWS calls go where awsEnv
// points them and whose checks read through client.
func newIsolatedStackRun(t *testing.T, client *sm.Client, awsEnv map[string]string) *stackRun {
	t.Helper()
	requireFile(t, filepath.Join(pulumiRoot, "bin", "pulumi"), "make tools")
	dir := t.TempDir()
	r := &stackRun{
		t:        t,
		client:   client,
		stateDir: filepath.Join(dir, "state"),
		env: map[string]string{
			"PULUMI_HOME":                          filepath.Join(dir, "pulumi-home"),
			"PULUMI_CONFIG_PASSPHRASE":             "e2e-passphrase",
			"PULUMI_SKIP_UPDATE_CHECK":             "true",
			"PULUMI_DIY_BACKEND_NO_LEGACY_WARNING": "true",
			"PATH":                                 filepath.Join(pulumiRoot, "bin") + string(os.PathListSeparator) + os.Getenv("PATH"),
		},
	}
	r.env["PULUMI_BACKEND_URL"] = "file://" + r.stateDir
	for k, v := range awsEnv {
		r.env[k] = v
	}
	if err := os.MkdirAll(r.stateDir, 0o755); err != nil {
		t.Fatal(err)
	}
	return r
}

// installPlugin installs the provider built in bin/ as a user's plugin is
// installed, so the engine runs exactly this build.
func (r *stackRun) installPlugin() {
	r.t.Helper()
	providerBinary := filepath.Join(repoRoot, "bin", "pulumi-resource-smx")
	requireFile(r.t, providerBinary, "make provider")
	r.runPulumi(repoRoot, "plugin", "install", "resource", provider.Name, provider.Version, "--file", providerBinary)
}

func requireFile(t *testing.T, path, howToBuild string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s is missing: run `%s` (or `make test`, which builds everything the tests need)", path, howToBuild)
	}
}

// assertSecretValue checks through the AWS API that the secret's current
// value is want.
func (r *stackRun) assertSecretValue(secretID, want string) {
	r.t.Helper()
	requireValueIn(r.t, r.client, secretID, want)
}

// requireValueIn reads secretID's current value through client (an account
// of its own, on the served fake) and fails unless it is want, without
// printing either.
func requireValueIn(t *testing.T, client *sm.Client, secretID, want string) *sm.GetSecretValueOutput {
	t.Helper()
	out, err := client.GetSecretValue(context.Background(), &sm.GetSecretValueInput{SecretId: &secretID})
	if err != nil {
		t.Fatalf("reading secret %s back: %v", secretID, err)
	}
	if got := aws.ToString(out.SecretString); got != want {
		t.Fatalf("secret %s holds a different value than the program set (lengths %d and %d)", secretID, len(got), len(want))
	}
	return out
}

// assertNoChanges checks that a preview after `up` plans nothing.
func (r *stackRun) assertNoChanges(summary map[string]int) {
	r.t.Helper()
	for op, count := range summary {
		if op != "same" && count > 0 {
			r.t.Fatalf("preview after up is not empty: %v", summary)
		}
	}
	if summary["same"] == 0 {
		r.t.Fatalf("preview after up reports no resources at all: %v", summary)
	}
}

// assertStateHasNoPlaintext scans every file the backend wrote (checkpoints,
// history, backups) for the document's secret value in plaintext.
func (r *stackRun) assertStateHasNoPlaintext() {
	r.t.Helper()
	r.assertStateLacks(documentSecretValue)
}

// assertStateLacks scans every file the backend wrote for value.
func (r *stackRun) assertStateLacks(value string) {
	r.t.Helper()
	if files := assertFilesUnderLack(r.t, r.stateDir, []string{value}); files == 0 {
		r.t.Fatalf("no state files under %s: the check would prove nothing", r.stateDir)
	}
}

// assertNoPlaintext checks text for every secret value this run stores
// (documentSecretValue and those added with watchSecretValues).
func (r *stackRun) assertNoPlaintext(where, text string) {
	r.t.Helper()
	assertNoPlaintextIn(r.t, where, text, r.watchedSecretValues())
}

func (r *stackRun) assertNoPlaintextValue(where, text, value string) {
	r.t.Helper()
	assertNoPlaintextIn(r.t, where, text, []string{value})
}

// assertNoLiveSecrets checks that every secret moto holds is deleted or
// scheduled for deletion.
func (r *stackRun) assertNoLiveSecrets() {
	r.t.Helper()
	out, err := r.client.ListSecrets(context.Background(), &sm.ListSecretsInput{IncludePlannedDeletion: aws.Bool(true)})
	if err != nil {
		r.t.Fatal(err)
	}
	for _, s := range out.SecretList {
		if s.DeletedDate == nil {
			r.t.Fatalf("secret %s is still live after destroy", aws.ToString(s.Name))
		}
	}
}
