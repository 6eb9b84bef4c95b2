/**
 * Counts downloads in memory and writes them in one transaction per interval (and at shutdown),
 * so a download costs no database write. A failed flush puts its counts back: nothing is lost.
 */
import { sql } from 'kysely';
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
  await db.transaction().execute(async (trx) => {
    for (const { versionId, day, count } of perDay.values()) {
      await trx
        .insertInto('download_counts')
        .values({ version_id: versionId, day, count })
        .onConflict((oc) => oc.columns(['version_id', 'day']).doUpdateSet({ count: sql`download_counts.count + ${count}` }))
        .execute();
    }
    for (const [id, count] of perVersion) {
      await trx.updateTable('versions').set({ downloads: sql`downloads + ${count}` }).where('id', '=', id).execute();
    }
    for (const [id, count] of perPackage) {
      await trx.updateTable('packages').set({ downloads: sql`downloads + ${count}` }).where('id', '=', id).execute();
    }
    for (let i = 0; i < batch.length; i += LOG_CHUNK) {
      await trx
        .insertInto('download_log')
        .values(
          batch.slice(i, i + LOG_CHUNK).map((e) => ({
            version_id: e.versionId,
            ip: e.ip,
            user_agent: e.userAgent?.slice(0, 512) ?? null,
            downloaded_at: e.at.toISOString(),
          })),
        )
        .execute();
    }
  });
}
