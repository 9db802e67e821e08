#!/usr/bin/env bash
# B6 through the real server: GetWorkflow (small and 1,000-node), ListWorkflows (label
# selector, limit 50, from 10,000 workflows) and CreateWorkflow over REST (HTTP/1.1 keep-alive,
# N connections) and gRPC (N calls in flight on one HTTP/2 channel) against a release
# `argo server` on loopback: without the rate limiter (ARGO_API_RATE_LIMIT_DISABLED), with a
# limit no load reaches (the limiter's bookkeeping on every request) and at Argo's default
# (1000/s per client). Prints one JSON line per level; figures only, nothing asserted.
# Usage: bench/api/run.sh   (env: ARGO_BENCH_API_PORT=30800, ARGO_BENCH_API_SECONDS=3,
#        ARGO_BENCH_API_CONNECTIONS=1,16,64, ARGO_BENCH_API_LIMITS="off 1000000000 1000",
#        ARGO_BENCH_API_CALLS="get get-large list create" (create last: it adds workflows),
#        ARGO_BENCH_API_LIMITED_CALLS (the calls under a limit; default the same),
#        ARGO_BENCH_API_LIST_COUNT=10000, ARGO_BENCH_API_RUNS=1 (median, best and worst of R),
#        ARGO_BENCH_API_NO_BUILD=1 to use the binaries already built; binaries in
#        ${CARGO_TARGET_DIR:-target}/release)
set -euo pipefail
cd "$(dirname "$0")/../.."

port="${ARGO_BENCH_API_PORT:-30800}"
seconds="${ARGO_BENCH_API_SECONDS:-3}"
levels="${ARGO_BENCH_API_CONNECTIONS:-1,16,64}"
limits="${ARGO_BENCH_API_LIMITS:-off 1000000000 1000}"
calls="${ARGO_BENCH_API_CALLS:-get get-large list create}"
limited_calls="${ARGO_BENCH_API_LIMITED_CALLS:-$calls}"
list_count="${ARGO_BENCH_API_LIST_COUNT:-10000}"
bin="${CARGO_TARGET_DIR:-target}/release"
runs="${ARGO_BENCH_API_RUNS:-1}"
work=bench/.work
mkdir -p "$work"
echo "*" > "$work/.gitignore"

if [ -z "${ARGO_BENCH_API_NO_BUILD:-}" ]; then
  echo "building release binaries and the load generator..." >&2
  cargo build --release -q -p cli -p executor -p argo-runtime
  cargo build --release -q --manifest-path bench/api/Cargo.toml --target-dir "$work/api-target"
fi
load="$work/api-target/release/bench-api"

data=""
server=""
stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  server=""
  if [ -n "$data" ]; then rm -rf "$data"; fi
  data=""
}
trap stop_server EXIT

echo "1-minute load before: $(cut -d' ' -f1 /proc/loadavg)" >&2
for limit in $limits; do
  data="$(mktemp -d "${TMPDIR:-/tmp}/argo-bench-api-XXXXXX")"
  disabled=""
  rate="$limit"
  these="$limited_calls"
  if [ "$limit" = "off" ]; then
    disabled="true"
    rate=1000
    these="$calls"
  fi
  seeded="$list_count"
  case " $these " in *" list "*) ;; *) seeded=0 ;; esac
  ARGO_API_RATE_LIMIT_DISABLED="$disabled" "$bin/argo" server --address 127.0.0.1 \
    --port "$port" --secure=false --auth-mode server --sandbox none --api-rate-limit "$rate" \
    --data-dir "$data/data" --loglevel warn >"$data/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    sleep 0.2
  done
  "$load" seed --port "$port" --list-count "$seeded" >&2
  for call in $these; do
    for api in rest grpc; do
      "$load" "$api" --port "$port" --call "$call" --connections "$levels" \
        --seconds "$seconds" --runs "$runs" |
        sed "s/^{/{\"rate_limit\":\"$limit\",/"
    done
  done
  stop_server
done
echo "1-minute load after: $(cut -d' ' -f1 /proc/loadavg)" >&2
