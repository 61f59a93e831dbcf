import { describe, expect, it } from 'vitest';
import {
  acknowledgeUpdate,
  directorDecisionUpdate,
  closeUpdate,
  compensationUpdate,
  escalateUpdate,
  feedbackUpdate,
  followUpUpdate,
  pauseUpdate,
  reopenUpdate,
  resumeUpdate,
  stateQuery,
  surveyUpdate,
} from '../../workflows/complaint.messages';
import { addWorkingTime, shiftToWorkingDay } from '../../domain/calendar';
import { updateRefusal, useCaseWorld } from '../support/harness';
import { actors, complaintInput, history, HOUR, MINUTE, openCase, policyWith } from '../support/fixtures';

const w = useCaseWorld('time-skipping');
const DAY = 24 * HOUR;

const minutesAfter = (at: Date, start: number) => Math.round((at.getTime() - start) / MINUTE);

describe('complaint cases under time skipping', () => {
  it('puts a media complaint in legal hands within 24 h and tells legal and an executive at once', async () => {
    // A case on a policy from before the director's and VP's decision clock (complaint-ladder-ends.test.ts has the new one).
    const policy = policyWith((p) => delete p.complaint.externalDecisionBy);
    const input = complaintInput({ source: 'media', severity: undefined, priority: undefined, policy });
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    const start = (await handle.describe()).startTime.getTime();
    await w.env.sleep(23 * HOUR);
    const before = await handle.query(stateQuery);
    expect(before).toMatchObject({ severity: 'major', level: 'director', step: 'legal_handoff', status: 'open' });
    const told = await w.db.models.Notification.find({ caseId: input.complaintId, type: 'opened' }).lean();
    expect(told.map((n) => n.recipientRole).sort()).toEqual(['director', 'executive', 'legal']);

    await w.env.sleep(HOUR + MINUTE);
    const after = await handle.query(stateQuery);
    expect(after).toMatchObject({ status: 'legal', level: 'legal' });
    const toLegal = (await history(w.db.models, input.complaintId)).find((e) => e.type === 'escalated');
    expect(minutesAfter(toLegal!.at, start)).toBe(24 * 60);
    expect(await w.db.models.Handoff.countDocuments({ complaintId: input.complaintId })).toBe(1);
  });

  it('pauses the clock while awaiting the customer and resumes with the time that was left', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    // Branch feedback is due 24 h after the callback; 10 h pass, then a 3-day pause.
    await w.env.sleep(10 * HOUR);
    const paused = await handle.executeUpdate(pauseUpdate, { args: [{ actor: actors.assistant, notes: 'abroad' }] });
    expect(paused.status).toBe('paused');
    expect(Math.round(paused.deadline!.remainingMs! / HOUR)).toBe(14);
    await w.env.sleep(3 * DAY);
    expect((await handle.query(stateQuery)).step).toBe('branch_feedback');
    const resumed = await handle.executeUpdate(resumeUpdate, { args: [{ actor: actors.assistant }] });
    expect(resumed.status).toBe('open');
    expect(Math.round((Date.parse(resumed.deadline!.dueAt) - Date.parse(resumed.deadline!.startedAt)) / HOUR)).toBe(24);
    await w.env.sleep(13 * HOUR);
    expect((await handle.query(stateQuery)).step).toBe('branch_feedback');
    await w.env.sleep(2 * HOUR);
    const moved = await handle.query(stateQuery);
    expect(moved).toMatchObject({ step: 'follow_up', round: 1, overdue: true });
    const missed = (await history(w.db.models, input.complaintId)).filter((e) => e.type === 'deadline_missed');
    expect(missed.map((e) => (e.data as { step: string }).step)).toEqual(['branch_feedback']);
  });

  it('gives a step begun while paused its whole time once the case resumes', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(pauseUpdate, { args: [{ actor: actors.assistant }] });
    const acked = await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    expect(acked).toMatchObject({ status: 'paused', step: 'branch_feedback' });
    expect(acked.deadline!.remainingMs).toBe(24 * HOUR);
    await w.env.sleep(2 * DAY);
    const resumed = await handle.executeUpdate(resumeUpdate, { args: [{ actor: actors.assistant }] });
    expect(Date.parse(resumed.deadline!.dueAt) - (await w.env.currentTimeMs())).toBeGreaterThan(23 * HOUR);
    await w.env.sleep(HOUR);
    expect(await handle.query(stateQuery)).toMatchObject({ step: 'branch_feedback', overdue: false });
  });

  it('closes, creates the survey task at once due within a week, reopens within the window and refuses after it', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, cause: 'c', action: 'a', responsible: 'r' }] });
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: true }] });
    const closed = await handle.executeUpdate(closeUpdate, { args: [{ actor: actors.assistant }] });
    const closedAt = Date.parse(closed.closedAt!);
    await w.env.sleep(MINUTE);
    // "A satisfaction survey within one week" ([004] §15): the task exists from the closing and is due a week later.
    const survey = await w.db.models.Task.findOne({ complaintId: input.complaintId, type: 'satisfaction_survey' }).lean();
    expect(survey).not.toBeNull();
    expect(Math.round((survey!.dueAt.getTime() - closedAt) / HOUR)).toBe(7 * 24);
    const surveyEvent = (await history(w.db.models, input.complaintId)).find((e) => e.type === 'survey_task_created')!;
    expect(surveyEvent.at.getTime() - closedAt).toBeLessThan(MINUTE);
    await handle.executeUpdate(surveyUpdate, { args: [{ actor: actors.assistant, satisfied: true, score: 4 }] });

    const reopened = await handle.executeUpdate(reopenUpdate, { args: [{ actor: actors.assistant, notes: 'leak is back' }] });
    expect(reopened).toMatchObject({ status: 'open', step: 'follow_up', round: 1, reopenCount: 1 });
    await handle.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: true }] });
    await handle.executeUpdate(closeUpdate, { args: [{ actor: actors.assistant }] });
    await w.env.sleep(31 * DAY);
    // The case has ended once the window passed and the survey task exists: no more actions.
    await expect(handle.executeUpdate(reopenUpdate, { args: [{ actor: actors.assistant }] })).rejects.toThrow();
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'closed', reopenCount: 1, surveyTaskCreated: true });
    expect(await w.db.models.Task.countDocuments({ complaintId: input.complaintId, type: 'satisfaction_survey' })).toBe(2);
  });

  it('answers a warranty repair within 24 h and books the callback 3 days after the repair; repair or compensate, never both', async () => {
    const input = complaintInput({ kind: 'repair', contractNo: 'HZ-2026-0001' });
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    const start = (await handle.describe()).startTime.getTime();
    expect((await handle.query(stateQuery)).deadline).toMatchObject({ step: 'first_callback' });
    const dl = (await handle.query(stateQuery)).deadline!;
    expect(Date.parse(dl.dueAt) - start).toBe(24 * HOUR);
    await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'repair', defect: 'leaking tap' }] });
    expect(
      await updateRefusal(
        handle.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'compensation', defect: 'leaking tap', amount: 50 }] }),
      ),
    ).toBe('REPAIR_OR_COMPENSATE');
    const repairedAt = new Date(start + 2 * DAY).toISOString();
    await handle.executeUpdate(feedbackUpdate, {
      args: [{ actor: actors.branch, cause: 'washer', action: 'replaced', responsible: 'crew 3', repairCompletedAt: repairedAt }],
    });
    const task = await w.db.models.Task.findById(`${input.complaintId}:post_repair`).lean();
    expect(task).toMatchObject({ type: 'post_repair_callback', contractNo: 'HZ-2026-0001', assigneeRole: 'assistant' });
    // Three working days after the repair (the policy counts post_repair in working time), on a working day (the test clock's day varies).
    const cal = input.policy.calendar;
    expect(task!.dueAt.getTime()).toBe(shiftToWorkingDay(addWorkingTime(Date.parse(repairedAt), 3 * DAY, cal), cal));
  });

  it('routes an employee complaint to hr and gives an unsatisfied crew the director and a second handling', async () => {
    const staff = complaintInput({ kind: 'staff' });
    const staffHandle = await openCase(w.env.client, w.db.models, w.taskQueue, staff);
    expect((await staffHandle.query(stateQuery)).routedTo).toBe('hr');

    const crew = complaintInput({ kind: 'crew' });
    const h = await openCase(w.env.client, w.db.models, w.taskQueue, crew);
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    expect((await h.query(stateQuery)).routedTo).toBe('engineering');
    const afterEng = await h.executeUpdate(feedbackUpdate, {
      args: [{ actor: { sub: 'eng-1', roles: ['engineering'] }, cause: 'c', action: 'inspect', responsible: 'foreman' }],
    });
    expect(afterEng).toMatchObject({ routedTo: 'branch', step: 'branch_feedback' });
    await h.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, cause: 'c', action: 'fix', responsible: 'crew' }] });
    const unsatisfied = await h.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false }] });
    // The director re-decides first (recorded), then the branch handles it a second time.
    expect(unsatisfied).toMatchObject({ level: 'director', step: 'director_decision' });
    const decided = await h.executeUpdate(directorDecisionUpdate, { args: [{ actor: actors.director, decision: 'rehandle' }] });
    expect(decided).toMatchObject({ level: 'director', secondHandling: true, routedTo: 'branch', step: 'branch_feedback' });
  });

  it('refuses actions that do not fit the state with stable codes', async () => {
    const input = complaintInput();
    const handle = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    expect(await updateRefusal(handle.executeUpdate(closeUpdate, { args: [{ actor: actors.assistant }] }))).toBe('INVALID_STATE');
    expect(await updateRefusal(handle.executeUpdate(resumeUpdate, { args: [{ actor: actors.assistant }] }))).toBe('INVALID_STATE');
    await handle.executeUpdate(escalateUpdate, { args: [{ actor: actors.assistant }] });
    await handle.executeUpdate(escalateUpdate, { args: [{ actor: actors.supervisor }] });
    const legal = await handle.executeUpdate(escalateUpdate, { args: [{ actor: actors.director }] });
    expect(legal).toMatchObject({ status: 'legal', level: 'legal' });
    // The authority rule refuses first: the case is held by legal, above the assistant.
    expect(await updateRefusal(handle.executeUpdate(closeUpdate, { args: [{ actor: actors.assistant }] }))).toBe('NOT_CASE_OWNER');
    expect(await updateRefusal(handle.executeUpdate(closeUpdate, { args: [{ actor: actors.director }] }))).toBe('NOT_CASE_OWNER');
    await handle.executeUpdate(closeUpdate, { args: [{ actor: actors.legal }] });
    // Closed by legal and its survey task made: the case ends, so nothing can reopen it (the API answers CASE_FINISHED).
    expect(await handle.result()).toMatchObject({ status: 'closed', closedByLegal: true, surveyTaskCreated: true });
  });
});
