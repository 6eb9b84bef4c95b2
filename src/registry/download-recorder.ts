/**
 * Counts downloads in memory and writes them in one transaction per interval (and at shutdown),
 * so a download costs no database write. A failed flush puts its counts back: nothing is lost.
 */
import { CompiledQuery, sql } from 'kysely';
import type { Db } from '../db/users.ts';

export interface DownloadEvent {
  versionId: number;
  packageId: number;
  ip: string;
  userAgent: string | null;
  at: Date;
}

export interface DownloadRecorder {
  record(event: DownloadEvent): void;
  /** Writes what is buffered now; concurrent calls share one write. */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is left. */
  close(): Promise<void>;
}

export interface DownloadRecorderOptions {
  db: Db;
  flushIntervalMs: number;
  onError: (error: unknown) => void;
}

const LOG_CHUNK = 500;
const TRANSACTION_EVENTS = 2_000;

export function createDownloadRecorder(options: DownloadRecorderOptions): DownloadRecorder {
  let pending: DownloadEvent[] = [];
  let running: Promise<void> | null = null;

  const flushOnce = async () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    // Several short transactions rather than one long one: on SQLite a transaction holds the only
    // connection, and requests waiting behind a long one would see it as a latency spike.
    for (let start = 0; start < batch.length; start += TRANSACTION_EVENTS) {
      try {
        await writeBatch(options.db, batch.slice(start, start + TRANSACTION_EVENTS));
      } catch (error) {
        pending = batch.slice(start).concat(pending);
        throw error;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const flush = async () => {
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
      pending.push(event);
    },
    flush,
    close: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}

/**
 * The flush's statements, built once per database with Kysely and then run as plain SQL: at
 * thousands of downloads a second, building them anew for every row cost more than running them.
 * Parameters go in the order the statement lists them (noted at each).
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

const built = new WeakMap<Db, ReturnType<typeof statements> & { logs: Map<number, string> }>();

function statementsFor(db: Db) {
  let found = built.get(db);
  if (!found) {
    found = { ...statements(db), logs: new Map() };
    built.set(db, found);
  }
  return found;
}

async function writeBatch(db: Db, batch: DownloadEvent[]): Promise<void> {
  const perDay = new Map<string, { versionId: number; day: string; count: number }>();
  const perVersion = new Map<number, number>();
  const perPackage = new Map<number, number>();
  for (const e of batch) {
    const day = e.at.toISOString().slice(0, 10);
    const key = `${e.versionId}:${day}`;
    const entry = perDay.get(key) ?? { versionId: e.versionId, day, count: 0 };
    entry.count += 1;
    perDay.set(key, entry);
    perVersion.set(e.versionId, (perVersion.get(e.versionId) ?? 0) + 1);
    perPackage.set(e.packageId, (perPackage.get(e.packageId) ?? 0) + 1);
  }
  const s = statementsFor(db);
  const run = (trx: Db, text: string, parameters: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, parameters));
  await db.transaction().execute(async (trx) => {
    for (const { versionId, day, count } of perDay.values()) await run(trx, s.countDay, [versionId, day, count]);
    for (const [id, count] of perVersion) await run(trx, s.countVersion, [count, id]);
    for (const [id, count] of perPackage) await run(trx, s.countPackage, [count, id]);
    // Rows go in groups of 500, 50 or 1, so a handful of statement texts cover every batch size.
    for (let i = 0; i < batch.length; ) {
      const left = batch.length - i;
      const size = left >= LOG_CHUNK ? LOG_CHUNK : left >= 50 ? 50 : 1;
      const rows = batch.slice(i, i + size);
      i += size;
      let text = s.logs.get(rows.length);
      if (text === undefined) {
        text = s.log(rows.length);
        s.logs.set(rows.length, text);
      }
      await run(
        trx,
        text,
        rows.flatMap((e) => [e.versionId, e.ip, e.userAgent?.slice(0, 512) ?? null, e.at.toISOString()]),
      );
    }
  });
}
