import { Webhook } from 'standardwebhooks';

export type SignedHeaderName = 'webhook-id' | 'webhook-timestamp' | 'webhook-signature';

export interface SignInput {
  msgId: string;
  timestamp: Date;
  body: string;
  /** Every secret signs: during a rotation's grace period the new and the old one. At least one. */
  secrets: string[];
}

/**
 * The Standard Webhooks 1.0 headers of one delivery: `webhook-signature` holds one `v1,<base64 HMAC-SHA256
 * of id.timestamp.body>` per secret, space-separated, so a receiver holding either secret verifies it.
 * The timestamp is whole seconds, as the spec (and its verifiers) use.
 *
 * @example signedHeaders({ msgId: 'msg_1', timestamp: new Date(), body: '{}', secrets: [newWebhookSecret()] })
 */
export function signedHeaders(input: SignInput): Record<SignedHeaderName, string> {
  if (input.secrets.length === 0) throw new Error('signedHeaders needs at least one secret');
  const signatures = input.secrets.map((secret) => new Webhook(secret).sign(input.msgId, input.timestamp, input.body));
  return {
    'webhook-id': input.msgId,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
