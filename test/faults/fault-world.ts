// The fault suite's tools: a webhook receiver that counts every post by notification id, a client that counts what it
// was answered, the audit that counts lost and duplicated work in MongoDB, and the figure table printed at the end.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Models } from '../../db/models';
import { webhookSignature } from '../../activities/notification.activities';

export const WEBHOOK_SECRET = 'fault-suite-webhook-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const suiteStarted = Date.now();

/** One progress line, with the minutes since the suite began: a slow run says what it is doing while it does it. */
export function progress(scenario: string, line: string): void {
  const t = (Date.now() - suiteStarted) / 1000;
  console.log(`[faults ${String(Math.floor(t / 60)).padStart(2, '0')}:${String(Math.floor(t % 60)).padStart(2, '0')}] ${scenario}: ${line}`);
}

/**
 * Polls `probe` until `done` holds; logs what it waits for every `logEveryMs`; when `timeoutMs` runs out it throws
 * naming what it waited for and the last state it saw. Every wait in the suite goes through here or has its own bound.
 */
export async function waitFor<T>(
  scenario: string,
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  opts: { timeoutMs: number; intervalMs?: number; logEveryMs?: number; show?: (value: T) => string },
): Promise<T> {
  const started = Date.now();
  const show = opts.show ?? ((v: T) => JSON.stringify(v)?.slice(0, 400) ?? String(v));
  let lastLog = started;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    const waited = Date.now() - started;
    if (waited > opts.timeoutMs) {
      throw new Error(`${scenario}: gave up after ${Math.round(waited / 1000)} s waiting for ${what}; last: ${show(value)}`);
    }
    if (Date.now() - lastLog >= (opts.logEveryMs ?? 30_000)) {
      lastLog = Date.now();
      progress(scenario, `waiting ${Math.round(waited / 1000)} s for ${what}: ${show(value)}`);
    }
    await sleep(opts.intervalMs ?? 1000);
  }
}

/** A receiver the test owns: answers 200 by default; `failAlternate`/`delayMs` make it fail half the calls and be slow. */
export interface Receiver {
  url: string;
  /** Posts answered 2xx per notification id. A repeat is answered 200 and dropped by its id, as the webhook contract
   * asks of receivers (`x-notification-id`): a worker killed between the post and recording it posts again. */
  accepted: Map<string, number>;
  posts: number;
  /** Posts per id, answered or not (failAlternate fails each id's 1st, 3rd … post: half of all calls). */
  tried: Map<string, number>;
  failed: number;
  badSignature: number;
  mode: { failAlternate: boolean; delayMs: [number, number] };
  close: () => Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const r = {
    accepted: new Map(),
    tried: new Map(),
    posts: 0,
    failed: 0,
    badSignature: 0,
    mode: { failAlternate: false, delayMs: [0, 0] },
  } as unknown as Receiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      r.posts++;
      const id = String(req.headers['x-notification-id']);
      const n = (r.tried.get(id) ?? 0) + 1;
      r.tried.set(id, n);
      const body = Buffer.concat(chunks).toString();
      const [lo, hi] = r.mode.delayMs;
      if (hi > 0) await sleep(lo + Math.random() * (hi - lo));
      if (req.headers['x-signature-sha256'] !== webhookSignature(WEBHOOK_SECRET, body)) r.badSignature++;
      // Per id rather than globally: every notification meets a failure, and none is starved by an unlucky phase.
      if (r.mode.failAlternate && n % 2 === 1) {
        r.failed++;
        res.writeHead(503).end();
        return;
      }
      r.accepted.set(id, (r.accepted.get(id) ?? 0) + 1);
      res.writeHead(200).end();
    });
  });
  // Longer than any client's keep-alive (undici: 4 s): else the server closes an idle socket as a worker reuses it, and
  // that post fails with "other side closed" and waits out its retry backoff (a fault the scenario did not inject).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  // Workers hold keep-alive connections to it: close them too, or close() waits for them forever.
  r.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return r;
}

/** What the API answered in one scenario. */
export class Traffic {
  requests = 0;
  byStatus = new Map<number, number>();
  /** 503/429 answers without a Retry-After header (a client could not know when to come back). */
  noRetryAfter = 0;
  /** Requests that got no answer: the client's 60 s timeout or a reset connection (status 0), by cause. */
  noAnswer = new Map<string, number>();
  get fiveXx(): number {
    return [...this.byStatus].filter(([s]) => s >= 500 && s !== 503).reduce((a, [, n]) => a + n, 0);
  }
  get unavailable(): number {
    return this.byStatus.get(503) ?? 0;
  }
  count(status: number, headers?: Headers): void {
    this.requests++;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if ((status === 503 || status === 429) && !headers?.get('retry-after')) this.noRetryAfter++;
  }
  summary(): string {
    const answered = [...this.byStatus]
      .filter(([s]) => s !== 0)
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${n}×${s}`);
    const unanswered = [...this.noAnswer].map(([why, n]) => `${n}× no answer (${why})`);
    return [...answered, ...unanswered].join(' ');
  }
  absorb(other: Traffic): void {
    this.requests += other.requests;
    this.noRetryAfter += other.noRetryAfter;
    for (const [s, n] of other.byStatus) this.byStatus.set(s, (this.byStatus.get(s) ?? 0) + n);
    for (const [w, n] of other.noAnswer) this.noAnswer.set(w, (this.noAnswer.get(w) ?? 0) + n);
  }
}

export interface Figures {
  scenario: string;
  requests: number;
  faults: string;
  fiveXx: number;
  unavailable: number;
  lost: number;
  duplicated: number;
  note: string;
}

export const figures: Figures[] = [];

export function printFigures(): void {
  const head = '| Scenario | Requests | Faults injected | 5xx (other than 503) | 503 + Retry-After | Lost | Duplicated | Notes |';
  const rows = figures.map((f) => `| ${f.scenario} | ${f.requests} | ${f.faults} | ${f.fiveXx} | ${f.unavailable} | ${f.lost} | ${f.duplicated} | ${f.note} |`);
  console.log(['', 'Fault suite figures:', head, '|---|---|---|---|---|---|---|---|', ...rows, ''].join('\n'));
}

export interface Audit {
  cases: number;
  notAtLegal: number;
  /** Escalations, case-file entries and notifications a case lacks compared with what its deadlines produce. */
  missingEscalations: number;
  extraEscalations: number;
  missingEntries: number;
  extraEntries: number;
  missingNotices: number;
  extraNotices: number;
  undelivered: number;
  /** Stored notifications the receiver never accepted; ids posted again after an accepted post (dropped by id). */
  notReceived: number;
  repeatPosts: number;
  receivedUnknown: number;
  lost: number;
  duplicated: number;
}

const LADDER = ['supervisor', 'director', 'legal'];

/**
 * Counts lost and duplicated work for cases that ran with no human action: every such case walks the same deadlines,
 * so each one's case file (entry types in order) and notification count must equal the ladder's; the receiver must hold
 * each stored notification exactly once.
 */
export async function audit(models: Models, ids: string[], receiver: Receiver): Promise<Audit> {
  const complaints = await models.Complaint.find({ _id: { $in: ids } }, { status: 1 }).lean();
  const events = await models.CaseEvent.find({ complaintId: { $in: ids } }, { complaintId: 1, seq: 1, type: 1, data: 1 })
    .sort({ seq: 1 })
    .lean();
  const notices = await models.Notification.find({ caseId: { $in: ids } }, { _id: 1, caseId: 1, deliveredAt: 1 }).lean();
  const files = new Map<string, string[]>(ids.map((id) => [id, []]));
  const escalations = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of events) {
    files.get(e.complaintId)?.push(e.type);
    if (e.type === 'escalated') escalations.get(e.complaintId)?.push((e.data as { to: string }).to);
  }
  const noticeCount = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const n of notices) noticeCount.set(n.caseId, (noticeCount.get(n.caseId) ?? 0) + 1);
  // The ladder's case file: the most common file among the cases (a fault changes a few, never most).
  const common = <T>(xs: T[]): T => {
    const tally = new Map<string, { x: T; n: number }>();
    for (const x of xs) {
      const k = JSON.stringify(x);
      tally.set(k, { x, n: (tally.get(k)?.n ?? 0) + 1 });
    }
    return [...tally.values()].sort((a, b) => b.n - a.n)[0]!.x;
  };
  const ladderFile = common([...files.values()]);
  const ladderNotices = common([...noticeCount.values()]);
  const a: Audit = {
    cases: complaints.length,
    notAtLegal: ids.length - complaints.filter((c) => c.status === 'legal').length,
    missingEscalations: 0,
    extraEscalations: 0,
    missingEntries: 0,
    extraEntries: 0,
    missingNotices: 0,
    extraNotices: 0,
    undelivered: notices.filter((n) => !n.deliveredAt).length,
    notReceived: notices.filter((n) => !receiver.accepted.has(n._id)).length,
    repeatPosts: notices.reduce((sum, n) => sum + Math.max(0, (receiver.accepted.get(n._id) ?? 0) - 1), 0),
    receivedUnknown: 0,
    lost: 0,
    duplicated: 0,
  };
  for (const id of ids) {
    const file = files.get(id)!;
    const esc = escalations.get(id)!;
    for (const type of new Set([...file, ...ladderFile])) {
      const diff = file.filter((t) => t === type).length - ladderFile.filter((t) => t === type).length;
      if (diff > 0) a.extraEntries += diff;
      else a.missingEntries -= diff;
    }
    // Escalations by target: each ladder step exactly once.
    for (const to of LADDER) {
      const n = esc.filter((x) => x === to).length;
      if (n === 0) a.missingEscalations++;
      if (n > 1) a.extraEscalations += n - 1;
    }
    const d = noticeCount.get(id)! - ladderNotices;
    if (d > 0) a.extraNotices += d;
    else a.missingNotices -= d;
  }
  const stored = new Set(notices.map((n) => n._id));
  const ours = new Set(ids);
  a.receivedUnknown = [...receiver.accepted.keys()].filter((k) => ours.has(k.split(':').slice(0, -2).join(':')) && !stored.has(k)).length;
  a.lost = a.cases === ids.length ? 0 : ids.length - a.cases;
  a.lost += a.notAtLegal + a.missingEscalations + a.missingEntries + a.missingNotices + a.undelivered + a.notReceived;
  // A repeat post is not a duplicate delivery: the receiver drops it by id (see Receiver.accepted); it is reported apart.
  a.duplicated = a.extraEscalations + a.extraEntries + a.extraNotices + a.receivedUnknown;
  return a;
}
