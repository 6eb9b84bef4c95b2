import { validationError, type FieldError } from '../../../../../core/src/errors.ts';
import type { WebhooksDeps } from '../../../webhooks/deps.ts';
import type { AppDeps } from '../../deps.ts';
import { problems } from '../../schemas/index.ts';

/** What the webhook domain needs of the app: the database, the clock, the config, and a nudge for the queue. */
export const webhookDeps = (deps: AppDeps): WebhooksDeps => ({
  db: deps.db,
  now: deps.now,
  config: deps.config,
  wake: () => deps.jobs.wake(),
});

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The webhook id' } },
} as const;

export const deliveryParams = {
  type: 'object',
  required: ['id', 'delivery'],
  properties: {
    ...idParams.properties,
    delivery: { type: 'string', maxLength: 64, description: 'The delivery id (msg_…)' },
  },
} as const;

export const readRefusals = problems(400, 401, 403, 404, 414, 429, 500, 503);
export const writeRefusals = problems(400, 401, 403, 404, 409, 413, 414, 415, 429, 500, 503);

/** A parse result's value, or the 400 listing every field to fix. */
export function valueOr<T>(result: { ok: true; value: T } | { ok: false; errors: FieldError[] }): T {
  if (!result.ok) throw validationError(result.errors, result.errors.map((e) => e.message).join('; '));
  return result.value;
}
