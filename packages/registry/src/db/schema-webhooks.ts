/** Tables of migration 0016: webhook subscriptions, deliveries and their attempts. */
import type { Generated, Selectable } from 'kysely';

export interface WebhooksTable {
  id: Generated<number>;
  owner_id: number;
  /** Null: every package the owner owns. */
  package_id: number | null;
  url: string;
  /** JSON array of event names. */
  events: string;
  active: Generated<number>;
  /** `whsec_…`, kept as shown: signing needs it. */
  secret: string;
  /** The secret before the last rotation, which also signs until `previous_secret_until`. */
  previous_secret: string | null;
  previous_secret_until: string | null;
  /** First failed delivery of the current run of failures; null after a success. */
  failing_since: string | null;
  disabled_at: string | null;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  /** `msg_…`: the `webhook-id` header, the same on every attempt and redelivery. */
  id: string;
  webhook_id: number;
  event: string;
  package_id: number | null;
  /** The JSON body exactly as signed and sent. */
  body: string;
  created_at: string;
  /** pending | delivered | failed | skipped */
  state: Generated<string>;
  attempts: Generated<number>;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  attempt: number;
  at: string;
  status_code: number | null;
  latency_ms: number;
  /** The first 1 KB of the response body. */
  response_excerpt: Generated<string>;
  error_code: string | null;
  error_message: string | null;
}

export interface WebhookTables {
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export type WebhookRow = Selectable<WebhooksTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
