// ISO-8601 durations as the policy document writes them (P5D, PT24H, PT3M, PT5S, P1M); pure, safe in workflows.

export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const ISO_DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseIsoDuration(text: string): DurationParts | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m) return undefined;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

export function isIsoDuration(text: string): boolean {
  return parseIsoDuration(text) !== undefined;
}

/** True when the duration has a fixed length (no years or months). */
export function isFixedDuration(text: string): boolean {
  const p = parseIsoDuration(text);
  return p !== undefined && p.years === 0 && p.months === 0;
}

/** Milliseconds of a fixed-length duration; years and months have no fixed length, so they throw. */
export function durationMs(text: string): number {
  const p = parseIsoDuration(text);
  if (!p) throw new RangeError(`not an ISO-8601 duration: ${text}`);
  if (p.years || p.months) throw new RangeError(`duration has no fixed length: ${text}`);
  return ((((p.weeks * 7 + p.days) * 24 + p.hours) * 60 + p.minutes) * 60 + p.seconds) * 1000;
}

/** Date.UTC without its two-digit-year quirk (Date.UTC(55, …) is 1955): every year means itself. */
export function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** Adds a duration to an instant; years and months step the calendar month (clamped to its last day, in UTC). */
export function addDuration(at: Date | number, text: string): Date {
  const p = parseIsoDuration(text);
  if (!p) throw new RangeError(`not an ISO-8601 duration: ${text}`);
  const d = new Date(typeof at === 'number' ? at : at.getTime());
  const totalMonths = p.years * 12 + p.months;
  if (totalMonths) {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + totalMonths);
    const lastDay = new Date(utc(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
  }
  const fixed = ((((p.weeks * 7 + p.days) * 24 + p.hours) * 60 + p.minutes) * 60 + p.seconds) * 1000;
  return new Date(d.getTime() + fixed);
}
