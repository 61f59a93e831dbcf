// The production topology on one machine: PostgreSQL, two Temporal server nodes behind a balancer, the Web UI,
// FerretDB on PostgreSQL, two workers and two API replicas. Used by `npm run cluster` and the cluster tests.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startFerretDb } from './ferretdb';
import { ensureGinIndexes } from './ferretdb-indexes';
import { runSql, startPostgres } from './postgres';
import { startBalancer, type Balancer } from './tcp-balancer';
import { ensureNamespace, nodeEnv, setupTemporalSchema, startNode, type NodePorts } from './temporal-server';
import { assertPortsFree, freePort, portInUse, StartError, waitForPort, type Supervisor } from './supervisor';
import { nodeTs, TOOLS } from './tools';
import { buildWorkflowBundle } from './workflow-bundle';

export interface ClusterPorts {
  postgres: number;
  ferretdb: number;
  /** The balanced frontend address every client uses. */
  frontend: number;
  nodes: [NodePorts, NodePorts];
  ui: number;
  apis: [number, number];
  apiMetrics: [number, number];
  workerMetrics: [number, number];
}

export interface ClusterOptions {
  dataDir: string;
  ports: ClusterPorts;
  supervisor: Supervisor;
  jwtSecret: string;
  /** Extra environment for workers and APIs (POLICY_FILE, LOG_LEVEL ...). */
  appEnv?: NodeJS.ProcessEnv;
  ui?: boolean;
  ephemeral?: boolean;
  abort?: () => boolean;
}

export const NAMESPACE = 'default';

export const HISTORY_SHARDS = 16;
export const CLUSTER_PARTS = { nodes: ['temporal-1', 'temporal-2'], workers: ['worker-1', 'worker-2'], apis: ['api-1', 'api-2'] } as const;

/** Default ports of `npm run cluster`: node n's services at nodeBase + 100·(n-1) + 33…41, so two nodes never collide. */
export function defaultPorts(base = { frontend: 7233, ui: 8080, apis: [3001, 3002] as [number, number], nodeBase: 7300 }): ClusterPorts {
  const node = (n: number): NodePorts => {
    const b = base.nodeBase + 100 * (n - 1);
    return { frontend: b + 33, frontendHttp: b + 43, frontendMembership: b + 34, history: b + 35, historyMembership: b + 36,
      matching: b + 37, matchingMembership: b + 38, worker: b + 39, workerMembership: b + 40, metrics: b + 41 };
  };
  return { postgres: 55433, ferretdb: 27018, frontend: base.frontend, nodes: [node(1), node(2)], ui: base.ui, apis: base.apis,
    apiMetrics: [9475, 9477], workerMetrics: [9474, 9476] };
}

/** Free ports for a whole cluster (tests, bench); membership ports stay below 32768. */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const used = new Set<number>();
  const one = async (): Promise<number> => {
    for (;;) {
      const p = await freePort();
      if (!used.has(p)) {
        used.add(p);
        return p;
      }
    }
  };
  // cluster_membership.rpc_port is a smallint: membership ports must be below 32768, unlike the kernel's ephemeral ones.
  let low = 20_000 + Math.floor(Math.random() * 10_000);
  const member = async (): Promise<number> => {
    for (;;) {
      const p = low++;
      if (!used.has(p) && !(await portInUse(p))) {
        used.add(p);
        return p;
      }
    }
  };
  const node = async () => ({
    frontend: await one(),
    frontendHttp: await one(),
    frontendMembership: await member(),
    history: await one(),
    historyMembership: await member(),
    matching: await one(),
    matchingMembership: await member(),
    worker: await one(),
    workerMembership: await member(),
    metrics: await one(),
  });
  return {
    postgres: await one(),
    ferretdb: await one(),
    frontend: await one(),
    nodes: [await node(), await node()],
    ui: await one(),
    apis: [await one(), await one()],
    apiMetrics: [await one(), await one()],
    workerMetrics: [await one(), await one()],
  };
}

export function missingClusterTools(): string[] {
  return (['temporalServer', 'temporalSqlTool', 'temporalSchema', 'ferretdb', 'temporal'] as const).filter((k) => !existsSync(TOOLS[k]));
}

/** Polls /readyz until it answers 200 (Temporal and the database reachable from that replica). */
export async function waitReady(port: number, timeoutMs: number, abort: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    if (abort()) throw new StartError('API', 'start was aborted', 'see the lines above');
    if (Date.now() > until) throw new StartError('API', `replica on port ${port} is not ready after ${timeoutMs / 1000} s`, 'read its [api-n] lines');
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface RunningCluster {
  temporalAddress: string;
  mongoUri: string;
  apiUrls: [string, string];
  balancer: Balancer;
}

export async function startCluster(opts: ClusterOptions): Promise<RunningCluster> {
  const { supervisor, ports } = opts;
  const abort = opts.abort ?? (() => supervisor.stopping);
  const missing = missingClusterTools();
  if (missing.length) throw new StartError('cluster', `not installed: ${missing.join(', ')}`, 'run bash scripts/install.sh --cluster');
  mkdirSync(opts.dataDir, { recursive: true });
  // The workflows bundled once, while the servers start: every worker (and every restart of one after a crash) loads
  // this file instead of bundling again. Rebuilt at each cluster start, so it is the code the cluster was started with.
  const bundled = buildWorkflowBundle(opts.dataDir);
  await assertPortsFree([
    { part: 'Temporal frontend (balanced)', port: ports.frontend, env: 'CLUSTER_TEMPORAL_PORT' },
    ...ports.nodes.flatMap((n, i) =>
      Object.entries(n).map(([k, port]) => ({ part: `Temporal node ${i + 1} ${k}`, port, env: 'CLUSTER_NODE_PORT_BASE' })),
    ),
    { part: 'FerretDB', port: ports.ferretdb, env: 'CLUSTER_FERRETDB_PORT' },
    ...(opts.ui === false ? [] : [{ part: 'Temporal UI', port: ports.ui, env: 'CLUSTER_UI_PORT' }]),
    ...ports.apis.map((port, i) => ({ part: `API replica ${i + 1}`, port, env: 'CLUSTER_API_PORTS' })),
  ]);

  const pg = await startPostgres({
    supervisor, dataDir: path.join(opts.dataDir, 'postgres'), port: ports.postgres, portEnv: 'CLUSTER_POSTGRES_PORT',
    databases: ['ferretdb'], ephemeral: opts.ephemeral,
  });
  await setupTemporalSchema(pg);
  ports.nodes.forEach((n, i) => startNode(supervisor, opts.dataDir, i + 1, nodeEnv(n, pg, HISTORY_SHARDS)));
  const ferret = startFerretDb({ supervisor, port: ports.ferretdb, postgresqlUrl: pg.url('ferretdb') });
  await Promise.all(ports.nodes.map((n, i) => waitForPort(`Temporal node ${i + 1}`, n.frontend, 120_000, abort)));
  const balancer = await startBalancer(ports.frontend, ports.nodes.map((n) => n.frontend));
  supervisor.onStop(() => balancer.close());
  const temporalAddress = `127.0.0.1:${ports.frontend}`;
  await ensureNamespace(temporalAddress, NAMESPACE, abort);
  const mongo = await ferret;

  if (opts.ui !== false) {
    supervisor.start({ name: 'temporal-ui', cmd: TOOLS.temporalUi, args: ['--address', temporalAddress, '--port', String(ports.ui), '--namespace', NAMESPACE], tier: 1, restart: true });
  }
  const mongoUri = mongo.uri('service_cases');
  await ensureGinIndexes((q) => runSql(pg, 'ferretdb', q), mongoUri);
  const appEnv = { ...process.env, ...opts.appEnv, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: NAMESPACE, MONGODB_URI: mongoUri, AUTH_JWT_SECRET: opts.jwtSecret };
  const bundlePath = await bundled.ready;
  CLUSTER_PARTS.workers.forEach((name, i) =>
    supervisor.start({
      name, cmd: nodeTs('worker/main.ts')[0], args: nodeTs('worker/main.ts')[1], tier: 0, restart: true,
      env: { ...appEnv, SERVICE_NAME: name, METRICS_PORT: String(ports.workerMetrics[i]), WORKFLOW_BUNDLE: bundlePath },
    }),
  );
  CLUSTER_PARTS.apis.forEach((name, i) =>
    supervisor.start({
      name, cmd: nodeTs('api/main.ts')[0], args: nodeTs('api/main.ts')[1], tier: 0, restart: true,
      env: { ...appEnv, SERVICE_NAME: name, PORT: String(ports.apis[i]), API_METRICS_PORT: String(ports.apiMetrics[i]) },
    }),
  );
  await Promise.all(ports.apis.map((p) => waitReady(p, 180_000, abort)));
  return { temporalAddress, mongoUri, apiUrls: ports.apis.map((p) => `http://127.0.0.1:${p}`) as [string, string], balancer };
}
