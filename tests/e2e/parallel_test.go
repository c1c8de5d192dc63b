package e2e

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryTestRunsInParallel keeps the suite's wall time from growing with
// each new test: every top-level test of this package must call t.Parallel
// first (TestMain lets several run at once; most of their time is spent
// waiting on the CLI and moto). A test that cannot run beside the others
// (one that sets process environment with t.Setenv, changes directory or
// shares a moto) has to be made independent instead.
func TestEveryTestRunsInParallel(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(repoRoot, "tests", "e2e", "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	tests := 0
	for _, file := range files {
		parsed, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range parsed.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Name.Name == "TestMain" {
				continue
			}
			tests++
			if !callsParallelFirst(fn) {
				t.Errorf("%s (%s): its first statement is not t.Parallel()", fn.Name.Name, fset.Position(fn.Pos()))
			}
		}
	}
	if tests < 40 {
		t.Fatalf("found %d top-level tests under tests/e2e: the check would prove little", tests)
	}
}

// callsParallelFirst reports whether fn's body opens with t.Parallel(), t
// being its *testing.T parameter.
func callsParallelFirst(fn *ast.FuncDecl) bool {
	if fn.Body == nil || len(fn.Body.List) == 0 || len(fn.Type.Params.List) != 1 || len(fn.Type.Params.List[0].Names) != 1 {
		return false
	}
	param := fn.Type.Params.List[0].Names[0].Name
	stmt, ok := fn.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := stmt.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Parallel" {
		return false
	}
	receiver, ok := sel.X.(*ast.Ident)
	return ok && receiver.Name == param
}
