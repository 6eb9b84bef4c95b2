import { availableParallelism } from 'node:os';
import type { EnvReader } from './config-error.ts';

export interface LimitsConfig {
  maxTarballBytes: number;
  maxUnpackedBytes: number;
  maxEntries: number;
  /** Memory for recently downloaded small tarballs (immutable, so never stale); 0 turns it off. */
  blobCacheBytes: number;
  /** Scan published tarballs for credentials (REGISTRY_SECRET_SCAN). */
  scanSecrets: boolean;
  /** Scan on a worker thread beside the one reading the upload (REGISTRY_SECRET_SCAN_THREAD: true, false or auto); else inline. */
  scanThread: boolean;
}

export function readLimits(r: EnvReader): LimitsConfig {
  return {
    maxTarballBytes: r.int('REGISTRY_MAX_TARBALL_BYTES', 100 * 1024 * 1024, { min: 1024 }),
    maxUnpackedBytes: r.int('REGISTRY_MAX_UNPACKED_BYTES', 512 * 1024 * 1024, { min: 1024 }),
    maxEntries: r.int('REGISTRY_MAX_TARBALL_ENTRIES', 10_000, { min: 1 }),
    blobCacheBytes: r.int('REGISTRY_BLOB_CACHE_BYTES', 64 * 1024 * 1024, { min: 0 }),
    scanSecrets: r.bool('REGISTRY_SECRET_SCAN', true),
    scanThread: scanOnThread(r.oneOf('REGISTRY_SECRET_SCAN_THREAD', ['auto', 'true', 'false'] as const, 'auto')),
  };
}

/**
 * `auto`: a thread only where a core is likely free for it. Measured on 2 cores (bench/RESULTS.md run
 * 18), the thread's copying and hand-over made a 10 MB publish slower than scanning inline (+22 % against
 * +13 %); it pays where the scan can run beside the reading instead of taking turns with it.
 */
function scanOnThread(value: 'auto' | 'true' | 'false'): boolean {
  return value === 'auto' ? availableParallelism() > 2 : value === 'true';
}
