// The bare workflow's one activity: an idempotent insert stamped with the time it reached the database.
import type { Connection } from 'mongoose';

export const BARE_COLLECTION = 'bench_bare_stamps';

export function createBareActivities(db: Connection) {
  const stamps = db.collection<{ _id: string; dueAt: Date; recordedAt: Date }>(BARE_COLLECTION);
  return {
    async stamp(id: string, dueAt: number): Promise<void> {
      await stamps.updateOne({ _id: id }, { $setOnInsert: { dueAt: new Date(dueAt), recordedAt: new Date() } }, { upsert: true });
    },
  };
}
