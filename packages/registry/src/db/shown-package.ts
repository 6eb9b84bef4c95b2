/**
 * The package row behind GET /packages/{name}, the hottest read. Its SQL is built once per database;
 * on SQLite the row (or its absence) is kept while the read generation holds (database.ts: any write,
 * download flushes and other processes' commits included), so every change shows on the next
 * request. PostgreSQL reads it every time, as other instances write too.
 */
import { CompiledQuery } from 'kysely';
import { canonicalName } from '../../../core/src/names.ts';
import type { RegistryDatabase } from './database.ts';
import type { PackageRow } from './schema.ts';

const ENTRIES = 20_000;

const sqlOf = new WeakMap<RegistryDatabase, string>();
const kept = new WeakMap<RegistryDatabase, { generation: number; rows: Map<string, PackageRow | undefined> }>();

async function readPackage(db: RegistryDatabase, canonical: string): Promise<PackageRow | undefined> {
  let text = sqlOf.get(db);
  if (text === undefined) {
    text = db.kysely.selectFrom('packages').selectAll().where('canonical_name', '=', '').compile().sql;
    sqlOf.set(db, text);
  }
  const rows = await db.readRows(CompiledQuery.raw(text, [canonical]) as CompiledQuery<PackageRow>);
  return rows[0];
}

export async function findShownPackage(db: RegistryDatabase, name: string): Promise<PackageRow | undefined> {
  const canonical = canonicalName(name);
  const generation = db.readGeneration();
  if (generation === undefined) return readPackage(db, canonical);
  let cache = kept.get(db);
  if (!cache || cache.generation !== generation) {
    cache = { generation, rows: new Map() };
    kept.set(db, cache);
  }
  if (cache.rows.has(canonical)) return cache.rows.get(canonical);
  const row = await readPackage(db, canonical);
  // Kept only if nothing was written while it was read: then it is what the database holds now.
  if (db.readGeneration() === generation) {
    if (cache.rows.size >= ENTRIES) cache.rows.clear();
    cache.rows.set(canonical, row);
  }
  return row;
}
