package dropin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The document's Go program (examples/go/main.go, which is it with smx's
// import line) builds unchanged against pulumi-aws v6 and v7 and against
// smx: only the import line differs, so a program written for
// `github.com/pulumi/pulumi-aws/sdk/v7/go/aws/secretsmanager` runs on smx by
// changing that line. It needs no v7 variant of its own: with none of v7's
// new arguments (such as region) set, the v6 and v7 programs are the same
// text.
func TestTheDocumentsGoProgramBuildsAgainstEverySDK(t *testing.T) {
	const smxImport = `"github.com/smxlabs/pulumi-smx/sdk/go/smx/secretsmanager"`
	source, err := os.ReadFile(filepath.Join("..", "..", "examples", "go", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(source), smxImport) != 1 {
		t.Fatalf("examples/go/main.go must import %s exactly once", smxImport)
	}
	for sdk, importLine := range map[string]string{
		"pulumi-aws v6": `"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"`,
		"pulumi-aws v7": `"github.com/pulumi/pulumi-aws/sdk/v7/go/aws/secretsmanager"`,
		"smx":           smxImport,
	} {
		t.Run(sdk, func(t *testing.T) {
			// Inside this module, so that its go.mod resolves every SDK; a
			// leading underscore keeps `go test ./...` from seeing it.
			dir, err := os.MkdirTemp(".", "_program-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.RemoveAll(dir) })
			program := strings.Replace(string(source), smxImport, importLine, 1)
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o600); err != nil {
				t.Fatal(err)
			}
			build := exec.Command("go", "build", "-o", filepath.Join(t.TempDir(), "program"), "./"+filepath.Base(dir))
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("the document's program does not build against %s: %v\n%s", sdk, err, out)
			}
		})
	}
}
