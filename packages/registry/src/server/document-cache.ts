/**
 * Rendered JSON documents kept per instance, each under the version of the row it was built from.
 * A request still reads that version from the database, so every instance answers with what was
 * last written (read-after-write holds across instances); only the assembling and serialising of
 * an unchanged document is saved.
 */
export interface DocumentCache {
  /** The cached body when it was rendered from exactly this version of its source (and, if it expires, before then). */
  get(key: string, version: string, now?: Date): string | undefined;
  /** `expiresAt`: when the clock alone may change the document (a version's delete verdict). */
  set(key: string, version: string, body: string, expiresAt?: Date): void;
}

export function createDocumentCache(options: { maxEntries: number }): DocumentCache {
  // Insertion order doubles as recency: a hit is re-inserted, the first key is the oldest.
  const entries = new Map<string, { version: string; body: string; expiresAt: number }>();
  return {
    get(key, version, now) {
      const entry = entries.get(key);
      if (!entry || entry.version !== version) return undefined;
      if (now !== undefined && now.getTime() >= entry.expiresAt) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry.body;
    },
    set(key, version, body, expiresAt) {
      entries.delete(key);
      entries.set(key, { version, body, expiresAt: expiresAt?.getTime() ?? Number.POSITIVE_INFINITY });
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
