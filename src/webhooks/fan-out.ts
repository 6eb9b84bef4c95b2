/**
 * Turns an audited change into deliveries: one row and one queued job per subscription it reaches,
 * written in the change's own transaction, so a crash can neither lose the event nor send one for a
 * change that rolled back. Jobs of one (subscription, package) share an ordering key: they are sent
 * in the order the changes committed, each after the one before has finished.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/users.ts';
import type { WebhookRow } from '../db/schema-webhooks.ts';
import { enqueueJob } from '../jobs/enqueue.ts';
import type { AuditEntry } from '../registry/audit.ts';
import { eventBody, eventFor, reachesSubject } from './events.ts';
import { MAX_ATTEMPTS } from './retry-schedule.ts';

export const DELIVER_JOB = 'webhook.deliver';

/** A subscription reaches at most this many (account limit × owners is far below it). */
const FAN_OUT_CAP = 1_000;

export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/** Queues the event this entry raises for every active subscription that listens to it. */
export async function emitWebhookEvents(db: Db, entry: AuditEntry): Promise<void> {
  const event = eventFor(entry);
  if (!event || !entry.package) return;
  const hooks = await subscriptionsFor(db, entry.package.id, reachesSubject(event) ? (entry.subjectUserId ?? null) : null);
  const listening = hooks.filter((h) => (JSON.parse(h.events) as string[]).includes(event));
  if (listening.length === 0) return;
  const body = eventBody(event, entry);
  for (const hook of listening) {
    await queueDelivery(db, { hook, event, packageId: entry.package.id, body, at: entry.at });
  }
}

export interface NewDelivery {
  hook: Pick<WebhookRow, 'id'>;
  event: string;
  packageId: number | null;
  body: string;
  at: string;
}

/** One delivery row and its job; returns the delivery's message id. */
export async function queueDelivery(db: Db, delivery: NewDelivery): Promise<string> {
  const id = newMessageId();
  await db
    .insertInto('webhook_deliveries')
    .values({ id, webhook_id: delivery.hook.id, event: delivery.event, package_id: delivery.packageId, body: delivery.body, created_at: delivery.at })
    .execute();
  await enqueueDeliveryJob(db, { deliveryId: id, webhookId: delivery.hook.id, packageId: delivery.packageId, at: new Date(delivery.at) });
  return id;
}

export async function enqueueDeliveryJob(
  db: Db,
  job: { deliveryId: string; webhookId: number; packageId: number | null; at: Date },
): Promise<void> {
  const orderingKey = `webhook:${job.webhookId}:${job.packageId ?? '-'}`;
  // Room for the whole retry schedule, and for a claim or two lost to a crash.
  await enqueueJob(db, { kind: DELIVER_JOB, payload: { deliveryId: job.deliveryId }, orderingKey, maxAttempts: MAX_ATTEMPTS + 3 }, job.at);
}

/**
 * Active subscriptions of the package's owners, to this package or to all of theirs; for an event
 * about ownership also the account it is about (the removed owner, no longer among the owners).
 */
async function subscriptionsFor(db: Db, packageId: number, subjectUserId: number | null): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('package_id', '=', packageId), eb('package_id', 'is', null)]))
    .where((eb) => {
      const owners = eb.selectFrom('package_owners').select('user_id').where('package_id', '=', packageId);
      const owner = eb('owner_id', 'in', owners);
      return subjectUserId === null ? owner : eb.or([owner, eb('owner_id', '=', subjectUserId)]);
    })
    .orderBy('id')
    .limit(FAN_OUT_CAP)
    .execute();
}
