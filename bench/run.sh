#!/usr/bin/env bash
# Runs the project's benchmarks and writes bench/results/latest.{json,md} (bench/report.py).
# Usage: bench/run.sh [--install] [--force] [--all] [SECTIONS...] [--with-airflow] [--runs N]
#   --install: install every peer (Prefect, Dagster, Luigi, Restate, Airflow) into bench/.work/ and
#              build every release binary (argo, argoexec, pod supervisor, bench-floor, bench-load,
#              bench-api), then exit: do it before the timed run (needs the network; not timed)
#   --all: every section below except Airflow (add --with-airflow for Airflow's B1, 1 run)
#   sections: --lint (lint/expr)  --floor (B1/B2 spawn+commit, B6 raw axum/tonic hello)
#     --peers (Prefect, Dagster, Luigi, Restate on B1/B2)  --local (ours on B1/B2, `argo run`)
#     --fanout (ours on the 10,000-task fan-out)  --load (ours on B3 and B8 through `argo server`)
#     --api (ours on B6 through `argo server`: GetWorkflow small and 1,000-node, ListWorkflows of
#            10,000, CreateWorkflow; REST and gRPC; 1/16/64 connections; limiter off and on)
#   no section flag: --lint --floor (quick)
#   --runs N: runs per figure (default 5)   --no-build: use the binaries built (by --install)
#   --force: run even when the 1-minute load is over 1.5
#   (the output is then flagged BUSY)   --include FILE: also report rows saved from an earlier run
# Sizes and knobs for smoke runs (defaults are the issue's sizes): ARGO_BENCH_SANDBOX (namespaces for
#   B1/B2, none for the server's B3/B8/B6),
#   ARGO_BENCH_PEERS (prefect,dagster,luigi,restate),
#   ARGO_BENCH_FANOUT_TASKS (10000), ARGO_BENCH_FANOUT_RUNS (3), ARGO_BENCH_B3_COUNT (10000),
#   ARGO_BENCH_B8_COUNT (1000), ARGO_BENCH_B8_LARGE (10000; 0 skips), ARGO_BENCH_B8_SHAPE (paused),
#   ARGO_BENCH_API_LIST_COUNT (10000), ARGO_BENCH_API_SECONDS (2), ARGO_BENCH_LOAD_PORT (37100),
#   ARGO_BENCH_API_PORT (30800). Time budgets (seconds; no new run starts once the last one would
#   not fit): ARGO_BENCH_FANOUT_BUDGET_S (360), ARGO_BENCH_B3_BUDGET_S (420),
#   ARGO_BENCH_B8_LARGE_BUDGET_S (240). Binaries come from ${CARGO_TARGET_DIR:-target}/release.
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${ARGO_EXAMPLES:-../shared/argo-examples}"
work=bench/.work
bin="${CARGO_TARGET_DIR:-target}/release"
mkdir -p bench/results "$work"
echo "*" > "$work/.gitignore"  # throwaway installs and scratch data, never committed

force=0 install=0 airflow=0 runs=5 include=() build=1
do_lint=0 do_floor=0 do_peers=0 do_local=0 do_fanout=0 do_load=0 do_api=0
while [ $# -gt 0 ]; do
  case "$1" in
    --install) install=1 ;;
    --force) force=1 ;;
    --no-build) build=0 ;;
    --lint) do_lint=1 ;;
    --floor) do_floor=1 ;;
    --peers) do_peers=1 ;;
    --local) do_local=1 ;;
    --fanout) do_fanout=1 ;;
    --load) do_load=1 ;;
    --api) do_api=1 ;;
    --with-airflow) airflow=1; do_peers=1 ;;
    --all) do_lint=1; do_floor=1; do_peers=1; do_local=1; do_fanout=1; do_load=1; do_api=1 ;;
    --runs) runs="$2"; shift ;;
    --include) include+=("$2"); shift ;;
    *) echo "unknown argument $1 (see the header of bench/run.sh)" >&2; exit 2 ;;
  esac
  shift
done

build_all() {
  cargo build --release -q -p cli -p executor -p argo-runtime
  cargo build --release -q -p argo-expr --example expr_bench
  cargo build --release -q --manifest-path bench/floor/Cargo.toml --target-dir "$work/floor-target"
  cargo build --release -q --manifest-path bench/load/Cargo.toml --target-dir "$work/load-target"
  cargo build --release -q --manifest-path bench/api/Cargo.toml --target-dir "$work/api-target"
}

if [ "$install" = 1 ]; then
  for peer in prefect dagster luigi restate airflow; do bench/peers/install.sh "$peer"; done
  echo "building release binaries into $bin and bench/.work/*-target ..." >&2
  build_all
  echo "installed; now run: bench/run.sh --all (expected about 35 minutes on a quiet machine)" >&2
  exit 0
fi
if [ $((do_lint + do_floor + do_peers + do_local + do_fanout + do_load + do_api)) = 0 ]; then
  do_lint=1; do_floor=1
fi

load=$(cut -d' ' -f1 /proc/loadavg)
busy=$(python3 -c "print(1 if $load > 1.5 else 0)")
if [ "$busy" = 1 ] && [ "$force" != 1 ]; then
  echo "machine busy (1-minute load $load > 1.5): refusing to run; pass --force to run anyway" >&2
  exit 1
fi
export ARGO_BENCH_STARTED
ARGO_BENCH_STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
if [ "$build" = 1 ]; then
  echo "1-minute load $load; building (a no-op after --install) ..." >&2
  build_all
fi
floor_bin="$work/floor-target/release/bench-floor"
pod_sandbox="${ARGO_BENCH_SANDBOX:-namespaces}"  # B1/B2 (`argo run`): pods sandboxed, as recorded
server_sandbox="${ARGO_BENCH_SANDBOX:-none}"    # B3/B8/B6 (`argo server`): thousands of pods
rows="$work/rows.jsonl"
: > "$rows"
for f in "${include[@]}"; do cat "$f" >> "$rows"; done
section_start=0
begin() { section_start=$(date +%s); echo "== $1 ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >&2; }
end() { echo "{\"section\": \"$1\", \"seconds\": $(( $(date +%s) - section_start ))}" >> "$rows"; }

lines=()
export ARGO_BENCH_EXPR=""
if [ "$do_lint" = 1 ]; then
  begin lint
  if [ -d "$examples" ]; then
    lines+=("$(python3 bench/timing.py lint-shared-examples "$runs" -- "$bin/argo" lint "$examples")")
  else
    echo "skipping lint-shared-examples: $examples not found" >&2
  fi
  lines+=("$(python3 bench/timing.py lint-own-examples "$runs" -- "$bin/argo" lint examples)")
  ARGO_BENCH_EXPR=$("$bin/examples/expr_bench")
  end lint
fi
if [ "$do_floor" = 1 ]; then
  begin floor
  python3 bench/floor/run_floor.py "$floor_bin" "$runs" "$work/floor.db" >> "$rows"
  end floor
fi
if [ "$do_peers" = 1 ]; then
  begin peers
  python3 bench/peers/run_peers.py --runs "$runs" --peers "${ARGO_BENCH_PEERS:-prefect,dagster,luigi,restate}" \
    >> "$rows" || echo "some peers failed (rows carry the error)" >&2
  end peers
  if [ "$airflow" = 1 ]; then
    begin airflow  # minutes per run: B1 only, one run (see bench/README.md)
    python3 bench/peers/run_peers.py --peers airflow --runs 1 >> "$rows" || echo "Airflow failed" >&2
    end airflow
  fi
fi
if [ "$do_local" = 1 ]; then
  begin local
  python3 bench/local/run_local.py "$bin/argo" "$floor_bin" "$runs" "$work/local" --sandbox "$pod_sandbox" \
    >> "$rows" || echo "ours on B1/B2 failed (rows carry the error)" >&2
  end local
fi
if [ "$do_fanout" = 1 ]; then
  begin fanout
  python3 bench/fanout/run_fanout.py "$bin/argo" "$floor_bin" "${ARGO_BENCH_FANOUT_RUNS:-3}" "$work/fanout" \
    --sandbox "$pod_sandbox" --tasks "${ARGO_BENCH_FANOUT_TASKS:-10000}" \
    --budget-s "${ARGO_BENCH_FANOUT_BUDGET_S:-360}" >> "$rows" \
    || echo "ours on the 10,000 fan-out failed (the row carries the error)" >&2
  end fanout
fi
if [ "$do_load" = 1 ]; then
  begin load
  python3 bench/load/run_load.py "$bin/argo" "$work/load-target/release/bench-load" "$runs" \
    "$work/load" --sandbox "$server_sandbox" --port "${ARGO_BENCH_LOAD_PORT:-37100}" \
    --b3-count "${ARGO_BENCH_B3_COUNT:-10000}" --b8-count "${ARGO_BENCH_B8_COUNT:-1000}" \
    --b8-shape "${ARGO_BENCH_B8_SHAPE:-paused}" --b8-large "${ARGO_BENCH_B8_LARGE:-10000}" \
    --b8-large-runs "${ARGO_BENCH_B8_LARGE_RUNS:-3}" --b3-budget-s "${ARGO_BENCH_B3_BUDGET_S:-420}" \
    --b8-large-budget-s "${ARGO_BENCH_B8_LARGE_BUDGET_S:-240}" >> "$rows" || echo "ours on B3/B8 failed" >&2
  end load
fi
if [ "$do_api" = 1 ]; then
  begin api
  ARGO_BENCH_API_NO_BUILD=1 ARGO_BENCH_API_RUNS="$runs" ARGO_BENCH_API_SECONDS="${ARGO_BENCH_API_SECONDS:-2}" \
    ARGO_BENCH_API_LIMITS="off 1000000000" ARGO_BENCH_API_LIMITED_CALLS="get" bench/api/run.sh \
    | sed 's/^{/{"bench":"B6","peer":"ours",/' >> "$rows" \
    || echo '{"bench":"B6","peer":"ours","name":"B6 ours","call":"?","error":"bench/api/run.sh failed (see its stderr)"}' >> "$rows"
  end api
fi

python3 bench/report.py "$rows" "$load" "${lines[@]}"
