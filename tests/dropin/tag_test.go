package dropin

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTagArgsAreADropInForTypeScript holds smx's secretsmanager.TagArgs to
// @pulumi/aws 7.48.0's, with the TypeScript compiler (testdata/provider-args.js):
// the same properties, each taking what pulumi-aws's takes. pulumi-aws's Go
// SDK that TestPulumiAWSv7IsADropIn pins (v7.0.0) predates its Tag, so the
// npm package is the reference here. smx's side is sdk/nodejs/bin, which
// `make sdk-nodejs` builds.
func TestTagArgsAreADropInForTypeScript(t *testing.T) {
	root := repositoryRoot(t)
	smxDeclarations := filepath.Join(root, "sdk", "nodejs", "bin", "secretsmanager", "tag.d.ts")
	requireBuiltFrom(t, smxDeclarations, filepath.Join(root, "sdk", "nodejs", "secretsmanager", "tag.ts"), "make sdk-nodejs")
	packages := cached(t, fmt.Sprintf("npm-pulumi-aws-%s-typescript-%s", pulumiAWSNpmVersion, typescriptVersion), func(dir string) error {
		manifest := fmt.Sprintf(`{"private": true, "dependencies": {"@pulumi/aws": %q, "typescript": %q}}`,
			pulumiAWSNpmVersion, typescriptVersion)
		if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(manifest), 0o600); err != nil {
			return err
		}
		return run(dir, "npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--silent")
	})
	script, err := filepath.Abs(filepath.Join("testdata", "provider-args.js"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script, filepath.Join(packages, "node_modules", "typescript"),
		"@pulumi/aws/secretsmanager/tag", strings.TrimSuffix(smxDeclarations, ".d.ts"), "TagArgs")
	cmd.Dir = packages
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("comparing the TagArgs types: %v\n%s", err, stderrOf(err))
	}
	var compared struct {
		PulumiAWS    map[string]string   `json:"pulumiAws"`
		Smx          map[string]string   `json:"smx"`
		Incompatible map[string][]string `json:"incompatible"`
	}
	if err := json.Unmarshal(out, &compared); err != nil {
		t.Fatalf("comparing the TagArgs types: %v", err)
	}
	if len(compared.PulumiAWS) == 0 {
		t.Fatalf("@pulumi/aws %s's TagArgs has no properties: the comparison read nothing", pulumiAWSNpmVersion)
	}
	for _, name := range sortedKeys(compared.PulumiAWS) {
		if _, ok := compared.Smx[name]; !ok {
			t.Errorf("smx's TagArgs has no property %s (@pulumi/aws %s: %s)", name, pulumiAWSNpmVersion, compared.PulumiAWS[name])
		} else if messages, ok := compared.Incompatible[name]; ok {
			t.Errorf("smx's TagArgs.%s does not take what @pulumi/aws %s's does:\n%s", name, pulumiAWSNpmVersion, strings.Join(messages, "\n"))
		}
	}
	for _, name := range sortedKeys(compared.Smx) {
		if _, ok := compared.PulumiAWS[name]; !ok {
			t.Errorf("smx's TagArgs has %s, which @pulumi/aws %s's does not", name, pulumiAWSNpmVersion)
		}
	}
}
