import { randomBytes } from 'node:crypto';

/** Bytes of key material in a webhook secret (HMAC-SHA256 gains nothing past its 32-byte block of output). */
export const WEBHOOK_SECRET_BYTES = 32;

/**
 * A new per-subscription signing secret in the Standard Webhooks format: `whsec_` and the base64 of 32
 * random bytes. Receivers pass it as is to their Standard Webhooks library.
 *
 * @example newWebhookSecret() // 'whsec_q3H…=' (50 characters)
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(WEBHOOK_SECRET_BYTES).toString('base64')}`;
}
