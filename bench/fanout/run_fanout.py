#!/usr/bin/env python3
"""Ours on the large B2: `argo run` of a 10,000-task fan-out DAG of `/bin/true` (issue 9: "and
10,000 for us"), each run followed by the floor's same workload (bench-floor, bare spawn-and-wait
plus the same durable commits, 8 in flight). It reuses bench/local/run_local.py's workflow
generator and runner (that file belongs to the B1/B2 harness; nothing here changes it) and
prints one JSON line in its row shape. It measures only; it asserts nothing.

Usage: run_fanout.py ARGO BENCH_FLOOR RUNS WORKDIR [--sandbox none|namespaces] [--tasks 10000]
         [--budget-s 360]

Time budget: up to RUNS runs, but no new run starts when the last one would not fit in the
budget any more (at least one run); the row records how many ran.
"""
import json
import os
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "local"))
import run_local  # noqa: E402  (bench/local/run_local.py)


def main():
    argo, floor_bin, runs, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    rest = sys.argv[5:]
    sandbox = rest[rest.index("--sandbox") + 1] if "--sandbox" in rest else "namespaces"
    tasks = int(rest[rest.index("--tasks") + 1]) if "--tasks" in rest else 10000
    budget = float(rest[rest.index("--budget-s") + 1]) if "--budget-s" in rest else 360.0
    started = time.monotonic()
    os.makedirs(work, exist_ok=True)
    workflow = os.path.join(work, f"B2-{tasks}.yaml")
    open(workflow, "w").write(run_local.fanout_yaml(tasks))
    data_dir = os.path.join(work, f"B2-{tasks}-data")
    row = {"name": f"B2 ours (argo run, {tasks} tasks, sandbox {sandbox})", "bench": "B2",
           "peer": "ours", "workload": f"fanout {tasks}", "sandbox": sandbox, "smoke": tasks < 10000,
           "durability": "SQLite WAL, synchronous=FULL, every node transition committed"}
    ours, floors = [], []
    try:
        for _ in range(runs):
            began = time.monotonic()
            ours.append(run_local.run_ours(argo, workflow, data_dir, sandbox))
            shutil.rmtree(data_dir, ignore_errors=True)
            floors.append(run_local.floor(floor_bin, "fanout", tasks, os.path.join(work, "floor.db"),
                                          ["--parallel", "8"]))
            if time.monotonic() - started + (time.monotonic() - began) > budget:
                break
    except Exception as error:  # a failed run is reported as a row, never hidden
        row["error"] = str(error)
        print(json.dumps(row), flush=True)
        return 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    samples = [r["wall_s"] for r in ours]
    row.update(samples=samples, runs=len(samples), runs_asked=runs, budget_s=budget, median_s=statistics.median(samples), min_s=min(samples),
               max_s=max(samples),
               engine_cpu_per_task_ms=statistics.median(r["cpu_s"] for r in ours) / tasks * 1000,
               peak_rss_mib=max(r["max_rss_kib"] for r in ours) / 1024,
               floor_same_run_median_s=statistics.median(f["wall_s"] for f in floors))
    print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
