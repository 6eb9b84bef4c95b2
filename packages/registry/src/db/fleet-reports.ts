/**
 * Writes of the fleet tables (migration 0019): an instance's heartbeat, its counts added to the
 * current minute, hour and day buckets, and the pruning of old rows. Every write is bounded: one row per
 * route template that saw requests, per span; pruning removes at most PRUNE_BATCH rows per table a run.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { FleetSpan } from './schema-fleet.ts';
import type { RegistryDatabase } from './database.ts';
import type { FleetDelta } from '../metrics/fleet-delta.ts';
import { FLEET_LATENCY_SLOTS } from './migrations/0019-fleet-reports.ts';

export interface FleetInstance {
  id: string;
  version: string;
  startedAt: string;
}

const KEY_LENGTHS: Record<FleetSpan, number> = { minute: 16, hour: 13, day: 10 };
const SPANS = Object.keys(KEY_LENGTHS) as FleetSpan[];
/** A bucket's key: the ISO time cut to the span (`2026-05-01T10:05`, `2026-05-01T10`, `2026-05-01`). */
export const bucketOf = (at: Date, span: FleetSpan) => at.toISOString().slice(0, KEY_LENGTHS[span]);

const LATENCY_COLUMNS = Array.from({ length: FLEET_LATENCY_SLOTS }, (_, i) => `lat_${i}` as const);
const ROUTE_COUNTS = ['requests', 'status_4xx', 'status_5xx', ...LATENCY_COLUMNS] as const;
const ACTIVITY_COUNTS = ['publishes_ok', 'publishes_refused', 'downloads', 'download_bytes'] as const;
/** Rows per INSERT: 22 parameters a row keeps a statement far below either database's limit. */
const ROWS_PER_INSERT = 100;
const PRUNE_BATCH = 5_000;
const DAY_MS = 86_400_000;

/** `table.column + excluded.column` for each counted column: a report adds to the bucket. */
function adding(table: string, columns: readonly string[]) {
  return Object.fromEntries(columns.map((c) => [c, sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`])) as never;
}

/** Adds one report to the shared tables and moves the instance's heartbeat, in the caller's transaction. */
export async function writeFleetReport(trx: Transaction<Database>, report: { instance: FleetInstance; at: Date; delta: FleetDelta }) {
  const { instance, at, delta } = report;
  const seen = at.toISOString();
  await trx
    .insertInto('fleet_instances')
    .values({ instance_id: instance.id, version: instance.version, started_at: instance.startedAt, last_seen: seen })
    .onConflict((oc) =>
      oc.column('instance_id').doUpdateSet({ version: instance.version, started_at: instance.startedAt, last_seen: seen }),
    )
    .execute();
  const counts = {
    publishes_ok: delta.publishesOk,
    publishes_refused: delta.publishesRefused,
    downloads: delta.downloads,
    download_bytes: delta.downloadBytes,
  };
  if (Object.values(counts).some((n) => n > 0)) {
    await trx
      .insertInto('fleet_activity')
      .values(SPANS.map((span) => ({ span, bucket: bucketOf(at, span), instance_id: instance.id, ...counts })))
      .onConflict((oc) => oc.columns(['span', 'bucket', 'instance_id']).doUpdateSet(adding('fleet_activity', ACTIVITY_COUNTS)))
      .execute();
  }
  const rows = SPANS.flatMap((span) =>
    delta.routes.map((r) => ({
      span,
      bucket: bucketOf(at, span),
      instance_id: instance.id,
      method: r.method,
      route: r.route,
      requests: r.requests,
      status_4xx: r.status4xx,
      status_5xx: r.status5xx,
      ...Object.fromEntries(LATENCY_COLUMNS.map((c, i) => [c, r.latency[i] ?? 0])),
    })),
  );
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await trx
      .insertInto('fleet_route_counts')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) =>
        oc.columns(['span', 'bucket', 'instance_id', 'method', 'route']).doUpdateSet(adding('fleet_route_counts', ROUTE_COUNTS)),
      )
      .execute();
  }
}

/**
 * Removes minute rows older than a day, hour rows older than two days, day rows and instances silent
 * older than `retentionDays`; at most PRUNE_BATCH rows of each table a call (the next report's run takes the rest).
 */
export async function pruneFleetReports(db: RegistryDatabase, options: { now: Date; retentionDays: number }): Promise<void> {
  const ago = (days: number) => new Date(options.now.getTime() - days * DAY_MS);
  const retained = ago(options.retentionDays);
  const cutoffs = [
    ['minute', bucketOf(ago(1), 'minute')],
    ['hour', bucketOf(ago(2), 'hour')],
    ['day', bucketOf(retained, 'day')],
  ] as const;
  await db.countOnlyTransaction(async (trx) => {
    // One pruner at a time; the other instances skip their turn (deleting the same rows at once could deadlock).
    if (db.dialect === 'postgres') {
      const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext('fleet_prune')) AS locked`.execute(trx);
      if (!rows[0]?.locked) return;
    }
    for (const [span, cutoff] of cutoffs) {
      await sql`DELETE FROM fleet_activity WHERE (span, bucket, instance_id) IN (
        SELECT span, bucket, instance_id FROM fleet_activity WHERE span = ${span} AND bucket < ${cutoff} LIMIT ${PRUNE_BATCH})`.execute(
        trx,
      );
      await sql`DELETE FROM fleet_route_counts WHERE (span, bucket, instance_id, method, route) IN (
        SELECT span, bucket, instance_id, method, route FROM fleet_route_counts WHERE span = ${span} AND bucket < ${cutoff} LIMIT ${PRUNE_BATCH})`.execute(
        trx,
      );
    }
    await sql`DELETE FROM fleet_instances WHERE instance_id IN (
      SELECT instance_id FROM fleet_instances WHERE last_seen < ${retained.toISOString()} LIMIT ${PRUNE_BATCH})`.execute(trx);
  });
}
