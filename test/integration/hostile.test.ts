// Hostile input, table-driven: each row one request and the status and code it must get (issue 15); then the retry storms.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createHttpServer } from '../../api/http-guards';
import { complaintWorkflowId } from '../../workflows/complaint.messages';
import { useCaseWorld } from '../support/harness';
import { serve, TEST_SECRET, testAppDeps, token } from '../support/http';

const w = useCaseWorld('dev');
let api: Awaited<ReturnType<typeof serve>>;
const tokens: Record<string, string> = {};
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const ahead = (days: number) => new Date(Date.now() + days * DAY).toISOString();

let phoneSeq = 0;
const complaint = (patch: Record<string, unknown> = {}) => ({
  kind: 'customer',
  source: 'phone',
  branch: 'north',
  complainant: { name: 'Hostile Test', phone: `1370000${String(1000 + phoneSeq++)}` },
  category: 'quality',
  description: 'Cracked tiles',
  severity: 'general',
  priority: 'high',
  ...patch,
});
const contract = (patch: Record<string, unknown> = {}) => ({
  contractNo: `HX-${randomUUID().slice(0, 8)}`,
  branch: 'north',
  customer: { name: 'Hostile Customer', phone: '13900001234' },
  contractSignedAt: ago(30),
  plannedCompletionAt: ahead(60),
  ...patch,
});

async function jwt(claims: { iat?: number; exp: number }) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name: 'X', roles: ['assistant'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('x')
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(TEST_SECRET));
}

let caseId = '';
beforeAll(async () => {
  const { app } = createApp(testAppDeps(w.env, w.db.models, w.taskQueue));
  api = await serve(app);
  tokens.assistant = await token(['assistant'], { branch: 'north' });
  tokens.supervisor = await token(['supervisor']);
  tokens.other = await token(['assistant'], { sub: 'other-assistant', branch: 'north' });
  const now = Math.floor(Date.now() / 1000);
  tokens.future = await jwt({ iat: now + 3600, exp: now + 7200 });
  tokens.eternal = await jwt({ exp: now + 400 * 86_400 });
  const opened = await api.call('POST', '/v1/complaints', { token: tokens.assistant, body: complaint() });
  expect(opened.status).toBe(201);
  caseId = opened.body.id;
}, 120_000);

afterAll(async () => {
  await api?.close();
});

interface Row {
  name: string;
  method: string;
  path: string | (() => string);
  token?: keyof typeof tokens | null;
  body?: unknown;
  raw?: string;
  contentType?: string;
  status: number;
  code?: string;
  field?: string;
  /** No complaint document may be written by this request. */
  nothingRecorded?: boolean;
}

const ROWS: Row[] = [
  // Quiet acceptance (item 6)
  {
    name: 'operator injection in a query parameter',
    method: 'GET',
    path: '/v1/complaints?status[$regex]=.*',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'query.status[$regex]',
  },
  { name: 'unknown query parameter', method: 'GET', path: '/v1/callbacks?foo=1', status: 400, code: 'VALIDATION_FAILED', field: 'query.foo' },
  {
    name: 'repeated query parameter',
    method: 'GET',
    path: '/v1/complaints?status=open&status=closed',
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'query.status',
  },
  {
    name: 'query on a route without query parameters',
    method: 'GET',
    path: () => `/v1/complaints/${caseId}?x=1`,
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'query.x',
  },
  {
    name: 'malformed JSON without a token',
    method: 'POST',
    path: '/v1/complaints',
    token: null,
    raw: '{"kind":',
    status: 401,
    code: 'UNAUTHENTICATED',
    nothingRecorded: true,
  },
  { name: 'malformed JSON with a token', method: 'POST', path: '/v1/complaints', raw: '{"kind":', status: 400, code: 'MALFORMED_JSON', nothingRecorded: true },
  { name: 'a bare JSON number for a body', method: 'POST', path: '/v1/complaints', raw: '0', status: 400, code: 'MALFORMED_JSON', nothingRecorded: true },
  { name: 'token issued in the future', method: 'GET', path: '/v1/complaints', token: 'future', status: 401, code: 'UNAUTHENTICATED' },
  { name: 'token living 400 days', method: 'GET', path: '/v1/complaints', token: 'eternal', status: 401, code: 'UNAUTHENTICATED' },
  {
    name: 'complainant with an unknown key',
    method: 'POST',
    path: '/v1/complaints',
    body: complaint({ complainant: { name: 'A', phone: '13700009999', vip: true } }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'complainant.vip',
    nothingRecorded: true,
  },
  {
    name: 'NUL in text',
    method: 'POST',
    path: '/v1/complaints',
    body: complaint({ description: 'a\u0000b' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'description',
    nothingRecorded: true,
  },
  {
    name: 'bidi override in text',
    method: 'POST',
    path: '/v1/complaints',
    body: complaint({ category: 'x\u202Ey' }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'category',
    nothingRecorded: true,
  },
  {
    name: 'form body',
    method: 'POST',
    path: '/v1/complaints',
    raw: 'kind=customer',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    nothingRecorded: true,
  },
  // Schema-valid but business-refused: 422 naming the field and rule (item 5)
  {
    name: 'whitespace-only text',
    method: 'POST',
    path: '/v1/complaints',
    body: complaint({ category: '   ' }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'category',
    nothingRecorded: true,
  },
  {
    name: 'name and phone unless anonymous',
    method: 'POST',
    path: '/v1/complaints',
    body: complaint({ complainant: {} }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'complainant.name',
    nothingRecorded: true,
  },
  {
    name: 'occurredAt in year 0001',
    method: 'POST',
    path: '/v1/complaints',
    body: complaint({ occurredAt: '0001-01-01T00:00:00Z' }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'occurredAt',
    nothingRecorded: true,
  },
  {
    name: 'occurredAt in the future',
    method: 'POST',
    path: '/v1/complaints',
    body: complaint({ occurredAt: ahead(3) }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'occurredAt',
    nothingRecorded: true,
  },
  {
    name: 'feedback repairCompletedAt year 0055',
    method: 'POST',
    path: () => `/v1/complaints/${caseId}/feedback`,
    token: 'supervisor',
    body: { cause: 'c', action: 'a', responsible: 'r', repairCompletedAt: '0055-03-01T00:00:00Z' },
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'repairCompletedAt',
  },
  {
    name: 'refund without amount',
    method: 'POST',
    path: () => `/v1/complaints/${caseId}/compensation`,
    token: 'supervisor',
    body: { type: 'refund', defect: 'tiles' },
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'amount',
  },
  {
    name: 'kpis with to before from',
    method: 'GET',
    path: `/v1/reports/kpis?from=${encodeURIComponent(ago(1))}&to=${encodeURIComponent(ago(2))}`,
    token: 'supervisor',
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'query.to',
  },
  { name: 'well-formed cursor the API never issued', method: 'GET', path: '/v1/complaints?cursor=abc', status: 422, code: 'RULE_VIOLATED', field: 'cursor' },
  {
    name: 'contract signed in year 2001',
    method: 'POST',
    path: '/v1/contracts',
    body: contract({ contractSignedAt: '2001-01-01T00:00:00Z', plannedCompletionAt: '2001-06-01T00:00:00Z' }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'contractSignedAt',
  },
  {
    name: 'planned completion 9999',
    method: 'POST',
    path: '/v1/contracts',
    body: contract({ plannedCompletionAt: '9999-01-01T00:00:00Z' }),
    status: 422,
    code: 'RULE_VIOLATED',
    field: 'plannedCompletionAt',
  },
  // Unsupported methods (item 5)
  { name: 'PUT on a known path', method: 'PUT', path: '/v1/complaints', status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'DELETE on a case', method: 'DELETE', path: () => `/v1/complaints/${caseId}`, status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'unknown path', method: 'GET', path: '/v1/nothing-here', status: 404, code: 'NOT_FOUND' },
];

describe('hostile requests', () => {
  it.each(ROWS)('$name → $status $code', async (row) => {
    const before = row.nothingRecorded ? await w.db.models.Complaint.countDocuments() : 0;
    const path = typeof row.path === 'function' ? row.path() : row.path;
    const tok = row.token === null ? undefined : tokens[row.token ?? 'assistant'];
    const res = await api.call(row.method, path, { token: tok, body: row.body, raw: row.raw, contentType: row.contentType });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: row.status, code: row.code });
    if (row.field) expect(res.body.error.details.map((d: { field?: string }) => d.field)).toContain(row.field);
    if (row.status === 405) expect(res.headers.get('allow')).toMatch(/GET|POST/);
    if (row.nothingRecorded) expect(await w.db.models.Complaint.countDocuments()).toBe(before);
  });

  it('answers TRACE on a known path with 405 and Allow (fetch cannot send TRACE)', async () => {
    const res = await new Promise<{ status?: number; allow?: string; body: string }>((resolve, reject) => {
      const req = request(`${api.base}/v1/complaints`, { method: 'TRACE' }, (r) => {
        let body = '';
        r.on('data', (c) => {
          body += c;
        });
        r.on('end', () => resolve({ status: r.statusCode, allow: r.headers.allow, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(405);
    expect(res.allow?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
    expect(JSON.parse(res.body).error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers oversized headers with a JSON 431', async () => {
    const { app } = createApp(testAppDeps(w.env, w.db.models, w.taskQueue));
    const server = createHttpServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as { port: number };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { 'x-big': 'a'.repeat(20_000) } });
      expect(res.status).toBe(431);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('HEADERS_TOO_LARGE');
    } finally {
      server.close();
    }
  });
});

describe('Idempotency-Key scope and body (item 4)', () => {
  it('refuses a repeated action key with another body and keeps the first decision', async () => {
    const key = `hostile-${randomUUID()}`;
    const path = `/v1/complaints/${caseId}/triage`;
    const headers = { 'idempotency-key': key };
    const first = await api.call('POST', path, { token: tokens.supervisor, headers, body: { severity: 'major', priority: 'high', valid: true } });
    expect(first.status).toBe(200);
    const again = await api.call('POST', path, { token: tokens.supervisor, headers, body: { severity: 'major', priority: 'high', valid: true } });
    expect(again.status).toBe(200);
    // The stored answer is the first answer as JSON: absent fields stay absent (Schemathesis found nulls here).
    expect(again.body).toEqual(first.body);
    const other = await api.call('POST', path, { token: tokens.supervisor, headers, body: { severity: 'general', priority: 'low', valid: true } });
    expect({ status: other.status, code: other.body.error?.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await w.db.models.Complaint.findById(caseId).lean())?.severity).not.toBe('general');
  });

  it('gives user B replaying user A’s intake key a case of their own', async () => {
    const key = `shared-${randomUUID()}`;
    const body = complaint();
    const a = await api.call('POST', '/v1/complaints', { token: tokens.assistant, headers: { 'idempotency-key': key }, body });
    const b = await api.call('POST', '/v1/complaints', { token: tokens.other, headers: { 'idempotency-key': key }, body });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).not.toBe(a.body.id);
  });
});

describe('retry storms (item 1)', () => {
  it('400 identical intakes with one key: no 5xx, one complaint, one workflow', async () => {
    const key = `storm-${randomUUID()}`;
    const body = complaint();
    const results = await Promise.all(
      Array.from({ length: 400 }, () => api.call('POST', '/v1/complaints', { token: tokens.assistant, headers: { 'idempotency-key': key }, body })),
    );
    const statuses = results.map((r) => r.status);
    const counts = Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]));
    console.log('intake storm statuses', counts);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      expect(r.headers.get('retry-after')).toBeTruthy();
    }
    const ids = new Set(results.filter((r) => r.status < 300).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(await w.db.models.Complaint.countDocuments({ description: body.description, 'complainant.phone': body.complainant.phone })).toBe(1);
    const workflows: string[] = [];
    for await (const wf of w.env.client.workflow.list({ query: `WorkflowId = '${complaintWorkflowId(id)}'` })) workflows.push(wf.workflowId);
    expect(workflows.length).toBeLessThanOrEqual(1);
  }, 240_000);

  it('200 identical case actions with one key: no 5xx, one acknowledgement', async () => {
    const opened = await api.call('POST', '/v1/complaints', { token: tokens.assistant, body: complaint() });
    const key = `storm-act-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        api.call('POST', `/v1/complaints/${opened.body.id}/acknowledge`, {
          token: tokens.assistant,
          headers: { 'idempotency-key': key },
          body: { notes: 'called' },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    console.log('action storm statuses', Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length])));
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses).toContain(200);
    const acks = await w.db.models.CaseEvent.countDocuments({ complaintId: opened.body.id, type: 'acknowledged' });
    expect(acks).toBeLessThanOrEqual(1);
  }, 240_000);
});
