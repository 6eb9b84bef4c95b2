/**
 * Claiming due jobs: one statement that picks them and marks them running, so two runners (two
 * processes, two instances) never take the same job. PostgreSQL skips rows another claim holds
 * (FOR UPDATE SKIP LOCKED); SQLite runs the statement under its single write lock. A running job
 * whose lease ran out (its worker crashed) is due again: its `run_at` is the lease's end.
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
  const now = options.now.toISOString();
  const until = new Date(options.now.getTime() + options.leaseMs).toISOString();
  const postgres = db.dialect === 'postgres';
  const picked = candidates(now, options.limit, postgres ? sql`FOR UPDATE SKIP LOCKED` : sql``, options.kinds);
  // MATERIALIZED: the locking pick runs exactly once, never re-planned into a join that rescans it.
  const query = postgres
    ? sql<ClaimedRow>`WITH picked AS MATERIALIZED (${picked})
        UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, locked_by = ${options.workerId},
          locked_until = ${until}, run_at = ${until}
        FROM picked WHERE jobs.id = picked.id
        RETURNING jobs.id, jobs.kind, jobs.payload, jobs.ordering_key, jobs.attempts, jobs.max_attempts, jobs.created_at`
    : sql<ClaimedRow>`UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = ${options.workerId},
          locked_until = ${until}, run_at = ${until}
        WHERE id IN (${picked})
        RETURNING id, kind, payload, ordering_key, attempts, max_attempts, created_at`;
  const { rows } = await query.execute(db.kysely);
  return rows.sort((a, b) => a.id - b.id);
}

/** Whether a claim would find anything: a read, for pollers that must not write when idle. */
export async function hasDueJob(db: RegistryDatabase, now: Date, kinds?: readonly string[]): Promise<boolean> {
  const { rows } = await candidates(now.toISOString(), 1, sql``, kinds).execute(db.kysely);
  return rows.length > 0;
}
