/** The package lists beside search: names by prefix (autocomplete), trending, newest publishes. */
import { sql } from 'kysely';
import { canonicalName } from '../../../core/src/names.ts';
import { countPast } from './search-packages.ts';
import type { Db } from './users.ts';

export interface Paging {
  limit: number;
  offset: number;
}

export interface Listed<T> {
  total: number;
  items: T[];
}

export interface Suggestion {
  name: string;
  description: string | null;
  latest: string;
  downloads: number;
}

/** Packages whose canonical name starts with the canonical form of `prefix`, most downloaded first. */
export async function suggestNames(db: Db, dialect: 'sqlite' | 'postgres', prefix: string, page: Paging): Promise<Listed<Suggestion>> {
  const start = canonicalName(prefix);
  // No name holds anything else (and PostgreSQL text cannot even hold a NUL): nothing to look up.
  if (!/^[a-z0-9-]+$/.test(start)) return { total: 0, items: [] };
  // A range on the unique canonical_name index (SQLite) or on its text_pattern_ops index (PostgreSQL, whose
  // pattern operators compare bytes, so the range means the same there); '~' sorts after [a-z0-9-].
  const where =
    dialect === 'sqlite'
      ? sql`canonical_name >= ${start} AND canonical_name < ${`${start}~`}`
      : sql`canonical_name ~>=~ ${start} AND canonical_name ~<~ ${`${start}~`}`;
  // `downloads + 0`: ordering by the bare column lets PostgreSQL walk a downloads index and filter
  // every package by prefix (40 ms at 100,000 packages) instead of taking the few with the prefix.
  const { rows } = await sql<
    Suggestion & { total: number }
  >`SELECT name, description, latest_version AS latest, downloads, count(*) OVER () AS total
    FROM packages WHERE ${where} AND latest_version IS NOT NULL
    ORDER BY downloads + 0 DESC, canonical_name ASC LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  const total =
    rows.length > 0
      ? Number(rows[0]!.total)
      : await countPast(db, sql`SELECT count(*) AS n FROM packages WHERE ${where} AND latest_version IS NOT NULL`);
  return { total, items: rows.map(({ total: _t, ...row }) => ({ ...row, downloads: Number(row.downloads) })) };
}

export interface Trending {
  name: string;
  description: string | null;
  latest: string;
  downloads_last_week: number;
  downloads_prior_week: number;
  /** Downloads gained over the week before (last week minus the week before). */
  growth: number;
}

/**
 * Packages downloaded more over the last 7 days than the 7 before, by downloads gained. Reads
 * `package_popularity`, as the background refresher last left it (popularity-refresher.ts).
 */
export async function trendingPackages(db: Db, page: Paging): Promise<Listed<Trending>> {
  // The growth written as the indexed expression: a range on package_popularity_growth, read from the
  // top. `last_week > prior_week` (a comparison of two columns, guessed at a third of the rows) had
  // PostgreSQL walk the whole index and filter it, 100,000 entries for 4,500 growing packages.
  const from = sql`FROM package_popularity pp JOIN packages p ON p.id = pp.package_id
    WHERE pp.last_week - pp.prior_week > 0 AND p.latest_version IS NOT NULL`;
  const { rows } = await sql<Trending & { total: number }>`SELECT p.name, p.description, p.latest_version AS latest,
      pp.last_week AS downloads_last_week, pp.prior_week AS downloads_prior_week, pp.last_week - pp.prior_week AS growth,
      count(*) OVER () AS total
    ${from} ORDER BY growth DESC, pp.last_week DESC, p.canonical_name ASC LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  const total = rows.length > 0 ? Number(rows[0]!.total) : await countPast(db, sql`SELECT count(*) AS n ${from}`);
  return {
    total,
    items: rows.map(({ total: _t, ...row }) => ({
      ...row,
      downloads_last_week: Number(row.downloads_last_week),
      downloads_prior_week: Number(row.downloads_prior_week),
      growth: Number(row.growth),
    })),
  };
}

export interface Publish {
  name: string;
  version: string;
  description: string | null;
  published_at: string;
}

const liveCounts = new WeakMap<Db, { stamp: string; total: number }>();

/**
 * Live versions, newest publish first: one entry per publish. Counting 500,000 versions costs tens of
 * milliseconds, so the total is kept per process and recounted only when some package changed: every
 * publish and delete sets its package's `updated_at`, whose maximum is one index lookup.
 */
export async function recentPublishes(db: Db, page: Paging): Promise<Listed<Publish>> {
  const [changed, list] = await Promise.all([
    sql<{ at: string | null }>`SELECT max(updated_at) AS at FROM packages`.execute(db),
    sql<Publish>`SELECT p.name, v.version, v.description, v.published_at
      FROM versions v JOIN packages p ON p.id = v.package_id
      WHERE v.deleted_at IS NULL
      ORDER BY v.published_at DESC, v.id DESC LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db),
  ]);
  const stamp = changed.rows[0]?.at ?? '';
  let counted = liveCounts.get(db);
  if (counted?.stamp !== stamp) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM versions WHERE deleted_at IS NULL`.execute(db);
    counted = { stamp, total: Number(rows[0]?.n ?? 0) };
    liveCounts.set(db, counted);
  }
  return { total: counted.total, items: list.rows };
}
