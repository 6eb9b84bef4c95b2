/**
 * The event job (queued by fan-out.ts in the change's transaction): writes the event's deliveries,
 * one row and one delivery job per subscription it reached, in one transaction. A subscription
 * deleted since gets none. Run again after a crash that followed its commit, it finds its rows (their
 * message ids are in the payload) and queues nothing twice.
 */
import type { RegistryDatabase } from '../db/database.ts';
import type { JobHandler } from '../jobs/runner.ts';
import { queueDeliveries, type EventPayload } from './fan-out.ts';

export function webhookEventHandler(deps: { db: RegistryDatabase }): JobHandler {
  return async (job) => {
    const payload = eventPayload(job.payload);
    if (!payload) return { status: 'failed', error: 'the payload is not a webhook event' };
    await deps.db.kysely.transaction().execute(async (trx) => {
      // Key-share locked on PostgreSQL: a DELETE of a subscription waits until its deliveries exist
      // (then removes them with it), rather than failing this insert.
      const read = trx
        .selectFrom('webhooks')
        .select('id')
        .where(
          'id',
          'in',
          payload.deliveries.map(([hook]) => hook),
        );
      const rows = await (deps.db.dialect === 'postgres' ? read.forKeyShare() : read).execute();
      const live = new Set(rows.map((r) => Number(r.id)));
      const { event, packageId, body, at } = payload;
      const deliveries = payload.deliveries
        .filter(([hook]) => live.has(hook))
        .map(([hook, id]) => ({ id, hook: { id: hook }, event, packageId, body, at }));
      await queueDeliveries(trx, deliveries);
    });
    return { status: 'done' };
  };
}

function eventPayload(value: unknown): EventPayload | null {
  const p = value as Partial<EventPayload> | null;
  const ok =
    typeof p?.event === 'string' &&
    typeof p.packageId === 'number' &&
    typeof p.body === 'string' &&
    typeof p.at === 'string' &&
    Array.isArray(p.deliveries) &&
    p.deliveries.length > 0 &&
    p.deliveries.every((d) => Array.isArray(d) && typeof d[0] === 'number' && typeof d[1] === 'string');
  return ok ? (p as EventPayload) : null;
}
