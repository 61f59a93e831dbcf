// Gives each collection the PostgreSQL indexes FerretDB 1.24's queries can use: it creates btree indexes for createIndex,
// but pushes every equality down as `_jsonb->'f' @> value`, which only a GIN index serves (RELIABILITY.md, "Indexes").
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { createModels, DATABASE_POOL_SIZE } from '../../db/models';

export interface GinIndex {
  collection: string;
  field: string;
}

/** `_id` and the leading top-level field of every index the models declare (not dates, which are ranges and never pushed down, nor booleans). */
export function ginIndexesOfModels(): GinIndex[] {
  const models = createModels(mongoose.createConnection());
  const out = new Map<string, GinIndex>();
  for (const model of Object.values(models)) {
    const collection = model.collection.collectionName;
    const schema = model.schema as mongoose.Schema;
    const leading = schema.indexes().map(([keys]) => Object.keys(keys)[0]!);
    const equality = (f: string) => !f.includes('.') && !['Date', 'Boolean'].includes(schema.path(f)?.instance ?? '');
    for (const field of ['_id', ...leading].filter(equality)) out.set(`${collection}.${field}`, { collection, field });
  }
  return [...out.values()];
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Creates every collection of the models in `mongoUri`'s database, then a GIN index per (collection, field) on FerretDB's
 * table for it; CONCURRENTLY and IF NOT EXISTS, so it is safe on a live database and a no-op the second time.
 */
export async function ensureGinIndexes(sql: (query: string) => Promise<string>, mongoUri: string, indexes = ginIndexesOfModels()): Promise<number> {
  const conn = await mongoose.createConnection(mongoUri, { maxPoolSize: DATABASE_POOL_SIZE }).asPromise();
  const schema = conn.db!.databaseName;
  try {
    const existing = new Set((await conn.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    for (const name of new Set(indexes.map((i) => i.collection))) if (!existing.has(name)) await conn.createCollection(name).catch(() => undefined);
  } finally {
    await conn.close();
  }
  const rows = await sql(`select _jsonb->>'_id', _jsonb->>'table' from ${quoteIdent(schema)}._ferretdb_database_metadata`);
  const tableOf = new Map(rows.split('\n').filter(Boolean).map((r) => r.split('|') as [string, string]));
  let created = 0;
  for (const { collection, field } of indexes) {
    const table = tableOf.get(collection);
    if (!table) continue;
    const name = `${table.slice(0, 40)}_gin_${createHash('sha1').update(field).digest('hex').slice(0, 8)}`;
    await sql(
      `create index concurrently if not exists ${quoteIdent(name)} on ${quoteIdent(schema)}.${quoteIdent(table)} using gin ((_jsonb->${quoteLiteral(field)}) jsonb_path_ops)`,
    );
    created++;
  }
  return created;
}
