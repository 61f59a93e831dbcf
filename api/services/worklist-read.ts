// Reads worklist buckets in due order until a page is full: every query is top-level equalities (FerretDB pushes them down).
import { registerBuckets } from '../../db/worklist-keys';
import type { Models, WorkItemDoc } from '../../db/models';
import { bucketKey, itemKeys } from '../../domain/worklist-buckets';

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

/**
 * A bucket found empty leaves the registry; looking again after the delete catches an item written meanwhile (its writer
 * registers after writing, so an item written after the second look re-registers by itself).
 */
async function dropEmpty(models: Models, prefix: string, day: string, timeZone: string): Promise<void> {
  await Promise.all(['e', 'n'].map((v) => models.WorklistBucket.deleteOne({ _id: `${bucketKey(prefix, day)}|${v}` })));
  const late = await models.WorkItem.find({ wl: bucketKey(prefix, day), open: true }).lean();
  if (late.length)
    await registerBuckets(
      models,
      late.flatMap((d) => itemKeys(d, timeZone).buckets.filter((b) => b.prefix === prefix)),
    );
}

/** The first `limit + 1` accepted items in (dueAt, _id) order, reading the fewest buckets that settle them. */
export async function readBuckets(models: Models, r: BucketRead): Promise<WorkItemLean[]> {
  const regs = (await Promise.all(r.prefixes.map((prefix) => models.WorklistBucket.find({ prefix }).lean()))).flat();
  // One entry per (prefix, day); `early` if either registry record says so.
  const byKey = new Map<string, { prefix: string; day: string; from: Date; to: Date; early: boolean }>();
  for (const g of regs) {
    const k = bucketKey(g.prefix, g.day);
    const seen = byKey.get(k);
    if (seen) seen.early ||= g.early;
    else byKey.set(k, { prefix: g.prefix, day: g.day, from: g.from, to: g.to, early: g.early });
  }
  const buckets = [...byKey.values()].filter((b) => !r.skip(b)).sort((a, b) => a.from.getTime() - b.from.getTime());
  const found = new Map<string, WorkItemLean>();
  let next = 0;
  let round = 1;
  while (next < buckets.length) {
    // Buckets starting at the same instant are read together, and each round reads twice as many starts as the last.
    const batch: typeof buckets = [];
    for (let starts = 0; next < buckets.length && starts < round; starts++) {
      const from = buckets[next]!.from.getTime();
      while (next < buckets.length && buckets[next]!.from.getTime() === from) batch.push(buckets[next++]!);
    }
    round *= 2;
    const read = await Promise.all(batch.map((b) => models.WorkItem.find({ wl: bucketKey(b.prefix, b.day), open: true }).lean()));
    await Promise.all(batch.map((b, i) => (read[i]!.length ? undefined : dropEmpty(models, b.prefix, b.day, r.timeZone))));
    for (const item of read.flat()) if (r.accept(item)) found.set(item._id, item);
    const sorted = [...found.values()].sort(order);
    // Unread buckets start no earlier than the next one: items before that instant are final.
    const boundary = next < buckets.length ? buckets[next]!.from.getTime() : Number.POSITIVE_INFINITY;
    if (sorted.length > r.limit && sorted[r.limit]!.dueAt!.getTime() < boundary) return sorted.slice(0, r.limit + 1);
  }
  return [...found.values()].sort(order).slice(0, r.limit + 1);
}
