//go:build tools

// Package golangcilint pins golangci-lint, which `make lint` builds from this
// module into .tools/bin. It is a module of its own so that the linter's
// dependencies never mix with the Pulumi CLI's (tools/go.mod) or smx's.
package golangcilint

import (
	_ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
)
