#!/usr/bin/env bash
# B6 through the real server: GetWorkflow over REST (HTTP/1.1 keep-alive, N connections) and
# gRPC (N calls in flight on one HTTP/2 channel) against a release `argo server` on loopback,
# once with a rate limit no load reaches and once at Argo's default (1000/s per client).
# Prints one JSON line per level; figures only, nothing asserted.
# Usage: bench/api/run.sh   (env: ARGO_BENCH_API_PORT=30800, ARGO_BENCH_API_SECONDS=3,
#        ARGO_BENCH_API_CONNECTIONS=1,16,64, ARGO_BENCH_API_LIMITS="1000000000 1000")
set -euo pipefail
cd "$(dirname "$0")/../.."

port="${ARGO_BENCH_API_PORT:-30800}"
seconds="${ARGO_BENCH_API_SECONDS:-3}"
levels="${ARGO_BENCH_API_CONNECTIONS:-1,16,64}"
limits="${ARGO_BENCH_API_LIMITS:-1000000000 1000}"
work=bench/.work
mkdir -p "$work"
echo "*" > "$work/.gitignore"

echo "building release binaries and the load generator..." >&2
cargo build --release -q -p cli -p executor -p argo-runtime
cargo build --release -q --manifest-path bench/api/Cargo.toml --target-dir "$work/api-target"
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

for limit in $limits; do
  data="$(mktemp -d "${TMPDIR:-/tmp}/argo-bench-api-XXXXXX")"
  target/release/argo server --address 127.0.0.1 --port "$port" --secure=false \
    --auth-mode server --sandbox none --api-rate-limit "$limit" --data-dir "$data/data" \
    --loglevel warn >"$data/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    sleep 0.2
  done
  "$load" seed --port "$port" >&2
  for api in rest grpc; do
    "$load" "$api" --port "$port" --connections "$levels" --seconds "$seconds" |
      sed "s/^{/{\"rate_limit\":$limit,/"
  done
  stop_server
done
