/** Webhook rows as the API shows them: never the secret (it is shown once, by the route that makes it). */
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookRow } from '../../db/schema-webhooks.ts';

export function webhookView(row: WebhookRow, packageName: string | null) {
  return {
    id: Number(row.id),
    url: row.url,
    events: JSON.parse(row.events) as string[],
    package: packageName,
    active: row.active === 1,
    disabled_at: row.disabled_at,
    disabled_reason: row.disabled_reason,
    failing_since: row.failing_since,
    previous_secret_until: row.previous_secret_until,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function packageOf(body: string): string | null {
  try {
    const name = (JSON.parse(body) as { data?: { package?: unknown } }).data?.package;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

export function deliveryView(row: WebhookDeliveryRow) {
  return {
    id: row.id,
    event: row.event,
    package: packageOf(row.body),
    created_at: row.created_at,
    state: row.state,
    attempts: row.attempts,
    last_attempt_at: row.last_attempt_at,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    next_attempt_at: row.next_attempt_at,
  };
}

export function attemptView(row: WebhookAttemptRow) {
  return {
    attempt: row.attempt,
    at: row.at,
    status_code: row.status_code,
    latency_ms: row.latency_ms,
    response_excerpt: row.response_excerpt,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message },
  };
}
