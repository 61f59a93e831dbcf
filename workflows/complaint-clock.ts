// The complaint case's clock: which timer is next (warning, deadline, survey, reopen window) and what firing it does.
import { warningTimes, missedStepRecipients } from '../domain/complaint.rules';
import { durationMs } from '../domain/duration';
import { iso, SYSTEM, type Complaint } from './complaint-case';

export interface Timer {
  at: number;
  fire: () => Promise<void>;
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
      return c.record('step_started', SYSTEM, { step: s.step });
    case 'triage':
      s.severityConfirmed = true;
      c.startStep('branch_feedback', missedAt);
      return c.record('step_started', SYSTEM, { step: s.step, severity: s.severity, priority: s.priority });
    case 'branch_feedback':
      if (s.round === 0) {
        c.startFollowUpRound(1, missedAt);
        return c.record('round_started', SYSTEM, { round: 1, reason: 'feedback_missed' }, [s.routedTo]);
      }
      return c.advanceRound('deadline_missed', SYSTEM, missedAt);
    case 'follow_up':
      return c.advanceRound('deadline_missed', SYSTEM, missedAt);
    case 'legal_handoff':
      return c.handToLegal('external_source_deadline', SYSTEM);
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
    dueAt: iso(c.now()),
  });
  await c.record('survey_task_created', SYSTEM, { taskId }, ['assistant']);
}

/** Timers of the case, earliest first: warnings and the step deadline while open, survey and reopen window once closed. */
export function nextTimer(c: Complaint): Timer | undefined {
  const s = c.state;
  if (s.status === 'open' && s.deadline) {
    const dl = s.deadline;
    const startedAt = Date.parse(dl.startedAt);
    const dueAt = Date.parse(dl.dueAt);
    const nextWarning = warningTimes(startedAt, dueAt, c.policy.warningFractions)[dl.warningsSent];
    if (nextWarning !== undefined && nextWarning < dueAt) return { at: nextWarning, fire: () => onWarning(c) };
    return { at: dueAt, fire: () => onDeadline(c) };
  }
  if (s.status === 'closed' && s.closedAt && !s.surveyTaskCreated) {
    return { at: Date.parse(s.closedAt) + durationMs(c.policy.surveyAfterClose), fire: () => createSurveyTask(c) };
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
