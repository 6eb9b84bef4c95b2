/**
 * Changing a subscription: its URL (checked again), its events, switching it off or on (on again
 * clears a switch-off after failures, and the run of failures that caused it), deleting it, and
 * rotating its secret with a grace period in which the old secret signs too.
 */
import type { WebhookRow } from '../db/schema-webhooks.ts';
import { badRequest } from '../../../core/src/errors.ts';
import { recordAudit } from '../registry/audit.ts';
import type { Actor } from '../registry/publisher.ts';
import { allowedUrl, ownWebhook, requireWebhookScope, type WebhooksDeps } from './deps.ts';
import type { WebhookChange } from './request.ts';
import { newWebhookSecret } from './secrets.ts';

const HOUR_MS = 60 * 60 * 1000;
export const ROTATION_GRACE_MAX_HOURS = 7 * 24;
export const ROTATION_GRACE_DEFAULT_HOURS = 24;

const audited = (row: WebhookRow) => ({ webhook_id: Number(row.id) });

export async function updateWebhook(deps: WebhooksDeps, actor: Actor, id: number, change: WebhookChange): Promise<WebhookRow> {
  requireWebhookScope(actor);
  await ownWebhook(deps.db.kysely, actor, id);
  const url = change.url === undefined ? undefined : await allowedUrl(deps, change.url);
  return deps.db.kysely.transaction().execute(async (trx) => {
    const row = await ownWebhook(trx, actor, id);
    const at = deps.now().toISOString();
    const set: Partial<WebhookRow> = { updated_at: at };
    if (url !== undefined) set.url = url;
    if (change.events !== undefined) set.events = JSON.stringify(change.events);
    if (change.active === true) Object.assign(set, { active: 1, disabled_at: null, disabled_reason: null, failing_since: null });
    if (change.active === false) Object.assign(set, { active: 0, disabled_at: at, disabled_reason: `switched off by ${actor.username}` });
    const updated = await trx.updateTable('webhooks').set(set).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    const details = { ...audited(row), ...change, ...(url !== undefined ? { url } : {}) };
    await recordAudit(trx, { action: 'webhook_update', actor, details, at });
    return updated;
  });
}

export async function deleteWebhook(deps: WebhooksDeps, actor: Actor, id: number): Promise<void> {
  requireWebhookScope(actor);
  await deps.db.kysely.transaction().execute(async (trx) => {
    const row = await ownWebhook(trx, actor, id);
    // Deliveries and attempts go with it (foreign keys cascade); queued jobs find no delivery and end.
    await trx.deleteFrom('webhooks').where('id', '=', row.id).execute();
    await recordAudit(trx, { action: 'webhook_delete', actor, details: { ...audited(row), url: row.url }, at: deps.now().toISOString() });
  });
}

/** A grace of at most a week, given in hours; the default is a day. */
export function parseGraceHours(body: unknown): number {
  const value = body && typeof body === 'object' ? (body as { grace_hours?: unknown }).grace_hours : undefined;
  if (value === undefined || value === null) return ROTATION_GRACE_DEFAULT_HOURS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > ROTATION_GRACE_MAX_HOURS) {
    const message = `grace_hours must be a whole number of hours from 0 to ${ROTATION_GRACE_MAX_HOURS}`;
    throw badRequest('validation_failed', message, { errors: [{ field: 'grace_hours', message }] });
  }
  return value;
}

/** A new secret, shown once; the old one keeps signing (beside the new) for `graceHours`. */
export async function rotateSecret(
  deps: WebhooksDeps,
  actor: Actor,
  id: number,
  graceHours: number,
): Promise<{ row: WebhookRow; secret: string }> {
  requireWebhookScope(actor);
  const secret = newWebhookSecret();
  return deps.db.kysely.transaction().execute(async (trx) => {
    const row = await ownWebhook(trx, actor, id);
    const now = deps.now();
    const until = graceHours === 0 ? null : new Date(now.getTime() + graceHours * HOUR_MS).toISOString();
    const set = { secret, previous_secret: until ? row.secret : null, previous_secret_until: until, updated_at: now.toISOString() };
    const updated = await trx.updateTable('webhooks').set(set).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'webhook_rotate_secret',
      actor,
      details: { ...audited(row), grace_hours: graceHours },
      at: now.toISOString(),
    });
    return { row: updated, secret };
  });
}

/** The secrets that sign a delivery made now: the current one, and the previous during its grace. */
export function signingSecrets(row: Pick<WebhookRow, 'secret' | 'previous_secret' | 'previous_secret_until'>, now: Date): string[] {
  const graceOpen = row.previous_secret && row.previous_secret_until && row.previous_secret_until > now.toISOString();
  return graceOpen ? [row.secret, row.previous_secret!] : [row.secret];
}
