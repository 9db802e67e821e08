#!/usr/bin/env bash
# Installs the locked dependencies, then lints, type-checks, unit-tests and builds the web UI, and
# runs the browser journeys (skipped when /usr/bin/chromium is absent).
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run lint
npm run typecheck
npx vitest run
npm run build
npm run e2e
