// The callback schedule of DOMAIN.md section 1 as pure functions: planned calls, phases and milestone checks.
import { describe, expect, it } from 'vitest';
import { callbackId, checkMilestone, durationTimes, phaseOf, plannedCallbacks, warrantyEnd, type Milestones } from '../../domain/schedule.rules';
import { policyWith } from '../support/fixtures';

const DAY = 86_400_000;
// No holidays and no weekend shift, so every due time is exactly its offset.
const policy = policyWith((p) => {
  p.calendar.publicHolidays = [];
  p.calendar.makeUpWorkingDays = [];
  p.calendar.shiftToWorkingDay = false;
  p.calendar.timeZone = 'UTC';
});
const signed = Date.parse('2027-03-01T02:00:00Z');

function milestones(patch: Partial<Milestones> = {}): Milestones {
  return { contractSignedAt: signed, plannedCompletionAt: signed + 60 * DAY, warrantyMonths: 2, pennants: [], repairs: [], ...patch };
}

describe('plannedCallbacks', () => {
  it('plans only the call after signing until work starts', () => {
    const plan = plannedCallbacks('C1', milestones(), policy, signed + 365 * DAY);
    expect(plan).toEqual([{ id: callbackId('C1', 'after_signing', 1), kind: 'after_signing', dueAt: signed + 5 * DAY }]);
  });

  it('plans construction calls at 10 and 25 days, then every 15 days until completion, then completion and warranty', () => {
    const started = signed + 2 * DAY;
    const completed = started + 60 * DAY;
    const plan = plannedCallbacks('C1', milestones({ workStartedAt: started, completedAt: completed }), policy, started + 365 * DAY);
    const construction = plan.filter((p) => p.kind === 'construction').map((p) => (p.dueAt - started) / DAY);
    expect(construction).toEqual([10, 25, 40, 55]);
    expect(plan.find((p) => p.kind === 'completion')?.dueAt).toBe(completed + 5 * DAY);
    const warranty = plan.filter((p) => p.kind === 'warranty');
    expect(warranty.map((p) => p.id)).toEqual(['C1.warranty.1', 'C1.warranty.2']);
    expect(new Date(warranty[1]!.dueAt).toISOString()).toBe('2027-07-02T02:00:00.000Z');
  });

  it('drops calls after a cancellation but keeps the thank-you for a pennant', () => {
    const started = signed + 2 * DAY;
    const plan = plannedCallbacks(
      'C1',
      milestones({ workStartedAt: started, cancelledAt: started + 20 * DAY, pennants: [started + 30 * DAY] }),
      policy,
      started + 365 * DAY,
    );
    expect(plan.every((p) => p.dueAt < started + 20 * DAY || p.kind === 'pennant_thanks')).toBe(true);
    expect(plan.some((p) => p.kind === 'pennant_thanks')).toBe(true);
  });

  it('books the post-repair call the policy delay after a warranty repair', () => {
    const plan = plannedCallbacks('C1', milestones({ repairs: [{ complaintId: 'K1', completedAt: signed + 10 * DAY }] }), policy, signed);
    expect(plan.find((p) => p.kind === 'post_repair')).toEqual({ id: 'C1.post_repair.K1', kind: 'post_repair', dueAt: signed + 13 * DAY });
  });
});

describe('phases and the warranty', () => {
  it('walks signed → construction → completed → warranty → closed, and cancelled wins', () => {
    const m = milestones();
    expect(phaseOf(m, false, signed, policy)).toBe('signed');
    m.workStartedAt = signed + DAY;
    expect(phaseOf(m, false, signed + 2 * DAY, policy)).toBe('construction');
    m.completedAt = signed + 30 * DAY;
    expect(phaseOf(m, false, signed + 31 * DAY, policy)).toBe('completed');
    expect(phaseOf(m, true, signed + 36 * DAY, policy)).toBe('warranty');
    expect(phaseOf(m, true, warrantyEnd(m, policy)!, policy)).toBe('closed');
    expect(phaseOf({ ...m, cancelledAt: signed + 2 * DAY }, true, signed + 3 * DAY, policy)).toBe('cancelled');
  });

  it('multiplies calendar durations so monthly calls never drift', () => {
    expect(durationTimes('P1M', 3)).toBe('P3M');
    expect(durationTimes('P1Y2M', 2)).toBe('P2Y4M');
  });
});

describe('checkMilestone', () => {
  const now = signed + 100 * DAY;
  it('applies, repeats and refuses with stable codes', () => {
    const m = milestones();
    expect(checkMilestone(m, 'work_started', signed + DAY, undefined, now)).toBeUndefined();
    expect(checkMilestone(m, 'completed', signed + 2 * DAY, undefined, now)).toMatchObject({ code: 'MILESTONE_OUT_OF_ORDER' });
    expect(checkMilestone(m, 'work_started', signed - DAY, undefined, now)).toMatchObject({ code: 'MILESTONE_OUT_OF_ORDER' });
    expect(checkMilestone(m, 'work_started', now + DAY, undefined, now)).toMatchObject({ code: 'MILESTONE_IN_FUTURE' });
    m.workStartedAt = signed + DAY;
    expect(checkMilestone(m, 'work_started', signed + DAY, undefined, now)).toBe('repeat');
    expect(checkMilestone(m, 'work_started', signed + 2 * DAY, undefined, now)).toMatchObject({ code: 'MILESTONE_CONFLICT' });
    expect(checkMilestone(m, 'completion_date_changed', now, undefined, now)).toMatchObject({ code: 'MILESTONE_OUT_OF_ORDER' });
    m.cancelledAt = signed + 3 * DAY;
    expect(checkMilestone(m, 'cancelled', signed + 3 * DAY, undefined, now)).toBe('repeat');
    expect(checkMilestone(m, 'pennant_received', signed + 4 * DAY, undefined, now)).toMatchObject({ code: 'CONTRACT_CANCELLED' });
  });
});

describe('the last warranty call', () => {
  // The company calendar: weekends and 2026-2027 holidays move calls to the next working day.
  const calendarPolicy = policyWith(() => undefined);
  const completions = Array.from({ length: 366 }, (_, d) => Date.parse('2026-01-01T02:00:00Z') + d * DAY);
  const lastCall = (m: Milestones) =>
    plannedCallbacks('C1', m, calendarPolicy, m.completedAt! + 3 * 366 * DAY)
      .filter((p) => p.kind === 'warranty')
      .at(-1)!;

  it('was dropped by the unshifted end whenever the warranty ended on a weekend or holiday (the bug, proven)', () => {
    const dropped = completions.filter((completedAt) => {
      const m = milestones({ workStartedAt: completedAt - 30 * DAY, completedAt, warrantyMonths: 12 });
      return phaseOf(m, true, lastCall(m).dueAt - 1, calendarPolicy) === 'closed';
    });
    expect(dropped.length).toBeGreaterThan(100);
  });

  it('always exists before the schedule closes, for every end date of a full year', () => {
    for (const completedAt of completions) {
      for (const warrantyMonths of [1, 12, 24]) {
        const m = milestones({ workStartedAt: completedAt - 30 * DAY, completedAt, warrantyMonths });
        const last = lastCall(m);
        expect(phaseOf(m, true, last.dueAt - 1, calendarPolicy, true)).toBe('warranty');
        expect(warrantyEnd(m, calendarPolicy, true)).toBeGreaterThanOrEqual(last.dueAt);
        expect(phaseOf(m, true, last.dueAt, calendarPolicy, true)).toBe('closed');
      }
    }
  });
});
