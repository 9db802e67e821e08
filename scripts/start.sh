#!/usr/bin/env bash
# Builds and starts the system on the embedded defaults and runs its main job. First the web UI
# (`npm ci && npm run build` in ui/, when npm is present and the UI sources are newer than
# ui/dist), then the release binaries, which embed ui/dist; then `argo server` in local mode
# (gateway, web UI, every API service and the controller in one process; SQLite store and the
# local pod runtime under ~/.local/share/argo) on http://localhost:${ARGO_PORT:-2746}, and submits
# examples/pipeline.yaml through the API with the `argo` CLI and watches it to the end. The server
# keeps running (Ctrl-C stops it). ARGO_BIN=dir skips both builds and runs the binaries in dir.
# Without root, pass ARGO_SANDBOX=none (steps then run as plain host processes).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${ARGO_PORT:-2746}"
BIN="${ARGO_BIN:-target/release}"

# Whether a file or directory holds anything newer than the reference file (or it is missing).
stale() { [ ! -e "$1" ] || [ -n "$(find "${@:2}" -newer "$1" -print -quit 2>/dev/null)" ]; }

if [ -z "${ARGO_BIN:-}" ]; then
  if command -v npm >/dev/null; then
    if stale ui/node_modules/.package-lock.json ui/package-lock.json; then
      (cd ui && npm ci --no-audit --no-fund)
    fi
    if stale ui/dist/index.html ui/src ui/index.html ui/package-lock.json ui/vite.config.ts; then
      (cd ui && npm run build)
    fi
  elif [ ! -f ui/dist/index.html ]; then
    echo "npm not found: building argo without the web UI (the server shows how to add it)" >&2
  fi
  # Embeds ui/dist (gateway/build.rs); a no-op when nothing changed.
  cargo build --release --locked -p cli -p executor -p argo-runtime
fi

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
