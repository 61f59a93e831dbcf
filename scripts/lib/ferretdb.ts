// Starts FerretDB v1.24.2 (the MongoDB wire protocol) on the embedded PostgreSQL, under the supervisor.
import { StartError, waitForPort, type Supervisor } from './supervisor';
import { TOOLS } from './tools';

export interface FerretOptions {
  supervisor: Supervisor;
  port: number;
  /** postgres:// URL of the database FerretDB keeps every MongoDB database in (one PostgreSQL schema each). */
  postgresqlUrl: string;
  name?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/** FerretDB's PostgreSQL pool: twice the operations of five processes at DATABASE_POOL_SIZE (db/models.ts), well under max_connections. */
export const FERRETDB_PG_POOL = 100;
/**
 * pgx prepares FerretDB's `_jsonb->$1 @> $2`; a generic plan cannot match an index on `_jsonb->'field'` (and one chosen
 * before the index existed stays), so every query is planned with its values (ferretdb-indexes.ts).
 */
export const PG_SESSION = `pool_max_conns=${FERRETDB_PG_POOL}&plan_cache_mode=force_custom_plan`;

export async function startFerretDb(opts: FerretOptions): Promise<{ uri: (db: string) => string }> {
  const name = opts.name ?? 'ferretdb';
  opts.supervisor.start({
    name,
    cmd: TOOLS.ferretdb,
    args: ['--listen-addr', `127.0.0.1:${opts.port}`, '--handler', 'postgresql', '--postgresql-url', `${opts.postgresqlUrl}${opts.postgresqlUrl.includes('?') ? '&' : '?'}${PG_SESSION}`, '--log-level', opts.logLevel ?? 'error'],
    tier: 2,
  });
  await waitForPort('FerretDB', opts.port, 30_000, () => !opts.supervisor.isAlive(name)).catch((err: StartError) => {
    const why = opts.supervisor.lastLines(name).pop();
    throw why ? new StartError('FerretDB', `did not start (${why})`, 'read the [ferretdb] lines; run bash scripts/install.sh') : err;
  });
  return { uri: (db) => `mongodb://127.0.0.1:${opts.port}/${db}` };
}
