package main

import (
	"slices"
	"testing"
)

func TestCapVerbosity(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"smx", "-v=11", "--logflow", "--logtostderr"}, []string{"smx", "-v=8", "--logflow", "--logtostderr"}},
		{[]string{"smx", "--v=9"}, []string{"smx", "--v=8"}},
		{[]string{"smx", "-v", "10", "127.0.0.1:1234"}, []string{"smx", "-v", "8", "127.0.0.1:1234"}},
		{[]string{"smx", "-v=3"}, []string{"smx", "-v=3"}},
		{[]string{"smx", "127.0.0.1:1234"}, []string{"smx", "127.0.0.1:1234"}},
	} {
		if got := capVerbosity(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("capVerbosity(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
