/**
 * Rendered page bodies kept per registry instance, each under the version of the rows it was built
 * from (for a package page: the package row's updated_at, downloads and the day), as the API's
 * document cache does. The request still reads that version from the database, so a change is seen
 * at once; only the assembling and rendering of an unchanged page is saved. Bounded by characters:
 * a README can make a page a megabyte.
 */
import { LRUCache } from 'lru-cache';
import type { AppDeps } from '../server/deps.ts';

/** A rendered page body and the head fields that go with it. */
export interface CachedPage {
  title: string;
  description?: string;
  body: string;
}

export interface PageCache {
  get(key: string, version: string): CachedPage | undefined;
  set(key: string, version: string, page: CachedPage): void;
}

const MAX_CHARS = 64 * 1024 * 1024;
const caches = new WeakMap<AppDeps, PageCache>();

function createPageCache(maxChars: number): PageCache {
  const entries = new LRUCache<string, { version: string; page: CachedPage }>({
    maxSize: maxChars,
    sizeCalculation: (entry) => Math.max(1, entry.page.body.length + entry.version.length),
  });
  return {
    get: (key, version) => {
      const entry = entries.get(key);
      return entry && entry.version === version ? entry.page : undefined;
    },
    set: (key, version, page) => {
      if (page.body.length < maxChars / 16) entries.set(key, { version, page });
    },
  };
}

/** The page cache of this registry instance. */
export function pageCache(deps: AppDeps): PageCache {
  let cache = caches.get(deps);
  if (!cache) {
    cache = createPageCache(MAX_CHARS);
    caches.set(deps, cache);
  }
  return cache;
}
