import { CompiledQuery } from 'kysely';
import { canonicalName } from '../../../core/src/names.ts';
import type { PackageRow, VersionRow } from './schema.ts';
import type { Db } from './users.ts';
import type { RegistryDatabase } from './database.ts';

export async function findPackage(db: Db, name: string): Promise<PackageRow | undefined> {
  return db.selectFrom('packages').selectAll().where('canonical_name', '=', canonicalName(name)).executeTakeFirst();
}

export async function packageOwners(db: Db, packageId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('package_owners')
    .innerJoin('users', 'users.id', 'package_owners.user_id')
    .select('users.username')
    .where('package_owners.package_id', '=', packageId)
    .orderBy('users.username')
    .execute();
  return rows.map((r) => r.username);
}

export async function isOwner(db: Db, packageId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('package_owners')
    .select('user_id')
    .where('package_id', '=', packageId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Live (not deleted) versions of a package, in insertion order; callers sort by SemVer. */
export async function liveVersions(db: Db, packageId: number): Promise<VersionRow[]> {
  return db.selectFrom('versions').selectAll().where('package_id', '=', packageId).where('deleted_at', 'is', null).execute();
}

/** A version row, deleted or not: deleted numbers stay reserved. */
export async function anyVersion(db: Db, packageId: number, version: string): Promise<VersionRow | undefined> {
  return db.selectFrom('versions').selectAll().where('package_id', '=', packageId).where('version', '=', version).executeTakeFirst();
}

const liveVersionQuery = (db: Db) =>
  db
    .selectFrom('versions')
    .innerJoin('packages', 'packages.id', 'versions.package_id')
    .selectAll('versions')
    .select('packages.name as package_name')
    .where('packages.canonical_name', '=', '')
    .where('versions.version', '=', '')
    .where('versions.deleted_at', 'is', null);

// Only what serving the bytes needs: every download runs this, and reading fewer columns is cheaper.
const tarballQuery = (db: Db) =>
  db
    .selectFrom('versions')
    .innerJoin('packages', 'packages.id', 'versions.package_id')
    .select(['versions.id', 'versions.package_id', 'versions.version', 'versions.checksum', 'versions.size'])
    .select('packages.name as package_name')
    .where('packages.canonical_name', '=', '')
    .where('versions.version', '=', '')
    .where('versions.deleted_at', 'is', null);

type RowOf<Q extends (db: Db) => { executeTakeFirst(): Promise<unknown> }> = NonNullable<
  Awaited<ReturnType<ReturnType<Q>['executeTakeFirst']>>
>;

/**
 * A lookup by (canonical name, version) whose SQL is built once per database: the hot reads run
 * thousands of times a second, and building the query cost more than running it.
 */
function lookupByNameAndVersion<Row>(build: (db: Db) => { compile(): { sql: string } }) {
  const compiled = new WeakMap<RegistryDatabase, string>();
  return async (db: RegistryDatabase, name: string, version: string): Promise<Row | undefined> => {
    let text = compiled.get(db);
    if (text === undefined) {
      text = build(db.kysely).compile().sql;
      compiled.set(db, text);
    }
    const rows = await db.readRows(CompiledQuery.raw(text, [canonicalName(name), version]) as CompiledQuery<Row>);
    return rows[0];
  };
}

export type LiveVersionRow = RowOf<typeof liveVersionQuery>;

/** A live version with its package's display name. */
export const findLiveVersion = lookupByNameAndVersion<LiveVersionRow>(liveVersionQuery);

export type TarballRow = RowOf<typeof tarballQuery>;
const lookupTarball = lookupByNameAndVersion<TarballRow>(tarballQuery);

const TARBALL_CACHE_ENTRIES = 20_000;
const tarballCaches = new WeakMap<RegistryDatabase, { generation: number; rows: Map<string, TarballRow> }>();

/**
 * What a tarball download needs of a live version: its ids, checksum, size and display name.
 * Found rows are kept until the tarball generation moves (SQLite: any write; PostgreSQL: a version
 * deleted by any instance, told by NOTIFY): a download then costs no query, and a deleted version is
 * refused from the moment its deletion commits (on other PostgreSQL instances, within milliseconds).
 */
export async function findTarball(db: RegistryDatabase, name: string, version: string): Promise<TarballRow | undefined> {
  const generation = db.tarballGeneration();
  if (generation === undefined) return lookupTarball(db, name, version);
  let cache = tarballCaches.get(db);
  if (!cache || cache.generation !== generation) {
    cache = { generation, rows: new Map() };
    tarballCaches.set(db, cache);
  }
  const key = `${canonicalName(name)}@${version}`;
  const hit = cache.rows.get(key);
  if (hit) return hit;
  const row = await lookupTarball(db, name, version);
  // Kept only if nothing was written while it was read: then it is what the database holds now.
  if (row && db.tarballGeneration() === generation) {
    if (cache.rows.size >= TARBALL_CACHE_ENTRIES) cache.rows.clear();
    cache.rows.set(key, row);
  }
  return row;
}

/** The row findTarball keeps for this version, at once; undefined when it would have to be read. */
export function peekTarball(db: RegistryDatabase, name: string, version: string): TarballRow | undefined {
  const generation = db.tarballGeneration();
  const cache = generation === undefined ? undefined : tarballCaches.get(db);
  return cache !== undefined && cache.generation === generation ? cache.rows.get(`${canonicalName(name)}@${version}`) : undefined;
}

/** Which of these names the registry holds (by canonical name), as canonical names. */
export async function existingCanonicalNames(db: Db, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db.selectFrom('packages').select('canonical_name').where('canonical_name', 'in', names.map(canonicalName)).execute();
  return new Set(rows.map((r) => r.canonical_name));
}

/** True when some live or deleted version row still refers to this blob. */
export async function blobReferenced(db: Db, checksum: string): Promise<boolean> {
  const row = await db
    .selectFrom('versions')
    .select('id')
    .where('checksum', '=', checksum)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (row !== undefined) return true;
  // Tarballs fetched through pull-through are kept forever, like published ones.
  const cached = await db.selectFrom('upstream_tarballs').select('checksum').where('checksum', '=', checksum).executeTakeFirst();
  return cached !== undefined;
}
