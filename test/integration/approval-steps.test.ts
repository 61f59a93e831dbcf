// Approvals as durable steps under time skipping: the approvers are reminded, then the request escalates per policy;
// an undecided request holds closing and remedies; a refusal closes it; an approved arbitration hands the case to legal.
import { describe, expect, it } from 'vitest';
import {
  acknowledgeUpdate,
  approvalRequestUpdate,
  approvalUpdate,
  closeUpdate,
  compensationUpdate,
  feedbackUpdate,
  followUpUpdate,
  stateQuery,
} from '../../workflows/complaint.messages';
import { updateRefusal, useCaseWorld } from '../support/harness';
import { actors, complaintInput, history, HOUR, MINUTE, openCase } from '../support/fixtures';

const w = useCaseWorld('time-skipping');
type Data = Record<string, unknown>;
const item = (id: string, decision: string) => w.db.models.WorkItem.findById(`approval:${id}:${decision}`).lean();
const notified = async (id: string, type: string) => new Set((await w.db.models.Notification.find({ caseId: id, type }).lean()).map((n) => n.recipientRole));

describe('an approval is a step of the case', () => {
  it('reminds the approvers after remindAfter and escalates after escalateAfter (policy), then the approver decides', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(approvalRequestUpdate, { args: [{ actor: actors.assistant, decision: 'refund_deposit_measured' }] });
    const asked = (await handle.query(stateQuery)).approvalRequests![0]!;
    // Policy 2026.3: a reminder after PT24H, an escalation after PT48H.
    expect(Date.parse(asked.remindAt!) - Date.parse(asked.at)).toBe(24 * HOUR);
    expect(Date.parse(asked.escalateAt!) - Date.parse(asked.at)).toBe(48 * HOUR);
    expect(asked).toMatchObject({ by: actors.assistant.sub, roles: ['vp'] });
    // The VP's worklist holds it, due when it escalates.
    await expect.poll(async () => (await item(input.complaintId, 'refund_deposit_measured'))?.open).toBe(true);
    expect((await item(input.complaintId, 'refund_deposit_measured'))!).toMatchObject({ kind: 'approval', roles: ['vp'] });
    expect((await item(input.complaintId, 'refund_deposit_measured'))!.dueAt!.toISOString()).toBe(asked.escalateAt);

    await w.env.sleep(24 * HOUR + MINUTE);
    let types = (await history(w.db.models, input.complaintId)).map((e) => e.type);
    expect(types).toContain('approval_reminder');
    expect(types).not.toContain('approval_escalated');
    expect(await notified(input.complaintId, 'approval_reminder')).toEqual(new Set(['vp']));

    await w.env.sleep(24 * HOUR);
    types = (await history(w.db.models, input.complaintId)).map((e) => e.type);
    expect(types.filter((t) => t === 'approval_escalated')).toHaveLength(1);
    const escalated = (await history(w.db.models, input.complaintId)).find((e) => e.type === 'approval_escalated')!;
    expect(escalated.data).toMatchObject({ decision: 'refund_deposit_measured', requestedBy: actors.assistant.sub, to: ['director'] });
    expect(await notified(input.complaintId, 'approval_escalated')).toEqual(new Set(['director', 'vp']));
    // Nothing fires twice: a day later there is still one reminder and one escalation.
    await w.env.sleep(24 * HOUR);
    types = (await history(w.db.models, input.complaintId)).map((e) => e.type);
    expect(types.filter((t) => t === 'approval_reminder' || t === 'approval_escalated')).toHaveLength(2);

    const s = await handle.executeUpdate(approvalUpdate, {
      args: [{ actor: actors.vp, decision: 'refund_deposit_measured', approved: true, role: 'vp' }],
    });
    expect(s.approvalRequests).toEqual([]);
    expect(s.approvals[0]).toMatchObject({ by: actors.vp.sub, requestedBy: actors.assistant.sub, requestedAt: asked.at });
    await expect.poll(async () => (await item(input.complaintId, 'refund_deposit_measured'))?.open).toBe(false);
    const done = await handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'refund', defect: 'D-1', amount: 500 }] });
    expect(done.remedies[0]).toMatchObject({ type: 'refund', approvedBy: [actors.vp.sub] });
  });

  it('holds closing and every remedy but a repair while undecided; a refusal closes the request and the remedy stays refused', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch }] });
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: true }] });
    await handle.executeUpdate(approvalRequestUpdate, { args: [{ actor: actors.assistant, decision: 'refund_deposit_unmeasured' }] });
    const before = (await history(w.db.models, input.complaintId)).length;
    expect(await updateRefusal(handle.executeUpdate(closeUpdate, { args: [{ actor: actors.assistant }] }))).toBe('APPROVAL_PENDING');
    const allowance = handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'exchange', defect: 'D-2' }] });
    expect(await updateRefusal(allowance)).toBe('APPROVAL_PENDING');
    expect((await history(w.db.models, input.complaintId)).length).toBe(before);
    // A repair never waits for the matrix.
    expect((await handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'repair', defect: 'D-3' }] })).remedies).toHaveLength(1);

    const refused = await handle.executeUpdate(approvalUpdate, {
      args: [{ actor: actors.regionalPresident, decision: 'refund_deposit_unmeasured', approved: false, role: 'regional_president' }],
    });
    expect(refused.approvalRequests).toEqual([]);
    const rejected = (await history(w.db.models, input.complaintId)).find((e) => e.type === 'decision_rejected')!;
    expect(rejected.data).toMatchObject({ decision: 'refund_deposit_unmeasured', requestedBy: actors.assistant.sub });
    const refund = handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'refund', defect: 'D-2', amount: 100 }] });
    expect(await updateRefusal(refund)).toBe('APPROVAL_REQUIRED');
    // Asked again, the same approver decides afresh.
    await handle.executeUpdate(approvalRequestUpdate, { args: [{ actor: actors.assistant, decision: 'refund_deposit_unmeasured' }] });
    const yes = await handle.executeUpdate(approvalUpdate, {
      args: [{ actor: actors.regionalPresident, decision: 'refund_deposit_unmeasured', approved: true, role: 'regional_president' }],
    });
    expect(yes.approvals.map((a) => a.approved)).toEqual([false, true]);
    expect((await handle.executeUpdate(closeUpdate, { args: [{ actor: actors.assistant }] })).status).toBe('closed');
  });

  it('waits for both groups of an environmental dispute: the worklist item leaves legal once legal signed', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(approvalRequestUpdate, { args: [{ actor: actors.supervisor, decision: 'environmental_dispute' }] });
    await expect.poll(async () => (await item(input.complaintId, 'environmental_dispute'))?.roles).toEqual(['legal', 'director']);
    const half = await handle.executeUpdate(approvalUpdate, {
      args: [{ actor: actors.legal, decision: 'environmental_dispute', approved: true, role: 'legal' }],
    });
    expect(half.approvalRequests![0]!.roles).toEqual(['director']);
    await expect.poll(async () => (await item(input.complaintId, 'environmental_dispute'))?.roles).toEqual(['director']);
    const done = await handle.executeUpdate(approvalUpdate, {
      args: [{ actor: actors.director, decision: 'environmental_dispute', approved: true, role: 'director' }],
    });
    expect(done.approvalRequests).toEqual([]);
    expect((await history(w.db.models, input.complaintId)).map((e) => e.type)).toContain('decision_approved');
    await expect.poll(async () => (await item(input.complaintId, 'environmental_dispute'))?.open).toBe(false);
  });

  it('hands the case to legal once legal approves an arbitration or lawsuit', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(approvalRequestUpdate, { args: [{ actor: actors.director, decision: 'arbitration_lawsuit' }] });
    const s = await handle.executeUpdate(approvalUpdate, { args: [{ actor: actors.legal, decision: 'arbitration_lawsuit', approved: true, role: 'legal' }] });
    expect(s).toMatchObject({ status: 'legal', level: 'legal', step: 'legal' });
    const events = await history(w.db.models, input.complaintId);
    const escalated = events.find((e) => e.type === 'escalated')!;
    expect((escalated.data as Data).reason).toBe('arbitration_lawsuit_approved');
    expect(events.map((e) => e.type)).toContain('legal_handoff');
    await expect.poll(() => w.db.models.Handoff.countDocuments({ complaintId: input.complaintId })).toBe(1);
  });
});
