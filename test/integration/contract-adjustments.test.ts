// Correcting a running schedule over HTTP (time skipping): milestone dates, out-of-order completion, waived and moved calls, the phone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { addDurationInZone, shiftToWorkingDay } from '../../domain/calendar';
import { contractWorkflowId } from '../../workflows/contract.messages';
import { HOUR, POLICY } from '../support/fixtures';
import { useCaseWorld } from '../support/harness';
import { serve, testAppDeps, token } from '../support/http';

const w = useCaseWorld('time-skipping');
let api: Awaited<ReturnType<typeof serve>>;
const tokens: Record<string, string> = {};
const DAY = 24 * HOUR;

beforeAll(async () => {
  api = await serve(createApp(testAppDeps(w.env, w.db.models, w.taskQueue)).app);
  for (const role of ['supervisor', 'director', 'admin', 'vp'] as const) tokens[role] = await token([role]);
  tokens.assistant = await token(['assistant'], { branches: ['north'] });
  tokens.southAssistant = await token(['assistant'], { branches: ['south'] });
  tokens.branch = await token(['branch'], { branch: 'north' });
});
afterAll(async () => {
  await api?.close();
});

const now = async () => w.env.currentTimeMs();
const ago = async (days: number) => new Date((await now()) - days * DAY).toISOString();
const call = (method: string, path: string, role: string, body?: unknown) => api.call(method, `/v1${path}`, { token: tokens[role], body });

let phoneSeq = 0;
async function register(patch: Record<string, unknown> = {}) {
  const contractNo = `HZ-${randomUUID().slice(0, 8)}`;
  const phone = `1370000${String(1000 + phoneSeq++)}`;
  const res = await call('POST', '/contracts', 'assistant', {
    contractNo,
    branch: 'north',
    customer: { name: 'Test Customer', phone },
    contractSignedAt: await ago(40),
    plannedCompletionAt: new Date((await now()) + 60 * DAY).toISOString(),
    ...patch,
  });
  expect(res.status).toBe(201);
  return { contractNo, phone };
}
const file = async (contractNo: string) => (await call('GET', `/contracts/${contractNo}`, 'supervisor')).body;
const milestone = (contractNo: string, type: string, at: string) => call('POST', `/contracts/${contractNo}/milestones`, 'branch', { type, at });
const correct = (contractNo: string, body: Record<string, unknown>, role = 'supervisor') =>
  call('POST', `/contracts/${contractNo}/milestone-corrections`, role, body);

describe('milestone corrections', () => {
  it('a supervisor corrects a work start with a reason; the reason is in the file, the calls to come re-plan', async () => {
    const { contractNo } = await register();
    expect((await milestone(contractNo, 'work_started', await ago(3))).status).toBe(202);
    const before = (await file(contractNo)).upcoming.find((u: { id: string }) => u.id.endsWith('construction.1'));
    const at = await ago(6);
    const body = { milestone: 'work_started', at, reason: 'the foreman started three days earlier than recorded' };

    // Refusals record nothing: neither an entry nor the reason.
    expect((await correct(contractNo, body, 'assistant')).body.error.code).toBe('FORBIDDEN');
    expect((await correct(contractNo, body, 'assistant')).status).toBe(403);
    expect((await correct(contractNo, body, 'branch')).status).toBe(403);
    expect((await correct(contractNo, { ...body, milestone: 'completed' })).body.error.code).toBe('MILESTONE_NOT_RECORDED');
    const future = await correct(contractNo, { ...body, at: new Date((await now()) + 2 * DAY).toISOString() });
    expect([future.status, future.body.error.code]).toEqual([422, 'MILESTONE_IN_FUTURE']);
    expect((await correct(contractNo, { ...body, at: await ago(50) })).body.error.code).toBe('MILESTONE_OUT_OF_ORDER');
    expect((await correct(contractNo, { milestone: 'work_started', at })).status).toBe(400);
    expect(await w.db.models.ContractEvent.countDocuments({ contractNo, type: 'milestone_corrected' })).toBe(0);
    expect(await w.db.models.ActionText.countDocuments({ caseId: contractNo })).toBe(0);

    const ok = await correct(contractNo, body);
    expect(ok.status).toBe(202);
    const after = await file(contractNo);
    expect(after.milestones.workStartedAt).toBe(new Date(at).toISOString());
    expect(after.adjustments).toEqual([
      expect.objectContaining({
        type: 'milestone_corrected',
        milestone: 'work_started',
        to: new Date(at).toISOString(),
        by: 'staff-supervisor',
        reason: body.reason,
      }),
    ]);
    const moved = after.upcoming.find((u: { id: string }) => u.id.endsWith('construction.1'));
    expect(Date.parse(moved.dueAt)).toBe(shiftToWorkingDay(Date.parse(at) + 10 * DAY, POLICY.calendar));
    expect(Date.parse(moved.dueAt)).toBeLessThan(Date.parse(before.dueAt));
    // The reason is not in the workflow's history.
    const history = JSON.stringify(await w.env.client.workflow.getHandle(contractWorkflowId(contractNo)).fetchHistory());
    expect(history).not.toContain('three days earlier');
    // The same correction again changes nothing.
    expect((await correct(contractNo, body)).status).toBe(202);
    expect(await w.db.models.ContractEvent.countDocuments({ contractNo, type: 'milestone_corrected' })).toBe(1);
  });

  it('follows a completion recorded without a work start; a completion before the recorded start is refused', async () => {
    const { contractNo } = await register();
    const completedAt = await ago(10);
    expect((await milestone(contractNo, 'completed', completedAt)).status).toBe(202);
    const f = await file(contractNo);
    expect(f.milestones.completedAt).toBe(new Date(completedAt).toISOString());
    expect([...f.callbacks, ...f.upcoming].map((c: { id: string }) => c.id.split('.')[1])).toContain('completion');
    expect((await milestone(contractNo, 'work_started', await ago(5))).body.error.code).toBe('MILESTONE_OUT_OF_ORDER');
    expect((await milestone(contractNo, 'work_started', await ago(30))).status).toBe(202);
    // Work that is over gets no construction call.
    expect((await file(contractNo)).callbacks.some((c: { id: string }) => c.id.includes('.construction.'))).toBe(false);

    const other = await register();
    await milestone(other.contractNo, 'work_started', await ago(20));
    const early = await milestone(other.contractNo, 'completed', await ago(25));
    expect([early.status, early.body.error.code]).toEqual([409, 'MILESTONE_OUT_OF_ORDER']);
  });
});

describe('a corrected completion and the warranty’s own length', () => {
  it('moves the warranty calls to come with the corrected completion; the warranty is the contract’s own length', async () => {
    const { contractNo } = await register({ warrantyMonths: 3 });
    const handle = w.env.client.workflow.getHandle(contractWorkflowId(contractNo));
    const started = (await handle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
    const input = JSON.parse(Buffer.from(started.input!.payloads![0]!.data!).toString('utf8'));
    expect([input.warrantyMonths, input.warrantyLength]).toEqual([3, 'P3M']);
    await milestone(contractNo, 'work_started', await ago(30));
    await milestone(contractNo, 'completed', await ago(10));
    const warranty = async () =>
      (await file(contractNo)).upcoming.filter((u: { kind: string }) => u.kind === 'warranty').map((u: { dueAt: string }) => u.dueAt);
    expect(await warranty()).toHaveLength(3);
    const corrected = await ago(20);
    expect((await correct(contractNo, { milestone: 'completed', at: corrected, reason: 'handover was signed earlier' })).status).toBe(202);
    const expected = [1, 2, 3].map((k) =>
      new Date(shiftToWorkingDay(addDurationInZone(Date.parse(corrected), `P${k}M`, POLICY.calendar.timeZone), POLICY.calendar)).toISOString(),
    );
    expect(await warranty()).toEqual(expected);
    expect((await file(contractNo)).adjustments.map((a: { milestone?: string }) => a.milestone)).toEqual(['completed']);
  });
});

describe('one call waived or moved at the customer’s request', () => {
  it('waives an open call (settled, never overdue) and refuses what cannot change', async () => {
    const { contractNo } = await register();
    const id = `${contractNo}.after_signing.1`;
    const waive = (role: string, body: unknown = { reason: 'customer asked not to be called about this' }) =>
      call('POST', `/callbacks/${id}/waive`, role, body);
    expect((await waive('branch')).status).toBe(403);
    expect((await waive('southAssistant')).status).toBe(404);
    expect((await waive('assistant', {})).status).toBe(400);
    const ok = await waive('assistant');
    expect([ok.status, ok.body.callback.status]).toEqual([200, 'waived']);
    expect((await waive('assistant')).status).toBe(200);
    const moveWaived = await call('POST', `/callbacks/${id}/reschedule`, 'assistant', { dueAt: new Date((await now()) + 3 * DAY).toISOString(), reason: 'x' });
    expect([moveWaived.status, moveWaived.body.error.code]).toEqual([409, 'OUTCOME_ALREADY_RECORDED']);
    expect((await call('POST', `/callbacks/${id}/outcome`, 'assistant', { result: 'satisfied' })).status).toBe(409);
    await w.env.sleep(4 * DAY);
    expect((await w.db.models.Callback.findById(id).lean())!.status).toBe('waived');
    const f = await file(contractNo);
    expect(f.callbacks.find((c: { id: string }) => c.id === id).status).toBe('waived');
    expect(f.adjustments.map((a: { type: string; reason?: string }) => [a.type, a.reason])).toEqual([
      ['callback_waived', 'customer asked not to be called about this'],
    ]);
    expect(await w.db.models.ContractEvent.countDocuments({ contractNo, type: 'callback_overdue', 'data.callbackId': id })).toBe(0);
    expect((await call('POST', `/callbacks/${contractNo}.warranty.99/waive`, 'assistant', { reason: 'x' })).body.error.code).toBe('CALLBACK_NOT_FOUND');
  });

  it('moves a call still to come to the next working day after the asked date, never into the past', async () => {
    const { contractNo } = await register();
    await milestone(contractNo, 'work_started', await ago(1));
    const id = `${contractNo}.construction.2`;
    // A Saturday 10:00 Shanghai at least a week ahead: the call moves to the Monday.
    const base = (await now()) + 7 * DAY;
    const midnight = base - (base % DAY);
    const saturday = midnight + ((6 - new Date(midnight).getUTCDay() + 7) % 7) * DAY + 2 * HOUR;
    const past = await call('POST', `/callbacks/${id}/reschedule`, 'assistant', { dueAt: await ago(1), reason: 'x' });
    expect([past.status, past.body.error.code]).toEqual([422, 'CALLBACK_DATE_IN_PAST']);
    const res = await call('POST', `/callbacks/${id}/reschedule`, 'assistant', {
      dueAt: new Date(saturday).toISOString(),
      reason: 'customer is away until then',
    });
    expect(res.status).toBe(200);
    expect(res.body.callback.dueAt).toBe(new Date(shiftToWorkingDay(saturday, POLICY.calendar)).toISOString());
    const planned = (await file(contractNo)).upcoming.find((u: { id: string }) => u.id === id);
    expect(planned.dueAt).toBe(res.body.callback.dueAt);
    await w.env.sleep(saturday + 3 * DAY - (await now()));
    expect((await w.db.models.Callback.findById(id).lean())!.dueAt.toISOString()).toBe(res.body.callback.dueAt);
  });
});

describe('the customer’s phone', () => {
  it('is updated by the staff who call the customer, in MongoDB only, and the lookup finds the new number', async () => {
    const { contractNo, phone } = await register();
    const put = (role: string, body: unknown) => call('PUT', `/contracts/${contractNo}/customer-phone`, role, body);
    expect((await put('admin', { phone: '13911112222' })).status).toBe(403);
    expect((await put('vp', { phone: '13911112222' })).status).toBe(403);
    expect((await put('southAssistant', { phone: '13911112222' })).status).toBe(404);
    expect((await put('assistant', { phone: 'call me' })).status).toBe(400);
    expect((await put('assistant', { phone: '13911112222' })).body).toEqual({ contractNo, changed: true });
    expect((await put('assistant', { phone: '13911112222' })).body).toEqual({ contractNo, changed: false });
    const found = await call('GET', '/customers?phone=%2B86%20139%201111%202222', 'assistant');
    expect(found.body.contracts.map((c: { contractNo: string }) => c.contractNo)).toEqual([contractNo]);
    expect((await call('GET', `/customers?phone=${phone}`, 'assistant')).body.contracts).toEqual([]);
    const f = await file(contractNo);
    expect(f.customer.phone).toBe('13911112222');
    expect(f.adjustments).toEqual([expect.objectContaining({ type: 'customer_phone_updated', by: 'staff-assistant' })]);
    const history = JSON.stringify(await w.env.client.workflow.getHandle(contractWorkflowId(contractNo)).fetchHistory());
    expect(history).not.toContain('13911112222');
  });
});
