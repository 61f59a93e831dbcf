// The whole cluster (scripts/lib/cluster.ts, the code `npm run cluster` runs) on free ports in a temp dir, plus helpers.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { connectDatabase, createModels, type Models } from '../../db/models';
import { freeClusterPorts, startCluster, type ClusterPorts, type RunningCluster } from '../../scripts/lib/cluster';
import { createSupervisor, type Supervisor } from '../../scripts/lib/supervisor';
import { ROOT } from '../../scripts/lib/tools';
import { TEST_SECRET, token } from '../support/http';
import type { Connection } from 'mongoose';

export interface ClusterWorld {
  cluster: RunningCluster;
  ports: ClusterPorts;
  supervisor: Supervisor;
  models: Models;
  logDir: string;
  fatal: string[];
  /** Every log line of every process (the lock-error check reads them). */
  logs: () => string;
}

export interface ClusterSetup {
  /** Extra environment for workers and APIs, read when the cluster starts (e.g. a webhook receiver's URL). */
  appEnv?: () => NodeJS.ProcessEnv;
}

export function useCluster(setup: ClusterSetup = {}): ClusterWorld {
  const world = { fatal: [] as string[] } as ClusterWorld;
  let conn: Connection | undefined;
  let dir = '';
  let keepLogs = false;
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') keepLogs = true;
  });
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cluster-test-'));
    chmodSync(dir, 0o711); // the postgres OS user walks through it to its data folder
    world.logDir = dir;
    world.ports = await freeClusterPorts();
    world.supervisor = createSupervisor({ cwd: ROOT, logTo: { dir }, onFatal: (m) => world.fatal.push(m) });
    world.logs = () =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.log'))
        .map((f) => readFileSync(path.join(dir, f), 'utf8'))
        .join('\n');
    try {
      world.cluster = await startCluster({
        dataDir: path.join(dir, 'data'),
        ports: world.ports,
        supervisor: world.supervisor,
        jwtSecret: TEST_SECRET,
        appEnv: { POLICY_FILE: path.join(ROOT, 'config/policy.demo-seconds.json'), LOG_LEVEL: 'warn', ...setup.appEnv?.() },
        ephemeral: true,
      });
    } catch (err) {
      keepLogs = true;
      await world.supervisor.stopAll();
      throw err;
    }
    conn = await connectDatabase(world.cluster.mongoUri);
    world.models = createModels(conn);
  }, 600_000);
  afterAll(async () => {
    await conn?.close();
    await world.supervisor?.stopAll();
    // A failed run keeps every process's log for reading; a passing one leaves nothing behind.
    if (keepLogs) console.error(`cluster logs kept in ${dir}`);
    else if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);
  return world;
}

export const tokens = {
  assistant: () => token(['assistant'], { sub: 'staff-a1', branch: 'north' }),
  supervisor: () => token(['supervisor'], { sub: 'staff-s1' }),
};

export async function call(base: string, method: string, url: string, opts: { token: string; body?: unknown; key?: string }) {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token}` };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.key) headers['idempotency-key'] = opts.key;
  const res = await fetch(base + url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export function complaintBody(n: number, patch: Record<string, unknown> = {}) {
  return {
    kind: 'customer',
    source: 'phone',
    branch: 'north',
    category: 'quality',
    complainant: { name: `Customer ${n}`, phone: `139${String(n).padStart(8, '0')}` },
    description: `Cracked tiles, case ${n}`,
    ...patch,
  };
}

/** What must hold for a case that walked the whole ladder: each escalation once, the case file without gaps or repeats. */
export async function ladderFile(models: Models, id: string) {
  const events = await models.CaseEvent.find({ complaintId: id }).sort({ seq: 1 }).lean();
  const seqs = events.map((e) => e.seq);
  const escalated = new Set(events.filter((e) => e.type === 'escalated').map((e) => e.seq));
  // Notification ids are `<case>:<event seq>:<role>`: each belongs to one case-file entry.
  const noticeSeqs = (await models.Notification.find({ caseId: id }, { _id: 1 }).lean()).map((n) => Number(String(n._id).split(':').slice(-2)[0]));
  return {
    escalations: events.filter((e) => e.type === 'escalated').map((e) => (e.data as { to: string }).to),
    contiguous: seqs.every((s, i) => s === seqs[0]! + i),
    /** Notifications of no case-file entry (a write that went astray). */
    orphanNotices: noticeSeqs.filter((s) => !seqs.includes(s)).length,
    /** Escalations whose recipients were told, and how many notifications they got in all. */
    escalationsNotified: [...escalated].filter((s) => noticeSeqs.includes(s)).length,
    escalationNotices: noticeSeqs.filter((s) => escalated.has(s)).length,
  };
}
