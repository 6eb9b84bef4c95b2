/**
 * The queue's size and lag, for metrics. Each count walks one partial index and stops at
 * COUNT_CAP, so a scrape stays cheap however far behind the queue is.
 */
import { sql } from 'kysely';
import type { RegistryDatabase } from '../db/database.ts';

export const COUNT_CAP = 100_000;

export interface QueueStats {
  /** Waiting jobs, due or not (a retry waiting for its time is queued); at most COUNT_CAP. */
  queued: number;
  /** At most COUNT_CAP. */
  running: number;
  /** Given up jobs; at most COUNT_CAP. */
  dead: number;
  /** How long the longest-waiting due job has been due (null when none is due): the queue's lag. */
  oldestQueuedAgeMs: number | null;
}

export async function queueStats(db: RegistryDatabase, now: Date): Promise<QueueStats> {
  const at = now.toISOString();
  // The repeated state terms let SQLite prove the partial indexes apply (see migration 0015).
  const { rows } = await sql<{ queued: number | string; running: number | string; dead: number | string; oldest: string | null }>`SELECT
      (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE state IN ('queued', 'running') AND state = 'queued' LIMIT ${COUNT_CAP}) q) AS queued,
      (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE state IN ('queued', 'running') AND state = 'running' LIMIT ${COUNT_CAP}) r) AS running,
      (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE state = 'dead' LIMIT ${COUNT_CAP}) d) AS dead,
      (SELECT min(run_at) FROM jobs WHERE state IN ('queued', 'running') AND state = 'queued' AND run_at <= ${at}) AS oldest`.execute(
    db.kysely,
  );
  const row = rows[0]!;
  return {
    queued: Number(row.queued),
    running: Number(row.running),
    dead: Number(row.dead),
    oldestQueuedAgeMs: row.oldest === null ? null : Math.max(0, now.getTime() - Date.parse(row.oldest)),
  };
}
