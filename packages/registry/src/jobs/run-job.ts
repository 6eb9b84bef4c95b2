/**
 * One run of one claimed job: find its handler, run it with an abort signal that fires when the
 * lease ends, and record the outcome. Never rejects: failures of the handler become outcomes, and
 * failures to record them go to onError (the lease then runs out and the job is claimed again).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { defaultBackoffMs } from './backoff.ts';
import type { ClaimedRow } from './claim.ts';
import { markDead, markDone, markRetry, type RunRef } from './finish.ts';

export type JobOutcome = { status: 'done' } | { status: 'retry'; at: Date; error: string } | { status: 'failed'; error: string };

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: unknown;
  /** 1 for the first run. */
  attempt: number;
  /** The run after which a retry becomes dead instead. */
  maxAttempts: number;
  orderingKey: string | null;
  createdAt: Date;
}

export type JobHandler = (job: ClaimedJob, ctx: { now: () => Date; signal: AbortSignal }) => Promise<JobOutcome>;

export interface RunContext {
  db: Kysely<Database>;
  now: () => Date;
  handlers: Record<string, JobHandler>;
  workerId: string;
  leaseMs: number;
  random: () => number;
  onError: (error: unknown) => void;
}

export async function runJob(ctx: RunContext, row: ClaimedRow): Promise<void> {
  const run: RunRef = { id: row.id, workerId: ctx.workerId, attempt: row.attempts };
  try {
    const outcome = await outcomeOf(ctx, row);
    if (!(await record(ctx, run, row.max_attempts, outcome))) {
      ctx.onError(new Error(`job ${row.id} (${row.kind}) was claimed again while attempt ${row.attempts} ran; its outcome is dropped`));
    }
  } catch (error) {
    ctx.onError(error);
  }
}

async function outcomeOf(ctx: RunContext, row: ClaimedRow): Promise<JobOutcome> {
  // Claimed again after the last allowed run lost its lease: the worker died or hung, every time.
  if (row.attempts > row.max_attempts) {
    return { status: 'failed', error: `lease expired on attempt ${row.max_attempts} of ${row.max_attempts} (the worker stopped or hung)` };
  }
  const handler = Object.hasOwn(ctx.handlers, row.kind) ? ctx.handlers[row.kind] : undefined;
  if (!handler) return { status: 'failed', error: `no handler for job kind ${JSON.stringify(row.kind)}` };
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    return { status: 'failed', error: 'payload is not valid JSON' };
  }
  const job: ClaimedJob = {
    id: row.id,
    kind: row.kind,
    payload,
    attempt: row.attempts,
    maxAttempts: row.max_attempts,
    orderingKey: row.ordering_key,
    createdAt: new Date(row.created_at),
  };
  const controller = new AbortController();
  // Past the lease another worker may claim the job: tell the handler to give up.
  const lease = setTimeout(() => controller.abort(new Error('job lease expired')), ctx.leaseMs);
  lease.unref();
  try {
    return checked(await handler(job, { now: ctx.now, signal: controller.signal }));
  } catch (error) {
    const at = new Date(ctx.now().getTime() + defaultBackoffMs(row.attempts, ctx.random));
    return { status: 'retry', at, error: describe(error) };
  } finally {
    clearTimeout(lease);
  }
}

/** A handler's answer, or a thrown error describing why it is not one (retried like any throw). */
function checked(outcome: JobOutcome): JobOutcome {
  const status = (outcome as { status?: unknown } | null)?.status;
  if (status === 'done' || status === 'failed') return outcome;
  if (status === 'retry' && outcome.status === 'retry' && outcome.at instanceof Date && !Number.isNaN(outcome.at.getTime())) return outcome;
  throw new TypeError(`handler returned ${JSON.stringify(outcome)}, not a job outcome`);
}

async function record(ctx: RunContext, run: RunRef, maxAttempts: number, outcome: JobOutcome): Promise<boolean> {
  const now = ctx.now();
  if (outcome.status === 'done') return markDone(ctx.db, run, now);
  if (outcome.status === 'failed') return markDead(ctx.db, run, outcome.error, now);
  if (run.attempt >= maxAttempts) return markDead(ctx.db, run, `gave up after ${run.attempt} attempts: ${outcome.error}`, now);
  return markRetry(ctx.db, run, { at: outcome.at, error: outcome.error });
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
