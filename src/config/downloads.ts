import type { EnvReader } from './config-error.ts';

export interface DownloadsConfig {
  /** Downloads are counted in memory and written in one batch this often (and at shutdown). */
  flushIntervalMs: number;
  /** How often the per-package download windows used by ranking and trending are recomputed when stale. */
  popularityRefreshMs: number;
}

export function readDownloads(r: EnvReader): DownloadsConfig {
  return {
    flushIntervalMs: r.int('REGISTRY_DOWNLOAD_FLUSH_MS', 5_000, { min: 10 }),
    popularityRefreshMs: r.int('REGISTRY_POPULARITY_REFRESH_MS', 60_000, { min: 100 }),
  };
}
