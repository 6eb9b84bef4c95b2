import type { EnvReader } from './config-error.ts';

export interface DownloadsConfig {
  /** Downloads are counted in memory and written in one batch this often (and at shutdown). */
  flushIntervalMs: number;
}

export function readDownloads(r: EnvReader): DownloadsConfig {
  return { flushIntervalMs: r.int('REGISTRY_DOWNLOAD_FLUSH_MS', 5_000, { min: 10 }) };
}
