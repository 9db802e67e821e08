#!/usr/bin/env python3
"""Runs a command N times and prints its wall-time median, min and max as one JSON line.

Usage: timing.py NAME RUNS -- COMMAND...
The command's own output is discarded; its exit code is recorded (lint exits 1 when it finds
problems, which is a result, not a failure of the benchmark); a crash (signal) fails it.
"""
import json
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    name, runs, command = sys.argv[1], int(sys.argv[2]), sys.argv[4:]
    samples = []
    exit_code = 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples.append(time.perf_counter() - start)
        exit_code = done.returncode
        if done.returncode < 0:
            sys.stderr.write(done.stderr.decode(errors="replace"))
            print(f"{name}: command killed by signal {-done.returncode}", file=sys.stderr)
            return 1
    samples.sort()
    print(json.dumps({
        "name": name,
        "runs": runs,
        "median_s": samples[len(samples) // 2],
        "min_s": samples[0],
        "max_s": samples[-1],
        "exit_code": exit_code,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
