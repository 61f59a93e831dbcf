// Where the ladder ends, under time skipping: regulator/media cases decided by the director and the VP within 24 h (or
// taken by legal at 24 h), a lawsuit source, a mid-way re-flag, validity by triage, staff and crew complaints ending at the director.
import { describe, expect, it } from 'vitest';
import {
  acknowledgeUpdate,
  closeUpdate,
  compensationUpdate,
  directorDecisionUpdate,
  escalateUpdate,
  externalDecisionUpdate,
  externalFlagUpdate,
  feedbackUpdate,
  followUpUpdate,
  pauseUpdate,
  stateQuery,
  triageUpdate,
  type Actor,
} from '../../workflows/complaint.messages';
import { updateRefusal, useCaseWorld } from '../support/harness';
import { actors, complaintInput, history, HOUR, MINUTE, openCase } from '../support/fixtures';

const w = useCaseWorld('time-skipping');
const DAY = 24 * HOUR;
const engineering: Actor = { sub: 'staff-g1', roles: ['engineering'] };
const hr: Actor = { sub: 'staff-h1', roles: ['hr'] };
const form = { cause: 'c', action: 'a', responsible: 'r' };
type Data = Record<string, unknown>;

async function notified(caseId: string, type: string) {
  const rows = await w.db.models.Notification.find({ caseId, type }).lean();
  return [...new Set(rows.map((n) => n.recipientRole))].sort();
}

describe('regulator, consumer-association and media complaints', () => {
  it('is decided by the director and the VP within 24 h while triage, feedback and follow-up run; its clock cannot pause', async () => {
    const input = complaintInput({ source: 'media', severity: undefined, priority: undefined });
    const h = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    const opened = await h.query(stateQuery);
    expect(opened).toMatchObject({ severity: 'major', level: 'director', step: 'first_callback', external: { source: 'media', decisions: [] } });
    expect(Date.parse(opened.external!.dueAt) - Date.parse(opened.external!.startedAt)).toBe(24 * HOUR);
    expect(await notified(input.complaintId, 'opened')).toEqual(['director', 'legal', 'vp']);

    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    // Triage works as on any case, but a media case stays major.
    expect(await updateRefusal(h.executeUpdate(triageUpdate, { args: [{ actor: actors.director, severity: 'general', priority: 'high', valid: true }] }))).toBe(
      'INVALID_INPUT',
    );
    const triaged = await h.executeUpdate(triageUpdate, { args: [{ actor: actors.director, severity: 'major', priority: 'high', valid: true }] });
    expect(triaged.step).toBe('branch_feedback');
    expect(await updateRefusal(h.executeUpdate(pauseUpdate, { args: [{ actor: actors.assistant }] }))).toBe('EXTERNAL_CLOCK_NOT_PAUSABLE');

    await w.env.sleep(2 * HOUR);
    await h.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.director, decision: 'keep' }] });
    expect(await updateRefusal(h.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.director, decision: 'keep' }] }))).toBe('ALREADY_DONE');
    expect(await updateRefusal(h.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.legal, decision: 'keep' }] }))).toBe('ROLE_NOT_ALLOWED');
    await h.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, ...form }] });
    await w.env.sleep(3 * HOUR);
    const kept = await h.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.vp, decision: 'keep' }] });
    expect(kept.external).toMatchObject({ outcome: 'keep' });
    expect(kept.external!.decisions.map((d) => [d.role, d.by])).toEqual([
      ['director', actors.director.sub],
      ['vp', actors.vp.sub],
    ]);

    // Past 24 h the center still holds it: decided in time; the ladder's own clocks run on, and a pause is allowed now.
    await w.env.sleep(20 * HOUR);
    const later = await h.query(stateQuery);
    expect(later).toMatchObject({ status: 'open', level: 'director', step: 'follow_up' });
    expect((await h.executeUpdate(pauseUpdate, { args: [{ actor: actors.assistant }] })).status).toBe('paused');
    const events = await history(w.db.models, input.complaintId);
    const decisions = events.filter((e) => e.type === 'external_decision');
    expect(decisions.map((e) => [e.by, (e.data as Data).role, (e.data as Data).decision])).toEqual([
      [actors.director.sub, 'director', 'keep'],
      [actors.vp.sub, 'vp', 'keep'],
    ]);
    expect(decisions[1]!.at.getTime() - decisions[0]!.at.getTime()).toBeGreaterThanOrEqual(3 * HOUR - MINUTE);
    expect(await notified(input.complaintId, 'external_decided')).toEqual(['branch', 'director', 'legal', 'vp']);
    expect(await w.db.models.Handoff.countDocuments({ complaintId: input.complaintId })).toBe(0);
  });

  it('reaches legal by itself at 24 h when not every decider decided, and cannot close before', async () => {
    const input = complaintInput({ source: 'regulator', severity: undefined, priority: undefined });
    const h = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    const start = (await h.describe()).startTime.getTime();
    await h.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.director, decision: 'keep' }] });
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await h.executeUpdate(triageUpdate, { args: [{ actor: actors.supervisor, severity: 'major', priority: 'high', valid: true }] });
    await h.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, ...form }] });
    const resolved = await h.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: true }] });
    expect(resolved.status).toBe('resolved');
    expect(await updateRefusal(h.executeUpdate(closeUpdate, { args: [{ actor: actors.director }] }))).toBe('EXTERNAL_DECISION_PENDING');
    await w.env.sleep(23 * HOUR);
    expect((await h.query(stateQuery)).status).toBe('resolved');
    await w.env.sleep(HOUR + MINUTE);
    expect(await h.query(stateQuery)).toMatchObject({ status: 'legal', level: 'legal', external: { outcome: 'legal' } });
    const toLegal = (await history(w.db.models, input.complaintId)).find((e) => e.type === 'escalated' && (e.data as Data).to === 'legal')!;
    expect(toLegal.data).toMatchObject({ reason: 'external_source_deadline' });
    expect(Math.round((toLegal.at.getTime() - start) / MINUTE)).toBe(24 * 60);
    expect(await w.db.models.Handoff.countDocuments({ complaintId: input.complaintId })).toBe(1);
  });

  it('goes to legal at once when a decider says so', async () => {
    const input = complaintInput({ source: 'consumer_association', severity: undefined, priority: undefined });
    const h = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    const s = await h.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.executive, decision: 'legal' }] });
    expect(s).toMatchObject({ status: 'legal', external: { outcome: 'legal', decisions: [{ role: 'vp', decision: 'legal' }] } });
    expect(await updateRefusal(h.executeUpdate(externalDecisionUpdate, { args: [{ actor: actors.director, decision: 'keep' }] }))).toBe('ALREADY_DONE');
  });

  it('hands a complaint that arrives as a lawsuit to legal at intake', async () => {
    const input = complaintInput({ source: 'lawsuit', severity: undefined, priority: undefined });
    const h = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    expect(await h.query(stateQuery)).toMatchObject({ status: 'legal', level: 'legal', severity: 'major', step: 'legal' });
    const types = (await history(w.db.models, input.complaintId)).map((e) => e.type);
    expect(types).toEqual(['opened', 'escalated', 'legal_handoff']);
    expect(await w.db.models.Handoff.countDocuments({ complaintId: input.complaintId })).toBe(1);
  });

  it('re-flags a running complaint as a media case: a paused step resumes and the 24 h clock starts', async () => {
    const input = complaintInput();
    const h = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await h.executeUpdate(pauseUpdate, { args: [{ actor: actors.assistant }] });
    await w.env.sleep(5 * HOUR);
    const flagged = await h.executeUpdate(externalFlagUpdate, { args: [{ actor: actors.supervisor, source: 'media' }] });
    expect(flagged).toMatchObject({ status: 'open', severity: 'major', priority: 'high', level: 'director', source: 'phone', external: { source: 'media' } });
    expect(await updateRefusal(h.executeUpdate(externalFlagUpdate, { args: [{ actor: actors.director, source: 'regulator' }] }))).toBe('ALREADY_DONE');
    expect(await notified(input.complaintId, 'external_flagged')).toEqual(['director', 'legal', 'vp']);
    await w.env.sleep(24 * HOUR + MINUTE);
    expect(await h.query(stateQuery)).toMatchObject({ status: 'legal', external: { outcome: 'legal' } });
    // A resolved case is not re-flagged (reopen it first).
    const o = await openCase(w.env.client, w.db.models, w.taskQueue, complaintInput());
    await o.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    await o.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, ...form }] });
    await o.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: true }] });
    expect(await updateRefusal(o.executeUpdate(externalFlagUpdate, { args: [{ actor: actors.director, source: 'regulator' }] }))).toBe('INVALID_STATE');
  });
});

describe('violations found on a callback', () => {
  it('sends a crew’s private job to the director and legal at once, and a second-hand site to engineering', async () => {
    const privateJob = complaintInput({ source: 'callback', finding: 'private_job' });
    const h = await openCase(w.env.client, w.db.models, w.taskQueue, privateJob);
    expect(await h.query(stateQuery)).toMatchObject({ status: 'legal', level: 'legal', finding: 'private_job' });
    expect(await notified(privateJob.complaintId, 'opened')).toEqual(['director', 'legal', 'regional_president']);
    const toLegal = (await history(w.db.models, privateJob.complaintId)).find((e) => e.type === 'escalated')!;
    expect(toLegal.data).toMatchObject({ from: 'director', to: 'legal', reason: 'finding_private_job' });

    const secondHand = complaintInput({ source: 'callback', finding: 'second_hand_site' });
    const s = await openCase(w.env.client, w.db.models, w.taskQueue, secondHand);
    expect(await s.query(stateQuery)).toMatchObject({ status: 'open', routedTo: 'engineering' });
  });
});

describe('validity and the fixed allowance', () => {
  it('refuses the allowance until triage confirms the complaint valid', async () => {
    const input = complaintInput();
    const h = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    expect((await h.query(stateQuery)).valid).toBe(false);
    const allowance = () => h.executeUpdate(compensationUpdate, { args: [{ actor: actors.assistant, type: 'allowance' }] });
    expect(await updateRefusal(allowance())).toBe('NOT_CONFIRMED_VALID');
    await h.executeUpdate(triageUpdate, { args: [{ actor: actors.supervisor, severity: 'general', priority: 'medium', valid: false }] });
    expect(await updateRefusal(allowance())).toBe('NOT_CONFIRMED_VALID');
    expect((await history(w.db.models, input.complaintId)).some((e) => e.type === 'compensation')).toBe(false);
    await h.executeUpdate(triageUpdate, { args: [{ actor: actors.supervisor, severity: 'general', priority: 'medium', valid: true }] });
    expect((await allowance()).remedies).toMatchObject([{ type: 'allowance', amount: 50 }]);
  });
});

describe('staff and crew complaints end at the director', () => {
  it('crew: engineering, then the branch; unsatisfied, the director re-decides, the branch handles it again, the director ends it', async () => {
    const input = complaintInput({ kind: 'crew' });
    const h = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    expect(await updateRefusal(h.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, ...form }] }))).toBe('ROLE_NOT_ALLOWED');
    expect((await h.executeUpdate(feedbackUpdate, { args: [{ actor: engineering, ...form }] })).routedTo).toBe('branch');
    expect((await h.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, ...form }] })).step).toBe('follow_up');
    const due = await h.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false }] });
    expect(due).toMatchObject({ step: 'director_decision', directorDecisionFor: 'rehandle', level: 'director' });
    expect(await updateRefusal(h.executeUpdate(directorDecisionUpdate, { args: [{ actor: actors.supervisor, decision: 'rehandle' }] }))).toBe(
      'ROLE_NOT_ALLOWED',
    );
    const again = await h.executeUpdate(directorDecisionUpdate, { args: [{ actor: actors.director, decision: 'rehandle' }] });
    expect(again).toMatchObject({ step: 'branch_feedback', routedTo: 'branch', secondHandling: true });
    await h.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, ...form }] });
    const last = await h.executeUpdate(followUpUpdate, { args: [{ actor: actors.assistant, customerSatisfied: false }] });
    expect(last).toMatchObject({ step: 'director_decision', directorDecisionFor: 'final' });
    expect(await updateRefusal(h.executeUpdate(directorDecisionUpdate, { args: [{ actor: actors.director, decision: 'rehandle' }] }))).toBe('INVALID_STATE');
    expect(await updateRefusal(h.executeUpdate(escalateUpdate, { args: [{ actor: actors.director }] }))).toBe('INVALID_STATE');
    const ended = await h.executeUpdate(directorDecisionUpdate, { args: [{ actor: actors.director, decision: 'upheld' }] });
    expect(ended).toMatchObject({ status: 'resolved', level: 'director' });
    expect(ended.directorDecisions!.map((d) => [d.decision, d.by])).toEqual([
      ['rehandle', actors.director.sub],
      ['upheld', actors.director.sub],
    ]);
    const recorded = (await history(w.db.models, input.complaintId)).filter((e) => e.type === 'director_decision');
    expect(recorded.map((e) => [e.by, (e.data as Data).decision])).toEqual([
      [actors.director.sub, 'rehandle'],
      [actors.director.sub, 'upheld'],
    ]);
  });

  it('staff: hr handles it; past the last round the director decides instead of legal, and a missed decision is asked again', async () => {
    const input = complaintInput({ kind: 'staff' });
    const h = await openCase(w.env.client, w.db.models, w.taskQueue, input);
    await h.executeUpdate(acknowledgeUpdate, { args: [{ actor: actors.assistant }] });
    expect(await updateRefusal(h.executeUpdate(feedbackUpdate, { args: [{ actor: actors.branch, ...form }] }))).toBe('ROLE_NOT_ALLOWED');
    await h.executeUpdate(feedbackUpdate, { args: [{ actor: hr, ...form }] });
    // Four rounds of 48 h (general, medium) pass with nobody acting.
    await w.env.sleep(4 * 48 * HOUR + MINUTE);
    const s = await h.query(stateQuery);
    expect(s).toMatchObject({ status: 'open', step: 'director_decision', directorDecisionFor: 'final', level: 'director', routedTo: 'hr' });
    await w.env.sleep(DAY);
    expect((await h.query(stateQuery)).step).toBe('director_decision');
    expect(await notified(input.complaintId, 'deadline_missed')).toContain('vp');
    expect(await w.db.models.Handoff.countDocuments({ complaintId: input.complaintId })).toBe(0);
    const ended = await h.executeUpdate(directorDecisionUpdate, { args: [{ actor: actors.director, decision: 'dismissed' }] });
    expect(ended.status).toBe('resolved');
    expect((await h.executeUpdate(closeUpdate, { args: [{ actor: actors.director }] })).status).toBe('closed');
  });
});
