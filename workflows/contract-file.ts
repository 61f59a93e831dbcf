// How a contract's file is written: one local activity per transition, or one activity per entry on older runs.
import type { ContractEntry, PlanItem } from '../activities/create-activities';
import type { ContractEffects } from './contract-schedule';
import type { CallbackState, ContractState } from './contract.messages';

/** What a transition has decided to write; sent in one activity when it ends. */
interface PendingStep {
  entries: ContractEntry[];
  /** Each call the transition changed, by id; written at the version it has when the transition ends. */
  callbacks: Map<string, CallbackState>;
}

export class ContractFile {
  private pending?: PendingStep;

  constructor(
    private readonly state: ContractState,
    private readonly fx: ContractEffects,
    /** Publishes the schedule's search attributes and details as they stand. */
    private readonly index: () => void,
    /** The calls not yet due, written with the projection by runs that plan with calendars. */
    private readonly plan?: () => PlanItem[],
  ) {}

  private projection() {
    const s = this.state;
    const base = { phase: s.phase, branch: s.branch, milestones: { ...s.milestones }, policyVersion: s.policyVersion };
    const planned = this.plan ? { ...base, plan: this.plan() } : base;
    // Only schedules that ever had a cancellation request write one (null once decided), so the approver's item settles.
    return s.cancellation || s.cancellationDecided ? { ...planned, cancellation: s.cancellation ? { ...s.cancellation } : null } : planned;
  }

  /** Appends one entry and the calls it changed: kept for the transition's one write, or written now on older runs. */
  async record(entry: ContractEntry, changed: CallbackState[]): Promise<void> {
    if (this.fx.stepWrites) {
      this.pending ??= { entries: [], callbacks: new Map() };
      this.pending.entries.push(entry);
      for (const c of changed) this.pending.callbacks.set(c.id, c);
      return;
    }
    this.index();
    const { notificationIds } = await this.fx.activities.recordScheduleChange({
      contractNo: this.state.contractNo,
      ...entry,
      contract: this.projection(),
      callbacks: changed.map((c) => ({ ...c })),
    });
    this.fx.deliver(notificationIds);
  }

  /** Ends a transition: its entries, the projection and the changed calls in one write, and one index update. */
  async flush(): Promise<void> {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.index();
    const { notificationIds } = await this.fx.activities.recordContractStep({
      contractNo: this.state.contractNo,
      entries: p.entries,
      contract: this.projection(),
      callbacks: [...p.callbacks.values()].map((c) => ({ ...c })),
    });
    this.fx.deliver(notificationIds);
  }
}
