/**
 * Putting work on the durable queue. A job is inserted with the executor of the change that caused
 * it, inside that change's transaction: if the change rolls back, so does the job, and once the
 * change commits the job cannot be lost.
 *
 * @example
 * await db.kysely.transaction().execute(async (trx) => {
 *   await publishVersion(trx, ...);
 *   await enqueueJob(trx, { kind: 'webhook.deliver', payload: { delivery: id }, orderingKey: `sub:${s}:pkg:${p}` }, now);
 * });
 * deps.jobs.wake();
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export type Db = Kysely<Database> | Transaction<Database>;

export interface JobSpec {
  kind: string;
  /** JSON-serialisable; stored as JSON text. */
  payload: unknown;
  /** Jobs with the same key run one at a time, in the order they were enqueued. */
  orderingKey?: string | null;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Runs before the job is given up as dead (default 10). */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 10;
const MAX_KIND_LENGTH = 200;
const MAX_KEY_LENGTH = 500;
/** Namespaces our advisory locks (the first half of the two-int form) away from anyone else's. */
const ORDERING_LOCK_CLASS = 0x4a6f6273; // "Jobs"

/** Inserts one job; returns its id. */
export async function enqueueJob(db: Db, spec: JobSpec, now: Date): Promise<number> {
  const [id] = await enqueueJobs(db, [spec], now);
  return id!;
}

/**
 * Inserts several jobs in one statement; returns their ids in the order given. Ids increase in the
 * order given, so jobs of one ordering key run in that order.
 */
export async function enqueueJobs(db: Db, specs: readonly JobSpec[], now: Date): Promise<number[]> {
  if (specs.length === 0) return [];
  const rows = specs.map((spec) => toRow(spec, now));
  await lockOrderingKeys(
    db,
    rows.map((r) => r.ordering_key),
  );
  const inserted = await db.insertInto('jobs').values(rows).returning('id').execute();
  return inserted.map((r) => r.id);
}

function toRow(spec: JobSpec, now: Date) {
  if (typeof spec.kind !== 'string' || spec.kind.length === 0 || spec.kind.length > MAX_KIND_LENGTH) {
    throw new TypeError(`job kind must be a string of 1 to ${MAX_KIND_LENGTH} characters`);
  }
  const maxAttempts = spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`maxAttempts must be a whole number >= 1, not ${maxAttempts}`);
  const key = spec.orderingKey ?? null;
  if (key !== null && (key.length === 0 || key.length > MAX_KEY_LENGTH)) {
    throw new TypeError(`ordering key must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
  const runAt = spec.runAt ?? now;
  if (Number.isNaN(runAt.getTime())) throw new RangeError('runAt is not a valid date');
  return {
    kind: spec.kind,
    payload: JSON.stringify(spec.payload) ?? 'null',
    ordering_key: key,
    max_attempts: maxAttempts,
    run_at: runAt.toISOString(),
    created_at: now.toISOString(),
  };
}

/**
 * Ordering follows ids, but on PostgreSQL ids are handed out at INSERT while rows appear at COMMIT:
 * two transactions enqueueing for one key could commit in the opposite order of their ids, and a
 * runner could start the later job before the earlier one is visible. Holding a transaction-scoped
 * lock per key from the insert to the commit makes the id order the commit order. Keys are locked in
 * sorted order, so two transactions locking several keys cannot deadlock on each other here.
 * (SQLite has one writer at a time, so its ids are already in commit order.) One statement for all
 * the keys: a volatile function in the select list runs after ORDER BY, so in key order.
 */
async function lockOrderingKeys(db: Db, keys: readonly (string | null)[]): Promise<void> {
  if (!db.isTransaction) return;
  const sorted = [...new Set(keys.filter((k): k is string => k !== null))].sort();
  if (sorted.length === 0) return;
  if (!isPostgres(db)) return;
  await sql`SELECT pg_advisory_xact_lock(${ORDERING_LOCK_CLASS}, hashtext(k))
    FROM unnest(${sorted}::text[]) AS k ORDER BY k COLLATE "C"`.execute(db);
}

/** The executor only knows its dialect through its query compiler: PostgreSQL numbers parameters. */
function isPostgres(db: Db): boolean {
  return sql`${0}`.compile(db).sql === '$1';
}
