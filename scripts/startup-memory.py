#!/usr/bin/env python3
"""Start-up time and memory of a provider binary (BENCHMARKS.md, "Memory and start-up").

    scripts/startup-memory.py [--runs N] [--pulumi PATH] BINARY

Evicts BINARY from the page cache and starts it once, so that every binary
measured is read back the same way (a binary the linker or `cp` has just
written sits in the page cache in another shape, and its RssFile differs by
several MB). Then, N times:

  - the start-up time: from exec until the provider prints its port;
  - RssFile, RssAnon and VmHWM from /proc/<pid>/status 300 ms later, idle.

With --pulumi, also N runs of `pulumi package get-schema BINARY`, sampling
the provider's /proc/<pid>/status every 2 ms and keeping the peaks: the
memory after a GetSchema call.

Prints min / median / max of each. Linux only (/proc).
"""
import argparse
import os
import statistics
import subprocess
import time

FIELDS = ("RssFile", "RssAnon", "VmHWM")


def status_mib(pid):
    figures = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            field, _, value = line.partition(":")
            if field in FIELDS:
                figures[field] = int(value.split()[0]) / 1024
    return figures


def evict_and_warm(binary):
    fd = os.open(binary, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    provider = subprocess.Popen([binary], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    provider.stdout.readline()
    provider.kill()
    provider.wait()


def start_ups(binary, runs):
    took_ms, idle = [], []
    for _ in range(runs):
        started = time.perf_counter()
        provider = subprocess.Popen([binary], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        port = provider.stdout.readline()
        took_ms.append((time.perf_counter() - started) * 1000)
        if not port.strip().isdigit():
            raise SystemExit(f"{binary} printed {port!r}, not a port")
        time.sleep(0.3)
        idle.append(status_mib(provider.pid))
        provider.kill()
        provider.wait()
    return took_ms, idle


def after_get_schema(pulumi, binary, runs):
    peaks = []
    for _ in range(runs):
        cli = subprocess.Popen([pulumi, "package", "get-schema", binary],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = {}
        while cli.poll() is None:
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    if os.readlink(f"/proc/{pid}/exe") != binary:
                        continue
                    for field, mib in status_mib(pid).items():
                        peak[field] = max(peak.get(field, 0), mib)
                except OSError:
                    continue  # the process ended between listing and reading
            time.sleep(0.002)
        if cli.returncode != 0:
            raise SystemExit(f"pulumi package get-schema {binary} failed")
        if peak:
            peaks.append(peak)
    return peaks


def spread(values, unit):
    values = sorted(values)
    return f"{values[0]:.1f} / {statistics.median(values):.1f} / {values[-1]:.1f} {unit}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pulumi", help="the Pulumi CLI, to measure after a GetSchema call")
    args = parser.parse_args()
    binary = os.path.realpath(args.binary)

    evict_and_warm(binary)
    took_ms, idle = start_ups(binary, args.runs)
    print(f"{args.binary}: {os.path.getsize(binary) / 1e6:.1f} MB; min / median / max of {args.runs} runs")
    print(f"  start-up to port        {spread(took_ms, 'ms')}")
    for field in FIELDS:
        print(f"  {field:8s} idle        {spread([s[field] for s in idle], 'MiB')}")
    if args.pulumi:
        peaks = after_get_schema(args.pulumi, binary, args.runs)
        for field in FIELDS:
            print(f"  {field:8s} GetSchema   {spread([p[field] for p in peaks], 'MiB')}  ({len(peaks)} sampled)")


if __name__ == "__main__":
    main()
