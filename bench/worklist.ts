// `npm run bench:worklist`: 10k open worklist items seeded in MongoDB, GET /v1/worklist p50/p99 on the npm start stack.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import mongoose from 'mongoose';
import { SignJWT } from 'jose';
import { loadPolicy } from '../config/policy';
import { createModels, DATABASE_POOL_SIZE } from '../db/models';
import { registerBuckets } from '../db/worklist-keys';
import { itemKeys, registryRecords, WORKLIST_KEYS_VERSION, type Bucket } from '../domain/worklist-buckets';
import type { Role } from '../domain/roles';
import { startStack } from '../scripts/lib/throwaway-stack';

const ITEMS = Number(process.env.WORKLIST_ITEMS ?? 10_000);
const REQUESTS = Number(process.env.WORKLIST_REQUESTS ?? 300);
const BRANCHES = 10;
const BURST = process.env.WORKLIST_BURST === '1';
const DAY = 86_400_000;
const POLICY_FILE = path.join(__dirname, '../config/policy.default.json');
const TIME_ZONE = loadPolicy(POLICY_FILE).calendar.timeZone;
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** A day's mix: mostly calls, then complaint steps of assistants, the branch and supervisors; a third assigned. */
function seedItem(i: number, now: number) {
  const branch = `b${i % BRANCHES}`;
  const r = i % 10;
  const [kind, roles]: [string, Role[]] =
    r < 6 ? ['callback', ['assistant']] : r < 8 ? ['follow_up', ['assistant']] : r < 9 ? ['branch_feedback', ['branch']] : ['triage', ['supervisor']];
  // Spread over 22 days, 20 overdue to 2 ahead; WORKLIST_BURST=1 keeps the earlier seed, whose 10k items fell within one day.
  const dueAt = new Date(now - 20 * DAY + (BURST ? (i * 7919) % (22 * DAY) : ((i * 7919) % 22_000) * (DAY / 1000)));
  const item = {
    _id: `bench:${i}`,
    kind,
    caseType: kind === 'callback' ? 'contract' : 'complaint',
    caseId: `K-${i}`,
    caseKey: `bench:K-${i}`,
    branch,
    roles,
    assignee: i % 3 === 0 ? `asst-${i % 20}` : undefined,
    assignedAt: i % 3 === 0 ? new Date(now) : undefined,
    dueAt,
    visibleFrom: dueAt,
    customer: { name: `Customer ${i}`, phone: `1380000${String(i).padStart(4, '0')}` },
    action: `POST /v1/bench/${i}`,
    open: i % 25 !== 0,
    seq: 1,
    createdAt: new Date(now),
  };
  // Keyed into its due buckets as the activities key what they write (domain/worklist-buckets.ts).
  const { keys, buckets } = itemKeys(item, TIME_ZONE);
  return { item: { ...item, wl: keys, wlv: WORKLIST_KEYS_VERSION }, buckets };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function measure(api: string, token: string, query: string, n: number): Promise<{ p50: number; p99: number; items: number; n: number }> {
  const times: number[] = [];
  let items = 0;
  const warm = Math.min(20, n);
  for (let i = 0; i < n + warm; i++) {
    const started = performance.now();
    const res = await fetch(`${api}/v1/worklist${query}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items: unknown[] };
    if (res.status !== 200) throw new Error(`GET /v1/worklist${query} answered ${res.status}: ${JSON.stringify(body)}`);
    if (i >= warm) times.push(performance.now() - started);
    items = body.items.length;
  }
  times.sort((a, b) => a - b);
  return { p50: Math.round(pct(times, 50) * 10) / 10, p99: Math.round(pct(times, 99) * 10) / 10, items, n };
}

/** Pages one whole worklist by its cursor: every item once, none twice. */
async function pageThrough(api: string, token: string): Promise<{ pages: number; items: number; unique: number }> {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await fetch(`${api}/v1/worklist?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
    seen.push(...body.items.map((i) => i.id));
    cursor = body.nextCursor;
    pages++;
  } while (cursor);
  return { pages, items: seen.length, unique: new Set(seen).size };
}

function writeSection(section: string): void {
  const file = path.join(__dirname, 'RESULTS.md');
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const start = old.indexOf('\n## Worklist');
  const rest = start < 0 ? '' : old.slice(start + 1);
  const next = rest.indexOf('\n## ', 1);
  const before = start < 0 ? old.trimEnd() : old.slice(0, start).trimEnd();
  const after = start < 0 || next < 0 ? '' : rest.slice(next);
  writeFileSync(file, `${before}\n\n${section.trimEnd()}\n${after}`);
}

async function main(): Promise<void> {
  log('starting the stack of npm start (dev server, PostgreSQL + FerretDB, worker, API)');
  const stack = await startStack(POLICY_FILE);
  // Stopped early, the stack still goes down (its servers would outlive the bench otherwise).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  try {
    const db = await mongoose.createConnection(stack.mongoUri, { maxPoolSize: DATABASE_POOL_SIZE }).asPromise();
    const models = createModels(db);
    const { WorkItem, WorklistBucket } = models;
    await WorkItem.init();
    const now = Date.now();
    log(`seeding ${ITEMS} worklist items`);
    const buckets = new Map<string, Bucket>();
    for (let i = 0; i < ITEMS; i += 1000) {
      const seeds = Array.from({ length: Math.min(1000, ITEMS - i) }, (_, k) => seedItem(i + k, now));
      await WorkItem.insertMany(
        seeds.map((s) => s.item),
        { ordered: false },
      );
      for (const b of seeds.flatMap((s) => s.buckets)) buckets.set(registryRecords(b)[0]!._id, b);
    }
    await WorklistBucket.init();
    await registerBuckets(models, [...buckets.values()]);
    log(`registered ${buckets.size} due buckets`);
    const open = await WorkItem.countDocuments({ open: true });
    const sign = (roles: Role[], sub: string, branch?: string) =>
      new SignJWT({ name: 'Bench Staff', roles, ...(branch ? { branch } : {}) })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(stack.secret));
    const assistant = await sign(['assistant'], 'asst-3', 'b3');
    const supervisor = await sign(['supervisor', 'assistant'], 'sup-1');
    const rows: [string, Awaited<ReturnType<typeof measure>>][] = [];
    for (const [label, token, query, n] of [
      ['assistant of one branch, default page (20)', assistant, '', REQUESTS],
      ['assistant of one branch, assignee=me, overdue=true', assistant, '?assignee=me&overdue=true', REQUESTS],
      ['assistant of one branch, kind=callback', assistant, '?kind=callback', REQUESTS],
      ['supervisor+assistant of every branch, assignee=all, limit=100', supervisor, '?assignee=all&limit=100', REQUESTS],
    ] as const) {
      log(`measuring ${label}`);
      rows.push([label, await measure(stack.api, token, query, n)]);
      log(`${label}: ${JSON.stringify(rows[rows.length - 1]![1])}`);
    }
    const paged = await pageThrough(stack.api, assistant);
    // Where the time goes: the HTTP path alone (a branch outside the token reads nothing) and single queries on FerretDB.
    const floor = await measure(stack.api, assistant, '?branch=zz-none', REQUESTS);
    const oneQuery = async (run: () => PromiseLike<unknown>) => {
      const t: number[] = [];
      for (let i = 0; i < 50; i++) {
        const started = performance.now();
        await run();
        t.push(performance.now() - started);
      }
      t.sort((a, b) => a - b);
      return `p50 ${Math.round(pct(t, 50) * 10) / 10} ms, p99 ${Math.round(pct(t, 99) * 10) / 10} ms`;
    };
    const poolDay = (await WorklistBucket.find({ prefix: 'assistant|b3|-' }).lean()).sort((a, b) => a.from.getTime() - b.from.getTime())[0];
    const bucketQuery = await oneQuery(() => WorkItem.find({ wl: `assistant|b3|-|${poolDay?.day}`, open: true }).lean());
    const registryQuery = await oneQuery(() => WorklistBucket.find({ prefix: 'assistant|b3|-' }).lean());
    const bucketSize = await WorkItem.countDocuments({ wl: `assistant|b3|-|${poolDay?.day}`, open: true });
    const allDay = (await WorklistBucket.find({ prefix: 'assistant|*|*' }).lean()).sort((a, b) => a.from.getTime() - b.from.getTime())[1];
    // Every-branch prefixes are keyed by hour: one hour of that day, as the reader asks it.
    const allHour = (await WorklistBucket.find({ prefix: `assistant|*|*|${allDay?.day}` }).lean()).sort((a, b) => a.from.getTime() - b.from.getTime())[0];
    const allKey = `assistant|*|*|${allDay?.day}|${String(allHour?.hour ?? 0).padStart(2, '0')}`;
    const allQuery = await oneQuery(() => WorkItem.find({ wl: allKey, open: true }).lean());
    const allSize = await WorkItem.countDocuments({ wl: allKey, open: true });
    await db.close();
    const cpu = os.cpus()[0]?.model ?? 'unknown';
    const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    const section = [
      '## Worklist',
      '',
      `Command: \`npm run bench:worklist\` (${ITEMS} items seeded directly in MongoDB, ${open} open, 10 branches, due ${BURST ? 'within one day (WORKLIST_BURST=1)' : 'over 22 days'}; sequential requests after up to 20 warm-up).`,
      `Run ${new Date().toISOString()} at commit \`${commit}\`, ${os.cpus().length} cores (${cpu}), the npm start stack (API process over FerretDB on PostgreSQL) on the same machine.`,
      '',
      '| request | requests | items answered | p50 ms | p99 ms | target |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map(([label, r]) => `| ${label} | ${r.n} | ${r.items} | ${r.p50} | ${r.p99} | p99 < 100 ms: ${r.p99 < 100 ? 'met' : '**not met**'} |`),
      '',
      `Paging one assistant's whole worklist by cursor (limit 100): ${paged.pages} pages, ${paged.items} items, ${paged.unique} distinct.`,
      '',
      `Floor, the same requests' HTTP path with no database read (assistant asking a branch outside the token): p50 ${floor.p50} ms, p99 ${floor.p99} ms.`,
      `One bucket query straight to FerretDB (the oldest pool bucket of b3, ${bucketSize} items): ${bucketQuery}; one registry query: ${registryQuery}; ${buckets.size} buckets registered.`,
      `One every-branch bucket query, an hour (\`${allKey}\`, ${allSize} items): ${allQuery}.`,
    ].join('\n');
    writeSection(section);
    console.log(section);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
