// Deadline storms and a steady flow of escalations, the bare engine beside the callback schedule's real escalation.
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { Models } from '../db/models';
import { BARE_COLLECTION } from './bare.activities';
import { percentile } from './load';

export interface Lateness {
  cases: number;
  recorded: number;
  drainSeconds: number;
  latenessMs: { p50: number; p99: number; max: number };
}

export const CONTRACTS_ROUTE = '/v1/contracts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function summarize(cases: number, lateMs: number[]): Lateness {
  const sorted = [...lateMs].sort((a, b) => a - b);
  return {
    cases,
    recorded: sorted.length,
    drainSeconds: Math.round((sorted.at(-1) ?? 0) / 100) / 10,
    latenessMs: { p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)), max: Math.round(sorted.at(-1) ?? NaN) },
  };
}

/** Waits until `count()` reaches `expected` or stops moving for `idleMs`; prints progress. */
async function waitFor(label: string, expected: number, count: () => Promise<number>, idleMs = 120_000): Promise<void> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const n = await count();
    if (n >= expected) return;
    if (n !== last) [last, since] = [n, Date.now()];
    if (Date.now() - since > idleMs) return console.log(`  ${label}: stalled at ${n}/${expected}`);
    process.stdout.write(`  ${label}: ${n}/${expected}\r`);
    await sleep(1000);
  }
}

async function startAll(n: number, concurrency: number, start: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await start(next++);
    }),
  );
}

/** N bare workflows whose one timer falls on the same instant, then one insert each. */
export async function bareStorm(client: Client, db: Connection, taskQueue: string, n: number, leadMs: number): Promise<Lateness> {
  const run = `storm-${Date.now()}`;
  const dueAt = Date.now() + leadMs;
  await startAll(n, 16, (i) => client.workflow.start('BareTimerThenActivity', { taskQueue, workflowId: `${run}-${i}`, args: [`${run}-${i}`, dueAt] }));
  if (Date.now() > dueAt) console.log('  bare storm: starts took longer than the lead time; lateness includes it');
  const stamps = db.collection<{ _id: string; recordedAt: Date }>(BARE_COLLECTION);
  const filter = { _id: { $regex: `^${run}-` } };
  await sleep(Math.max(0, dueAt - Date.now()));
  await waitFor('bare storm', n, () => stamps.countDocuments(filter));
  const docs = await stamps.find(filter).toArray();
  return summarize(
    n,
    docs.map((d) => (d.recordedAt as Date).getTime() - dueAt),
  );
}

export interface ContractPlan {
  /** Offsets of the bench policy: first call after signing, reminder and overdue after it falls due. */
  afterSigningMs: number;
  overdueAfterMs: number;
}

async function register(api: string, token: string, contractNo: string, signedAt: number): Promise<boolean> {
  const res = await fetch(`${api}${CONTRACTS_ROUTE}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-${contractNo}` },
    body: JSON.stringify({
      contractNo,
      branch: 'bench',
      customer: { name: 'Bench Customer', phone: '13900000000' },
      contractSignedAt: new Date(signedAt).toISOString(),
      plannedCompletionAt: new Date(signedAt + 365 * 86_400_000).toISOString(),
    }),
  }).catch(() => undefined);
  return res?.status === 201 || res?.status === 200;
}

const overdueOf = (prefix: string) => ({ contractNo: { $regex: `^${prefix}` }, type: 'callback_overdue' });

async function overdueLateness(models: Models, prefix: string, plan: ContractPlan, signedAtOf: (contractNo: string) => number): Promise<number[]> {
  const docs = await models.ContractEvent.find(overdueOf(prefix)).lean();
  return docs.map((d) => {
    const recorded = (d.recordedAt ?? d.at).getTime();
    return recorded - (signedAtOf(d.contractNo) + plan.afterSigningMs + plan.overdueAfterMs);
  });
}

/** N contracts signed at one instant: every first call falls due, and escalates overdue, in the same second. */
export async function contractStorm(
  api: string,
  token: string,
  models: Models,
  n: number,
  plan: ContractPlan,
): Promise<Lateness & { registrationFailures: number }> {
  const prefix = `ST${Date.now().toString(36)}`.toUpperCase();
  const signedAt = Date.now();
  let failures = 0;
  await startAll(n, 16, async (i) => (await register(api, token, `${prefix}-${i}`, signedAt)) || failures++);
  const dueAt = signedAt + plan.afterSigningMs + plan.overdueAfterMs;
  if (Date.now() > signedAt + plan.afterSigningMs) console.log('  contract storm: registration outlasted the first deadline; lateness includes it');
  await sleep(Math.max(0, dueAt - Date.now()));
  await waitFor('contract storm', n - failures, () => models.ContractEvent.countDocuments(overdueOf(prefix)));
  return { ...summarize(n, await overdueLateness(models, prefix, plan, () => signedAt)), registrationFailures: failures };
}

/** Contracts registered at `perSecond`, each signed as it registers: escalations arrive at the same steady rate. */
export async function steadyEscalations(api: string, token: string, models: Models, perSecond: number, seconds: number, plan: ContractPlan): Promise<Lateness> {
  const prefix = `SD${Date.now().toString(36)}`.toUpperCase();
  const signed = new Map<string, number>();
  const t0 = Date.now();
  const n = perSecond * seconds;
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    await sleep(Math.max(0, t0 + (i * 1000) / perSecond - Date.now()));
    const contractNo = `${prefix}-${i}`;
    signed.set(contractNo, Date.now());
    pending.push(register(api, token, contractNo, signed.get(contractNo)!));
  }
  await Promise.all(pending);
  await sleep(Math.max(0, t0 + seconds * 1000 + plan.afterSigningMs + plan.overdueAfterMs - Date.now()));
  await waitFor('steady', n, () => models.ContractEvent.countDocuments(overdueOf(prefix)));
  return summarize(n, await overdueLateness(models, prefix, plan, (c) => signed.get(c)!));
}
