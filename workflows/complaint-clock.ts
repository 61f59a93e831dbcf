// The complaint case's clock: which timer is next (warning, deadline, survey, reopen window) and what firing it does.
import { warningTimes, missedStepRecipients } from '../domain/complaint.rules';
import { durationMs } from '../domain/duration';
import type { Role } from '../domain/roles';
import { iso, SYSTEM, type Complaint } from './complaint-case';
import { answerTimer } from './complaint-answer';
import { externalTimer } from './complaint-external';
import { directorDecisionMissed } from './complaint-internal';

export interface Timer {
  at: number;
  fire: () => Promise<void>;
}

/** Whoever owes the feedback form hears when its clock starts, even when triage was skipped or missed. */
function feedbackClockTold(c: Complaint): Role[] {
  return c.state.step === 'branch_feedback' ? [c.state.routedTo] : [];
}

async function onDeadline(c: Complaint): Promise<void> {
  const s = c.state;
  const step = s.step;
  const missedAt = Date.parse(s.deadline!.dueAt);
  s.overdue = true;
  await c.record('deadline_missed', SYSTEM, { step, round: s.round }, missedStepRecipients(step, s.level, s.routedTo));
  switch (step) {
    case 'first_callback':
      c.startStep(c.stepAfterCallback(), missedAt);
      return c.record('step_started', SYSTEM, { step: s.step }, feedbackClockTold(c));
    case 'triage':
      s.severityConfirmed = true;
      c.startStep('branch_feedback', missedAt);
      return c.record('step_started', SYSTEM, { step: s.step, severity: s.severity, priority: s.priority }, feedbackClockTold(c));
    case 'branch_feedback':
      if (s.round === 0) {
        c.startFollowUpRound(1, missedAt);
        await c.record('round_started', SYSTEM, { round: 1, reason: 'feedback_missed' }, [s.routedTo]);
        return c.urge(1);
      }
      return c.advanceRound('deadline_missed', SYSTEM, missedAt);
    case 'follow_up':
      return c.advanceRound('deadline_missed', SYSTEM, missedAt);
    case 'legal_handoff':
      return c.handToLegal('external_source_deadline', SYSTEM);
    case 'director_decision':
      return directorDecisionMissed(c, missedAt);
    default:
      return;
  }
}

async function onWarning(c: Complaint): Promise<void> {
  const s = c.state;
  const dl = s.deadline!;
  dl.warningsSent++;
  await c.record('warning', SYSTEM, { step: dl.step, dueAt: dl.dueAt, warning: dl.warningsSent }, [s.step === 'branch_feedback' ? s.routedTo : s.level]);
}

async function createSurveyTask(c: Complaint): Promise<void> {
  const s = c.state;
  s.surveyTaskCreated = true;
  const taskId = `${s.complaintId}:survey:${s.reopenCount}`;
  await c.file.createTask({
    id: taskId,
    type: 'satisfaction_survey',
    complaintId: s.complaintId,
    branch: s.branch,
    assigneeRole: 'assistant',
    // Within a week of closing (policy surveyWithin); cases on an older policy got it a week later, due at once.
    dueAt: iso(c.policy.surveyWithin ? Date.parse(s.closedAt!) + durationMs(c.policy.surveyWithin) : c.now()),
  });
  await c.record('survey_task_created', SYSTEM, { taskId }, ['assistant']);
}

/** A pause is never forgotten: its owner is reminded, and at the limit the case resumes by itself and the superior hears. */
function pauseTimer(c: Complaint, pausedAt: number): Timer {
  const s = c.state;
  const remindAt = c.policy.pauseReminder ? pausedAt + durationMs(c.policy.pauseReminder) : undefined;
  const limitAt = pausedAt + durationMs(c.policy.pauseLimit!);
  if (remindAt !== undefined && remindAt < limitAt && !s.pauseRemindersSent) {
    return {
      at: remindAt,
      fire: async () => {
        s.pauseRemindersSent = 1;
        await c.record('pause_reminder', SYSTEM, { step: s.step, resumesAt: iso(limitAt) }, [s.level]);
      },
    };
  }
  return {
    at: limitAt,
    fire: () =>
      c
        .resumeClock(SYSTEM, { reason: 'pause_limit' })
        .then(() => c.record('pause_expired', SYSTEM, { step: s.step }, missedStepRecipients(s.step, s.level, s.routedTo))),
  };
}

/** The next timer of the case: its step's, or the regulator/media decision clock's when that is earlier. */
export function nextTimer(c: Complaint): Timer | undefined {
  const step = stepTimer(c);
  const external = externalTimer(c);
  const first = external && (!step || external.at <= step.at) ? external : step;
  // The customer's answer clock runs beside both; at a tie the ladder's timer goes first, as before the clock existed.
  const answer = answerTimer(c);
  return answer && (!first || answer.at < first.at) ? answer : first;
}

/** Timers of the case, earliest first: warnings and the step deadline while open, survey and reopen window once closed. */
function stepTimer(c: Complaint): Timer | undefined {
  const s = c.state;
  if (s.status === 'open' && s.deadline) {
    const dl = s.deadline;
    const startedAt = Date.parse(dl.startedAt);
    const dueAt = Date.parse(dl.dueAt);
    const nextWarning = warningTimes(startedAt, dueAt, c.policy.warningFractions)[dl.warningsSent];
    if (nextWarning !== undefined && nextWarning < dueAt) return { at: nextWarning, fire: () => onWarning(c) };
    return { at: dueAt, fire: () => onDeadline(c) };
  }
  if (s.status === 'paused' && s.pausedAt && c.policy.pauseLimit) return pauseTimer(c, Date.parse(s.pausedAt));
  if (s.status === 'closed' && s.closedAt && !s.surveyTaskCreated) {
    const at = Date.parse(s.closedAt) + (c.policy.surveyWithin ? 0 : durationMs(c.policy.surveyAfterClose));
    return { at, fire: () => createSurveyTask(c) };
  }
  return undefined;
}

/** When the clock must wake next: the next timer, or the end of the reopen window of a closed case. */
export function wakeAt(c: Complaint, timer: Timer | undefined): number | undefined {
  const closedWait = c.state.status === 'closed' ? reopenWindowEnd(c) : undefined;
  const at = Math.min(timer?.at ?? Infinity, closedWait ?? Infinity);
  return at === Infinity ? undefined : at;
}

export function reopenWindowEnd(c: Complaint): number | undefined {
  return c.state.closedAt ? Date.parse(c.state.closedAt) + durationMs(c.policy.reopenWindow) : undefined;
}

export function finished(c: Complaint): boolean {
  const s = c.state;
  if (s.status !== 'closed' || !s.surveyTaskCreated) return false;
  return s.closedByLegal || c.now() >= (reopenWindowEnd(c) ?? 0);
}
