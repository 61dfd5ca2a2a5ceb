#!/usr/bin/env bash
# One-time (idempotent) setup for a fresh machine: npm dependencies, the build, a running Docker
# engine, and the offline images the example and tests use. `--example` then runs the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
[ -x scripts/setup-docker.sh ] && bash scripts/setup-docker.sh
[ -x scripts/build-images.sh ] && bash scripts/build-images.sh
bash scripts/setup-test-tools.sh

if [ "${1:-}" = "--example" ]; then
  exec node bin/envtest.js run -f compose/compose.yaml --checks compose/checks
fi
