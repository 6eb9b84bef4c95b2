import type { EnvReader } from './config-error.ts';
import type { RegistryEnv } from './index.ts';

export interface DownloadsConfig {
  /** Downloads are counted in memory and written in one batch this often (and at shutdown). */
  flushIntervalMs: number;
  /**
   * One IP counts a version at most once in this window (0: every download counts). Off by
   * default in tests, as rate limiting is, so a suite can download one version repeatedly.
   */
  countWindowMs: number;
  /** How many (IP, version) pairs this process remembers for that; the oldest go first. */
  countMemoryEntries: number;
  /** How often the per-package download windows used by ranking and trending are recomputed when stale. */
  popularityRefreshMs: number;
}

export function readDownloads(r: EnvReader, mode: RegistryEnv): DownloadsConfig {
  return {
    flushIntervalMs: r.int('REGISTRY_DOWNLOAD_FLUSH_MS', 5_000, { min: 10 }),
    countWindowMs: r.int('REGISTRY_DOWNLOAD_COUNT_WINDOW_MS', mode === 'test' ? 0 : 3_600_000, { min: 0 }),
    countMemoryEntries: r.int('REGISTRY_DOWNLOAD_COUNT_MEMORY', 100_000, { min: 1, max: 10_000_000 }),
    popularityRefreshMs: r.int('REGISTRY_POPULARITY_REFRESH_MS', 60_000, { min: 100 }),
  };
}
