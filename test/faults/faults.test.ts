// `npm run test:faults`: the production topology (two Temporal nodes on PostgreSQL, FerretDB, two workers, two APIs)
// under kill -9, a database outage, Temporal restarts and a flaky webhook receiver; counts lost and duplicated work.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForPort } from '../../scripts/lib/supervisor';
import { TOOLS } from '../../scripts/lib/tools';
import { complaintBody, tokens, useCluster } from '../cluster/cluster-world';
import { audit, type Audit, figures, printFigures, type Receiver, startReceiver, Traffic, WEBHOOK_SECRET } from './fault-world';

let receiver: Receiver;
const ready = startReceiver().then((r) => (receiver = r));
beforeAll(() => ready.then(() => undefined));
// The receiver must be listening before the cluster starts: its URL goes into the workers' environment.
const w = useCluster({ appEnv: () => ({ WEBHOOK_URL: receiver.url, WEBHOOK_SECRET }) });
afterAll(async () => {
  printFigures();
  await receiver?.close();
});

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WORKERS = ['worker-1', 'worker-2'] as const;
let complainants = 0;

/** One request, counted; a refused connection counts as status 0 (never expected: the APIs stay up). */
async function send(t: Traffic, i: number, method: string, url: string, opts: { body?: unknown; key?: string; token: string }) {
  const base = w.cluster.apiUrls[i % 2]!;
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token}` };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.key) headers['idempotency-key'] = opts.key;
  try {
    const res = await fetch(base + url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    t.count(res.status, res.headers);
    return { status: res.status, retryAfter: Number(res.headers.get('retry-after') ?? 0), body: text ? JSON.parse(text) : undefined };
  } catch (err) {
    t.count(0);
    const why =
      (err as Error).name === 'TimeoutError' ? 'client timeout 60 s' : String((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name);
    t.noAnswer.set(why, (t.noAnswer.get(why) ?? 0) + 1);
    return { status: 0, retryAfter: 1, body: undefined };
  }
}

/** An intake as a well-behaved client sends it: the same key again (on either replica) after Retry-After until answered. */
async function intake(t: Traffic, key: string, n: number): Promise<string> {
  const token = await tokens.assistant();
  for (let attempt = 0; attempt < 120; attempt++) {
    const r = await send(t, n + attempt, 'POST', '/v1/complaints', { token, key, body: complaintBody(n) });
    if (r.status === 200 || r.status === 201) return r.body.id as string;
    // A 500 is counted (the scenario fails on it) and retried like a client would, so the rest of the run still counts.
    if (r.status >= 400 && r.status < 500 && r.status !== 409 && r.status !== 429) throw new Error(`intake ${key}: ${r.status} ${JSON.stringify(r.body)}`);
    await sleep(1000 * Math.max(1, r.retryAfter));
  }
  throw new Error(`intake ${key} never answered`);
}

/** Opens n cases, `concurrency` at a time, alternating replicas; each with a new complainant. */
async function openMany(t: Traffic, n: number, tag: string, concurrency = 8): Promise<{ ids: string[]; keys: string[] }> {
  const keys = Array.from({ length: n }, (_, i) => `${tag}-${i}-${randomUUID()}`);
  const ids: string[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) ids[i] = await intake(t, keys[i]!, ++complainants);
    }),
  );
  return { ids, keys };
}

/** Waits until every case reached legal and its notifications reached the receiver, then audits (also on timeout). */
async function settle(ids: string[], timeoutMs = 360_000): Promise<Audit> {
  const until = Date.now() + timeoutMs;
  let a = await audit(w.models, ids, receiver);
  while (Date.now() < until && (a.notAtLegal || a.undelivered || a.notReceived || a.missingEscalations)) {
    await sleep(3000);
    a = await audit(w.models, ids, receiver);
  }
  await sleep(3000); // anything late (a repeated post, an extra entry) shows up in the final count
  return audit(w.models, ids, receiver);
}

/** One complaint per Idempotency-Key: keys without a case are lost, a second case for a key is a duplicate. */
async function perKey(keys: string[]): Promise<{ lost: number; duplicated: number }> {
  const docs = await w.models.Complaint.find({ idempotencyKey: { $in: keys } }, { idempotencyKey: 1 }).lean();
  const seen = new Map<string, number>();
  for (const d of docs) seen.set(d.idempotencyKey!, (seen.get(d.idempotencyKey!) ?? 0) + 1);
  return { lost: keys.filter((k) => !seen.has(k)).length, duplicated: [...seen.values()].reduce((s, n) => s + n - 1, 0) };
}

function record(scenario: string, t: Traffic, faults: string, a: Audit, keys: { lost: number; duplicated: number }, note = ''): void {
  figures.push({
    scenario,
    requests: t.requests,
    faults,
    fiveXx: t.fiveXx,
    unavailable: t.unavailable,
    lost: a.lost + keys.lost,
    duplicated: a.duplicated + keys.duplicated,
    note: `${a.cases} cases; answers ${t.summary()}; ${a.repeatPosts} repeat webhook posts dropped by id${note ? `; ${note}` : ''}`,
  });
  console.log(scenario, JSON.stringify({ audit: a, keys, answers: t.summary(), noRetryAfter: t.noRetryAfter }));
}

function expectClean(t: Traffic, a: Audit, keys: { lost: number; duplicated: number }): void {
  expect(t.fiveXx, t.summary()).toBe(0);
  expect(t.noRetryAfter).toBe(0);
  expect({ lost: a.lost + keys.lost, duplicated: a.duplicated + keys.duplicated }, JSON.stringify(a)).toEqual({ lost: 0, duplicated: 0 });
}

async function restartWhenDead(name: string): Promise<void> {
  while (w.supervisor.isAlive(name)) await sleep(50);
  w.supervisor.restart(name);
}

describe('faults', () => {
  it('kill -9 a worker 20 times at random moments while 200 ladders escalate: nothing lost or duplicated', async () => {
    const t = new Traffic();
    let kills = 0;
    const opening = openMany(t, 200, 'kill');
    const killer = (async () => {
      await sleep(3000);
      for (let k = 0; k < 20; k++) {
        await sleep(1500 + Math.random() * 3500);
        const name = WORKERS[Math.floor(Math.random() * 2)]!;
        w.supervisor.crash(name, true);
        kills++;
        await sleep(500 + Math.random() * 2500);
        await restartWhenDead(name);
      }
    })();
    const [opened] = await Promise.all([opening, killer]);
    const { ids, keys } = opened;
    const a = await settle(ids);
    const k = await perKey(keys);
    record('kill -9 a worker ×20, 200 ladders', t, `${kills} × kill -9 (worker-1/2)`, a, k, `${receiver.posts} webhook posts`);
    expect(kills).toBe(20);
    expectClean(t, a, k);
  }, 900_000);

  it('the database (FerretDB) stops for 60 s while cases run and requests arrive: 503 + Retry-After, then nothing lost', async () => {
    const t = new Traffic();
    const before = await openMany(t, 20, 'db-before');
    await sleep(4000);
    const outage = new Traffic();
    await w.supervisor.stop('ferretdb');
    const downSince = Date.now();
    const attempted: { key: string; n: number }[] = [];
    const readToken = await tokens.supervisor();
    const writeToken = await tokens.assistant();
    // Four clients: each writes a new case and reads a running case's file, about once a second, for 60 s.
    await Promise.all(
      Array.from({ length: 4 }, async (_, c) => {
        for (let i = c; Date.now() - downSince < 60_000; i += 4) {
          const key = `db-down-${i}-${randomUUID()}`;
          const n = ++complainants;
          attempted.push({ key, n });
          await send(outage, i, 'POST', '/v1/complaints', { token: writeToken, key, body: complaintBody(n) });
          await send(outage, i + 1, 'GET', `/v1/complaints/${before.ids[i % before.ids.length]}`, { token: readToken });
          await sleep(1000);
        }
      }),
    );
    w.supervisor.restart('ferretdb');
    await waitForPort('FerretDB', w.ports.ferretdb, 60_000);
    // Every write the outage refused is sent again with its key; those it answered are asked again and must agree.
    const after = await Promise.all(attempted.map(({ key, n }) => intake(t, key, n)));
    const ids = [...before.ids, ...after];
    const a = await settle(ids);
    const k = await perKey([...before.keys, ...attempted.map((x) => x.key)]);
    t.absorb(outage);
    record('FerretDB down 60 s', t, `1 × FerretDB stopped 60 s; ${outage.requests} requests during it (${outage.summary()})`, a, k);
    expect(outage.unavailable, outage.summary()).toBeGreaterThan(0);
    expect(
      [...outage.byStatus.keys()].filter((s) => s !== 503 && s !== 200 && s !== 201),
      outage.summary(),
    ).toEqual([]);
    expectClean(t, a, k);
  }, 900_000);

  it('one Temporal node restarts, then the whole Temporal server: every case resumes and fires, nothing lost', async () => {
    const t = new Traffic();
    const opened = await openMany(t, 30, 'temporal');
    await sleep(5000);
    await w.supervisor.stop('temporal-1');
    w.supervisor.restart('temporal-1');
    await waitForPort('Temporal node 1', w.ports.nodes[0].frontend, 120_000);
    await sleep(5000);
    // Both nodes down at once (kill -9): intakes arriving meanwhile must be refused with 503, then retried.
    w.supervisor.crash('temporal-1', true);
    w.supervisor.crash('temporal-2', true);
    const during = Array.from({ length: 6 }, (_, i) => ({ key: `temporal-down-${i}-${randomUUID()}`, n: ++complainants }));
    const token = await tokens.assistant();
    const refused = await Promise.all(during.map(({ key, n }, i) => send(t, i, 'POST', '/v1/complaints', { token, key, body: complaintBody(n) })));
    await sleep(10_000);
    await restartWhenDead('temporal-1');
    await restartWhenDead('temporal-2');
    for (const node of w.ports.nodes) {
      const address = `127.0.0.1:${node.frontend}`;
      await expect
        .poll(
          () =>
            run(TOOLS.temporal, ['operator', 'cluster', 'health', '--address', address]).then(
              () => true,
              () => false,
            ),
          { timeout: 180_000, interval: 2_000 },
        )
        .toBe(true);
    }
    const retried = await Promise.all(during.map(({ key, n }) => intake(t, key, n)));
    const ids = [...opened.ids, ...retried];
    const a = await settle(ids);
    const k = await perKey([...opened.keys, ...during.map((d) => d.key)]);
    record(
      'Temporal restart',
      t,
      '1 × node 1 stopped and restarted; 1 × both nodes kill -9, down 10 s',
      a,
      k,
      `during the outage: ${refused.map((r) => r.status).join(',')}`,
    );
    expect(
      refused.every((r) => [503, 429].includes(r.status)),
      JSON.stringify(refused.map((r) => r.status)),
    ).toBe(true);
    expectClean(t, a, k);
  }, 900_000);

  it('a webhook receiver that fails half the calls and is slow: every notification delivered exactly once per id', async () => {
    const t = new Traffic();
    const failedBefore = receiver.failed;
    const postsBefore = receiver.posts;
    receiver.mode = { failAlternate: true, delayMs: [200, 2500] };
    try {
      const { ids, keys } = await openMany(t, 30, 'webhook');
      const a = await settle(ids);
      const k = await perKey(keys);
      const failed = receiver.failed - failedBefore;
      record('webhook fails 50 %, slow (0.2-2.5 s)', t, `${failed} of ${receiver.posts - postsBefore} webhook calls answered 503`, a, k);
      expect(failed).toBeGreaterThan(0);
      expect(receiver.badSignature).toBe(0);
      expectClean(t, a, k);
    } finally {
      receiver.mode = { failAlternate: false, delayMs: [0, 0] };
    }
  }, 900_000);

  it('lost no process', () => {
    expect(w.fatal).toEqual([]);
  });
});
