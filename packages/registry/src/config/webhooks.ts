import type { EnvReader } from './config-error.ts';

/** Where webhooks may be sent and how long a receiver gets. */
export interface WebhooksConfig {
  /** Lifts the guard against loopback, private, link-local and metadata addresses (tests, internal setups). */
  allowPrivate: boolean;
  /** Allows plain http URLs; https only otherwise. */
  allowHttp: boolean;
  /** One attempt's whole budget, connect to last byte. */
  timeoutMs: number;
  /** Subscriptions one account may hold. */
  maxPerAccount: number;
}

export function readWebhooks(r: EnvReader): WebhooksConfig {
  return {
    allowPrivate: r.bool('REGISTRY_WEBHOOK_ALLOW_PRIVATE', false),
    allowHttp: r.bool('REGISTRY_WEBHOOK_ALLOW_HTTP', false),
    timeoutMs: r.int('REGISTRY_WEBHOOK_TIMEOUT_MS', 10_000, { min: 100, max: 60_000 }),
    maxPerAccount: r.int('REGISTRY_WEBHOOK_MAX_PER_ACCOUNT', 25, { min: 1, max: 1_000 }),
  };
}
