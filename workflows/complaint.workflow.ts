// One durable case per complaint: deadlines escalate by themselves, staff actions arrive as updates.
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities/create-activities';
import { mayApprove, APPROVERS } from '../domain/authority';
import {
  effectiveSeverity,
  initialLevel,
  isExternalSource,
  lastRound,
  missedStepRecipients,
  remedyConflict,
  roundLevel,
  routeFor,
  stepDeadlineMs,
  warningTimes,
  type Step,
} from '../domain/complaint.rules';
import { durationMs } from '../domain/duration';
import { higherLevel, nextLevel, type Level, type Role } from '../domain/roles';
import {
  acknowledgeUpdate,
  intakeUpdate,
  approvalUpdate,
  CaseErrors,
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
  triageUpdate,
  type Actor,
  type CaseErrorCode,
  type ComplaintInput,
  type ComplaintState,
} from './complaint.messages';
import { upsertIndexed } from './indexing';
import { missingSearchAttributes } from './search-attributes';
import { notificationDeliveries } from './notification-delivery';
import { projectWorkflowId, repairDoneSignal } from './project.messages';
import type { UpdateDefinition } from '@temporalio/common';

const { recordCaseEvent, writeLegalHandoff, createTask } = wf.proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const SYSTEM = 'system';
/** Recent update ids a case remembers across continue-as-new, so a retried staff action is applied once. */
const HANDLED_UPDATES_KEPT = 100;

function reject(code: CaseErrorCode, message: string): never {
  throw wf.ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

function initialState(input: ComplaintInput): ComplaintState {
  const policy = input.policy.complaint;
  const severity = effectiveSeverity(input.source, input.severity, policy);
  return {
    complaintId: input.complaintId,
    kind: input.kind,
    source: input.source,
    contractNo: input.contractNo,
    branch: input.branch,
    category: input.category,
    severity,
    priority: input.priority ?? (isExternalSource(input.source) ? 'high' : policy.defaultPriority),
    severityConfirmed: input.severity !== undefined && input.priority !== undefined,
    valid: true,
    repeat: input.repeat,
    status: 'open',
    step: 'first_callback',
    level: initialLevel(severity, input.repeat, policy),
    round: 0,
    routedTo: routeFor(input.kind),
    secondHandling: false,
    acknowledged: false,
    followUps: 0,
    feedbackReceived: false,
    overdue: false,
    closedByLegal: false,
    reopenCount: 0,
    surveyTaskCreated: false,
    surveyRecorded: false,
    remedies: [],
    approvals: [],
    policyVersion: input.policy.version,
    seq: 0,
  };
}

export async function ComplaintCase(input: ComplaintInput, carried?: ComplaintState): Promise<ComplaintState> {
  const policy = input.policy.complaint;
  const state: ComplaintState = carried ?? initialState(input);
  const indexed = input.indexedAttributes ?? [];
  const missingAttributes = missingSearchAttributes(input.indexedAttributes ?? []);
  if (missingAttributes.length) wf.log.warn('custom search attributes not registered; the case is not indexed on them', { missing: missingAttributes });
  let rev = 0;
  const deliveries = notificationDeliveries();
  const escalations = wf.metricMeter.createCounter('case_escalations', 'escalations', 'Complaint escalations by level reached');

  const nowMs = () => Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  function index(): void {
    upsertIndexed(
      {
        CaseKind: `complaint:${state.kind}`,
        Branch: state.branch,
        ContractNo: state.contractNo,
        Severity: state.severity,
        Priority: state.priority,
        EscalationLevel: state.level,
        Round: state.round,
        CaseStatus: state.status,
        NextDeadline: state.deadline && state.status === 'open' ? new Date(state.deadline.dueAt) : undefined,
        Overdue: state.overdue,
      },
      indexed,
    );
    wf.setCurrentDetails(
      `${state.status} · ${state.step} · level ${state.level} · round ${state.round}` +
        (state.deadline && state.status === 'open' ? ` · due ${state.deadline.dueAt}` : ''),
    );
  }

  /** Appends one entry to the case file (and its notifications) and publishes the new state. */
  async function record(type: string, by: string, data: Record<string, unknown> = {}, notify: Role[] = []): Promise<void> {
    rev++;
    state.seq++;
    const seq = state.seq;
    index();
    const { notificationIds } = await recordCaseEvent({
      complaintId: state.complaintId,
      seq,
      event: { type, at: iso(nowMs()), level: state.level, by, data },
      snapshot: { ...state, deadline: state.deadline ? { ...state.deadline } : undefined },
      notify: [...new Set(notify)],
    });
    deliveries.send(notificationIds);
    if (type === 'escalated') escalations.add(1, { level: state.level });
  }

  /** Starts a timed step; a step that follows a missed deadline starts at that deadline, so timers never drift. */
  function startStep(step: Step, at: number = nowMs()): void {
    state.step = step;
    const len = stepDeadlineMs(step, state.kind, state.priority, policy);
    state.deadline = len === undefined ? undefined : { step, startedAt: iso(at), dueAt: iso(at + len), warningsSent: 0 };
    // A step begun while the case is paused waits whole: resume gives it its full length.
    if (state.deadline && state.status === 'paused') state.deadline.remainingMs = len;
    rev++;
  }

  async function escalateTo(to: Level, reason: string, by: string): Promise<void> {
    const from = state.level;
    if (to === from) return;
    if (to === 'legal') return handToLegal(reason, by);
    state.level = to;
    await record('escalated', by, { from, to, reason, round: state.round }, [to]);
  }

  async function handToLegal(reason: string, by: string): Promise<void> {
    const from = state.level;
    state.level = 'legal';
    state.status = 'legal';
    state.deadline = undefined;
    state.step = 'legal';
    await record('escalated', by, { from, to: 'legal', reason, round: state.round }, ['legal', 'director']);
    await writeLegalHandoff({ complaintId: state.complaintId, seq: state.seq });
    await record('legal_handoff', SYSTEM, { packet: state.complaintId }, ['legal']);
  }

  /** The contract's schedule books the post-repair call on a working day; without a registered contract, a plain task. */
  async function schedulePostRepairCallback(repairCompletedAt: string): Promise<void> {
    if (wf.patched('post-repair-via-schedule') && state.contractNo) {
      try {
        await wf
          .getExternalWorkflowHandle(projectWorkflowId(state.contractNo))
          .signal(repairDoneSignal, { complaintId: state.complaintId, completedAt: repairCompletedAt });
        await record('callback_scheduled', SYSTEM, { kind: 'post_repair', via: 'schedule', contractNo: state.contractNo });
        return;
      } catch {
        // No running schedule for this contract (never registered, or already closed): fall back to a task.
      }
    }
    const dueAt = iso(Date.parse(repairCompletedAt) + durationMs(policy.postRepairCallback));
    await createTask({
      id: `${state.complaintId}:post_repair`,
      type: 'post_repair_callback',
      complaintId: state.complaintId,
      contractNo: state.contractNo,
      branch: state.branch,
      assigneeRole: 'assistant',
      dueAt,
    });
    await record('callback_scheduled', SYSTEM, { kind: 'post_repair', dueAt }, ['assistant']);
  }

  function stepAfterCallback(): Step {
    return state.severityConfirmed ? 'branch_feedback' : 'triage';
  }

  function startFollowUpRound(round: number, at?: number): void {
    state.round = round;
    startStep('follow_up', at);
  }

  /** The customer is still unsatisfied, or the round's deadline passed: next round, up the ladder, legal after the last. */
  async function advanceRound(reason: string, by: string, at?: number): Promise<void> {
    if (state.round >= lastRound(policy)) return handToLegal(reason, by);
    const round = state.round + 1;
    const from = state.round;
    startFollowUpRound(round, at);
    await record('round_started', by, { round, previous: from, reason }, [state.routedTo]);
    await escalateTo(roundLevel(round, state.level, policy), reason, by);
  }

  async function onDeadline(): Promise<void> {
    const step = state.step;
    const missedAt = Date.parse(state.deadline!.dueAt);
    state.overdue = true;
    await record('deadline_missed', SYSTEM, { step, round: state.round }, missedStepRecipients(step, state.level, state.routedTo));
    switch (step) {
      case 'first_callback':
        startStep(stepAfterCallback(), missedAt);
        return record('step_started', SYSTEM, { step: state.step });
      case 'triage':
        state.severityConfirmed = true;
        startStep('branch_feedback', missedAt);
        return record('step_started', SYSTEM, { step: state.step, severity: state.severity, priority: state.priority });
      case 'branch_feedback':
        if (state.round === 0) {
          startFollowUpRound(1, missedAt);
          return record('round_started', SYSTEM, { round: 1, reason: 'feedback_missed' }, [state.routedTo]);
        }
        return advanceRound('deadline_missed', SYSTEM, missedAt);
      case 'follow_up':
        return advanceRound('deadline_missed', SYSTEM, missedAt);
      case 'legal_handoff':
        return handToLegal('external_source_deadline', SYSTEM);
      default:
        return;
    }
  }

  async function onWarning(): Promise<void> {
    const dl = state.deadline!;
    dl.warningsSent++;
    await record('warning', SYSTEM, { step: dl.step, dueAt: dl.dueAt, warning: dl.warningsSent }, [
      state.step === 'branch_feedback' ? state.routedTo : ownerRole(),
    ]);
  }

  function ownerRole(): Role {
    return state.level;
  }

  /** Timers of the case, earliest first: warnings and the step deadline while open, survey and reopen window once closed. */
  function nextTimer(): { at: number; fire: () => Promise<void> } | undefined {
    if (state.status === 'open' && state.deadline) {
      const dl = state.deadline;
      const startedAt = Date.parse(dl.startedAt);
      const dueAt = Date.parse(dl.dueAt);
      const warnings = warningTimes(startedAt, dueAt, policy.warningFractions);
      const nextWarning = warnings[dl.warningsSent];
      if (nextWarning !== undefined && nextWarning < dueAt) return { at: nextWarning, fire: onWarning };
      return { at: dueAt, fire: onDeadline };
    }
    if (state.status === 'closed' && state.closedAt && !state.surveyTaskCreated) {
      return { at: Date.parse(state.closedAt) + durationMs(policy.surveyAfterClose), fire: createSurveyTask };
    }
    return undefined;
  }

  async function createSurveyTask(): Promise<void> {
    state.surveyTaskCreated = true;
    const taskId = `${state.complaintId}:survey:${state.reopenCount}`;
    await createTask({
      id: taskId,
      type: 'satisfaction_survey',
      complaintId: state.complaintId,
      branch: state.branch,
      assigneeRole: 'assistant',
      dueAt: iso(nowMs()),
    });
    await record('survey_task_created', SYSTEM, { taskId }, ['assistant']);
  }

  function reopenWindowEnd(): number | undefined {
    return state.closedAt ? Date.parse(state.closedAt) + durationMs(policy.reopenWindow) : undefined;
  }

  function finished(): boolean {
    if (state.status !== 'closed' || !state.surveyTaskCreated) return false;
    return state.closedByLegal || nowMs() >= (reopenWindowEnd() ?? 0);
  }

  // ---- staff actions: validators reject what does not fit the case's state, handlers change it and record it ----
  const by = (actor: Actor) => actor.sub;
  const requireOpen = () => {
    if (state.status === 'paused') reject(CaseErrors.INVALID_STATE, 'the case is paused awaiting the customer; resume it first');
    if (state.status !== 'open') reject(CaseErrors.INVALID_STATE, `the case is ${state.status}`);
  };

  wf.setHandler(stateQuery, () => state);
  let intakeDone = carried !== undefined;
  wf.setHandler(intakeUpdate, async () => {
    await wf.condition(() => intakeDone);
    return { ...state };
  });

  // One lock for handlers and timers: a handler that awaits an activity never interleaves with another transition.
  let chain: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn);
    chain = run.catch(() => undefined);
    return run;
  }

  /** Registers an update whose check runs both as validator (rejects early) and inside the lock (state may have moved). */
  function on<A>(def: UpdateDefinition<ComplaintState, [A]>, check: (arg: A) => void, handle: (arg: A) => Promise<unknown>): void {
    wf.setHandler(
      def,
      (arg: A) =>
        exclusive(async () => {
          // Temporal dedups update ids within a run; the carried list keeps a retried action harmless across runs too.
          const updateId = wf.currentUpdateInfo()?.id;
          if (updateId && state.handledUpdates?.includes(updateId)) return { ...state };
          check(arg);
          if (updateId) state.handledUpdates = [...(state.handledUpdates ?? []), updateId].slice(-HANDLED_UPDATES_KEPT);
          await handle(arg);
          return { ...state };
        }),
      { validator: check },
    );
  }

  on(
    acknowledgeUpdate,
    () => {
        if (state.acknowledged) reject(CaseErrors.ALREADY_DONE, 'the first callback is already recorded');
        if (state.status === 'closed') reject(CaseErrors.INVALID_STATE, 'the case is closed');
      },
    async ({ actor, notes }) => {
      state.acknowledged = true;
      state.overdue = false;
      const onTime = state.step === 'first_callback';
      state.firstCallbackOnTime = onTime;
      if (onTime) startStep(stepAfterCallback());
      await record('acknowledged', by(actor), { notes, onTime });
      return state;
    },
  );

  on(
    triageUpdate,
    () => {
        requireOpen();
        if (state.step === 'legal_handoff') reject(CaseErrors.INVALID_STATE, 'an external complaint goes to legal; it is not triaged');
      },
    async ({ actor, severity, priority, valid, branch, notes }) => {
      state.severity = severity;
      state.priority = priority;
      state.valid = valid;
      if (branch) state.branch = branch;
      state.severityConfirmed = true;
      state.overdue = false;
      if (state.step === 'triage') startStep('branch_feedback');
      await record('triaged', by(actor), { severity, priority, valid, notes }, [state.routedTo]);
      await escalateTo(higherLevel(state.level, policy.severityLevel[severity]), 'severity', by(actor));
    },
  );

  on(
    feedbackUpdate,
    ({ actor }) => {
        requireOpen();
        if (!['branch_feedback', 'follow_up', 'triage', 'first_callback'].includes(state.step))
          reject(CaseErrors.INVALID_STATE, `no feedback form is expected at step ${state.step}`);
        if (actor.roles.includes('branch') || actor.roles.includes(state.routedTo)) return;
        if (!actor.roles.some((r) => ['assistant', 'supervisor', 'director'].includes(r)))
          reject(CaseErrors.ROLE_NOT_ALLOWED, `feedback for this case comes from ${state.routedTo}`);
      },
    async ({ actor, cause, action, responsible, repairCompletedAt }) => {
      state.feedbackReceived = true;
      state.overdue = false;
      await record('feedback', by(actor), { cause, action, responsible, from: state.routedTo, repairCompletedAt });
      if (repairCompletedAt) await schedulePostRepairCallback(repairCompletedAt);
      if (state.kind === 'crew' && state.routedTo === 'engineering') {
        state.routedTo = 'branch';
        startStep('branch_feedback');
        await record('routed', SYSTEM, { to: 'branch' }, ['branch']);
        return state;
      }
      if (state.step === 'branch_feedback' && state.round === 0) {
        startFollowUpRound(1);
        await record('round_started', SYSTEM, { round: 1, reason: 'feedback_received' });
      } else if (state.step === 'branch_feedback') {
        startStep('follow_up');
        await record('step_started', SYSTEM, { step: 'follow_up', round: state.round });
      }
      return state;
    },
  );

  on(
    followUpUpdate,
    () => {
        requireOpen();
        if (state.step !== 'follow_up' && state.step !== 'branch_feedback')
          reject(CaseErrors.INVALID_STATE, `a follow-up is not expected at step ${state.step}`);
      },
    async ({ actor, customerSatisfied, notes }) => {
      state.overdue = false;
      state.followUps = (state.followUps ?? 0) + 1;
      if (state.round === 0) state.round = 1;
      const round = state.round;
      if (customerSatisfied) {
        state.resolvedAt = iso(nowMs());
        state.handlingMs = nowMs() - Date.parse(input.openedAt);
        state.status = 'resolved';
        state.step = 'resolved';
        state.deadline = undefined;
        await record('follow_up', by(actor), { round, customerSatisfied, notes }, ['assistant']);
        return state;
      }
      await record('follow_up', by(actor), { round, customerSatisfied, notes }, [state.routedTo]);
      if (state.kind === 'crew' && !state.secondHandling) {
        // An unsatisfied crew gets the director's decision and a second handling by the branch.
        state.secondHandling = true;
        state.routedTo = 'branch';
        startStep('branch_feedback');
        await escalateTo(higherLevel(state.level, 'director'), 'crew_unsatisfied', by(actor));
        await record('routed', SYSTEM, { to: 'branch', secondHandling: true }, ['branch']);
        return state;
      }
      await advanceRound('customer_unsatisfied', by(actor));
      return state;
    },
  );

  on(
    pauseUpdate,
    () => {
        requireOpen();
        if (!state.deadline) reject(CaseErrors.INVALID_STATE, `nothing is timed at step ${state.step}`);
      },
    async ({ actor, notes }) => {
      const dl = state.deadline!;
      dl.remainingMs = Math.max(0, Date.parse(dl.dueAt) - nowMs());
      state.status = 'paused';
      await record('paused', by(actor), { notes, step: state.step, remainingMs: dl.remainingMs });
      return state;
    },
  );

  on(
    resumeUpdate,
    () => {
        if (state.status !== 'paused') reject(CaseErrors.INVALID_STATE, `the case is ${state.status}, not paused`);
      },
    async ({ actor, notes }) => {
      const dl = state.deadline!;
      const remaining = dl.remainingMs ?? 0;
      const shift = nowMs() + remaining - Date.parse(dl.dueAt);
      // Both ends move by the time spent paused, so warnings keep their fractions and the remaining time is kept.
      dl.startedAt = iso(Date.parse(dl.startedAt) + shift);
      dl.dueAt = iso(Date.parse(dl.dueAt) + shift);
      delete dl.remainingMs;
      state.status = 'open';
      await record('resumed', by(actor), { notes, step: state.step, dueAt: dl.dueAt });
      return state;
    },
  );

  on(
    escalateUpdate,
    () => {
        if (state.status !== 'open' && state.status !== 'paused') reject(CaseErrors.INVALID_STATE, `the case is ${state.status}`);
      },
    async ({ actor, notes }) => {
      state.overdue = false;
      await escalateTo(nextLevel(state.level), notes ? `manual: ${notes}` : 'manual', by(actor));
      return state;
    },
  );

  on(
    closeUpdate,
    ({ actor }) => {
        if (state.status === 'legal') {
          if (!actor.roles.includes('legal')) reject(CaseErrors.ROLE_NOT_ALLOWED, 'only legal closes a case in legal hands');
          return;
        }
        if (state.status !== 'resolved')
          reject(CaseErrors.INVALID_STATE, `the case is ${state.status}; it closes once the customer is satisfied`);
      },
    async ({ actor, notes }) => {
      state.closedByLegal = state.status === 'legal';
      state.status = 'closed';
      state.step = 'closed';
      state.deadline = undefined;
      state.overdue = false;
      state.surveyTaskCreated = false;
      state.closedAt = iso(nowMs());
      await record('closed', by(actor), { notes, byLegal: state.closedByLegal }, ['admin']);
      return state;
    },
  );

  on(
    reopenUpdate,
    () => {
        if (state.status !== 'closed') reject(CaseErrors.INVALID_STATE, `the case is ${state.status}, not closed`);
        if (state.closedByLegal) reject(CaseErrors.CLOSED_BY_LEGAL, 'legal closed this case; it cannot be reopened');
        if (nowMs() > (reopenWindowEnd() ?? 0))
          reject(CaseErrors.REOPEN_WINDOW_PASSED, `the reopen window of ${policy.reopenWindow} after closing has passed`);
      },
    async ({ actor, notes }) => {
      state.reopenCount++;
      state.status = 'open';
      state.closedAt = undefined;
      state.surveyRecorded = false;
      startFollowUpRound(Math.max(state.round, 1));
      await record('reopened', by(actor), { notes, round: state.round }, [state.level, state.routedTo]);
      return state;
    },
  );

  on(
    surveyUpdate,
    () => {
        if (state.status !== 'closed') reject(CaseErrors.INVALID_STATE, 'a satisfaction survey follows the closing');
        if (state.surveyRecorded) reject(CaseErrors.ALREADY_DONE, 'the survey is already recorded');
      },
    async ({ actor, satisfied, score, notes }) => {
      state.surveyRecorded = true;
      state.surveySatisfied = satisfied;
      await record('survey', by(actor), { satisfied, score, notes });
      return state;
    },
  );

  on(
    compensationUpdate,
    ({ type, defect }) => {
        if (state.status === 'closed') reject(CaseErrors.INVALID_STATE, 'the case is closed');
        if (type === 'allowance' && !state.valid)
          reject(CaseErrors.INVALID_STATE, 'the fixed allowance is paid only for a complaint triaged as valid');
        const conflict = remedyConflict(state.remedies, { type, defect });
        if (conflict)
          reject(
            CaseErrors.REPAIR_OR_COMPENSATE,
            `defect "${defect}" already has a ${conflict.type}; a defect is repaired or compensated, never both`,
          );
      },
    async ({ actor, type, defect, amount, notes }) => {
      const exists = state.remedies.some((r) => r.type === type && (type === 'allowance' || r.defect === defect));
      if (exists) return state;
      const value = type === 'allowance' ? policy.validComplaintAllowance : amount;
      state.remedies.push({ type, defect, amount: value, currency: policy.currency, by: by(actor), at: iso(nowMs()) });
      await record('compensation', by(actor), { type, defect, amount: value, currency: policy.currency, notes });
      return state;
    },
  );

  on(
    approvalUpdate,
    ({ actor, decision, role }) => {
        if (state.status === 'closed') reject(CaseErrors.INVALID_STATE, 'the case is closed');
        if (!actor.roles.includes(role) || mayApprove([role], decision) === undefined)
          reject(CaseErrors.ROLE_NOT_ALLOWED, `${decision} is approved by ${APPROVERS[decision].join(' and ')}`);
      },
    async ({ actor, decision, approved, role, notes }) => {
      const same = state.approvals.find((a) => a.decision === decision && a.role === role);
      if (same) return state;
      state.approvals.push({ decision, approved, role, by: by(actor), at: iso(nowMs()) });
      await record('approval', by(actor), { decision, approved, role, notes });
      const signed = APPROVERS[decision].every((r) => state.approvals.some((a) => a.decision === decision && a.role === r && a.approved));
      if (signed) await record('decision_approved', SYSTEM, { decision }, ['assistant', state.level]);
      return state;
    },
  );

  async function recordRepeatEscalation(): Promise<void> {
    const from = policy.severityLevel[state.severity];
    await record('escalated', SYSTEM, { from, to: state.level, reason: 'repeat_complainant' }, [state.level]);
  }

  // ---- intake: runs once per case, first in the lock so an update sent with the start waits for it ----
  if (!carried) {
    void exclusive(async () => {
      wf.metricMeter.createCounter('cases_opened', 'cases', 'Cases opened').add(1, { kind: `complaint:${state.kind}` });
      const notify: Role[] = [state.level];
      if (isExternalSource(state.source)) notify.push('legal', 'executive');
      const firstStep: Step = isExternalSource(state.source) ? 'legal_handoff' : 'first_callback';
      const startedAt = wf.workflowInfo().startTime.getTime();
      const opened = { source: state.source, severity: state.severity, priority: state.priority };
      if (wf.patched('intake-single-event')) {
        // One activity at intake: the opening entry already carries the first step and its deadline.
        startStep(firstStep, startedAt);
        await record('opened', input.openedBy, { ...opened, step: state.step, dueAt: state.deadline?.dueAt }, notify);
        if (state.repeat) await recordRepeatEscalation();
      } else {
        index();
        await record('opened', input.openedBy, opened, notify);
        if (state.repeat) await recordRepeatEscalation();
        startStep(firstStep, startedAt);
        await record('step_started', SYSTEM, { step: state.step });
      }
      intakeDone = true;
    });
  }

  /** Waits until no handler runs and no delivery is pending; an update accepted while draining is waited for too. */
  async function settleBeforeHandover(): Promise<void> {
    do {
      await wf.condition(wf.allHandlersFinished);
      await deliveries.drain();
    } while (!wf.allHandlersFinished());
  }

  // ---- the case's clock: wake at the next timer or on any change, whichever comes first ----
  while (!finished()) {
    if (wf.workflowInfo().continueAsNewSuggested) {
      await settleBeforeHandover();
      await wf.continueAsNew<typeof ComplaintCase>(input, state);
    }
    const timer = nextTimer();
    const seen = rev;
    if (timer && timer.at <= nowMs()) {
      await exclusive(async () => {
        const due = nextTimer();
        if (due && due.at <= nowMs()) await due.fire();
      });
      continue;
    }
    const closedWait = state.status === 'closed' ? reopenWindowEnd() : undefined;
    const wakeAt = Math.min(timer?.at ?? Infinity, closedWait ?? Infinity);
    if (wakeAt === Infinity) await wf.condition(() => rev !== seen);
    else await wf.condition(() => rev !== seen, Math.max(1, wakeAt - nowMs()));
  }
  await settleBeforeHandover();
  return state;
}
