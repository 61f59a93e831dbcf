// The schedule's newer rules as pure functions: working time, the warranty's own length, corrections, out-of-order completion, moved calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../config/policy';
import { addWorkingTime, isWorkingDay, localDate } from '../../domain/calendar';
import { checkCorrection, checkMilestone, plannedCallbacks, warrantyEnd, warrantyOf, type Milestones } from '../../domain/schedule.rules';
import { POLICY, policyWith } from '../support/fixtures';

const DAY = 86_400_000;
const HOUR = 3_600_000;
// 2027-04-30 is a Friday; Labour Day 05-01..05-05 (illustrative), 05-08 a make-up working Saturday.
const cal = {
  ...POLICY.calendar,
  publicHolidays: ['01', '02', '03', '04', '05'].map((d) => ({ date: `2027-05-${d}`, name: 'Labour Day' })),
  makeUpWorkingDays: ['2027-05-08'],
};
const at = (iso: string) => Date.parse(iso);

describe('working time', () => {
  it('runs a Friday clock on over the weekend, and a clock before a holiday on after it', () => {
    // Friday 2027-04-23 10:00 Shanghai + one working day = Monday 10:00; + two = Tuesday 10:00.
    expect(new Date(addWorkingTime(at('2027-04-23T02:00:00Z'), DAY, cal)).toISOString()).toBe('2027-04-26T02:00:00.000Z');
    expect(new Date(addWorkingTime(at('2027-04-23T02:00:00Z'), 2 * DAY, cal)).toISOString()).toBe('2027-04-27T02:00:00.000Z');
    // Friday 04-30 before Labour Day (Sat 05-01 .. Wed 05-05): the next working day is Thursday 05-06.
    expect(new Date(addWorkingTime(at('2027-04-30T02:00:00Z'), DAY, cal)).toISOString()).toBe('2027-05-06T02:00:00.000Z');
    expect(new Date(addWorkingTime(at('2027-04-30T02:00:00Z'), 2 * DAY, cal)).toISOString()).toBe('2027-05-07T02:00:00.000Z');
    // A clock started on a holiday starts with the next working day.
    expect(new Date(addWorkingTime(at('2027-05-02T06:00:00Z'), 2 * HOUR, cal)).toISOString()).toBe('2027-05-05T18:00:00.000Z');
  });

  it('never ends a clock on a weekend or holiday (property)', () => {
    const start = at('2027-04-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 * 24 }), fc.integer({ min: 1, max: 4 * 24 }), (startHours, hours) => {
        const end = addWorkingTime(start + startHours * HOUR, hours * HOUR, cal);
        expect(isWorkingDay(localDate(end, cal.timeZone), cal)).toBe(true);
        expect(end).toBeGreaterThanOrEqual(start + startHours * HOUR + hours * HOUR);
      }),
    );
  });

  it('moves a post-repair call by working days only when the rule is on', () => {
    const policy = { ...POLICY, calendar: cal };
    // Repair finished Thursday 04-29 10:00: three working days are Fri 04-30, Thu 05-06, Fri 05-07 → due Fri 05-07 10:00.
    const m: Milestones = {
      contractSignedAt: at('2027-03-01T02:00:00Z'),
      plannedCompletionAt: at('2027-06-01T02:00:00Z'),
      warrantyMonths: 0,
      pennants: [],
      repairs: [{ complaintId: 'K1', completedAt: at('2027-04-29T02:00:00Z') }],
    };
    const repair = (working: boolean) =>
      plannedCallbacks('C', m, policy, m.plannedCompletionAt, { workingPostRepair: working }).find((p) => p.kind === 'post_repair')!;
    expect(new Date(repair(true).dueAt).toISOString()).toBe('2027-05-07T02:00:00.000Z');
    // Calendar time: Sunday 05-02, a holiday, moves to the next working day, Thursday 05-06.
    expect(new Date(repair(false).dueAt).toISOString()).toBe('2027-05-06T02:00:00.000Z');
  });
});

describe('warranty length', () => {
  const policy = policyWith((p) => {
    p.calendar.shiftToWorkingDay = false;
    p.callbacks.warrantyInterval = 'P3M';
  });
  const completedAt = at('2027-01-15T02:00:00Z');
  const m: Milestones = {
    contractSignedAt: completedAt - 90 * DAY,
    plannedCompletionAt: completedAt,
    workStartedAt: completedAt - 60 * DAY,
    completedAt,
    warrantyMonths: 24,
    pennants: [],
    repairs: [],
  };

  it('is its own value: a quarterly interval keeps a two-year warranty and calls every quarter within it', () => {
    const calls = plannedCallbacks('C', m, policy, completedAt, { warrantyLength: 'P24M' }).filter((p) => p.kind === 'warranty');
    expect(calls).toHaveLength(8);
    expect(new Date(calls.at(-1)!.dueAt).toISOString()).toBe('2029-01-15T02:00:00.000Z');
    expect(new Date(warrantyEnd(m, policy, true, { warrantyLength: 'P24M' })!).toISOString()).toBe('2029-01-15T02:00:00.000Z');
  });

  it('keeps interval × months for cases whose policy has no length (older policies)', () => {
    expect(plannedCallbacks('C', m, policy, completedAt).filter((p) => p.kind === 'warranty')).toHaveLength(24);
    expect(new Date(warrantyEnd(m, policy, true)!).toISOString()).toBe('2033-01-15T02:00:00.000Z');
  });

  it('comes from the contract, else the policy; a policy without a length keeps the old months', () => {
    expect(warrantyOf(undefined, POLICY.callbacks)).toEqual({ warrantyMonths: 24, warrantyLength: 'P24M' });
    expect(warrantyOf(18, POLICY.callbacks)).toEqual({ warrantyMonths: 18, warrantyLength: 'P18M' });
    expect(warrantyOf(undefined, { ...POLICY.callbacks, warrantyLength: 'P2Y6M' })).toEqual({ warrantyMonths: 30, warrantyLength: 'P2Y6M' });
    const { warrantyLength: _, ...old } = POLICY.callbacks;
    expect(warrantyOf(undefined, old)).toEqual({ warrantyMonths: 24 });
    expect(warrantyOf(undefined, { ...POLICY.callbacks, warrantyLength: 'PT50S' })).toEqual({ warrantyMonths: 24, warrantyLength: 'PT50S' });
    expect(() => parsePolicy({ ...POLICY, callbacks: { ...POLICY.callbacks, warrantyLength: 'two years' } })).toThrow(/warrantyLength/);
    expect(() => parsePolicy({ ...POLICY, callbacks: { ...POLICY.callbacks, workingTimeClocks: ['lunch'] } })).toThrow(/workingTimeClocks/);
  });
});

describe('milestones out of order and corrections', () => {
  const signed = at('2027-03-01T02:00:00Z');
  const base: Milestones = { contractSignedAt: signed, plannedCompletionAt: signed + 60 * DAY, warrantyMonths: 2, pennants: [], repairs: [] };
  const now = signed + 100 * DAY;

  it('follows a completion recorded without a work start (with its completion call), refuses one before the recorded start', () => {
    expect(checkMilestone(base, 'completed', signed + 50 * DAY, undefined, now)).toMatchObject({ code: 'MILESTONE_OUT_OF_ORDER' });
    expect(checkMilestone(base, 'completed', signed + 50 * DAY, undefined, now, true)).toBeUndefined();
    expect(checkMilestone(base, 'completed', signed - DAY, undefined, now, true)).toMatchObject({ code: 'MILESTONE_OUT_OF_ORDER' });
    const started = { ...base, workStartedAt: signed + 10 * DAY };
    expect(checkMilestone(started, 'completed', signed + 5 * DAY, undefined, now, true)).toMatchObject({ code: 'MILESTONE_OUT_OF_ORDER' });
    const completed = { ...base, completedAt: signed + 50 * DAY };
    expect(checkMilestone(completed, 'work_started', signed + 60 * DAY, undefined, now, true)).toMatchObject({ code: 'MILESTONE_OUT_OF_ORDER' });
    expect(checkMilestone(completed, 'work_started', signed + 20 * DAY, undefined, now, true)).toBeUndefined();
    const kinds = plannedCallbacks('C', completed, POLICY, now, { completionWithoutStart: true }).map((p) => p.kind);
    expect(kinds).toEqual(['after_signing', 'completion', 'warranty', 'warranty']);
  });

  it('corrects only a recorded date, never into the future or across the other milestone', () => {
    const m = { ...base, workStartedAt: signed + 10 * DAY, completedAt: signed + 50 * DAY };
    expect(checkCorrection(base, 'work_started', signed + DAY, now)).toMatchObject({ code: 'MILESTONE_NOT_RECORDED' });
    expect(checkCorrection(m, 'work_started', m.workStartedAt, now)).toBe('repeat');
    expect(checkCorrection(m, 'work_started', signed + 2 * DAY, now)).toBeUndefined();
    expect(checkCorrection(m, 'work_started', signed - DAY, now)).toMatchObject({ code: 'MILESTONE_OUT_OF_ORDER' });
    expect(checkCorrection(m, 'work_started', signed + 51 * DAY, now)).toMatchObject({ code: 'MILESTONE_OUT_OF_ORDER' });
    expect(checkCorrection(m, 'completed', signed + 9 * DAY, now)).toMatchObject({ code: 'MILESTONE_OUT_OF_ORDER' });
    expect(checkCorrection(m, 'completed', now + DAY, now)).toMatchObject({ code: 'MILESTONE_IN_FUTURE' });
    expect(checkCorrection({ ...m, cancelledAt: now }, 'completed', signed + 40 * DAY, now)).toMatchObject({ code: 'CONTRACT_CANCELLED' });
  });

  it('keeps a call the customer moved on its new date, shifted to a working day by the calendar it plans with', () => {
    const policy = { ...POLICY, calendar: cal };
    const m = { ...base, contractSignedAt: at('2027-04-19T02:00:00Z') };
    // Asked for Saturday 05-01 (a holiday run until 05-05): due Thursday 05-06.
    const moved = { 'C.after_signing.1': at('2027-05-01T03:00:00Z') };
    const [p] = plannedCallbacks('C', m, policy, m.contractSignedAt, { moved });
    expect(new Date(p!.dueAt).toISOString()).toBe('2027-05-06T03:00:00.000Z');
  });
});
