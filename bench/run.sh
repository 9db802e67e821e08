#!/usr/bin/env bash
# Runs the project's benchmarks and writes bench/results/latest.{json,md}.
# Usage: bench/run.sh [--force] [--lint] [--floor] [--local] [--peers] [--with-airflow] [--all] [--runs N]
#   no section flag: lint/expr + floor (quick)     --lint: lint/expr only
#   --floor: the machine's floor (B1/B2 spawn+commit, B6 raw axum/tonic) only
#   --local: ours on B1/B2 (`argo run`, bench/local/run_local.py) beside the floor in the same run
#            (ARGO_BENCH_SANDBOX=none to run pods unsandboxed; default namespaces, needs root)
#   --peers: Prefect, Dagster, Luigi, Restate on B1/B2 (installed on demand into bench/.work/)
#   --with-airflow: add Airflow (B1 only; minutes per run)   --all: lint/expr + floor + local + peers
#   --load: ours on B3 (10,000 workflows over REST) and B8 (memory per running workflow) through a
#           release `argo server` (bench/load; ARGO_BENCH_B3_COUNT, ARGO_BENCH_B8_COUNT,
#           ARGO_BENCH_B8_LARGE (suspended workflows, no pods; 0 skips) for smoke runs)
#   --runs N: runs per figure (default 5)   --force: run even when the machine is busy
#   --include FILE: also report rows (JSON lines) saved from an earlier peers/floor run
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${ARGO_EXAMPLES:-../shared/argo-examples}"
results=bench/results
work=bench/.work
mkdir -p "$results" "$work"
echo "*" > "$work/.gitignore"  # throwaway installs and scratch data, never committed

force=0 do_lint=0 do_floor=0 do_local=0 do_peers=0 airflow=0 runs=5 include=()
do_load=0
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --lint) do_lint=1 ;;
    --floor) do_floor=1 ;;
    --local) do_local=1 ;;
    --peers) do_peers=1 ;;
    --load) do_load=1 ;;
    --with-airflow) airflow=1; do_peers=1 ;;
    --all) do_lint=1; do_load=1; do_floor=1; do_local=1; do_peers=1 ;;
    --runs) runs="$2"; shift ;;
    --include) include+=("$2"); shift ;;
    *) echo "unknown argument $1 (see the header of bench/run.sh)" >&2; exit 2 ;;
  esac
  shift
done
if [ $((do_lint + do_load + do_floor + do_local + do_peers)) = 0 ]; then do_lint=1; do_floor=1; fi

load=$(cut -d' ' -f1 /proc/loadavg)
busy=$(python3 -c "print(1 if $load > 1.5 else 0)")
if [ "$busy" = 1 ] && [ "$force" != 1 ]; then
  echo "machine busy (1-minute load $load > 1.5): refusing to run; pass --force to run anyway" >&2
  exit 1
fi

lines=()
expr_out=""
if [ "$do_lint" = 1 ]; then
  echo "building release binaries..."
  cargo build --release -q -p cli
  cargo build --release -q -p argo-expr --example expr_bench
  if [ -d "$examples" ]; then
    lines+=("$(python3 bench/timing.py lint-shared-examples "$runs" -- target/release/argo lint "$examples")")
  else
    echo "skipping lint-shared-examples: $examples not found" >&2
  fi
  lines+=("$(python3 bench/timing.py lint-own-examples "$runs" -- target/release/argo lint examples)")
  expr_out=$(target/release/examples/expr_bench)
fi

: > "$work/rows.jsonl"
for f in "${include[@]}"; do cat "$f" >> "$work/rows.jsonl"; done
if [ "$do_floor" = 1 ]; then
  echo "building and running the floor (bench/floor)..." >&2
  (cd bench/floor && CARGO_TARGET_DIR="$PWD/../.work/floor-target" cargo build --release -q)
  python3 bench/floor/run_floor.py "$work/floor-target/release/bench-floor" "$runs" "$work/floor.db" \
    >> "$work/rows.jsonl"
fi
if [ "$do_local" = 1 ]; then
  echo "building release binaries and running ours on B1/B2 (bench/local)..." >&2
  cargo build --release -q -p cli -p executor -p argo-runtime
  (cd bench/floor && CARGO_TARGET_DIR="$PWD/../.work/floor-target" cargo build --release -q)
  python3 bench/local/run_local.py target/release/argo "$work/floor-target/release/bench-floor" \
    "$runs" "$work/local" --sandbox "${ARGO_BENCH_SANDBOX:-namespaces}" >> "$work/rows.jsonl" \
    || echo "ours on B1/B2 failed (rows carry the error)" >&2
fi
if [ "$do_peers" = 1 ]; then
  peer_flags=(--runs "$runs")
  [ "$airflow" = 1 ] && peer_flags+=(--with-airflow)
  python3 bench/peers/run_peers.py "${peer_flags[@]}" >> "$work/rows.jsonl" || echo "some peers failed (rows carry the error)" >&2
fi

if [ "$do_load" = 1 ]; then
  echo "building release binaries and running ours on B3/B8 through argo server (bench/load)..." >&2
  cargo build --release -q -p cli -p executor -p argo-runtime
  cargo build --release -q --manifest-path bench/load/Cargo.toml --target-dir "$work/load-target"
  python3 bench/load/run_load.py target/release/argo "$work/load-target/release/bench-load" "$runs" \
    "$work/load" --sandbox "${ARGO_BENCH_SANDBOX:-none}" --b3-count "${ARGO_BENCH_B3_COUNT:-10000}" \
    --b8-count "${ARGO_BENCH_B8_COUNT:-1000}" --b8-large "${ARGO_BENCH_B8_LARGE:-10000}" \
    >> "$work/rows.jsonl" || echo "ours on B3/B8 failed" >&2
fi

python3 - "$load" "$expr_out" "$work/rows.jsonl" "${lines[@]}" <<'PY'
import json, platform, sys, datetime, os
load, expr_out, rows_file = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [json.loads(r) for r in sys.argv[4:]]
bench_rows = [json.loads(l) for l in open(rows_file) if l.strip()]
machine = f"{platform.machine()} {os.cpu_count()} cores, {platform.system()} {platform.release()}"
result = {"date": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
          "machine": machine, "load_at_start": float(load), "busy": float(load) > 1.5,
          "timings": rows, "expr": expr_out, "workflows": bench_rows,
          "ours": {"B1": "not yet measured", "B2": "not yet measured", "B6": "not yet measured"}}
os.makedirs("bench/results", exist_ok=True)
json.dump(result, open("bench/results/latest.json", "w"), indent=2)
md = [f"# Benchmark run {result['date']}", "", f"Machine: {machine}; 1-minute load at start {load}."
      + (" **BUSY (over 1.5): figures are pessimistic.**" if result["busy"] else ""), ""]
if rows:
    md += ["| benchmark | median | min | max | runs | exit code |", "|---|---|---|---|---|---|"]
    for r in rows:
        md.append(f"| {r['name']} | {r['median_s']*1000:.1f} ms | {r['min_s']*1000:.1f} ms | {r['max_s']*1000:.1f} ms | {r['runs']} | {r['exit_code']} |")
if expr_out:
    md += ["", "## argo-expr", "", "```", expr_out, "```", ""]
floor = {r["bench"]: r for r in bench_rows if r.get("peer") == "floor" and r.get("sync") == "full"}
for bench, title in (("B1", "B1: 100-step chain of /bin/true"), ("B2", "B2: 1,000-task fan-out of /bin/true")):
    group = [r for r in bench_rows if r.get("bench") == bench]
    if not group:
        continue
    md += ["", f"## {title}", "", "Wall time from run start to run finished; median of the runs, min-max. "
           "`x floor` is the median over the floor's median (synchronous=FULL) in this same run; "
           "`ours / x` is our median over that row's (lower is better for us).", "",
           "| system | durability | median | min-max | runs | x floor | ours / x |", "|---|---|---|---|---|---|---|",
           ]
    ours = [r for r in group if r.get("peer") == "ours"]
    if not ours:
        md.append("| **ours** | SQLite WAL | not yet measured | - | - | - | - |")
    for r in ours:
        if "error" in r:
            md.append(f"| **{r['name']}** | {r['durability']} | FAILED | - | - | - | - |")
            continue
        ratio = f"{r['median_s'] / r['floor_same_run_median_s']:.1f}x"
        extra = f"; gap p50 {r['gap_p50_ms']:.2f} ms, p99 {r['gap_p99_ms']:.2f} ms" if "gap_p50_ms" in r else ""
        md.append(f"| **{r['name']}** (engine CPU {r['engine_cpu_per_task_ms']:.2f} ms/task, peak RSS "
                  f"{r['peak_rss_mib']:.0f} MiB{extra}) | {r['durability']} | {r['median_s']:.3f} s | "
                  f"{r['min_s']:.3f}-{r['max_s']:.3f} s | {r['runs']} | {ratio} | 1.0x |")
    for r in group:
        if r.get("peer") == "ours":
            continue
        if "error" in r:
            md.append(f"| {r['name']} | {r['durability']} | FAILED | - | - | - | - |")
            continue
        ratio = f"{r['median_s'] / floor[bench]['median_s']:.1f}x" if bench in floor else "-"
        extra = f" (gap p50 {r['gap_p50_ms']:.2f} ms, p99 {r['gap_p99_ms']:.2f} ms)" if "gap_p50_ms" in r else ""
        measured = [o for o in ours if "error" not in o]
        versus = f"{measured[0]['median_s'] / r['median_s']:.2f}" if measured else "not yet measured"
        md.append(f"| {r['name']}{extra} | {r['durability']} | {r['median_s']:.3f} s | "
                  f"{r['min_s']:.3f}-{r['max_s']:.3f} s | {r['runs']} | {ratio} | {versus} |")
b6 = [r for r in bench_rows if r.get("bench") == "B6"]
if b6:
    md += ["", "## B6 floor: raw hello endpoints, 2 KiB body, loopback", "",
           "| endpoint | connections (gRPC: in flight on 1 channel) | req/s | p50 | p99 | p99.9 | server max RSS |",
           "|---|---|---|---|---|---|---|"]
    for r in b6:
        for lv in r["levels"]:
            md.append(f"| {r['workload']} | {lv['connections']} | {lv['rps']:.0f} | {lv['p50_ms']:.3f} ms | "
                      f"{lv['p99_ms']:.3f} ms | {lv['p999_ms']:.3f} ms | {r['server_max_rss_kib']/1024:.1f} MiB |")
    md += ["| ours (gateway) | - | not yet measured | - | - | - | - |"]
for r in (r for r in bench_rows if r.get("bench") in ("B3", "B8")):
    smoke = f" **SMOKE run ({r['count']} workflows): not a result.**" if r.get("smoke") else ""
    smoke += f" **{r['failed']} workflows failed.**" if r.get("failed") else ""
    if "error" in r:
        md += ["", f"## {r['bench']}: FAILED", "", "```", r["error"][-1500:], "```"]
        continue
    if r["bench"] == "B3":
        c = r["completed_per_s"]
        md += ["", f"## B3: {r['count']:,} one-step workflows over REST, {r['connections']} connections",
               "", f"Goal >= {r['goal_per_s']} workflows/s.{smoke}", "",
               "| system | completed/s median | min-max | submit p50 | submit p99 | server CPU/wf | server peak RSS | runs |",
               "|---|---|---|---|---|---|---|---|",
               f"| {r['name']} | {c['median']:.1f} | {c['min']:.1f}-{c['max']:.1f} | {r['submit_p50_ms']:.2f} ms | "
               f"{r['submit_p99_ms']:.2f} ms | {r['server_cpu_ms_per_wf']:.2f} ms | {r['server_peak_rss_mib']:.0f} MiB | {r['runs']} |"]
    else:
        i, n, k = r["idle_rss_mib"], r["running_rss_mib"], r["kib_per_workflow"]
        md += ["", f"## B8: memory with {r['count']:,} running 10-node workflows ({r['shape']})", "",
               f"Goal <= {r['goal_kib_per_workflow']} KiB per running workflow, <= {r['goal_idle_mib']} MiB idle.{smoke}", "",
               "| system | idle RSS | RSS running | KiB per workflow (min-max) | pod processes (per pod) | their RSS / PSS | runs |",
               "|---|---|---|---|---|---|---|",
               f"| {r['name']} | {i['median']:.1f} MiB | {n['median']:.1f} MiB | {k['median']:.1f} ({k['min']:.1f}-{k['max']:.1f}) | "
               f"{r['pod_processes']:.0f} ({r['processes_per_running_pod']:.1f}) | {r['pod_processes_rss_mib']:.0f} / {r['pod_processes_pss_mib']:.0f} MiB | {r['runs']} |"]
md.append("")
open("bench/results/latest.md", "w").write("\n".join(md))
print("\n".join(md))
PY
