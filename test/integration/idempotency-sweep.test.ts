// Idempotency keys expire by an explicit, bounded sweep (FerretDB has no TTL indexes); run against real FerretDB.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIdempotency, startIdempotencySweeper, sweepIdempotencyKeys } from '../../api/idempotency';
import { AppError } from '../../api/errors';
import { freshDatabase, type TestDatabase } from '../support/harness';

let db: TestDatabase;
const HOUR = 3_600_000;
const now = new Date('2026-11-25T12:00:00Z');

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function seed(prefix: string, count: number, ageMs: number, state = 'done'): Promise<void> {
  const claimedAt = new Date(now.getTime() - ageMs);
  await db.models.Idempotency.insertMany(Array.from({ length: count }, (_, i) => ({ _id: `${prefix}-${i}`, requestHash: 'h', state, claimedAt })));
}

it('deletes keys older than the TTL (done or abandoned) and keeps younger ones', async () => {
  await seed('old', 7, 25 * HOUR);
  await seed('abandoned', 2, 30 * HOUR, 'pending');
  await seed('young', 5, 23 * HOUR);
  const deleted = await sweepIdempotencyKeys(db.models, { ttlMs: 24 * HOUR, batch: 3, now: () => now });
  expect(deleted).toBe(9);
  const left = (await db.models.Idempotency.find({}, { _id: 1 }).lean()).map((d) => d._id).sort();
  expect(left).toEqual(['young-0', 'young-1', 'young-2', 'young-3', 'young-4']);
  // A second sweep finds nothing more: deletes are idempotent, two replicas sweeping at once do no harm.
  expect(await sweepIdempotencyKeys(db.models, { ttlMs: 24 * HOUR, now: () => now })).toBe(0);
  await db.models.Idempotency.deleteMany({});
});

it('is bounded: one sweep deletes at most batch × maxBatches keys, the next sweep continues', async () => {
  await seed('many', 10, 48 * HOUR);
  expect(await sweepIdempotencyKeys(db.models, { ttlMs: 24 * HOUR, batch: 3, maxBatches: 2, now: () => now })).toBe(6);
  expect(await db.models.Idempotency.countDocuments()).toBe(4);
  expect(await sweepIdempotencyKeys(db.models, { ttlMs: 24 * HOUR, batch: 3, maxBatches: 2, now: () => now })).toBe(4);
  expect(await db.models.Idempotency.countDocuments()).toBe(0);
});

it('an expired key is forgotten: its repeat runs again; a live key still answers from the store', async () => {
  const once = createIdempotency(db.models);
  let runs = 0;
  const call = (key: string) => ({ key, requestHash: 'body', mismatch: () => new AppError('IDEMPOTENCY_KEY_REUSED', 'x'), run: async () => ++runs });
  expect((await once(call('k-live'))).value).toBe(1);
  expect((await once(call('k-live'))).replayed).toBe(true);
  // Sweeping "a day and a minute later" forgets it.
  const later = () => new Date(Date.now() + 24 * HOUR + 60_000);
  expect(await sweepIdempotencyKeys(db.models, { ttlMs: 24 * HOUR, now: later })).toBe(1);
  const again = await once(call('k-live'));
  expect(again).toEqual({ value: 2, replayed: false });
});

it('the sweeper runs on its interval and survives a failing sweep', async () => {
  await db.models.Idempotency.deleteMany({});
  await seed('interval', 3, 48 * HOUR);
  const lines: string[] = [];
  const logger = { info: (_: object, msg: string) => void lines.push(msg), warn: (_: object, msg: string) => void lines.push(msg) };
  const stop = startIdempotencySweeper(db.models, { ttlMs: 24 * HOUR, everyMs: 50, logger: logger as never });
  await expect.poll(() => db.models.Idempotency.countDocuments(), { timeout: 10_000 }).toBe(0);
  stop();
  expect(lines).toContain('expired idempotency keys deleted');
  const broken = { Idempotency: { find: () => ({ limit: () => ({ lean: () => Promise.reject(new Error('database down')) }) }) } };
  const stopBroken = startIdempotencySweeper(broken as never, { ttlMs: HOUR, everyMs: 50, logger: logger as never });
  await expect.poll(() => lines.filter((l) => l.includes('failed')).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
  stopBroken();
});
