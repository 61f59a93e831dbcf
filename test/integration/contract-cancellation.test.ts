// A contract's cancellation as an approval step, under time skipping: the handler asks, nobody decides, the VP is
// reminded and the request escalates per policy while calls keep coming due; the VP approves or rejects.
import { describe, expect, it } from 'vitest';
import {
  cancellationDecisionUpdate,
  cancellationRequestUpdate,
  contractStateQuery,
  milestoneUpdate,
  type CancellationDecisionInput,
} from '../../workflows/contract.messages';
import type { CancelReason } from '../../domain/cancellation.rules';
import type { Actor } from '../../workflows/complaint.messages';
import { actors, contractInput, HOUR, MINUTE, openContract } from '../support/fixtures';
import { updateRefusal, useCaseWorld } from '../support/harness';

const w = useCaseWorld('time-skipping');
const DAY = 24 * HOUR;
type Handle = Awaited<ReturnType<typeof openContract>>;

const ask = (h: Handle, actor: Actor = actors.assistant, reasonCode: CancelReason = 'financing_failed') =>
  h.executeUpdate(cancellationRequestUpdate, { args: [{ actor, reasonCode }] });
const decide = (h: Handle, approved: boolean, actor: CancellationDecisionInput['actor'] = actors.vp, role = 'vp' as const) =>
  h.executeUpdate(cancellationDecisionUpdate, { args: [{ actor, approved, role }] });
const entries = async (contractNo: string) => (await w.db.models.ContractEvent.find({ contractNo }).sort({ seq: 1 }).lean()).map((e) => e.type);
const notified = async (contractNo: string, type: string) =>
  new Set((await w.db.models.Notification.find({ caseId: contractNo, type }).lean()).map((n) => n.recipientRole));
const item = (contractNo: string) => w.db.models.WorkItem.findById(`approval:contract:${contractNo}:cancel_order`).lean();

async function freshContract() {
  const now = await w.env.currentTimeMs();
  const input = contractInput({ contractSignedAt: new Date(now - 2 * DAY).toISOString(), plannedCompletionAt: new Date(now + 60 * DAY).toISOString() });
  return { input, h: await openContract(w.env.client, w.db.models, w.taskQueue, input) };
}

describe('cancelling a contract is an approval step', () => {
  it('nobody decides: the VP is reminded after remindAfter, the request escalates after escalateAfter, calls keep coming due; then the VP approves', async () => {
    const { input, h } = await freshContract();
    const asked = await ask(h);
    expect(asked).toMatchObject({ repeat: false, cancellation: { status: 'pending', requestedBy: actors.assistant.sub, reasonCode: 'financing_failed' } });
    // Policy approvals: a reminder after PT24H, an escalation after PT48H.
    const { requestedAt, remindAt, escalateAt } = asked.cancellation;
    expect(Date.parse(remindAt!) - Date.parse(requestedAt)).toBe(24 * HOUR);
    expect(Date.parse(escalateAt!) - Date.parse(requestedAt)).toBe(48 * HOUR);
    await expect.poll(async () => (await item(input.contractNo))?.open).toBe(true);
    expect(await item(input.contractNo)).toMatchObject({ kind: 'approval', roles: ['vp'], caseType: 'contract', branch: 'north' });
    expect((await item(input.contractNo))!.dueAt!.toISOString()).toBe(escalateAt);
    expect(await notified(input.contractNo, 'cancellation_requested')).toEqual(new Set(['vp']));
    // A second request while one waits answers the waiting one and records nothing.
    const before = (await entries(input.contractNo)).length;
    expect(await ask(h, actors.branch, 'other')).toMatchObject({
      repeat: true,
      cancellation: { requestedBy: actors.assistant.sub, reasonCode: 'financing_failed' },
    });
    expect(await entries(input.contractNo)).toHaveLength(before);

    await w.env.sleep(24 * HOUR + MINUTE);
    expect(await entries(input.contractNo)).toContain('cancellation_reminder');
    expect(await entries(input.contractNo)).not.toContain('cancellation_escalated');
    expect(await notified(input.contractNo, 'cancellation_reminder')).toEqual(new Set(['vp']));
    await w.env.sleep(24 * HOUR);
    expect(await entries(input.contractNo)).toContain('cancellation_escalated');
    // Escalated to the policy's approvals.escalateTo.cancel_order (the director), the VP still told.
    expect(await notified(input.contractNo, 'cancellation_escalated')).toEqual(new Set(['director', 'vp']));

    // While it waits the schedule runs on: the after-signing call falls due.
    await w.env.sleep(5 * DAY);
    const waiting = await h.query(contractStateQuery);
    expect(waiting.cancellation).toMatchObject({ reminded: true, escalated: true });
    expect(waiting.phase).not.toBe('cancelled');
    expect(waiting.open.map((c) => c.kind)).toContain('after_signing');

    const approved = await decide(h, true);
    expect(approved.cancellation).toMatchObject({ status: 'approved', decidedBy: actors.vp.sub, role: 'vp', requestedBy: actors.assistant.sub });
    expect(await h.result()).toMatchObject({ phase: 'cancelled', open: [] });
    const calls = await w.db.models.Callback.find({ contractNo: input.contractNo }).lean();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.status === 'cancelled')).toBe(true);
    await expect.poll(async () => (await item(input.contractNo))?.open).toBe(false);
    const types = await entries(input.contractNo);
    expect(types.slice(-3)).toEqual(['cancellation_decided', 'milestone', 'phase_changed']);
  });

  it('only the approver decides; a rejection closes the request, which may be made again; the VP’s own milestone answers it', async () => {
    const { input, h } = await freshContract();
    expect(await updateRefusal(decide(h, true))).toBe('CANCELLATION_NOT_REQUESTED');
    expect(await updateRefusal(ask(h, actors.vp))).toBe('ROLE_NOT_ALLOWED');
    await ask(h, actors.supervisor);
    const before = (await entries(input.contractNo)).length;
    expect(await updateRefusal(decide(h, true, actors.assistant, 'assistant' as never))).toBe('ROLE_NOT_ALLOWED');
    expect(await updateRefusal(decide(h, true, actors.regionalPresident, 'regional_president' as never))).toBe('ROLE_NOT_ALLOWED');
    // A role the caller does not hold is no signature.
    expect(await updateRefusal(decide(h, true, actors.vp, 'regional_president' as never))).toBe('ROLE_NOT_ALLOWED');
    expect(await entries(input.contractNo)).toHaveLength(before);
    expect((await h.query(contractStateQuery)).cancellation).toBeDefined();

    const rejected = await decide(h, false);
    expect(rejected.cancellation).toMatchObject({ status: 'rejected', decidedBy: actors.vp.sub });
    const s = await h.query(contractStateQuery);
    expect(s.cancellation).toBeUndefined();
    expect(s.phase).not.toBe('cancelled');
    await expect.poll(async () => (await item(input.contractNo))?.open).toBe(false);
    expect(await updateRefusal(decide(h, true))).toBe('CANCELLATION_NOT_REQUESTED');

    expect(await ask(h, actors.branch, 'customer_withdraws')).toMatchObject({
      repeat: false,
      cancellation: { status: 'pending', requestedBy: actors.branch.sub },
    });
    await expect.poll(async () => (await item(input.contractNo))?.open).toBe(true);
    // An old client's direct milestone by the VP still cancels, and answers the waiting request.
    const at = new Date(await w.env.currentTimeMs()).toISOString();
    await h.executeUpdate(milestoneUpdate, { args: [{ actor: actors.vp, type: 'cancelled', at }] });
    const ended = await h.result();
    expect(ended).toMatchObject({ phase: 'cancelled', cancellationDecided: { status: 'approved', requestedBy: actors.branch.sub } });
    expect(ended.cancellation).toBeUndefined();
    await expect.poll(async () => (await item(input.contractNo))?.open).toBe(false);
    const last = await w.db.models.ContractEvent.findOne({ contractNo: input.contractNo, type: 'milestone' }).sort({ seq: -1 }).lean();
    expect(last!.data).toMatchObject({ type: 'cancelled', requestedBy: actors.branch.sub, reasonCode: 'customer_withdraws' });
  });
});
