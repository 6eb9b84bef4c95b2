/**
 * Done jobs are kept a week (to look into what ran), dead ones 90 days (what gave up, with its last
 * error, for someone to look into), then deleted a bounded batch at a time by the runner, so one
 * sweep never holds a long write lock.
 */
import { sql } from 'kysely';
import type { RegistryDatabase } from '../db/database.ts';

export const DONE_RETENTION_MS = 7 * 86_400_000;
export const DEAD_RETENTION_MS = 90 * 86_400_000;
export const RETENTION_BATCH = 1_000;

/** Deletes up to `limit` finished jobs past their retention, done ones first; returns how many. */
export async function pruneFinishedJobs(db: RegistryDatabase, now: Date, limit = RETENTION_BATCH): Promise<number> {
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  // Read first, so a sweep with nothing to delete writes nothing (on SQLite a write resets read
  // caches). The literal states match the partial indexes jobs_done and jobs_dead.
  const done = await sql<{
    id: number;
  }>`SELECT id FROM jobs WHERE state = 'done' AND finished_at < ${before(DONE_RETENTION_MS)} LIMIT ${limit}`.execute(db.kysely);
  const room = limit - done.rows.length;
  const dead =
    room > 0
      ? await sql<{
          id: number;
        }>`SELECT id FROM jobs WHERE state = 'dead' AND finished_at < ${before(DEAD_RETENTION_MS)} LIMIT ${room}`.execute(db.kysely)
      : { rows: [] };
  const ids = [...done.rows, ...dead.rows].map((r) => r.id);
  if (ids.length === 0) return 0;
  const result = await db.kysely.deleteFrom('jobs').where('id', 'in', ids).where('state', 'in', ['done', 'dead']).executeTakeFirst();
  return Number(result.numDeletedRows);
}
