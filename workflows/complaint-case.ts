// A complaint case's state and decisions: the ladder, its deadlines and the case file, free of Temporal so unit tests drive it.
import type { Activities, CaseEntry, TaskInput } from '../activities/create-activities';
import { effectiveSeverity, initialLevel, isExternalSource, lastRound, roundLevel, routeFor, stepDeadlineMs, type Step } from '../domain/complaint.rules';
import { shiftToWorkingDay } from '../domain/calendar';
import { durationMs } from '../domain/duration';
import type { ComplaintPolicy } from '../domain/policy';
import type { Level, Role } from '../domain/roles';
import type { CaseEffects } from './case-runtime';
import type { ComplaintInput, ComplaintState } from './complaint.messages';

export const SYSTEM = 'system';

export interface ComplaintEffects extends CaseEffects {
  activities: Pick<Activities, 'recordCaseEvent' | 'recordCaseStep' | 'writeLegalHandoff' | 'createTask'>;
  /** Asks the contract's callback schedule to book the post-repair call; throws when no schedule runs for it. */
  signalRepairDone(contractNo: string, repair: { complaintId: string; completedAt: string }): Promise<void>;
  countEscalation(level: Level): void;
}

export const iso = (ms: number) => new Date(ms).toISOString();

export function initialComplaintState(input: ComplaintInput): ComplaintState {
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

/** What a transition has decided to write; sent in one activity when it ends. */
interface PendingStep {
  entries: CaseEntry[];
  tasks: TaskInput[];
  handoffSeq?: number;
}

export class Complaint {
  readonly policy: ComplaintPolicy;
  private pending?: PendingStep;

  constructor(
    readonly input: ComplaintInput,
    readonly state: ComplaintState,
    readonly fx: ComplaintEffects,
  ) {
    this.policy = input.policy.complaint;
  }

  now(): number {
    return this.fx.now();
  }

  index(): void {
    const s = this.state;
    const timed = s.deadline && s.status === 'open' ? s.deadline : undefined;
    this.fx.index(
      {
        CaseKind: `complaint:${s.kind}`,
        Branch: s.branch,
        ContractNo: s.contractNo,
        Severity: s.severity,
        Priority: s.priority,
        EscalationLevel: s.level,
        Round: s.round,
        CaseStatus: s.status,
        NextDeadline: timed ? new Date(timed.dueAt) : undefined,
        Overdue: s.overdue,
      },
      `${s.status} · ${s.step} · level ${s.level} · round ${s.round}${timed ? ` · due ${timed.dueAt}` : ''}`,
    );
  }

  /** Appends one entry to the case file (and its notifications): kept for the step's one write, or written now on older runs. */
  async record(type: string, by: string, data: Record<string, unknown> = {}, notify: Role[] = []): Promise<void> {
    const s = this.state;
    this.fx.changed();
    s.seq++;
    const seq = s.seq;
    const event = { type, at: iso(this.now()), level: s.level, by, data };
    if (type === 'escalated') this.fx.countEscalation(s.level);
    if (this.fx.stepWrites) {
      this.step().entries.push({ seq, event, notify: [...new Set(notify)] });
      return;
    }
    this.index();
    const { notificationIds } = await this.fx.activities.recordCaseEvent({
      complaintId: s.complaintId,
      seq,
      event,
      snapshot: { ...s, deadline: s.deadline ? { ...s.deadline } : undefined },
      notify: [...new Set(notify)],
    });
    this.fx.deliver(notificationIds);
  }

  private step(): PendingStep {
    this.pending ??= { entries: [], tasks: [] };
    return this.pending;
  }

  /** Ends a transition: its entries, projection, tasks and legal packet in one write, and one index update. */
  async flush(): Promise<void> {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const s = this.state;
    this.index();
    const { notificationIds } = await this.fx.activities.recordCaseStep({
      complaintId: s.complaintId,
      entries: p.entries,
      snapshot: { ...s, deadline: s.deadline ? { ...s.deadline } : undefined },
      tasks: p.tasks.length ? p.tasks : undefined,
      handoffSeq: p.handoffSeq,
    });
    this.fx.deliver(notificationIds);
  }

  /** A task for staff, written with the step (or at once on older runs). */
  async createTask(task: TaskInput): Promise<void> {
    if (this.fx.stepWrites) this.step().tasks.push(task);
    else await this.fx.activities.createTask(task);
  }

  /** Starts a timed step; a step that follows a missed deadline starts at that deadline, so timers never drift. */
  startStep(step: Step, at: number = this.now()): void {
    const s = this.state;
    s.step = step;
    const len = stepDeadlineMs(step, s.kind, s.priority, this.policy);
    s.deadline = len === undefined ? undefined : { step, startedAt: iso(at), dueAt: iso(at + len), warningsSent: 0 };
    // A step begun while the case is paused waits whole: resume gives it its full length.
    if (s.deadline && s.status === 'paused') s.deadline.remainingMs = len;
    this.fx.changed();
  }

  stepAfterCallback(): Step {
    return this.state.severityConfirmed ? 'branch_feedback' : 'triage';
  }

  startFollowUpRound(round: number, at?: number): void {
    this.state.round = round;
    this.startStep('follow_up', at);
  }

  // ---- escalation: every move up the ladder goes through escalateTo, handToLegal or advanceRound ----

  async escalateTo(to: Level, reason: string, by: string): Promise<void> {
    const from = this.state.level;
    if (to === from) return;
    if (to === 'legal') return this.handToLegal(reason, by);
    this.state.level = to;
    await this.record('escalated', by, { from, to, reason, round: this.state.round }, [to]);
  }

  async handToLegal(reason: string, by: string): Promise<void> {
    const s = this.state;
    const from = s.level;
    s.level = 'legal';
    s.status = 'legal';
    s.deadline = undefined;
    s.step = 'legal';
    await this.record('escalated', by, { from, to: 'legal', reason, round: s.round }, ['legal', 'director']);
    if (this.fx.stepWrites) this.step().handoffSeq = s.seq;
    else await this.fx.activities.writeLegalHandoff({ complaintId: s.complaintId, seq: s.seq });
    await this.record('legal_handoff', SYSTEM, { packet: s.complaintId }, ['legal']);
  }

  /** The customer is still unsatisfied, or the round's deadline passed: next round, up the ladder, legal after the last. */
  async advanceRound(reason: string, by: string, at?: number): Promise<void> {
    const s = this.state;
    if (s.round >= lastRound(this.policy)) return this.handToLegal(reason, by);
    const round = s.round + 1;
    const from = s.round;
    this.startFollowUpRound(round, at);
    await this.record('round_started', by, { round, previous: from, reason }, [s.routedTo]);
    await this.escalateTo(roundLevel(round, s.level, this.policy), reason, by);
  }

  /** A repeat complainant starts above the severity's level; the file says why. */
  async recordRepeatEscalation(): Promise<void> {
    const from = this.policy.severityLevel[this.state.severity];
    await this.record('escalated', SYSTEM, { from, to: this.state.level, reason: 'repeat_complainant' }, [this.state.level]);
  }

  // ---- intake ----

  /** Opens the case: the opening entry, the repeat escalation, the first timed step (patched: one activity fewer). */
  async open(startedAt: number): Promise<void> {
    const s = this.state;
    const notify: Role[] = [s.level];
    if (isExternalSource(s.source)) notify.push('legal', 'executive');
    const firstStep: Step = isExternalSource(s.source) ? 'legal_handoff' : 'first_callback';
    const opened = { source: s.source, severity: s.severity, priority: s.priority };
    if (this.fx.patched('intake-single-event')) {
      // One activity at intake: the opening entry already carries the first step and its deadline.
      this.startStep(firstStep, startedAt);
      await this.record('opened', this.input.openedBy, { ...opened, step: s.step, dueAt: s.deadline?.dueAt }, notify);
      if (s.repeat) await this.recordRepeatEscalation();
    } else {
      this.index();
      await this.record('opened', this.input.openedBy, opened, notify);
      if (s.repeat) await this.recordRepeatEscalation();
      this.startStep(firstStep, startedAt);
      await this.record('step_started', SYSTEM, { step: s.step });
    }
  }

  /** The contract's schedule books the post-repair call on a working day; without a registered contract, a plain task. */
  async schedulePostRepairCallback(repairCompletedAt: string): Promise<void> {
    const s = this.state;
    if (this.fx.patched('post-repair-via-schedule') && s.contractNo) {
      try {
        await this.fx.signalRepairDone(s.contractNo, { complaintId: s.complaintId, completedAt: repairCompletedAt });
        await this.record('callback_scheduled', SYSTEM, { kind: 'post_repair', via: 'schedule', contractNo: s.contractNo });
        return;
      } catch {
        // No running schedule for this contract (never registered, or already closed): fall back to a task.
      }
    }
    const at = Date.parse(repairCompletedAt) + durationMs(this.policy.postRepairCallback);
    // "About 3 days": on the next working day, as the contract's schedule would book it (patched).
    const dueAt = iso(this.fx.patched('calendar-aware-calls') ? shiftToWorkingDay(at, this.input.policy.calendar) : at);
    await this.createTask({
      id: `${s.complaintId}:post_repair`,
      type: 'post_repair_callback',
      complaintId: s.complaintId,
      contractNo: s.contractNo,
      branch: s.branch,
      assigneeRole: 'assistant',
      dueAt,
    });
    await this.record('callback_scheduled', SYSTEM, { kind: 'post_repair', dueAt }, ['assistant']);
  }
}
