//go:build tools

// Package tools pins the Pulumi CLI that smx builds from source, so that a
// machine that reaches only the Go module proxy (no release downloads) can
// run the tests. `make tools` builds it from
// this module. (pulumi-language-yaml is built with `go install` at the version
// pinned in the Makefile: its own go.mod needs an older pkg/v3.)
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
