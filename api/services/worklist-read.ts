// Reads worklist buckets in due order until a page is full: every query is top-level equalities (FerretDB pushes them down).
import { registerBuckets } from '../../db/worklist-keys';
import type { Models, WorkItemDoc } from '../../db/models';
import { bucketKey, itemKeys, splitsByHour, type Bucket } from '../../domain/worklist-buckets';

export type WorkItemLean = WorkItemDoc & { _id: string };

export interface BucketRead {
  prefixes: string[];
  /** The item conditions besides the scope: visibility, kind, overdue, cursor (the keys only narrow). */
  accept: (item: WorkItemLean) => boolean;
  /** Buckets that cannot hold an accepted item (before the cursor, after today, outside overdue). */
  skip: (b: { from: Date; to: Date; early: boolean }) => boolean;
  limit: number;
  timeZone: string;
}

const order = (a: WorkItemLean, b: WorkItemLean) => a.dueAt!.getTime() - b.dueAt!.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

/** A bucket as the reader holds it; `split` marks a day of an every-branch prefix, read as its hours. */
type ReadBucket = Bucket & { split: boolean };

const FIRST_HOURS = 4;
const byStart = (a: ReadBucket, b: ReadBucket) => a.from.getTime() - b.from.getTime();
const recordIds = (key: string) => ['e', 'n'].map((v) => `${key}|${v}`);

/** One entry per bucket key; `early` if either of its records (early or not) says so. */
function merge(entries: readonly ReadBucket[]): ReadBucket[] {
  const byKey = new Map<string, ReadBucket>();
  for (const e of entries) {
    const k = bucketKey(e.prefix, e.day, e.hour);
    const seen = byKey.get(k);
    if (seen) seen.early ||= e.early;
    else byKey.set(k, { ...e });
  }
  return [...byKey.values()];
}

/**
 * A bucket found empty leaves the registry; looking again after the delete catches an item written meanwhile (its writer
 * registers after writing, so an item written after the second look re-registers by itself).
 */
async function dropEmpty(models: Models, b: ReadBucket, timeZone: string): Promise<void> {
  const key = bucketKey(b.prefix, b.day, b.hour);
  await Promise.all(recordIds(key).map((_id) => models.WorklistBucket.deleteOne({ _id })));
  const late = await models.WorkItem.find({ wl: key, open: true }).lean();
  if (late.length)
    await registerBuckets(
      models,
      late.flatMap((d) => itemKeys(d, timeZone).buckets.filter((x) => x.prefix === b.prefix)),
    );
}

/** A split day's hours; a day with none (all emptied, or of the day layout) goes, and a second look catches a new hour. */
async function hoursOf(models: Models, day: ReadBucket): Promise<ReadBucket[]> {
  const key = bucketKey(day.prefix, day.day);
  const toEntry = (h: { hour?: number | null; from: Date; to: Date; early: boolean }): ReadBucket => ({
    prefix: day.prefix,
    day: day.day,
    hour: h.hour ?? 0,
    from: h.from,
    to: h.to,
    early: h.early,
    split: false,
  });
  const hours = await models.WorklistBucket.find({ prefix: key }).lean();
  if (hours.length) return hours.map(toEntry);
  await Promise.all(recordIds(key).map((_id) => models.WorklistBucket.deleteOne({ _id })));
  const late = await models.WorklistBucket.find({ prefix: key }).lean();
  if (late.length)
    await registerBuckets(
      models,
      late.map((h) => ({ prefix: day.prefix, day: day.day, from: day.from, to: day.to, early: h.early, hour: h.hour ?? 0 })),
    );
  return late.map(toEntry);
}

/** The first `limit + 1` accepted items in (dueAt, _id) order, reading the fewest buckets that settle them. */
export async function readBuckets(models: Models, r: BucketRead): Promise<WorkItemLean[]> {
  const regs = (await Promise.all(r.prefixes.map((prefix) => models.WorklistBucket.find({ prefix }).lean()))).flat();
  const days = regs.map((g): ReadBucket => ({ prefix: g.prefix, day: g.day, from: g.from, to: g.to, early: g.early, split: splitsByHour(g.prefix) }));
  let buckets = merge(days)
    .filter((b) => !r.skip(b))
    .sort(byStart);
  const found = new Map<string, WorkItemLean>();
  let next = 0;
  let round = 1;
  let starts = 0;
  while (next < buckets.length) {
    // Buckets starting at the same instant are read together; a round reads `round` starts.
    const first = next;
    const batch: ReadBucket[] = [];
    for (let n = 0; next < buckets.length && n < round; n++) {
      const from = buckets[next]!.from.getTime();
      while (next < buckets.length && buckets[next]!.from.getTime() === from) batch.push(buckets[next++]!);
    }
    const split = batch.filter((b) => b.split);
    if (split.length) {
      // A split day starts no later than its hours, so putting them in its place keeps the unread buckets in order.
      const hours = merge((await Promise.all(split.map((d) => hoursOf(models, d)))).flat()).filter((b) => !r.skip(b));
      buckets = [...buckets.slice(0, first), ...[...batch.filter((b) => !b.split), ...hours, ...buckets.slice(next)].sort(byStart)];
      next = first;
      // An hour holds about a day's twenty-fourth: a first round of hours reads a few of them.
      if (starts === 0) round = Math.max(round, FIRST_HOURS);
      continue;
    }
    starts += new Set(batch.map((b) => b.from.getTime())).size;
    const read = await Promise.all(batch.map((b) => models.WorkItem.find({ wl: bucketKey(b.prefix, b.day, b.hour), open: true }).lean()));
    await Promise.all(batch.map((b, i) => (read[i]!.length ? undefined : dropEmpty(models, b, r.timeZone))));
    for (const item of read.flat()) if (r.accept(item)) found.set(item._id, item);
    // Next round: as many starts as the accepted items per start so far say the page still needs, at most four times
    // this round's (the oldest bucket is often a partial one); twice as many while none was accepted.
    const perStart = found.size / starts;
    const wanted = Math.ceil(((r.limit + 1 - found.size) / perStart) * 1.25);
    round = perStart > 0 ? Math.min(Math.max(wanted, 1), round * 4) : round * 2;
    const sorted = [...found.values()].sort(order);
    // Unread buckets start no earlier than the next one: items before that instant are final.
    const boundary = next < buckets.length ? buckets[next]!.from.getTime() : Number.POSITIVE_INFINITY;
    if (sorted.length > r.limit && sorted[r.limit]!.dueAt!.getTime() < boundary) return sorted.slice(0, r.limit + 1);
  }
  return [...found.values()].sort(order).slice(0, r.limit + 1);
}
