/**
 * Done jobs are kept a week (to look into what ran), then deleted a bounded batch at a time by the
 * runner, so one sweep never holds a long write lock. Dead jobs stay until someone looks at them.
 */
import { sql } from 'kysely';
import type { RegistryDatabase } from '../db/database.ts';

export const DONE_RETENTION_MS = 7 * 86_400_000;
export const RETENTION_BATCH = 1_000;

/** Deletes up to `limit` done jobs finished before now - 7 days; returns how many. */
export async function pruneDoneJobs(db: RegistryDatabase, now: Date, limit = RETENTION_BATCH): Promise<number> {
  const before = new Date(now.getTime() - DONE_RETENTION_MS).toISOString();
  // Read first, so a sweep with nothing to delete writes nothing (on SQLite a write resets read
  // caches). The literal state matches the partial index jobs_done.
  const { rows } = await sql<{ id: number }>`SELECT id FROM jobs WHERE state = 'done' AND finished_at < ${before} LIMIT ${limit}`.execute(db.kysely);
  if (rows.length === 0) return 0;
  const result = await db.kysely
    .deleteFrom('jobs')
    .where('id', 'in', rows.map((r) => r.id))
    .where('state', '=', 'done')
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
