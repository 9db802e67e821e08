#!/usr/bin/env bash
# Installs the locked dependencies, then lints, type-checks, unit-tests and builds the web UI, and
# runs the browser journeys (skipped when /usr/bin/chromium is absent): first against the mock
# server, then against a real `argo server` started from ../target/debug (skipped when the
# workspace's binaries are not built; ARGO_BIN or ARGO_SERVER_URL point elsewhere).
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run lint
npm run typecheck
npx vitest run
npm run build
# The journeys need Debian's Chromium; install it when missing and we are allowed to.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
fi
npm run e2e
npm run e2e:server
