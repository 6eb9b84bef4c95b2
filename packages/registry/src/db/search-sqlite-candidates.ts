/**
 * The candidates an SQLite search ranks, as SQL for the one statement that ranks them
 * (search-packages.ts): they stay in the database. Handing up to 1,000 (id, BM25) rows to JavaScript
 * and back as JSON cost about half a search (better-sqlite3 builds every value it hands over, and
 * json_extract parses each element again).
 */
import { sql, type RawBuilder } from 'kysely';
import { fts5String } from '../search/sqlite-fts5.ts';
import { searchTokens } from '../search/index.ts';
import type { Db } from './users.ts';

/** BM25 weighted name > keywords > description > author, higher is better. */
export const BM25 = sql`-bm25(package_search, 10.0, 5.0, 2.0, 1.0)`;

/** The `n` best matches by BM25, computed for every match: rows (id, text). */
export const textCandidates = (match: string, n: number): RawBuilder<unknown> =>
  sql`SELECT rowid AS id, ${BM25} AS text FROM package_search WHERE package_search MATCH ${match} ORDER BY text DESC LIMIT ${n}`;

/**
 * The `n` best by BM25 among a bounded set of a broad query's matches: those among the `popular`
 * most downloaded packages (read off the packages_by_downloads index), and the `newest` newest
 * matches (the edge is read first: one row).
 * One pass over the match list computes BM25 for these rows only (`+rowid` keeps SQLite from
 * handing the rowid test to FTS5, which would restart the query once per id).
 */
export async function broadCandidates(
  db: Db,
  q: { match: string; n: number; popular: number; newest: number },
): Promise<RawBuilder<unknown>> {
  const { rows: edge } = await sql<{ id: number }>`SELECT rowid AS id FROM package_search
    WHERE package_search MATCH ${q.match} ORDER BY rowid DESC LIMIT 1 OFFSET ${q.newest - 1}`.execute(db);
  const newest = edge.length > 0 ? Number(edge[0]!.id) : 0;
  return sql`SELECT rowid AS id, ${BM25} AS text FROM package_search
    WHERE package_search MATCH ${q.match} AND (+rowid >= ${newest} OR +rowid IN (
      SELECT id FROM packages INDEXED BY packages_by_downloads ORDER BY downloads DESC, id LIMIT ${q.popular}))
    ORDER BY text DESC LIMIT ${q.n}`;
}

/**
 * ` UNION ALL` arms adding the exact-name packages that match the query but are not in `top` (a
 * table of the statement), so the exact match comes first however broad the query. FTS5 cannot
 * narrow a MATCH to given rowids cheaply, so the query is AND-ed with the name as a phrase in the
 * name column, which few packages hold.
 */
export async function exactCandidates(db: Db, match: string, exactNames: string[]): Promise<RawBuilder<unknown>> {
  if (exactNames.length === 0) return sql``;
  const { rows: packages } = await sql<{ id: number; canonical_name: string }>`SELECT id, canonical_name FROM packages
    WHERE canonical_name IN (${sql.join(exactNames)}) AND latest_version IS NOT NULL`.execute(db);
  const arms = packages.map((pkg) => {
    const phrase = fts5String(searchTokens(pkg.canonical_name).join(' '));
    return sql` UNION ALL SELECT rowid AS id, ${BM25} AS text FROM package_search
      WHERE package_search MATCH ${`(${match}) AND name : ${phrase}`} AND +rowid = ${Number(pkg.id)} AND +rowid NOT IN (SELECT id FROM top)`;
  });
  return sql.join(arms, sql``);
}

/**
 * 1 for a candidate that matches the query as typed, else 0, when typo corrections widened it (1
 * for all when they did not). Tested on the `candidates` table alone: a set of every typed match of a
 * broad word would cost more than the ranking.
 */
export const typedTest = (typed: string | null): RawBuilder<unknown> =>
  typed === null
    ? sql`1`
    : sql`(id IN (SELECT rowid FROM package_search WHERE package_search MATCH ${typed} AND +rowid IN (SELECT id FROM candidates)))`;
