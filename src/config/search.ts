import type { EnvReader } from './config-error.ts';

export interface SearchConfig {
  /**
   * Queries matching up to this many packages rank every match by text relevance. Broader ones rank
   * a bounded candidate set instead (the matches among this many most downloaded packages, plus the
   * newest matches that fill the page asked for), so a word like `a` costs the same as a query with
   * this many matches, however many packages hold it. `total` stays the exact count of matches.
   */
  rankAllLimit: number;
}

export function readSearch(r: EnvReader): SearchConfig {
  return { rankAllLimit: r.int('REGISTRY_SEARCH_RANK_ALL_LIMIT', 5_000, { min: 1, max: 100_000 }) };
}
