/**
 * Counts downloads in memory and writes them every interval (and at shutdown), so a download
 * costs no database write. Every download recorded is logged; it is counted only if `dedup` says
 * this IP has not counted this version lately. Counts are summed per version and day as they arrive: a flush writes
 * one upsert per version downloaded, however many times it was, plus the raw log rows in
 * multi-row inserts. A failed flush puts back what it had not written: nothing is lost.
 */
import { CompiledQuery, sql } from 'kysely';
import type { RegistryDatabase } from '../db/database.ts';
import type { Db } from '../db/users.ts';
import type { DownloadDedup } from './download-dedup.ts';

export interface DownloadEvent {
  versionId: number;
  packageId: number;
  ip: string;
  userAgent: string | null;
  at: Date;
}

export interface DownloadRecorder {
  record(event: DownloadEvent): void;
  /** Writes what is buffered now (waiting for counts still being decided); concurrent calls share one write. */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is left. */
  close(): Promise<void>;
}

export interface DownloadRecorderOptions {
  db: RegistryDatabase;
  flushIntervalMs: number;
  onError: (error: unknown) => void;
  /** Which downloads count; without it, every one does. */
  dedup?: DownloadDedup;
}

/** Downloads of one version on one day, not yet written. */
interface DayCount {
  versionId: number;
  packageId: number;
  day: string;
  count: number;
}

/** A raw log row: version_id, ip, user_agent, downloaded_at (ISO 8601). */
type LogRow = [number, string, string | null, string];

const LOG_CHUNK = 500;
// Short transactions rather than one long one: on SQLite a transaction holds the only connection,
// and requests waiting behind a long one would see it as a latency spike.
const COUNTS_PER_TRANSACTION = 1_000;
const LOG_ROWS_PER_TRANSACTION = 5_000;

export function createDownloadRecorder(options: DownloadRecorderOptions): DownloadRecorder {
  let counts = new Map<string, DayCount>();
  let log: LogRow[] = [];
  let running: Promise<void> | null = null;
  /** Counts waiting on a shared (Redis) decision; the dedup caps how many wait at once. */
  const deciding = new Set<Promise<void>>();
  const days = dayCache();

  const addCount = (entry: DayCount) => {
    const key = `${entry.versionId}|${entry.day}`;
    const found = counts.get(key);
    if (found) found.count += entry.count;
    else counts.set(key, { ...entry });
  };

  const flushOnce = async () => {
    const batchCounts = [...counts.values()];
    const batchLog = log;
    counts = new Map();
    log = [];
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
      throw error;
    }
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
    while (running) await running.catch(() => undefined);
    running = flushOnce().finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => {
    flush().catch(options.onError);
  }, options.flushIntervalMs);
  timer.unref();

  return {
    record: (event) => {
      const at = days.of(event.at);
      countOnce(event, { versionId: event.versionId, packageId: event.packageId, day: at.day, count: 1 });
      log.push([event.versionId, event.ip, event.userAgent?.slice(0, 512) ?? null, at.iso]);
    },
    flush,
    close: async () => {
      clearInterval(timer);
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

/**
 * The flush's statements, built once per database with Kysely and then run as plain SQL: at
 * thousands of downloads a second, building them anew for every row cost more than running them.
 * Parameters go in the order the statement lists them (noted at each). They only count, so they
 * run in count-only transactions: a flush leaves the database's caches of hot reads in place.
 */
function statements(db: Db) {
  const zero = 0;
  return {
    // version_id, day, count
    countDay: db
      .insertInto('download_counts')
      .values({ version_id: zero, day: '', count: zero })
      .onConflict((oc) => oc.columns(['version_id', 'day']).doUpdateSet({ count: sql`download_counts.count + excluded.count` }))
      .compile().sql,
    // count, id
    countVersion: db.updateTable('versions').set({ downloads: sql`downloads + ${zero}` }).where('id', '=', zero).compile().sql,
    // count, id
    countPackage: db.updateTable('packages').set({ downloads: sql`downloads + ${zero}` }).where('id', '=', zero).compile().sql,
    // version_id, ip, user_agent, downloaded_at for each of `rows` rows
    log: (rows: number) =>
      db
        .insertInto('download_log')
        .values(Array.from({ length: rows }, () => ({ version_id: zero, ip: '', user_agent: '', downloaded_at: '' })))
        .compile().sql,
  };
}

const built = new WeakMap<RegistryDatabase, ReturnType<typeof statements> & { logOf(rows: number): string }>();

function statementsFor(db: RegistryDatabase) {
  let found = built.get(db);
  if (!found) {
    const s = statements(db.kysely);
    const logs = new Map<number, string>();
    const logOf = (rows: number) => {
      let text = logs.get(rows);
      if (text === undefined) {
        text = s.log(rows);
        logs.set(rows, text);
      }
      return text;
    };
    found = { ...s, logOf };
    built.set(db, found);
  }
  return found;
}

const run = (trx: Db, text: string, parameters: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, parameters));

function sumBy(entries: DayCount[], key: 'versionId' | 'packageId'): Map<number, number> {
  const sums = new Map<number, number>();
  for (const e of entries) sums.set(e[key], (sums.get(e[key]) ?? 0) + e.count);
  return sums;
}

type Statements = ReturnType<typeof statementsFor>;

async function writeCounts(trx: Db, s: Statements, entries: DayCount[]): Promise<void> {
  for (const { versionId, day, count } of entries) await run(trx, s.countDay, [versionId, day, count]);
  for (const [id, count] of sumBy(entries, 'versionId')) await run(trx, s.countVersion, [count, id]);
  for (const [id, count] of sumBy(entries, 'packageId')) await run(trx, s.countPackage, [count, id]);
}

async function writeLog(trx: Db, s: Statements, rows: LogRow[]): Promise<void> {
  // Rows go in groups of 500, 50 or 1, so a handful of statement texts cover every batch size.
  for (let i = 0; i < rows.length; ) {
    const left = rows.length - i;
    const size = left >= LOG_CHUNK ? LOG_CHUNK : left >= 50 ? 50 : 1;
    const group = rows.slice(i, i + size);
    i += size;
    await run(trx, s.logOf(size), group.flat());
  }
}
