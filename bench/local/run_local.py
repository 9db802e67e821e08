#!/usr/bin/env python3
"""Our B1/B2: `argo run` of a 100-step chain and a 1,000-task fan-out DAG of `/bin/true`, on the
embedded SQLite store (synchronous=FULL: every node transition is a durable commit) and the local
runtime, next to the floor (`bench-floor`, bare spawn-and-wait plus the same durable commits)
measured in the same run. Prints one JSON line per row (the shape of bench/floor/run_floor.py).

Usage: run_local.py ARGO BENCH_FLOOR RUNS WORKDIR [--sandbox namespaces|none] [--only B1|B2]

Figures per run:
- wall: `argo run` start to exit (store creation, submission, controller start included);
- gap (chain only): from one step's main container finishing to the next one's starting, read
  from the runtime's exit records (`runtime/pods/argo/*/containers/main/exit.json`);
- engine CPU per task: user+system CPU of the `argo run` process alone (store, controller,
  engine; it reports its own on stderr, since the container shims it starts are its children and
  their CPU would otherwise be counted) divided by the number of tasks;
- peak memory: the `argo run` process's max RSS;
- controller passes and workflow writes per task: what `argo run` reports on stderr when
  `ARGO_RUN_STATS` is set (passes that ran the engine, and those that wrote the workflow);
- gap breakdown (chain only, p50 per segment): where the gap goes, from the timestamps the
  runtime leaves in each pod directory (exit reports of wait/init/main, the final status write,
  pod creation); see SEGMENTS.
The workflow files are generated into WORKDIR; nothing here asserts a duration.
"""
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import time


def chain_yaml(steps):
    lines = ["apiVersion: argoproj.io/v1alpha1", "kind: Workflow",
             "metadata: {name: bench-chain}", "spec:", "  entrypoint: main", "  templates:",
             "    - name: main", "      steps:"]
    for i in range(steps):
        lines.append(f"        - - {{name: s{i}, template: noop}}")
    lines += ["    - name: noop", "      container: {image: busybox, command: [/bin/true]}"]
    return "\n".join(lines) + "\n"


def fanout_yaml(tasks):
    lines = ["apiVersion: argoproj.io/v1alpha1", "kind: Workflow",
             "metadata: {name: bench-fanout}", "spec:", "  entrypoint: main", "  templates:",
             "    - name: main", "      dag:", "        tasks:"]
    for i in range(tasks):
        lines.append(f"          - {{name: t{i}, template: noop}}")
    lines += ["    - name: noop", "      container: {image: busybox, command: [/bin/true]}"]
    return "\n".join(lines) + "\n"


def timestamp(text):
    # jiff writes RFC 3339 with up to 9 fractional digits; keep microseconds.
    head, _, frac = text.rstrip("Z").partition(".")
    frac = (frac + "000000")[:6]
    return datetime.datetime.fromisoformat(f"{head}.{frac}+00:00").timestamp()


def gaps_ms(data_dir):
    pods = os.path.join(data_dir, "runtime", "pods", "argo")
    spans = []
    for pod in os.listdir(pods):
        path = os.path.join(pods, pod, "containers", "main", "exit.json")
        try:
            report = json.load(open(path))
        except (OSError, ValueError):
            continue
        if report.get("startedAt") and report.get("finishedAt"):
            spans.append((timestamp(report["startedAt"]), timestamp(report["finishedAt"])))
    spans.sort()
    return [(spans[i + 1][0] - spans[i][1]) * 1000 for i in range(len(spans) - 1)]


def exit_times(pod_dir, container):
    try:
        report = json.load(open(os.path.join(pod_dir, "containers", container, "exit.json")))
    except (OSError, ValueError):
        return None
    if not (report.get("startedAt") and report.get("finishedAt")):
        return None
    return timestamp(report["startedAt"]), timestamp(report["finishedAt"])


def mtime(path):
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


# The path from one step's main container ending to the next one's starting, as timestamps the
# runtime leaves in each pod directory: exit reports (shim start/end), the final status write,
# the pod's creation (pod.json).
SEGMENTS = ["main end -> wait end", "wait end -> pod status final", "status final -> next pod created",
            "pod created -> init start", "init start -> init end", "init end -> main start"]


def breakdown_ms(data_dir):
    pods = os.path.join(data_dir, "runtime", "pods", "argo")
    steps = []
    for pod in os.listdir(pods):
        pod_dir = os.path.join(pods, pod)
        main = exit_times(pod_dir, "main")
        if main is None:
            continue
        steps.append((main[0], pod_dir, main))
    steps.sort()
    segments = {name: [] for name in SEGMENTS}
    for (_, prev_dir, prev_main), (_, next_dir, next_main) in zip(steps, steps[1:]):
        wait = exit_times(prev_dir, "wait")
        init = exit_times(next_dir, "init")
        points = [prev_main[1], wait and wait[1], mtime(os.path.join(prev_dir, "status.json")),
                  mtime(os.path.join(next_dir, "pod.json"))]
        points += [init[0], init[1]] if init else [None, None]
        points.append(next_main[0])
        # Without an init container its two points are skipped (the segment spans them).
        for name, start, end in zip(SEGMENTS, points, points[1:]):
            if start is not None and end is not None:
                segments[name].append((end - start) * 1000)
    return segments


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_ours(argo, workflow, data_dir, sandbox):
    shutil.rmtree(data_dir, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen([argo, "run", workflow, "--sandbox", sandbox, "--data-dir", data_dir],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=dict(os.environ, ARGO_RUN_STATS="1"))
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode()
    if code != 0:
        raise RuntimeError(f"argo run {workflow} exited {code}: {errors[-2000:]}")
    passes = {}
    for line in errors.splitlines():
        if line.startswith("{") and '"reconciles"' in line:
            passes = json.loads(line)
    # `argo run` reports its own CPU and peak RSS: its rusage as seen here includes the pod
    # containers' shims, which are its children.
    cpu = passes.get("cpu_s", usage.ru_utime + usage.ru_stime)
    rss = passes.get("max_rss_kib", usage.ru_maxrss)
    return {"wall_s": wall, "cpu_s": cpu, "max_rss_kib": rss,
            "reconciles": passes.get("reconciles"), "writes": passes.get("writes")}


def median_of(runs, key, size):
    """The median per task of a count `argo run` reported, or None when it reported none."""
    counts = [r[key] for r in runs if r.get(key) is not None]
    return round(statistics.median(counts) / size, 2) if counts else None


def floor(binary, workload, size, db, extra):
    done = subprocess.run([binary, workload, str(size), "--sync", "full", "--db", db, *extra],
                          capture_output=True, text=True, check=True)
    for suffix in ("", "-wal", "-shm"):
        subprocess.run(["rm", "-f", db + suffix], check=False)
    return json.loads(done.stdout)


def main():
    argo, floor_bin, runs, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    rest = sys.argv[5:]
    sandbox = rest[rest.index("--sandbox") + 1] if "--sandbox" in rest else "namespaces"
    only = rest[rest.index("--only") + 1] if "--only" in rest else None
    os.makedirs(work, exist_ok=True)
    for bench, workload, size, text, extra in [
        ("B1", "chain", 100, chain_yaml(100), []),
        ("B2", "fanout", 1000, fanout_yaml(1000), ["--parallel", "8"]),
    ]:
        if only and only != bench:
            continue
        workflow = os.path.join(work, f"{bench}.yaml")
        open(workflow, "w").write(text)
        data_dir = os.path.join(work, f"{bench}-data")
        ours, floors, gaps = [], [], []
        segments = {name: [] for name in SEGMENTS}
        try:
            for _ in range(runs):
                ours.append(run_ours(argo, workflow, data_dir, sandbox))
                if workload == "chain":
                    gaps.extend(gaps_ms(data_dir))
                    for name, values in breakdown_ms(data_dir).items():
                        segments[name].extend(values)
                floors.append(floor(floor_bin, workload, size, os.path.join(work, "floor.db"), extra))
        except (RuntimeError, subprocess.CalledProcessError) as error:
            print(json.dumps({"name": f"{bench} ours", "bench": bench, "peer": "ours",
                              "durability": "SQLite WAL, synchronous=FULL", "error": str(error)}),
                  flush=True)
            continue
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
        samples = [r["wall_s"] for r in ours]
        row = {"name": f"{bench} ours (argo run, sandbox {sandbox})", "bench": bench, "peer": "ours",
               "workload": f"{workload} {size}", "sandbox": sandbox,
               "durability": "SQLite WAL, synchronous=FULL, every node transition committed",
               "samples": samples, "runs": runs, "median_s": statistics.median(samples),
               "min_s": min(samples), "max_s": max(samples),
               "engine_cpu_per_task_ms": statistics.median(r["cpu_s"] for r in ours) / size * 1000,
               "peak_rss_mib": max(r["max_rss_kib"] for r in ours) / 1024,
               "reconciles_per_task": median_of(ours, "reconciles", size),
               "writes_per_task": median_of(ours, "writes", size),
               "floor_same_run_median_s": statistics.median(f["wall_s"] for f in floors)}
        if gaps:
            row["gap_p50_ms"] = percentile(gaps, 50)
            row["gap_p99_ms"] = percentile(gaps, 99)
            row["floor_gap_p50_ms"] = statistics.median(f["gap_p50_ms"] for f in floors)
            row["floor_gap_p99_ms"] = statistics.median(f["gap_p99_ms"] for f in floors)
            row["gap_breakdown_p50_ms"] = {name: round(percentile(values, 50), 2)
                                           for name, values in segments.items() if values}
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
