// Runs the whole system on one machine: Temporal dev server (Web UI), FerretDB, the worker and the API; Ctrl-C stops all.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SA } from '../workflows/search-attributes';

const ROOT = path.resolve(__dirname, '..');
const DATA = process.env.DATA_DIR || path.join(ROOT, '.data');
const TOOLS = path.join(ROOT, '.tools');

const num = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`start: ${name}=${v} is not a port number`);
    process.exit(78);
  }
  return n;
};
const API_PORT = num('PORT', 3000);
const TEMPORAL_PORT = num('TEMPORAL_PORT', 7233);
const TEMPORAL_UI_PORT = num('TEMPORAL_UI_PORT', 8233);
const FERRETDB_PORT = num('FERRETDB_PORT', 27017);

const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function waitForPort(name: string, port: number, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await portInUse(port))) {
    if (stopping) return;
    if (Date.now() > until) throw new Error(`${name} did not open port ${port} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function run(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const proc = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  for (const stream of [proc.stdout, proc.stderr]) {
    let buf = '';
    stream?.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) process.stdout.write(prefix + line + '\n');
    });
  }
  proc.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`start: ${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  children.push({ name, proc });
  return proc;
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Apps first so in-flight work drains before its servers go away.
  for (const group of [['api', 'worker'], ['temporal', 'ferretdb']]) {
    await Promise.all(
      children
        .filter((c) => group.includes(c.name) && c.proc.exitCode === null && c.proc.signalCode === null)
        .map(
          (c) =>
            new Promise<void>((resolve) => {
              const kill = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
              c.proc.once('exit', () => (clearTimeout(kill), resolve()));
              c.proc.kill('SIGTERM');
            }),
        ),
    );
  }
  console.log('start: everything stopped; data kept in .data/');
  process.exit(code);
}

function devSecret(): string {
  if (process.env.AUTH_JWT_SECRET) return process.env.AUTH_JWT_SECRET;
  const file = path.join(DATA, 'dev-jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  mkdirSync(path.join(DATA, 'ferretdb'), { recursive: true });

  const temporalAddress = process.env.TEMPORAL_ADDRESS || `127.0.0.1:${TEMPORAL_PORT}`;
  const mongoUri = process.env.MONGODB_URI || `mongodb://127.0.0.1:${FERRETDB_PORT}/service_cases`;
  const lines: string[] = [];

  if (!process.env.TEMPORAL_ADDRESS) {
    if (await portInUse(TEMPORAL_PORT)) throw new Error(`port ${TEMPORAL_PORT} is taken; set TEMPORAL_PORT or TEMPORAL_ADDRESS`);
    const cliType = { KEYWORD: 'Keyword', INT: 'Int', DATETIME: 'Datetime', BOOL: 'Bool' } as const;
    const attrs = Object.values(SA).flatMap((k) => ['--search-attribute', `${k.name}=${cliType[k.type]}`]);
    run('temporal', path.join(TOOLS, 'venv/bin/temporal'), [
      'server', 'start-dev',
      '--ip', '127.0.0.1',
      '--port', String(TEMPORAL_PORT),
      '--ui-port', String(TEMPORAL_UI_PORT),
      '--db-filename', path.join(DATA, 'temporal.db'),
      '--log-level', 'warn',
      ...attrs,
    ]);
    lines.push(`Temporal dev server  ${temporalAddress}   (SQLite .data/temporal.db)`, `Temporal Web UI      http://127.0.0.1:${TEMPORAL_UI_PORT}`);
  } else {
    lines.push(`Temporal             ${temporalAddress}   (external, from TEMPORAL_ADDRESS)`);
  }

  if (!process.env.MONGODB_URI) {
    if (await portInUse(FERRETDB_PORT)) throw new Error(`port ${FERRETDB_PORT} is taken; set FERRETDB_PORT or MONGODB_URI`);
    run('ferretdb', path.join(TOOLS, 'bin/ferretdb'), [
      '--listen-addr', `127.0.0.1:${FERRETDB_PORT}`,
      '--sqlite-url', `file:${path.join(DATA, 'ferretdb')}/`,
      '--log-level', 'error',
    ]);
    lines.push(`FerretDB (MongoDB)   ${mongoUri}   (SQLite .data/ferretdb/)`);
  } else {
    lines.push(`MongoDB              (external, from MONGODB_URI)`);
  }

  await Promise.all([
    process.env.TEMPORAL_ADDRESS ? undefined : waitForPort('Temporal', TEMPORAL_PORT),
    process.env.MONGODB_URI ? undefined : waitForPort('FerretDB', FERRETDB_PORT),
  ]);
  if (stopping) return;

  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress,
    MONGODB_URI: mongoUri,
    AUTH_JWT_SECRET: devSecret(),
    PORT: String(API_PORT),
  };
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  run('worker', tsx, ['worker/main.ts'], { ...appEnv, SERVICE_NAME: 'worker' });
  run('api', tsx, ['api/main.ts'], { ...appEnv, SERVICE_NAME: 'api' });
  await waitForPort('API', API_PORT, 120_000);
  if (stopping) return;

  lines.push(
    `Worker               task queue ${process.env.TEMPORAL_TASK_QUEUE ?? 'service-cases'}`,
    `API                  http://127.0.0.1:${API_PORT}/v1   (docs http://127.0.0.1:${API_PORT}/docs)`,
    `Dev token            npm run token -- assistant supervisor   (signed with .data/dev-jwt-secret)`,
  );
  console.log(['', 'Everything is up (Ctrl-C stops all, data stays in .data/):', ...lines.map((l) => '  ' + l), ''].join('\n'));
}

main().catch((err: Error) => {
  console.error(`start: ${err.message}`);
  void shutdown(1);
});
