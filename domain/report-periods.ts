// Which day, week, month or year a scheduled summary covers: the last complete one before "now", in the policy's zone.
import { localDate, localInstant } from './calendar';
import { utc } from './duration';

export const SUMMARY_PERIODS = ['daily', 'weekly', 'monthly', 'yearly'] as const;
export type SummaryPeriod = (typeof SUMMARY_PERIODS)[number];

export interface ReportWindow {
  period: SummaryPeriod;
  /** First local date of the window, the summary's natural key with the period. */
  label: string;
  from: number;
  to: number;
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function previousWindow(period: SummaryPeriod, now: number, timeZone: string): ReportWindow {
  const today = localDate(now, timeZone);
  let start: string;
  let end: string;
  if (period === 'daily') {
    start = shiftDate(today, -1);
    end = today;
  } else if (period === 'weekly') {
    // Weeks run Monday to Sunday; the summary covers the last finished one.
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
    end = shiftDate(today, -weekday);
    start = shiftDate(end, -7);
  } else if (period === 'yearly') {
    end = `${today.slice(0, 4)}-01-01`;
    start = `${Number(today.slice(0, 4)) - 1}-01-01`;
  } else {
    const [y, m] = today.split('-').map(Number) as [number, number];
    end = `${today.slice(0, 8)}01`;
    const prev = new Date(utc(y, m - 2, 1)).toISOString().slice(0, 10);
    start = prev;
  }
  return { period, label: start, from: localInstant(start, 0, timeZone), to: localInstant(end, 0, timeZone) };
}
