/** Reading subscriptions and their delivery log; every read is the actor's own and bounded. */
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookRow } from '../db/schema-webhooks.ts';
import type { Db } from '../db/users.ts';
import { notFound } from '../../../core/src/errors.ts';
import type { Actor } from '../registry/publisher.ts';
import { ownWebhook, requireWebhookScope } from './deps.ts';

export interface WebhookWithPackage {
  row: WebhookRow;
  packageName: string | null;
}

/** A delivery's attempts shown at most: the schedule makes 9, redeliveries add more. */
export const ATTEMPTS_SHOWN = 100;

async function packageNames(db: Db, rows: WebhookRow[]): Promise<Map<number, string>> {
  const ids = [...new Set(rows.map((r) => r.package_id).filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const found = await db.selectFrom('packages').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(found.map((p) => [Number(p.id), p.name]));
}

export async function listWebhooks(db: Db, actor: Actor, max: number): Promise<WebhookWithPackage[]> {
  requireWebhookScope(actor);
  const rows = await db.selectFrom('webhooks').selectAll().where('owner_id', '=', actor.userId).orderBy('id').limit(max).execute();
  const names = await packageNames(db, rows);
  return rows.map((row) => ({ row, packageName: row.package_id === null ? null : (names.get(Number(row.package_id)) ?? null) }));
}

export async function getWebhook(db: Db, actor: Actor, id: number): Promise<WebhookWithPackage> {
  requireWebhookScope(actor);
  const row = await ownWebhook(db, actor, id);
  const names = await packageNames(db, [row]);
  return { row, packageName: row.package_id === null ? null : (names.get(Number(row.package_id)) ?? null) };
}

/** Newest first; `total` counts at most `countCap` (the deepest reachable page). */
export async function listDeliveries(
  db: Db,
  actor: Actor,
  request: { webhookId: number; limit: number; offset: number; countCap: number },
): Promise<{ rows: WebhookDeliveryRow[]; total: number }> {
  requireWebhookScope(actor);
  const hook = await ownWebhook(db, actor, request.webhookId);
  const ofHook = () => db.selectFrom('webhook_deliveries').where('webhook_id', '=', hook.id);
  const [rows, counted] = await Promise.all([
    ofHook().selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(request.limit).offset(request.offset).execute(),
    db
      .selectFrom(ofHook().select('id').limit(request.countCap).as('c'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  ]);
  return { rows, total: Number(counted?.n ?? 0) };
}

export async function getDelivery(
  db: Db,
  actor: Actor,
  request: { webhookId: number; deliveryId: string },
): Promise<{ row: WebhookDeliveryRow; attempts: WebhookAttemptRow[] }> {
  requireWebhookScope(actor);
  const hook = await ownWebhook(db, actor, request.webhookId);
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', request.deliveryId)
    .where('webhook_id', '=', hook.id)
    .executeTakeFirst();
  if (!row) throw notFound('delivery_not_found', `Webhook ${hook.id} has no delivery ${request.deliveryId}`);
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', '=', row.id)
    .orderBy('attempt', 'desc')
    .limit(ATTEMPTS_SHOWN)
    .execute();
  return { row, attempts };
}

/** Each of the actor's subscriptions' newest delivery, by subscription id (one indexed lookup each, one query). */
export async function lastDeliveries(db: Db, actor: Actor, webhookIds: readonly number[]): Promise<Map<number, WebhookDeliveryRow>> {
  requireWebhookScope(actor);
  if (webhookIds.length === 0) return new Map();
  const newest = await db
    .selectFrom('webhooks as w')
    .select((eb) =>
      eb
        .selectFrom('webhook_deliveries as d')
        .select('d.id')
        .whereRef('d.webhook_id', '=', 'w.id')
        .orderBy('d.created_at', 'desc')
        .orderBy('d.id', 'desc')
        .limit(1)
        .as('delivery_id'),
    )
    .where('w.owner_id', '=', actor.userId)
    .where('w.id', 'in', webhookIds)
    .execute();
  const ids = newest.map((r) => r.delivery_id).filter((id): id is string => id !== null);
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('webhook_deliveries').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [Number(row.webhook_id), row]));
}
