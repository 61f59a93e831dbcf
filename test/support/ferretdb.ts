// Starts a real FerretDB (SQLite backend) on a free loopback port and waits until it answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TOOLS } from './tools';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface RunningFerret {
  uri: (db: string) => string;
  port: number;
  stop: () => Promise<void>;
}

export async function startFerretDb(): Promise<RunningFerret> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferretdb-test-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    TOOLS.ferretdb,
    ['--listen-addr', `127.0.0.1:${port}`, '--sqlite-url', `file:${dir}/`, '--log-level', 'error'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(port);
  return {
    port,
    uri: (db) => `mongodb://127.0.0.1:${port}/${db}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
