/**
 * From a parsed query to a page of ranked packages: widen typo-tolerant words with the corrections
 * the vocabulary knows, compile for the backend, run. Popularity is read as the background refresher
 * last left it (a search never writes).
 */
import { exactNameCandidates, toAdjacencyTsquery, toFts5Match, toTsquery, typoCandidates, withTypos, type SearchQuery } from '../search/index.ts';
import { knownWords } from '../db/search-index.ts';
import { searchSqlite, type SearchPage } from '../db/search-packages.ts';
import { searchPostgres } from '../db/search-postgres.ts';
import type { Config } from '../config/index.ts';
import type { RegistryDatabase } from '../db/database.ts';

export interface SearchRun {
  input: string;
  query: Exclude<SearchQuery, null>;
  limit: number;
  offset: number;
  /** The indexed words among the query's typo candidates, when the caller looked them up already. */
  known?: ReadonlySet<string>;
}

/** Runs a search on whichever backend the registry uses; same results on both. */
export async function runSearch(deps: { db: RegistryDatabase; now: () => Date; config: Pick<Config, 'search'> }, run: SearchRun): Promise<SearchPage> {
  const { kysely, dialect } = deps.db;
  const now = deps.now();
  const known = run.known ?? (await knownWords(kysely, dialect, typoCandidates(run.query)));
  const widened = withTypos(run.query, known);
  const typos = widened !== run.query;
  const window = {
    exactNames: exactNameCandidates(run.input, run.query),
    limit: run.limit,
    offset: run.offset,
    now,
    rankAllLimit: deps.config.search.rankAllLimit,
  };
  if (dialect === 'postgres') {
    const typed = typos ? toTsquery(run.query) : null;
    return searchPostgres(kysely, { ...window, tsquery: toTsquery(widened), typed, adjacent: toAdjacencyTsquery(run.query) });
  }
  const fts = toFts5Match(widened);
  // Typo corrections never touch excluded words, so `exclude` is the same either way.
  const typed = typos ? toFts5Match(run.query)?.match ?? null : null;
  return searchSqlite(kysely, { ...window, match: fts?.match ?? null, exclude: fts?.exclude ?? null, typed });
}
