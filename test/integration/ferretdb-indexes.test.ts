// FerretDB pushes equalities down as `_jsonb->'f' @> v`; the GIN indexes of ensureGinIndexes are what PostgreSQL uses for them.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureGinIndexes, ginIndexesOfModels } from '../../scripts/lib/ferretdb-indexes';
import { runSql, type RunningPostgres } from '../../scripts/lib/postgres';
import { eventually } from '../support/eventually';
import { freshDatabase, type TestDatabase } from '../support/harness';

let db: TestDatabase;
let pg: RunningPostgres;
beforeAll(async () => {
  db = await freshDatabase();
  const p = inject('postgres');
  pg = { ...p, url: () => '' };
});
afterAll(() => db?.close());

const schemaOf = () => db.conn.db!.databaseName;
async function indexScans(collection: string): Promise<number> {
  const table = await runSql(pg, 'ferretdb', `select _jsonb->>'table' from "${schemaOf()}"._ferretdb_database_metadata where _jsonb->>'_id' = '${collection}'`);
  return Number(
    await runSql(pg, 'ferretdb', `select coalesce(idx_scan, 0) from pg_stat_user_tables where schemaname = '${schemaOf()}' and relname = '${table}'`),
  );
}

describe('the GIN indexes beneath FerretDB', () => {
  it('cover _id and each declared equality, not dates or booleans', () => {
    const keys = ginIndexesOfModels().map((i) => `${i.collection}.${i.field}`);
    expect(keys).toEqual(expect.arrayContaining(['complaints._id', 'worklist.wl', 'worklist_buckets.prefix', 'idempotency_keys._id']));
    expect(keys).not.toContain('callbacks.dueAt');
    expect(keys).not.toContain('worklist.open');
  });

  it('make the worklist bucket read and a lookup by id index scans, and are created once', { timeout: 120_000 }, async () => {
    const items = db.conn.collection<{ _id: string; wl: string[] }>('worklist');
    await items.insertMany(Array.from({ length: 2000 }, (_, i) => ({ _id: `w${i}`, wl: [`k${i % 200}`, `all|${i % 3}`] })));
    const created = await ensureGinIndexes((q) => runSql(pg, 'ferretdb', q), db.uri);
    expect(created).toBeGreaterThanOrEqual(ginIndexesOfModels().length - 2);
    expect(await ensureGinIndexes((q) => runSql(pg, 'ferretdb', q), db.uri)).toBe(created);
    const before = await indexScans('worklist');
    for (let i = 0; i < 12; i++) {
      expect(await items.countDocuments({ wl: `k${i}` })).toBe(10);
      expect((await items.findOne({ _id: `w${i * 7}` }))?._id).toBe(`w${i * 7}`);
    }
    // Without the GIN indexes these 24 reads are sequential scans of the whole table.
    await eventually(
      () => indexScans('worklist'),
      (n) => n >= before + 24,
      15_000,
    );
  });
});
