// Property tests of the schedule's date rules over random calendars and milestones (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWorkingDay, localDate, withYearCalendars, type YearCalendar } from '../../domain/calendar';
import type { Policy } from '../../domain/policy';
import { plannedCallbacks, warrantyEnd, type Milestones } from '../../domain/schedule.rules';
import { POLICY } from '../support/fixtures';

const DAY = 86_400_000;
const YEARS = [2027, 2028, 2029] as const;
const FROM = Date.parse('2027-01-01T00:00:00Z');

/** A date of one of the years, as 'YYYY-MM-DD'. */
const dateIn = (year: number) => fc.integer({ min: 0, max: 364 }).map((d) => new Date(Date.UTC(year, 0, 1) + d * DAY).toISOString().slice(0, 10));
const isWeekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());

/** A published calendar of a year: holiday runs of up to 9 days, make-up working days on other weekend days. */
const yearCalendar = (year: number) =>
  fc
    .record({
      starts: fc.uniqueArray(dateIn(year), { maxLength: 8 }),
      lengths: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 8, maxLength: 8 }),
      makeUp: fc.uniqueArray(dateIn(year), { maxLength: 6 }),
    })
    .map(({ starts, lengths, makeUp }): YearCalendar => {
      const holidays = new Set<string>();
      starts.forEach((s, i) => {
        for (let k = 0; k < lengths[i]!; k++) {
          const d = new Date(Date.parse(`${s}T00:00:00Z`) + k * DAY).toISOString().slice(0, 10);
          if (d.startsWith(`${year}-`)) holidays.add(d);
        }
      });
      const publicHolidays = [...holidays].sort().map((date) => ({ date, name: `H${date.slice(5, 7)}` }));
      const makeUpWorkingDays = makeUp.filter((d) => isWeekend(d) && !holidays.has(d)).sort();
      return { year, version: 1, publicHolidays, makeUpWorkingDays };
    });

const calendars = fc.tuple(...YEARS.map(yearCalendar));
const policyWithCalendars = (years: YearCalendar[]): Policy => ({ ...POLICY, calendar: withYearCalendars(POLICY.calendar, years) });

const milestonesArb = fc
  .record({
    signedDay: fc.integer({ min: 0, max: 300 }),
    startAfter: fc.integer({ min: 0, max: 60 }),
    buildDays: fc.integer({ min: 1, max: 200 }),
    hour: fc.integer({ min: 0, max: 23 }),
    warrantyMonths: fc.integer({ min: 0, max: 24 }),
    pennantAfter: fc.option(fc.integer({ min: 0, max: 100 })),
    repairAfter: fc.option(fc.integer({ min: 0, max: 300 })),
  })
  .map((r): Milestones => {
    const signed = FROM + r.signedDay * DAY + r.hour * 3_600_000;
    const started = signed + r.startAfter * DAY;
    const completed = started + r.buildDays * DAY;
    return {
      contractSignedAt: signed,
      plannedCompletionAt: completed,
      warrantyMonths: r.warrantyMonths,
      workStartedAt: started,
      completedAt: completed,
      pennants: r.pennantAfter === null ? [] : [started + r.pennantAfter * DAY],
      repairs: r.repairAfter === null ? [] : [{ complaintId: 'C-1', completedAt: completed + r.repairAfter * DAY }],
    };
  });

const keyOf = (id: string) => Number(id.split('.').at(-1));

describe('planned calls over random calendars (fast-check)', () => {
  it('never land on a non-working day (greetings are on their holiday by design)', () => {
    fc.assert(
      fc.property(calendars, milestonesArb, (years, m) => {
        const policy = policyWithCalendars(years);
        for (const p of plannedCallbacks('C', m, policy, m.completedAt!)) {
          if (p.kind === 'holiday_greeting') continue;
          expect(isWorkingDay(localDate(p.dueAt, policy.calendar.timeZone), policy.calendar), `${p.id} ${new Date(p.dueAt).toISOString()}`).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('are never before their milestone, and keep their order', () => {
    fc.assert(
      fc.property(calendars, milestonesArb, (years, m) => {
        const plan = plannedCallbacks('C', m, policyWithCalendars(years), m.completedAt!);
        const from: Record<string, number> = {
          after_signing: m.contractSignedAt,
          construction: m.workStartedAt!,
          holiday_greeting: m.workStartedAt!,
          completion: m.completedAt!,
          warranty: m.completedAt!,
          pennant_thanks: m.pennants[0] ?? 0,
          post_repair: m.repairs[0]?.completedAt ?? 0,
        };
        for (const p of plan) expect(p.dueAt).toBeGreaterThanOrEqual(from[p.kind]!);
        expect(plan.map((p) => p.dueAt)).toEqual([...plan.map((p) => p.dueAt)].sort((a, b) => a - b));
        for (const kind of ['construction', 'warranty'] as const) {
          const ofKind = plan.filter((p) => p.kind === kind);
          expect(ofKind.map((p) => keyOf(p.id))).toEqual(ofKind.map((_, i) => i + 1));
          // Never earlier than the previous call of the kind; the same day only when random holiday runs merge into one
          // longer than the 15-day interval (no published calendar has one), so both calls move to the day it ends.
          for (let i = 1; i < ofKind.length; i++) expect(ofKind[i]!.dueAt).toBeGreaterThanOrEqual(ofKind[i - 1]!.dueAt);
        }
        expect(plan.filter((p) => p.kind === 'warranty')).toHaveLength(m.warrantyMonths);
      }),
      { numRuns: 60 },
    );
  });

  it('keep the last warranty call for every end date of a full year: the schedule runs until it is due', () => {
    fc.assert(
      fc.property(calendars, fc.integer({ min: 1, max: 12 }), (years, warrantyMonths) => {
        const policy = policyWithCalendars(years);
        // Every completion day of 2027 at 09:00 local, so the warranty's end walks through a whole year of end dates.
        for (let d = 0; d < 365; d++) {
          const completedAt = FROM + d * DAY + 3_600_000;
          const m: Milestones = {
            contractSignedAt: completedAt - 90 * DAY,
            plannedCompletionAt: completedAt,
            warrantyMonths,
            workStartedAt: completedAt - 60 * DAY,
            completedAt,
            pennants: [],
            repairs: [],
          };
          const warranty = plannedCallbacks('C', m, policy, completedAt).filter((p) => p.kind === 'warranty');
          expect(warranty).toHaveLength(warrantyMonths);
          expect(warrantyEnd(m, policy, true)).toBeGreaterThanOrEqual(warranty.at(-1)!.dueAt);
        }
      }),
      { numRuns: 3 },
    );
  });

  it('a published year replaces only that year of the policy calendar', () => {
    fc.assert(
      fc.property(yearCalendar(2026), (y) => {
        const merged = withYearCalendars(POLICY.calendar, [y]);
        expect(merged.publicHolidays.filter((h) => h.date.startsWith('2026-'))).toEqual(y.publicHolidays);
        expect(merged.makeUpWorkingDays.filter((d) => d.startsWith('2026-'))).toEqual(y.makeUpWorkingDays);
        expect(merged.publicHolidays.filter((h) => !h.date.startsWith('2026-'))).toEqual(
          POLICY.calendar.publicHolidays.filter((h) => !h.date.startsWith('2026-')),
        );
      }),
    );
  });
});
