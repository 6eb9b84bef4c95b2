/**
 * Runs a parsed search query against the full-text index. SQLite: FTS5 with BM25 weighted
 * name > keywords > description > author; an exact name match always ranks first, then text
 * relevance nudged by log-scaled downloads.
 */
import { sql } from 'kysely';
import { canonicalName } from '../names.ts';
import type { PackageRow } from './schema.ts';
import type { Db } from './users.ts';

export interface SearchPage {
  total: number;
  hits: { pkg: PackageRow; score: number }[];
}

export interface SqliteSearch {
  /** FTS5 MATCH expression for what must match; null means "every package". */
  match: string | null;
  /** FTS5 MATCH expression for what must not match; null means "nothing excluded". */
  exclude: string | null;
  /** The query as typed, for the exact-name boost. */
  exactName: string | null;
  limit: number;
  offset: number;
}

export async function searchSqlite(db: Db, q: SqliteSearch): Promise<SearchPage> {
  const exact = q.exactName === null ? '' : canonicalName(q.exactName);
  const matched = q.match === null
    ? sql`SELECT id AS rowid, 0.0 AS rank FROM packages WHERE latest_version IS NOT NULL`
    : sql`SELECT rowid, bm25(package_search, 10.0, 5.0, 2.0, 1.0) AS rank FROM package_search WHERE package_search MATCH ${q.match}`;
  const excluded = q.exclude === null
    ? sql``
    : sql`AND m.rowid NOT IN (SELECT rowid FROM package_search WHERE package_search MATCH ${q.exclude})`;
  const base = sql`FROM (${matched}) m JOIN packages p ON p.id = m.rowid WHERE p.latest_version IS NOT NULL ${excluded}`;
  const score = sql`(-m.rank + 0.5 * ln(1 + p.downloads) + CASE WHEN p.canonical_name = ${exact} THEN 1000.0 ELSE 0.0 END)`;
  const [count, rows] = await Promise.all([
    sql<{ n: number }>`SELECT count(*) AS n ${base}`.execute(db),
    sql<PackageRow & { score: number }>`SELECT p.*, ${score} AS score ${base}
      ORDER BY score DESC, p.name ASC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db),
  ]);
  return {
    total: Number(count.rows[0]?.n ?? 0),
    hits: rows.rows.map(({ score: s, ...pkg }) => ({ pkg: pkg as PackageRow, score: Math.round(Number(s) * 1000) / 1000 })),
  };
}
