/**
 * Recording how a run ended. Every write is guarded by the claim it ends (still running, same
 * worker, same attempt): a run that outlived its lease and was claimed again by another worker
 * cannot overwrite the newer run's state.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface RunRef {
  id: number;
  workerId: string;
  attempt: number;
}

/** `last_error` is for people reading the queue, not a log: keep the start of long messages. */
const MAX_ERROR_LENGTH = 2_000;

const clip = (error: string) => (error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH - 1)}…` : error);

function claimed(db: Kysely<Database>, run: RunRef) {
  return db
    .updateTable('jobs')
    .where('id', '=', run.id)
    .where('state', '=', 'running')
    .where('locked_by', '=', run.workerId)
    .where('attempts', '=', run.attempt);
}

/** True when the row was still ours to finish. */
const applied = (result: { numUpdatedRows: bigint }) => result.numUpdatedRows > 0n;

export async function markDone(db: Kysely<Database>, run: RunRef, now: Date): Promise<boolean> {
  const result = await claimed(db, run)
    .set({ state: 'done', finished_at: now.toISOString(), locked_by: null, locked_until: null, last_error: null })
    .executeTakeFirst();
  return applied(result);
}

export async function markDead(db: Kysely<Database>, run: RunRef, error: string, now: Date): Promise<boolean> {
  const result = await claimed(db, run)
    .set({ state: 'dead', finished_at: now.toISOString(), locked_by: null, locked_until: null, last_error: clip(error) })
    .executeTakeFirst();
  return applied(result);
}

/** Back to the queue until `at`; the caller has checked that attempts remain. */
export async function markRetry(db: Kysely<Database>, run: RunRef, options: { at: Date; error: string }): Promise<boolean> {
  const result = await claimed(db, run)
    .set({ state: 'queued', run_at: options.at.toISOString(), locked_by: null, locked_until: null, last_error: clip(options.error) })
    .executeTakeFirst();
  return applied(result);
}
