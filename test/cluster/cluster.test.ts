// The production topology under failure: two Temporal nodes, two workers, two API replicas on one PostgreSQL.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { eventually } from '../support/eventually';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../../scripts/lib/tools';
import { call, complaintBody, ladderFile, tokens, useCluster } from './cluster-world';

const w = useCluster();
const run = promisify(execFile);
const LADDER = ['supervisor', 'director', 'legal'];

let complainants = 0;

/** Opens n cases alternately through both replicas, each with a new complainant (a repeat one would start higher). */
async function openCases(n: number, tag: string): Promise<string[]> {
  const t = await tokens.assistant();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const base = w.cluster.apiUrls[i % 2]!;
    const res = await call(base, 'POST', '/v1/complaints', { token: t, key: `${tag}-${i}-${randomUUID()}`, body: complaintBody(++complainants) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.id);
  }
  return ids;
}

/** Every case reached legal; each escalation happened once and was notified; the case files are gap-free. */
async function expectWholeLadders(ids: string[]): Promise<void> {
  await expect
    .poll(async () => (await w.models.Complaint.find({ _id: { $in: ids } }, { status: 1 }).lean()).filter((d) => d.status === 'legal').length, {
      timeout: 240_000,
      interval: 2_000,
    })
    .toBe(ids.length);
  // The state moves first and the case file (with its notifications) follows a moment later, so the files are polled.
  const settled = async () => (await Promise.all(ids.map((id) => ladderFile(w.models, id)))).every((f) => f.escalationsNotified === 3);
  await expect.poll(settled, { timeout: 60_000, interval: 1_000 }).toBe(true);
  const files = await Promise.all(ids.map((id) => ladderFile(w.models, id)));
  for (const f of files) {
    expect(f.escalations).toEqual(LADDER);
    expect(f.contiguous).toBe(true);
    expect(f.orphanNotices).toBe(0);
  }
  // The same ladder tells the same roles: equal escalation notices in every case, none lost, none twice.
  expect(new Set(files.map((f) => f.escalationNotices)).size, JSON.stringify(files.map((f) => f.escalationNotices))).toBe(1);
}

describe('cluster', () => {
  it('answers /readyz 200 on both replicas and serves the Web UI', async () => {
    for (const base of w.cluster.apiUrls) expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${w.ports.ui}/`)).status).toBe(200);
  });

  it('a complaint opened through replica 1 is read, acted on and escalated through replica 2', async () => {
    const [one, two] = w.cluster.apiUrls;
    const [assistant, supervisor] = [await tokens.assistant(), await tokens.supervisor()];
    const opened = await call(one, 'POST', '/v1/complaints', { token: assistant, key: `x-${randomUUID()}`, body: complaintBody(1000) });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const read = await call(two, 'GET', `/v1/complaints/${id}`, { token: supervisor });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(id);
    const ack = await call(two, 'POST', `/v1/complaints/${id}/acknowledge`, { token: assistant, key: `a-${randomUUID()}`, body: { notes: 'called back' } });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    const key = `e-${randomUUID()}`;
    const esc = await call(two, 'POST', `/v1/complaints/${id}/escalate`, { token: assistant, key, body: {} });
    expect(esc.body.level).toBe('supervisor');
    // The same key on the other replica is the same escalation, not a second one.
    expect((await call(one, 'POST', `/v1/complaints/${id}/escalate`, { token: assistant, key, body: {} })).body.level).toBe('supervisor');
    const file = await call(one, 'GET', `/v1/complaints/${id}`, { token: supervisor });
    expect(file.body.history.filter((h: { type: string }) => h.type === 'escalated')).toHaveLength(1);
    expect(file.body.history.map((h: { type: string }) => h.type)).toEqual(expect.arrayContaining(['opened', 'acknowledged', 'escalated']));
  });

  it('kill -9 of one Temporal server node while ladders run: every case escalates through the other; the node rejoins', async () => {
    const ids = await openCases(8, 'node');
    await new Promise((r) => setTimeout(r, 6_000));
    w.supervisor.crash('temporal-1', true);
    await expectWholeLadders(ids);
    w.supervisor.restart('temporal-1');
    const node1 = `127.0.0.1:${w.ports.nodes[0].frontend}`;
    await expect
      .poll(
        () =>
          run(TOOLS.temporal, ['operator', 'cluster', 'health', '--address', node1]).then(
            () => true,
            () => false,
          ),
        { timeout: 120_000, interval: 2_000 },
      )
      .toBe(true);
    // Rejoined: a case started on the restarted node's own frontend runs on the shared cluster.
    const { stdout } = await run(TOOLS.temporal, ['operator', 'namespace', 'describe', '-n', 'default', '--address', node1]);
    expect(stdout).toMatch(/default/);
    const after = await openCases(2, 'rejoined');
    expect(after).toHaveLength(2);
  });

  it('kill -9 of one worker: the other carries every case on, nothing lost or duplicated', async () => {
    const ids = await openCases(6, 'worker');
    await new Promise((r) => setTimeout(r, 6_000));
    w.supervisor.crash('worker-1', true);
    await expectWholeLadders(ids);
    w.supervisor.restart('worker-1');
  });

  it('kill -9 of an API replica during intakes: the same Idempotency-Key on the other replica gives the same case', async () => {
    const [one, two] = w.cluster.apiUrls;
    const t = await tokens.assistant();
    const keys = Array.from({ length: 12 }, (_, i) => `api-crash-${i}-${randomUUID()}`);
    const first = keys.map((key, i) => call(one, 'POST', '/v1/complaints', { token: t, key, body: complaintBody(2000 + i) }).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 150));
    w.supervisor.crash('api-1', true);
    const answered = await Promise.all(first);
    // A client honours 409 IDEMPOTENCY_IN_PROGRESS + Retry-After: the dead replica's claim is taken over after 15 s.
    const retry = async (key: string, i: number) => {
      for (let attempt = 0; ; attempt++) {
        const r = await call(two, 'POST', '/v1/complaints', { token: t, key, body: complaintBody(2000 + i) });
        if (r.status !== 409 || r.body.error?.code !== 'IDEMPOTENCY_IN_PROGRESS' || attempt >= 30) return r;
        await new Promise((res) => setTimeout(res, 1000 * Number(r.headers.get('retry-after') ?? 1)));
      }
    };
    const retried = await Promise.all(keys.map(retry));
    for (const [i, r] of retried.entries()) {
      expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
      if (answered[i]?.status === 201) expect(r.body.id).toBe(answered[i]!.body.id);
    }
    const docs = await w.models.Complaint.find({ idempotencyKey: { $in: keys } }).lean();
    expect(docs).toHaveLength(keys.length);
    expect(new Set(docs.map((d) => d._id)).size).toBe(keys.length);
    const opened = (file: { body: { history?: { type: string }[] } }) => (file.body.history ?? []).filter((h) => h.type === 'opened');
    for (const r of retried) {
      // 201 means durable; the worker records the opening a moment later, and only once.
      const file = await eventually(
        async () => call(two, 'GET', `/v1/complaints/${r.body.id}`, { token: await tokens.supervisor() }),
        (f) => opened(f).length > 0,
        60_000,
      );
      expect(opened(file)).toHaveLength(1);
    }
    w.supervisor.restart('api-1');
  });

  it('logged no lock error and lost no process', () => {
    expect(w.logs()).not.toMatch(/database is locked|SQLITE_BUSY|deadlock detected|could not obtain lock/i);
    expect(w.fatal).toEqual([]);
  });
});
