#!/usr/bin/env bash
# The one start command: install what is missing, then run the whole system in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec npx tsx scripts/dev-stack.ts
