#!/usr/bin/env bash
# Client conformance: Argo's official Python SDK (argo-workflows) and Hera, both from PyPI,
# against a real `argo server` on loopback. Installs the pinned clients into
# target/clients-venv, starts the server on its own port and data directory, runs
# tests/clients with pytest and stops the server whatever happens.
# Needs python3 (with venv and pip) and network access to PyPI on first run.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${ARGO_CLIENTS_PORT:-30746}"
# a second server whose controller archives completed workflows (persistence.archive), for the
# archive and event tests; the first keeps deleted workflows gone (no archive fallback)
ARCHIVE_PORT="${ARGO_CLIENTS_ARCHIVE_PORT:-$((PORT + 1))}"
VENV=target/clients-venv
REQUIREMENTS=tests/clients/requirements.txt

step() { printf '\n==> %s\n' "$*"; }

step "building argo, argoexec and the pod supervisor"
cargo build --locked -p cli -p executor -p argo-runtime

step "python clients (${REQUIREMENTS})"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
STAMP="$VENV/.requirements"
if ! cmp -s "$REQUIREMENTS" "$STAMP"; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  cp "$REQUIREMENTS" "$STAMP"
fi

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/argo-clients-XXXXXX")"
SERVER_LOG="$DATA_DIR/server.log"
SERVER_PID=""
ARCHIVE_LOG="$DATA_DIR/archive-server.log"
ARCHIVE_PID=""
cleanup() {
  for pid in "$SERVER_PID" "$ARCHIVE_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

step "starting argo server on 127.0.0.1:${PORT} (data in ${DATA_DIR})"
target/debug/argo server \
  --address 127.0.0.1 --port "$PORT" --secure=false --auth-mode server \
  --sandbox none --data-dir "$DATA_DIR/data" \
  >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
export ARGO_SERVER_URL="http://127.0.0.1:${PORT}"

# with the WorkflowEventBindings the event tests use, applied at start as kubectl apply would
step "starting an archiving argo server on 127.0.0.1:${ARCHIVE_PORT}"
printf 'persistence:\n  archive: true\n' >"$DATA_DIR/archive-configmap.yaml"
target/debug/argo server \
  --address 127.0.0.1 --port "$ARCHIVE_PORT" --secure=false --auth-mode server \
  --sandbox none --data-dir "$DATA_DIR/archive-data" \
  --configmap "$DATA_DIR/archive-configmap.yaml" \
  --manifests tests/clients/manifests \
  >"$ARCHIVE_LOG" 2>&1 &
ARCHIVE_PID=$!
export ARGO_ARCHIVE_SERVER_URL="http://127.0.0.1:${ARCHIVE_PORT}"

for server in "$ARGO_SERVER_URL $SERVER_PID" "$ARGO_ARCHIVE_SERVER_URL $ARCHIVE_PID"; do
# shellcheck disable=SC2086
"$VENV/bin/python" - $server <<'PY'
import os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("argo server exited before it was ready")
    try:
        with urllib.request.urlopen(url + "/api/v1/version", timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit("argo server was not ready within 60 s")
PY
done

step "pytest tests/clients"
export PYTHONDONTWRITEBYTECODE=1
status=0
(cd tests/clients && "../../$VENV/bin/python" -m pytest -q -p no:cacheprovider .) || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- argo server log (last 80 lines) ---" >&2
  tail -n 80 "$SERVER_LOG" >&2 || true
  echo "--- archiving argo server log (last 80 lines) ---" >&2
  tail -n 80 "$ARCHIVE_LOG" >&2 || true
fi
exit "$status"
