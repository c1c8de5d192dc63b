package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// gcPercentAfter runs setDefaultGCPercent from a known GC percent and
// returns the one it leaves, restoring the test binary's own afterwards.
func gcPercentAfter(t *testing.T) int {
	t.Helper()
	const known = 77
	original := debug.SetGCPercent(known)
	t.Cleanup(func() { debug.SetGCPercent(original) })
	setDefaultGCPercent()
	return debug.SetGCPercent(known)
}

func TestDefaultGCPercentWithoutGOGC(t *testing.T) {
	t.Setenv("GOGC", "") // restores the test binary's own GOGC afterwards
	if err := os.Unsetenv("GOGC"); err != nil {
		t.Fatal(err)
	}
	if got := gcPercentAfter(t); got != defaultGCPercent {
		t.Errorf("GC percent = %d, want the default %d", got, defaultGCPercent)
	}
}

func TestDefaultGCPercentLeavesAUsersGOGC(t *testing.T) {
	t.Setenv("GOGC", "200")
	if got := gcPercentAfter(t); got != 77 {
		t.Errorf("GC percent = %d, want it left as it was (77): the runtime applied the user's GOGC at start-up", got)
	}
}
