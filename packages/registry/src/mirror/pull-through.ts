/**
 * Pull-through: what this registry does not hold is asked of the upstream, and kept. Documents are
 * cached with a bounded staleness (served as they are while younger than the max age; refreshed after;
 * served stale, and said to be, while the upstream cannot answer). Tarballs are fetched once, checked
 * against the upstream's sha512 before they are stored or served, and kept forever.
 *
 * The house rule "a GET never writes" has this one exception: filling this cache, as any HTTP cache
 * does on a miss. Nothing a user published or owns is ever written by a read.
 */
import { canonicalName } from '../../../core/src/names.ts';
import type { Db } from '../db/users.ts';
import type { BlobStore } from '../storage/index.ts';
import type { UpstreamConfig } from '../config/index.ts';
import { createCoalescer } from './coalesce.ts';
import { forgetPackage, readDocument, writeDocument, type CachedDocument } from './cache.ts';
import { asPackage, asVersion, type UpstreamPackage, type UpstreamVersion } from './documents.ts';
import { UpstreamUnavailableError } from './errors.ts';
import { createUpstreamClient, type UpstreamClient } from './upstream-client.ts';
import { fetchTarballOnce, type FetchedTarball } from './tarball-fetch.ts';

export interface PullThroughOptions {
  db: Db;
  store: BlobStore;
  upstream: UpstreamConfig & { url: string };
  maxTarballBytes: number;
  now: () => Date;
}

/** A document and whether it is a cached copy served because the upstream could not be asked. */
export interface Fetched<T> {
  document: T;
  stale: boolean;
}

export interface PullThrough {
  readonly upstreamUrl: string;
  /** The upstream's package document, or null when the upstream has no such package. */
  packageDocument(name: string): Promise<Fetched<UpstreamPackage> | null>;
  versionDocument(name: string, version: string): Promise<Fetched<UpstreamVersion> | null>;
  /** The version's tarball, stored here and verified; null when the upstream has no such version. */
  tarball(name: string, version: string): Promise<FetchedTarball | null>;
  /** Whether the upstream (or its cached copy) has this package: the dependency-confusion guard's question. */
  existsUpstream(name: string): Promise<boolean>;
}

interface DocumentSpec<T> {
  key: string;
  canonical: string;
  path: string;
  parse(value: unknown): T | null;
  /** The upstream answered 404 for it. */
  onMissing?(): Promise<void>;
}

export function createPullThrough(options: PullThroughOptions): PullThrough {
  const { db, upstream } = options;
  const client: UpstreamClient = createUpstreamClient({
    baseUrl: upstream.url,
    timeoutMs: upstream.timeoutMs,
    maxDocumentBytes: upstream.maxDocumentBytes,
  });
  const once = createCoalescer();
  const fresh = (row: CachedDocument) => options.now().getTime() - Date.parse(row.fetchedAt) < upstream.maxAgeMs;
  const fromRow = <T>(spec: DocumentSpec<T>, row: CachedDocument | null) => (row ? spec.parse(JSON.parse(row.body)) : null);

  async function cachedDocument<T>(spec: DocumentSpec<T>): Promise<Fetched<T> | null> {
    const row = await readDocument(db, spec.key);
    const cached = row && fresh(row) ? fromRow(spec, row) : null;
    if (cached) return { document: cached, stale: false };
    // Read again inside the coalesced run: a request that read the cache just before another one's
    // refresh wrote it would otherwise start a second upstream request once that refresh is over.
    return once.run(spec.key, async () => {
      const again = await readDocument(db, spec.key);
      const filled = again && fresh(again) ? fromRow(spec, again) : null;
      return filled ? { document: filled, stale: false } : refresh(spec, again ?? row);
    });
  }

  async function refresh<T>(spec: DocumentSpec<T>, row: CachedDocument | null): Promise<Fetched<T> | null> {
    let answer: unknown;
    try {
      answer = await client.getJson(spec.path);
    } catch (error) {
      const stale = error instanceof UpstreamUnavailableError ? fromRow(spec, row) : null;
      if (stale) return { document: stale, stale: true };
      throw error;
    }
    if (answer === null) {
      await spec.onMissing?.();
      return null;
    }
    const document = spec.parse(answer);
    if (!document)
      throw new UpstreamUnavailableError(
        upstream.url,
        'bad_answer',
        `the upstream's answer to GET ${spec.path} is not the document asked for`,
      );
    const body = JSON.stringify(document);
    // The cache fill (see the module comment); a row past the size cap is served but not kept.
    if (Buffer.byteLength(body) <= upstream.maxDocumentBytes) {
      await writeDocument(db, { key: spec.key, canonicalName: spec.canonical, body, fetchedAt: options.now().toISOString() });
    }
    return { document, stale: false };
  }

  const packageDocument = (name: string) => {
    const canonical = canonicalName(name);
    return cachedDocument({
      key: `package:${canonical}`,
      canonical,
      path: `/packages/${encodeURIComponent(name)}`,
      parse: (value) => asPackage(value, name),
      onMissing: () => forgetPackage(db, canonical),
    });
  };

  return {
    upstreamUrl: upstream.url,
    packageDocument,
    versionDocument(name, version) {
      const canonical = canonicalName(name);
      return cachedDocument({
        key: `version:${canonical}@${version}`,
        canonical,
        path: `/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}`,
        parse: (value) => asVersion(value, name, version),
      });
    },
    tarball: (name, version) =>
      fetchTarballOnce(
        { db, store: options.store, client, once, now: options.now, maxBytes: options.maxTarballBytes, packageDocument },
        name,
        version,
      ),
    async existsUpstream(name) {
      return (await packageDocument(name)) !== null;
    },
  };
}
