#!/usr/bin/env python3
"""Writes bench/results/latest.json and latest.md from the rows the benchmark scripts printed.

Usage: report.py ROWS_JSONL LOAD_AT_START [TIMING_JSON...]   (env ARGO_BENCH_EXPR: expr output)

The summary table has one line per headline figure: our median with min-max and runs, the goal
and how far the median is from it, the floor measured in the same run and our ratio to it, and
our ratio to each peer's median. Detail sections follow. It only formats: it measures nothing
and judges nothing beyond the arithmetic against the goals of issue 9.
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

PEERS = ["prefect", "dagster", "luigi", "restate", "airflow"]
# Goals of issue 9: (value, "lower" or "higher" is better).
GOALS = {"B1": (0.4, "lower"), "B2": (2.5, "lower"), "B2-10k": (25.0, "lower"),
         "B3": (400.0, "higher"), "B8-kib": (16.0, "lower"), "B8-idle": (30.0, "lower"),
         "GetWorkflow": (25000.0, "higher"), "GetWorkflow-p99": (3.0, "lower"),
         "ListWorkflows": (3000.0, "higher"), "ListWorkflows-p99": (15.0, "lower")}


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal:"))
    except (OSError, StopIteration):
        mem = 0
    def version(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.split("\n")[0].strip()
        except OSError:
            return "absent"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem / 1024 / 1024, 1),
            "kernel": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "node": version("node", "--version"), "rustc": version("rustc", "--version")}


def fmt(value, unit):
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit in ("req/s", "wf/s"):
        return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def versus_goal(value, goal):
    """How far a figure is from its goal: 'met' or 'N.Nx over/short'."""
    if value is None or goal is None:
        return "-"
    target, better = goal
    if value <= 0:
        return "-"
    if better == "lower":
        return "met" if value <= target else f"{value / target:.1f}x over"
    return "met" if value >= target else f"{target / value:.1f}x short"


def summary_line(figure, unit, ours, goal=None, floor=None, peers=None, note=""):
    return {"figure": figure, "unit": unit, "ours": ours, "goal": goal and goal[0],
            "goal_better": goal and goal[1], "vs_goal": versus_goal(ours and ours["median"], goal),
            "floor": floor, "peers": peers or {}, "note": note}


def spread_of(row):
    return {"median": row["median_s"], "min": row["min_s"], "max": row["max_s"], "runs": row["runs"]}


def summarize(rows):
    lines = []
    floors = {(r["bench"], r["workload"]): r for r in rows
              if r.get("peer") == "floor" and r.get("sync") == "full"}
    for bench, workload, key, title in [("B1", "chain 100", "B1", "B1 chain 100 wall"),
                                        ("B2", "fanout 1000", "B2", "B2 fan-out 1,000 wall"),
                                        ("B2", "fanout 10000", "B2-10k", "B2 fan-out 10,000 wall")]:
        def matches(r):  # the large fan-out's row also when a smoke run shrank it
            if key == "B2-10k":
                return r.get("workload", "").startswith("fanout") and r.get("workload") != "fanout 1000"
            return r.get("workload") == workload
        ours = next((r for r in rows if r.get("peer") == "ours" and r.get("bench") == bench
                     and matches(r)), None)
        peers = {r["peer"]: r.get("median_s") for r in rows if r.get("bench") == bench
                 and r.get("workload") == workload and r.get("peer") in PEERS and "error" not in r}
        floor = (ours or {}).get("floor_same_run_median_s") or floors.get((bench, workload), {}).get("median_s")
        if ours is None and not peers and floor is None:
            continue
        if ours is not None and "error" in ours:
            lines.append(summary_line(title, "s", None, GOALS[key], floor, peers, "FAILED: " + ours["error"][-200:]))
            continue
        lines.append(summary_line(title, "s", ours and spread_of(ours), GOALS[key], floor, peers,
                                  ours and f"sandbox {ours.get('sandbox', '?')}, {ours.get('workload')}"
                                  + (" SMOKE" if ours.get("smoke") else "") or "ours not run"))
    for r in (r for r in rows if r.get("bench") == "B3"):
        if "error" in r:
            lines.append(summary_line("B3 completed/s", "wf/s", None, GOALS["B3"], note="FAILED"))
            continue
        c = dict(r["completed_per_s"], runs=r["runs"])
        lines.append(summary_line(f"B3 {r['count']:,} workflows, completed/s", "wf/s", c, GOALS["B3"],
                                  note=f"submit p99 {r['submit_p99_ms']:.1f} ms" + (" SMOKE" if r.get("smoke") else "")))
    b6_floor = {}
    for r in (r for r in rows if r.get("bench") == "B6" and r.get("peer") == "floor"):
        for lv in r["levels"]:
            b6_floor[("rest" if r["workload"].startswith("axum") else "grpc", lv["connections"])] = lv
    for r in (r for r in rows if r.get("bench") == "B6" and r.get("peer") == "ours"):
        if "error" in r:
            lines.append(summary_line(f"B6 {r.get('call', '?')}", "req/s", None, note="FAILED"))
            continue
        base = r["call"].split(" ")[0]
        goal = GOALS.get(base) if r["call"] in ("GetWorkflow", "ListWorkflows") else None
        floor = b6_floor.get((r["api"], r["connections"]), {}).get("rps")
        ours = {"median": r["ok_per_s"], "min": r.get("worst_ok_per_s", r["ok_per_s"]),
                "max": r.get("best_ok_per_s", r["ok_per_s"]), "runs": r["runs"]}
        p99_goal = GOALS.get(base + "-p99") if goal else None
        limiter = "limiter off" if r["rate_limit"] == "off" else f"limit {r['rate_limit']}/s"
        note = f"p50 {r['p50_ms']} / p99 {r['p99_ms']} / p99.9 {r['p999_ms']} ms" + (
            f" (p99 goal {p99_goal[0]} ms: {versus_goal(r['p99_ms'], p99_goal)})" if p99_goal else "")
        lines.append(summary_line(f"B6 {r['api'].upper() if r['api'] == 'rest' else 'gRPC'} {r['call']}, "
                                  f"{r['connections']} conn, {limiter}", "req/s", ours, goal, floor, note=note))
    for r in (r for r in rows if r.get("bench") == "B8"):
        if "error" in r:
            lines.append(summary_line(f"B8 {r.get('count')} ({r.get('shape')})", "KiB", None, note="FAILED"))
            continue
        k, i = r["kib_per_workflow"], r["idle_rss_mib"]
        smoke = " SMOKE" if r.get("smoke") else ""
        lines.append(summary_line(f"B8 KiB per running workflow, {r['count']:,} ({r['shape']})", "KiB",
                                  dict(k, runs=r["runs"]), GOALS["B8-kib"],
                                  note=f"server RSS {r['running_rss_mib']['median']:.0f} MiB running{smoke}"))
        lines.append(summary_line(f"B8 idle RSS (before the {r['count']:,})", "MiB", dict(i, runs=r["runs"]),
                                  GOALS["B8-idle"]))
    return lines


def ratio(ours, other):
    if ours is None or not other:
        return "-"
    return f"{ours['median'] / other:.2f}x"


def summary_md(lines):
    md = ["| figure | ours median (min-max, runs) | goal | vs goal | floor (same run) | ours / floor | "
          + " | ".join(f"ours / {p}" for p in PEERS) + " | notes |",
          "|---" * (7 + len(PEERS)) + "|"]
    for line in lines:
        o, unit = line["ours"], line["unit"]
        bare = lambda v: fmt(v, unit).rsplit(" ", 1)[0]
        ours = (f"**{fmt(o['median'], unit)}** ({bare(o['min'])}-{bare(o['max'])}, {o['runs']})"
                if o else "not measured")
        goal = "-" if line["goal"] is None else ("<= " if line["goal_better"] == "lower" else ">= ") + fmt(line["goal"], unit)
        peers = [ratio(o, line["peers"].get(p)) + (f" ({fmt(line['peers'][p], unit)})" if line["peers"].get(p) else "")
                 for p in PEERS]
        md.append(f"| {line['figure']} | {ours} | {goal} | {line['vs_goal']} | {fmt(line['floor'], unit)} | "
                  f"{ratio(o, line['floor'])} | " + " | ".join(peers) + f" | {line['note']} |")
    return md


def details_md(rows, timings, expr):
    md = []
    if timings:
        md += ["", "## lint", "", "| benchmark | median | min | max | runs | exit code |", "|---|---|---|---|---|---|"]
        for r in timings:
            md.append(f"| {r['name']} | {r['median_s']*1000:.1f} ms | {r['min_s']*1000:.1f} ms | "
                      f"{r['max_s']*1000:.1f} ms | {r['runs']} | {r['exit_code']} |")
    if expr:
        md += ["", "## argo-expr", "", "```", expr, "```"]
    for bench in ("B1", "B2"):
        group = [r for r in rows if r.get("bench") == bench and r.get("peer") != "ours" and "workload" in r]
        if not group:
            continue
        md += ["", f"## {bench}: every system (wall time, run start to finished)", "",
               "| system | workload | durability | median | min-max | runs |", "|---|---|---|---|---|---|"]
        for r in group:
            if "error" in r:
                md.append(f"| {r['name']} | {r['workload']} | {r['durability']} | FAILED | - | - |")
                continue
            gap = f" (gap p50 {r['gap_p50_ms']:.2f} ms, p99 {r['gap_p99_ms']:.2f} ms)" if "gap_p50_ms" in r else ""
            md.append(f"| {r['name']}{gap} | {r['workload']} | {r['durability']} | {r['median_s']:.3f} s | "
                      f"{r['min_s']:.3f}-{r['max_s']:.3f} s | {r['runs']} |")
    ours = [r for r in rows if r.get("peer") == "ours" and r.get("bench") in ("B1", "B2")]
    if ours:
        md += ["", "## Ours on B1/B2 (`argo run`)", "",
               "| workload | median | min-max | runs | floor same run | gap p50 / p99 | engine CPU per task | peak RSS |",
               "|---|---|---|---|---|---|---|---|"]
        for r in ours:
            if "error" in r:
                md.append(f"| {r.get('workload', r['bench'])} | FAILED: {r['error'][-300:]!r} | | | | | | |")
                continue
            gap = f"{r['gap_p50_ms']:.1f} / {r['gap_p99_ms']:.1f} ms" if "gap_p50_ms" in r else "-"
            md.append(f"| {r['workload']} | {r['median_s']:.3f} s | {r['min_s']:.3f}-{r['max_s']:.3f} s | {r['runs']} | "
                      f"{r['floor_same_run_median_s']:.3f} s | {gap} | {r['engine_cpu_per_task_ms']:.2f} ms | "
                      f"{r['peak_rss_mib']:.0f} MiB |")
    b6 = [r for r in rows if r.get("bench") == "B6"]
    if b6:
        md += ["", "## B6: requests/s and latency (REST: N keep-alive connections; gRPC: N calls in flight on "
               "one HTTP/2 channel)", "",
               "| system | call | api | conns | limiter | req/s median (min-max) | refused/s | p50 | p99 | p99.9 |",
               "|---|---|---|---|---|---|---|---|---|---|"]
        for r in b6:
            if "error" in r:
                md.append(f"| {r['name']} | FAILED: {r['error'][-300:]!r} | | | | | | | | |")
            elif r["peer"] == "floor":
                for lv in r["levels"]:
                    md.append(f"| floor (raw hello, 2 KiB) | - | {r['workload']} | {lv['connections']} | - | "
                              f"{lv['rps']:,.0f} | - | {lv['p50_ms']:.3f} | {lv['p99_ms']:.3f} | {lv['p999_ms']:.3f} |")
            else:
                md.append(f"| ours | {r['call']} | {r['api']} | {r['connections']} | {r['rate_limit']} | "
                          f"{r['ok_per_s']:,.0f} ({r.get('worst_ok_per_s', 0):,.0f}-{r.get('best_ok_per_s', 0):,.0f}) | "
                          f"{r['refused_per_s']:,.0f} | {r['p50_ms']} | {r['p99_ms']} | {r['p999_ms']} |")
    for r in (r for r in rows if r.get("bench") in ("B3", "B8")):
        if "error" in r:
            md += ["", f"## {r['bench']}: FAILED", "", "```", r["error"][-1500:], "```"]
        elif r["bench"] == "B3":
            c = r["completed_per_s"]
            md += ["", f"## B3: {r['count']:,} one-step workflows over REST, {r['connections']} connections", "",
                   "| completed/s median (min-max) | submit p50 | submit p99 | server CPU/wf | server peak RSS | failed | runs |",
                   "|---|---|---|---|---|---|---|",
                   f"| {c['median']:.1f} ({c['min']:.1f}-{c['max']:.1f}) | {r['submit_p50_ms']:.2f} ms | "
                   f"{r['submit_p99_ms']:.2f} ms | {r['server_cpu_ms_per_wf']:.2f} ms | "
                   f"{r['server_peak_rss_mib']:.0f} MiB | {r['failed']} | {r['runs']} |"]
        else:
            i, n, k = r["idle_rss_mib"], r["running_rss_mib"], r["kib_per_workflow"]
            md += ["", f"## B8: {r['count']:,} running 10-node workflows ({r['shape']})", "",
                   "| idle RSS | RSS running | KiB per workflow (min-max) | pod processes (per pod) | their RSS / PSS | runs |",
                   "|---|---|---|---|---|---|",
                   f"| {i['median']:.1f} MiB | {n['median']:.1f} MiB | {k['median']:.1f} ({k['min']:.1f}-{k['max']:.1f}) | "
                   f"{r['pod_processes']:.0f} ({r['processes_per_running_pod']:.1f}) | "
                   f"{r['pod_processes_rss_mib']:.0f} / {r['pod_processes_pss_mib']:.0f} MiB | {r['runs']} |"]
    return md


def main():
    rows_file, load = sys.argv[1], float(sys.argv[2])
    timings = [json.loads(t) for t in sys.argv[3:]]
    rows = [json.loads(l) for l in open(rows_file) if l.strip()]
    expr = os.environ.get("ARGO_BENCH_EXPR", "")
    end_load = float(open("/proc/loadavg").read().split()[0])
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    started = os.environ.get("ARGO_BENCH_STARTED", now)
    summary = summarize(rows)
    result = {"date": now, "started": started, "machine": machine(), "load_at_start": load,
              "load_at_end": end_load, "busy": load > 1.5, "summary": summary, "rows": rows,
              "timings": timings, "expr": expr}
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    os.makedirs(out, exist_ok=True)
    json.dump(result, open(os.path.join(out, "latest.json"), "w"), indent=2)
    m = result["machine"]
    md = [f"# Benchmark run {started} to {now}", "",
          f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['kernel']}; Python {m['python']}, "
          f"Node {m['node']}, {m['rustc']}.", "",
          f"1-minute load at start {load}, at the end {end_load}."
          + (" **BUSY (over 1.5 at start): every figure is pessimistic, not a result.**" if result["busy"] else ""),
          "", "Medians of the runs with min-max; `ours / X` is our median over X's (for times lower is "
          "better for us, for rates higher); the floor is the machine's bare cost measured in the same run.", ""]
    md += summary_md(summary) + details_md(rows, timings, expr)
    sections = [r for r in rows if "section" in r]
    if sections:
        md += ["", "## Section durations", "", "| section | seconds |", "|---|---|"]
        md += [f"| {r['section']} | {r['seconds']} |" for r in sections]
        md.append(f"| total | {sum(r['seconds'] for r in sections)} |")
    md.append("")
    open(os.path.join(out, "latest.md"), "w").write("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
