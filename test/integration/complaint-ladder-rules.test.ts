// The ladder's documents and clocks under time skipping: urge notices and penalties per round, severity deadlines,
// a pause that cannot be forgotten, feedback given early, and a handling cycle without paused time.
import { describe, expect, it } from 'vitest';
import { acknowledgeUpdate, feedbackUpdate, followUpUpdate, pauseUpdate, resumeUpdate, stateQuery } from '../../workflows/complaint.messages';
import { useCaseWorld } from '../support/harness';
import { actors, complaintInput, history, HOUR, MINUTE, openCase } from '../support/fixtures';

const w = useCaseWorld('time-skipping');
const DAY = 24 * HOUR;
type Data = Record<string, unknown>;

describe('the ladder, faithful to the rules', () => {
  it('sends an urge notice with its own deadline each round and records each failed round’s penalty', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    // 24 h feedback, then four rounds of 48 h (general, medium priority) with nobody acting.
    await w.env.sleep(24 * HOUR + 4 * 48 * HOUR + MINUTE);
    expect(await handle.query(stateQuery)).toMatchObject({ status: 'legal', round: 4 });
    const events = await history(w.db.models, input.complaintId);
    const urges = events.filter((e) => e.type === 'urge_notice');
    expect(urges.map((e) => (e.data as Data).round)).toEqual([1, 2, 3, 4]);
    // Each notice is due when its round's follow-up is: 48 h after it was sent.
    for (const u of urges) expect(Math.abs(Date.parse((u.data as Data).respondBy as string) - u.at.getTime() - 48 * HOUR)).toBeLessThan(1000);
    expect(urges[0]!.data).toMatchObject({ noticeId: `${input.complaintId}:urge:1` });
    const penalties = events.filter((e) => e.type === 'penalty').map((e) => [(e.data as Data).round, (e.data as Data).penalty]);
    expect(penalties).toEqual([
      [1, 'reported_for_penalty'],
      [2, 'warning'],
      [3, 'penalty_ordered'],
    ]);
    const told = await w.db.models.Notification.find({ caseId: input.complaintId, type: 'urge_notice' }).lean();
    expect(new Set(told.map((n) => n.recipientRole))).toEqual(new Set(['branch']));
  });

  it('gives a serious complaint the shorter of its severity’s round deadline and its priority’s', async () => {
    const input = complaintInput({ severity: 'serious', priority: 'medium' });
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await w.env.sleep(24 * HOUR + MINUTE);
    const round1 = (await handle.query(stateQuery)).deadline!;
    expect([round1.step, Date.parse(round1.dueAt) - Date.parse(round1.startedAt)]).toEqual(['follow_up', 48 * HOUR]);
    await w.env.sleep(48 * HOUR);
    const s = await handle.query(stateQuery);
    expect(s.round).toBe(2);
    expect(Date.parse(s.deadline!.dueAt) - Date.parse(s.deadline!.startedAt)).toBe(24 * HOUR);
  });

  it('reminds the owner of a pause and resumes the case by itself at the pause limit', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(pauseUpdate, { args: [{ actor: actors.assistant }] });
    await w.env.sleep(3 * DAY - HOUR);
    expect((await history(w.db.models, input.complaintId)).some((e) => e.type === 'pause_reminder')).toBe(false);
    await w.env.sleep(2 * HOUR);
    expect((await history(w.db.models, input.complaintId)).filter((e) => e.type === 'pause_reminder')).toHaveLength(1);
    expect((await handle.query(stateQuery)).status).toBe('paused');
    await w.env.sleep(4 * DAY);
    const s = await handle.query(stateQuery);
    expect(s).toMatchObject({ status: 'open', step: 'branch_feedback' });
    const events = await history(w.db.models, input.complaintId);
    expect(events.find((e) => e.type === 'resumed')).toMatchObject({ by: 'system', data: { reason: 'pause_limit' } });
    expect(events.filter((e) => e.type === 'pause_expired')).toHaveLength(1);
    // The step kept the whole 24 h it had when paused.
    const resumed = events.find((e) => e.type === 'resumed')!;
    expect(Math.abs(Date.parse((resumed.data as Data).dueAt as string) - resumed.at.getTime() - 24 * HOUR)).toBeLessThan(1000);
  });

  it('counts feedback given at the first callback as the feedback step, and starts round 1 with its urge notice', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, cause: 'c', action: 'a', responsible: 'r' }] });
    const s = await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    expect(s).toMatchObject({ step: 'follow_up', round: 1 });
    const types = (await history(w.db.models, input.complaintId)).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['acknowledged', 'urge_notice']);
  });

  it('tells the branch when its feedback clock starts though triage was skipped', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    const told = await w.db.models.Notification.find({ caseId: input.complaintId, recipientRole: 'branch' }).lean();
    expect(told.map((n) => n.type)).toEqual(['acknowledged']);
    const missed = complaintInput();
    await openCase(w.env.client, w.db.models, w.taskQueue, missed);
    await w.env.sleep(3 * MINUTE + MINUTE);
    const late = await w.db.models.Notification.find({ caseId: missed.complaintId, recipientRole: 'branch' }).lean();
    expect(late.map((n) => n.type)).toEqual(['step_started']);
  });

  it('leaves paused time out of the handling cycle', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(pauseUpdate, { args: [{ actor: actors.assistant }] });
    await w.env.sleep(10 * HOUR);
    await handle.executeUpdate(resumeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, cause: 'c', action: 'a', responsible: 'r' }] });
    await w.env.sleep(2 * HOUR);
    const done = await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: true }] });
    const elapsed = Date.parse(done.resolvedAt!) - Date.parse(input.openedAt);
    expect(Math.round((elapsed - done.handlingMs!) / HOUR)).toBe(10);
  });
});
