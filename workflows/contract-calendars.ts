// The working-day calendars a schedule plans with: its policy's, overlaid per year by published calendars it fetched.
import { calendarVersionOf, holidayYears, localYear, withYearCalendars } from '../domain/calendar';
import type { Policy } from '../domain/policy';
import type { ContractEffects, ContractSchedule } from './contract-schedule';
import type { ContractInput, ContractState } from './contract.messages';

/** Patch id: calendars are fetched per year by an activity, re-fetched on a calendarPublished signal. */
export const CALENDARS_AS_DATA = 'calendars-as-data';

type Record = (type: string, data: { [k: string]: unknown }) => Promise<void>;

export class ScheduleCalendars {
  /** Asked once at the start of each run, so an older run replays without fetching anything. */
  readonly enabled: boolean;
  private merged: Policy;

  constructor(
    private readonly input: ContractInput,
    private readonly state: ContractState,
    private readonly fx: ContractEffects,
  ) {
    this.enabled = fx.patched(CALENDARS_AS_DATA);
    this.merged = this.merge();
  }

  /** The policy the schedule plans with: the frozen one, its calendar overlaid by the fetched years. */
  get policy(): Policy {
    return this.merged;
  }

  private merge(): Policy {
    const years = this.state.calendars ?? [];
    if (!this.enabled || !years.length) return this.input.policy;
    return { ...this.input.policy, calendar: withYearCalendars(this.input.policy.calendar, years) };
  }

  yearOf(at: number): number {
    return localYear(at, this.input.policy.calendar.timeZone);
  }

  private known(year: number): boolean {
    const s = this.state;
    return Boolean(s.calendars?.some((c) => c.year === year) || s.calendarsAbsent?.includes(year));
  }

  /** True when a needed year was never looked up, or a signal said one changed. */
  due(needed: number[]): boolean {
    if (!this.enabled) return false;
    return Boolean(this.state.calendarsStale?.length) || needed.some((y) => !this.known(y));
  }

  /** Fetches the stale and unknown years of `needed()` until the plan is stable (a fetched year can move a call into the next). */
  async load(needed: () => number[], record: Record): Promise<void> {
    if (!this.enabled) return;
    const s = this.state;
    for (let round = 0; round < 3; round++) {
      const years = [...new Set([...(s.calendarsStale ?? []), ...needed().filter((y) => !this.known(y))])].sort((a, b) => a - b);
      if (!years.length) break;
      s.calendarsStale = [];
      for (const year of years) {
        const cal = await this.fx.activities.loadCalendarYear({ year });
        const before = s.calendars?.find((c) => c.year === year);
        s.calendars = [...(s.calendars ?? []).filter((c) => c.year !== year), ...(cal ? [cal] : [])].sort((a, b) => a.year - b.year);
        s.calendarsAbsent = [...(s.calendarsAbsent ?? []).filter((y) => y !== year), ...(cal ? [] : [year])];
        if (cal && cal.version !== before?.version) await record('calendar_applied', { year, version: cal.version, previousVersion: before?.version ?? null });
      }
      this.merged = this.merge();
    }
    await this.flagMissing(needed(), record);
  }

  /** Years needed with no calendar at all: flag the case, and tell admin (once per year, whichever case sees it first). */
  private async flagMissing(needed: number[], record: Record): Promise<void> {
    const s = this.state;
    const policyYears = holidayYears(this.input.policy.calendar);
    const missing = [...new Set(needed)].filter((y) => s.calendarsAbsent?.includes(y) && !policyYears.includes(y)).sort((a, b) => a - b);
    if (missing.join() !== (s.calendarsMissing ?? []).join()) this.fx.changed();
    s.calendarsMissing = missing;
    for (const year of missing) {
      if (s.calendarsReported?.includes(year)) continue;
      s.calendarsReported = [...(s.calendarsReported ?? []), year];
      const { notificationIds } = await this.fx.activities.notifyCalendarMissing({ year, at: new Date(this.fx.now()).toISOString() });
      this.fx.deliver(notificationIds);
      await record('calendar_missing', { year, planning: 'weekends_only' });
    }
  }

  /** A signal: a newer version of a year this schedule looked at is fetched before the next step; repeats change nothing. */
  published(year: number, version: number): boolean {
    const s = this.state;
    if (!this.enabled) return false;
    const known = s.calendars?.find((c) => c.year === year);
    if (known ? known.version >= version : !s.calendarsAbsent?.includes(year)) return false;
    if (s.calendarsStale?.includes(year)) return false;
    s.calendarsStale = [...(s.calendarsStale ?? []), year];
    this.fx.changed();
    return true;
  }

  /** Which calendar a due date was planned with: `2027-v2`, `policy-<version>` or `weekends-only`. */
  versionOf(at: number): string {
    return calendarVersionOf(this.yearOf(at), this.state.calendars ?? [], this.input.policy.calendar, this.input.policy.version);
  }

  /** Indexed only by runs that know calendars, so older runs upsert what they always did. */
  indexed(): { CalendarMissing?: boolean } {
    return this.enabled ? { CalendarMissing: Boolean(this.state.calendarsMissing?.length) } : {};
  }
}

/** How many calls not yet due the contract's projection lists. */
export const UPCOMING_SHOWN = 60;

/** Calls planned but not yet due, with the calendar each was planned with (the plan staff and customers see). */
export function upcoming(k: ContractSchedule, now: number) {
  // A cancelled or closed schedule makes no more calls.
  if (k.m.cancelledAt !== undefined || k.state.phase === 'closed') return [];
  const created = new Set(k.state.created);
  return k
    .planned(now)
    .filter((p) => !created.has(p.id))
    .slice(0, UPCOMING_SHOWN)
    .map((p) => ({ id: p.id, kind: p.kind, dueAt: p.dueAt, calendarVersion: k.calendars.versionOf(p.dueAt) }));
}

/** Years whose calendar decides the next step: now's, the next planned call's, and once calls run out the warranty end's. */
export function neededYears(k: ContractSchedule, now: number): number[] {
  const years = [k.calendars.yearOf(now)];
  const next = k.nextPlanned(now);
  if (next !== undefined) years.push(k.calendars.yearOf(next));
  const end = k.warrantyEnd();
  if (next === undefined && end !== undefined && end > now) years.push(k.calendars.yearOf(end));
  return years;
}
