// Runs the whole system on one machine: PostgreSQL, FerretDB on it, the Temporal dev server (Web UI), the worker and the API.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SA } from '../workflows/search-attributes';
import { devSecret, envPort, foreground } from './lib/app-env';
import { startFerretDb } from './lib/ferretdb';
import { ensureGinIndexes } from './lib/ferretdb-indexes';
import { runSql, startPostgres } from './lib/postgres';
import { assertPortsFree, createSupervisor, waitForPort } from './lib/supervisor';
import { DATA, nodeTs, ROOT, TOOLS } from './lib/tools';
import { buildWorkflowBundle } from './lib/workflow-bundle';

const fg = foreground('start', () => supervisor.stopAll());
const supervisor = createSupervisor({ cwd: ROOT, logTo: 'console', onFatal: (m) => fg.fatal(m) });

async function main(): Promise<void> {
  const API_PORT = envPort('PORT', 3000);
  const TEMPORAL_PORT = envPort('TEMPORAL_PORT', 7233);
  const TEMPORAL_UI_PORT = envPort('TEMPORAL_UI_PORT', 8233);
  const FERRETDB_PORT = envPort('FERRETDB_PORT', 27017);
  const POSTGRES_PORT = envPort('POSTGRES_PORT', 55432);
  const externalTemporal = Boolean(process.env.TEMPORAL_ADDRESS);
  const externalMongo = Boolean(process.env.MONGODB_URI);
  mkdirSync(DATA, { recursive: true });
  // Bundled here while the servers start, so the worker neither spends the CPU nor keeps webpack in its memory.
  const bundle = buildWorkflowBundle(DATA);

  // Every port is checked before anything starts, so a clash stops the start with nothing left behind.
  await assertPortsFree([
    ...(externalTemporal ? [] : [
      { part: 'Temporal dev server', port: TEMPORAL_PORT, env: 'TEMPORAL_PORT (or TEMPORAL_ADDRESS)' },
      { part: 'Temporal Web UI', port: TEMPORAL_UI_PORT, env: 'TEMPORAL_UI_PORT' },
    ]),
    ...(externalMongo ? [] : [
      { part: 'PostgreSQL', port: POSTGRES_PORT, env: 'POSTGRES_PORT (or MONGODB_URI)' },
      { part: 'FerretDB', port: FERRETDB_PORT, env: 'FERRETDB_PORT (or MONGODB_URI)' },
    ]),
    { part: 'API', port: API_PORT, env: 'PORT' },
  ]);

  const temporalAddress = process.env.TEMPORAL_ADDRESS || `127.0.0.1:${TEMPORAL_PORT}`;
  const mongoUri = process.env.MONGODB_URI || `mongodb://127.0.0.1:${FERRETDB_PORT}/service_cases`;
  const lines: string[] = [];

  if (!externalTemporal) {
    const cliType = { KEYWORD: 'Keyword', INT: 'Int', DATETIME: 'Datetime', BOOL: 'Bool' } as const;
    const attrs = Object.values(SA).flatMap((k) => ['--search-attribute', `${k.name}=${cliType[k.type]}`]);
    supervisor.start({
      name: 'temporal',
      cmd: TOOLS.temporal,
      args: ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(TEMPORAL_PORT), '--ui-port', String(TEMPORAL_UI_PORT),
        '--db-filename', path.join(DATA, 'temporal.db'), '--log-level', 'warn', ...attrs],
      tier: 1,
    });
    lines.push(`Temporal dev server  ${temporalAddress}   (SQLite .data/temporal.db)`, `Temporal Web UI      http://127.0.0.1:${TEMPORAL_UI_PORT}`);
  } else {
    lines.push(`Temporal             ${temporalAddress}   (external, from TEMPORAL_ADDRESS)`);
  }

  if (!externalMongo) {
    const pg = await startPostgres({ supervisor, dataDir: path.join(DATA, 'postgres'), port: POSTGRES_PORT, portEnv: 'POSTGRES_PORT', databases: ['ferretdb'] });
    await startFerretDb({ supervisor, port: FERRETDB_PORT, postgresqlUrl: pg.url('ferretdb') });
    await ensureGinIndexes((q) => runSql(pg, 'ferretdb', q), mongoUri);
    lines.push(
      `PostgreSQL 15        127.0.0.1:${POSTGRES_PORT}   (.data/postgres, user ${pg.user}, password in .data/postgres-password)`,
      `FerretDB (MongoDB)   ${mongoUri}   (on PostgreSQL database ferretdb)`,
    );
  } else {
    lines.push(`MongoDB              (external, from MONGODB_URI)`);
  }
  if (!externalTemporal) await waitForPort('Temporal dev server', TEMPORAL_PORT, 60_000, () => fg.aborted);

  const appEnv: NodeJS.ProcessEnv = { ...process.env, TEMPORAL_ADDRESS: temporalAddress, MONGODB_URI: mongoUri, AUTH_JWT_SECRET: devSecret(), PORT: String(API_PORT) };
  const bundlePath = await bundle.ready;
  supervisor.start({
    name: 'worker', cmd: nodeTs('worker/main.ts')[0], args: nodeTs('worker/main.ts')[1], tier: 0,
    env: { ...appEnv, SERVICE_NAME: 'worker', WORKFLOW_BUNDLE: process.env.WORKFLOW_BUNDLE || bundlePath },
  });
  supervisor.start({ name: 'api', cmd: nodeTs('api/main.ts')[0], args: nodeTs('api/main.ts')[1], env: { ...appEnv, SERVICE_NAME: 'api' }, tier: 0 });
  await waitForPort('API', API_PORT, 120_000, () => fg.aborted);

  lines.push(
    `Worker               task queue ${process.env.TEMPORAL_TASK_QUEUE ?? 'service-cases'}`,
    `API                  http://127.0.0.1:${API_PORT}/v1   (docs http://127.0.0.1:${API_PORT}/docs)`,
    `Dev token            npm run token -- assistant supervisor   (signed with .data/dev-jwt-secret)`,
  );
  console.log(['', 'Everything is up (Ctrl-C stops all, data stays in .data/):', ...lines.map((l) => '  ' + l), ''].join('\n'));
}

fg.run(main);
