// Working-day calendar against the 2026 China calendar of config/policy.default.json (checked against the
// State Council notice as carried by the chinese-days package), plus zone and DST behaviour.
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../config/policy';
import {
  calendarProblems,
  calendarVersionOf,
  holidayYears,
  holidaysBetween,
  isWorkingDay,
  localDate,
  localInstant,
  localYear,
  shiftToWorkingDay,
  withYearCalendars,
  yearCalendarProblems,
} from '../../domain/calendar';
import type { CalendarPolicy } from '../../schemas/policy.schema';

const cal = loadPolicy().calendar;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An instant written as Shanghai wall-clock time (UTC+8 all year, no DST). */
const sh = (date: string, time = '09:30') => Date.parse(`${date}T${time}:00+08:00`);

describe('localDate', () => {
  it('reads the date on the wall clock of the zone, not of UTC', () => {
    const fridayLateUtc = Date.parse('2026-03-06T17:30:00Z');
    expect(localDate(fridayLateUtc, 'UTC')).toBe('2026-03-06');
    expect(localDate(fridayLateUtc, 'Asia/Shanghai')).toBe('2026-03-07');
    expect(localDate(Date.parse('2026-03-06T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-03-06');
    expect(localDate(Date.parse('2026-03-06T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-07');
  });

  it('round-trips with localInstant', () => {
    expect(localInstant('2026-10-08', 9.5 * HOUR, 'Asia/Shanghai')).toBe(sh('2026-10-08'));
    expect(localInstant('2026-03-29', 12 * HOUR, 'Europe/Berlin')).toBe(Date.parse('2026-03-29T12:00:00+02:00'));
    expect(localInstant('2026-03-28', 12 * HOUR, 'Europe/Berlin')).toBe(Date.parse('2026-03-28T12:00:00+01:00'));
  });
});

describe('isWorkingDay (2026 China)', () => {
  it.each([
    ['2026-02-13', true, 'plain Friday'],
    ['2026-02-14', true, 'Saturday make-up working day before Spring Festival'],
    ['2026-02-15', false, 'Sunday, first day of Spring Festival'],
    ['2026-02-18', false, 'Wednesday inside Spring Festival'],
    ['2026-02-24', true, 'Tuesday after Spring Festival'],
    ['2026-02-28', true, 'Saturday make-up working day after Spring Festival'],
    ['2026-03-07', false, 'plain Saturday'],
    ['2026-03-08', false, 'plain Sunday'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-10', true, 'Saturday make-up working day after National Day'],
    ['2026-09-20', true, 'Sunday make-up working day before National Day'],
    ['2026-01-04', true, 'Sunday make-up working day after New Year'],
  ])('%s is %s (%s)', (date, working) => {
    expect(isWorkingDay(date, cal)).toBe(working);
  });

  it('rejects a malformed or impossible date instead of guessing', () => {
    expect(() => isWorkingDay('2026-2-14', cal)).toThrow(RangeError);
    expect(() => isWorkingDay('2026-02-30', cal)).toThrow(RangeError);
  });
});

describe('shiftToWorkingDay (2026 China)', () => {
  it('leaves a make-up working Saturday where it is', () => {
    expect(shiftToWorkingDay(sh('2026-02-14'), cal)).toBe(sh('2026-02-14'));
  });

  it('leaves a working day exactly unchanged, milliseconds included', () => {
    const t = sh('2026-03-06') + 123;
    expect(shiftToWorkingDay(t, cal)).toBe(t);
  });

  it('moves Spring Festival Sunday 02-15 to Tuesday 02-24, keeping 09:30', () => {
    expect(shiftToWorkingDay(sh('2026-02-15'), cal)).toBe(sh('2026-02-24'));
  });

  it('moves National Day Saturday 10-03 to Thursday 10-08', () => {
    const shifted = shiftToWorkingDay(sh('2026-10-03', '14:05'), cal);
    expect(shifted).toBe(sh('2026-10-08', '14:05'));
    expect(new Date(shifted + 8 * HOUR).getUTCDay()).toBe(4);
  });

  it('moves a plain Saturday 03-07 to Monday 03-09', () => {
    expect(shiftToWorkingDay(sh('2026-03-07', '23:59'), cal)).toBe(sh('2026-03-09', '23:59'));
  });

  it('keeps the instant when the policy turns shifting off', () => {
    const off: CalendarPolicy = { ...cal, shiftToWorkingDay: false };
    expect(shiftToWorkingDay(sh('2026-03-07'), off)).toBe(sh('2026-03-07'));
    expect(shiftToWorkingDay(sh('2026-10-03'), off)).toBe(sh('2026-10-03'));
  });

  it('judges the day in the policy zone: late Friday UTC is Saturday in Shanghai and moves', () => {
    const fridayLateUtc = Date.parse('2026-03-06T17:30:00Z'); // Sat 2026-03-07 01:30 in Shanghai
    expect(shiftToWorkingDay(fridayLateUtc, cal)).toBe(Date.parse('2026-03-08T17:30:00Z')); // Mon 01:30 Shanghai
    expect(shiftToWorkingDay(fridayLateUtc, { ...cal, timeZone: 'UTC' })).toBe(fridayLateUtc);
  });

  it('keeps the wall-clock time across a DST change (Europe/Berlin, spring forward 2026-03-29)', () => {
    const berlin: CalendarPolicy = { ...cal, timeZone: 'Europe/Berlin', publicHolidays: [], makeUpWorkingDays: [] };
    const saturday = Date.parse('2026-03-28T10:00:00+01:00');
    const shifted = shiftToWorkingDay(saturday, berlin);
    expect(shifted).toBe(Date.parse('2026-03-30T10:00:00+02:00'));
    expect(shifted - saturday).toBe(2 * DAY - HOUR);
  });

  it('throws rather than loops when no working day exists', () => {
    const never: CalendarPolicy = { ...cal, weekends: [0, 1, 2, 3, 4, 5], makeUpWorkingDays: [] };
    const saturdays = Array.from({ length: 600 }, (_, i) => ({
      date: localDate(Date.parse('2026-03-07T04:00:00Z') + i * 7 * DAY, 'UTC'),
      name: 'x',
    }));
    expect(() => shiftToWorkingDay(sh('2026-03-07'), { ...never, publicHolidays: saturdays })).toThrow(RangeError);
  });
});

describe('holidaysBetween', () => {
  const year2026 = holidaysBetween(sh('2026-01-01', '00:00'), sh('2027-01-01', '00:00'), cal);

  it('gives one greeting per holiday run over 2026, on its first day at 10:00 Shanghai', () => {
    expect(year2026.map((g) => [g.date, g.name])).toEqual([
      ['2026-01-01', "New Year's Day"],
      ['2026-02-15', 'Spring Festival'],
      ['2026-04-04', 'Tomb-sweeping Day'],
      ['2026-05-01', 'Labour Day'],
      ['2026-06-19', 'Dragon Boat Festival'],
      ['2026-09-25', 'Mid-autumn Festival'],
      ['2026-10-01', 'National Day'],
    ]);
    for (const g of year2026) expect(g.at).toBe(sh(g.date, '10:00'));
  });

  it('is half-open on the greeting instant, so consecutive windows greet each run exactly once', () => {
    const cut = sh('2026-10-01', '10:00');
    expect(holidaysBetween(sh('2026-09-01'), cut, cal).map((g) => g.name)).toEqual(['Mid-autumn Festival']);
    expect(holidaysBetween(cut, sh('2026-11-01'), cal).map((g) => g.name)).toEqual(['National Day']);
    // A run already under way when the window opens is not greeted again.
    expect(holidaysBetween(sh('2026-10-03'), sh('2026-11-01'), cal)).toEqual([]);
  });

  it('greets two names sharing one run once each, and the same name again after a gap', () => {
    const c: CalendarPolicy = {
      ...cal,
      publicHolidays: [
        // 2025: National Day and Mid-Autumn merged into one 8-day break, Mid-Autumn on 10-06.
        ...['01', '02', '03', '04', '05', '07', '08'].map((d) => ({ date: `2025-10-${d}`, name: 'National Day' })),
        { date: '2025-10-06', name: 'Mid-Autumn' },
        { date: '2025-10-10', name: 'National Day' },
      ],
    };
    expect(holidaysBetween(sh('2025-01-01'), sh('2026-01-01'), c).map((g) => [g.date, g.name])).toEqual([
      ['2025-10-01', 'National Day'],
      ['2025-10-06', 'Mid-Autumn'],
      ['2025-10-10', 'National Day'],
    ]);
  });

  it('takes the greeting hour as a parameter', () => {
    const [first] = holidaysBetween(sh('2026-01-01', '00:00'), sh('2026-02-01'), cal, 15);
    expect(first?.at).toBe(sh('2026-01-01', '15:00'));
  });
});

describe('holiday data', () => {
  it('default policy covers 2026 only and has no contradictions', () => {
    expect(holidayYears(cal)).toEqual([2026]);
    expect(calendarProblems(cal)).toEqual([]);
  });

  it('reports contradictions a schema cannot see', () => {
    const bad: CalendarPolicy = {
      ...cal,
      publicHolidays: [...cal.publicHolidays, { date: '2026-02-30', name: 'typo' }],
      makeUpWorkingDays: ['2026-10-03', '2026-03-09'],
    };
    expect(calendarProblems(bad)).toEqual([
      '2026-02-30 (typo) is not a calendar date',
      '2026-10-03 is both a public holiday and a make-up working day',
      '2026-03-09 is a make-up working day but not a weekend day',
    ]);
  });
});

describe('published year calendars', () => {
  const weekends = [6, 0];
  it('refuses dates outside the year, duplicates and contradictions', () => {
    expect(yearCalendarProblems(2027, { publicHolidays: [{ date: '2027-01-01', name: 'New Year' }], makeUpWorkingDays: ['2027-01-09'] }, weekends)).toEqual([]);
    expect(yearCalendarProblems(2027, { publicHolidays: [{ date: '2026-12-31', name: 'Eve' }], makeUpWorkingDays: [] }, weekends)).toEqual([
      '2026-12-31 is not in 2027',
    ]);
    expect(yearCalendarProblems(2027, { publicHolidays: [{ date: '2027-02-30', name: 'X' }], makeUpWorkingDays: [] }, weekends)).toEqual([
      '2027-02-30 (X) is not a calendar date',
    ]);
    const twice = { date: '2027-01-01', name: 'New Year' };
    expect(yearCalendarProblems(2027, { publicHolidays: [twice, twice], makeUpWorkingDays: ['2027-01-01'] }, weekends)).toEqual([
      'a public holiday is listed twice',
      '2027-01-01 is both a public holiday and a make-up working day',
    ]);
  });

  it('names the calendar a year is planned with: published, the policy’s own, or weekends only', () => {
    const cal = {
      timeZone: 'Asia/Shanghai',
      weekends,
      publicHolidays: [{ date: '2026-10-01', name: 'National Day' }],
      makeUpWorkingDays: [],
      shiftToWorkingDay: true,
    };
    const y2027 = { year: 2027, version: 3, publicHolidays: [], makeUpWorkingDays: [] };
    expect(calendarVersionOf(2027, [y2027], cal, 'p1')).toBe('2027-v3');
    expect(calendarVersionOf(2026, [y2027], cal, 'p1')).toBe('policy-p1');
    expect(calendarVersionOf(2028, [y2027], cal, 'p1')).toBe('weekends-only');
    // A published 2026 with no holidays replaces the policy's 2026: 2026-10-01 (a Thursday) is a working day again.
    expect(isWorkingDay('2026-10-01', withYearCalendars(cal, [{ ...y2027, year: 2026 }]))).toBe(true);
    expect(localYear(Date.parse('2026-12-31T16:30:00Z'), 'Asia/Shanghai')).toBe(2027);
  });
});
