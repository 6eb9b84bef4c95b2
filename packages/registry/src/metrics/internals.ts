/**
 * Gauges and counters read from the parts that keep their own state, at scrape time: the download
 * count buffer, the blob cache, the database pool.
 */
import type { Metrics } from './metrics.ts';
import { sampled } from './families.ts';
import type { DownloadBufferStats } from '../registry/download-recorder.ts';
import type { BlobCacheStats } from '../storage/index.ts';

export interface InternalSources {
  downloads: { stats(): DownloadBufferStats };
  blobCache: (() => BlobCacheStats) | undefined;
  pool: () => { total: number; idle: number; waiting: number } | undefined;
  /** Readiness checks, run at each scrape (as /health/ready runs them), each bounded by PING_TIMEOUT_MS. */
  pings: Record<'database' | 'storage', () => Promise<void>>;
}

const PING_TIMEOUT_MS = 2_000;

/** Resolves true when `ping` answers in time, false when it fails or takes too long. */
async function answers(ping: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      ping().then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerInternals(metrics: Metrics, sources: InternalSources): void {
  if (!metrics.enabled) return;
  const r = metrics.registry;
  const up = new Map<string, number>();
  metrics.addCollector(async () => {
    await Promise.all(Object.entries(sources.pings).map(async ([name, ping]) => up.set(name, (await answers(ping)) ? 1 : 0)));
  });
  sampled(r, {
    name: 'synapse_dependency_up',
    help: 'Whether the database and the blob storage answered a ping at this scrape (1) or not (0): readiness',
    read: () => [...up].map(([dependency, value]) => ({ labels: { dependency }, value })),
  });
  const buffer = () => sources.downloads.stats();
  sampled(r, {
    name: 'synapse_download_buffer_size',
    help: 'Download counts waiting to be written, by kind (version-day counts, raw log rows)',
    read: () => {
      const s = buffer();
      return [
        { labels: { kind: 'counts' }, value: s.pendingCounts },
        { labels: { kind: 'log_rows' }, value: s.pendingLogRows },
      ];
    },
  });
  sampled(r, {
    name: 'synapse_download_flush_lag_seconds',
    help: 'How long the oldest download not yet written to the database has waited',
    read: () => [{ value: buffer().lagMs / 1000 }],
  });
  sampled(r, {
    name: 'synapse_download_flushes_total',
    help: 'Download-count flushes by outcome',
    type: 'counter',
    read: () => {
      const s = buffer();
      return [
        { labels: { outcome: 'ok' }, value: s.flushes },
        { labels: { outcome: 'failed' }, value: s.failedFlushes },
      ];
    },
  });
  const cache = sources.blobCache;
  sampled(r, {
    name: 'synapse_blob_cache_lookups_total',
    help: 'Whole-tarball reads by blob-cache result (hit ratio = hit / all)',
    type: 'counter',
    read: () => {
      const s = cache?.();
      return s
        ? [
            { labels: { result: 'hit' }, value: s.hits },
            { labels: { result: 'miss' }, value: s.misses },
          ]
        : [];
    },
  });
  sampled(r, {
    name: 'synapse_blob_cache_bytes',
    help: 'Bytes held by the blob cache',
    read: () => {
      const s = cache?.();
      return s ? [{ value: s.bytes }] : [];
    },
  });
  sampled(r, {
    name: 'synapse_db_pool_connections',
    help: 'PostgreSQL pool connections by state: total open, idle, and requests waiting for one (absent on SQLite)',
    read: () => {
      const p = sources.pool();
      return p
        ? [
            { labels: { state: 'total' }, value: p.total },
            { labels: { state: 'idle' }, value: p.idle },
            { labels: { state: 'waiting' }, value: p.waiting },
          ]
        : [];
    },
  });
}
