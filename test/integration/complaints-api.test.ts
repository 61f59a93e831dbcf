import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { eventually } from '../support/eventually';
import { useCaseWorld } from '../support/harness';
import { SignJWT } from 'jose';
import { serve, testAppDeps, token, TEST_SECRET } from '../support/http';

let api: Awaited<ReturnType<typeof serve>>;
const w = useCaseWorld('dev');
const tokens: Record<string, string> = {};

// A new phone number per case, so cases are not taken for a repeat complainant.
let phoneSeq = 0;
const customer = (patch: Record<string, unknown> = {}) => ({
  kind: 'customer',
  source: 'phone',
  branch: 'north',
  complainant: { name: 'Test Customer', phone: `1380000${String(1000 + phoneSeq++)}` },
  category: 'quality',
  description: 'Cracked tiles in the kitchen',
  severity: 'general',
  priority: 'high',
  ...patch,
});

beforeAll(async () => {
  const { app } = createApp(testAppDeps(w.env, w.db.models, w.taskQueue));
  api = await serve(app);
  for (const role of ['assistant', 'supervisor', 'director', 'legal', 'executive', 'branch', 'hr'] as const) {
    // Branch-scoped roles carry their branches (the assistant serves north and south); central roles need none.
    tokens[role] = await token([role], role === 'branch' ? { branch: 'north' } : role === 'assistant' ? { branches: ['north', 'south'] } : {});
  }
});

afterAll(async () => {
  await api?.close();
});

async function open(body: Record<string, unknown> = customer(), key?: string, role = 'assistant') {
  const res = await api.call('POST', '/v1/complaints', {
    token: tokens[role],
    body,
    headers: key ? { 'idempotency-key': key } : {},
  });
  return res;
}

async function act(id: string, action: string, body: unknown = {}, role = 'assistant') {
  return api.call('POST', `/v1/complaints/${id}/${action}`, { token: tokens[role], body });
}

describe('open endpoints and errors', () => {
  it('answers healthz, readyz, the OpenAPI document and the docs page without a token', async () => {
    expect((await api.call('GET', '/healthz')).status).toBe(200);
    expect((await api.call('GET', '/readyz')).body).toMatchObject({ status: 'ready' });
    const doc = await api.call('GET', '/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.body.paths);
    for (const a of [
      'acknowledge',
      'triage',
      'feedback',
      'follow-up',
      'pause',
      'resume',
      'escalate',
      'close',
      'reopen',
      'survey',
      'compensation',
      'approvals',
    ]) {
      expect(paths).toContain(`/v1/complaints/{id}/${a}`);
    }
    expect(doc.body.paths['/v1/complaints'].post.requestBody.content['application/json'].schema).toBeDefined();
    const docs = await api.call('GET', '/docs/');
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('swagger');
  });

  it('is not ready (503) when Temporal or the database is unreachable', async () => {
    const { app } = createApp(testAppDeps(w.env, w.db.models, w.taskQueue, { readiness: async () => ({ temporal: false, database: true }) }));
    const down = await serve(app);
    const res = await down.call('GET', '/readyz');
    await down.close();
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ temporal: false, database: true });
  });

  it('refuses a missing, forged or expired token with 401 and a foreign role with 403', async () => {
    expect((await api.call('GET', '/v1/complaints')).body.error.code).toBe('UNAUTHENTICATED');
    const forged = await token(['assistant'], { secret: 'another-secret-another-secret-123456' });
    expect((await api.call('GET', '/v1/complaints', { token: forged })).status).toBe(401);
    const expired = await token(['assistant'], { expired: true });
    expect((await api.call('GET', '/v1/complaints', { token: expired })).status).toBe(401);
    // A token that never expires is refused too: every staff token must carry exp.
    const endless = await new SignJWT({ name: 'Staff', roles: ['assistant'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .sign(new TextEncoder().encode(TEST_SECRET));
    expect((await api.call('GET', '/v1/complaints', { token: endless })).status).toBe(401);
    const res = await api.call('POST', '/v1/complaints', { token: tokens.branch, body: customer() });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('names each bad field and rule (400), rejects bad JSON and non-JSON bodies, and never leaks a stack', async () => {
    const res = await open(customer({ category: '', complainant: { name: 'X', phone: 'abc' }, kind: 'other' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['kind', 'category', 'complainant.phone']));
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);

    const bad = await api.call('POST', '/v1/complaints', { token: tokens.assistant, raw: '{"kind":' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('MALFORMED_JSON');
    const text = await api.call('POST', '/v1/complaints', { token: tokens.assistant, raw: 'hello', contentType: 'text/plain' });
    expect(text.status).toBe(415);
    const big = await open(customer({ description: 'x'.repeat(30_000) }));
    expect(big.status).toBe(413);
    expect((await api.call('GET', '/v1/nowhere', { token: tokens.assistant })).status).toBe(404);
  });
});

describe('hostile requests stay 4xx', () => {
  it('names a bad Idempotency-Key, a malformed path and an unsupported body encoding', async () => {
    const shortKey = await api.call('POST', '/v1/complaints', { token: tokens.assistant, body: customer(), headers: { 'idempotency-key': 'short' } });
    expect(shortKey.status).toBe(400);
    expect(shortKey.body.error.details[0].field).toBe('idempotency-key');
    const path = await api.call('GET', '/v1/complaints/%E0%A4%A', { token: tokens.assistant });
    expect(path.status).toBe(400);
    const latin = await api.call('POST', '/v1/complaints', {
      token: tokens.assistant,
      raw: JSON.stringify(customer()),
      contentType: 'application/json; charset=latin1',
    });
    expect(latin.status).toBe(415);
    const gzip = await api.call('POST', '/v1/complaints', {
      token: tokens.assistant,
      raw: 'not gzip at all',
      headers: { 'content-encoding': 'gzip' },
    });
    expect(gzip.status).toBeGreaterThanOrEqual(400);
    expect(gzip.status).toBeLessThan(500);
  });

  it('answers concurrent repeats of one Idempotency-Key with one case: one 201, the rest 200, a different body 409', async () => {
    const key = `race-${randomUUID()}`;
    const body = customer();
    const same = await Promise.all(Array.from({ length: 6 }, () => open(body, key)));
    expect(same.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(same.map((r) => r.body.id)).size).toBe(1);
    const mixed = await Promise.all(Array.from({ length: 4 }, (_, i) => open(customer({ description: `variant ${i}` }), `race2-${key}`)));
    expect(mixed.filter((r) => r.status === 201)).toHaveLength(1);
    expect(mixed.filter((r) => r.status === 409).every((r) => r.body.error.code === 'IDEMPOTENCY_KEY_REUSED')).toBe(true);
    expect(mixed.filter((r) => r.status >= 500)).toEqual([]);
  });
});

describe('POST /v1/complaints', () => {
  it('opens a case (201) and a repeat with the same Idempotency-Key returns the same case (200)', async () => {
    const key = `key-${randomUUID()}`;
    const body = customer();
    const first = await open(body, key);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.stringMatching(/^C-[0-9a-f]{16}$/), status: 'open', level: 'assistant', round: 0 });
    const again = await open(body, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await w.db.models.Complaint.countDocuments({ _id: first.body.id })).toBe(1);
    const other = await open({ ...body, description: 'something else' }, key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses an anonymous staff complaint (422 REAL_NAME_REQUIRED) and writes nothing', async () => {
    const before = await w.db.models.Complaint.countDocuments();
    const res = await open({
      kind: 'staff',
      source: 'letter',
      complainant: { anonymous: true },
      accused: { name: 'Someone', role: 'designer' },
      occurredAt: '2026-11-01T10:00:00+08:00',
      location: 'site office',
      category: 'conduct',
      description: 'rude',
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('REAL_NAME_REQUIRED');
    expect(res.body.error.details[0].field).toBe('complainant.anonymous');
    const missing = await open({ kind: 'crew', source: 'phone', complainant: { name: 'A B', phone: '13900000000' }, category: 'conduct', description: 'late' });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe('DETAILS_REQUIRED');
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).toEqual(['accused', 'occurredAt', 'location']);
    expect(await w.db.models.Complaint.countDocuments()).toBe(before);
  });

  it('escalates a repeat complainant at once: general to the supervisor, serious to the director', async () => {
    const phone = `1370000${Math.floor(Math.random() * 9000 + 1000)}`;
    await open(customer({ complainant: { name: 'Repeat Customer', phone } }));
    const second = await open(customer({ complainant: { name: 'Repeat Customer', phone } }));
    expect(second.body.level).toBe('supervisor');
    const third = await open(customer({ severity: 'serious', complainant: { name: 'Repeat Customer', phone } }));
    expect(third.body.level).toBe('director');
  });
});

describe('GET /v1/complaints', () => {
  it('returns the case file with deadlines and history, identity only to handling roles', async () => {
    const { body } = await open(customer({ branch: 'south' }));
    // 201 means the case is durable; the worker records its opening a moment later.
    const asAssistant = await eventually(
      () => api.call('GET', `/v1/complaints/${body.id}`, { token: tokens.assistant }),
      // The entries and the projection are written side by side: wait for both.
      (r) => r.body.history?.length > 0 && r.body.deadlines?.length > 0,
    );
    expect(asAssistant.status).toBe(200);
    expect(asAssistant.body).toMatchObject({ id: body.id, kind: 'customer', status: 'open', level: 'assistant', round: 0 });
    expect(asAssistant.body.complainant).toMatchObject({ name: 'Test Customer', phone: expect.stringMatching(/^1380000/), anonymous: false });
    expect(asAssistant.body.history[0]).toMatchObject({ type: 'opened', level: 'assistant', by: 'staff-assistant' });
    expect(asAssistant.body.deadlines[0].step).toBe('first_callback');
    const dl = asAssistant.body.deadlines[0];
    expect(Date.parse(dl.dueAt) - Date.parse(dl.startedAt)).toBe(3 * 60_000);

    const asExecutive = await api.call('GET', `/v1/complaints/${body.id}`, { token: tokens.executive });
    expect(asExecutive.status).toBe(200);
    expect(asExecutive.body.complainant).toBeUndefined();
    // A branch user sees only their own branch's cases.
    expect((await api.call('GET', `/v1/complaints/${body.id}`, { token: tokens.branch })).status).toBe(404);
    expect((await api.call('GET', '/v1/complaints/C-0000000000000000', { token: tokens.assistant })).body.error.code).toBe('NOT_FOUND');
    expect((await api.call('GET', '/v1/complaints/not-an-id', { token: tokens.assistant })).status).toBe(400);
  });

  it('filters by status, level and branch and pages with a cursor', async () => {
    const branch = `b${randomUUID().slice(0, 6)}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await open(customer({ branch }), undefined, 'supervisor')).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/v1/complaints?branch=${branch}&status=open&level=assistant&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.call('GET', q, { token: tokens.supervisor });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
    const none = await api.call('GET', `/v1/complaints?branch=${branch}&level=director`, { token: tokens.supervisor });
    expect(none.body.items).toEqual([]);
    const badCursor = await api.call('GET', '/v1/complaints?cursor=zzz', { token: tokens.supervisor });
    expect(badCursor.status).toBe(422);
    expect(badCursor.body.error.details[0].field).toBe('cursor');
  });
});

describe('case actions', () => {
  it('walks acknowledge → triage → feedback → follow-up → close → survey, refusing what does not fit', async () => {
    const { body } = await open(customer({ severity: undefined, priority: undefined }));
    const id = body.id;
    expect((await act(id, 'follow-up', { customerSatisfied: true })).body.error.code).toBe('INVALID_STATE');
    const ack = await act(id, 'acknowledge', { notes: 'called back' });
    expect(ack.status).toBe(200);
    expect(ack.body.step).toBe('triage');
    expect((await act(id, 'acknowledge')).body.error.code).toBe('ALREADY_DONE');
    expect((await act(id, 'acknowledge', {}, 'branch')).status).toBe(403);

    expect((await act(id, 'triage', { severity: 'serious', priority: 'high', valid: true })).body.error.code).toBe('FORBIDDEN');
    const triage = await act(id, 'triage', { severity: 'serious', priority: 'high', valid: true }, 'supervisor');
    expect(triage.body).toMatchObject({ step: 'branch_feedback', level: 'supervisor', severity: 'serious' });
    const feedback = await act(id, 'feedback', { cause: 'bad batch', action: 'replace tiles', responsible: 'crew 7' }, 'branch');
    expect(feedback.status).toBe(200);
    expect(feedback.body).toMatchObject({ step: 'follow_up', round: 1 });
    expect(feedback.body.deadlines[0].step).toBe('follow_up');

    expect((await act(id, 'close', {}, 'supervisor')).body.error.code).toBe('INVALID_STATE');
    expect((await act(id, 'survey', { satisfied: true })).status).toBe(409);
    const done = await act(id, 'follow-up', { customerSatisfied: true, notes: 'happy' });
    expect(done.body).toMatchObject({ status: 'resolved', round: 1 });
    // Triage put the case in the supervisor's hands: the assistant may not close it.
    expect((await act(id, 'close', { notes: 'done' })).body.error.code).toBe('NOT_CASE_OWNER');
    // A serious case closes only once its file was reviewed (issue 13, [003] ch.5 §4).
    expect((await act(id, 'close', { notes: 'done' }, 'supervisor')).body.error.code).toBe('FILE_REVIEW_REQUIRED');
    const review = { pastMidStage: false, contractValue: 90000, customerIdentity: 'private', complainedToAuthority: false, finding: 'in_order' };
    expect((await act(id, 'file-reviews', review, 'supervisor')).status).toBe(201);
    const closed = await act(id, 'close', { notes: 'done' }, 'supervisor');
    expect(closed.body.status).toBe('closed');
    expect((await act(id, 'survey', { satisfied: true, score: 5 })).status).toBe(200);
    expect((await act(id, 'survey', { satisfied: true, score: 5 })).body.error.code).toBe('ALREADY_DONE');
    const reopened = await act(id, 'reopen', { notes: 'leak again' });
    expect(reopened.body).toMatchObject({ status: 'open', step: 'follow_up' });

    const file = await api.call('GET', `/v1/complaints/${id}`, { token: tokens.supervisor });
    expect(file.body.history.map((h: { type: string }) => h.type)).toEqual(
      expect.arrayContaining(['opened', 'acknowledged', 'triaged', 'escalated', 'feedback', 'round_started', 'follow_up', 'closed', 'survey', 'reopened']),
    );
  });

  it('pauses and resumes with the remaining time, escalates by hand, and an Idempotency-Key makes a retry safe', async () => {
    const { body } = await open();
    const paused = await act(body.id, 'pause', { notes: 'customer travelling' });
    expect(paused.body, JSON.stringify(paused.body)).toMatchObject({ status: 'paused' });
    const remaining = paused.body.deadlines[0].remainingMs;
    expect(remaining).toBeGreaterThan(170_000);
    expect((await act(body.id, 'pause')).body.error.code).toBe('INVALID_STATE');
    const resumed = await act(body.id, 'resume');
    expect(resumed.body.status).toBe('open');
    const dl = resumed.body.deadlines[0];
    expect(Date.parse(dl.dueAt) - Date.now()).toBeLessThanOrEqual(remaining);
    expect(Date.parse(dl.dueAt) - Date.now()).toBeGreaterThan(remaining - 10_000);

    const headers = { 'idempotency-key': `esc-${randomUUID()}` };
    const e1 = await api.call('POST', `/v1/complaints/${body.id}/escalate`, { token: tokens.assistant, body: {}, headers });
    const e2 = await api.call('POST', `/v1/complaints/${body.id}/escalate`, { token: tokens.assistant, body: {}, headers });
    expect(e1.body.level).toBe('supervisor');
    expect(e2.body.level).toBe('supervisor');
    const escalations = await w.db.models.CaseEvent.countDocuments({ complaintId: body.id, type: 'escalated' });
    expect(escalations).toBe(1);
  });

  it('repairs or compensates a defect, never both (409), and pays the fixed allowance once', async () => {
    const { body } = await open();
    expect((await act(body.id, 'compensation', { type: 'repair', defect: 'tile-crack' })).status).toBe(200);
    expect((await act(body.id, 'approvals', { decision: 'refund_deposit_measured', approved: true }, 'executive')).status).toBe(200);
    const refund = await act(body.id, 'compensation', { type: 'refund', defect: 'tile-crack', amount: 300 });
    expect(refund.status).toBe(409);
    expect(refund.body.error.code).toBe('REPAIR_OR_COMPENSATE');
    expect((await act(body.id, 'compensation', { type: 'refund', defect: 'door-scratch', amount: 120 })).status).toBe(200);
    // The fixed allowance follows triage's confirmation that the complaint is valid.
    expect((await act(body.id, 'triage', { severity: 'general', priority: 'high', valid: true }, 'supervisor')).status).toBe(200);
    const a1 = await act(body.id, 'compensation', { type: 'allowance' });
    const a2 = await act(body.id, 'compensation', { type: 'allowance' });
    expect(a2.body.remedies).toEqual(a1.body.remedies);
    expect(a1.body.remedies.find((r: { type: string }) => r.type === 'allowance')).toMatchObject({ amount: 50, currency: 'CNY' });
    expect((await act(body.id, 'compensation', { type: 'refund', defect: 'x' })).body.error.details[0].field).toBe('amount');
  });

  it('lets only the authority matrix approve: executive for refunds, legal with the director for air quality', async () => {
    const { body } = await open();
    const denied = await act(body.id, 'approvals', { decision: 'refund_deposit_measured', approved: true }, 'supervisor');
    expect(denied.status).toBe(403);
    expect((await act(body.id, 'approvals', { decision: 'refund_deposit_measured', approved: true }, 'executive')).status).toBe(200);
    expect((await act(body.id, 'approvals', { decision: 'environmental_dispute', approved: true }, 'legal')).status).toBe(200);
    expect((await act(body.id, 'approvals', { decision: 'environmental_dispute', approved: true }, 'director')).status).toBe(200);
    const events = await w.db.models.CaseEvent.find({ complaintId: body.id, type: 'decision_approved' }).lean();
    expect(events.map((e) => (e.data as { decision: string }).decision).sort()).toEqual(['environmental_dispute', 'refund_deposit_measured']);
  });
});
