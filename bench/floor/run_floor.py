#!/usr/bin/env python3
"""Runs the floor binary: B1/B2 N times each (SQLite FULL and NORMAL), B6 once, and prints one
JSON line per row (same shape as bench/peers/run_peers.py: name, bench, samples, median/min/max).

Usage: run_floor.py BINARY RUNS DBPATH
"""
import json
import statistics
import subprocess
import sys


def run(binary, *args):
    done = subprocess.run([binary, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main():
    binary, runs, db = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    for bench, workload, size, extra in [("B1", "chain", 100, []), ("B2", "fanout", 1000, ["--parallel", "8"])]:
        for sync in ("full", "normal"):
            results = [run(binary, workload, str(size), "--sync", sync, "--db", db, *extra)
                       for _ in range(runs)]
            samples = [r["wall_s"] for r in results]
            row = {"name": f"{bench} floor ({sync})", "bench": bench, "peer": "floor",
                   "workload": f"{workload} {size}", "sync": sync,
                   "durability": f"2 SQLite WAL commits per step, synchronous={sync.upper()}",
                   "samples": samples, "runs": runs, "median_s": statistics.median(samples),
                   "min_s": min(samples), "max_s": max(samples)}
            if workload == "chain":
                row["gap_p50_ms"] = statistics.median(r["gap_p50_ms"] for r in results)
                row["gap_p99_ms"] = statistics.median(r["gap_p99_ms"] for r in results)
            print(json.dumps(row), flush=True)
    for kind in ("http", "grpc"):
        row = run(binary, kind, "--connections", "1,16,64", "--seconds", "3")
        row.update(name=f"B6 floor {row['workload']}", bench="B6", peer="floor")
        print(json.dumps(row), flush=True)
    for suffix in ("", "-wal", "-shm"):
        subprocess.run(["rm", "-f", db + suffix], check=False)


if __name__ == "__main__":
    main()
