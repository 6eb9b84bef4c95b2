/** Pull-through's cache rows (migration 0024): upstream documents and the tarballs fetched through it. */
import type { Db } from '../db/users.ts';

export interface CachedDocument {
  body: string;
  fetchedAt: string;
}

export interface CachedTarball {
  checksum: string;
  integrity: string;
  size: number;
}

export async function readDocument(db: Db, key: string): Promise<CachedDocument | null> {
  const row = await db.selectFrom('upstream_documents').select(['body', 'fetched_at']).where('key', '=', key).executeTakeFirst();
  return row ? { body: row.body, fetchedAt: row.fetched_at } : null;
}

export async function writeDocument(db: Db, row: { key: string; canonicalName: string; body: string; fetchedAt: string }): Promise<void> {
  const values = { key: row.key, canonical_name: row.canonicalName, body: row.body, fetched_at: row.fetchedAt };
  await db
    .insertInto('upstream_documents')
    .values(values)
    .onConflict((oc) => oc.column('key').doUpdateSet({ body: values.body, fetched_at: values.fetched_at }))
    .execute();
}

/** The upstream says the package is gone: its cached documents go too (its tarballs stay, content-addressed). */
export async function forgetPackage(db: Db, canonicalName: string): Promise<void> {
  await db.deleteFrom('upstream_documents').where('canonical_name', '=', canonicalName).execute();
}

export async function findCachedTarball(db: Db, canonicalName: string, version: string): Promise<CachedTarball | null> {
  const row = await db
    .selectFrom('upstream_tarballs')
    .select(['checksum', 'integrity', 'size'])
    .where('canonical_name', '=', canonicalName)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? { checksum: row.checksum, integrity: row.integrity, size: Number(row.size) } : null;
}

export async function recordTarball(
  db: Db,
  row: CachedTarball & { canonicalName: string; version: string; storedAt: string },
): Promise<void> {
  await db
    .insertInto('upstream_tarballs')
    .values({
      canonical_name: row.canonicalName,
      version: row.version,
      checksum: row.checksum,
      integrity: row.integrity,
      size: row.size,
      stored_at: row.storedAt,
    })
    .onConflict((oc) => oc.columns(['canonical_name', 'version']).doNothing())
    .execute();
}
