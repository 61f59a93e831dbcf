#!/bin/sh
# Creates/updates Temporal's persistence + visibility schemas (mirrors samples-server compose/scripts/setup-postgres.sh).
set -eu

: "${POSTGRES_SEEDS:?ERROR: POSTGRES_SEEDS environment variable is required}"
: "${POSTGRES_USER:?ERROR: POSTGRES_USER environment variable is required}"
DB_PORT=${DB_PORT:-5432}

echo 'Waiting for PostgreSQL port to be available...'
nc -z -w 10 "$POSTGRES_SEEDS" "$DB_PORT"

# temporal-sql-tool create/setup-schema are idempotent for postgres, so re-running on an existing volume is safe.
for db in temporal temporal_visibility; do
  case "$db" in
    temporal) schema_dir=/etc/temporal/schema/postgresql/v12/temporal/versioned ;;
    *) schema_dir=/etc/temporal/schema/postgresql/v12/visibility/versioned ;;
  esac
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$DB_PORT" --db "$db" create
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$DB_PORT" --db "$db" setup-schema -v 0.0
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$DB_PORT" --db "$db" update-schema -d "$schema_dir"
done

echo 'PostgreSQL schema setup complete'
