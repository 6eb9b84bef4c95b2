/**
 * Runs a compiled search on SQLite: FTS5 with BM25 weighted name > keywords > description >
 * author, blended with popularity and recency and the exact-name boost (see search/ranking.ts).
 * The parts of each score come back too, for `explain=true`.
 */
import { sql, type RawBuilder } from 'kysely';
import { RANKING, roundScore, type ScoreParts } from '../search/ranking.ts';
import type { PackageRow } from './schema.ts';
import type { Db } from './users.ts';
import { broadCandidates, exactCandidates, textCandidates, typedTest } from './search-sqlite-candidates.ts';

/** What a page of results shows of a package: nothing else is read (each column read costs). */
export type SearchPackage = Pick<PackageRow, 'id' | 'name' | 'description' | 'latest_version' | 'keywords' | 'downloads'>;

/** The columns of SearchPackage, as the ranking statements select them (`p` is packages). */
export const SEARCH_PACKAGE_COLUMNS = sql`p.id, p.name, p.description, p.latest_version, p.keywords, p.downloads`;

export interface SearchHit {
  pkg: SearchPackage;
  score: number;
  parts: ScoreParts;
}

export interface SearchPage {
  total: number;
  /** Set when `total` is a floor (PostgreSQL stops counting past 10,000 matches). */
  totalIsEstimate?: boolean;
  hits: SearchHit[];
}

/** Paging, exact names, the clock and the candidate bound: what both backends take besides the compiled query. */
export interface SearchWindow {
  /** Canonical names that get the exact-match boost. */
  exactNames: string[];
  limit: number;
  offset: number;
  now: Date;
  /** Past this many matches only a bounded candidate set is ranked (config `search.rankAllLimit`). */
  rankAllLimit: number;
}

export interface SqliteSearch extends SearchWindow {
  /** FTS5 MATCH expression for what must match; null means "every package". */
  match: string | null;
  /** FTS5 MATCH expression for what must not match; null means "nothing excluded". */
  exclude: string | null;
  /** When typo corrections widened `match`: the MATCH expression as typed, to tell exact matches apart. */
  typed: string | null;
}

type Row = SearchPackage & {
  text: number;
  relevance: number;
  exact_terms: number;
  popularity: number;
  recency: number;
  exact_match: number;
  score: number;
  total: number;
};

/**
 * Text matches ranked before blending: only this many of the best by BM25 are joined to their
 * package and popularity rows and scored (more when the page asked for lies deeper). Scoring every
 * match of a broad query (`a`, `stream`: 20,000 to 100,000 packages) took 100 to 400 ms.
 */
export const SEARCH_CANDIDATES = 1000;

/**
 * A broad query (more than `rankAllLimit` matches) ranks its matches among this many most downloaded
 * packages (never more than `rankAllLimit`), plus its newest matches (see newestPool).
 */
export const POPULAR_POOL = 2000;
/** Past this many matches a search stops counting (counting 20,000 matches cost PostgreSQL 40 ms): `total` is then this floor, marked an estimate. */
export const EXACT_TOTAL_LIMIT = 10_000;
export const NEWEST_POOL = 200;

export async function searchSqlite(db: Db, q: SqliteSearch): Promise<SearchPage> {
  if (q.match === null) return searchSqliteAll(db, q);
  const n = Math.max(SEARCH_CANDIDATES, q.offset + q.limit);
  // Counting reads only the match list, and stops past the larger of the exact-total limit and the
  // rank-all limit: enough to choose the path; past 10,000 the total is a floor, as on PostgreSQL.
  const cap = Math.max(EXACT_TOTAL_LIMIT, q.rankAllLimit) + 1;
  const matches = await countPast(
    db,
    sql`SELECT count(*) AS n FROM (SELECT 1 FROM package_search WHERE package_search MATCH ${q.match} LIMIT ${cap})`,
  );
  const top =
    matches > q.rankAllLimit
      ? await broadCandidates(db, { match: q.match, n, popular: popularPool(q), newest: newestPool(q) })
      : textCandidates(q.match, n);
  const exact = await exactCandidates(db, q.match, q.exactNames);
  const candidates = sql`WITH top AS MATERIALIZED (${top}), candidates AS MATERIALIZED (SELECT id, text FROM top${exact})`;
  const matched = sql`SELECT id, text, ${typedTest(q.typed)} AS exact FROM candidates`;
  const rows = await blend(db, q, { candidates, matched, exactTerms: sql`m.exact` });
  // Every match was a candidate: the blended count is exact (it leaves out unpublished packages).
  const total =
    matches <= n && matches <= q.rankAllLimit
      ? rows.length > 0
        ? Number(rows[0]!.total)
        : await countPast(
            db,
            sql`${candidates} SELECT count(*) AS n FROM packages p JOIN (${matched}) m ON p.id = m.id WHERE p.latest_version IS NOT NULL`,
          )
      : matches;
  if (total > EXACT_TOTAL_LIMIT) return { total: EXACT_TOTAL_LIMIT, totalIsEstimate: true, hits: rows.map(toHit) };
  return { total, hits: rows.map(toHit) };
}

interface Blended {
  /** A WITH clause the other parts read from, or nothing. */
  candidates?: RawBuilder<unknown>;
  /** Rows (id, text[, exact]) to score. */
  matched: RawBuilder<unknown>;
  /** Whether a row matched the query as typed (not only through a typo correction). */
  exactTerms: RawBuilder<unknown>;
  /** A further condition on `m` (`AND …`), or nothing. */
  excluded?: RawBuilder<unknown>;
}

/** Scores the matched rows (id, text) and returns the page, each row with the windowed total. */
async function blend(db: Db, q: SqliteSearch, b: Blended): Promise<Row[]> {
  const { exactTerms } = b;
  const parts = sql`SELECT ${SEARCH_PACKAGE_COLUMNS}, m.text,
      m.text / (m.text + ${RANKING.relevanceHalf.sqlite}) * (CASE WHEN ${exactTerms} THEN 1.0 ELSE ${RANKING.typoFactor} END) AS relevance,
      ${exactTerms} AS exact_terms,
      ${RANKING.popularityWeight} * min(1.0, ln(1 + coalesce(pp.recent_downloads, 0)) / ${Math.log(1 + RANKING.popularitySaturation)}) AS popularity,
      ${RANKING.recencyWeight} / (1.0 + max(0.0, julianday(${q.now.toISOString()}) - julianday(p.updated_at)) / ${RANKING.recencyHalfLifeDays}) AS recency,
      CASE WHEN p.canonical_name IN (${exactList(q.exactNames)}) THEN ${RANKING.exactBoost} ELSE 0 END AS exact_match
    FROM (${b.matched}) m JOIN packages p ON p.id = m.id LEFT JOIN package_popularity pp ON pp.package_id = p.id
    WHERE p.latest_version IS NOT NULL ${b.excluded ?? sql``}`;
  const { rows } =
    await sql<Row>`${b.candidates ?? sql``} SELECT *, relevance + popularity + recency + exact_match AS score, count(*) OVER () AS total
    FROM (${parts}) ORDER BY score DESC, name ASC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  return rows;
}

/** Only exclusions (`-legacy`): every package but those, all scored (no text score to rank by). */
async function searchSqliteAll(db: Db, q: SqliteSearch): Promise<SearchPage> {
  const matched = sql`SELECT id, 0.0 AS text FROM packages WHERE latest_version IS NOT NULL`;
  const excluded =
    q.exclude === null ? sql`` : sql`AND m.id NOT IN (SELECT rowid FROM package_search WHERE package_search MATCH ${q.exclude})`;
  const rows = await blend(db, q, { matched, exactTerms: sql`1`, excluded });
  const total =
    rows.length > 0
      ? Number(rows[0]!.total)
      : await countPast(db, sql`SELECT count(*) AS n FROM packages m WHERE m.latest_version IS NOT NULL ${excluded}`);
  return { total, hits: rows.map(toHit) };
}

/** How many of the most downloaded packages a broad query's ranking looks at. */
export const popularPool = (q: SearchWindow): number => Math.min(POPULAR_POOL, q.rankAllLimit);

/**
 * How many of a broad query's newest matches its ranking looks at: enough to fill the page asked
 * for (so every page up to the total is full), and never fewer than NEWEST_POOL (within the limit),
 * so the first ten pages of 20 rank the same pool and agree with each other. 1,000 cost `tools`
 * (8,000 matches) 12 ms more, most of it blending the extra candidates.
 */
export const newestPool = (q: SearchWindow): number => Math.max(q.offset + q.limit, Math.min(NEWEST_POOL, q.rankAllLimit));

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
    pkg,
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
