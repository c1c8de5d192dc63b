//go:build linux

package e2e

// Process inspection for TestCrashRecovery: which processes belong to a
// stack's run, read from /proc, which only Linux has. On other systems
// process_other_test.go makes the crash tests skip, saying why, rather than
// pass without killing anything.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// processInspection is "" where the crash tests can find processes to kill.
const processInspection = ""

// killProviders SIGKILLs every running provider process of this stack: the
// PIDs its wrapper recorded whose executable is still this stack's copy of
// the provider (a PID reused by another program is left alone). withCLI
// kills, instead, the pulumi CLI that runs them and every process below it
// (its language host, its plugins and theirs), as a machine crash would. It
// returns the PIDs killed, and whether the CLI was among them.
func (b *bigStack) killProviders(withCLI bool) (killed []int, cliKilled bool) {
	content, err := os.ReadFile(b.pidFile)
	if err != nil {
		return nil, false
	}
	// /proc/<pid>/exe names the file itself: .tools may be a link (a git
	// worktree's, to the main checkout's).
	cli, err := filepath.EvalSymlinks(pulumiBinary)
	if err != nil {
		cli = pulumiBinary
	}
	for _, field := range strings.Fields(string(content)) {
		var pid int
		if _, err := fmt.Sscan(field, &pid); err != nil || pid <= 1 {
			continue
		}
		exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		if err != nil || exe != b.providerBinary {
			continue
		}
		if withCLI {
			parent, _ := parentAndGroup(pid)
			if parentExe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", parent)); err == nil && parentExe == cli {
				// The whole tree, listed before any of it dies (orphans
				// are reparented): the CLI first, then what it started.
				for _, p := range append([]int{parent}, descendants(parent)...) {
					if err := syscall.Kill(p, syscall.SIGKILL); err == nil {
						killed = append(killed, p)
						cliKilled = cliKilled || p == parent
					}
				}
				continue
			}
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err == nil {
			killed = append(killed, pid)
		}
	}
	return killed, cliKilled
}

// descendants lists every process below pid, from /proc.
func descendants(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		var p int
		if _, err := fmt.Sscan(e.Name(), &p); err != nil {
			continue
		}
		parent, _ := parentAndGroup(p)
		children[parent] = append(children[parent], p)
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, c := range children[next] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// parentAndGroup reads a process's parent PID and process group from
// /proc/<pid>/stat (its fields after the command name: state, ppid, pgrp).
func parentAndGroup(pid int) (parent, group int) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0
	}
	i := strings.LastIndexByte(string(stat), ')')
	if i < 0 {
		return 0, 0
	}
	var state string
	if _, err := fmt.Sscan(string(stat[i+1:]), &state, &parent, &group); err != nil {
		return 0, 0
	}
	return parent, group
}
