// The real Temporal server on PostgreSQL: schema with temporal-sql-tool, one config file per node, namespace and search attributes.
import { execFile } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SA } from '../../workflows/search-attributes';
import type { RunningPostgres } from './postgres';
import { StartError, type Supervisor } from './supervisor';
import { ROOT, TOOLS } from './tools';

const run = promisify(execFile);
export const TEMPORAL_DATABASES = ['temporal', 'temporal_visibility'] as const;

/** The ports one full-stack server process listens on (gRPC and ringpop membership for each service).
 * Membership ports must be below 32768: the cluster_membership table keeps them in a smallint. */
export interface NodePorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  metrics: number;
}

/** temporal-sql-tool's settings, by the environment names it reads (the compose schema job uses the same). */
export function sqlToolEnv(pg: Pick<RunningPostgres, 'port' | 'user' | 'password'>, host = '127.0.0.1'): Record<string, string> {
  return { SQL_PLUGIN: 'postgres12', SQL_HOST: host, SQL_PORT: String(pg.port), SQL_USER: pg.user, SQL_PASSWORD: pg.password };
}

/** Creates both databases and applies every versioned schema step; each command is safe to re-run. */
export async function setupTemporalSchema(pg: RunningPostgres): Promise<void> {
  const env = { ...process.env, ...sqlToolEnv(pg) };
  for (const db of TEMPORAL_DATABASES) {
    const dir = path.join(TOOLS.temporalSchema, db === 'temporal' ? 'temporal' : 'visibility', 'versioned');
    for (const args of [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '-d', dir]]) {
      try {
        await run(TOOLS.temporalSqlTool, args, { env: { ...env, SQL_DATABASE: db } });
      } catch (err) {
        const out = String((err as { stderr?: string }).stderr ?? err).replace(/\x1b\[[0-9;]*m/g, ''); // no terminal colours in the one line
        const why = out.split('\n').reverse().find((l) => /error|fail/i.test(l)) ?? out.trim().split('\n').pop();
        throw new StartError('Temporal schema', `temporal-sql-tool ${args[0]} on ${db} failed (${why?.trim().slice(0, 300)})`, 'correct what the error names; damaged schema files come back with rm -rf .tools/temporal-schema && bash scripts/install.sh --cluster');
      }
    }
  }
}

/**
 * One node's settings as environment variables of the server's embedded config template: the same names the
 * temporalio/server image reads, so docker-compose.yml and `npm run cluster` configure the server the same way.
 */
export function nodeEnv(ports: NodePorts, pg: Pick<RunningPostgres, 'port' | 'user' | 'password'>, historyShards: number): Record<string, string> {
  return {
    DB: 'postgres12',
    DB_PORT: String(pg.port),
    POSTGRES_SEEDS: '127.0.0.1',
    POSTGRES_USER: pg.user,
    POSTGRES_PWD: pg.password,
    DBNAME: 'temporal',
    VISIBILITY_DBNAME: 'temporal_visibility',
    // Fixed for the life of the database: every node must use the same number.
    NUM_HISTORY_SHARDS: String(historyShards),
    BIND_ON_IP: '127.0.0.1',
    // Nodes find each other through the cluster_membership table at this address and split the history shards.
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    FRONTEND_GRPC_PORT: String(ports.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.metrics}`,
    LOG_LEVEL: 'warn',
  };
}

/** Starts one full-stack node; its settings are also written to `<dir>/temporal-node-<n>.env` for reading. */
export function startNode(supervisor: Supervisor, dir: string, index: number, env: Record<string, string>): void {
  const dynamic = path.join(dir, 'dynamicconfig.yaml');
  copyFileSync(path.join(ROOT, 'deploy/temporal/dynamicconfig/development-sql.yaml'), dynamic);
  const file = path.join(dir, `temporal-node-${index}.env`);
  env = { ...env, DYNAMIC_CONFIG_FILE_PATH: dynamic };
  const lines = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  writeFileSync(file, `# Node ${index} of npm run cluster (scripts/lib/temporal-server.ts), rewritten at every start.\n${lines.join('\n')}\n`, { mode: 0o600 });
  supervisor.start({
    name: `temporal-${index}`,
    cmd: TOOLS.temporalServer,
    args: ['--allow-no-auth', 'start', '--service', 'frontend', '--service', 'history', '--service', 'matching', '--service', 'worker'],
    env: { ...process.env, ...env },
    tier: 1,
    restart: true,
  });
}

const cli = (address: string, args: string[]) => run(TOOLS.temporal, ['operator', ...args, '--address', address], { timeout: 30_000 });
const errText = (err: unknown) => String((err as { stderr?: string }).stderr ?? err);

/** Creates namespace `default` and the search attributes the workflows upsert, once the cluster answers. */
export async function ensureNamespace(address: string, namespace: string, abort: () => boolean, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  const retry = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await f();
      } catch (err) {
        if (abort()) throw new StartError('Temporal server', 'start was aborted', 'see the lines above');
        if (Date.now() > until) throw new StartError('Temporal server', `${what} failed (${errText(err).trim().split('\n').pop()})`, 'read the [temporal-1] and [temporal-2] lines');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  await retry('cluster health', () => cli(address, ['cluster', 'health']));
  await retry('namespace create', async () => {
    try {
      await cli(address, ['namespace', 'describe', '-n', namespace]);
    } catch {
      await cli(address, ['namespace', 'create', '-n', namespace, '--retention', '30d']).catch((err) => {
        if (!/already (exists|registered)/i.test(errText(err))) throw err;
      });
    }
  });
  const cliType = { KEYWORD: 'Keyword', INT: 'Int', DATETIME: 'Datetime', BOOL: 'Bool' } as const;
  for (const attr of Object.values(SA)) {
    await retry(`search attribute ${attr.name}`, () =>
      cli(address, ['search-attribute', 'create', '--namespace', namespace, '--name', attr.name, '--type', cliType[attr.type]]).catch((err) => {
        if (!/already exists/i.test(errText(err))) throw err;
      }),
    );
  }
}
