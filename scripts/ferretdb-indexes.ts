// For a deployment of FerretDB on PostgreSQL (docker-compose.yml): creates the GIN indexes npm start creates by itself.
// Usage: POSTGRESQL_URL=postgres://user:pw@host:5432/ferretdb MONGODB_URI=mongodb://host:27017/service_cases npm run db:indexes
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureGinIndexes } from './lib/ferretdb-indexes';
import { PG_BIN_DIR } from './lib/postgres';

const run = promisify(execFile);

async function main(): Promise<void> {
  const pgUrl = process.env.POSTGRESQL_URL;
  const mongoUri = process.env.MONGODB_URI;
  if (!pgUrl || !mongoUri) throw new Error('set POSTGRESQL_URL (FerretDB\'s PostgreSQL database) and MONGODB_URI (the app\'s database through FerretDB)');
  const sql = async (query: string) => (await run(path.join(PG_BIN_DIR, 'psql'), [pgUrl, '-v', 'ON_ERROR_STOP=1', '-tAqc', query])).stdout.trim();
  console.log(`db:indexes: ${await ensureGinIndexes(sql, mongoUri)} GIN indexes present`);
}

main().then(
  () => process.exit(0),
  (err: Error) => (console.error(`db:indexes: ${err.message}`), process.exit(1)),
);
