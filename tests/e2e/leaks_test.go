package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/debug"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/smxlabs/pulumi-smx/provider"
)

// documentProgram is the document's Go program (examples/go/main.go): a
// Secret and a SecretVersion holding "mysecret", registered as the generated
// SDK registers them.
func documentProgram(ctx *pulumi.Context) error {
	secret, err := registerSecret(ctx, "secretcontainer", pulumi.Map{})
	if err != nil {
		return err
	}
	if _, err := registerSecretVersion(ctx, "secret", pulumi.Map{
		"secretId":     secret.ID(),
		"secretString": pulumi.String(documentSecretValue),
	}); err != nil {
		return err
	}
	ctx.Export("secretContainer", secret.ID())
	return nil
}

// verboseLogging is the most the CLI logs: `-v=11 --logflow --logtostderr
// --debug`. --logflow hands -v=11 and --logtostderr to the provider plugin.
func verboseLogging() debug.LoggingOptions {
	eleven := uint(11)
	return debug.LoggingOptions{LogLevel: &eleven, FlowToPlugins: true, LogToStdErr: true, Debug: true}
}

// TestNoSecretInVerboseProviderLogs runs the document's program through up,
// preview, refresh and destroy with the most verbose logging, and checks that
// "mysecret" appears nowhere: not in what the provider plugin logs, not in
// the CLI's output, not in its automatic logs, not in state, not in any file
// the CLI leaves in its TMPDIR.
//
// Where the provider's logs go (Pulumi CLI and SDK v3.274.1): with --logflow
// the engine starts pulumi-resource-smx with `--logtostderr -v=11`.
//   - Its p.GetLogger messages are Log calls to the engine, shown as
//     diagnostics ("debug: smx: configured for region ...").
//   - Its log records (those of the Pulumi SDK and pulumi-go-provider inside
//     it) are exported over OTLP to the CLI, which logs them again on its
//     stderr without saying where they came from. The plugin exports them in
//     batches, once a second, and never flushes the last batch when the
//     engine stops it: against moto, where every operation is over within a
//     second, none arrive at all.
//   - What it writes to stderr the engine drains before stopping it and shows
//     as debug diagnostics.
//
// So the test runs twice. ProviderStderr isolates the provider's own lines: a
// wrapper unsets PULUMI_LOG_OTLP_ENDPOINT, so the plugin writes every record
// to its stderr, and keeps a copy of that stderr. DefaultLogTransport runs
// the plugin as users do, with a 10 ms export interval so that its records
// reach the CLI as they do in any operation longer than a second (against
// real AWS); the CLI renders them itself, and must not reveal secrets either.
//
// The in-process Go SDK of this test binary (the inline program's language
// host) logs nothing: its verbosity is never set. The YAML example is not used
// here: pulumi-language-yaml logs the program's own literal inputs at -v>=9.
func TestNoSecretInVerboseProviderLogs(t *testing.T) {
	t.Parallel()
	t.Run("ProviderStderr", func(t *testing.T) { runVerbose(t, true) })
	t.Run("DefaultLogTransport", func(t *testing.T) { runVerbose(t, false) })
}

func runVerbose(t *testing.T, isolateProvider bool) {
	r := newStackRun(t)
	ctx := context.Background()
	cliTemp := t.TempDir() // the CLI's and the plugin's TMPDIR: any log file they write lands here
	env := map[string]string{"TMPDIR": cliTemp}
	providerLog := ""
	if isolateProvider {
		providerLog = captureProviderStderr(t, r)
	} else {
		env["OTEL_BLRP_SCHEDULE_DELAY"] = "10" // milliseconds; the OTel SDK's default is 1000
	}
	stack := r.inlineStack(ctx, "verbose", documentProgram, env)
	logging := verboseLogging()

	var output outputCapture
	checked := func(op string, err error) {
		t.Helper()
		if providerLog != "" {
			content, readErr := os.ReadFile(providerLog)
			if readErr != nil {
				t.Fatalf("the provider's stderr was not captured: %v", readErr)
			}
			assertNoLeak(t, "the provider plugin's own log (pulumi-resource-smx stderr) after "+op, string(content))
		}
		assertNoLeak(t, "the verbose output of "+op, output.String())
		if err != nil {
			assertNoLeak(t, "the error of "+op, err.Error())
			t.Fatalf("%s failed: %v", op, err)
		}
	}

	up, err := stack.Up(ctx, optup.DebugLogging(logging), optup.Diff(),
		optup.ProgressStreams(&output), optup.ErrorProgressStreams(&output))
	checked("up", err)
	secretID, _ := up.Outputs["secretContainer"].Value.(string)
	r.assertSecretValue(secretID, documentSecretValue)

	preview, err := stack.Preview(ctx, optpreview.DebugLogging(logging), optpreview.Diff(),
		optpreview.ProgressStreams(&output), optpreview.ErrorProgressStreams(&output))
	checked("preview", err)
	r.assertNoChanges(changeCounts(preview.ChangeSummary))

	// Refresh reads the value back from AWS.
	_, err = stack.Refresh(ctx, optrefresh.DebugLogging(logging), optrefresh.ExpectNoChanges(),
		optrefresh.ProgressStreams(&output), optrefresh.ErrorProgressStreams(&output))
	checked("refresh", err)
	r.assertStateHasNoPlaintext()

	_, err = stack.Destroy(ctx, optdestroy.DebugLogging(logging),
		optdestroy.ProgressStreams(&output), optdestroy.ErrorProgressStreams(&output))
	checked("destroy", err)
	r.assertNoLiveSecrets()

	// The checks prove something only if the verbose logs, and the
	// provider's messages, were captured.
	all := output.String()
	if !strings.Contains(all, `"v":11`) {
		t.Fatal("the output holds no log record of level 11: verbose logging was not captured")
	}
	if !strings.Contains(all, "smx: configured for region") {
		t.Fatal("the output holds no debug message of the provider: its diagnostics were not captured")
	}

	r.assertStateHasNoPlaintext()
	r.assertAutomaticLogsLack(stack.Workspace().WorkDir(), stack.Name(), documentSecretValue)
	assertFilesUnderLack(t, cliTemp, []string{documentSecretValue})
	if providerLog != "" {
		// Once more, now that every copy of the plugins' stderr has surely
		// been written out.
		content, err := os.ReadFile(providerLog)
		if err != nil {
			t.Fatalf("the provider's stderr was not captured: %v", err)
		}
		assertNoLeak(t, "the provider plugin's own log (pulumi-resource-smx stderr)", string(content))
	}
}

// assertNoLeak fails if text contains the document's value, quoting (with
// the value masked) the first lines that do, so that the failure says which
// component logged it.
func assertNoLeak(t *testing.T, where, text string) {
	t.Helper()
	assertNoPlaintextIn(t, where, text, []string{documentSecretValue})
}

// TestErrorsNeverContainTheSecretValue makes the provider fail while it holds
// the value "mysecret": AWS rejecting the write (the secret does not exist),
// and Check rejecting the value itself (too long; secretBinary not base64).
// `up` fails with the provider's error; neither the error nor any output,
// automatic log or state file contains the value. (Verbose logs are
// TestNoSecretInVerboseProviderLogs's subject.)
func TestErrorsNeverContainTheSecretValue(t *testing.T) {
	t.Parallel()
	existingSecret := func(t *testing.T, r *stackRun) string {
		created, err := r.client.CreateSecret(context.Background(), &sm.CreateSecretInput{Name: aws.String("smx-e2e-errors")})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(created.ARN)
	}
	cases := []struct {
		name string
		// secretID arranges the secret the version is stored in and returns its ID.
		secretID func(t *testing.T, r *stackRun) string
		// property and value: what the SecretVersion stores; each contains "mysecret".
		property, value string
		// want: what the provider's error says.
		want []string
	}{
		{"MissingSecret", func(*testing.T, *stackRun) string { return "smx-e2e-no-such-secret" },
			"secretString", documentSecretValue, []string{`"smx-e2e-no-such-secret"`, "PutSecretValue"}},
		{"ValueTooLong", existingSecret,
			"secretString", strings.Repeat(documentSecretValue, 65536/len(documentSecretValue)+1), []string{"secretString", "65536"}},
		{"BinaryNotBase64", existingSecret,
			"secretBinary", documentSecretValue + "!", []string{"secretBinary", "base64"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newStackRun(t)
			ctx := context.Background()
			secretID := tc.secretID(t, r)
			stack := r.inlineStack(ctx, "errors", func(ctx *pulumi.Context) error {
				_, err := registerSecretVersion(ctx, "secret", pulumi.Map{
					"secretId":  pulumi.String(secretID),
					tc.property: pulumi.String(tc.value),
				})
				return err
			}, nil)

			var output outputCapture
			_, err := stack.Up(ctx, optup.ProgressStreams(&output), optup.ErrorProgressStreams(&output))
			if err == nil {
				t.Fatalf("up storing a value in %s succeeded, want the provider's error", secretID)
			}
			// The Automation API's error carries the CLI's whole stdout and stderr.
			assertNoLeak(t, "the error of up", err.Error())
			assertNoLeak(t, "the output of up", output.String())
			for _, want := range tc.want {
				if !strings.Contains(output.String(), want) {
					t.Fatalf("up failed, but its output does not say %q: not the provider's error?\n%s", want, output.String())
				}
			}
			r.assertStateHasNoPlaintext()
			r.assertAutomaticLogsLack(stack.Workspace().WorkDir(), stack.Name(), documentSecretValue)
		})
	}
}

// captureProviderStderr reinstalls the provider plugin in r's PULUMI_HOME
// behind a wrapper that keeps a copy of everything the plugin writes to
// stderr, and returns that copy's path: the lines the provider plugin itself
// logs, told apart from the CLI's.
//
// The wrapper also unsets PULUMI_LOG_OTLP_ENDPOINT. With it set (the CLI
// sets it for every plugin), the plugin exports its log records over OTLP in
// batches, once a second, and the Pulumi SDK v3.274.1 that runs the plugin
// (provider.MainContext) never flushes the last batch: records logged in the
// plugin's last second are lost when the engine stops it. Without it, the
// plugin writes every record to stderr (it is started with --logtostderr),
// which the engine drains before it stops the plugin and re-logs as debug
// diagnostics.
func captureProviderStderr(t *testing.T, r *stackRun) string {
	t.Helper()
	dir := t.TempDir()
	// A copy: bin/ may be rebuilt while the test runs.
	binary := filepath.Join(dir, "pulumi-resource-smx")
	r.runCommand(runOptions{}, "cp", filepath.Join(repoRoot, "bin", "pulumi-resource-smx"), binary)
	stderrLog := filepath.Join(dir, "provider-stderr.log")
	wrapper := filepath.Join(dir, "wrapper", "pulumi-resource-smx")
	script := "#!/bin/bash\n" +
		"unset PULUMI_LOG_OTLP_ENDPOINT\n" +
		"exec " + shellQuote(binary) + ` "$@" 2> >(tee -a ` + shellQuote(stderrLog) + " >&2)\n"
	if err := os.MkdirAll(filepath.Dir(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	r.runPulumi(repoRoot, "plugin", "install", "resource", provider.Name, provider.Version, "--file", wrapper, "--reinstall")
	return stderrLog
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
