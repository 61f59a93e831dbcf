// `npm run test:faults`: the production topology (two Temporal nodes on PostgreSQL, FerretDB, two workers, two APIs)
// under kill -9, a database outage, Temporal restarts and a flaky webhook receiver; counts lost and duplicated work.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForPort } from '../../scripts/lib/supervisor';
import { waitReady } from '../../scripts/lib/cluster';
import { nodeTs, ROOT, TOOLS } from '../../scripts/lib/tools';
import { SA } from '../../workflows/search-attributes';
import { TEST_SECRET } from '../support/http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { complaintBody, tokens, useCluster } from '../cluster/cluster-world';
import { audit, type Audit, figures, printFigures, progress, type Receiver, startReceiver, Traffic, WEBHOOK_SECRET, waitFor } from './fault-world';

/**
 * The suite's policy: the demo policy in seconds with one warning per step instead of two. The ladder keeps every kind
 * of entry (warnings, missed deadlines, rounds, penalties, urge notices, escalations, the legal handoff), with 32
 * entries and 36 notifications instead of 39 and 43: a sixth less work for the same faults on a shared 2-core machine.
 */
const policyFile = (() => {
  const policy = JSON.parse(readFileSync(path.join(ROOT, 'config/policy.demo-seconds.json'), 'utf8'));
  policy.version = `${policy.version}-faults`;
  policy.complaint.warningFractions = [0.5];
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fault-policy-')), 'policy.json');
  writeFileSync(file, JSON.stringify(policy, null, 2));
  return file;
})();

let receiver: Receiver;
const ready = startReceiver().then((r) => (receiver = r));
beforeAll(() => ready.then(() => undefined));
// The receiver must be listening before the cluster starts: its URL goes into the workers' environment.
const w = useCluster({ appEnv: () => ({ WEBHOOK_URL: receiver.url, WEBHOOK_SECRET, POLICY_FILE: policyFile }) });
beforeAll(() => progress('cluster', `up: APIs ${w.cluster.apiUrls.join(', ')}; logs in ${w.logDir}`));
afterAll(async () => {
  rmSync(path.dirname(policyFile), { recursive: true, force: true });
  printFigures();
  await receiver?.close();
});

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WORKERS = ['worker-1', 'worker-2'] as const;
let complainants = 0;

/** One request, counted; a refused connection counts as status 0 (never expected: the APIs stay up). */
async function send(t: Traffic, i: number, method: string, url: string, opts: { body?: unknown; key?: string; token: string; apis?: readonly string[] }) {
  const apis = opts.apis ?? w.cluster.apiUrls;
  const base = apis[i % apis.length]!;
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

/**
 * An intake as a well-behaved client sends it: the same key again (on either replica) after Retry-After until answered,
 * for at most `INTAKE_GIVE_UP_MS`; then it fails naming the key and every answer it got.
 */
const INTAKE_GIVE_UP_MS = 240_000;
async function intake(t: Traffic, key: string, n: number, apis?: readonly string[]): Promise<string> {
  const token = await tokens.assistant();
  const started = Date.now();
  const answers: (number | string)[] = [];
  for (let attempt = 0; ; attempt++) {
    const r = await send(t, n + attempt, 'POST', '/v1/complaints', { token, key, body: complaintBody(n), apis });
    if (r.status === 200 || r.status === 201) return r.body.id as string;
    answers.push(r.status === 409 || r.status === 400 || r.status === 422 ? `${r.status} ${r.body?.error?.code ?? ''}`.trim() : r.status);
    // A 500 is counted (the scenario fails on it) and retried like a client would, so the rest of the run still counts.
    if (r.status >= 400 && r.status < 500 && r.status !== 409 && r.status !== 429) throw new Error(`intake ${key}: ${r.status} ${JSON.stringify(r.body)}`);
    if (Date.now() - started > INTAKE_GIVE_UP_MS) {
      throw new Error(
        `intake ${key}: no 200/201 after ${Math.round((Date.now() - started) / 1000)} s and ${answers.length} tries; answers: ${answers.join(', ')}`,
      );
    }
    await sleep(1000 * Math.max(1, r.retryAfter));
  }
}

/** How far an opening is: cases answered, and of those how many are at legal (refreshed while `live` paces it). */
interface Opening {
  opened: number;
  atLegal: number;
  done: boolean;
}

/**
 * Opens n cases, `concurrency` at a time, alternating replicas; each with a new complainant. Logs its progress.
 * With `live`, a client opens its next case only while fewer than `live` opened cases are short of legal: the offered
 * load stays near what the cluster can run (intake no longer waits for a worker, so nothing else paces it). Pacing
 * gives up, naming the counts, when no case reaches legal for `stallMs`.
 */
async function openMany(
  t: Traffic,
  n: number,
  tag: string,
  opts: { concurrency?: number; live?: number; stallMs?: number; state?: Opening; apis?: readonly string[] } = {},
): Promise<{ ids: string[]; keys: string[] }> {
  const { concurrency = 8, live, stallMs = 240_000 } = opts;
  const state = opts.state ?? { opened: 0, atLegal: 0, done: false };
  const keys = Array.from({ length: n }, (_, i) => `${tag}-${i}-${randomUUID()}`);
  const ids: string[] = new Array(n);
  let next = 0;
  const started = Date.now();
  let lastMove = Date.now();
  let stalled: Error | undefined;
  const poller = live
    ? setInterval(async () => {
        const opened = ids.filter(Boolean);
        const atLegal = await w.models.Complaint.countDocuments({ _id: { $in: opened }, status: 'legal' }).catch(() => state.atLegal);
        if (atLegal > state.atLegal) lastMove = Date.now();
        state.atLegal = atLegal;
        if (Date.now() - lastMove > stallMs) {
          stalled ??= new Error(`${tag}: no case reached legal for ${stallMs / 1000} s; ${state.opened} opened, ${state.atLegal} at legal (${t.summary()})`);
        }
      }, 2000)
    : undefined;
  const ticker = setInterval(
    () =>
      progress(
        tag,
        `opening: ${state.opened} of ${n} answered after ${Math.round((Date.now() - started) / 1000)} s${live ? `, ${state.atLegal} at legal` : ''} (${t.summary()})`,
      ),
    30_000,
  );
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < n; i = next++) {
          while (live && state.opened - state.atLegal >= live) {
            if (stalled) throw stalled;
            await sleep(500);
          }
          ids[i] = await intake(t, keys[i]!, ++complainants, opts.apis);
          state.opened++;
        }
      }),
    );
  } finally {
    clearInterval(ticker);
    if (poller) clearInterval(poller);
    state.done = true;
  }
  progress(tag, `opened ${n} cases in ${Math.round((Date.now() - started) / 1000)} s (${t.summary()})`);
  return { ids, keys };
}

const brief = (a: Audit) =>
  `${a.cases} cases, ${a.notAtLegal} not at legal, ${a.missingEscalations} escalations missing, ${a.missingEntries} entries missing, ` +
  `${a.missingNotices} notifications missing, ${a.undelivered} undelivered, ${a.notReceived} not received, ` +
  `${a.duplicated} duplicated, ${receiver.posts} webhook posts`;

/** Two counts the database answers cheaply: how far the cases are, without loading their files every few seconds. */
async function quick(ids: string[]): Promise<{ atLegal: number; undelivered: number }> {
  const [atLegal, undelivered] = await Promise.all([
    w.models.Complaint.countDocuments({ _id: { $in: ids }, status: 'legal' }),
    w.models.Notification.countDocuments({ caseId: { $in: ids }, deliveredAt: null }),
  ]);
  return { atLegal, undelivered };
}

/**
 * Waits until every case reached legal and its notifications reached the receiver (at most `timeoutMs`, logging what
 * is still missing every 30 s), then audits. Running out is not thrown here: the scenario records its figures first
 * and then fails on `settled: false` with what was still missing.
 */
async function settle(scenario: string, ids: string[], timeoutMs = 420_000): Promise<{ audit: Audit; settled: boolean; why: string }> {
  const waitingOn = (a: Audit) => a.notAtLegal || a.undelivered || a.notReceived || a.missingEscalations;
  const started = Date.now();
  let settled = true;
  let why = '';
  try {
    // The cheap counts first (the full audit reads every entry of every case: thousands of documents through FerretDB).
    await waitFor(
      scenario,
      `${ids.length} cases at legal with every notification delivered`,
      () => quick(ids),
      (q) => q.atLegal === ids.length && q.undelivered === 0,
      {
        timeoutMs,
        intervalMs: 5000,
        show: (q) => `${q.atLegal} of ${ids.length} at legal, ${q.undelivered} notifications undelivered, ${receiver.posts} webhook posts`,
      },
    );
    await waitFor(
      scenario,
      'the audit to find every escalation and notification',
      () => audit(w.models, ids, receiver),
      (a) => !waitingOn(a),
      {
        timeoutMs: Math.max(30_000, timeoutMs - (Date.now() - started)),
        intervalMs: 3000,
        show: brief,
      },
    );
  } catch (err) {
    settled = false;
    why = (err as Error).message;
    progress(scenario, why);
  }
  await sleep(3000); // anything late (a repeated post, an extra entry) shows up in the final count
  const a = await audit(w.models, ids, receiver);
  progress(scenario, `settled after ${Math.round((Date.now() - started) / 1000)} s: ${brief(a)}`);
  return { audit: a, settled, why };
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

/** Starts a killed process again once it is gone; fails if it is still alive after 30 s (the kill did not land). */
async function restartWhenDead(name: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (w.supervisor.isAlive(name)) {
    if (Date.now() > until) throw new Error(`${name} still alive 30 s after kill -9`);
    await sleep(50);
  }
  w.supervisor.restart(name);
}

/** Polls `temporal operator cluster health` on one node until it answers SERVING (at most `timeoutMs`). */
function nodeHealthy(scenario: string, label: string, port: number, timeoutMs = 180_000): Promise<boolean> {
  const address = `127.0.0.1:${port}`;
  return waitFor(
    scenario,
    `${label} (${address}) to report healthy`,
    () =>
      run(TOOLS.temporal, ['operator', 'cluster', 'health', '--address', address], { timeout: 15_000 }).then(
        () => true,
        () => false,
      ),
    (ok) => ok,
    { timeoutMs, intervalMs: 2000, show: (ok) => (ok ? 'healthy' : 'not answering') },
  );
}

describe('faults', () => {
  it('kill -9 a worker 20 times at random moments while 200 ladders escalate: nothing lost or duplicated', async () => {
    const scenario = 'kill';
    const t = new Traffic();
    const KILLS = 20;
    const N = 200;
    const LIVE = 30;
    const state: Opening = { opened: 0, atLegal: 0, done: false };
    const liveAtKill: number[] = [];
    // At most 30 ladders short of legal at a time (200 at once overload two workers on two cores: workflow tasks time
    // out and are redone, and the run crawls); the kills are spread over the opening, kill k once about 10·k cases
    // are open, so every kill lands while ladders escalate, however fast the machine.
    const opening = openMany(t, N, scenario, { live: LIVE, state });
    const killer = (async () => {
      for (let k = 0; k < KILLS; k++) {
        const due = Math.max(1, Math.round(((k + Math.random()) * N) / KILLS) - 5);
        // A restarted worker needs several seconds to poll again: the next kill waits at least 5 s after a restart.
        await sleep(5000 + Math.random() * 3000);
        while (state.opened < due && !state.done) await sleep(200);
        const name = WORKERS[Math.floor(Math.random() * 2)]!;
        liveAtKill.push(state.opened - state.atLegal);
        w.supervisor.crash(name, true);
        await sleep(500 + Math.random() * 2500);
        await restartWhenDead(name);
      }
      progress(scenario, `${KILLS} kills done; ladders short of legal at each kill: ${liveAtKill.join(',')}`);
    })();
    const [opened] = await Promise.all([opening, killer]);
    const { ids, keys } = opened;
    const { audit: a, settled, why } = await settle(scenario, ids);
    const k = await perKey(keys);
    const kills = liveAtKill.length;
    record(
      'kill -9 a worker ×20, 200 ladders',
      t,
      `${kills} × kill -9 (worker-1/2), each while ${Math.min(...liveAtKill)}–${Math.max(...liveAtKill)} ladders ran`,
      a,
      k,
      `${receiver.posts} webhook posts; at most ${LIVE} ladders short of legal at a time`,
    );
    expect(kills).toBe(KILLS);
    expect(Math.min(...liveAtKill), 'every kill lands while ladders escalate').toBeGreaterThan(0);
    expectClean(t, a, k);
    expect(settled, why).toBe(true);
    // ~455 s alone; 1,514 s of opening under load 25-34 (2026-12-03) outlasted a 1,200 s bound that was not the point.
  }, 2_400_000);

  it('the database (FerretDB) stops for 60 s while cases run and requests arrive: 503 + Retry-After, then nothing lost', async () => {
    const scenario = 'db';
    const t = new Traffic();
    const before = await openMany(t, 20, 'db-before');
    await sleep(4000);
    const outage = new Traffic();
    progress(scenario, 'stopping FerretDB for 60 s');
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
    progress(scenario, `starting FerretDB again; during the outage: ${outage.summary()}`);
    w.supervisor.restart('ferretdb');
    await waitForPort('FerretDB', w.ports.ferretdb, 60_000);
    // Every write the outage refused is sent again with its key; those it answered are asked again and must agree.
    const after = await Promise.all(attempted.map(({ key, n }) => intake(t, key, n)));
    progress(scenario, `${after.length} intakes of the outage answered (${t.summary()})`);
    const ids = [...before.ids, ...after];
    const { audit: a, settled, why } = await settle(scenario, ids);
    const k = await perKey([...before.keys, ...attempted.map((x) => x.key)]);
    t.absorb(outage);
    record('FerretDB down 60 s', t, `1 × FerretDB stopped 60 s; ${outage.requests} requests during it (${outage.summary()})`, a, k);
    expect(outage.unavailable, outage.summary()).toBeGreaterThan(0);
    expect(
      [...outage.byStatus.keys()].filter((s) => s !== 503 && s !== 200 && s !== 201),
      outage.summary(),
    ).toEqual([]);
    expectClean(t, a, k);
    expect(settled, why).toBe(true);
  }, 900_000);

  it('one Temporal node restarts, then the whole Temporal server: every case resumes and fires, nothing lost', async () => {
    const scenario = 'temporal';
    const t = new Traffic();
    const opened = await openMany(t, 30, scenario);
    await sleep(5000);
    progress(scenario, 'stopping Temporal node 1 and starting it again');
    await w.supervisor.stop('temporal-1');
    w.supervisor.restart('temporal-1');
    await waitForPort('Temporal node 1', w.ports.nodes[0].frontend, 120_000);
    await sleep(5000);
    // Both nodes down at once (kill -9): intakes arriving meanwhile must be refused with 503, then retried.
    progress(scenario, 'kill -9 both Temporal nodes for 10 s');
    w.supervisor.crash('temporal-1', true);
    w.supervisor.crash('temporal-2', true);
    const during = Array.from({ length: 6 }, (_, i) => ({ key: `temporal-down-${i}-${randomUUID()}`, n: ++complainants }));
    const token = await tokens.assistant();
    const refused = await Promise.all(during.map(({ key, n }, i) => send(t, i, 'POST', '/v1/complaints', { token, key, body: complaintBody(n) })));
    await sleep(10_000);
    await restartWhenDead('temporal-1');
    await restartWhenDead('temporal-2');
    await nodeHealthy(scenario, 'Temporal node 1', w.ports.nodes[0].frontend);
    await nodeHealthy(scenario, 'Temporal node 2', w.ports.nodes[1].frontend);
    progress(scenario, 'both nodes healthy; retrying the refused intakes');
    const retried = await Promise.all(during.map(({ key, n }) => intake(t, key, n)));
    const ids = [...opened.ids, ...retried];
    const { audit: a, settled, why } = await settle(scenario, ids);
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
    expect(settled, why).toBe(true);
  }, 900_000);

  it('the Temporal dev server (npm start) is killed and started again on its persisted file: every case resumes, nothing lost', async () => {
    const scenario = 'dev-server';
    const t = new Traffic();
    // npm start's Temporal (the dev server on a SQLite file, scripts/dev-stack.ts) with a worker and an API of its own,
    // on the cluster's FerretDB and the same webhook receiver.
    const [port, uiPort, apiPort, apiMetrics, workerMetrics] = (await Promise.all(Array.from({ length: 5 }, freePort))) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const dbFile = path.join(w.logDir, 'temporal-dev.db');
    const cliType = { KEYWORD: 'Keyword', INT: 'Int', DATETIME: 'Datetime', BOOL: 'Bool' } as const;
    const attrs = Object.values(SA).flatMap((a) => ['--search-attribute', `${a.name}=${cliType[a.type]}`]);
    w.supervisor.start({
      name: 'temporal-dev',
      cmd: TOOLS.temporal,
      args: [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--ui-port',
        String(uiPort),
        '--headless',
        '--db-filename',
        dbFile,
        '--log-level',
        'warn',
        ...attrs,
      ],
      tier: 1,
      restart: true,
    });
    await waitForPort('Temporal dev server', port, 60_000);
    const env = {
      ...process.env,
      POLICY_FILE: policyFile,
      LOG_LEVEL: 'warn',
      WORKFLOW_BUNDLE: path.join(w.logDir, 'data', 'workflow-bundle.js'),
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_NAMESPACE: 'default',
      MONGODB_URI: w.cluster.mongoUri,
      AUTH_JWT_SECRET: TEST_SECRET,
    };
    const [cmd, args] = nodeTs('worker/main.ts');
    w.supervisor.start({
      name: 'dev-worker',
      cmd,
      args,
      env: { ...env, SERVICE_NAME: 'dev-worker', METRICS_PORT: String(workerMetrics) },
      tier: 0,
      restart: true,
    });
    const [apiCmd, apiArgs] = nodeTs('api/main.ts');
    w.supervisor.start({
      name: 'dev-api',
      cmd: apiCmd,
      args: apiArgs,
      env: { ...env, SERVICE_NAME: 'dev-api', PORT: String(apiPort), API_METRICS_PORT: String(apiMetrics) },
      tier: 0,
      restart: true,
    });
    const apis = [`http://127.0.0.1:${apiPort}`];
    await waitReady(apiPort, 180_000, () => false);
    progress(scenario, `dev server on ${port} (${dbFile}), its worker and API up`);
    try {
      const opened = await openMany(t, 20, scenario, { apis });
      await sleep(5000);
      progress(scenario, 'kill -9 the dev server for 10 s');
      w.supervisor.crash('temporal-dev', true);
      const during = Array.from({ length: 4 }, (_, i) => ({ key: `dev-down-${i}-${randomUUID()}`, n: ++complainants }));
      const token = await tokens.assistant();
      const refused = await Promise.all(during.map(({ key, n }, i) => send(t, i, 'POST', '/v1/complaints', { token, key, body: complaintBody(n), apis })));
      await sleep(10_000);
      await restartWhenDead('temporal-dev');
      await nodeHealthy(scenario, 'the dev server', port, 120_000);
      progress(scenario, 'dev server back on its file; retrying the refused intakes');
      const retried = await Promise.all(during.map(({ key, n }) => intake(t, key, n, apis)));
      const ids = [...opened.ids, ...retried];
      const { audit: a, settled, why } = await settle(scenario, ids);
      const k = await perKey([...opened.keys, ...during.map((d) => d.key)]);
      record(
        'Temporal dev server restart',
        t,
        '1 × dev server kill -9, down 10 s, started on its SQLite file',
        a,
        k,
        `during the outage: ${refused.map((r) => r.status).join(',')}`,
      );
      expect(
        refused.every((r) => [503, 429].includes(r.status)),
        JSON.stringify(refused.map((r) => r.status)),
      ).toBe(true);
      expectClean(t, a, k);
      expect(settled, why).toBe(true);
    } finally {
      // Stopped here, so the scenarios after it run on the cluster alone.
      await Promise.all(['dev-api', 'dev-worker'].map((n) => w.supervisor.stop(n)));
      await w.supervisor.stop('temporal-dev');
    }
  }, 900_000);

  it('a webhook receiver that fails half the calls and is slow: every notification delivered exactly once per id', async () => {
    const scenario = 'webhook';
    const t = new Traffic();
    const failedBefore = receiver.failed;
    const postsBefore = receiver.posts;
    receiver.mode = { failAlternate: true, delayMs: [200, 2500] };
    try {
      const { ids, keys } = await openMany(t, 30, scenario);
      const { audit: a, settled, why } = await settle(scenario, ids);
      const k = await perKey(keys);
      const failed = receiver.failed - failedBefore;
      record('webhook fails 50 %, slow (0.2-2.5 s)', t, `${failed} of ${receiver.posts - postsBefore} webhook calls answered 503`, a, k);
      expect(failed).toBeGreaterThan(0);
      expect(receiver.badSignature).toBe(0);
      expectClean(t, a, k);
      expect(settled, why).toBe(true);
    } finally {
      receiver.mode = { failAlternate: false, delayMs: [0, 0] };
    }
  }, 900_000);

  it('lost no process', () => {
    expect(w.fatal).toEqual([]);
  });
});
