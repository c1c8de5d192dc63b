// Command pulumi-resource-smx is the smx provider plugin that the Pulumi
// engine starts.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/smxlabs/pulumi-smx/provider"
)

func main() {
	setDefaultGCPercent()
	os.Args = capVerbosity(os.Args)
	smx, err := provider.New()
	if err != nil {
		fmt.Fprintf(os.Stderr, "smx: %v\n", err)
		os.Exit(1)
	}
	if err := provider.Serve(context.Background(), smx); err != nil {
		fmt.Fprintf(os.Stderr, "smx: %v\n", err)
		os.Exit(1)
	}
}
