#!/usr/bin/env bash
# The one test command: install what is missing, type-check, then every test against real servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
npx tsc --noEmit -p .
npm run --silent lint
npx vitest run "$@"
