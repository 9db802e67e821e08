#!/usr/bin/env bash
# Runs every benchmark of the project and writes bench/results/latest.{json,md}.
# Usage: bench/run.sh [--force]   (--force runs even when the machine is busy)
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${ARGO_EXAMPLES:-../shared/argo-examples}"
results=bench/results
mkdir -p "$results"

load=$(cut -d' ' -f1 /proc/loadavg)
busy=$(python3 -c "print(1 if $load > 1.5 else 0)")
if [ "$busy" = 1 ] && [ "${1:-}" != "--force" ]; then
  echo "machine busy (1-minute load $load > 1.5): refusing to run; pass --force to run anyway" >&2
  exit 1
fi

echo "building release binaries..."
cargo build --release -q -p cli
cargo build --release -q -p argo-expr --example bench

lines=()
if [ -d "$examples" ]; then
  lines+=("$(python3 bench/timing.py lint-shared-examples 5 -- target/release/argo lint "$examples")")
else
  echo "skipping lint-shared-examples: $examples not found" >&2
fi
lines+=("$(python3 bench/timing.py lint-own-examples 5 -- target/release/argo lint examples)")

expr_out=$(target/release/examples/bench)

python3 - "$load" "$expr_out" "${lines[@]}" <<'PY'
import json, platform, sys, datetime, os
load, expr_out, rows = sys.argv[1], sys.argv[2], [json.loads(r) for r in sys.argv[3:]]
machine = f"{platform.machine()} {os.cpu_count()} cores, {platform.system()} {platform.release()}"
result = {"date": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
          "machine": machine, "load_at_start": float(load), "timings": rows, "expr": expr_out}
os.makedirs("bench/results", exist_ok=True)
json.dump(result, open("bench/results/latest.json", "w"), indent=2)
md = [f"# Benchmark run {result['date']}", "", f"Machine: {machine}; 1-minute load at start {load}.", "",
      "| benchmark | median | min | max | runs | exit code |", "|---|---|---|---|---|---|"]
for r in rows:
    md.append(f"| {r['name']} | {r['median_s']*1000:.1f} ms | {r['min_s']*1000:.1f} ms | {r['max_s']*1000:.1f} ms | {r['runs']} | {r['exit_code']} |")
md += ["", "## argo-expr", "", "```", expr_out, "```", ""]
open("bench/results/latest.md", "w").write("\n".join(md))
print("\n".join(md))
PY
