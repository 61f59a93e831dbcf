// Every route of the OpenAPI document × every role × a same-branch, other-branch and branchless token: the gate's answer.
// A route missing from TABLE fails, so no route is added without saying who may call it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { ROLES, type Role } from '../../domain/roles';
import { devServerEnvironment, freshDatabase, type TestDatabase } from '../support/harness';
import { serve, testAppDeps, token } from '../support/http';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

const CS: Role[] = ['assistant', 'supervisor', 'director'];
const EVERYONE: Role[] = [...ROLES];
const APPROVERS: Role[] = ['director', 'legal', 'regional_president', 'vp', 'executive'];
const REPORTERS: Role[] = ['supervisor', 'director', 'regional_president', 'vp', 'executive', 'admin'];
/** Branch-scoped roles (domain/scope.ts): their token must name a branch, and another branch's case is 404 to them. */
const SCOPED: Role[] = ['assistant', 'branch'];

/** Who passes the gate of each route; written out here rather than imported, so the table is the specification. */
const TABLE: Record<string, Role[]> = {
  'POST /v1/complaints': CS,
  'GET /v1/complaints': EVERYONE,
  'GET /v1/complaints/{id}': EVERYONE,
  'POST /v1/complaints/{id}/acknowledge': CS,
  'POST /v1/complaints/{id}/triage': ['supervisor', 'director'],
  'POST /v1/complaints/{id}/feedback': ['branch', 'engineering', 'hr', ...CS],
  'POST /v1/complaints/{id}/follow-up': CS,
  'POST /v1/complaints/{id}/pause': [...CS, 'legal'],
  'POST /v1/complaints/{id}/resume': [...CS, 'legal'],
  'POST /v1/complaints/{id}/escalate': CS,
  'POST /v1/complaints/{id}/close': [...CS, 'legal'],
  'POST /v1/complaints/{id}/reopen': CS,
  'POST /v1/complaints/{id}/survey': ['assistant', 'supervisor'],
  'POST /v1/complaints/{id}/compensation': [...CS, 'branch'],
  'POST /v1/complaints/{id}/approval-requests': [...CS, 'branch'],
  'POST /v1/complaints/{id}/approvals': APPROVERS,
  'POST /v1/complaints/{id}/external-decision': ['director', 'vp', 'executive'],
  'POST /v1/complaints/{id}/external-flag': ['supervisor', 'director'],
  'POST /v1/complaints/{id}/director-decision': ['director'],
  'POST /v1/contracts': ['assistant', 'supervisor', 'director', 'branch', 'admin'],
  'GET /v1/contracts/{contractNo}': EVERYONE,
  'POST /v1/contracts/{contractNo}/milestones': ['assistant', 'supervisor', 'director', 'branch', 'vp', 'executive'],
  'GET /v1/callbacks': EVERYONE,
  'POST /v1/callbacks/{id}/outcome': CS,
  'POST /v1/contracts/{contractNo}/milestone-corrections': ['supervisor', 'director'],
  'POST /v1/callbacks/{id}/waive': CS,
  'POST /v1/callbacks/{id}/reschedule': CS,
  'PUT /v1/contracts/{contractNo}/customer-phone': ['assistant', 'supervisor', 'director', 'branch'],
  'POST /v1/contracts/{contractNo}/cancellation-requests': ['assistant', 'supervisor', 'director', 'branch'],
  'POST /v1/contracts/{contractNo}/cancellation-decisions': APPROVERS,
  'GET /v1/reports/kpis': REPORTERS,
  'GET /v1/reports/summaries': REPORTERS,
  'GET /v1/worklist': EVERYONE,
  'POST /v1/complaints/{id}/assignee': ['supervisor', 'director'],
  'POST /v1/contracts/{contractNo}/assignee': ['supervisor', 'director'],
  'POST /v1/callbacks/{id}/assignee': ['supervisor', 'director'],
  'POST /v1/complaints/{id}/notes': EVERYONE,
  'POST /v1/contracts/{contractNo}/notes': EVERYONE,
  'POST /v1/tasks/{id}/done': ['assistant', 'supervisor', 'director'],
  'GET /v1/customers': ['assistant', 'supervisor', 'director', 'branch'],
  'GET /v1/contracts': EVERYONE,
  'GET /v1/calendars/{year}': EVERYONE,
  'PUT /v1/calendars/{year}': ['admin'],
  'GET /v1/notifications': EVERYONE,
  'POST /v1/notifications/{id}/read': EVERYONE,
  'POST /v1/complaints/{id}/attachments': [...CS, 'branch', 'engineering', 'hr', 'legal'],
  'GET /v1/complaints/{id}/attachments': EVERYONE,
  'POST /v1/complaints/{id}/file-reviews': ['supervisor', 'director', 'legal', 'branch'],
  'POST /v1/complaints/{id}/letters': [...CS, 'branch'],
  'POST /v1/complaints/{id}/letters/{letterId}/decision': ['legal'],
  'POST /v1/complaints/{id}/letters/{letterId}/sent': [...CS, 'branch'],
  'POST /v1/complaints/{id}/inspections': ['branch', 'engineering', 'supervisor', 'director'],
  'POST /v1/complaints/{id}/inspections/{inspectionId}/signatures': ['branch', 'engineering', 'supervisor', 'director'],
  'POST /v1/complaints/{id}/inspections/{inspectionId}/conclusion': ['branch', 'engineering', 'supervisor', 'director'],
  'POST /v1/complaints/{id}/apologies': ['supervisor', 'director'],
  'POST /v1/contracts/{contractNo}/recordings': [...CS, 'branch'],
  'GET /v1/contracts/{contractNo}/recordings': EVERYONE,
};

const COMPLAINT = 'C-00000000000000a1';
const CONTRACT = 'HZ-AUTH-0001';
const CALLBACK = `${CONTRACT}.after_signing.1`;
const TASK = `${COMPLAINT}:post_repair`;
const noticeOf = (role: Role) => `n-auth-${role}`;
const TOKEN_KINDS = ['same', 'other', 'none'] as const;

let env: TestWorkflowEnvironment;
let db: TestDatabase;
let api: Awaited<ReturnType<typeof serve>>;
let paths: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  [env, db] = await Promise.all([devServerEnvironment(), freshDatabase()]);
  const { app } = createApp(testAppDeps(env, db.models, 'tq-route-authority'));
  api = await serve(app);
  paths = (await api.call('GET', '/openapi.json')).body.paths;
  // Documents only: every request here is answered by the gate, visibility or validation before any workflow is asked.
  const now = new Date();
  await db.models.Complaint.create({
    _id: COMPLAINT,
    kind: 'customer',
    source: 'phone',
    branch: 'north',
    category: 'quality',
    workflowId: `complaint-${COMPLAINT}`,
    createdAt: now,
    status: 'open',
    level: 'assistant',
    stateSeq: 0,
  });
  await db.models.Contract.create({
    _id: CONTRACT,
    branch: 'north',
    customer: { name: 'Nobody', phone: '13800000000' },
    contractSignedAt: now,
    plannedCompletionAt: now,
    warrantyMonths: 12,
    requestHash: 'x',
    workflowId: `project-${CONTRACT}`,
    createdAt: now,
    stateSeq: 0,
  });
  await db.models.Task.create({
    _id: TASK,
    type: 'post_repair_callback',
    complaintId: COMPLAINT,
    branch: 'north',
    assigneeRole: 'assistant',
    dueAt: now,
    status: 'due',
    createdAt: now,
  });
  await db.models.Calendar.create({
    _id: '2026',
    year: 2026,
    version: 1,
    source: 'test',
    contentHash: 'x',
    publishedBy: 'test',
    publishedAt: now,
  });
  await db.models.Callback.create({ _id: CALLBACK, contractNo: CONTRACT, branch: 'north', kind: 'after_signing', dueAt: now, status: 'due', createdAt: now });
  await db.models.Notification.insertMany(
    ROLES.map((role) => ({
      _id: noticeOf(role),
      caseId: COMPLAINT,
      caseType: 'complaint',
      type: 'escalated',
      recipientRole: role,
      branch: 'north',
      message: 'x',
      createdAt: now,
    })),
  );
});

afterAll(async () => {
  await api?.close();
  await env?.teardown();
  await db?.close();
});

function urlOf(path: string, role: Role): string {
  const filled = path
    .replace(
      '{id}',
      path.startsWith('/v1/notifications') ? noticeOf(role) : path.startsWith('/v1/callbacks') ? CALLBACK : path.startsWith('/v1/tasks') ? TASK : COMPLAINT,
    )
    .replace('{letterId}', `${COMPLAINT}:letter:auth`)
    .replace('{inspectionId}', `${COMPLAINT}:inspection:auth`)
    .replace('{contractNo}', CONTRACT)
    .replace('{year}', '2026');
  if (path === '/v1/customers') return `${filled}?phone=13800000000`;
  if (path === '/v1/reports/kpis') return `${filled}?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`;
  return filled;
}

/** What the caller should meet: refused (403), hidden (404), or through the gate (200 for reads and the read mark, 400 for the invalid body sent). */
function expected(key: string, role: Role, kind: (typeof TOKEN_KINDS)[number]): number {
  const [method, path] = key.split(' ') as [string, string];
  if (!TABLE[key]!.includes(role)) return 403;
  if (SCOPED.includes(role) && kind === 'none') return 403;
  // A calendar belongs to no branch: another branch's token reads it like its own.
  if (SCOPED.includes(role) && kind === 'other' && path.includes('{') && !path.startsWith('/v1/calendars')) return 404;
  const hasBody = (method === 'POST' && !path.endsWith('/read')) || method === 'PUT';
  return hasBody ? 400 : 200;
}

describe('route × role × branch', () => {
  it('the table names every route of the OpenAPI document, and nothing else', () => {
    const documented = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(
      documented.filter((k) => !(k in TABLE)),
      'routes missing from TABLE',
    ).toEqual([]);
    expect(
      Object.keys(TABLE).filter((k) => !documented.includes(k)),
      'rows for routes that do not exist',
    ).toEqual([]);
  });

  it('answers every route, role and token as the table says, and lists hide the other branch', async () => {
    const tokens = new Map<string, string>();
    for (const role of ROLES) {
      tokens.set(`${role}:same`, await token([role], { sub: `t-${role}-n`, branch: 'north' }));
      tokens.set(`${role}:other`, await token([role], { sub: `t-${role}-s`, branches: ['south', 'east'] }));
      tokens.set(`${role}:none`, await token([role], { sub: `t-${role}-0` }));
    }
    const mismatches: string[] = [];
    let calls = 0;
    for (const key of Object.keys(TABLE)) {
      const [method, path] = key.split(' ') as [string, string];
      for (const role of ROLES) {
        for (const kind of TOKEN_KINDS) {
          const want = expected(key, role, kind);
          // An unknown field makes every body invalid (400) once the gate is passed, so nothing is ever recorded.
          const body = (method === 'POST' && !path.endsWith('/read')) || method === 'PUT' ? { notAField: true } : undefined;
          const res = await api.call(method, urlOf(path, role), { token: tokens.get(`${role}:${kind}`)!, body });
          calls++;
          if (res.status !== want) mismatches.push(`${key} ${role}/${kind}: ${res.status} ${res.body?.error?.code ?? ''}, expected ${want}`);
          if (want === 403 && res.status === 403 && SCOPED.includes(role) && kind === 'none' && TABLE[key]!.includes(role)) {
            if (res.body.error.code !== 'BRANCH_CLAIM_REQUIRED') mismatches.push(`${key} ${role}/none: code ${res.body.error.code}`);
          }
          if (method === 'GET' && ['/v1/complaints', '/v1/callbacks', '/v1/notifications'].includes(path) && res.status === 200) {
            const ids = res.body.items.map((i: { id: string }) => i.id);
            const north = path === '/v1/complaints' ? COMPLAINT : path === '/v1/callbacks' ? CALLBACK : noticeOf(role);
            const sees = !(SCOPED.includes(role) && kind === 'other');
            if (ids.includes(north) !== sees) mismatches.push(`${key} ${role}/${kind}: north item ${sees ? 'missing' : 'visible'}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(calls).toBe(Object.keys(TABLE).length * ROLES.length * TOKEN_KINDS.length);
    // Nothing got through to change a case.
    expect((await db.models.Complaint.findById(COMPLAINT).lean())!.status).toBe('open');
    expect(await db.models.Complaint.countDocuments({})).toBe(1);
    expect(await db.models.Contract.countDocuments({})).toBe(1);
    // Over 800 sequential requests: seconds alone, but more than the default minute on two shared, loaded cores.
  }, 240_000);
});
