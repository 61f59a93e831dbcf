// A complaint case's state and decisions: the ladder, its deadlines and the case file, free of Temporal so unit tests drive it.
import type { Activities } from '../activities/create-activities';
import { isExternalSource, lastRound, roundLevel, stepDeadlineMs, type Step } from '../domain/complaint.rules';
import type { ComplaintPolicy } from '../domain/policy';
import type { Level, Role } from '../domain/roles';
import type { CaseEffects } from './case-runtime';
import { startAnswerClock } from './complaint-answer';
import { applyIntakeRules, externalRecipients } from './complaint-external';
import { ComplaintFile } from './complaint-file';
import { startDirectorDecision } from './complaint-internal';
import { schedulePostRepair } from './complaint-post-repair';
import type { ComplaintInput, ComplaintState } from './complaint.messages';

export const SYSTEM = 'system';

export interface ComplaintEffects extends CaseEffects {
  activities: Pick<Activities, 'recordCaseEvent' | 'recordCaseStep' | 'writeLegalHandoff' | 'createTask'>;
  /** Asks the contract's callback schedule to book the post-repair call; throws when no schedule runs for it. */
  signalRepairDone(contractNo: string, repair: { complaintId: string; completedAt: string }): Promise<void>;
  countEscalation(level: Level): void;
}

export const iso = (ms: number) => new Date(ms).toISOString();
export { initialComplaintState } from './complaint-state';

export class Complaint {
  readonly policy: ComplaintPolicy;
  readonly file: ComplaintFile;
  private urgeAfterStepStarted: number | undefined;

  constructor(
    readonly input: ComplaintInput,
    readonly state: ComplaintState,
    readonly fx: ComplaintEffects,
  ) {
    this.policy = input.policy.complaint;
    this.file = new ComplaintFile(state, fx, () => this.index());
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

  /** Appends one entry to the case file (and its notifications). */
  async record(type: string, by: string, data: Record<string, unknown> = {}, notify: Role[] = []): Promise<void> {
    const s = this.state;
    this.fx.changed();
    s.seq++;
    if (type === 'escalated') this.fx.countEscalation(s.level);
    // A staff entry names its action, so the notes the api kept in MongoDB under that id join it in the case file.
    const ref = by === SYSTEM ? undefined : this.fx.actionRef?.();
    const entry = ref ? { ...data, ref } : data;
    await this.file.record({ seq: s.seq, event: { type, at: iso(this.now()), level: s.level, by, data: entry }, notify: [...new Set(notify)] });
    // A round begun in place of the feedback step sends its urge notice right after the entry that began it.
    if (type !== 'urge_notice' && this.urgeAfterStepStarted !== undefined) {
      const round = this.urgeAfterStepStarted;
      this.urgeAfterStepStarted = undefined;
      await this.urge(round);
    }
  }

  /** Starts a timed step; a step that follows a missed deadline starts at that deadline, so timers never drift. */
  startStep(step: Step, at: number = this.now()): void {
    const s = this.state;
    // Feedback already given at first callback or triage settles the feedback step: the follow-up starts instead.
    if (step === 'branch_feedback' && this.feedbackAlreadyGiven()) {
      this.urgeAfterStepStarted = 1;
      this.startFollowUpRound(1, at);
      return;
    }
    s.step = step;
    const len = stepDeadlineMs(step, s.kind, s.priority, this.policy, { severity: s.severity, round: s.round });
    s.deadline = len === undefined ? undefined : { step, startedAt: iso(at), dueAt: iso(at + len), warningsSent: 0 };
    // A step begun while the case is paused waits whole: resume gives it its full length.
    if (s.deadline && s.status === 'paused') s.deadline.remainingMs = len;
    this.fx.changed();
  }

  private feedbackAlreadyGiven(): boolean {
    const s = this.state;
    return Boolean(this.policy.earlyFeedbackCounts) && s.feedbackReceived && s.round === 0 && s.kind !== 'crew';
  }

  /** Each round sends the branch an urge notice whose response deadline is the round's own. */
  async urge(round: number): Promise<void> {
    const s = this.state;
    if (!this.policy.urgeNotices) return;
    await this.record('urge_notice', SYSTEM, { round, noticeId: `${s.complaintId}:urge:${round}`, respondBy: s.deadline?.dueAt }, [s.routedTo]);
  }

  /** What a failed round costs the branch, as the policy's rounds say; a first round only when the branch let it lapse. */
  async recordPenalty(failedRound: number, reason: string): Promise<void> {
    const penalty = this.policy.rounds[failedRound - 1]?.penalty;
    if (!penalty || (penalty === 'reported_for_penalty' && reason !== 'deadline_missed')) return;
    await this.record('penalty', SYSTEM, { round: failedRound, penalty, reason }, ['supervisor', this.state.routedTo]);
  }

  /** Ends a pause: the step keeps the time it had left, and the paused time is kept out of the handling cycle. */
  async resumeClock(by: string, data: Record<string, unknown>): Promise<void> {
    const s = this.state;
    const dl = s.deadline!;
    const shift = this.now() + (dl.remainingMs ?? 0) - Date.parse(dl.dueAt);
    // Both ends move by the time spent paused, so warnings keep their fractions and the remaining time is kept.
    dl.startedAt = iso(Date.parse(dl.startedAt) + shift);
    dl.dueAt = iso(Date.parse(dl.dueAt) + shift);
    delete dl.remainingMs;
    if (s.pausedAt) s.pausedMs = (s.pausedMs ?? 0) + this.now() - Date.parse(s.pausedAt);
    delete s.pausedAt;
    delete s.pauseRemindersSent;
    s.status = 'open';
    await this.record('resumed', by, { ...data, step: s.step, dueAt: dl.dueAt });
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
    await this.file.handoff(s.seq);
    await this.record('legal_handoff', SYSTEM, { packet: s.complaintId }, ['legal']);
  }

  /** The customer is still unsatisfied, or the round's deadline passed: next round, up the ladder, legal after the last. */
  async advanceRound(reason: string, by: string, at?: number): Promise<void> {
    const s = this.state;
    if (s.round >= lastRound(this.policy)) {
      // A staff or crew complaint's ladder ends with the director's decision, not in legal hands.
      if (s.ladderEndsAt === 'director') return startDirectorDecision(this, 'final', reason, by, at);
      return this.handToLegal(reason, by);
    }
    const round = s.round + 1;
    const from = s.round;
    this.startFollowUpRound(round, at);
    await this.record('round_started', by, { round, previous: from, reason }, [s.routedTo]);
    await this.recordPenalty(from, reason);
    await this.urge(round);
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
    const { toLegal, told } = applyIntakeRules(this, startedAt);
    startAnswerClock(this, startedAt, toLegal);
    const notify: Role[] = [s.level, ...told];
    if (s.external) notify.push(...externalRecipients(this));
    else if (isExternalSource(s.source)) notify.push('legal', 'executive');
    if (toLegal) notify.push('legal');
    // An external case with a decision clock is handled like any other meanwhile (the clock runs beside the ladder).
    const firstStep: Step = isExternalSource(s.source) && !s.external ? 'legal_handoff' : 'first_callback';
    const opened = { source: s.source, severity: s.severity, priority: s.priority };
    if (this.fx.patched('intake-single-event')) {
      // One activity at intake: the opening entry already carries the first step and its deadline.
      this.startStep(firstStep, startedAt);
      const answerBy = s.answer ? { answerBy: s.answer.dueAt } : {};
      await this.record('opened', this.input.openedBy, { ...opened, step: s.step, dueAt: s.deadline?.dueAt, ...answerBy }, notify);
      if (s.repeat) await this.recordRepeatEscalation();
      if (toLegal) await this.handToLegal(s.finding ? `finding_${s.finding}` : `source_${s.source}`, SYSTEM);
    } else {
      this.index();
      await this.record('opened', this.input.openedBy, opened, notify);
      if (s.repeat) await this.recordRepeatEscalation();
      this.startStep(firstStep, startedAt);
      await this.record('step_started', SYSTEM, { step: s.step });
    }
  }

  /** The post-repair call of a finished repair (workflows/complaint-post-repair.ts). */
  schedulePostRepairCallback(repairCompletedAt: string): Promise<void> {
    return schedulePostRepair(this, repairCompletedAt);
  }
}
