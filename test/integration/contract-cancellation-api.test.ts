// Contract cancellation through the API: the handler asks, the VP decides; who may, who is refused with which code,
// nothing recorded on a refusal, reasons kept in MongoDB only, the VP's worklist item and the contract file.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contractWorkflowId } from '../../workflows/contract.messages';
import { useCaseWorld } from '../support/harness';
import { HOUR } from '../support/fixtures';
import { useApi } from '../support/api-world';

const w = useCaseWorld('dev');
const served = useApi(w);
const t = served.t;
const DAY = 24 * HOUR;
let phoneSeq = 0;

async function register() {
  const body = {
    contractNo: `HZ-${randomUUID().slice(0, 8)}`,
    branch: 'north',
    customer: { name: 'Test Customer', phone: `1340000${String(1000 + phoneSeq++)}` },
    contractSignedAt: new Date(Date.now() - 2 * DAY).toISOString(),
    plannedCompletionAt: new Date(Date.now() + 60 * DAY).toISOString(),
    warrantyMonths: 12,
  };
  const res = await served.api.call('POST', '/v1/contracts', { token: t.assistant, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return body.contractNo;
}
const ask = (no: string, who: string, body: unknown = { reasonCode: 'financing_failed' }) =>
  served.api.call('POST', `/v1/contracts/${no}/cancellation-requests`, { token: t[who], body });
const decide = (no: string, who: string, body: unknown) => served.api.call('POST', `/v1/contracts/${no}/cancellation-decisions`, { token: t[who], body });
const file = (no: string, who = 'supervisor') => served.api.call('GET', `/v1/contracts/${no}`, { token: t[who] });
const entries = (no: string) => w.db.models.ContractEvent.countDocuments({ contractNo: no });
const approvals = async (who: string) =>
  (await served.api.call('GET', '/v1/worklist?kind=approval', { token: t[who] })).body.items as { caseId: string; action: string }[];
const code = (res: { status: number; body: { error?: { code: string } } }) => [res.status, res.body.error?.code];
/** Every string and decoded payload of the schedule's workflow history. */
function texts(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) texts(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) texts(v, out);
  return out;
}

describe('cancelling a contract through the API', () => {
  it('the handler asks, the VP approves: the contract is cancelled and its file shows who asked, who decided, when', async () => {
    const no = await register();
    const reason = 'The bank refused the renovation loan';
    const asked = await ask(no, 'assistant', { reasonCode: 'financing_failed', reason });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect(asked.body).toMatchObject({
      contractNo: no,
      repeat: false,
      cancellation: { status: 'pending', requestedBy: 'a-north', reasonCode: 'financing_failed' },
    });
    // Asked again (by the branch) while it waits: the waiting request is the answer.
    const again = await ask(no, 'branch', { reasonCode: 'other' });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ repeat: true, cancellation: { requestedBy: 'a-north', reasonCode: 'financing_failed' } });
    await expect.poll(async () => (await approvals('vp')).some((i) => i.caseId === no)).toBe(true);
    expect((await approvals('vp')).find((i) => i.caseId === no)!.action).toBe(`POST /v1/contracts/${no}/cancellation-decisions`);
    expect((await approvals('regional_president')).some((i) => i.caseId === no)).toBe(false);
    // The handler's milestone route still refuses a cancellation, pointing to the request.
    const direct = await served.api.call('POST', `/v1/contracts/${no}/milestones`, {
      token: t.branch,
      body: { type: 'cancelled', at: new Date().toISOString() },
    });
    expect(code(direct)).toEqual([403, 'APPROVAL_REQUIRED']);

    const approved = await decide(no, 'vp', { approved: true });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ phase: 'cancelled', cancellation: { status: 'approved', decidedBy: 'vp-1', role: 'vp', requestedBy: 'a-north' } });
    await expect.poll(async () => (await file(no)).body.phase).toBe('cancelled');
    await expect.poll(async () => (await approvals('vp')).some((i) => i.caseId === no)).toBe(false);
    const f = (await file(no)).body;
    expect(f.milestones.cancelledAt).toBeDefined();
    expect(f.callbacks.every((c: { status: string }) => c.status === 'cancelled')).toBe(true);
    expect(f.cancellations).toEqual([
      expect.objectContaining({ status: 'approved', reasonCode: 'financing_failed', reason, requestedBy: 'a-north', decidedBy: 'vp-1', role: 'vp' }),
    ]);
    expect(Date.parse(f.cancellations[0].decidedAt)).toBeGreaterThanOrEqual(Date.parse(f.cancellations[0].requestedAt));
    // The reason stays in MongoDB: the workflow history carries the code only.
    const history = texts(await w.env.client.workflow.getHandle(contractWorkflowId(no)).fetchHistory()).join('\n');
    expect(history).toContain('requestCancellation');
    expect(history).not.toContain('renovation loan');
    // Cancelled: nothing more is asked or decided.
    expect(code(await ask(no, 'assistant'))).toEqual([409, 'CONTRACT_CANCELLED']);
    expect(code(await decide(no, 'vp', { approved: true }))).toEqual([409, 'CONTRACT_CANCELLED']);
  });

  it('refuses the wrong role (403), another branch (404), the wrong state (409) and a bad body (422), recording nothing', async () => {
    const no = await register();
    await expect.poll(async () => entries(no)).toBeGreaterThan(0);
    expect(code(await decide(no, 'vp', { approved: true }))).toEqual([409, 'CANCELLATION_NOT_REQUESTED']);
    expect(code(await ask(no, 'vp'))).toEqual([403, 'FORBIDDEN']);
    expect(code(await ask(no, 'southAssistant'))).toEqual([404, 'NOT_FOUND']);
    expect(code(await ask(no, 'assistant', { reasonCode: 'too_expensive' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect((await ask(no, 'supervisor', { reasonCode: 'customer_withdraws', reason: 'Moving abroad' })).status).toBe(202);
    await expect.poll(async () => (await approvals('vp')).some((i) => i.caseId === no)).toBe(true);
    const before = await entries(no);
    // Neither the assistant nor the branch decides; nor the director, legal or the regional president (the VP's decision).
    expect(code(await decide(no, 'assistant', { approved: true }))).toEqual([403, 'FORBIDDEN']);
    expect(code(await decide(no, 'branch', { approved: true }))).toEqual([403, 'FORBIDDEN']);
    for (const who of ['director', 'legal', 'regional_president'])
      expect(code(await decide(no, who, { approved: true })), who).toEqual([403, 'ROLE_NOT_ALLOWED']);
    expect(code(await decide(no, 'southAssistant', { approved: true }))).toEqual([403, 'FORBIDDEN']);
    const noReason = await decide(no, 'vp', { approved: false });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details).toEqual([expect.objectContaining({ field: 'reason', rule: 'required_to_refuse' })]);
    expect(await entries(no)).toBe(before);
    expect(await w.db.models.ActionText.countDocuments({ caseId: no })).toBe(1);

    // Rejected with a reason: the request closes, the contract runs on, and it may be asked again.
    const rejected = await decide(no, 'executive', { approved: false, reason: 'Work is half done; settle with the customer first' });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ phase: 'signed', cancellation: { status: 'rejected', decidedBy: 'executive-1', role: 'vp' } });
    await expect.poll(async () => (await approvals('vp')).some((i) => i.caseId === no)).toBe(false);
    expect(code(await decide(no, 'vp', { approved: true }))).toEqual([409, 'CANCELLATION_NOT_REQUESTED']);
    const asked = await ask(no, 'branch', { reasonCode: 'dispute_unresolved' });
    expect(asked.body).toMatchObject({ repeat: false, cancellation: { status: 'pending', requestedBy: 'b-north' } });
    await expect.poll(async () => (await file(no)).body.cancellations?.length).toBe(2);
    const f = (await file(no)).body;
    expect(f.cancellations[0]).toMatchObject({
      status: 'rejected',
      reason: 'Moving abroad',
      decisionReason: 'Work is half done; settle with the customer first',
      requestedBy: 'supervisor-1',
      decidedBy: 'executive-1',
    });
    expect(f.cancellations[1]).toMatchObject({ status: 'pending', reasonCode: 'dispute_unresolved', requestedBy: 'b-north' });
    expect(f.phase).toBe('signed');
  });
});
