// Pure ISO-8601 duration helpers used by the policy document and the workflows.
import { describe, it, expect } from 'vitest';
import { addDuration, durationMs, isFixedDuration, isIsoDuration, parseIsoDuration } from '../../domain/duration';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseIsoDuration', () => {
  it('splits every component', () => {
    expect(parseIsoDuration('P1Y2M3W4DT5H6M7S')).toEqual({ years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 });
  });

  it('fills missing components with zero', () => {
    expect(parseIsoDuration('P5D')).toEqual({ years: 0, months: 0, weeks: 0, days: 5, hours: 0, minutes: 0, seconds: 0 });
    expect(parseIsoDuration('PT5S')).toEqual({ years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 5 });
  });

  it('tells months (date part) from minutes (time part)', () => {
    expect(parseIsoDuration('P1M')).toMatchObject({ months: 1, minutes: 0 });
    expect(parseIsoDuration('PT1M')).toMatchObject({ months: 0, minutes: 1 });
  });

  it('accepts fractional seconds only', () => {
    expect(parseIsoDuration('PT1.5S')).toMatchObject({ seconds: 1.5 });
    expect(parseIsoDuration('P1.5D')).toBeUndefined();
    expect(parseIsoDuration('PT1.5H')).toBeUndefined();
  });

  it.each(['P', 'PT', '5D', '', 'P1DT', 'p1d', 'P-1D', 'PT5', 'P1D2H', 'five days', 'P1DT2', ' P1D', 'P1D '])('rejects %j', (text) => {
    expect(parseIsoDuration(text)).toBeUndefined();
    expect(isIsoDuration(text)).toBe(false);
  });

  it.each(['P5D', 'PT24H', 'PT3M', 'PT5S', 'P1M', 'P2W', 'P0D', 'P1DT12H'])('accepts %j', (text) => {
    expect(isIsoDuration(text)).toBe(true);
  });
});

describe('isFixedDuration', () => {
  it('is true for weeks, days, hours, minutes, seconds', () => {
    for (const t of ['P5D', 'P2W', 'PT24H', 'PT3M', 'PT5S', 'P1DT2H3M4S']) expect(isFixedDuration(t), t).toBe(true);
  });

  it('is false for calendar months and years', () => {
    expect(isFixedDuration('P1M')).toBe(false);
    expect(isFixedDuration('P1Y')).toBe(false);
    expect(isFixedDuration('P1Y2D')).toBe(false);
  });

  it('is false for anything that is not a duration', () => {
    expect(isFixedDuration('P')).toBe(false);
    expect(isFixedDuration('5D')).toBe(false);
    expect(isFixedDuration('five days')).toBe(false);
  });
});

describe('durationMs', () => {
  it.each<[string, number]>([
    ['PT5S', 5 * SECOND],
    ['PT3M', 3 * MINUTE],
    ['PT24H', 24 * HOUR],
    ['PT48H', 48 * HOUR],
    ['P5D', 5 * DAY],
    ['P2W', 14 * DAY],
    ['P1DT2H3M4S', DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND],
    ['PT1.5S', 1500],
    ['P0D', 0],
  ])('%s = %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it('throws a RangeError for months and years', () => {
    expect(() => durationMs('P1M')).toThrow(RangeError);
    expect(() => durationMs('P1M')).toThrow(/no fixed length: P1M/);
    expect(() => durationMs('P1Y')).toThrow(/no fixed length/);
  });

  it('throws a RangeError naming an invalid string', () => {
    for (const t of ['P', 'PT', '5D', 'P1.5D']) {
      expect(() => durationMs(t)).toThrow(RangeError);
      expect(() => durationMs(t)).toThrow(`not an ISO-8601 duration: ${t}`);
    }
  });
});

describe('addDuration', () => {
  const utc = (s: string) => new Date(s);

  it('adds fixed durations to a Date or an epoch number', () => {
    const at = utc('2026-03-10T08:00:00.000Z');
    expect(addDuration(at, 'PT5S').toISOString()).toBe('2026-03-10T08:00:05.000Z');
    expect(addDuration(at.getTime(), 'P5D').toISOString()).toBe('2026-03-15T08:00:00.000Z');
    expect(addDuration(at, 'PT24H').toISOString()).toBe('2026-03-11T08:00:00.000Z');
    expect(addDuration(at, 'P1W').toISOString()).toBe('2026-03-17T08:00:00.000Z');
  });

  it('does not mutate the Date it is given', () => {
    const at = utc('2026-01-31T10:00:00.000Z');
    addDuration(at, 'P1M');
    addDuration(at, 'P1D');
    expect(at.toISOString()).toBe('2026-01-31T10:00:00.000Z');
  });

  it('steps a calendar month and keeps the time of day', () => {
    expect(addDuration(utc('2026-01-15T10:30:00.000Z'), 'P1M').toISOString()).toBe('2026-02-15T10:30:00.000Z');
    expect(addDuration(utc('2026-11-20T00:00:00.000Z'), 'P3M').toISOString()).toBe('2027-02-20T00:00:00.000Z');
  });

  it('clamps Jan 31 + P1M to the last day of February (common and leap years)', () => {
    expect(addDuration(utc('2026-01-31T10:00:00.000Z'), 'P1M').toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addDuration(utc('2024-01-31T10:00:00.000Z'), 'P1M').toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(addDuration(utc('2100-01-31T00:00:00.000Z'), 'P1M').toISOString()).toBe('2100-02-28T00:00:00.000Z');
  });

  it('clamps to 30-day months and across a year end', () => {
    expect(addDuration(utc('2026-03-31T00:00:00.000Z'), 'P1M').toISOString()).toBe('2026-04-30T00:00:00.000Z');
    expect(addDuration(utc('2026-12-31T00:00:00.000Z'), 'P2M').toISOString()).toBe('2027-02-28T00:00:00.000Z');
    expect(addDuration(utc('2026-08-31T00:00:00.000Z'), 'P1M').toISOString()).toBe('2026-09-30T00:00:00.000Z');
  });

  it('adds years as 12 months, clamping Feb 29', () => {
    expect(addDuration(utc('2024-02-29T12:00:00.000Z'), 'P1Y').toISOString()).toBe('2025-02-28T12:00:00.000Z');
    expect(addDuration(utc('2024-02-29T12:00:00.000Z'), 'P4Y').toISOString()).toBe('2028-02-29T12:00:00.000Z');
    expect(addDuration(utc('2026-05-10T00:00:00.000Z'), 'P2Y').toISOString()).toBe('2028-05-10T00:00:00.000Z');
  });

  it('applies months first, then the fixed part', () => {
    expect(addDuration(utc('2026-01-31T00:00:00.000Z'), 'P1M1D').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(addDuration(utc('2026-01-31T23:00:00.000Z'), 'P1MT2H').toISOString()).toBe('2026-03-01T01:00:00.000Z');
  });

  it('throws a RangeError for an invalid duration', () => {
    expect(() => addDuration(0, 'P')).toThrow(RangeError);
    expect(() => addDuration(0, 'P1.5D')).toThrow(/not an ISO-8601 duration/);
  });
});
