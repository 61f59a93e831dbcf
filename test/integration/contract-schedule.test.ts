import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { milestoneUpdate, outcomeUpdate, contractStateQuery, repairDoneSignal } from '../../workflows/contract.messages';
import { HISTORY_BOUND } from '../../workflows/contract-schedule.workflow';
import { isWorkingDay, localDate } from '../../domain/calendar';
import { actors, complaintInput, HOUR, openCase, openContract, policyWith, contractInput, SCHEDULE_POLICY } from '../support/fixtures';
import { acknowledgeUpdate, feedbackUpdate } from '../../workflows/complaint.messages';
import { updateRefusal, useCaseWorld } from '../support/harness';

const w = useCaseWorld('time-skipping');
const DAY = 24 * HOUR;

async function sleepUntil(iso: string): Promise<void> {
  const ms = Date.parse(iso) - (await w.env.currentTimeMs());
  if (ms > 0) await w.env.sleep(ms);
}

async function callbacks(contractNo: string) {
  const docs = await w.db.models.Callback.find({ contractNo }).sort({ dueAt: 1, _id: 1 }).lean();
  return docs.map((d) => ({ id: d._id.slice(contractNo.length + 1), dueAt: d.dueAt.toISOString(), status: d.status }));
}

const milestone = (h: WorkflowHandle, type: string, at: string, extra: Record<string, string> = {}) =>
  h.executeUpdate(milestoneUpdate, { args: [{ actor: type === 'cancelled' ? actors.vp : actors.branch, type: type as never, at, ...extra }] });
const outcome = (h: WorkflowHandle, callbackId: string, result: string, extra: Record<string, string> = {}) =>
  h.executeUpdate(outcomeUpdate, { args: [{ actor: actors.assistant, callbackId, result: result as never, ...extra }] });

describe('renovation callback schedule', () => {
  it('creates every callback on its exact working-day due date, from signing to the end of the warranty', async () => {
    const input = contractInput();
    const c = input.contractNo;
    const h = await openContract(w.env.client, w.db.models, w.taskQueue, input);
    const firstRun = (await h.describe()).runId;

    await sleepUntil('2026-12-10T01:00:00Z');
    await milestone(h, 'work_started', '2026-12-10T01:00:00Z');
    await sleepUntil('2027-01-22T01:00:00Z');
    await milestone(h, 'completed', '2027-01-22T01:00:00Z');
    await sleepUntil('2027-02-06T03:00:00Z');
    await milestone(h, 'pennant_received', '2027-02-06T03:00:00Z');
    await sleepUntil('2027-03-22T02:00:00Z');

    expect(await callbacks(c)).toEqual(
      [
        // Sat 12-12 → Sun → Mon 12-14 is a public holiday → Tue 12-15.
        { id: 'after_signing.1', dueAt: '2026-12-15T01:00:00.000Z', status: 'overdue' },
        { id: 'holiday_greeting.2026-12-14', dueAt: '2026-12-14T02:00:00.000Z', status: 'overdue' },
        // Sun 12-20 is a make-up working day, so the call stays on it.
        { id: 'construction.1', dueAt: '2026-12-20T01:00:00.000Z', status: 'overdue' },
        { id: 'holiday_greeting.2027-01-01', dueAt: '2027-01-01T02:00:00.000Z', status: 'overdue' },
        { id: 'construction.2', dueAt: '2027-01-04T01:00:00.000Z', status: 'overdue' },
        { id: 'construction.3', dueAt: '2027-01-19T01:00:00.000Z', status: 'overdue' },
        // From the recorded completion (01-22), not the planned one (01-20).
        { id: 'completion.1', dueAt: '2027-01-27T01:00:00.000Z', status: 'overdue' },
        // Pennant recorded on Saturday: thanked on Monday.
        { id: 'pennant_thanks.1', dueAt: '2027-02-08T03:00:00.000Z', status: 'overdue' },
        { id: 'warranty.1', dueAt: '2027-02-22T01:00:00.000Z', status: 'overdue' },
        { id: 'warranty.2', dueAt: '2027-03-22T01:00:00.000Z', status: 'due' },
      ].sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
    );

    // Each unrecorded call: one reminder to the branch's assistants, then one escalation to the supervisor.
    const notes = await w.db.models.Notification.find({ caseId: c }).lean();
    const count = (type: string, role: string) => notes.filter((n) => n.type === type && n.recipientRole === role).length;
    expect(count('callback_reminder', 'assistant')).toBe(9);
    expect(count('callback_overdue', 'supervisor')).toBe(9);
    expect(notes.every((n) => n.branch === 'north')).toBe(true);

    const state = await h.query(contractStateQuery);
    expect(state.phase).toBe('closed');
    expect((await h.describe()).runId).not.toBe(firstRun);
    for (const cb of state.open) await outcome(h, cb.id, 'satisfied');
    const final = await h.result();
    expect(final).toMatchObject({ phase: 'closed', open: [] });
    expect((await w.db.models.Contract.findById(c).lean())!.phase).toBe('closed');
  });

  it('takes late, repeated and impossible milestones: repeats are harmless, impossible ones refused with a code', async () => {
    const input = contractInput({ contractSignedAt: new Date((await w.env.currentTimeMs()) - 40 * DAY).toISOString() });
    const h = await openContract(w.env.client, w.db.models, w.taskQueue, input);
    // Signed 40 days ago: the after-signing call is already past due and exists at once.
    expect((await callbacks(input.contractNo)).map((x) => x.id)).toEqual(['after_signing.1']);
    // A completion with no recorded work start is followed now (DOMAIN §1), see contract-adjustments.test.ts.
    const startedAt = new Date((await w.env.currentTimeMs()) - 30 * DAY).toISOString();
    const s1 = await milestone(h, 'work_started', startedAt);
    const s2 = await milestone(h, 'work_started', startedAt);
    expect(s2.seq).toBe(s1.seq);
    expect(await updateRefusal(milestone(h, 'work_started', new Date(Date.parse(startedAt) + DAY).toISOString()))).toBe('MILESTONE_CONFLICT');
    // Work started 30 days ago: the 10-day and 25-day calls are past due and created at once.
    const ids = (await callbacks(input.contractNo)).map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining(['construction.1', 'construction.2']));
    expect(ids).not.toContain('construction.3');
    expect(await updateRefusal(milestone(h, 'completed', new Date(Date.parse(startedAt) - DAY).toISOString()))).toBe('MILESTONE_OUT_OF_ORDER');

    const cancelledAt = new Date(await w.env.currentTimeMs()).toISOString();
    await milestone(h, 'cancelled', cancelledAt);
    const after = await callbacks(input.contractNo);
    expect(after.length).toBeGreaterThan(2);
    expect(after.every((x) => x.status === 'cancelled')).toBe(true);
    // Cancellation ends the schedule at once (the api answers later milestones with CONTRACT_CANCELLED).
    expect(await h.result()).toMatchObject({ phase: 'cancelled', open: [] });
    expect((await w.db.models.Contract.findById(input.contractNo).lean())!.phase).toBe('cancelled');
  });

  it('cancels construction calls after a late-recorded completion, moves the completion call, and refuses future dates', async () => {
    const now = await w.env.currentTimeMs();
    const input = contractInput({ contractSignedAt: new Date(now - 60 * DAY).toISOString(), plannedCompletionAt: new Date(now - 25 * DAY).toISOString() });
    const h = await openContract(w.env.client, w.db.models, w.taskQueue, input);
    await milestone(h, 'work_started', new Date(now - 50 * DAY).toISOString());
    const before = await callbacks(input.contractNo);
    expect(before.map((x) => x.id)).toEqual(expect.arrayContaining(['construction.3', 'completion.1']));
    expect(await updateRefusal(milestone(h, 'completed', new Date(now + 2 * DAY).toISOString()))).toBe('MILESTONE_IN_FUTURE');
    const completedAt = now - 20 * DAY;
    await milestone(h, 'completed', new Date(completedAt).toISOString());
    const after = await callbacks(input.contractNo);
    for (const x of after.filter((c) => c.id.startsWith('construction.'))) {
      expect(x.status === 'cancelled', x.id).toBe(Date.parse(x.dueAt) >= completedAt);
    }
    const completion = after.find((x) => x.id === 'completion.1')!;
    expect(Date.parse(completion.dueAt)).toBeGreaterThanOrEqual(completedAt + 5 * DAY);
    expect(Date.parse(completion.dueAt)).toBeLessThan(completedAt + 9 * DAY);
  });

  it('catches up a very late work start with one construction call, not one per missed interval', async () => {
    const now = await w.env.currentTimeMs();
    // Two holidays between the late work start and now (the shared test clock may be years ahead of the real one).
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const policy = policyWith((p) => {
      p.calendar.publicHolidays = [
        { date: day(now - 200 * DAY), name: 'Past Day' },
        { date: day(now - 100 * DAY), name: 'Later Past Day' },
      ];
      p.calendar.makeUpWorkingDays = [];
    });
    const input = contractInput({
      contractSignedAt: new Date(now - 400 * DAY).toISOString(),
      plannedCompletionAt: new Date(now + 30 * DAY).toISOString(),
      policy,
    });
    const h = await openContract(w.env.client, w.db.models, w.taskQueue, input);
    await milestone(h, 'work_started', new Date(now - 390 * DAY).toISOString());
    const created = await callbacks(input.contractNo);
    const construction = created.filter((x) => x.id.startsWith('construction.'));
    expect(construction).toHaveLength(1);
    // No greeting for a holiday that is already over.
    expect(created.filter((x) => x.id.startsWith('holiday_greeting.') && Date.parse(x.dueAt) < now - DAY)).toEqual([]);
    const over = await w.db.models.ContractEvent.findOne({ contractNo: input.contractNo, type: 'callbacks_skipped', 'data.reason': 'holiday_over' }).lean();
    expect(over!.data.count).toBeGreaterThan(0);
    // 10 d, 25 d, then every 15 d: the 26th call (at 385 d) is the latest past due.
    expect(construction[0]!.id).toBe('construction.26');
    const skipped = await w.db.models.ContractEvent.findOne({ contractNo: input.contractNo, type: 'callbacks_skipped', 'data.kinds': 'construction' }).lean();
    expect(skipped!.data).toMatchObject({ count: 25 });
  });

  it('retries a call nobody answered after the policy interval and escalates it as unreachable after the last try', async () => {
    // Signed 30 days ago, so the after-signing call is past due even after a holiday shift.
    const input = contractInput({ contractSignedAt: new Date((await w.env.currentTimeMs()) - 30 * DAY).toISOString() });
    const h = await openContract(w.env.client, w.db.models, w.taskQueue, input);
    const id = `${input.contractNo}.after_signing.1`;
    const first = await outcome(h, id, 'not_reached');
    expect(first.callback).toMatchObject({ status: 'due', attempts: 1 });
    const retryAt = Date.parse(first.callback.dueAt);
    expect(retryAt - (await w.env.currentTimeMs())).toBeGreaterThan(DAY - HOUR);
    // The retry lands on a working day of the company calendar, never on a weekend or holiday.
    expect(isWorkingDay(localDate(retryAt, SCHEDULE_POLICY.calendar.timeZone), SCHEDULE_POLICY.calendar)).toBe(true);
    expect(await updateRefusal(outcome(h, id, 'not_reached'))).toBe('CALLBACK_NOT_DUE');
    await sleepUntil(first.callback.dueAt);
    const second = await outcome(h, id, 'not_reached');
    expect(second.callback).toMatchObject({ status: 'due', attempts: 2 });
    await sleepUntil(second.callback.dueAt);
    const third = await outcome(h, id, 'not_reached');
    expect(third.callback).toMatchObject({ status: 'escalated', attempts: 3 });
    const unreachable = await w.db.models.Notification.find({ caseId: input.contractNo, type: 'callback_not_reached' }).lean();
    expect(unreachable.map((n) => n.recipientRole)).toEqual(['supervisor']);
    const done = await outcome(h, id, 'satisfied');
    expect(done.callback).toMatchObject({ status: 'done', outcome: 'satisfied' });
    const repeat = await outcome(h, id, 'satisfied');
    expect(repeat).toMatchObject({ repeat: true, callback: { id, kind: 'after_signing', status: 'done', outcome: 'satisfied', attempts: 3 } });
    expect(await updateRefusal(outcome(h, id, 'problem'))).toBe('OUTCOME_ALREADY_RECORDED');
    expect(await updateRefusal(outcome(h, `${input.contractNo}.warranty.9`, 'satisfied'))).toBe('CALLBACK_NOT_FOUND');
  });

  it('books the post-repair callback 3 days after a warranty repair', async () => {
    const now = await w.env.currentTimeMs();
    const input = contractInput({ contractSignedAt: new Date(now - 100 * DAY).toISOString(), plannedCompletionAt: new Date(now - 20 * DAY).toISOString() });
    const h = await openContract(w.env.client, w.db.models, w.taskQueue, input);
    await milestone(h, 'work_started', new Date(now - 90 * DAY).toISOString());
    await milestone(h, 'completed', new Date(now - 20 * DAY).toISOString());
    await h.signal(repairDoneSignal, { complaintId: 'C-00000000000000aa', completedAt: new Date(now + DAY).toISOString() });
    // 3 days after the repair, plus up to a weekend's shift in Shanghai time.
    await w.env.sleep(9 * DAY);
    const repair = (await callbacks(input.contractNo)).find((x) => x.id.startsWith('post_repair.'));
    expect(repair?.id).toBe('post_repair.C-00000000000000aa');
    // Shifted only if it lands on a weekend: never earlier than 3 days after the repair.
    expect(Date.parse(repair!.dueAt) - (now + DAY)).toBeGreaterThanOrEqual(3 * DAY);
    expect(Date.parse(repair!.dueAt) - (now + DAY)).toBeLessThan(8 * DAY);
  });

  it('takes the post-repair call from a warranty repair complaint on the same contract', async () => {
    const now = await w.env.currentTimeMs();
    const input = contractInput({ contractSignedAt: new Date(now - 100 * DAY).toISOString(), plannedCompletionAt: new Date(now - 20 * DAY).toISOString() });
    const h = await openContract(w.env.client, w.db.models, w.taskQueue, input);
    await milestone(h, 'work_started', new Date(now - 90 * DAY).toISOString());
    await milestone(h, 'completed', new Date(now - 20 * DAY).toISOString());
    const repair = complaintInput({ kind: 'repair', contractNo: input.contractNo, branch: input.branch });
    const ch = await openCase(w.env.client, w.db.models, w.taskQueue, repair);
    await ch.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await ch.executeUpdate(feedbackUpdate, {
      args: [{ actor: actors.branch, cause: 'seal', action: 'resealed', responsible: 'crew 2', repairCompletedAt: new Date(now).toISOString() }],
    });
    await w.env.sleep(9 * DAY);
    const cb = (await callbacks(input.contractNo)).find((x) => x.id === `post_repair.${repair.complaintId}`);
    expect(cb).toBeDefined();
    expect(Date.parse(cb!.dueAt) - now).toBeGreaterThanOrEqual(3 * DAY);
    expect(await w.db.models.Task.countDocuments({ complaintId: repair.complaintId, type: 'post_repair_callback' })).toBe(0);
  });

  it('keeps a 5-year warranty with a bounded history and the policy version it started with', async () => {
    const now = await w.env.currentTimeMs();
    const input = contractInput({
      contractSignedAt: new Date(now - 200 * DAY).toISOString(),
      plannedCompletionAt: new Date(now - 100 * DAY).toISOString(),
      warrantyMonths: 60,
      policy: policyWith((p) => {
        p.version = 'v-old';
        p.calendar = SCHEDULE_POLICY.calendar;
      }),
    });
    const h = await openContract(w.env.client, w.db.models, w.taskQueue, input);
    await milestone(h, 'work_started', new Date(now - 190 * DAY).toISOString());
    await milestone(h, 'completed', new Date(now - 100 * DAY).toISOString());
    const runs = new Set<string>();
    for (let year = 0; year < 5; year++) {
      await w.env.sleep(365 * DAY);
      const d = await h.describe();
      runs.add(d.runId);
      expect(d.historyLength).toBeLessThan(HISTORY_BOUND + 200);
      const s = await h.query(contractStateQuery);
      expect(s.policyVersion).toBe('v-old');
      for (const cb of s.open) await outcome(h, cb.id, 'satisfied');
    }
    const warranty = (await callbacks(input.contractNo)).filter((x) => x.id.startsWith('warranty.'));
    expect(warranty).toHaveLength(60);
    expect(runs.size).toBeGreaterThan(1);
    await w.env.sleep(30 * DAY);
    const final = await h.result();
    expect(final).toMatchObject({ phase: 'closed', policyVersion: 'v-old' });
    // ~30-50 s alone on 2 cores; the generous bound is for a machine shared with other builds (297 s under load 25).
  }, 600_000);
});
