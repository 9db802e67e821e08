#!/usr/bin/env python3
"""Runs the peers on B1 (100-step chain) and B2 (1,000-task fan-out) and prints one JSON line
per (peer, workload): name, peer, workload, samples, median/min/max.

Usage: run_peers.py [--peers prefect,dagster,luigi,restate] [--with-airflow] [--runs N]
Each peer is installed on demand by install.sh into bench/.work/<peer> (reused when present).
Airflow runs the chain only (its fan-out takes ~10 minutes per run).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(os.path.dirname(HERE), ".work")
WORKLOADS = [("B1", "chain", 100), ("B2", "fanout", 1000)]
DURABILITY = {
    "prefect": "ephemeral API server on SQLite (PREFECT_HOME)",
    "dagster": "SQLite instance (DAGSTER_HOME), execute_in_process",
    "luigi": "not durable (output files only), local scheduler, 1 worker",
    "restate": "journal per ctx.run (server 1.7, TS SDK 1.9.1)",
    "airflow": "standalone, SQLite, LocalExecutor",
}


def command(peer, workload, size, runs):
    venv = os.path.join(WORK, peer)
    py = os.path.join(venv, "bin", "python")
    if peer == "restate":
        return [sys.executable, os.path.join(HERE, "restate_bench.py"), venv, workload, str(size), str(runs)]
    if peer == "airflow":
        return [sys.executable, os.path.join(HERE, "airflow_bench.py"), venv, workload, str(size), str(runs)]
    return [py, os.path.join(HERE, f"{peer}_bench.py"), workload, str(size), str(runs)]


def environment(peer):
    env = dict(os.environ)
    if peer == "prefect":
        env.update(PREFECT_HOME=os.path.join(WORK, "prefect-home"), PREFECT_LOGGING_LEVEL="ERROR",
                   PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180")
        env.pop("PREFECT_API_URL", None)
    if peer == "dagster":
        home = os.path.join(WORK, "dagster-home")
        os.makedirs(home, exist_ok=True)
        open(os.path.join(home, "dagster.yaml"), "a").close()
        env.update(DAGSTER_HOME=home)
    if peer == "luigi":
        env.update(LUIGI_BENCH_OUT=os.path.join(WORK, "luigi-out"))
    return env


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--peers", default="prefect,dagster,luigi,restate")
    parser.add_argument("--with-airflow", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    peers = [p for p in args.peers.split(",") if p]
    if args.with_airflow and "airflow" not in peers:
        peers.append("airflow")
    failed = False
    for peer in peers:
        subprocess.run([os.path.join(HERE, "install.sh"), peer], check=True)
        for bench, workload, size in WORKLOADS:
            if peer == "airflow" and workload != "chain":
                continue
            name = f"{bench} {peer}"
            print(f"running {name} ({workload} {size}) x{args.runs} ...", file=sys.stderr)
            done = subprocess.run(command(peer, workload, size, args.runs), env=environment(peer),
                                  capture_output=True, text=True)
            row = {"name": name, "bench": bench, "peer": peer, "workload": f"{workload} {size}",
                   "durability": DURABILITY[peer]}
            lines = [l for l in done.stdout.splitlines() if l.startswith('{"samples"')]
            if done.returncode != 0 or not lines:
                failed = True
                row["error"] = (done.stderr or done.stdout)[-800:]
                print(f"{name} failed:\n{row['error']}", file=sys.stderr)
            else:
                samples = json.loads(lines[-1])["samples"]
                row.update(samples=samples, runs=len(samples), median_s=statistics.median(samples),
                           min_s=min(samples), max_s=max(samples))
            print(json.dumps(row), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
