// A contract's callback schedule: which calls are due, their reminders and escalations, the phase; free of Temporal.
import type { Activities } from '../activities/create-activities';
import { addDurationInZone, shiftToWorkingDay } from '../domain/calendar';
import { durationMs } from '../domain/duration';
import type { Policy } from '../domain/policy';
import type { Role } from '../domain/roles';
import { phaseOf, plannedCallbacks, warrantyEnd, type Milestones } from '../domain/schedule.rules';
import type { CaseEffects } from './case-runtime';
import { neededYears, ScheduleCalendars, upcoming } from './contract-calendars';
import { RunRules } from './contract-clocks';
import { ContractFile } from './contract-file';
import type { CallbackState, ContractInput, ContractState } from './contract.messages';

export const SYSTEM = 'system';
export const KEEP_LAST_WARRANTY_CALL = 'keep-last-warranty-call';
/** Patch id: retries land on working days, and a late milestone greets no holiday that is already over. */
export const CALENDAR_AWARE_CALLS = 'calendar-aware-calls';
/** Statuses of a call still waiting for someone to make it. */
export const OPEN = new Set(['due', 'overdue', 'escalated']);
export const iso = (ms: number) => new Date(ms).toISOString();

export interface ContractEffects extends CaseEffects {
  activities: Pick<Activities, 'recordScheduleChange' | 'recordContractStep' | 'loadCalendarYear' | 'notifyCalendarMissing'>;
}

export interface Timer {
  at: number;
  fire: () => Promise<void>;
}

export class ContractSchedule {
  readonly m: Milestones;
  readonly file: ContractFile;
  readonly calendars: ScheduleCalendars;
  readonly run: RunRules;

  constructor(
    readonly input: ContractInput,
    readonly state: ContractState,
    readonly fx: ContractEffects,
  ) {
    this.m = state.milestones;
    this.calendars = new ScheduleCalendars(input, state, fx);
    this.run = new RunRules(input, fx);
    this.file = new ContractFile(state, fx, () => this.index(), this.calendars.enabled ? () => upcoming(this, this.now()) : undefined);
  }

  /** The case's policy, its calendar overlaid by the published years it fetched. */
  get policy(): Policy {
    return this.calendars.policy;
  }

  now(): number {
    return this.fx.now();
  }

  index(): void {
    const s = this.state;
    const open = s.open.filter((c) => OPEN.has(c.status));
    const next = open.length ? Math.min(...open.map((c) => c.dueAt)) : undefined;
    this.fx.index(
      {
        // The indexed kind keeps its historical value, so saved Web UI filters keep matching.
        CaseKind: 'project',
        Branch: s.branch,
        ContractNo: s.contractNo,
        Phase: s.phase,
        NextDeadline: next === undefined ? undefined : new Date(next),
        Overdue: open.some((c) => c.status === 'overdue' || c.status === 'escalated'),
        ...this.calendars.indexed(),
      },
      `${s.phase} · ${open.length} open callback(s)${next ? ` · next due ${iso(next)}` : ''}`,
    );
  }

  /** One entry in the contract's file: the event, the callbacks it changed and who must hear of it. */
  async record(type: string, by: string, data: Record<string, unknown>, changed: CallbackState[] = [], notify: Role[] = []): Promise<void> {
    const s = this.state;
    this.fx.changed();
    s.seq++;
    for (const c of changed) c.version++;
    await this.file.record({ seq: s.seq, event: { type, at: iso(this.now()), by, data }, notify }, changed);
  }

  /** Every call the milestones plan, up to the horizon seen from `now`. */
  planned(now: number) {
    return plannedCallbacks(this.state.contractNo, this.m, this.policy, this.horizon(now), this.run.plan(this.state));
  }

  /** How far ahead unbounded construction calls are planned: two construction intervals. */
  horizon(now: number): number {
    const { constructionInterval } = this.policy.callbacks;
    const zone = this.policy.calendar.timeZone;
    return addDurationInZone(addDurationInZone(now, constructionInterval, zone), constructionInterval, zone);
  }

  calendarsDue(now: number): boolean {
    return this.m.cancelledAt === undefined && this.calendars.due(neededYears(this, now));
  }

  /** Fetches the calendars the next step needs; a changed year re-plans every call not yet due by itself. */
  async loadCalendars(): Promise<void> {
    await this.calendars.load(
      () => neededYears(this, this.now()),
      (type, data) => this.record(type, SYSTEM, data),
    );
    this.index();
  }

  /** Creates every planned callback that has fallen due; a late milestone makes past ones due at once. */
  async createDue(now: number): Promise<void> {
    const s = this.state;
    if (this.m.cancelledAt !== undefined) return;
    const created = new Set(s.created);
    let due = this.planned(now).filter((p) => p.dueAt <= now && !created.has(p.id));
    // A holiday greeting is for the holiday: one whose day is over when a late milestone reveals it is not made.
    // Cases started before the setting existed carry a policy without it: one day, as the rule was then.
    const lateAfter = durationMs(this.policy.callbacks.greetingSkippedAfter ?? 'P1D');
    const over = due.filter((p) => p.kind === 'holiday_greeting' && now - p.dueAt > lateAfter);
    if (over.length && this.fx.patched(CALENDAR_AWARE_CALLS)) {
      s.created.push(...over.map((p) => p.id));
      due = due.filter((p) => !over.includes(p));
      await this.record('callbacks_skipped', SYSTEM, { count: over.length, kinds: ['holiday_greeting'], reason: 'holiday_over' });
    }
    if (this.fx.patched('late-milestone-catch-up')) {
      // A milestone recorded very late makes every past-due call up to the policy's bound, beyond it only the latest.
      const max = this.policy.callbacks.maxLateCallsPerKind ?? 3;
      const skipped = (['construction', 'holiday_greeting'] as const).flatMap((kind) => {
        const ofKind = due.filter((p) => p.kind === kind);
        return ofKind.length > max ? ofKind.slice(0, -1) : [];
      });
      if (skipped.length) {
        s.created.push(...skipped.map((p) => p.id));
        const kinds = [...new Set(skipped.map((p) => p.kind))];
        await this.record('callbacks_skipped', SYSTEM, { count: skipped.length, kinds, until: iso(skipped[skipped.length - 1]!.dueAt) });
      }
      for (const p of skipped) created.add(p.id);
    }
    for (const p of due) {
      if (created.has(p.id)) continue;
      const c: CallbackState = {
        id: p.id,
        kind: p.kind,
        dueAt: p.dueAt,
        activeSince: Math.max(p.dueAt, now),
        status: 'due',
        reminded: false,
        attempts: 0,
        version: 0,
      };
      s.created.push(p.id);
      s.open.push(c);
      await this.record('callback_due', SYSTEM, { callbackId: c.id, kind: c.kind, dueAt: iso(c.dueAt), late: now - p.dueAt > 60_000 }, [c]);
    }
  }

  nextPlanned(now: number): number | undefined {
    if (this.m.cancelledAt !== undefined) return undefined;
    const created = new Set(this.state.created);
    return this.planned(now).find((p) => !created.has(p.id))?.dueAt;
  }

  /** A due call reminds the assistant once, then goes overdue and escalates to the supervisor. */
  private callbackTimers(c: CallbackState): Timer[] {
    if (c.status !== 'due') return [];
    const cb = this.policy.callbacks;
    const cal = this.policy.calendar;
    const timers: Timer[] = [];
    if (!c.reminded) {
      timers.push({
        at: this.run.clock(c.activeSince, cb.reminderAfter, 'reminder', cal),
        fire: async () => {
          c.reminded = true;
          await this.record('callback_reminder', SYSTEM, { callbackId: c.id, kind: c.kind }, [c], ['assistant']);
        },
      });
    }
    timers.push({
      at: this.run.clock(c.activeSince, cb.overdueAfter, 'overdue', cal),
      fire: async () => {
        c.status = 'overdue';
        c.reminded = true;
        await this.record('callback_overdue', SYSTEM, { callbackId: c.id, kind: c.kind, escalatedTo: 'supervisor' }, [c], ['supervisor']);
      },
    });
    return timers;
  }

  /** The earliest of: a call's reminder or overdue time, the next planned call, the end of the warranty. */
  nextTimer(now: number): Timer | undefined {
    const timers = this.state.open.flatMap((c) => this.callbackTimers(c));
    const planned = this.nextPlanned(now);
    if (planned !== undefined) timers.push({ at: planned, fire: () => this.createDue(this.now()) });
    const end = this.warrantyEnd();
    if (end !== undefined && this.state.phase !== 'closed' && this.state.phase !== 'cancelled') timers.push({ at: end, fire: async () => undefined });
    return timers.sort((a, b) => a.at - b.at)[0];
  }

  /** When a call nobody answered is tried again: the policy's interval later, on a working day (patched). */
  retryAt(now: number): number {
    const working = this.run.retry(now, this.policy.callbacks.notReachedRetry, this.policy.calendar);
    if (working !== undefined) return working;
    const at = now + durationMs(this.policy.callbacks.notReachedRetry);
    return this.fx.patched(CALENDAR_AWARE_CALLS) ? shiftToWorkingDay(at, this.policy.calendar) : at;
  }

  /** When the schedule ends: the last warranty call kept (patched), the warranty's own length (patched). */
  warrantyEnd(): number | undefined {
    return warrantyEnd(this.m, this.policy, this.keepsLastCall(), this.run.plan(this.state));
  }

  /** Patched: older runs ended at the warranty's unshifted end and could drop a last call moved past it. */
  keepsLastCall(): boolean {
    return this.m.completedAt !== undefined && this.fx.patched(KEEP_LAST_WARRANTY_CALL);
  }

  /** Closed callbacks leave the open list; their outcome stays known for idempotent repeats. */
  settle(): void {
    const s = this.state;
    for (const c of s.open) {
      if (!OPEN.has(c.status)) {
        const outcome = c.status === 'waived' ? 'waived' : (c.outcome ?? 'cancelled');
        s.outcomes[c.id] = { kind: c.kind, dueAt: c.dueAt, outcome, attempts: c.attempts, complaintId: c.complaintId };
      }
    }
    s.open = s.open.filter((c) => OPEN.has(c.status));
  }

  async updatePhase(): Promise<boolean> {
    const s = this.state;
    const completionCreated = s.created.some((id) => id.startsWith(`${s.contractNo}.completion.`));
    const phase = phaseOf(this.m, completionCreated, this.now(), this.policy, this.keepsLastCall(), this.run.plan(this.state));
    if (phase === s.phase) return false;
    const from = s.phase;
    s.phase = phase;
    await this.record('phase_changed', SYSTEM, { from, to: phase });
    return true;
  }

  /** Registration: the first entry, the calls already due, the phase. */
  async register(): Promise<void> {
    const { contractSignedAt, plannedCompletionAt, warrantyMonths } = this.input;
    await this.record('registered', SYSTEM, { contractSignedAt, plannedCompletionAt, warrantyMonths });
    await this.loadCalendars();
    await this.createDue(this.now());
    await this.updatePhase();
  }

  finished(): boolean {
    return (this.state.phase === 'closed' || this.state.phase === 'cancelled') && this.state.open.length === 0;
  }
}
