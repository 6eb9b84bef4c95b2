/** Reads the web pages need beside the API's: daily downloads, dependents, most downloaded, a user's packages. */
import { sql } from 'kysely';
import { canonicalName } from '../../../core/src/names.ts';
import type { Db } from './users.ts';
import type { Listed, Paging } from './package-lists.ts';

/** Downloads of a package per day (`YYYY-MM-DD` → count) from `since` on; days without any are absent. */
export async function dailyDownloads(db: Db, packageId: number, since: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('download_counts')
    .innerJoin('versions', 'versions.id', 'download_counts.version_id')
    .select(['download_counts.day', sql<string>`sum(download_counts.count)`.as('n')])
    .where('versions.package_id', '=', packageId)
    .where('download_counts.day', '>=', since)
    .groupBy('download_counts.day')
    .execute();
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}

export interface ListedPackage {
  name: string;
  description: string | null;
  latest: string;
  downloads: number;
}

/**
 * Packages with a live version that depends on `name` (other than the package itself), by name. Read
 * from the dependency index (migration 0010) outwards, so the cost follows the dependents, not the registry.
 */
export async function dependentPackages(
  db: Db,
  query: { name: string; excludePackageId: number } & Paging,
): Promise<Listed<ListedPackage>> {
  const from = sql`FROM packages p WHERE p.id IN (
      SELECT v.package_id FROM version_dependencies vd JOIN versions v ON v.id = vd.version_id
      WHERE vd.dependency = ${canonicalName(query.name)} AND v.deleted_at IS NULL)
    AND p.id <> ${query.excludePackageId} AND p.latest_version IS NOT NULL`;
  const { rows } = await sql<ListedPackage & { total: number }>`SELECT p.name, p.description, p.latest_version AS latest, p.downloads,
      count(*) OVER () AS total ${from} ORDER BY p.canonical_name LIMIT ${query.limit} OFFSET ${query.offset}`.execute(db);
  const total = rows.length > 0 ? Number(rows[0]!.total) : query.offset === 0 ? 0 : await countOf(db, from);
  return { total, items: rows.map(({ total: _t, ...row }) => ({ ...row, downloads: Number(row.downloads) })) };
}

/** The most downloaded packages (all time), at most `limit`. */
export async function mostDownloaded(db: Db, limit: number): Promise<ListedPackage[]> {
  const { rows } = await sql<ListedPackage>`SELECT name, description, latest_version AS latest, downloads
    FROM packages WHERE latest_version IS NOT NULL ORDER BY downloads DESC, id LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({ ...row, downloads: Number(row.downloads) }));
}

/** The packages a user owns, by name. */
export async function ownedPackages(db: Db, query: { userId: number } & Paging): Promise<Listed<ListedPackage>> {
  const from = sql`FROM packages p JOIN package_owners po ON po.package_id = p.id
    WHERE po.user_id = ${query.userId} AND p.latest_version IS NOT NULL`;
  const { rows } = await sql<ListedPackage & { total: number }>`SELECT p.name, p.description, p.latest_version AS latest, p.downloads,
      count(*) OVER () AS total ${from} ORDER BY p.canonical_name LIMIT ${query.limit} OFFSET ${query.offset}`.execute(db);
  const total = rows.length > 0 ? Number(rows[0]!.total) : query.offset === 0 ? 0 : await countOf(db, from);
  return { total, items: rows.map(({ total: _t, ...row }) => ({ ...row, downloads: Number(row.downloads) })) };
}

async function countOf(db: Db, from: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n ${from}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
