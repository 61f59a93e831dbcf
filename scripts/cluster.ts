// `npm run cluster`: the production topology on one machine (see README "Running at scale"); Ctrl-C stops all of it.
import path from 'node:path';
import { devSecret, envPort, foreground } from './lib/app-env';
import { defaultPorts, startCluster } from './lib/cluster';
import { createSupervisor, StartError } from './lib/supervisor';
import { DATA, ROOT } from './lib/tools';

const fg = foreground('cluster', () => supervisor.stopAll());
const supervisor = createSupervisor({ cwd: ROOT, logTo: 'console', onFatal: (m) => fg.fatal(m) });

async function main(): Promise<void> {
  const apis = (process.env.CLUSTER_API_PORTS || '3001,3002').split(',').map(Number) as [number, number];
  if (apis.length !== 2 || apis.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw new StartError('config', `CLUSTER_API_PORTS=${process.env.CLUSTER_API_PORTS} is not two ports`, 'set it like 3001,3002');
  }
  const ports = defaultPorts({ frontend: envPort('CLUSTER_TEMPORAL_PORT', 7233), ui: envPort('CLUSTER_UI_PORT', 8080), apis, nodeBase: envPort('CLUSTER_NODE_PORT_BASE', 7300) });
  ports.postgres = envPort('CLUSTER_POSTGRES_PORT', ports.postgres);
  ports.ferretdb = envPort('CLUSTER_FERRETDB_PORT', ports.ferretdb);
  ports.workerMetrics = [envPort('CLUSTER_WORKER_METRICS_PORT', 9474), envPort('CLUSTER_WORKER_METRICS_PORT', 9474) + 2];
  ports.apiMetrics = [ports.workerMetrics[0] + 1, ports.workerMetrics[1] + 1];
  const dataDir = path.join(DATA, 'cluster');
  const c = await startCluster({ dataDir, ports, supervisor, jwtSecret: devSecret(), abort: () => fg.aborted });
  const lines = [
    `PostgreSQL 15        127.0.0.1:${ports.postgres}   databases temporal, temporal_visibility, ferretdb (.data/cluster/postgres)`,
    `Temporal server      node 1 127.0.0.1:${ports.nodes[0].frontend}, node 2 127.0.0.1:${ports.nodes[1].frontend}; clients use ${c.temporalAddress}`,
    `Temporal Web UI      http://127.0.0.1:${ports.ui}`,
    `FerretDB (MongoDB)   ${c.mongoUri}`,
    `Workers              2 on task queue ${process.env.TEMPORAL_TASK_QUEUE ?? 'service-cases'}`,
    `API replicas         ${c.apiUrls.map((u) => `${u}/v1`).join('  ')}`,
    `Dev token            npm run token -- assistant supervisor   (signed with .data/dev-jwt-secret)`,
  ];
  console.log(['', 'The cluster is up (Ctrl-C stops all, data stays in .data/cluster):', ...lines.map((l) => '  ' + l), ''].join('\n'));
}

fg.run(main);
