/**
 * A tarball through pull-through: fetched from the upstream once (concurrent asks share the fetch),
 * staged while hashed, and committed to the blob store only when both its sha512 and its sha256 are
 * what the upstream's package document says. A mismatch leaves nothing behind.
 */
import { RegistryError } from '../../../core/src/errors.ts';
import { canonicalName } from '../../../core/src/names.ts';
import type { Readable } from 'node:stream';
import type { Db } from '../db/users.ts';
import type { BlobStore, StagedBlob } from '../storage/index.ts';
import type { Coalescer } from './coalesce.ts';
import { findCachedTarball, recordTarball, type CachedTarball } from './cache.ts';
import type { UpstreamPackage } from './documents.ts';
import { UpstreamIntegrityError, UpstreamUnavailableError } from './errors.ts';
import type { UpstreamClient } from './upstream-client.ts';

export interface FetchedTarball extends CachedTarball {
  name: string;
  version: string;
}

export interface TarballFetchDeps {
  db: Db;
  store: BlobStore;
  client: UpstreamClient;
  once: Coalescer;
  now: () => Date;
  maxBytes: number;
  packageDocument(name: string): Promise<{ document: UpstreamPackage } | null>;
}

export async function fetchTarballOnce(deps: TarballFetchDeps, name: string, version: string): Promise<FetchedTarball | null> {
  const canonical = canonicalName(name);
  const held = await findCachedTarball(deps.db, canonical, version);
  if (held) return { ...held, name, version };
  // Looked up again inside the coalesced run, for an ask that missed the record just before another's fetch stored it.
  return deps.once.run(`tarball:${canonical}@${version}`, async () => {
    const stored = await findCachedTarball(deps.db, canonical, version);
    return stored ? { ...stored, name, version } : fetchTarball(deps, name, version);
  });
}

async function fetchTarball(deps: TarballFetchDeps, name: string, version: string): Promise<FetchedTarball | null> {
  // A stale document is good enough: a version's integrity never changes.
  const pkg = await deps.packageDocument(name);
  const entry = pkg?.document.versions.find((v) => v.version === version);
  if (!pkg || !entry) return null;
  const stored = await downloadVerified(deps, { name: pkg.document.name, version, integrity: entry.integrity, checksum: entry.checksum });
  if (!stored) return null;
  await recordTarball(deps.db, { ...stored, canonicalName: canonicalName(name), version, storedAt: deps.now().toISOString() });
  return { ...stored, name: pkg.document.name, version };
}

export interface VerifiedDownloadDeps {
  store: BlobStore;
  client: UpstreamClient;
  maxBytes: number;
}

/**
 * Streams a version's tarball from the upstream into staging while hashing it, and commits it to
 * the blob store only when its sha512 and sha256 are the expected ones; null when the upstream has
 * none. Throws UpstreamIntegrityError on a mismatch, leaving nothing behind.
 */
export async function downloadVerified(
  deps: VerifiedDownloadDeps,
  want: { name: string; version: string; integrity: string; checksum: string },
): Promise<CachedTarball | null> {
  const path = `/packages/${encodeURIComponent(want.name)}/${encodeURIComponent(want.version)}/tarball`;
  const body = await deps.client.getStream(path);
  if (!body) return null;
  const staged = await stage(deps, body, path);
  try {
    const integrity = `sha512-${staged.sha512}`;
    if (integrity !== want.integrity || staged.sha256 !== want.checksum) {
      throw new UpstreamIntegrityError(want.name, want.version, want.integrity, integrity);
    }
    await deps.store.commit(staged);
    return { checksum: staged.sha256, integrity, size: staged.size };
  } finally {
    await staged.discard();
  }
}

async function stage(deps: VerifiedDownloadDeps, body: Readable, path: string): Promise<StagedBlob> {
  try {
    return await deps.store.stage(body, { maxBytes: deps.maxBytes });
  } catch (error) {
    body.destroy();
    if (error instanceof RegistryError && error.code !== 'tarball_too_large') throw error; // storage's own failure
    if (error instanceof RegistryError) {
      throw new UpstreamUnavailableError(
        deps.client.baseUrl,
        'too_large',
        `the upstream's tarball at ${path} is larger than ${deps.maxBytes} bytes`,
        { cause: error },
      );
    }
    const name = (error as Error).name;
    const reason = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unreachable';
    throw new UpstreamUnavailableError(deps.client.baseUrl, reason, `the upstream's tarball at ${path} could not be read whole`, {
      cause: error,
    });
  }
}
