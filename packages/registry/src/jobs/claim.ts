/**
 * Claiming due jobs so that two runners (two processes, two instances) never take the same job.
 * PostgreSQL picks and marks them in one statement that skips rows another claim holds (FOR UPDATE
 * SKIP LOCKED); SQLite reads the picks, then marks those still due under its single write lock. A
 * running job whose lease ran out (its worker crashed) is due again: its `run_at` is the lease's end.
 */
import { sql, type RawBuilder } from 'kysely';
import type { RegistryDatabase } from '../db/database.ts';

export interface ClaimedRow {
  id: number;
  kind: string;
  payload: string;
  ordering_key: string | null;
  attempts: number;
  max_attempts: number;
  created_at: string;
}

export interface ClaimOptions {
  workerId: string;
  now: Date;
  leaseMs: number;
  limit: number;
  /**
   * Only jobs of these kinds: a runner never takes a job it has no handler for, so during a rolling
   * deploy an older instance leaves a new kind to the newer ones instead of giving it up.
   */
  kinds?: readonly string[];
  /** Only jobs due by then (default: now); a runner yielding to foreground work takes only overdue ones. */
  dueBy?: Date;
}

/**
 * The jobs due at `now`, at most `limit`, oldest due first. A job with an ordering key waits while
 * an earlier job (lower id) with that key is queued or running, retries included.
 * The state lists are literals, as in the partial indexes jobs_pending and jobs_ordering.
 */
export function candidates(now: string, limit: number, lockClause: RawBuilder<unknown>, kinds?: readonly string[]) {
  const ofKinds = kinds === undefined ? sql`` : kinds.length === 0 ? sql`AND FALSE` : sql`AND j.kind IN (${sql.join(kinds)})`;
  return sql`SELECT j.id FROM jobs j
    WHERE j.state IN ('queued', 'running') AND j.run_at <= ${now} ${ofKinds}
      AND (j.ordering_key IS NULL OR NOT EXISTS (
        SELECT 1 FROM jobs e
        WHERE e.ordering_key = j.ordering_key AND e.state IN ('queued', 'running') AND e.id < j.id))
    ORDER BY j.run_at, j.id
    LIMIT ${limit} ${lockClause}`;
}

export async function claimJobs(db: RegistryDatabase, options: ClaimOptions): Promise<ClaimedRow[]> {
  if (options.limit <= 0) return [];
  const dueBy = (options.dueBy ?? options.now).toISOString();
  const until = new Date(options.now.getTime() + options.leaseMs).toISOString();
  const set = sql`state = 'running', attempts = jobs.attempts + 1, locked_by = ${options.workerId}, locked_until = ${until}, run_at = ${until}`;
  const returning = sql`jobs.id, jobs.kind, jobs.payload, jobs.ordering_key, jobs.attempts, jobs.max_attempts, jobs.created_at`;
  let rows: ClaimedRow[];
  if (db.dialect === 'postgres') {
    // MATERIALIZED: the locking pick runs exactly once, never re-planned into a join that rescans it.
    const picked = candidates(dueBy, options.limit, sql`FOR UPDATE SKIP LOCKED`, options.kinds);
    ({ rows } = await sql<ClaimedRow>`WITH picked AS MATERIALIZED (${picked})
      UPDATE jobs SET ${set} FROM picked WHERE jobs.id = picked.id RETURNING ${returning}`.execute(db.kysely));
  } else {
    // A read first, so an idle poll writes nothing (on SQLite every write resets the read caches
    // keyed on the write generation); then the update by id, which checks again that each job is
    // still due: another process on the file may have claimed it in between. Nothing can make a
    // picked job wait for its ordering key meanwhile: only jobs with higher ids are added.
    const picked = await candidates(dueBy, options.limit, sql``, options.kinds).execute(db.kysely);
    const ids = (picked.rows as { id: number }[]).map((r) => r.id);
    if (ids.length === 0) return [];
    ({ rows } = await sql<ClaimedRow>`UPDATE jobs SET ${set}
      WHERE id IN (${sql.join(ids)}) AND state IN ('queued', 'running') AND run_at <= ${dueBy}
      RETURNING ${returning}`.execute(db.kysely));
  }
  return rows.sort((a, b) => a.id - b.id);
}
