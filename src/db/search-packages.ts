/**
 * Runs a compiled search on SQLite: FTS5 with BM25 weighted name > keywords > description >
 * author, blended with popularity and recency and the exact-name boost (see search/ranking.ts).
 * The parts of each score come back too, for `explain=true`.
 */
import { sql, type RawBuilder } from 'kysely';
import { RANKING, roundScore, type ScoreParts } from '../search/ranking.ts';
import type { PackageRow } from './schema.ts';
import type { Db } from './users.ts';

export interface SearchHit {
  pkg: PackageRow;
  score: number;
  parts: ScoreParts;
}

export interface SearchPage {
  total: number;
  hits: SearchHit[];
}

/** Paging, exact names and the clock: what both backends take besides the compiled query. */
export interface SearchWindow {
  /** Canonical names that get the exact-match boost. */
  exactNames: string[];
  limit: number;
  offset: number;
  now: Date;
}

export interface SqliteSearch extends SearchWindow {
  /** FTS5 MATCH expression for what must match; null means "every package". */
  match: string | null;
  /** FTS5 MATCH expression for what must not match; null means "nothing excluded". */
  exclude: string | null;
  /** When typo corrections widened `match`: the MATCH expression as typed, to tell exact matches apart. */
  typed: string | null;
}

type Row = PackageRow & { text: number; relevance: number; exact_terms: number; popularity: number; recency: number; exact_match: number; score: number; total: number };

export async function searchSqlite(db: Db, q: SqliteSearch): Promise<SearchPage> {
  const matched = q.match === null
    ? sql`SELECT id AS rowid, 0.0 AS text FROM packages WHERE latest_version IS NOT NULL`
    : sql`SELECT rowid, -bm25(package_search, 10.0, 5.0, 2.0, 1.0) AS text FROM package_search WHERE package_search MATCH ${q.match}`;
  const excluded = q.exclude === null
    ? sql``
    : sql`AND m.rowid NOT IN (SELECT rowid FROM package_search WHERE package_search MATCH ${q.exclude})`;
  const exactTerms = q.typed === null
    ? sql`1`
    : sql`(m.rowid IN (SELECT rowid FROM package_search WHERE package_search MATCH ${q.typed}))`;
  const parts = sql`SELECT p.*, m.text,
      m.text / (m.text + ${RANKING.relevanceHalf.sqlite}) * (CASE WHEN ${exactTerms} THEN 1.0 ELSE ${RANKING.typoFactor} END) AS relevance,
      ${exactTerms} AS exact_terms,
      ${RANKING.popularityWeight} * min(1.0, ln(1 + coalesce(pp.recent_downloads, 0)) / ${Math.log(1 + RANKING.popularitySaturation)}) AS popularity,
      ${RANKING.recencyWeight} / (1.0 + max(0.0, julianday(${q.now.toISOString()}) - julianday(p.updated_at)) / ${RANKING.recencyHalfLifeDays}) AS recency,
      CASE WHEN p.canonical_name IN (${exactList(q.exactNames)}) THEN ${RANKING.exactBoost} ELSE 0 END AS exact_match
    FROM (${matched}) m JOIN packages p ON p.id = m.rowid LEFT JOIN package_popularity pp ON pp.package_id = p.id
    WHERE p.latest_version IS NOT NULL ${excluded}`;
  const { rows } = await sql<Row>`SELECT *, relevance + popularity + recency + exact_match AS score, count(*) OVER () AS total
    FROM (${parts}) ORDER BY score DESC, name ASC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  const total = rows.length > 0 ? Number(rows[0]!.total) : await countPast(db, sql`SELECT count(*) AS n FROM (${parts})`);
  return { total, hits: rows.map(toHit) };
}

/** An IN list that is never empty (SQL has no empty list). */
export function exactList(names: string[]): RawBuilder<unknown> {
  return names.length === 0 ? sql`NULL` : sql.join(names);
}

/** The total when the page is past the end (the windowed count came back with no row). */
export async function countPast(db: Db, query: RawBuilder<unknown>): Promise<number> {
  const { rows } = await sql<{ n: number }>`${query}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export function toHit(row: Row): SearchHit {
  const { text, relevance, exact_terms, popularity, recency, exact_match, score, total: _total, ...pkg } = row;
  void _total;
  return {
    pkg: pkg as PackageRow,
    score: roundScore(Number(score)),
    parts: {
      text: roundScore(Number(text)),
      relevance: roundScore(Number(relevance)),
      exact_terms: Boolean(Number(exact_terms)),
      popularity: roundScore(Number(popularity)),
      recency: roundScore(Number(recency)),
      exact_match: Number(exact_match),
    },
  };
}

export type { Row as SearchRow };
