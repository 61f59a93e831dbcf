// Staff actions on a complaint case: each check refuses what does not fit the case's state, each handler changes and records it.
import type { UpdateDefinition } from '@temporalio/common';
import { authorize, type ActionInput, type ComplaintAction } from '../domain/authority';
import { shiftToWorkingDay } from '../domain/calendar';
import { durationMs } from '../domain/duration';
import { higherLevel, nextLevel } from '../domain/roles';
import type { UpdateSpec } from './case-runtime';
import { iso, SYSTEM, type Complaint } from './complaint-case';
import { registerExternalActions } from './complaint-external';
import { registerDirectorDecision, startDirectorDecision } from './complaint-internal';
import { markAnswered } from './complaint-answer';
import { registerClosingActions } from './complaint-closing';
import { registerPauseActions } from './complaint-pause';
import { registerRemedyActions } from './complaint-remedies';
import * as msg from './complaint.messages';
import { reject } from './refusal';

type State = msg.ComplaintState;

/** The authority rule's name of each staff update. */
const ACTION_OF_UPDATE: Record<string, ComplaintAction> = {
  [msg.acknowledgeUpdate.name]: 'acknowledge',
  [msg.triageUpdate.name]: 'triage',
  [msg.feedbackUpdate.name]: 'feedback',
  [msg.followUpUpdate.name]: 'follow-up',
  [msg.pauseUpdate.name]: 'pause',
  [msg.resumeUpdate.name]: 'resume',
  [msg.escalateUpdate.name]: 'escalate',
  [msg.closeUpdate.name]: 'close',
  [msg.reopenUpdate.name]: 'reopen',
  [msg.surveyUpdate.name]: 'survey',
  [msg.compensationUpdate.name]: 'compensation',
  [msg.approvalUpdate.name]: 'approvals',
  [msg.approvalRequestUpdate.name]: 'approval-requests',
  [msg.externalDecisionUpdate.name]: 'external-decision',
  [msg.externalFlagUpdate.name]: 'external-flag',
  [msg.directorDecisionUpdate.name]: 'director-decision',
};
/** Patch: a follow-up may find the customer not reached or the work in progress, which neither resolves nor escalates. */
export const FOLLOW_UP_OUTCOMES = 'follow-up-outcomes';
export type RegisterAction = <A>(def: UpdateDefinition<State, [A]>, spec: UpdateSpec<A, State>) => void;
/** A complaint action: its check refuses, its handler changes and records; both see the case as it stands. */
export type Action = <A>(def: UpdateDefinition<State, [A]>, check: (arg: A) => void, handle: (arg: A) => Promise<unknown>) => void;

export function registerComplaintActions(c: Complaint, on: RegisterAction): void {
  const s = c.state;
  const policy = c.policy;
  const by = (actor: msg.Actor) => actor.sub;
  const now = () => c.now();
  const requireOpen = () => {
    if (s.status === 'paused') reject('INVALID_STATE', 'the case is paused awaiting the customer; resume it first');
    if (s.status !== 'open') reject('INVALID_STATE', `the case is ${s.status}`);
  };
  const ctx = { authority: c.input.policy.authority, allowance: policy.validComplaintAllowance };
  /** Every complaint action answers with the case as it stands, a retried one included; the authority rule refuses first. */
  const action: Action = (def, check, handle) =>
    on(def, {
      check,
      authorize: (arg) => {
        const a = arg as { actor?: msg.Actor } & ActionInput;
        const name = ACTION_OF_UPDATE[def.name];
        if (!name || !a.actor) return;
        const verdict = authorize(a.actor, name, s, ctx, a);
        if (!verdict.ok) reject(verdict.code, verdict.message);
      },
      apply: async (arg) => {
        await handle(arg);
        return { ...s };
      },
      repeat: () => ({ ...s }),
    });

  action(
    msg.acknowledgeUpdate,
    () => {
      if (s.acknowledged) reject('ALREADY_DONE', 'the first callback is already recorded');
      if (s.status === 'closed') reject('INVALID_STATE', 'the case is closed');
    },
    async ({ actor, notes }) => {
      s.acknowledged = true;
      s.overdue = false;
      const onTime = s.step === 'first_callback';
      s.firstCallbackOnTime = onTime;
      if (onTime) c.startStep(c.stepAfterCallback());
      // Triage skipped: the branch's 24 h feedback clock starts now, and the branch is told so.
      await c.record('acknowledged', by(actor), { notes, onTime }, s.step === 'branch_feedback' ? [s.routedTo] : []);
    },
  );

  action(
    msg.triageUpdate,
    ({ severity }) => {
      requireOpen();
      if (s.step === 'legal_handoff') reject('INVALID_STATE', 'an external complaint goes to legal; it is not triaged');
      if (s.external && severity !== 'major') reject('INVALID_INPUT', 'a regulator, consumer-association or media complaint is major');
    },
    async ({ actor, severity, priority, valid, branch, notes }) => {
      s.severity = severity;
      s.priority = priority;
      s.valid = valid;
      if (branch) s.branch = branch;
      s.severityConfirmed = true;
      s.overdue = false;
      if (s.step === 'triage') c.startStep('branch_feedback');
      await c.record('triaged', by(actor), { severity, priority, valid, notes }, [s.routedTo]);
      await c.escalateTo(higherLevel(s.level, policy.severityLevel[severity]), 'severity', by(actor));
    },
  );

  action(
    msg.feedbackUpdate,
    ({ actor }) => {
      requireOpen();
      if (!['branch_feedback', 'follow_up', 'triage', 'first_callback'].includes(s.step))
        reject('INVALID_STATE', `no feedback form is expected at step ${s.step}`);
      if (actor.roles.includes(s.routedTo)) return;
      // Engineering's or hr's form comes from that department (or the center on its behalf), never from the branch.
      if (s.ladderEndsAt && s.routedTo !== 'branch' && actor.roles.includes('branch'))
        reject('ROLE_NOT_ALLOWED', `feedback for this case comes from ${s.routedTo}`);
      if (actor.roles.includes('branch')) return;
      if (!actor.roles.some((r) => ['assistant', 'supervisor', 'director'].includes(r)))
        reject('ROLE_NOT_ALLOWED', `feedback for this case comes from ${s.routedTo}`);
    },
    async ({ actor, cause, action: taken, responsible, repairCompletedAt }) => {
      s.feedbackReceived = true;
      s.overdue = false;
      await c.record('feedback', by(actor), { cause, action: taken, responsible, from: s.routedTo, repairCompletedAt });
      if (repairCompletedAt) await c.schedulePostRepairCallback(repairCompletedAt);
      if (s.kind === 'crew' && s.routedTo === 'engineering') {
        s.routedTo = 'branch';
        c.startStep('branch_feedback');
        await c.record('routed', SYSTEM, { to: 'branch' }, ['branch']);
        return;
      }
      if (s.step === 'branch_feedback' && s.round === 0) {
        c.startFollowUpRound(1);
        await c.record('round_started', SYSTEM, { round: 1, reason: 'feedback_received' });
        await c.urge(1);
      } else if (s.step === 'branch_feedback') {
        c.startStep('follow_up');
        await c.record('step_started', SYSTEM, { step: 'follow_up', round: s.round });
      }
    },
  );

  action(
    msg.followUpUpdate,
    () => {
      requireOpen();
      if (s.step !== 'follow_up' && s.step !== 'branch_feedback') reject('INVALID_STATE', `a follow-up is not expected at step ${s.step}`);
    },
    async ({ actor, customerSatisfied, outcome, notes }) => {
      // A follow-up that reached the customer is the answer promised at intake (complaint-answer.ts).
      if (outcome !== 'not_reached') markAnswered(c);
      if ((outcome === 'not_reached' || outcome === 'in_progress') && c.fx.patched(FOLLOW_UP_OUTCOMES)) {
        // Nothing escalates and the round's deadline keeps running; a reached customer counts as a follow-up made.
        if (outcome === 'in_progress') s.followUps = (s.followUps ?? 0) + 1;
        const retry = now() + durationMs(c.input.policy.callbacks.notReachedRetry);
        const retryAt = outcome === 'not_reached' ? iso(shiftToWorkingDay(retry, c.input.policy.calendar)) : undefined;
        await c.record('follow_up', by(actor), { round: s.round, outcome, retryAt, notes });
        return;
      }
      s.overdue = false;
      s.followUps = (s.followUps ?? 0) + 1;
      if (s.round === 0) s.round = 1;
      const round = s.round;
      if (customerSatisfied) {
        s.resolvedAt = iso(now());
        s.handlingMs = now() - Date.parse(c.input.openedAt) - (s.pausedMs ?? 0);
        s.status = 'resolved';
        s.step = 'resolved';
        s.deadline = undefined;
        await c.record('follow_up', by(actor), { round, customerSatisfied, notes }, ['assistant']);
        return;
      }
      await c.record('follow_up', by(actor), { round, customerSatisfied, notes }, [s.routedTo]);
      if (s.kind === 'crew' && s.ladderEndsAt) return startDirectorDecision(c, s.secondHandling ? 'final' : 'rehandle', 'crew_unsatisfied', by(actor));
      if (s.kind === 'crew' && !s.secondHandling) {
        // An unsatisfied crew gets the director's decision and a second handling by the branch.
        s.secondHandling = true;
        s.routedTo = 'branch';
        c.startStep('branch_feedback');
        await c.escalateTo(higherLevel(s.level, 'director'), 'crew_unsatisfied', by(actor));
        await c.record('routed', SYSTEM, { to: 'branch', secondHandling: true }, ['branch']);
        return;
      }
      await c.advanceRound('customer_unsatisfied', by(actor));
    },
  );

  action(
    msg.escalateUpdate,
    () => {
      if (s.status !== 'open' && s.status !== 'paused') reject('INVALID_STATE', `the case is ${s.status}`);
      if (s.ladderEndsAt && s.level === 'director') reject('INVALID_STATE', 'a staff or crew complaint ends at the director; it does not go to legal');
    },
    async ({ actor, notes }) => {
      s.overdue = false;
      await c.escalateTo(nextLevel(s.level), notes ? `manual: ${notes}` : 'manual', by(actor));
    },
  );

  registerPauseActions(c, action, requireOpen);
  registerClosingActions(c, action);
  registerRemedyActions(c, action);
  registerExternalActions(c, action);
  registerDirectorDecision(c, action);
}
