/**
 * The job that sends one delivery: it signs the stored body with the subscription's secrets, sends it
 * (the address guard runs again, after DNS), records the attempt, and either finishes or asks the
 * queue to try again on the retry schedule. A delivery whose subscription was deleted ends quietly;
 * one whose subscription was switched off is skipped (a ping still goes: it is how a fixed receiver
 * is checked before switching it back on).
 */
import type { JobHandler, JobOutcome } from '../jobs/runner.ts';
import type { WebhookDeliveryRow, WebhookRow } from '../db/schema-webhooks.ts';
import type { WebhooksDeps } from './deps.ts';
import { urlPolicy } from './deps.ts';
import { PING_EVENT } from './events.ts';
import { createHostLimit } from './host-limit.ts';
import { signingSecrets } from './manage.ts';
import { recordAttempt } from './record-attempt.ts';
import { deliver } from './send.ts';

/** Deliveries in flight to one host from one instance. */
const PER_HOST = 4;

export function webhookDeliveryHandler(deps: WebhooksDeps & { random?: () => number }): JobHandler {
  const limit = createHostLimit(PER_HOST);
  return async (job, ctx): Promise<JobOutcome> => {
    const { deliveryId } = job.payload as { deliveryId: string };
    const found = await load(deps, deliveryId);
    if (!found || found.delivery.state !== 'pending') return { status: 'done' };
    const { delivery, hook } = found;
    if (hook.active !== 1 && delivery.event !== PING_EVENT) {
      await deps.db.kysely
        .updateTable('webhook_deliveries')
        .set({ state: 'skipped', next_attempt_at: null })
        .where('id', '=', delivery.id)
        .execute();
      return { status: 'done' };
    }
    const result = await limit(new URL(hook.url).host, () => {
      const now = ctx.now();
      return deliver({
        url: hook.url,
        msgId: delivery.id,
        timestamp: now,
        body: delivery.body,
        secrets: signingSecrets(hook, now),
        policy: urlPolicy(deps),
        timeoutMs: deps.config.webhooks.timeoutMs,
        signal: ctx.signal,
      });
    });
    return recordAttempt(deps, { delivery, hook, result, jobAttempt: job.attempt, at: ctx.now() });
  };
}

async function load(deps: WebhooksDeps, deliveryId: string): Promise<{ delivery: WebhookDeliveryRow; hook: WebhookRow } | null> {
  const delivery = await deps.db.kysely.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst();
  if (!delivery) return null;
  const hook = await deps.db.kysely.selectFrom('webhooks').selectAll().where('id', '=', delivery.webhook_id).executeTakeFirst();
  return hook ? { delivery, hook } : null;
}
