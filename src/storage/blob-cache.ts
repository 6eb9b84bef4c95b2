/**
 * Keeps recently downloaded small blobs in memory. Blobs are immutable (content-addressed), so a
 * cached copy never goes stale and needs no coordination between instances; the popular tarballs
 * of a registry are few and small, and serving them skips the file system or S3 entirely.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { BlobReader, BlobStore } from './blob-store.ts';

export interface BlobCacheOptions {
  /** Total bytes held; 0 turns the cache off. */
  maxBytes: number;
  /** Larger blobs are always streamed from the store. */
  maxBlobBytes: number;
}

export function withBlobCache(store: BlobStore, options: BlobCacheOptions): BlobStore {
  if (options.maxBytes <= 0) return store;
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recent.
  const cache = new Map<string, Buffer>();
  let held = 0;

  const remember = (key: string, bytes: Buffer) => {
    // Concurrent misses of one key each read it; count it once.
    held -= cache.get(key)?.length ?? 0;
    cache.set(key, bytes);
    held += bytes.length;
    while (held > options.maxBytes) {
      const [oldest, old] = cache.entries().next().value!;
      cache.delete(oldest);
      held -= old.length;
    }
  };
  // The stream is made only if asked for: callers that can send `bytes` skip it.
  const served = (bytes: Buffer): BlobReader => ({
    get stream() {
      return Readable.from([bytes]);
    },
    size: bytes.length,
    bytes,
  });

  return {
    ...store,
    async open(key, range) {
      if (range !== undefined) return store.open(key, range);
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return served(hit);
      }
      const reader = await store.open(key);
      if (!reader || reader.size > options.maxBlobBytes) return reader;
      const bytes = await buffer(reader.stream);
      remember(key, bytes);
      return served(bytes);
    },
    async remove(key) {
      const bytes = cache.get(key);
      if (bytes) {
        cache.delete(key);
        held -= bytes.length;
      }
      await store.remove(key);
    },
  };
}
