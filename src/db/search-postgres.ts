/**
 * Runs a compiled search on PostgreSQL: the weighted tsvector on each package row, ranked by
 * ts_rank (A name 1.0, B keywords 0.4, C description 0.2, D author 0.1), blended with popularity
 * and recency and the exact-name boost the same way as on SQLite (see search/ranking.ts).
 *
 * ts_rank, not ts_rank_cd: cover density scores an AND of words spread over several fields (far
 * apart, so a wide cover) well below a single word in the name, so in `xml OR csv parser streaming`
 * every xml package beat csv-parser. On the relevance set (bench/search-quality) ts_rank_cd gave
 * precision@1 0.935, ts_rank + ts_rank_cd 0.978 with MRR 0.978, ts_rank alone 0.978 with MRR 0.989.
 */
import { sql, type RawBuilder } from 'kysely';
import { RANKING } from '../search/ranking.ts';
import { countPast, EXACT_TOTAL_LIMIT, exactList, newestPool, popularPool, SEARCH_CANDIDATES, toHit, type SearchPage, type SearchRow, type SearchWindow } from './search-packages.ts';
import type { Db } from './users.ts';

export interface PostgresSearch extends SearchWindow {
  /** tsquery text for `to_tsquery('simple', …)`; null means "every package". */
  tsquery: string | null;
  /** When typo corrections widened `tsquery`: the tsquery as typed, to tell exact matches apart. */
  typed: string | null;
  /** The hyphenated words as phrases (toAdjacencyTsquery): matching it adds its ts_rank to the text score. */
  adjacent: string | null;
}

export async function searchPostgres(db: Db, q: PostgresSearch): Promise<SearchPage> {
  const query = sql`to_tsquery('simple', ${q.tsquery})`;
  const filter = q.tsquery === null ? sql`TRUE` : sql`p.search_vector @@ ${query}`;
  const rank = (tsquery: unknown) => sql`ts_rank('{0.1, 0.2, 0.4, 1.0}', p.search_vector, ${tsquery})`;
  const adjacent = sql`to_tsquery('simple', ${q.adjacent})`;
  const text = q.tsquery === null
    ? sql`0.0`
    : q.adjacent === null
      ? rank(query)
      : sql`(${rank(query)} + CASE WHEN p.search_vector @@ ${adjacent} THEN ${rank(adjacent)} ELSE 0 END)`;
  const exactTerms = q.typed === null ? sql`TRUE` : sql`(p.search_vector @@ to_tsquery('simple', ${q.typed}))`;
  const n = Math.max(SEARCH_CANDIDATES, q.offset + q.limit);
  const live = sql`p.latest_version IS NOT NULL AND ${filter}`;
  const counted = q.tsquery === null ? 0 : await countMatches(db, live, Math.max(EXACT_TOTAL_LIMIT, q.rankAllLimit));
  // Which matches get a text score: every one, or past rankAllLimit only a bounded pool (ts_rank
  // for every match of a broad word cost 100 ms and more). Then the best by text alone, plus the
  // exact-name packages looked up by name (they still have to match); only these are joined to
  // popularity and scored. A query of only exclusions has no text score, so every package it keeps is scored.
  const pool = counted > q.rankAllLimit
    ? sql`p.id = ANY(${await broadPool(db, q, live)}::bigint[])`
    : live;
  const candidates = q.tsquery === null
    ? sql`SELECT p.id, 0.0::float8 AS text FROM packages p WHERE p.latest_version IS NOT NULL`
    : sql`(SELECT p.id, ${text}::float8 AS text FROM packages p WHERE ${pool} ORDER BY text DESC, p.id LIMIT ${n})
      UNION
      SELECT p.id, ${text}::float8 AS text FROM packages p
      WHERE p.canonical_name IN (${exactList(q.exactNames)}) AND ${live}`;
  const parts = sql`SELECT p.id, p.name, p.canonical_name, p.description, p.author, p.license, p.homepage, p.repository,
      p.keywords, p.latest_version, p.downloads, p.created_at, p.updated_at,
      m.text,
      m.text / (m.text + ${RANKING.relevanceHalf.postgres}) * (CASE WHEN ${exactTerms} THEN 1.0 ELSE ${RANKING.typoFactor} END) AS relevance,
      ${exactTerms}::int AS exact_terms,
      ${RANKING.popularityWeight} * least(1.0, ln(1 + coalesce(pp.recent_downloads, 0)) / ${Math.log(1 + RANKING.popularitySaturation)}) AS popularity,
      ${RANKING.recencyWeight} / (1.0 + greatest(0.0, extract(epoch FROM (${q.now.toISOString()}::timestamptz - p.updated_at::timestamptz)) / 86400.0) / ${RANKING.recencyHalfLifeDays}) AS recency,
      CASE WHEN p.canonical_name IN (${exactList(q.exactNames)}) THEN ${RANKING.exactBoost} ELSE 0 END AS exact_match
    FROM (${candidates}) m JOIN packages p ON p.id = m.id LEFT JOIN package_popularity pp ON pp.package_id = p.id`;
  const { rows } = await sql<SearchRow>`SELECT s.*, s.relevance + s.popularity + s.recency + s.exact_match AS score, count(*) OVER () AS total
    FROM (${parts}) s ORDER BY score DESC, s.name ASC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  const hits = rows.map(toHit);
  if (q.tsquery !== null) {
    return counted > EXACT_TOTAL_LIMIT ? { total: EXACT_TOTAL_LIMIT, totalIsEstimate: true, hits } : { total: counted, hits };
  }
  const scored = rows.length > 0 ? Number(rows[0]!.total) : await countPast(db, sql`SELECT count(*) AS n FROM (${parts}) s`);
  return { total: scored, hits };
}

/**
 * A broad query's matches worth ranking: those among the POPULAR_POOL most downloaded packages
 * (read off the packages_by_downloads index, then each checked by primary key) and the newest
 * (newestPool). Returned as ids, so the ranking query looks them up by key: joined
 * inside it, the planner preferred testing the query against every row.
 */
async function broadPool(db: Db, q: PostgresSearch, live: RawBuilder<unknown>): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`SELECT p.id FROM packages p
    WHERE p.id = ANY(ARRAY(SELECT id FROM packages ORDER BY downloads DESC, id LIMIT ${popularPool(q)})) AND ${live}
    UNION (SELECT p.id FROM packages p WHERE ${live} ORDER BY p.id DESC LIMIT ${newestPool(q)})`.execute(db);
  return rows.map((r) => Number(r.id));
}

/**
 * The matches, counted up to `limit` + 1, first (it decides how the query is ranked). Fetching every
 * match, the planner picks well: a sequential scan when most rows match, the GIN index otherwise.
 * With the LIMIT it expects the scan to stop early and picks the sequential scan for a fifth of the
 * rows too, which then tests `@@` on half the table (`stream`: 70-95 ms; 25 ms through the index).
 * So the plan for every match is asked first: a sequential scan there is kept (it stops after
 * `limit` + 1 rows, 9-12 ms for `a`), anything else counts through the index.
 */
async function countMatches(db: Db, live: RawBuilder<unknown>, limit: number): Promise<number> {
  const count = sql`SELECT count(*) AS n FROM (SELECT 1 FROM packages p WHERE ${live} LIMIT ${limit + 1}) s`;
  const { rows } = await sql<{ 'QUERY PLAN': Array<{ Plan: { 'Node Type': string } }> }>`EXPLAIN (FORMAT JSON)
    SELECT 1 FROM packages p WHERE ${live}`.execute(db);
  if (rows[0]?.['QUERY PLAN'][0]?.Plan['Node Type'] === 'Seq Scan') return countPast(db, count);
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    return countPast(trx, count);
  });
}
