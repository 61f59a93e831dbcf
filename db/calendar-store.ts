// Working-day calendars as versioned data: one document per year, seeded from `chinese-days`, republished by admin.
import { createHash } from 'node:crypto';
import data from 'chinese-days/dist/chinese-days.json';
import pkg from 'chinese-days/package.json';
import type { YearCalendar } from '../domain/calendar';
import { isDuplicateKey, type Models } from './models';

export interface CalendarDays {
  publicHolidays: { date: string; name: string }[];
  makeUpWorkingDays: string[];
}

export interface StoredCalendar extends YearCalendar {
  source: string;
  publishedBy: string;
  publishedAt: string;
}

/** Who wrote the seeded documents and from which data. */
export const SEED_SOURCE = `chinese-days@${pkg.version}`;
export const SEED_AUTHOR = 'system:seed';

/** One year of China's public holidays and make-up working days (调休) from the bundled `chinese-days` data. */
export function chineseCalendarYear(year: number): CalendarDays {
  const inYear = (d: string) => d.startsWith(`${year}-`);
  const name = (v: string) => v.split(',')[0]!;
  return {
    publicHolidays: Object.entries(data.holidays as Record<string, string>)
      .filter(([d]) => inYear(d))
      .map(([date, v]) => ({ date, name: name(v) }))
      .sort((a, b) => a.date.localeCompare(b.date)),
    makeUpWorkingDays: Object.keys(data.workdays as Record<string, string>)
      .filter(inYear)
      .sort(),
  };
}

/** Every year the bundled data lists holidays for. */
export function chineseCalendarYears(): number[] {
  return [...new Set(Object.keys(data.holidays as Record<string, string>).map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
}

/** Order-independent fingerprint of a year's days: the same days published twice are the same version. */
export function calendarHash(days: CalendarDays): string {
  const holidays = days.publicHolidays.map((h) => `${h.date} ${h.name}`).sort();
  const workdays = [...days.makeUpWorkingDays].sort();
  return createHash('sha256')
    .update(JSON.stringify([holidays, workdays]))
    .digest('hex');
}

type Lean = { _id: string; year: number; version: number; source: string; publicHolidays?: CalendarDays['publicHolidays']; makeUpWorkingDays?: string[] };

export function storedCalendar(doc: Lean & { publishedBy: string; publishedAt: Date }): StoredCalendar {
  return {
    year: doc.year,
    version: doc.version,
    source: doc.source,
    // An empty list may come back absent (mongoose leaves empty arrays out of $setOnInsert).
    publicHolidays: (doc.publicHolidays ?? []).map((h) => ({ date: h.date, name: h.name })),
    makeUpWorkingDays: [...(doc.makeUpWorkingDays ?? [])],
    publishedBy: doc.publishedBy,
    publishedAt: doc.publishedAt.toISOString(),
  };
}

export async function readCalendar(models: Models, year: number): Promise<StoredCalendar | undefined> {
  const doc = await models.Calendar.findById(String(year)).lean();
  return doc ? storedCalendar(doc as never) : undefined;
}

export interface PublishInput extends CalendarDays {
  year: number;
  source: string;
  by: string;
}

/**
 * Stores a year's calendar: the first publication is version 1, different days make the next version, the same days
 * change nothing. Conditional on the version read, so two publishers never both win; the history entry is pushed in
 * the same single-document write.
 */
export async function publishCalendar(models: Models, input: PublishInput): Promise<{ calendar: StoredCalendar; created: boolean; changed: boolean }> {
  const id = String(input.year);
  const contentHash = calendarHash(input);
  const days = { publicHolidays: input.publicHolidays, makeUpWorkingDays: input.makeUpWorkingDays };
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await models.Calendar.findById(id).lean();
    if (current && current.contentHash === contentHash) return { calendar: storedCalendar(current as never), created: false, changed: false };
    const version = (current?.version ?? 0) + 1;
    const publishedAt = new Date();
    const entry = {
      version,
      source: input.source,
      by: input.by,
      at: publishedAt,
      contentHash,
      holidays: input.publicHolidays.length,
      makeUpDays: input.makeUpWorkingDays.length,
    };
    const set = { year: input.year, version, source: input.source, ...days, contentHash, publishedBy: input.by, publishedAt };
    try {
      const res = current
        ? await models.Calendar.updateOne({ _id: id, version: current.version }, { $set: set, $push: { history: entry } })
        : await models.Calendar.updateOne({ _id: id }, { $setOnInsert: { ...set, history: [entry] } }, { upsert: true });
      if (current ? res.modifiedCount === 1 : res.upsertedCount === 1) {
        return {
          calendar: { year: input.year, version, ...days, source: input.source, publishedBy: input.by, publishedAt: publishedAt.toISOString() },
          created: !current,
          changed: true,
        };
      }
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // Someone else published in between: read again and decide on their version.
  }
  throw new Error(`calendar ${input.year} kept changing while it was published`);
}

/** Inserts every bundled year that has no document yet (never overwrites a published one); answers the years inserted. */
export async function seedCalendars(models: Models, years: number[] = chineseCalendarYears()): Promise<number[]> {
  const inserted: number[] = [];
  for (const year of years) {
    if (await models.Calendar.exists({ _id: String(year) })) continue;
    const { created } = await publishCalendar(models, { year, ...chineseCalendarYear(year), source: SEED_SOURCE, by: SEED_AUTHOR });
    if (created) inserted.push(year);
  }
  return inserted;
}
