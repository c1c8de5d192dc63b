package main

import (
	"os"
	"runtime/debug"
)

// defaultGCPercent is the provider's GOGC when the environment sets none.
// The heap is most of the provider's own memory (the binary's pages are
// shared page cache), and halving the growth the collector allows before
// it runs took RssAnon's peak from 23–25 MiB to 17–18 MiB in `make bench`
// (500 pairs, checkpoints off), with the same phase times: the provider's
// CPU is small beside the engine's. It is set after the packages' init,
// which runs at the runtime's default. A soft memory limit (GOMEMLIMIT) was not chosen: at
// 16 MiB it made `refresh` three times slower, as the live heap of a large
// refresh sits near the limit and the collector runs without pause.
const defaultGCPercent = 50

// setDefaultGCPercent applies defaultGCPercent unless GOGC is set, so that
// a user's own GOGC (passed to plugins by the engine) still wins.
func setDefaultGCPercent() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(defaultGCPercent)
	}
}
