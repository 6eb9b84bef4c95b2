/** Reading a package's dist-tags (the dist_tags table; `latest` comes from the package row). */
import type { Db } from './users.ts';

export const LATEST_TAG = 'latest';

/** The version the explicit `latest` tag names, or null when `latest` follows the automatic rule. */
export async function explicitLatest(db: Db, packageId: number): Promise<string | null> {
  const row = await db
    .selectFrom('dist_tags')
    .select('version')
    .where('package_id', '=', packageId)
    .where('tag', '=', LATEST_TAG)
    .executeTakeFirst();
  return row?.version ?? null;
}

/** A stored tag, or undefined. */
export async function findDistTag(db: Db, packageId: number, tag: string) {
  return db.selectFrom('dist_tags').selectAll().where('package_id', '=', packageId).where('tag', '=', tag).executeTakeFirst();
}

export async function countDistTags(db: Db, packageId: number): Promise<number> {
  const row = await db
    .selectFrom('dist_tags')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('package_id', '=', packageId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Sets a tag (insert or move); callers hold the package row lock and check the limit. */
export async function upsertDistTag(
  db: Db,
  row: { packageId: number; tag: string; version: string; at: string; by: string },
): Promise<void> {
  await db
    .insertInto('dist_tags')
    .values({ package_id: row.packageId, tag: row.tag, version: row.version, updated_at: row.at, updated_by: row.by })
    .onConflict((oc) => oc.columns(['package_id', 'tag']).doUpdateSet({ version: row.version, updated_at: row.at, updated_by: row.by }))
    .execute();
}

/** Removes the tags whose version is no longer live (deleted): a tag never names a deleted version. */
export async function pruneDistTags(db: Db, packageId: number): Promise<void> {
  await db
    .deleteFrom('dist_tags')
    .where('package_id', '=', packageId)
    .where('version', 'not in', (eb) =>
      eb.selectFrom('versions').select('version').where('package_id', '=', packageId).where('deleted_at', 'is', null),
    )
    .execute();
}

/**
 * Tag → version, `latest` first and then by name. `latest` is the package's effective latest (which
 * the explicit tag decides only while its version is usable); every other tag is as stored.
 */
export async function readDistTags(db: Db, packageId: number, latest: string | null): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom('dist_tags')
    .select(['tag', 'version'])
    .where('package_id', '=', packageId)
    .where('tag', '!=', LATEST_TAG)
    .orderBy('tag')
    // Writes keep a package at MAX_DIST_TAGS; this bounds the read even if a row slipped past.
    .limit(1000)
    .execute();
  const tags: Record<string, string> = {};
  if (latest !== null) tags[LATEST_TAG] = latest;
  for (const row of rows) tags[row.tag] = row.version;
  return tags;
}
