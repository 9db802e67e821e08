#!/usr/bin/env bash
# Runs the project's benchmarks and writes bench/results/latest.{json,md}.
# Usage: bench/run.sh [--force] [--lint] [--floor] [--peers] [--with-airflow] [--all] [--runs N]
#   no section flag: lint/expr + floor (quick)     --lint: lint/expr only
#   --floor: the machine's floor (B1/B2 spawn+commit, B6 raw axum/tonic) only
#   --peers: Prefect, Dagster, Luigi, Restate on B1/B2 (installed on demand into bench/.work/)
#   --with-airflow: add Airflow (B1 only; minutes per run)   --all: lint/expr + floor + peers
#   --runs N: runs per figure (default 5)   --force: run even when the machine is busy
#   --include FILE: also report rows (JSON lines) saved from an earlier peers/floor run
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${ARGO_EXAMPLES:-../shared/argo-examples}"
results=bench/results
work=bench/.work
mkdir -p "$results" "$work"
echo "*" > "$work/.gitignore"  # throwaway installs and scratch data, never committed

force=0 do_lint=0 do_floor=0 do_peers=0 airflow=0 runs=5 include=()
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --lint) do_lint=1 ;;
    --floor) do_floor=1 ;;
    --peers) do_peers=1 ;;
    --with-airflow) airflow=1; do_peers=1 ;;
    --all) do_lint=1; do_floor=1; do_peers=1 ;;
    --runs) runs="$2"; shift ;;
    --include) include+=("$2"); shift ;;
    *) echo "unknown argument $1 (see the header of bench/run.sh)" >&2; exit 2 ;;
  esac
  shift
done
if [ $((do_lint + do_floor + do_peers)) = 0 ]; then do_lint=1; do_floor=1; fi

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
if [ "$do_peers" = 1 ]; then
  peer_flags=(--runs "$runs")
  [ "$airflow" = 1 ] && peer_flags+=(--with-airflow)
  python3 bench/peers/run_peers.py "${peer_flags[@]}" >> "$work/rows.jsonl" || echo "some peers failed (rows carry the error)" >&2
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
           f"| **ours** | SQLite WAL | not yet measured | - | - | - | - |"]
    for r in group:
        if "error" in r:
            md.append(f"| {r['name']} | {r['durability']} | FAILED | - | - | - | - |")
            continue
        ratio = f"{r['median_s'] / floor[bench]['median_s']:.1f}x" if bench in floor else "-"
        extra = f" (gap p50 {r['gap_p50_ms']:.2f} ms, p99 {r['gap_p99_ms']:.2f} ms)" if "gap_p50_ms" in r else ""
        md.append(f"| {r['name']}{extra} | {r['durability']} | {r['median_s']:.3f} s | "
                  f"{r['min_s']:.3f}-{r['max_s']:.3f} s | {r['runs']} | {ratio} | not yet measured |")
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
md.append("")
open("bench/results/latest.md", "w").write("\n".join(md))
print("\n".join(md))
PY
