/**
 * Turns an audited change into deliveries, in two steps. In the change's own transaction: one queued
 * event job naming the subscriptions it reaches and a message id for each, so a crash can neither
 * lose the event nor send one for a change that rolled back. Then, in the background (event-job.ts):
 * the event job writes one delivery row and one delivery job per subscription. A change with ten
 * subscriptions thus writes one row, not twenty, while other changes wait on its transaction.
 * Jobs of one (subscription, package) share an ordering key: they are sent in the order the changes
 * committed, each after the one before has finished; event jobs of one package are ordered likewise.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/users.ts';
import type { WebhookRow } from '../db/schema-webhooks.ts';
import { enqueueJob, enqueueJobs, type JobSpec } from '../jobs/enqueue.ts';
import type { AuditEntry } from '../registry/audit.ts';
import { eventBody, eventFor, reachesSubject } from './events.ts';
import { MAX_ATTEMPTS } from './retry-schedule.ts';

export const DELIVER_JOB = 'webhook.deliver';
export const EVENT_JOB = 'webhook.event';

/** A subscription reaches at most this many (account limit × owners is far below it). */
const FAN_OUT_CAP = 1_000;

/**
 * `msg_`, the time in milliseconds (9 base-36 digits, so they sort until the year 5188) and 16 random
 * bytes. The time first puts the id index's new entries at its end, on one page, where random ids
 * would rewrite a page per delivery in the publish transaction.
 */
export function newMessageId(): string {
  return `msg_${Date.now().toString(36).padStart(9, '0')}${randomBytes(16).toString('base64url')}`;
}

/** What an event job carries: the event, its body as it will be signed, and who gets it under which id. */
export interface EventPayload {
  event: string;
  packageId: number;
  body: string;
  at: string;
  /** [subscription id, message id] for each subscription reached when the change committed. */
  deliveries: [number, string][];
}

/** Queues the event this entry raises, if any active subscription listens to it: one job, whatever their number. */
export async function emitWebhookEvents(db: Db, entry: AuditEntry): Promise<void> {
  const event = eventFor(entry);
  if (!event || !entry.package) return;
  const hooks = await subscriptionsFor(db, entry.package.id, reachesSubject(event) ? (entry.subjectUserId ?? null) : null);
  const listening = hooks.filter((h) => (JSON.parse(h.events) as string[]).includes(event));
  if (listening.length === 0) return;
  const payload: EventPayload = {
    event,
    packageId: entry.package.id,
    body: eventBody(event, entry),
    at: entry.at,
    deliveries: listening.map((h) => [Number(h.id), newMessageId()]),
  };
  const orderingKey = `webhook-event:${entry.package.id}`;
  await enqueueJob(db, { kind: EVENT_JOB, payload, orderingKey, maxAttempts: MAX_ATTEMPTS + 3 }, new Date(entry.at));
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
  await queueDeliveries(db, [{ ...delivery, id }]);
  return id;
}

/**
 * The delivery rows in one statement and the jobs of those not already there in another (an event
 * job run again after a crash finds its rows and queues nothing twice); returns the ids queued.
 */
export async function queueDeliveries(db: Db, deliveries: readonly (NewDelivery & { id: string })[]): Promise<string[]> {
  if (deliveries.length === 0) return [];
  const inserted = await db
    .insertInto('webhook_deliveries')
    .values(
      deliveries.map((d) => ({ id: d.id, webhook_id: d.hook.id, event: d.event, package_id: d.packageId, body: d.body, created_at: d.at })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  const fresh = new Set(inserted.map((r) => r.id));
  const queued = deliveries.filter((d) => fresh.has(d.id));
  if (queued.length === 0) return [];
  const jobs = queued.map((d) => deliveryJob({ deliveryId: d.id, webhookId: d.hook.id, packageId: d.packageId }));
  // Callers pass the deliveries of one change, which share its time: the jobs are due from then.
  await enqueueJobs(db, jobs, new Date(queued[0]!.at));
  return queued.map((d) => d.id);
}

export async function enqueueDeliveryJob(
  db: Db,
  job: { deliveryId: string; webhookId: number; packageId: number | null; at: Date },
): Promise<void> {
  await enqueueJobs(db, [deliveryJob(job)], job.at);
}

function deliveryJob(job: { deliveryId: string; webhookId: number; packageId: number | null }): JobSpec {
  // Package first: the keys of one change's deliveries sit side by side in the ordering index.
  const orderingKey = `webhook:${job.packageId ?? '-'}:${job.webhookId}`;
  // Room for the whole retry schedule, and for a claim or two lost to a crash.
  return { kind: DELIVER_JOB, payload: { deliveryId: job.deliveryId }, orderingKey, maxAttempts: MAX_ATTEMPTS + 3 };
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
