// Issue 11 "done when": what an assistant is refused on a real case, what the right role may do, and what another branch never sees.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { complaintWorkflowId, stateQuery } from '../../workflows/complaint.messages';
import { useCaseWorld } from '../support/harness';
import { serve, testAppDeps, token } from '../support/http';

let api: Awaited<ReturnType<typeof serve>>;
const w = useCaseWorld('dev');
const t: Record<string, string> = {};

let phoneSeq = 0;
const complaint = (patch: Record<string, unknown> = {}) => ({
  kind: 'customer',
  source: 'phone',
  branch: 'north',
  complainant: { name: 'Test Customer', phone: `1370000${String(1000 + phoneSeq++)}` },
  category: 'quality',
  description: 'Cracked tiles',
  severity: 'general',
  priority: 'high',
  ...patch,
});

beforeAll(async () => {
  const { app } = createApp(testAppDeps(w.env, w.db.models, w.taskQueue));
  api = await serve(app);
  t.assistant = await token(['assistant'], { sub: 'a-north', branch: 'north' });
  t.southAssistant = await token(['assistant'], { sub: 'a-south', branch: 'south' });
  t.branchNoClaim = await token(['branch'], { sub: 'b-none' });
  t.southBranch = await token(['branch'], { sub: 'b-south', branch: 'south' });
  for (const role of ['supervisor', 'director', 'legal', 'vp', 'regional_president'] as const) t[role] = await token([role], { sub: `${role}-1` });
});

afterAll(async () => {
  await api?.close();
});

const open = async (body = complaint(), who = 'assistant') => {
  const res = await api.call('POST', '/v1/complaints', { token: t[who], body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const act = (id: string, action: string, who: string, body: unknown = {}) => api.call('POST', `/v1/complaints/${id}/${action}`, { token: t[who], body });
const events = (id: string) => w.db.models.CaseEvent.find({ complaintId: id }).sort({ seq: 1 }).lean();
const state = (id: string) => w.env.client.workflow.getHandle(complaintWorkflowId(id)).query(stateQuery);

describe('an assistant is refused what the company forbids (403, nothing recorded)', () => {
  it('cannot escalate or close a case held by the supervisor, the director or legal; the holder can', async () => {
    const id = await open();
    expect((await act(id, 'escalate', 'assistant')).body.level).toBe('supervisor');
    for (const [holder, next] of [
      ['supervisor', 'director'],
      ['director', 'legal'],
    ] as const) {
      const before = (await events(id)).length;
      const esc = await act(id, 'escalate', 'assistant');
      expect(esc.status).toBe(403);
      expect(esc.body.error.code).toBe('NOT_CASE_OWNER');
      const close = await act(id, 'close', 'assistant');
      expect(close.body.error.code).toBe('NOT_CASE_OWNER');
      expect((await events(id)).length).toBe(before);
      expect((await act(id, 'escalate', holder)).body.level).toBe(next);
    }
    expect((await act(id, 'close', 'assistant')).body.error.code).toBe('NOT_CASE_OWNER');
    expect((await act(id, 'close', 'director')).body.error.code).toBe('NOT_CASE_OWNER');
    const closed = await act(id, 'close', 'legal', { notes: 'settled' });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
  });

  it('cannot triage (the supervisor reviews) nor approve anything', async () => {
    const id = await open(complaint({ severity: undefined, priority: undefined }));
    await act(id, 'acknowledge', 'assistant');
    const triage = await act(id, 'triage', 'assistant', { severity: 'serious', priority: 'high', valid: true });
    expect(triage.status).toBe(403);
    for (const decision of ['refund_deposit_measured', 'cancel_order', 'claim_crew_pays', 'arbitration_lawsuit']) {
      const res = await act(id, 'approvals', 'assistant', { decision, approved: true });
      expect(res.status, decision).toBe(403);
    }
    expect((await state(id)).approvals).toEqual([]);
    expect((await state(id)).severityConfirmed).toBe(false);
    expect((await act(id, 'triage', 'supervisor', { severity: 'serious', priority: 'high', valid: true })).status).toBe(200);
  });

  it('cannot record a refund or a claim above the allowance as done until the matrix approves; then the case file shows both people', async () => {
    const id = await open();
    const refund = { type: 'refund', defect: 'tiles', amount: 800 };
    const early = await act(id, 'compensation', 'assistant', refund);
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('APPROVAL_REQUIRED');
    expect((await act(id, 'compensation', 'assistant', { type: 'compensation', defect: 'door', amount: 400, payer: 'crew' })).body.error.code).toBe(
      'APPROVAL_REQUIRED',
    );
    expect((await state(id)).remedies).toEqual([]);
    // The handler asks; the VP is told; asking twice is refused.
    const asked = await act(id, 'approval-requests', 'assistant', { decision: 'refund_deposit_measured', notes: 'customer cancels the tiles' });
    expect(asked.status).toBe(200);
    expect((await act(id, 'approval-requests', 'assistant', { decision: 'refund_deposit_measured' })).body.error.code).toBe('ALREADY_DONE');
    await expect.poll(async () => w.db.models.Notification.countDocuments({ caseId: id, type: 'approval_requested', recipientRole: 'vp' })).toBe(1);
    // The regional president may not approve a refund of a measured house: only the VP.
    expect((await act(id, 'approvals', 'regional_president', { decision: 'refund_deposit_measured', approved: true })).body.error.code).toBe(
      'ROLE_NOT_ALLOWED',
    );
    const approved = await act(id, 'approvals', 'vp', { decision: 'refund_deposit_measured', approved: true, notes: 'deposit returned' });
    expect(approved.status).toBe(200);
    const done = await act(id, 'compensation', 'assistant', refund);
    expect(done.status).toBe(200);
    expect(done.body.remedies).toEqual([expect.objectContaining({ type: 'refund', by: 'a-north', approvedBy: ['vp-1'] })]);
    const file = await api.call('GET', `/v1/complaints/${id}`, { token: t.supervisor });
    const entries = file.body.history.map((h: { type: string; by?: string }) => `${h.type}:${h.by}`);
    expect(entries).toEqual(expect.arrayContaining(['approval_requested:a-north', 'approval:vp-1', 'decision_approved:system', 'compensation:a-north']));
    const approval = file.body.history.find((h: { type: string }) => h.type === 'approval');
    expect(approval.data).toMatchObject({ approved: true, role: 'vp', requestedBy: 'a-north', notes: 'deposit returned' });
    const compensation = file.body.history.find((h: { type: string }) => h.type === 'compensation');
    expect(compensation.data).toMatchObject({ type: 'refund', approvedBy: ['vp-1'] });
  });
});

describe('branch scoping', () => {
  it('refuses a branch token without a branch claim on every route', async () => {
    for (const [method, path] of [
      ['GET', '/v1/complaints'],
      ['GET', '/v1/callbacks'],
      ['GET', '/v1/notifications'],
    ] as const) {
      const res = await api.call(method, path, { token: t.branchNoClaim });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('BRANCH_CLAIM_REQUIRED');
    }
  });

  it('an assistant of south gets 404 for a north case, never lists it, never sees its notices or north reports', async () => {
    const id = await open();
    await act(id, 'escalate', 'assistant');
    expect((await api.call('GET', `/v1/complaints/${id}`, { token: t.southAssistant })).status).toBe(404);
    const acting = await act(id, 'acknowledge', 'southAssistant');
    expect(acting.status).toBe(404);
    expect(acting.body.error.code).toBe('NOT_FOUND');
    expect((await api.call('GET', `/v1/complaints/${id}`, { token: t.southBranch })).status).toBe(404);
    const list = await api.call('GET', '/v1/complaints?branch=north', { token: t.southAssistant });
    expect(list.body.items).toEqual([]);
    // Notices of the north case go to north's assistants only.
    const northNotices = await w.db.models.Notification.find({ caseId: id, recipientRole: 'assistant' }).lean();
    expect(northNotices.length).toBeGreaterThan(0);
    const southSees = await api.call('GET', '/v1/notifications?limit=100', { token: t.southAssistant });
    expect(southSees.status).toBe(200);
    expect(southSees.body.items.filter((n: { branch: string | null }) => n.branch !== 'south' && n.branch !== null)).toEqual([]);
    const northSees = await api.call('GET', '/v1/notifications?limit=100', { token: t.assistant });
    expect(northSees.body.items.some((n: { caseId: string }) => n.caseId === id)).toBe(true);
    const from = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
    const to = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await api.call('GET', `/v1/reports/kpis?from=${from}&to=${to}&branch=north`, { token: t.southAssistant })).status).toBe(403);
    expect((await api.call('GET', `/v1/reports/kpis?from=${from}&to=${to}&branch=north`, { token: t.southBranch })).status).toBe(403);
  });

  it('an assistant may not open a case for a branch it does not serve; one without a branch is the hotline’s until triage assigns it', async () => {
    const outside = await api.call('POST', '/v1/complaints', { token: t.southAssistant, body: complaint() });
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('OUTSIDE_BRANCH');
    const id = await open(complaint({ branch: undefined }), 'southAssistant');
    expect((await api.call('GET', `/v1/complaints/${id}`, { token: t.assistant })).status).toBe(200);
    expect((await api.call('GET', `/v1/complaints/${id}`, { token: t.southBranch })).status).toBe(404);
    await act(id, 'acknowledge', 'southAssistant');
    expect((await act(id, 'triage', 'supervisor', { severity: 'general', priority: 'low', valid: true, branch: 'north' })).status).toBe(200);
    // The projection catches up with the workflow's write.
    await expect.poll(async () => (await w.db.models.Complaint.findById(id).lean())?.branch).toBe('north');
    expect((await api.call('GET', `/v1/complaints/${id}`, { token: t.southAssistant })).status).toBe(404);
    expect((await api.call('GET', `/v1/complaints/${id}`, { token: t.assistant })).status).toBe(200);
  });

  it('registering a contract checks the caller’s branch', async () => {
    const body = {
      contractNo: `HZ-${randomUUID().slice(0, 8)}`,
      branch: 'north',
      customer: { name: 'Test Customer', phone: '13900001234' },
      contractSignedAt: new Date(Date.now() - 86_400_000).toISOString(),
      plannedCompletionAt: new Date(Date.now() + 60 * 86_400_000).toISOString(),
    };
    const refused = await api.call('POST', '/v1/contracts', { token: t.southBranch, body });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('OUTSIDE_BRANCH');
    expect(await w.db.models.Contract.countDocuments({ _id: body.contractNo })).toBe(0);
    expect((await api.call('POST', '/v1/contracts', { token: t.assistant, body })).status).toBe(201);
  });
});
