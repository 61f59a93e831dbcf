// Worklist bucket keys: one top-level equality per (role, branch, assignee slot, due day), the only filter FerretDB 1.24 pushes down.
import { localDate, localInstant } from './calendar';
import type { Role } from './roles';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Bumped when the key layout changes: items of another version are re-keyed by the startup backfill. */
export const WORKLIST_KEYS_VERSION = 2;
/** Slot of an item nobody is assigned to (the assistants' pool), and the wildcard for "any assignee" / "any branch". */
export const POOL = '-';
export const ANY = '*';
/** Branch part of an item without a branch (a hotline complaint before triage). */
export const NO_BRANCH = '~';
/** Zone of the buckets when a writer has no policy (tests): boundaries move, order does not (readers use instants). */
export const FALLBACK_BUCKET_ZONE = 'UTC';

export interface KeyedFacts {
  open: boolean;
  roles?: readonly string[] | null;
  branch?: string | null;
  assignee?: string | null;
  dueAt?: Date | null;
  visibleFrom?: Date | null;
}

/** One due bucket of one scope prefix, as the registry records it. */
export interface Bucket {
  prefix: string;
  day: string;
  from: Date;
  to: Date;
  /** Some item in it shows before its due day starts (a complaint step shows from its start, due days later). */
  early: boolean;
  /** Hour of the day (from the day's start) for an every-branch prefix, whose day would hold hundreds of items. */
  hour?: number;
}

export const bucketKey = (prefix: string, day: string, hour?: number) =>
  hour === undefined ? `${prefix}|${day}` : `${prefix}|${day}|${String(hour).padStart(2, '0')}`;
export const scopePrefix = (role: string, branch: string, slot: string) => `${role}|${branch}|${slot}`;
/** Every-branch prefixes are split by hour: a reader of all branches then decodes about one page, not a whole day. */
export const splitsByHour = (prefix: string) => prefix.split('|')[1] === ANY;

/** The instants an hour of a bucket's day spans (a DST day has 23 or 25 of them). */
export function hourSpan(day: { from: Date; to: Date }, hour: number): { from: Date; to: Date } {
  const from = day.from.getTime() + hour * HOUR_MS;
  return { from: new Date(from), to: new Date(Math.min(from + HOUR_MS, day.to.getTime())) };
}

/** A registry record: a day under its scope prefix, or an hour of a split day under the day's key (`prefix` holds it). */
export interface RegistryRecord {
  _id: string;
  prefix: string;
  day: string;
  hour?: number;
  from: Date;
  to: Date;
  early: boolean;
}

const recordId = (key: string, early: boolean) => `${key}|${early ? 'e' : 'n'}`;

/** The day's record of a bucket (one per prefix, day and early). */
export function dayRecord(b: Bucket): RegistryRecord {
  return { _id: recordId(bucketKey(b.prefix, b.day), b.early), prefix: b.prefix, day: b.day, from: b.from, to: b.to, early: b.early };
}

/**
 * What registering a bucket writes, in order: a split day's hour first, then the day (a reader that finds a day without
 * hours drops the day and looks again, so an hour written before that second look is seen, one written after re-adds the day).
 */
export function registryRecords(b: Bucket): RegistryRecord[] {
  if (b.hour === undefined) return [dayRecord(b)];
  const hour: RegistryRecord = {
    _id: recordId(bucketKey(b.prefix, b.day, b.hour), b.early),
    prefix: bucketKey(b.prefix, b.day),
    day: b.day,
    hour: b.hour,
    ...hourSpan(b, b.hour),
    early: b.early,
  };
  return [hour, dayRecord(b)];
}

/** The scope prefixes an open item is found under: its own branch or any, its own assignee slot or any, per role. */
export function itemPrefixes(item: KeyedFacts): string[] {
  if (!item.open || !item.dueAt || !item.roles?.length) return [];
  const branch = item.branch || NO_BRANCH;
  const slot = item.assignee || POOL;
  return [...new Set(item.roles)].flatMap((r) => [
    scopePrefix(r, branch, slot),
    scopePrefix(r, branch, ANY),
    scopePrefix(r, ANY, slot),
    scopePrefix(r, ANY, ANY),
  ]);
}

/** The due bucket of an instant: its local day in `timeZone`, with the instants the day starts and ends. */
export function dueBucket(dueAt: number, timeZone: string): { day: string; from: Date; to: Date } {
  const day = localDate(dueAt, timeZone);
  const from = localInstant(day, 0, timeZone);
  return { day, from: new Date(from), to: new Date(localInstant(day, DAY_MS, timeZone)) };
}

/** The keys an item carries (`wl`) and the buckets they fall in; a settled item carries none. */
export function itemKeys(item: KeyedFacts, timeZone: string): { keys: string[]; buckets: Bucket[] } {
  const prefixes = itemPrefixes(item);
  if (!prefixes.length) return { keys: [], buckets: [] };
  const { day, from, to } = dueBucket(item.dueAt!.getTime(), timeZone);
  const early = Boolean(item.visibleFrom && item.visibleFrom.getTime() < from.getTime());
  const hour = Math.floor((item.dueAt!.getTime() - from.getTime()) / HOUR_MS);
  const buckets = prefixes.map((prefix): Bucket => ({ prefix, day, from, to, early, ...(splitsByHour(prefix) ? { hour } : {}) }));
  return { keys: buckets.map((b) => bucketKey(b.prefix, b.day, b.hour)), buckets };
}

/** The prefixes a reader asks: every role × its branches (or any) × its assignee slots (or any). */
export function readerPrefixes(roles: readonly Role[], branches: readonly string[] | undefined, slots: readonly string[] | undefined): string[] {
  const bs = branches ?? [ANY];
  const ss = slots ?? [ANY];
  return roles.flatMap((r) => bs.flatMap((b) => ss.map((s) => scopePrefix(r, b, s))));
}
