package e2e

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// waitingTestsPerCore is how many of this package's tests run at once per
// core, unless -parallel says otherwise. Every top-level test owns its moto,
// PULUMI_HOME, backend and temporary folders, and calls t.Parallel; most of
// its wall time is spent waiting on the Pulumi CLI, its plugins and moto
// rather than computing, so more tests than cores keep the cores busy.
// go test's default, one test per core, left them idle about half the time.
const waitingTestsPerCore = 2

// TestMain leaves the end-to-end suite out of the fast loop: under
// `go test -short` (`make test-unit`) it runs nothing and says so, since
// every test here drives the Pulumi CLI against moto. `make test` and CI run
// it whole.
func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		fmt.Println("tests/e2e: skipped by -short (it needs the Pulumi CLI and moto): run `make test`")
		os.Exit(0)
	}
	if !flagGiven("test.parallel") {
		if err := flag.Set("test.parallel", strconv.Itoa(waitingTestsPerCore*runtime.GOMAXPROCS(0))); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	os.Exit(m.Run())
}

// flagGiven reports whether the command line set the flag named name.
func flagGiven(name string) bool {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
