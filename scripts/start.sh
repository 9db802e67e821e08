#!/usr/bin/env bash
# Starts the system on the embedded defaults and runs its main job: `argo server` in local mode
# (gateway, every API service and the controller in one process; SQLite store and the local pod
# runtime under ~/.local/share/argo), then submits examples/pipeline.yaml through the API with the
# `argo` CLI and watches it to the end. The server keeps running (Ctrl-C stops it); the web UI is
# served at http://localhost:${ARGO_PORT:-2746} when ui/dist is built (`cd ui && npm ci && npm run build`).
# Without root, pass ARGO_SANDBOX=none (steps then run as plain host processes).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${ARGO_PORT:-2746}"
BIN="${ARGO_BIN:-target/release}"
[ -x "$BIN/argo" ] || cargo build --release --locked -p cli -p executor -p argo-runtime

"$BIN/argo" server --secure=false --auth-mode server --port "$PORT" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' INT TERM

export ARGO_SERVER="localhost:$PORT" ARGO_SECURE=false ARGO_HTTP1=true
for _ in $(seq 1 100); do
  "$BIN/argo" version >/dev/null 2>&1 && break
  sleep 0.1
done
"$BIN/argo" submit examples/pipeline.yaml --watch
echo "argo server is running on http://localhost:$PORT (Ctrl-C stops it)"
wait "$SERVER"
