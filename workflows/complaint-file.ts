// How a complaint's case file is written: one local activity per transition, or one activity per entry on older runs.
import type { CaseEntry, TaskInput } from '../activities/create-activities';
import type { ComplaintEffects } from './complaint-case';
import type { ComplaintState } from './complaint.messages';

/** What a transition has decided to write; sent in one activity when it ends. */
interface PendingStep {
  entries: CaseEntry[];
  tasks: TaskInput[];
  handoffSeq?: number;
}

export class ComplaintFile {
  private pending?: PendingStep;

  constructor(
    private readonly state: ComplaintState,
    private readonly fx: ComplaintEffects,
    /** Publishes the case's search attributes and details as they stand. */
    private readonly index: () => void,
  ) {}

  private snapshot() {
    const s = this.state;
    return { ...s, deadline: s.deadline ? { ...s.deadline } : undefined };
  }

  private step(): PendingStep {
    this.pending ??= { entries: [], tasks: [] };
    return this.pending;
  }

  /** Appends one entry (and its notices): kept for the transition's one write, or written now on older runs. */
  async record(entry: CaseEntry): Promise<void> {
    if (this.fx.stepWrites) {
      this.step().entries.push(entry);
      return;
    }
    this.index();
    const { notificationIds } = await this.fx.activities.recordCaseEvent({ complaintId: this.state.complaintId, ...entry, snapshot: this.snapshot() });
    this.fx.deliver(notificationIds);
  }

  /** A task for staff, written with the transition (or at once on older runs). */
  async createTask(task: TaskInput): Promise<void> {
    if (this.fx.stepWrites) this.step().tasks.push(task);
    else await this.fx.activities.createTask(task);
  }

  /** The legal packet, holding the file up to the entry `seq`, written with the transition (or at once). */
  async handoff(seq: number): Promise<void> {
    if (this.fx.stepWrites) this.step().handoffSeq = seq;
    else await this.fx.activities.writeLegalHandoff({ complaintId: this.state.complaintId, seq });
  }

  /** Ends a transition: its entries, projection, tasks and packet in one write, and one index update. */
  async flush(): Promise<void> {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.index();
    const { notificationIds } = await this.fx.activities.recordCaseStep({
      complaintId: this.state.complaintId,
      entries: p.entries,
      snapshot: this.snapshot(),
      tasks: p.tasks.length ? p.tasks : undefined,
      handoffSeq: p.handoffSeq,
    });
    this.fx.deliver(notificationIds);
  }
}
