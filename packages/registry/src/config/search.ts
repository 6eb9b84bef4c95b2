import type { EnvReader } from './config-error.ts';

export interface SearchConfig {
  /**
   * Queries matching up to this many packages rank every match by text relevance. Broader ones rank
   * a bounded candidate set instead (their matches among the 2,000 most downloaded packages and their
   * 200 newest matches, neither more than this number; see db/search-packages.ts), so a word like
   * `a` costs about what a query with this many matches does, however many packages hold it.
   * `total` stays the exact count of matches (on PostgreSQL up to 10,000, as before).
   */
  rankAllLimit: number;
  /**
   * How long a broad query's page (more than rankAllLimit matches) is kept in memory and served again
   * by this instance, in ms; 0 turns the cache off. A publish or delete on the same instance empties it.
   */
  cacheMs: number;
}

export function readSearch(r: EnvReader): SearchConfig {
  return {
    rankAllLimit: r.int('REGISTRY_SEARCH_RANK_ALL_LIMIT', 5_000, { min: 1, max: 100_000 }),
    cacheMs: r.int('REGISTRY_SEARCH_CACHE_MS', 5_000, { min: 0, max: 60_000 }),
  };
}
