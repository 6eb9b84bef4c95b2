/**
 * Counts downloads in memory and writes them every interval (and at shutdown), so a download
 * costs no database write. Every download recorded is logged; it is counted only if `dedup` says
 * this IP has not counted this version lately. Counts are summed per version and day as they
 * arrive: a flush writes one upsert per version downloaded, however many times it was, plus the
 * raw log rows in multi-row inserts. A failed flush puts back what it had not written.
 */
import type { RegistryDatabase } from '../db/database.ts';
import type { DownloadDedup } from './download-dedup.ts';
import { statementsFor, writeCounts, writeLog, type DayCount, type LogRow } from './download-writes.ts';

export interface DownloadEvent {
  versionId: number;
  packageId: number;
  ip: string;
  userAgent: string | null;
  at: Date;
}

export interface DownloadRecorder {
  record(event: DownloadEvent): void;
  /** Writes what is buffered now, once counts still being decided are; concurrent calls share one write. */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is left. */
  close(): Promise<void>;
  /** What waits to be written, for metrics. */
  stats(): DownloadBufferStats;
}

export interface DownloadBufferStats {
  /** Version-day counts and raw log rows waiting for the next flush. */
  pendingCounts: number;
  pendingLogRows: number;
  /** How long the oldest download not yet written has waited (0 when none waits). */
  lagMs: number;
  flushes: number;
  failedFlushes: number;
}

export interface DownloadRecorderOptions {
  db: RegistryDatabase;
  flushIntervalMs: number;
  onError: (error: unknown) => void;
  /** Which downloads count; without it, every one does. */
  dedup?: DownloadDedup;
}

// Short transactions rather than one long one: on SQLite a transaction holds the only connection,
// and requests waiting behind a long one would see it as a latency spike. A transaction of 5,000 log
// rows held the event loop for about 7 ms, 1,000 for about 1.5 (bench/RESULTS.md run 24).
const COUNTS_PER_TRANSACTION = 250;
const LOG_ROWS_PER_TRANSACTION = 1_000;

export function createDownloadRecorder(options: DownloadRecorderOptions): DownloadRecorder {
  let counts = new Map<string, DayCount>();
  let log: LogRow[] = [];
  let running: Promise<void> | null = null;
  /** Counts waiting on a shared (Redis) decision; the dedup caps how many wait at once. */
  const deciding = new Set<Promise<void>>();
  const days = dayCache();
  // When the oldest download not yet written arrived (performance.now()), or null when none waits.
  let oldestPending: number | null = null;
  let flushes = 0;
  let failedFlushes = 0;

  const addCount = (entry: DayCount) => {
    const key = `${entry.versionId}|${entry.day}`;
    const found = counts.get(key);
    if (found) found.count += entry.count;
    else counts.set(key, { ...entry });
  };

  const flushOnce = async () => {
    const batchCounts = [...counts.values()];
    const batchLog = log;
    const batchOldest = oldestPending;
    counts = new Map();
    log = [];
    oldestPending = null;
    let countsDone = 0;
    let logDone = 0;
    try {
      while (countsDone < batchCounts.length) {
        const slice = batchCounts.slice(countsDone, countsDone + COUNTS_PER_TRANSACTION);
        await options.db.countOnlyTransaction((trx) => writeCounts(trx, statementsFor(options.db), slice));
        countsDone += slice.length;
        await yieldToRequests();
      }
      while (logDone < batchLog.length) {
        const slice = batchLog.slice(logDone, logDone + LOG_ROWS_PER_TRANSACTION);
        await options.db.countOnlyTransaction((trx) => writeLog(trx, statementsFor(options.db), slice));
        logDone += slice.length;
        await yieldToRequests();
      }
    } catch (error) {
      // What arrived meanwhile stays; what this flush had not written goes back in front of it.
      for (const entry of batchCounts.slice(countsDone)) addCount(entry);
      log = batchLog.slice(logDone).concat(log);
      if (batchOldest !== null) oldestPending = batchOldest;
      failedFlushes++;
      throw error;
    }
    flushes++;
  };

  const countOnce = (event: DownloadEvent, entry: DayCount) => {
    const claimed = options.dedup ? options.dedup.claim(event, event.at.getTime()) : true;
    if (claimed === true) addCount(entry);
    if (typeof claimed === 'boolean') return;
    const decided: Promise<void> = claimed
      .then((yes) => {
        if (yes) addCount(entry);
      })
      .finally(() => deciding.delete(decided));
    deciding.add(decided);
  };

  const flush = async () => {
    await Promise.all(deciding);
    while (running !== null) await running.catch(() => undefined);
    running = flushOnce().finally(() => {
      running = null;
    });
    return running;
  };

  // The first flush at a random point of the first interval: workers (and instances) started
  // together would otherwise flush together, and on SQLite one would wait for the other's lock with
  // its event loop held.
  let timer: NodeJS.Timeout = setTimeout(() => {
    timer = setInterval(() => flush().catch(options.onError), options.flushIntervalMs);
    timer.unref();
    flush().catch(options.onError);
  }, Math.random() * options.flushIntervalMs);
  timer.unref();

  return {
    record: (event) => {
      oldestPending ??= performance.now();
      const at = days.of(event.at);
      countOnce(event, { versionId: event.versionId, packageId: event.packageId, day: at.day, count: 1 });
      log.push([event.versionId, event.ip, event.userAgent?.slice(0, 512) ?? null, at.iso]);
    },
    flush,
    stats: () => ({
      pendingCounts: counts.size,
      pendingLogRows: log.length,
      lagMs: oldestPending === null ? 0 : performance.now() - oldestPending,
      flushes,
      failedFlushes,
    }),
    close: async () => {
      clearTimeout(timer); // the first flush's timeout or the interval after it: Node clears either
      await flush();
    },
  };
}

const yieldToRequests = () => new Promise((resolve) => setImmediate(resolve));

/** ISO timestamps and UTC days of recent instants; downloads arrive many to a millisecond. */
function dayCache() {
  let lastMs = Number.NaN;
  let last = { day: '', iso: '' };
  return {
    of(at: Date) {
      const ms = at.getTime();
      if (ms !== lastMs) {
        const iso = at.toISOString();
        lastMs = ms;
        last = { day: iso.slice(0, 10), iso };
      }
      return last;
    },
  };
}
