/**
 * From a parsed query to a page of ranked packages: widen typo-tolerant words with the corrections
 * the vocabulary knows, compile for the backend, run. Popularity is read as the background refresher
 * last left it (a search never writes).
 */
import {
  exactNameCandidates,
  toAdjacencyTsquery,
  toFts5Match,
  toTsquery,
  typoWords,
  withTypos,
  type SearchQuery,
} from '../search/index.ts';
import { knownNeighbours } from './known-neighbours.ts';
import { searchSqlite, type SearchPage, type SearchWindow } from '../db/search-packages.ts';
import { searchPostgres } from '../db/search-postgres.ts';
import type { Config } from '../config/index.ts';
import type { RegistryDatabase } from '../db/database.ts';
import { isBroad, searchCache, searchCacheKey } from './search-cache.ts';
import { searchQueue } from './search-queue.ts';

export interface SearchRun {
  input: string;
  query: Exclude<SearchQuery, null>;
  limit: number;
  offset: number;
  /** The indexed words among the query's typo candidates, when the caller looked them up already. */
  known?: ReadonlySet<string>;
}

type SearchDeps = { db: RegistryDatabase; now: () => Date; config: Pick<Config, 'search' | 'database'> };

/**
 * Runs a search on whichever backend the registry uses; same results on both. A broad query's page
 * is served from this instance's memory for `search.cacheMs` after it was computed (search-cache.ts).
 */
export async function runSearch(deps: SearchDeps, run: SearchRun): Promise<SearchPage> {
  const now = deps.now();
  const { rankAllLimit, cacheMs } = deps.config.search;
  const window = { exactNames: exactNameCandidates(run.input, run.query), limit: run.limit, offset: run.offset, now, rankAllLimit };
  const cache = searchCache(deps.db, cacheMs);
  const key = searchCacheKey({ query: run.query, ...window });
  const cached = cache.get(key, now.getTime());
  if (cached) return cached;
  // Queued, so a burst of searches cannot hold up the reads beside them (search-queue.ts).
  const page = await searchQueue(deps.db, deps.config.database).run(() => searchBackend(deps.db, run, window));
  if (isBroad(page, rankAllLimit)) cache.set(key, page, now.getTime());
  return page;
}

async function searchBackend(db: RegistryDatabase, run: SearchRun, window: SearchWindow): Promise<SearchPage> {
  const { kysely, dialect } = db;
  const known = run.known ?? (await knownNeighbours(db, typoWords(run.query)));
  const widened = withTypos(run.query, known);
  const typos = widened !== run.query;
  if (dialect === 'postgres') {
    // The planner's estimate ignores weights, so a field filter (`name:a`) is no plain word.
    const asTyped = run.query;
    const oneWord = asTyped.kind === 'term' && !asTyped.field && !asTyped.text.includes(' ');
    return searchPostgres(kysely, {
      ...window,
      tsquery: toTsquery(widened),
      typed: typos ? toTsquery(run.query) : null,
      adjacent: toAdjacencyTsquery(run.query),
      oneWord,
    });
  }
  const fts = toFts5Match(widened);
  // Typo corrections never touch excluded words, so `exclude` is the same either way.
  const typed = typos ? (toFts5Match(run.query)?.match ?? null) : null;
  return searchSqlite(kysely, { ...window, match: fts?.match ?? null, exclude: fts?.exclude ?? null, typed });
}
