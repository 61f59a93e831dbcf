// Keeps each worklist item's bucket keys and the bucket registry in step with the item; every writer of an item calls it.
import { itemKeys, registryRecords, WORKLIST_KEYS_VERSION, type Bucket, type RegistryRecord } from '../domain/worklist-buckets';
import { insertOnce, type Models } from './models';

/** Records that a bucket may hold items; written after the item, so a reader deleting it concurrently re-checks. */
export async function registerBuckets(models: Models, buckets: readonly Bucket[]): Promise<void> {
  const chains = new Map<string, RegistryRecord[]>();
  for (const b of buckets) {
    const records = registryRecords(b);
    chains.set(records[0]!._id, records);
  }
  // Plain inserts-if-missing keyed by _id: FerretDB 1.24 updates a document by read-modify-write, so no array grows here.
  const upsert = ({ _id, ...fields }: RegistryRecord) => insertOnce(() => models.WorklistBucket.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true }));
  await Promise.all(
    [...chains.values()].map(async (records) => {
      // An hour already there has its day there too: a reader drops a day only when it finds no hours, and looks again.
      for (const r of records) if (!(await upsert(r))) return;
    }),
  );
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
      for (const b of buckets) touched.set(registryRecords(b)[0]!._id, b);
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
