// Runs `npm start`'s own stack (scripts/dev-stack.ts) on free ports and a throwaway data folder, for the bench and the hostile suite.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { freeClusterPorts, startCluster } from './cluster';
import { createSupervisor, freePort } from './supervisor';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface BenchStack {
  api: string;
  temporalAddress: string;
  mongoUri: string;
  secret: string;
  workerPid: () => number | undefined;
  stop: () => Promise<void>;
}

/** The worker of the stack (the node process running worker/main.ts with the most memory, not its tsx launcher). */
function findWorker(stackPid: number): number | undefined {
  const parentOf = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1];
    } catch {
      return undefined;
    }
  };
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const family = new Set([String(stackPid)]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const pid of all) if (!family.has(pid) && family.has(parentOf(pid) ?? '')) grew = family.add(pid).size > 0;
  }
  const workers = [...family].filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker/main.ts');
    } catch {
      return false;
    }
  });
  return workers.map(Number).sort((a, b) => (rssMB(b) ?? 0) - (rssMB(a) ?? 0))[0];
}

export function rssMB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : undefined;
}

export async function startStack(policyFile: string, extraEnv: Record<string, string> = {}): Promise<BenchStack> {
  const data = mkdtempSync(path.join(os.tmpdir(), 'stack-data-'));
  chmodSync(data, 0o711); // the postgres OS user walks through it to its data folder
  const [port, temporalPort, uiPort, ferretPort, metricsPort, apiMetricsPort, pgPort] = await Promise.all(Array.from({ length: 7 }, freePort));
  const secret = 'bench-secret-that-is-at-least-32-characters';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: data,
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    FERRETDB_PORT: String(ferretPort),
    POSTGRES_PORT: String(pgPort),
    METRICS_PORT: String(metricsPort),
    API_METRICS_PORT: String(apiMetricsPort),
    POLICY_FILE: policyFile,
    AUTH_JWT_SECRET: secret,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  delete env.TEMPORAL_ADDRESS;
  delete env.MONGODB_URI;
  const proc: ChildProcess = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/dev-stack.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (b: Buffer) => (log = (log + b.toString()).slice(-20_000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack did not come up in 5 min:\n${log}`)), 300_000);
    const check = () => {
      if (!log.includes('Everything is up')) return;
      clearTimeout(timer);
      resolve();
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited (${code}):\n${log}`));
    });
  });
  const api = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`${api}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  let worker: number | undefined;
  return {
    api,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    mongoUri: `mongodb://127.0.0.1:${ferretPort}/service_cases`,
    secret,
    workerPid: () => (worker ??= findWorker(proc.pid!)),
    stop: async () => {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGINT');
      await exited;
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** `npm run cluster`'s topology (Temporal server on PostgreSQL, two workers, two API replicas) on free ports, for the bench. */
export async function startClusterStack(policyFile: string, extraEnv: Record<string, string> = {}): Promise<BenchStack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cluster-stack-'));
  chmodSync(dir, 0o711); // the postgres OS user walks through it to its data folder
  const secret = 'bench-secret-that-is-at-least-32-characters';
  const fatal: string[] = [];
  const supervisor = createSupervisor({ cwd: ROOT, logTo: { dir }, onFatal: (m) => fatal.push(m) });
  const stop = async () => {
    await supervisor.stopAll();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const cluster = await startCluster({
      dataDir: path.join(dir, 'data'),
      ports: await freeClusterPorts(),
      supervisor,
      jwtSecret: secret,
      appEnv: { POLICY_FILE: policyFile, LOG_LEVEL: 'warn', ...extraEnv },
      ui: false,
      ephemeral: true,
    });
    return {
      api: cluster.apiUrls[0],
      temporalAddress: cluster.temporalAddress,
      mongoUri: cluster.mongoUri,
      secret,
      workerPid: () => supervisor.pid('worker-1'),
      stop,
    };
  } catch (err) {
    await supervisor.stopAll();
    throw new Error(`cluster did not come up (${fatal.join('; ') || (err as Error).message}); its logs are kept in ${dir}`);
  }
}
