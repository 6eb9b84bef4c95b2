/**
 * The rows behind GET /packages/{name} and GET /packages/{name}/{version}, the hottest reads. Their
 * SQL is built once per database; on SQLite the rows (or their absence) are kept while the read
 * generation holds (generation-rows.ts), so every change shows on the next request.
 */
import { CompiledQuery } from 'kysely';
import { canonicalName } from '../../../core/src/names.ts';
import type { RegistryDatabase } from './database.ts';
import { generationRows, type KeptRow } from './generation-rows.ts';
import { findLiveVersion, type LiveVersionRow } from './packages.ts';
import type { PackageRow } from './schema.ts';

const ENTRIES = 20_000;

const sqlOf = new WeakMap<RegistryDatabase, string>();

async function readPackage(db: RegistryDatabase, canonical: string): Promise<PackageRow | undefined> {
  let text = sqlOf.get(db);
  if (text === undefined) {
    text = db.kysely.selectFrom('packages').selectAll().where('canonical_name', '=', '').compile().sql;
    sqlOf.set(db, text);
  }
  const rows = await db.readRows(CompiledQuery.raw(text, [canonical]) as CompiledQuery<PackageRow>);
  return rows[0];
}

// Kept by the name as requested, not its canonical form: a kept row then costs no lowercasing and
// replacing per request. Other spellings of a name are entries of their own (bounded by ENTRIES).
const keptPackages = generationRows<PackageRow, string>({
  entries: ENTRIES,
  keyOf: (name) => name,
  read: (db, name) => readPackage(db, canonicalName(name)),
});

export async function findShownPackage(db: RegistryDatabase, name: string): Promise<PackageRow | undefined> {
  return (await keptPackages(db, name)).row;
}

/** findShownPackage at once, when the row (or its absence) is kept and current; undefined when it must be read. */
export const peekShownPackage = (db: RegistryDatabase, name: string): KeptRow<PackageRow> | undefined => keptPackages.peek(db, name);

// Length-prefixed: no two different pairs share a key, whatever characters they hold.
const keptVersions = generationRows<LiveVersionRow, [name: string, version: string]>({
  entries: ENTRIES,
  keyOf: ([name, version]) => `${name.length}:${name}${version}`,
  read: (db, [name, version]) => findLiveVersion(db, canonicalName(name), version),
});

/** A live version with its package's display name, and the read generation it is current for. */
export function findShownVersion(db: RegistryDatabase, name: string, version: string): Promise<KeptRow<LiveVersionRow>> {
  return keptVersions(db, [name, version]);
}

/** findShownVersion at once, when the row (or its absence) is kept and current; undefined when it must be read. */
export const peekShownVersion = (db: RegistryDatabase, name: string, version: string): KeptRow<LiveVersionRow> | undefined =>
  keptVersions.peek(db, [name, version]);
