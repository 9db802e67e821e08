#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script).
# It installs what the tests need when it is missing, so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# CI builds once from a fresh clone: incremental caches would only cost disk (several GB).
if [ "${CI:-}" = "true" ]; then
  export CARGO_INCREMENTAL=0
fi

if ! cargo nextest --version >/dev/null 2>&1; then
  step "installing cargo-nextest"
  cargo install cargo-nextest --locked
fi

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

# Generated files (CRDs, ...) are checked by tests that regenerate them and fail on any diff.
step "cargo nextest run"
cargo nextest run --workspace --locked --profile ci
bash scripts/clients.sh  # Python SDK and Hera against a real argo server

if [ -x ui/scripts/test.sh ]; then
  if command -v npm >/dev/null 2>&1; then
    step "web UI: npm ci, lint, typecheck, vitest, build, journeys"
    bash ui/scripts/test.sh
  else
    echo "npm not found: the web UI suite needs Node.js 20 and npm" >&2
    exit 1
  fi
fi
