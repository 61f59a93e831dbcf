// Keeps each worklist item's bucket keys and the bucket registry in step with the item; every writer of an item calls it.
import { bucketId, itemKeys, WORKLIST_KEYS_VERSION, type Bucket } from '../domain/worklist-buckets';
import { insertOnce, type Models } from './models';

/** Records that a bucket may hold items; written after the item, so a reader deleting it concurrently re-checks. */
export async function registerBuckets(models: Models, buckets: readonly Bucket[]): Promise<void> {
  await Promise.all(buckets.map((b) => insertOnce(() => models.WorklistBucket.updateOne({ _id: bucketId(b) }, { $setOnInsert: { ...b } }, { upsert: true }))));
}

const sameKeys = (a: readonly string[] | null | undefined, b: readonly string[]) => Boolean(a) && a!.length === b.length && a!.every((k, i) => k === b[i]);

/**
 * Recomputes the keys of the items matching `filter` from their stored state. The update is guarded by the fields the
 * keys derive from, so a key computed from a state another writer has since changed is not written (that writer re-keys).
 */
export async function rekeyItems(models: Models, timeZone: string, filter: Record<string, unknown>): Promise<number> {
  const { WorkItem } = models;
  let changed = 0;
  const touched = new Map<string, Bucket>();
  for (let attempt = 0; attempt < 3; attempt++) {
    const docs = await WorkItem.find(filter, { open: 1, roles: 1, branch: 1, assignee: 1, dueAt: 1, visibleFrom: 1, wl: 1, wlv: 1 }).lean();
    let stale = false;
    for (const d of docs) {
      const { keys, buckets } = itemKeys(d, timeZone);
      if (d.wlv === WORKLIST_KEYS_VERSION && sameKeys(d.wl, keys)) continue;
      const guard = {
        _id: d._id,
        open: d.open,
        roles: d.roles,
        branch: d.branch ?? null,
        assignee: d.assignee ?? null,
        dueAt: d.dueAt ?? null,
        visibleFrom: d.visibleFrom ?? null,
      };
      const res = await WorkItem.updateOne(guard, { $set: { wl: keys, wlv: WORKLIST_KEYS_VERSION } });
      if (res.matchedCount === 0) {
        stale = true;
        continue;
      }
      changed++;
      for (const b of buckets) touched.set(bucketId(b), b);
    }
    if (!stale) break;
  }
  await registerBuckets(models, [...touched.values()]);
  return changed;
}

/** Keys the open items written before bucket keys existed (or under an older layout); run at API start, idempotent. */
export async function backfillWorklistKeys(models: Models, timeZone: string): Promise<number> {
  return rekeyItems(models, timeZone, { open: true, wlv: { $ne: WORKLIST_KEYS_VERSION } });
}
