#!/usr/bin/env bash
# The one test command: install what is missing, type-check, then every test against real servers.
# `--cluster` runs the cluster suite instead (builds the real Temporal server the first time); `--faults` the fault suite
# on the same topology.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--cluster" ]; then
  shift
  bash scripts/install.sh --cluster
  npx tsc --noEmit -p .
  exec npx vitest run --config vitest.cluster.config.mts "$@"
fi
if [ "${1:-}" = "--faults" ]; then
  shift
  bash scripts/install.sh --cluster
  npx tsc --noEmit -p .
  exec npx vitest run --config vitest.faults.config.mts "$@"
fi
bash scripts/install.sh
npx tsc --noEmit -p .
npm run --silent lint
npx vitest run "$@"
