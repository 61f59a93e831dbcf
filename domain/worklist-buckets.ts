// Worklist bucket keys: one top-level equality per (role, branch, assignee slot, due day), the only filter FerretDB 1.24 pushes down.
import { localDate, localInstant } from './calendar';
import type { Role } from './roles';

const DAY_MS = 86_400_000;
/** Bumped when the key layout changes: items of another version are re-keyed by the startup backfill. */
export const WORKLIST_KEYS_VERSION = 1;
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
  /** Some item in it shows before the bucket starts (a complaint step shows from its start, due days later). */
  early: boolean;
}

export const bucketKey = (prefix: string, day: string) => `${prefix}|${day}`;
export const bucketId = (b: Pick<Bucket, 'prefix' | 'day' | 'early'>) => `${bucketKey(b.prefix, b.day)}|${b.early ? 'e' : 'n'}`;
export const scopePrefix = (role: string, branch: string, slot: string) => `${role}|${branch}|${slot}`;

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
  return { keys: prefixes.map((p) => bucketKey(p, day)), buckets: prefixes.map((prefix) => ({ prefix, day, from, to, early })) };
}

/** The prefixes a reader asks: every role × its branches (or any) × its assignee slots (or any). */
export function readerPrefixes(roles: readonly Role[], branches: readonly string[] | undefined, slots: readonly string[] | undefined): string[] {
  const bs = branches ?? [ANY];
  const ss = slots ?? [ANY];
  return roles.flatMap((r) => bs.flatMap((b) => ss.map((s) => scopePrefix(r, b, s))));
}
