package main

import (
	"strconv"
	"strings"
)

// maxLogVerbosity caps the -v level the engine passes to the plugin with
// --logflow. From -v=9 on, the Pulumi SDK compiled into the provider logs
// every property it (un)marshals on the gRPC wire, including the plaintext
// inside secrets ("value={...}"): smx must never log a secret value, so its
// logs stop at level 8, where they lose only those property dumps.
const maxLogVerbosity = 8

func capVerbosity(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		arg := args[i]
		for _, prefix := range []string{"-v=", "--v="} {
			if level, ok := strings.CutPrefix(arg, prefix); ok {
				if n, err := strconv.Atoi(level); err == nil && n > maxLogVerbosity {
					arg = prefix + strconv.Itoa(maxLogVerbosity)
				}
			}
		}
		if (arg == "-v" || arg == "--v") && i+1 < len(args) {
			if n, err := strconv.Atoi(args[i+1]); err == nil && n > maxLogVerbosity {
				out = append(out, arg, strconv.Itoa(maxLogVerbosity))
				i++
				continue
			}
		}
		out = append(out, arg)
	}
	return out
}
