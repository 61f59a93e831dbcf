// FerretDB 1.24 deadlocks for good once more updates run at once than half its PostgreSQL pool; our cap keeps under it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/models';
import { freshDatabase, type TestDatabase } from '../support/harness';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db?.close());

describe('the database connection', () => {
  it('keeps answering 300 callers updating for 10 s through one connection (FerretDB never exhausts its pool)', { timeout: 120_000 }, async () => {
    const conn = await connectDatabase(db.uri);
    const probe = conn.collection<{ _id: string; n: number }>('pool_probe');
    const until = Date.now() + 10_000;
    let done = 0;
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        while (Date.now() < until) {
          await probe.updateOne({ _id: `k${i % 60}` }, { $set: { n: done } }, { upsert: true });
          done++;
        }
      }),
    );
    // A deadlocked FerretDB answers nothing: this read (and the loop above) would run into the test's timeout.
    expect(await probe.countDocuments({})).toBe(60);
    expect(done).toBeGreaterThan(300);
    await conn.close();
  });
});
