// Idempotency-Key handling shared by every idempotent route: the first request runs, repeats get its stored answer.
// The record lives in MongoDB so two API replicas agree; repeats inside one process wait on the first one's promise.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { insertOnce, type Models } from '../db/models';
import { AppError } from './errors';

export interface IdempotentCall<T> {
  /** Route, case and caller scoped key (e.g. `act:<case>:<action>:<sub>:<Idempotency-Key>`); hashed before storing. */
  key: string;
  /** Hash of the request body: the same key with another body is refused. */
  requestHash: string;
  mismatch: () => AppError;
  run: () => Promise<T>;
}

export interface IdempotentResult<T> {
  value: T;
  /** True when this request repeated an earlier one and got its stored answer. */
  replayed: boolean;
}

export interface IdempotencyOptions {
  /** How long a repeat waits for the first request before answering 409 IDEMPOTENCY_IN_PROGRESS. */
  waitMs?: number;
  pollMs?: number;
  /** A claim older than this is taken to belong to a crashed replica and may be taken over. */
  staleMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function keyReused(field = 'Idempotency-Key'): AppError {
  return new AppError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used with a different request body', [
    { field, rule: 'same_body', message: 'a repeat must send the same body; use a new key for a new request' },
  ]);
}

function inProgress(): AppError {
  return new AppError(
    'IDEMPOTENCY_IN_PROGRESS',
    'the first request with this Idempotency-Key is still running; repeat it shortly for its answer',
    [{ field: 'Idempotency-Key', rule: 'in_progress', message: 'the first request with this key has not finished' }],
    1,
  );
}

export function createIdempotency(models: Models, options: IdempotencyOptions = {}) {
  // A claim left by a crashed replica is taken over after 15 s: safe even if the first still runs, because the case id
  // comes from the key and Temporal applies the keyed start/update once; a client retrying a dead replica waits no longer.
  const { waitMs = 5000, pollMs = 150, staleMs = 15_000 } = options;
  const local = new Map<string, { requestHash: string; promise: Promise<IdempotentResult<unknown>> }>();
  const Store = () => models.Idempotency;

  async function runAndStore<T>(id: string, claimedAt: Date, call: IdempotentCall<T>): Promise<IdempotentResult<T>> {
    let value: T;
    try {
      value = await call.run();
    } catch (err) {
      // Not answered: a repeat runs again (Temporal's keyed update id still applies an accepted action once).
      await Store()
        .deleteOne({ _id: id, claimedAt })
        .catch(() => undefined);
      throw err;
    }
    // Stored as its JSON: an undefined field must stay absent in the replay, not come back as null.
    const response = value === undefined ? null : JSON.parse(JSON.stringify(value));
    await Store().updateOne({ _id: id }, { $set: { state: 'done', doneAt: new Date(), response } });
    return { value, replayed: false };
  }

  /** Claims the key in MongoDB or follows the replica that holds it. */
  async function viaDatabase<T>(id: string, call: IdempotentCall<T>): Promise<IdempotentResult<T>> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const claimedAt = new Date();
      const claimed = await insertOnce(() =>
        Store().updateOne({ _id: id }, { $setOnInsert: { requestHash: call.requestHash, state: 'pending', claimedAt } }, { upsert: true }),
      );
      if (claimed) return runAndStore(id, claimedAt, call);
      const doc = await Store().findById(id).lean();
      if (!doc) continue; // the first request failed and let the key go: claim it again
      if (doc.requestHash !== call.requestHash) throw call.mismatch();
      if (doc.state === 'done') return { value: doc.response as T, replayed: true };
      if (doc.claimedAt.getTime() < Date.now() - staleMs) {
        const took = await Store().updateOne({ _id: id, state: 'pending', claimedAt: doc.claimedAt }, { $set: { claimedAt } });
        if (took.modifiedCount === 1) return runAndStore(id, claimedAt, call);
      }
      if (Date.now() >= deadline) throw inProgress();
      await sleep(pollMs);
    }
  }

  return async function once<T>(call: IdempotentCall<T>): Promise<IdempotentResult<T>> {
    const id = createHash('sha256').update(call.key).digest('hex');
    const running = local.get(id);
    if (running) {
      if (running.requestHash !== call.requestHash) throw call.mismatch();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(inProgress()), waitMs);
      });
      try {
        const first = (await Promise.race([running.promise, timeout])) as IdempotentResult<T>;
        return { value: first.value, replayed: true };
      } finally {
        clearTimeout(timer);
      }
    }
    const promise = viaDatabase(id, call);
    local.set(id, { requestHash: call.requestHash, promise });
    try {
      return await promise;
    } finally {
      local.delete(id);
    }
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;

export interface SweepOptions {
  /** Keys claimed longer ago than this are forgotten (a repeat after that runs as a new request). */
  ttlMs: number;
  /** At most this many keys per batch and this many batches per sweep, so one sweep never holds the database long. */
  batch?: number;
  maxBatches?: number;
  now?: () => Date;
}

/**
 * Deletes expired idempotency keys in bounded batches and answers how many went. FerretDB has no TTL indexes, so this
 * explicit sweep expires them (the same code is correct on MongoDB); replicas may sweep at once, deletes are idempotent.
 */
export async function sweepIdempotencyKeys(models: Models, options: SweepOptions): Promise<number> {
  const { ttlMs, batch = 500, maxBatches = 20, now = () => new Date() } = options;
  const cutoff = new Date(now().getTime() - ttlMs);
  let deleted = 0;
  for (let i = 0; i < maxBatches; i++) {
    const ids = (
      await models.Idempotency.find({ claimedAt: { $lt: cutoff } }, { _id: 1 })
        .limit(batch)
        .lean()
    ).map((d) => d._id);
    if (!ids.length) break;
    // claimedAt is checked again: a key re-claimed since the read (a stale claim taken over) stays.
    deleted += (await models.Idempotency.deleteMany({ _id: { $in: ids }, claimedAt: { $lt: cutoff } })).deletedCount;
    if (ids.length < batch) break;
  }
  return deleted;
}

/** Sweeps on an interval (unref'd, never overlapping); a failed sweep (database down) is logged and tried next time. */
export function startIdempotencySweeper(models: Models, options: SweepOptions & { everyMs: number; logger: Pick<Logger, 'info' | 'warn'> }): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const deleted = await sweepIdempotencyKeys(models, options);
      if (deleted) options.logger.info({ deleted }, 'expired idempotency keys deleted');
    } catch (err) {
      options.logger.warn({ err: (err as Error).message }, 'idempotency key sweep failed; retrying next interval');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
