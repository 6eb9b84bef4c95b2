/**
 * Keeps recently downloaded small blobs in memory. Blobs are immutable (content-addressed), so a
 * cached copy never goes stale and needs no coordination between instances; the popular tarballs
 * of a registry are few and small, and serving them skips the file system or S3 entirely.
 */
import { Readable } from 'node:stream';
import type { BlobReader, BlobStore } from './blob-store.ts';

/** The largest blob the registry's cache holds (start.ts); larger ones are always streamed. */
export const MAX_HELD_BLOB_BYTES = 256 * 1024;

export interface BlobCacheOptions {
  /** Total bytes held; 0 turns the cache off. */
  maxBytes: number;
  /** Larger blobs are always streamed from the store. */
  maxBlobBytes: number;
}

export interface BlobCacheStats {
  /** Whole-blob reads answered from memory, and those that went to the store. */
  hits: number;
  misses: number;
  bytes: number;
  entries: number;
}

/** The store, and (when the cache is on) what the cache did so far and what it holds. */
export type CachedBlobStore = BlobStore & {
  cacheStats?: () => BlobCacheStats;
  /** The whole blob if it is held in memory, at once; else undefined. Not counted: see `sentHeld`. */
  peek?: (key: string) => Buffer | undefined;
  /** Counts a blob `peek` gave as sent, as `open` counts a hit. */
  sentHeld?: (key: string) => void;
};

/**
 * A stream's bytes in one buffer. Not node:stream/consumers' buffer(): it goes through a Blob, which
 * made a first read of a small tarball two to three times the CPU of this (bench/RESULTS.md run 27).
 */
async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
  }
  return Buffer.concat(chunks, length);
}

export function withBlobCache(store: BlobStore, options: BlobCacheOptions): CachedBlobStore {
  if (options.maxBytes <= 0) return store;
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recent.
  // Only an entry in the older half is moved: re-inserting the same few popular keys on every hit
  // costs V8 ~13 µs each (against under 1 µs for a spread of keys), and the newer half is safe anyway.
  const cache = new Map<string, { bytes: Buffer; inserted: number }>();
  let held = 0;
  let inserts = 0;
  let hits = 0;
  let misses = 0;

  const insert = (key: string, bytes: Buffer) => {
    cache.set(key, { bytes, inserted: inserts++ });
  };
  const remember = (key: string, bytes: Buffer) => {
    // Concurrent misses of one key each read it; count it once.
    held -= cache.get(key)?.bytes.length ?? 0;
    cache.delete(key);
    insert(key, bytes);
    held += bytes.length;
    while (held > options.maxBytes) {
      const [oldest, old] = cache.entries().next().value!;
      cache.delete(oldest);
      held -= old.bytes.length;
    }
  };
  const served = (bytes: Buffer): BlobReader => new HeldBlob(bytes);

  const take = (key: string): Buffer | undefined => {
    const hit = cache.get(key);
    if (!hit) return undefined;
    hits++;
    if (inserts - hit.inserted > cache.size / 2) {
      cache.delete(key);
      insert(key, hit.bytes);
    }
    return hit.bytes;
  };

  return {
    ...store,
    peek: (key) => cache.get(key)?.bytes,
    sentHeld: (key) => void take(key),
    async open(key, range) {
      if (range !== undefined) return store.open(key, range);
      const kept = take(key);
      if (kept) return served(kept);
      misses++;
      const reader = await store.open(key);
      if (!reader || reader.size > options.maxBlobBytes) return reader;
      const bytes = reader.whole ? await reader.whole() : await collect(reader.stream);
      remember(key, bytes);
      return served(bytes);
    },
    cacheStats: () => ({ hits, misses, bytes: held, entries: cache.size }),
    async remove(key) {
      const entry = cache.get(key);
      if (entry) {
        cache.delete(key);
        held -= entry.bytes.length;
      }
      await store.remove(key);
    },
  };
}

/**
 * A held blob as a reader; its stream is made only if asked for (callers that can send `bytes` skip
 * it). A class: an object literal with a getter is a slow-mode object of its own, in V8 (see
 * FrontRequest in server/front-path.ts for what that cost per request).
 */
class HeldBlob implements BlobReader {
  readonly size: number;
  constructor(readonly bytes: Buffer) {
    this.size = bytes.length;
  }

  get stream(): Readable {
    return Readable.from([this.bytes]);
  }
}
