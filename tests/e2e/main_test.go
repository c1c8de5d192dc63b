package e2e

import (
	"flag"
	"fmt"
	"os"
	"testing"
)

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
	os.Exit(m.Run())
}
