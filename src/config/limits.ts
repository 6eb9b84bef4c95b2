import type { EnvReader } from './config-error.ts';

export interface LimitsConfig {
  maxTarballBytes: number;
  maxUnpackedBytes: number;
  maxEntries: number;
  /** Memory for recently downloaded small tarballs (immutable, so never stale); 0 turns it off. */
  blobCacheBytes: number;
  /** Scan published tarballs for credentials (REGISTRY_SECRET_SCAN). */
  scanSecrets: boolean;
  /** Scan on a worker thread beside the one reading the upload (REGISTRY_SECRET_SCAN_THREAD); else inline. */
  scanThread: boolean;
}

export function readLimits(r: EnvReader): LimitsConfig {
  return {
    maxTarballBytes: r.int('REGISTRY_MAX_TARBALL_BYTES', 100 * 1024 * 1024, { min: 1024 }),
    maxUnpackedBytes: r.int('REGISTRY_MAX_UNPACKED_BYTES', 512 * 1024 * 1024, { min: 1024 }),
    maxEntries: r.int('REGISTRY_MAX_TARBALL_ENTRIES', 10_000, { min: 1 }),
    blobCacheBytes: r.int('REGISTRY_BLOB_CACHE_BYTES', 64 * 1024 * 1024, { min: 0 }),
    scanSecrets: r.bool('REGISTRY_SECRET_SCAN', true),
    scanThread: r.bool('REGISTRY_SECRET_SCAN_THREAD', true),
  };
}
