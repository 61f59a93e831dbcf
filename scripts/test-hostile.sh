#!/usr/bin/env bash
# npm run test:hostile: Schemathesis (pinned, from PyPI, in the project venv) against a throwaway stack with three tokens.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
ST_VERSION="4.32.5"
stamp=".tools/venv/.schemathesis-stamp"
if [ "$(cat "$stamp" 2>/dev/null)" != "schemathesis==$ST_VERSION" ] || [ ! -x .tools/venv/bin/st ]; then
  echo "test:hostile: installing schemathesis==$ST_VERSION (pip)"
  .tools/venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION" \
    || { echo "test:hostile: pip install schemathesis==$ST_VERSION failed (PyPI unreachable?)" >&2; exit 1; }
  echo "schemathesis==$ST_VERSION" > "$stamp"
fi
exec node_modules/.bin/tsx scripts/test-hostile.ts "$@"
