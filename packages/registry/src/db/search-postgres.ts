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
import {
  countPast,
  EXACT_TOTAL_LIMIT,
  exactList,
  newestPool,
  popularPool,
  SEARCH_CANDIDATES,
  SEARCH_PACKAGE_COLUMNS,
  toHit,
  type SearchPage,
  type SearchRow,
  type SearchWindow,
} from './search-packages.ts';
import type { Db } from './users.ts';

export interface PostgresSearch extends SearchWindow {
  /** tsquery text for `to_tsquery('simple', …)`; null means "every package". */
  tsquery: string | null;
  /** When typo corrections widened `tsquery`: the tsquery as typed, to tell exact matches apart. */
  typed: string | null;
  /** The hyphenated words as phrases (toAdjacencyTsquery): matching it adds its ts_rank to the text score. */
  adjacent: string | null;
  /**
   * The query as typed is one word (a prefix or not) in no particular field, perhaps OR-ed with its typo
   * corrections: the planner's estimate of its matches is then read off the index statistics' most
   * common words, close enough to trust far past the count limit.
   */
  oneWord: boolean;
}

/**
 * A query the planner expects to match at most this fraction of `rankAllLimit` is ranked in one
 * statement that also counts its matches: no separate count, no plan read twice (a narrow query
 * made seven round trips before, which was most of its time).
 */
const NARROW_SHARE = 0.5;

export async function searchPostgres(db: Db, q: PostgresSearch): Promise<SearchPage> {
  if (q.tsquery === null) return searchPostgresAll(db, q);
  const sqlParts = searchSql(q);
  const estimate = await estimateMatches(db, sqlParts.live);
  if (estimate <= q.rankAllLimit * NARROW_SHARE) {
    const page = await rankAllMatches(db, q, sqlParts);
    if (page) return page;
  }
  const limit = Math.max(EXACT_TOTAL_LIMIT, q.rankAllLimit);
  const counted = q.oneWord && estimate >= limit * ESTIMATE_MARGIN ? limit + 1 : await countMatches(db, sqlParts.live, { limit, estimate });
  // Which matches get a text score: every one, or past rankAllLimit only a bounded pool (ts_rank
  // for every match of a broad word cost 100 ms and more). Then the best by text alone, plus the
  // exact-name packages looked up by name (they still have to match); only these are joined to
  // popularity and scored.
  const pool = counted > q.rankAllLimit ? sql`p.id = ANY(${await broadPool(db, q, sqlParts.live)}::bigint[])` : sqlParts.live;
  const { rows } =
    await sql<SearchRow>`${ranked(q, sqlParts, candidatesOf(q, sqlParts, sql`SELECT p.id, ${sqlParts.text}::float8 AS text FROM packages p WHERE ${pool}`))}`.execute(
      db,
    );
  const hits = rows.map(toHit);
  return counted > EXACT_TOTAL_LIMIT ? { total: EXACT_TOTAL_LIMIT, totalIsEstimate: true, hits } : { total: counted, hits };
}

interface SearchSql {
  /** Live packages matching the query. */
  live: RawBuilder<unknown>;
  /** A matching row's raw text score. */
  text: RawBuilder<unknown>;
  /** Whether a row matches the query as typed (not only through a typo correction). */
  exactTerms: RawBuilder<unknown>;
}

function searchSql(q: PostgresSearch): SearchSql {
  const query = sql`to_tsquery('simple', ${q.tsquery})`;
  const rank = (tsquery: unknown) => sql`ts_rank('{0.1, 0.2, 0.4, 1.0}', p.search_vector, ${tsquery})`;
  const adjacent = sql`to_tsquery('simple', ${q.adjacent})`;
  return {
    live: sql`p.latest_version IS NOT NULL AND p.search_vector @@ ${query}`,
    text:
      q.adjacent === null
        ? rank(query)
        : sql`(${rank(query)} + CASE WHEN p.search_vector @@ ${adjacent} THEN ${rank(adjacent)} ELSE 0 END)`,
    exactTerms: q.typed === null ? sql`TRUE` : sql`(p.search_vector @@ to_tsquery('simple', ${q.typed}))`,
  };
}

/** The best `n` of `scored` (rows of id and text) by text, plus the exact-name packages that match. */
function candidatesOf(q: PostgresSearch, s: SearchSql, scored: RawBuilder<unknown>): RawBuilder<unknown> {
  const n = Math.max(SEARCH_CANDIDATES, q.offset + q.limit);
  return sql`(SELECT * FROM (${scored}) c ORDER BY c.text DESC, c.id LIMIT ${n})
    UNION
    SELECT p.id, ${s.text}::float8 AS text FROM packages p WHERE p.canonical_name IN (${exactList(q.exactNames)}) AND ${s.live}`;
}

/** The page of `candidates` (rows of id and text) by blended score, each row with the windowed count. */
function ranked(q: PostgresSearch, s: SearchSql, candidates: RawBuilder<unknown>): RawBuilder<unknown> {
  const parts = sql`SELECT ${SEARCH_PACKAGE_COLUMNS}, m.text,
      m.text / (m.text + ${RANKING.relevanceHalf.postgres}) * (CASE WHEN ${s.exactTerms} THEN 1.0 ELSE ${RANKING.typoFactor} END) AS relevance,
      ${s.exactTerms}::int AS exact_terms,
      ${RANKING.popularityWeight} * least(1.0, ln(1 + coalesce(pp.recent_downloads, 0)) / ${Math.log(1 + RANKING.popularitySaturation)}) AS popularity,
      ${RANKING.recencyWeight} / (1.0 + greatest(0.0, extract(epoch FROM (${q.now.toISOString()}::timestamptz - p.updated_at::timestamptz)) / 86400.0) / ${RANKING.recencyHalfLifeDays}) AS recency,
      CASE WHEN p.canonical_name IN (${exactList(q.exactNames)}) THEN ${RANKING.exactBoost} ELSE 0 END AS exact_match
    FROM (${candidates}) m JOIN packages p ON p.id = m.id LEFT JOIN package_popularity pp ON pp.package_id = p.id`;
  return sql`SELECT s.*, s.relevance + s.popularity + s.recency + s.exact_match AS score, count(*) OVER () AS total
    FROM (${parts}) s ORDER BY score DESC, s.name ASC LIMIT ${q.limit} OFFSET ${q.offset}`;
}

/**
 * Every match text-scored and counted in one statement, up to rankAllLimit + 1 of them: null when
 * there are more (the estimate was wrong), and the caller takes the broad path. The count comes on
 * every row, and on one row of nulls when the page is empty.
 */
async function rankAllMatches(db: Db, q: PostgresSearch, s: SearchSql): Promise<SearchPage | null> {
  const cap = q.rankAllLimit + 1;
  const { rows } = await sql<SearchRow & { matches: number }>`WITH matched AS MATERIALIZED (
      SELECT p.id, ${s.text}::float8 AS text FROM packages p WHERE ${s.live} LIMIT ${cap})
    SELECT c.matches, r.* FROM (SELECT count(*) AS matches FROM matched) c
    LEFT JOIN LATERAL (${ranked(q, s, candidatesOf(q, s, sql`SELECT * FROM matched`))}) r ON c.matches > 0`.execute(db);
  const matches = Number(rows[0]?.matches ?? 0);
  if (matches >= cap) return null;
  const hits = rows.filter((r) => r.id !== null).map(({ matches: _m, ...row }) => toHit(row as SearchRow));
  return matches > EXACT_TOTAL_LIMIT ? { total: EXACT_TOTAL_LIMIT, totalIsEstimate: true, hits } : { total: matches, hits };
}

/** Only exclusions (`-legacy`): every package but those, all scored (no text score to rank by). */
async function searchPostgresAll(db: Db, q: PostgresSearch): Promise<SearchPage> {
  const s: SearchSql = { live: sql`p.latest_version IS NOT NULL`, text: sql`0.0`, exactTerms: sql`TRUE` };
  const all = sql`SELECT p.id, 0.0::float8 AS text FROM packages p WHERE p.latest_version IS NOT NULL`;
  const { rows } = await sql<SearchRow>`${ranked(q, s, all)}`.execute(db);
  const scored =
    rows.length > 0
      ? Number(rows[0]!.total)
      : await countPast(db, sql`SELECT count(*) AS n FROM packages p WHERE p.latest_version IS NOT NULL`);
  return { total: scored, hits: rows.map(toHit) };
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
 * A one word query the planner expects this many times past the count limit to match is not counted:
 * its estimate (the index statistics' word frequencies, within a few percent at 100,000 packages) is
 * well past the limit, so `total` would be the limit's floor anyway.
 */
const ESTIMATE_MARGIN = 1.25;

/** The planner's estimate of the live matches (one EXPLAIN, no rows read). */
async function estimateMatches(db: Db, live: RawBuilder<unknown>): Promise<number> {
  const { rows } = await sql<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>`EXPLAIN (FORMAT JSON)
    SELECT 1 FROM packages p WHERE ${live}`.execute(db);
  return Number(rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0);
}

/**
 * The matches, counted up to `limit` + 1 (it decides how the query is ranked). With a LIMIT the
 * planner expects the scan to stop early and picks a sequential scan even for a fifth of the rows,
 * which then tests `@@` on half the table (`stream`: 70-95 ms; 25 ms through the index). So the LIMIT
 * is left to the planner only where the estimate is past twice the limit (the scan does stop early);
 * below the limit every match is counted without one (the planner takes the index), and in between
 * the capped count is made to use the index.
 */
async function countMatches(db: Db, live: RawBuilder<unknown>, o: { limit: number; estimate: number }): Promise<number> {
  const capped = sql`SELECT count(*) AS n FROM (SELECT 1 FROM packages p WHERE ${live} LIMIT ${o.limit + 1}) s`;
  if (o.estimate >= o.limit * 2) return countPast(db, capped);
  if (o.estimate < o.limit) return countPast(db, sql`SELECT count(*) AS n FROM packages p WHERE ${live}`);
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    return countPast(trx, capped);
  });
}
