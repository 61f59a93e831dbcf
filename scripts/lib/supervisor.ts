// One process supervisor for npm start, npm run cluster and the cluster tests: spawn, prefix logs, restart or stop all.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import net from 'node:net';

/** A start-up failure worth exactly one line: the part that failed and what to do about it. */
export class StartError extends Error {
  constructor(
    readonly part: string,
    problem: string,
    readonly fix: string,
  ) {
    super(`${part}: ${problem}; fix: ${fix}`);
  }
}

export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Fails with one line naming the part whose port is taken and the variable that moves it. */
export async function assertPortsFree(ports: { part: string; port: number; env: string }[]): Promise<void> {
  for (const p of ports) {
    if (await portInUse(p.port)) {
      throw new StartError(p.part, `port ${p.port} is already in use`, `stop whatever listens on it, or set ${p.env} to a free port`);
    }
  }
}

export interface ProcSpec {
  name: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Stop order: lower stops first (apps 0, Temporal 1, FerretDB 2, PostgreSQL 3). */
  tier: number;
  /** Restart after an unexpected exit instead of stopping everything (cluster nodes, workers, replicas). */
  restart?: boolean;
  /** Signal that stops it cleanly (PostgreSQL: SIGINT is its fast shutdown). */
  stopSignal?: NodeJS.Signals;
}

interface Child {
  spec: ProcSpec;
  proc: ChildProcess;
  expectExit: boolean;
  startedAt: number;
  quickExits: number;
}

export interface SupervisorOptions {
  cwd: string;
  /** Where each process's output goes: the console with a [name] prefix, or one file per process. */
  logTo: 'console' | { dir: string };
  /** Called once when a process without `restart` dies on its own; the owner decides to stop. */
  onFatal: (message: string) => void;
}

export function createSupervisor(opts: SupervisorOptions) {
  const children = new Map<string, Child>();
  const logs = new Map<string, WriteStream>();
  let stopping = false;

  const tails = new Map<string, string[]>();
  const stopHooks: (() => Promise<void>)[] = [];
  const quickExits = new Map<string, number>();

  function sink(name: string): (line: string) => void {
    // The last lines of each process are kept so a failed start can quote its cause in one line.
    const tail = tails.get(name) ?? [];
    tails.set(name, tail);
    const keep = (line: string) => (tail.push(line), tail.length > 20 && tail.shift());
    if (opts.logTo === 'console') return (line) => (keep(line), process.stdout.write(`[${name}] ${line}\n`));
    const dir = opts.logTo.dir;
    if (!logs.has(name)) logs.set(name, createWriteStream(`${dir}/${name}.log`, { flags: 'a' }));
    const out = logs.get(name)!;
    return (line) => (keep(line), out.write(line + '\n'));
  }

  function start(spec: ProcSpec): ChildProcess {
    // A process group of its own: Ctrl-C reaches only the supervisor, which then stops apps before their servers.
    const proc = spawn(spec.cmd, spec.args, { cwd: spec.cwd ?? opts.cwd, env: spec.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const write = sink(spec.name);
    for (const stream of [proc.stdout, proc.stderr]) {
      let buf = '';
      stream?.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) write(line);
      });
    }
    const child: Child = { spec, proc, expectExit: false, startedAt: Date.now(), quickExits: quickExits.get(spec.name) ?? 0 };
    children.set(spec.name, child);
    proc.on('error', (err) => write(`cannot run ${spec.cmd}: ${err.message}`));
    proc.on('exit', (code, signal) => {
      if (stopping || child.expectExit || children.get(spec.name) !== child) return;
      // A process that keeps dying right after start is broken, not unlucky: report it instead of looping.
      const quick = Date.now() - child.startedAt < 15_000 ? child.quickExits + 1 : 0;
      quickExits.set(spec.name, quick);
      if (spec.restart && quick < 3) {
        write(`exited (${signal ?? code}); restarting in 1 s`);
        setTimeout(() => !stopping && children.get(spec.name) === child && start(spec), 1000);
      } else {
        const last = tails.get(spec.name)?.filter((l) => !/restarting in/.test(l)).pop()?.slice(0, 300);
        opts.onFatal(`${spec.name} exited (${signal ?? code})${quick >= 3 ? ' three times right after starting' : ''}${last ? `; its last line: ${last}` : ''}`);
      }
    });
    return proc;
  }

  function alive(c: Child | undefined): boolean {
    return !!c && c.proc.exitCode === null && c.proc.signalCode === null;
  }

  /** SIGKILL goes to the whole process group, so nothing a process started outlives it. */
  function killGroup(c: Child): void {
    try {
      process.kill(-c.proc.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  async function stopChild(c: Child, graceMs = 20_000): Promise<void> {
    c.expectExit = true;
    if (!alive(c)) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => killGroup(c), graceMs);
      c.proc.once('exit', () => (clearTimeout(kill), killGroup(c), resolve()));
      c.proc.kill(c.spec.stopSignal ?? 'SIGTERM');
    });
  }

  return {
    start,
    pid: (name: string) => children.get(name)?.proc.pid,
    lastLines: (name: string) => [...(tails.get(name) ?? [])],
    /** In-process parts (the frontend balancer) closed after every child has stopped. */
    onStop: (hook: () => Promise<void>) => void stopHooks.push(hook),
    isAlive: (name: string) => alive(children.get(name)),
    /** kill -9 as a crash would; the supervisor restarts it when its spec says so, unless `keepDown` (tests). */
    crash(name: string, keepDown = false): void {
      const c = children.get(name);
      if (!c) return;
      c.expectExit = keepDown;
      killGroup(c);
    },
    /** Starts a stopped or crashed process again with its original spec. */
    restart(name: string): void {
      const c = children.get(name);
      if (c && !alive(c)) start(c.spec);
    },
    async stop(name: string): Promise<void> {
      const c = children.get(name);
      if (c) await stopChild(c);
    },
    /** Stops tier by tier so apps drain before their servers go away; resolves when every child has exited. */
    async stopAll(): Promise<void> {
      stopping = true;
      const tiers = [...new Set([...children.values()].map((c) => c.spec.tier))].sort((a, b) => a - b);
      for (const tier of tiers) {
        await Promise.all([...children.values()].filter((c) => c.spec.tier === tier).map((c) => stopChild(c)));
      }
      for (const hook of stopHooks) await hook();
      await Promise.all([...logs.values()].map((s) => new Promise((r) => s.end(r))));
    },
    get stopping() {
      return stopping;
    },
  };
}

export type Supervisor = ReturnType<typeof createSupervisor>;

/** Waits until something accepts connections on the port; fails with the part's name (and stops early on `abort`). */
export async function waitForPort(part: string, port: number, timeoutMs: number, abort: () => boolean = () => false): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await portInUse(port))) {
    if (abort()) throw new StartError(part, 'start was aborted', 'see the lines above');
    if (Date.now() > until) throw new StartError(part, `did not open port ${port} within ${timeoutMs / 1000} s`, 'see its log lines above');
    await new Promise((r) => setTimeout(r, 200));
  }
}
