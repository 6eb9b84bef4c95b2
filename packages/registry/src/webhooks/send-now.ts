/**
 * Deliveries an owner asks for: a ping (to check a receiver and its signature check) and the
 * redelivery of an earlier one, with the same message id so a receiver that has it can skip it.
 */
import { conflict } from '../../../core/src/errors.ts';
import type { Actor } from '../registry/publisher.ts';
import { ownWebhook, requireWebhookScope, type WebhooksDeps } from './deps.ts';
import { PING_EVENT } from './events.ts';
import { enqueueDeliveryJob, queueDelivery } from './fan-out.ts';
import { getDelivery } from './read.ts';

export async function pingWebhook(deps: WebhooksDeps, actor: Actor, id: number): Promise<string> {
  requireWebhookScope(actor);
  const deliveryId = await deps.db.kysely.transaction().execute(async (trx) => {
    const hook = await ownWebhook(trx, actor, id);
    const at = deps.now().toISOString();
    const body = JSON.stringify({ type: PING_EVENT, timestamp: at, data: { webhook_id: Number(hook.id), sent_by: actor.username } });
    return queueDelivery(trx, { hook, event: PING_EVENT, packageId: null, body, at });
  });
  deps.wake?.();
  return deliveryId;
}

/** Queues one more attempt of a finished delivery; one still pending is already on its way (409). */
export async function redeliver(deps: WebhooksDeps, actor: Actor, request: { webhookId: number; deliveryId: string }): Promise<void> {
  requireWebhookScope(actor);
  await deps.db.kysely.transaction().execute(async (trx) => {
    const { row } = await getDelivery(trx, actor, request);
    if (row.state === 'pending') {
      throw conflict(
        'delivery_pending',
        `Delivery ${row.id} is still being attempted (next at ${row.next_attempt_at ?? 'once the ones before it are done'}); wait for it to finish`,
      );
    }
    const at = deps.now();
    await trx
      .updateTable('webhook_deliveries')
      .set({ state: 'pending', next_attempt_at: at.toISOString() })
      .where('id', '=', row.id)
      .execute();
    await enqueueDeliveryJob(trx, { deliveryId: row.id, webhookId: Number(row.webhook_id), packageId: row.package_id, at });
  });
  deps.wake?.();
}
