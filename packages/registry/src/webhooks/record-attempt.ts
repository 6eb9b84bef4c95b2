/**
 * Writes an attempt's outcome in one transaction: the attempt row, the delivery's state, and the
 * subscription's health. A success ends a run of failures; a run that has lasted three days switches
 * the subscription off, with the reason shown to its owner and an audit entry.
 */
import type { WebhookDeliveryRow, WebhookRow } from '../db/schema-webhooks.ts';
import type { Db } from '../db/users.ts';
import type { JobOutcome } from '../jobs/runner.ts';
import { recordAudit } from '../registry/audit.ts';
import type { WebhooksDeps } from './deps.ts';
import { DISABLE_AFTER_MS, nextAttemptAt } from './retry-schedule.ts';
import type { DeliveryResult } from './send.ts';

const EXCERPT_CHARS = 1024;

export interface AttemptOutcome {
  delivery: WebhookDeliveryRow;
  hook: WebhookRow;
  result: DeliveryResult;
  /** The queue's attempt number for this run (a redelivery starts a new run and a new schedule). */
  jobAttempt: number;
  at: Date;
}

function describe(result: DeliveryResult): string {
  if (result.error) return `${result.error.code}: ${result.error.message}`.slice(0, 500);
  return `HTTP ${result.statusCode}`;
}

export async function recordAttempt(deps: WebhooksDeps & { random?: () => number }, outcome: AttemptOutcome): Promise<JobOutcome> {
  const { delivery, result, at } = outcome;
  const next = result.ok ? null : nextAttemptAt(outcome.jobAttempt, at, deps.random);
  await deps.db.kysely.transaction().execute(async (trx) => {
    // The subscription first, under its lock: a DELETE takes it first too (then its deliveries, by
    // cascade), so the two queue behind each other instead of deadlocking.
    const read = trx.selectFrom('webhooks').select(['failing_since', 'active']).where('id', '=', outcome.hook.id);
    const current = await (deps.db.dialect === 'postgres' ? read.forUpdate() : read).executeTakeFirst();
    if (!current) return;
    await trx
      .insertInto('webhook_attempts')
      .values({
        delivery_id: delivery.id,
        attempt: delivery.attempts + 1,
        at: at.toISOString(),
        status_code: result.statusCode,
        latency_ms: Math.round(result.latencyMs),
        response_excerpt: result.responseExcerpt.slice(0, EXCERPT_CHARS),
        error_code: result.error?.code ?? (result.ok ? null : 'http_error'),
        error_message: result.error?.message.slice(0, 500) ?? null,
      })
      .execute();
    const state = result.ok ? 'delivered' : next ? 'pending' : 'failed';
    await trx
      .updateTable('webhook_deliveries')
      .set({
        state,
        attempts: delivery.attempts + 1,
        last_attempt_at: at.toISOString(),
        last_status_code: result.statusCode,
        last_error: result.ok ? null : describe(result),
        next_attempt_at: next?.toISOString() ?? null,
      })
      .where('id', '=', delivery.id)
      .execute();
    await updateHealth(trx, outcome, current);
  });
  if (result.ok) return { status: 'done' };
  return next ? { status: 'retry', at: next, error: describe(result) } : { status: 'failed', error: describe(result) };
}

/** `current` is the subscription as read under its lock: another delivery of it may have moved it. */
async function updateHealth(
  trx: Db,
  { hook, result, at }: AttemptOutcome,
  current: { failing_since: string | null; active: number },
): Promise<void> {
  if (result.ok) {
    if (current.failing_since !== null) await trx.updateTable('webhooks').set({ failing_since: null }).where('id', '=', hook.id).execute();
    return;
  }
  const since = current.failing_since ?? at.toISOString();
  const tooLong = at.getTime() - Date.parse(since) >= DISABLE_AFTER_MS && current.active === 1;
  if (!tooLong) {
    if (current.failing_since === null) await trx.updateTable('webhooks').set({ failing_since: since }).where('id', '=', hook.id).execute();
    return;
  }
  const reason = `switched off after failing since ${since} (last: ${describe(result)}); fix the receiver, then PATCH {"active": true}`;
  await trx
    .updateTable('webhooks')
    .set({ active: 0, disabled_at: at.toISOString(), disabled_reason: reason })
    .where('id', '=', hook.id)
    .execute();
  const details = { webhook_id: Number(hook.id), reason };
  await recordAudit(trx, { action: 'webhook_disabled', actor: null, subjectUserId: Number(hook.owner_id), details, at: at.toISOString() });
}
