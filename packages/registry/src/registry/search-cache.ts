/**
 * The broadest searches' pages, kept per registry instance for a few seconds (config
 * `search.cacheMs`). A broad query (`a`, `st`, `http`: more than CACHE_MIN_MATCHES matches) is
 * the most common kind while someone starts typing, and the costliest; its page barely moves
 * between two requests a second apart. Narrow queries are cheap and never cached. A publish or delete on
 * this instance empties the cache; another instance's change shows after at most `cacheMs`.
 * Reading and writing it is memory only: a search still never writes to the database.
 */
import { LRUCache } from 'lru-cache';
import type { SearchPage } from '../db/search-packages.ts';
import type { RegistryDatabase } from '../db/database.ts';
import type { SearchNode, SearchQuery } from '../search/index.ts';

/** Pages kept at most; the least recently used goes first. */
export const SEARCH_CACHE_ENTRIES = 256;

export interface SearchCache {
  /** The page stored under `key` less than the cache's lifetime before `now` (ms since the epoch). */
  get(key: string, now: number): SearchPage | undefined;
  set(key: string, page: SearchPage, now: number): void;
  clear(): void;
}

export function createSearchCache(options: { ttlMs: number; maxEntries?: number }): SearchCache {
  const entries = new LRUCache<string, { at: number; page: SearchPage }>({ max: options.maxEntries ?? SEARCH_CACHE_ENTRIES });
  return {
    get(key, now) {
      const entry = entries.get(key);
      // The injected clock decides freshness (lru-cache's own TTL reads the real one).
      if (!entry || now - entry.at >= options.ttlMs || now < entry.at) return undefined;
      return entry.page;
    },
    set(key, page, now) {
      if (options.ttlMs > 0) entries.set(key, { at: now, page });
    },
    clear: () => entries.clear(),
  };
}

const caches = new WeakMap<RegistryDatabase, SearchCache>();

/** The search cache of the registry instance using this database handle. */
export function searchCache(db: RegistryDatabase, ttlMs: number): SearchCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = createSearchCache({ ttlMs });
    caches.set(db, cache);
  }
  return cache;
}

/** After a change to the packages (publish, delete, unpublish): this instance's cached pages are stale. */
export function forgetSearches(db: RegistryDatabase): void {
  caches.get(db)?.clear();
}

/**
 * What a search's page depends on besides the data: the parsed query (the words as the index reads
 * them, so `HTTP` and `http` share an entry), the exact names it boosts, and the window.
 */
export function searchCacheKey(parts: { query: Exclude<SearchQuery, null>; exactNames: string[]; limit: number; offset: number }): string {
  return JSON.stringify([parts.limit, parts.offset, parts.exactNames, normalised(parts.query)]);
}

function normalised(node: SearchNode): unknown {
  if (node.kind === 'term') return [node.text, node.field ?? '', node.phrase, node.prefix];
  if (node.kind === 'not') return ['not', normalised(node.child)];
  return [node.kind, ...node.children.map(normalised)];
}

/**
 * Matches past which a query's page is kept: in bench/search-speed.ts's mix at 100,000 packages,
 * about 30 of 69 queries match 2,000 packages or more, and each costs PostgreSQL several times what a
 * narrow query does. Never above the rank-all limit, past which a query takes the bounded path.
 */
export const CACHE_MIN_MATCHES = 1000;

/** Whether a page is worth keeping: its query is among the broadest. */
export const isBroad = (page: SearchPage, rankAllLimit: number): boolean =>
  page.totalIsEstimate === true || page.total > Math.min(CACHE_MIN_MATCHES, rankAllLimit);
