// The clocks beside the ladder under time skipping: the 24 h answer promised on a complaint call ([003] ch.6 §2),
// the warning before a regulator/media decision clock runs out, and the post-repair task in working time.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { computeKpis } from '../../db/kpi-queries';
import { acknowledgeUpdate, externalDecisionUpdate, feedbackUpdate, followUpUpdate, stateQuery } from '../../workflows/complaint.messages';
import { useCaseWorld } from '../support/harness';
import { actors, complaintInput, history, HOUR, MINUTE, openCase, POLICY } from '../support/fixtures';

const w = useCaseWorld('time-skipping');
type Data = Record<string, unknown>;

const notices = async (caseId: string, type: string) => (await w.db.models.Notification.find({ caseId, type }).lean()).map((n) => n.recipientRole).sort();

describe('the answer promised on a complaint call', () => {
  it('is due 24 h after intake, shows in the case file and the worklist, and is missed once with the supervisor told', async () => {
    const input = complaintInput({ branch: `answer-${randomUUID().slice(0, 6)}` });
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    const opened = await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    const started = Date.parse(opened.answer!.startedAt);
    expect(Date.parse(opened.answer!.dueAt) - started).toBe(24 * HOUR);
    const first = (await history(w.db.models, input.complaintId))[0]!;
    expect((first.data as Data).answerBy).toBe(opened.answer!.dueAt);
    const item = await w.db.models.WorkItem.findById(`answer:${input.complaintId}`).lean();
    expect(item).toMatchObject({ kind: 'customer_answer', open: true, action: `POST /v1/complaints/${input.complaintId}/follow-up` });
    expect(item!.dueAt!.toISOString()).toBe(opened.answer!.dueAt);
    expect((await w.db.models.Complaint.findById(input.complaintId).lean())!.answer!.dueAt!.toISOString()).toBe(opened.answer!.dueAt);

    // A call that does not reach the customer is no answer.
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false, outcome: 'not_reached' }] });
    await w.env.sleep(24 * HOUR - 2 * MINUTE);
    expect((await history(w.db.models, input.complaintId)).some((e) => e.type === 'answer_missed')).toBe(false);
    await w.env.sleep(4 * MINUTE);
    const missed = (await history(w.db.models, input.complaintId)).filter((e) => e.type === 'answer_missed');
    expect(missed).toHaveLength(1);
    expect(await notices(input.complaintId, 'answer_missed')).toEqual(['assistant', 'supervisor']);
    const s = await handle.query(stateQuery);
    expect(s.answer).toMatchObject({ missed: true, onTime: false });
    // The ladder is untouched: the missed answer moves nobody up; the feedback step keeps its own clock.
    expect(missed[0]!.data).toMatchObject({ step: 'branch_feedback', round: 0 });
    expect(s).toMatchObject({ status: 'open', level: 'assistant' });
    expect((await w.db.models.WorkItem.findById(`answer:${input.complaintId}`).lean())!.open).toBe(true);

    // Answered late: the item settles, the case file says late, nothing fires again.
    const late = await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false, outcome: 'in_progress' }] });
    expect(late.answer).toMatchObject({ onTime: false, missed: true });
    expect(late.answer!.answeredAt).toBeDefined();
    await w.env.sleep(2 * HOUR);
    expect((await w.db.models.WorkItem.findById(`answer:${input.complaintId}`).lean())!.open).toBe(false);
    expect((await history(w.db.models, input.complaintId)).filter((e) => e.type === 'answer_missed')).toHaveLength(1);
  });

  it('counts as answered on time when a follow-up reaches the customer within the hours; the KPI counts the promise', async () => {
    const branch = `kpi-${randomUUID().slice(0, 6)}`;
    const from = new Date(Date.now() - HOUR);
    const onTime = complaintInput({ branch });
    const late = complaintInput({ branch });
    const h1 = await openCase(w.env.client, w.db.models, w.taskQueue, onTime);
    const h2 = await openCase(w.env.client, w.db.models, w.taskQueue, late);
    for (const h of [h1, h2]) await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await w.env.sleep(3 * HOUR);
    const answered = await h1.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false, outcome: 'in_progress' }] });
    expect(answered.answer).toMatchObject({ onTime: true });
    // Both first callbacks were on time; only one customer heard back within 24 h.
    await w.env.sleep(22 * HOUR);
    expect((await history(w.db.models, onTime.complaintId)).some((e) => e.type === 'answer_missed')).toBe(false);
    expect((await history(w.db.models, late.complaintId)).filter((e) => e.type === 'answer_missed')).toHaveLength(1);
    const kpis = await computeKpis(w.db.models, POLICY, { from, to: new Date(Date.now() + HOUR), branch });
    expect(kpis.find((k) => k.key === 'complaintsAnsweredOnTime')).toMatchObject({ numerator: 1, denominator: 2 });
  });

  it('gives a regulator/media case no answer clock: its deciders answer on the decision clock', async () => {
    const input = complaintInput({ source: 'media', severity: 'major', priority: 'high' });
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    expect((await handle.query(stateQuery)).answer).toBeUndefined();
  });
});

describe('the regulator/media decision clock', () => {
  it('warns the deciders still undecided 4 h before it runs out, once, then reaches legal by itself', async () => {
    const input = complaintInput({ source: 'media', severity: 'major', priority: 'high' });
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    const s = await handle.query(stateQuery);
    expect(Date.parse(s.external!.dueAt) - Date.parse(s.external!.warnAt!)).toBe(4 * HOUR);
    await handle.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.director, decision: 'keep' }] });
    await w.env.sleep(20 * HOUR - 2 * MINUTE);
    expect((await history(w.db.models, input.complaintId)).some((e) => e.type === 'external_decision_warning')).toBe(false);
    await w.env.sleep(4 * MINUTE);
    const warnings = (await history(w.db.models, input.complaintId)).filter((e) => e.type === 'external_decision_warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.data).toMatchObject({ dueAt: s.external!.dueAt, waitingFor: ['vp'] });
    // Only the VP has not decided: only the VP is warned (the notification path also posts it to a configured webhook).
    expect(await notices(input.complaintId, 'external_decision_warning')).toEqual(['vp']);
    await w.env.sleep(4 * HOUR);
    expect(await handle.query(stateQuery)).toMatchObject({ status: 'legal', external: { warned: true, outcome: 'legal' } });
    expect((await history(w.db.models, input.complaintId)).filter((e) => e.type === 'external_decision_warning')).toHaveLength(1);
  });
});

describe('the post-repair task', () => {
  it('counts its 3 days in working time where the policy says so: a Friday repair is called back on Wednesday', async () => {
    const input = complaintInput({ kind: 'repair', contractNo: undefined });
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    // Friday 2026-12-04 10:00 in Shanghai; 3 working days later is Wednesday 10:00 (calendar time would say Monday).
    const repairCompletedAt = '2026-12-04T02:00:00.000Z';
    await handle.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, cause: 'c', action: 'a', responsible: 'r', repairCompletedAt }] });
    const scheduled = (await history(w.db.models, input.complaintId)).find((e) => e.type === 'callback_scheduled')!;
    expect((scheduled.data as Data).dueAt).toBe('2026-12-09T02:00:00.000Z');
    const task = await w.db.models.Task.findById(`${input.complaintId}:post_repair`).lean();
    expect(task!.dueAt.toISOString()).toBe('2026-12-09T02:00:00.000Z');
  });
});
