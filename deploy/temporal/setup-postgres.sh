#!/bin/sh
# Creates/updates Temporal's persistence + visibility schemas with temporal-sql-tool, like `npm run cluster` does
# (scripts/lib/temporal-server.ts): the tool reads SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD itself.
set -eu

: "${SQL_HOST:?ERROR: SQL_HOST environment variable is required}"
: "${SQL_USER:?ERROR: SQL_USER environment variable is required}"
SQL_PORT=${SQL_PORT:-5432}

echo 'Waiting for PostgreSQL port to be available...'
nc -z -w 10 "$SQL_HOST" "$SQL_PORT"

# create-database, setup-schema -v 0.0 and update-schema are safe to re-run on an existing volume.
for db in temporal temporal_visibility; do
  case "$db" in
    temporal) schema_dir=/etc/temporal/schema/postgresql/v12/temporal/versioned ;;
    *) schema_dir=/etc/temporal/schema/postgresql/v12/visibility/versioned ;;
  esac
  SQL_DATABASE=$db temporal-sql-tool create-database
  SQL_DATABASE=$db temporal-sql-tool setup-schema -v 0.0
  SQL_DATABASE=$db temporal-sql-tool update-schema -d "$schema_dir"
done

echo 'PostgreSQL schema setup complete'
