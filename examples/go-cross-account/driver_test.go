package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// TestMain doubles as the driver that smx's end-to-end suite (tests/e2e) uses
// to run replicateToAnotherAccount as an Automation API inline program, as
// examples/go's does for the document's program. With SMX_E2E_OP unset it
// runs the tests as usual. The protocol (shared with tests/e2e/drivers/) is:
// SMX_E2E_OP is up, preview or destroy; SMX_E2E_STACK, SMX_E2E_WORK_DIR and
// SMX_E2E_PULUMI_ROOT name the stack, the workspace folder and the CLI's
// root; SMX_E2E_CONFIG, when set, is the stack's config as JSON
// {"key": {"value": "...", "secret": true}}; one JSON line on stdout reports
// the result.
func TestMain(m *testing.M) {
	if op := os.Getenv("SMX_E2E_OP"); op != "" {
		if err := drive(context.Background(), op); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func drive(ctx context.Context, op string) error {
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{
		Root: os.Getenv("SMX_E2E_PULUMI_ROOT"), SkipVersionCheck: true,
	})
	if err != nil {
		return err
	}
	project := workspace.Project{Name: "smx-cross-account-go", Runtime: workspace.NewProjectRuntimeInfo("go", nil)}
	stack, err := auto.UpsertStackInlineSource(ctx, os.Getenv("SMX_E2E_STACK"), string(project.Name), replicateToAnotherAccount,
		auto.Pulumi(cli), auto.WorkDir(os.Getenv("SMX_E2E_WORK_DIR")), auto.Project(project))
	if err != nil {
		return err
	}
	if raw := os.Getenv("SMX_E2E_CONFIG"); raw != "" {
		var config map[string]struct {
			Value  string `json:"value"`
			Secret bool   `json:"secret"`
		}
		if err := json.Unmarshal([]byte(raw), &config); err != nil {
			return fmt.Errorf("SMX_E2E_CONFIG: %w", err)
		}
		all := auto.ConfigMap{}
		for key, setting := range config {
			all[key] = auto.ConfigValue{Value: setting.Value, Secret: setting.Secret}
		}
		if err := stack.SetAllConfig(ctx, all); err != nil {
			return err
		}
	}
	var report any
	switch op {
	case "up":
		res, err := stack.Up(ctx, optup.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		outputs := map[string]any{}
		for name, out := range res.Outputs {
			outputs[name] = out.Value
			if out.Secret {
				outputs[name] = "[secret]"
			}
		}
		report = map[string]any{"outputs": outputs}
	case "preview":
		res, err := stack.Preview(ctx, optpreview.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		report = map[string]any{"changeSummary": res.ChangeSummary}
	case "destroy":
		res, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stderr))
		if err != nil {
			return err
		}
		report = map[string]any{"changeSummary": res.Summary.ResourceChanges}
	default:
		return fmt.Errorf("unknown SMX_E2E_OP %q", op)
	}
	return json.NewEncoder(os.Stdout).Encode(report)
}
