// Working-day calendar of the policy (weekends, public holidays, make-up working days) as pure functions.
// No IO, no Node built-ins, no npm imports: it runs inside the Temporal workflow sandbox, so every answer
// depends only on its arguments. Intl.DateTimeFormat (with an explicit timeZone) is the only zone source.
import type { CalendarPolicy } from './policy';
import { durationMs, parseIsoDuration, utc } from './duration';

/** A policy date, 'YYYY-MM-DD', always meant in the calendar's time zone. */
export type LocalDate = string;

/** One holiday greeting: the first day of a holiday run and the instant the greeting call is due. */
export interface HolidayGreeting {
  date: LocalDate;
  name: string;
  at: number;
}

/** Greeting calls are made during office hours; 10:00 local is early in the day but not at opening time. */
export const DEFAULT_GREETING_HOUR = 10;

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Bounds every day-by-day walk so a calendar that declares every day a holiday throws instead of looping.
const MAX_DAYS_SEARCHED = 3660;

// One formatter per zone: constructing Intl formatters is slow and they are immutable, so sharing is safe.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // h23 so midnight is 00, never the 24 some engines print with hour12: false.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone, read as if that wall clock were UTC (epoch ms, whole seconds). */
function wallClockAsUtc(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') fields[p.type] = Number(p.value);
  }
  const get = (k: string) => fields[k] ?? 0;
  return utc(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
}

/** Offset of the zone from UTC at an instant, in ms (Asia/Shanghai: +8 h); sub-second part of the instant ignored. */
function zoneOffset(instant: number, timeZone: string): number {
  return wallClockAsUtc(instant, timeZone) - Math.floor(instant / 1000) * 1000;
}

/** Parses 'YYYY-MM-DD' to midnight UTC of that date; rejects anything else so a typo never means "no holiday". */
function dateToUtcMidnight(date: LocalDate): number {
  const m = DATE_RE.exec(date);
  const ms = m ? utc(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || utcMidnightToDate(ms) !== date) throw new RangeError(`not a date YYYY-MM-DD: ${date}`);
  return ms;
}

function isDate(date: string): boolean {
  try {
    dateToUtcMidnight(date);
    return true;
  } catch {
    return false;
  }
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

function utcMidnightToDate(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The calendar date after `date`; pure date arithmetic, so no zone and no DST is involved. */
function nextDate(date: LocalDate): LocalDate {
  return utcMidnightToDate(dateToUtcMidnight(date) + DAY_MS);
}

/** The local date ('YYYY-MM-DD') of an instant in a zone: the date the customer and staff see on the wall. */
export function localDate(instant: number, timeZone: string): LocalDate {
  return utcMidnightToDate(Math.floor(wallClockAsUtc(instant, timeZone) / DAY_MS) * DAY_MS);
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` plus `msOfDay`.
 * Two passes of the offset so a DST change between the guess and the answer is honoured; a wall time skipped by a
 * spring-forward moves later by the size of the gap, one repeated by a fall-back gets one of its two instants.
 */
export function localInstant(date: LocalDate, msOfDay: number, timeZone: string): number {
  const wall = dateToUtcMidnight(date) + msOfDay;
  const first = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(first, timeZone);
  return second;
}

/** Working day per policy: a make-up working day (调休) works even on a weekend; holidays and weekends do not. */
export function isWorkingDay(date: LocalDate, cal: CalendarPolicy): boolean {
  const weekday = new Date(dateToUtcMidnight(date)).getUTCDay();
  if (cal.makeUpWorkingDays.includes(date)) return true;
  if (cal.publicHolidays.some((h) => h.date === date)) return false;
  return !cal.weekends.includes(weekday);
}

/**
 * "About N days": a due instant on a weekend or public holiday moves forward whole local days to the next working
 * day, keeping its local time of day (computed via the zone offset, so DST zones keep the wall clock too).
 * Unchanged when the policy turns shifting off or the day already is a working day.
 */
export function shiftToWorkingDay(instant: number, cal: CalendarPolicy): number {
  if (!cal.shiftToWorkingDay) return instant;
  let date = localDate(instant, cal.timeZone);
  if (isWorkingDay(date, cal)) return instant;
  // Wall-clock time of day (not elapsed time since midnight), so a DST day still keeps e.g. 09:30.
  const msOfDay = mod(wallClockAsUtc(instant, cal.timeZone), DAY_MS) + mod(instant, 1000);
  for (let i = 0; i < MAX_DAYS_SEARCHED; i++) {
    date = nextDate(date);
    if (isWorkingDay(date, cal)) return localInstant(date, msOfDay, cal.timeZone);
  }
  throw new RangeError(`no working day within ${MAX_DAYS_SEARCHED} days after ${date}`);
}

/**
 * Working time: `ms` counted only on working days (whole local days), so a clock started before a weekend or holiday
 * runs on after it and never ends inside one; a clock that would end exactly at midnight ends at the next working day's start.
 */
export function addWorkingTime(start: number, ms: number, cal: CalendarPolicy): number {
  let date = localDate(start, cal.timeZone);
  let cursor = start;
  let left = ms;
  for (let i = 0; i < MAX_DAYS_SEARCHED; i++) {
    const next = nextDate(date);
    const dayEnd = localInstant(next, 0, cal.timeZone);
    if (isWorkingDay(date, cal)) {
      if (cursor + left < dayEnd) return cursor + left;
      left -= dayEnd - cursor;
    }
    date = next;
    cursor = dayEnd;
  }
  throw new RangeError(`no working time left within ${MAX_DAYS_SEARCHED} days after ${localDate(start, cal.timeZone)}`);
}

/**
 * Holiday greetings due in [fromInstant, toInstant): one per holiday name per run of consecutive holiday dates
 * (a 7-day National Day is one call, on its first day), due at `greetingHour`:00 local time of that day.
 * A greeting belongs to the window containing its `at`, so consecutive windows never greet one run twice; a run
 * already under way at `fromInstant` is not greeted. A run holding two names (2025: National Day with Mid-Autumn
 * inside) greets each name once, on the first day it appears.
 */
export function holidaysBetween(fromInstant: number, toInstant: number, cal: CalendarPolicy, greetingHour: number = DEFAULT_GREETING_HOUR): HolidayGreeting[] {
  const byDate = new Map<LocalDate, string[]>();
  for (const h of cal.publicHolidays) {
    const names = byDate.get(h.date) ?? [];
    if (!names.includes(h.name)) names.push(h.name);
    byDate.set(h.date, names);
  }
  const dates = [...byDate.keys()].sort();
  const out: HolidayGreeting[] = [];
  let greetedInRun = new Set<string>();
  let previous: LocalDate | undefined;
  for (const date of dates) {
    // A gap of one or more days ends the run: the next run greets its names again.
    if (previous === undefined || nextDate(previous) !== date) greetedInRun = new Set();
    previous = date;
    for (const name of byDate.get(date) ?? []) {
      if (greetedInRun.has(name)) continue;
      greetedInRun.add(name);
      const at = localInstant(date, greetingHour * 3_600_000, cal.timeZone);
      if (at >= fromInstant && at < toInstant) out.push({ date, name, at });
    }
  }
  return out;
}

/** Years the policy lists public holidays for: a due date in any other year is shifted past weekends only. */
export function holidayYears(cal: CalendarPolicy): number[] {
  return [...new Set(cal.publicHolidays.map((h) => Number(h.date.slice(0, 4))))].sort((a, b) => a - b);
}

/** Contradictions in the calendar data a schema cannot see (a date both a holiday and a make-up working day). */
export function calendarProblems(cal: CalendarPolicy): string[] {
  const problems: string[] = [];
  const holidays = new Set(cal.publicHolidays.map((h) => h.date));
  for (const h of cal.publicHolidays) {
    if (!isDate(h.date)) problems.push(`${h.date} (${h.name}) is not a calendar date`);
  }
  for (const d of cal.makeUpWorkingDays) {
    if (!isDate(d)) problems.push(`${d} (make-up working day) is not a calendar date`);
    else if (holidays.has(d)) problems.push(`${d} is both a public holiday and a make-up working day`);
    else if (!cal.weekends.includes(new Date(dateToUtcMidnight(d)).getUTCDay())) problems.push(`${d} is a make-up working day but not a weekend day`);
  }
  return problems;
}

/**
 * Adds an ISO duration in the calendar's zone: years and months step the local date (clamped to the month's last
 * day, same wall time), the rest is fixed time. Monthly calls then land on the customer's date, not UTC's.
 */
export function addDurationInZone(instant: number, iso: string, timeZone: string): number {
  const parts = parseIsoDuration(iso);
  if (!parts) throw new RangeError(`not an ISO-8601 duration: ${iso}`);
  const months = parts.years * 12 + parts.months;
  let at = instant;
  if (months) {
    const date = localDate(instant, timeZone);
    const msOfDay = instant - localInstant(date, 0, timeZone);
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const first = new Date(utc(y, m - 1 + months, 1));
    const lastDay = new Date(utc(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    const target = new Date(utc(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, lastDay))).toISOString().slice(0, 10);
    at = localInstant(target, msOfDay, timeZone);
  }
  return at + durationMs(`P${parts.weeks}W${parts.days}DT${parts.hours}H${parts.minutes}M${parts.seconds}S`);
}

/** One year's published calendar (public holidays and make-up working days), versioned outside the frozen policy. */
export interface YearCalendar {
  year: number;
  version: number;
  publicHolidays: { date: LocalDate; name: string }[];
  makeUpWorkingDays: LocalDate[];
}

const inYear = (year: number) => (d: string) => d.startsWith(`${year}-`);

/**
 * The policy's calendar with each given year's days replaced by that year's published calendar; years without one
 * keep what the policy lists (nothing, for a year it does not cover: weekends only).
 */
export function withYearCalendars(base: CalendarPolicy, years: readonly YearCalendar[]): CalendarPolicy {
  if (!years.length) return base;
  const replaced = new Set(years.map((y) => y.year));
  const kept = (d: string) => !replaced.has(Number(d.slice(0, 4)));
  return {
    ...base,
    publicHolidays: [...base.publicHolidays.filter((h) => kept(h.date)), ...years.flatMap((y) => y.publicHolidays.filter((h) => inYear(y.year)(h.date)))],
    makeUpWorkingDays: [...base.makeUpWorkingDays.filter(kept), ...years.flatMap((y) => y.makeUpWorkingDays.filter(inYear(y.year)))],
  };
}

/** What a year's calendar may not contain: a date outside the year, a duplicate, or the contradictions of calendarProblems. */
export function yearCalendarProblems(year: number, days: Pick<YearCalendar, 'publicHolidays' | 'makeUpWorkingDays'>, weekends: number[]): string[] {
  const problems: string[] = [];
  const dates = [...days.publicHolidays.map((h) => h.date), ...days.makeUpWorkingDays];
  for (const d of dates) if (!inYear(year)(d)) problems.push(`${d} is not in ${year}`);
  const holidayKeys = days.publicHolidays.map((h) => `${h.date} ${h.name}`);
  if (new Set(holidayKeys).size !== holidayKeys.length) problems.push('a public holiday is listed twice');
  if (new Set(days.makeUpWorkingDays).size !== days.makeUpWorkingDays.length) problems.push('a make-up working day is listed twice');
  const cal: CalendarPolicy = {
    timeZone: 'UTC',
    weekends,
    publicHolidays: days.publicHolidays,
    makeUpWorkingDays: days.makeUpWorkingDays,
    shiftToWorkingDay: true,
  };
  return [...problems, ...calendarProblems(cal)];
}

/**
 * Which calendar decides the working days of a year: its published version, the policy's own list for the years the
 * policy covers, or none (weekends only).
 */
export function calendarVersionOf(year: number, years: readonly YearCalendar[], policyCalendar: CalendarPolicy, policyVersion: string): string {
  const published = years.find((y) => y.year === year);
  if (published) return `${year}-v${published.version}`;
  return holidayYears(policyCalendar).includes(year) ? `policy-${policyVersion}` : 'weekends-only';
}

/** The local year of an instant in a zone. */
export function localYear(instant: number, timeZone: string): number {
  return Number(localDate(instant, timeZone).slice(0, 4));
}

/** Wire name of the signal that tells a running schedule a year's calendar was published (workflows and activities share it). */
export const CALENDAR_PUBLISHED_SIGNAL = 'calendarPublished';
