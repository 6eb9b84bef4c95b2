import { createWebhook } from '../../../webhooks/create.ts';
import { parseNewWebhook, WEBHOOK_URL_MAX } from '../../../webhooks/request.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json } from '../../schemas/index.ts';
import { webhookWithSecretSchema } from '../../schemas/webhooks.ts';
import { WEBHOOK_EVENTS } from '../../../webhooks/events.ts';
import { webhookView } from '../../views/webhook.ts';
import { valueOr, webhookDeps, writeRefusals } from './common.ts';

export const createWebhookRoute = defineRoute({
  method: 'POST',
  url: '/webhooks',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Subscribe a URL to events of one package, or of every package the account owns',
    description:
      'The answer carries the signing secret, shown this once. The URL must be https and must not resolve to a loopback, ' +
      'private, link-local or metadata address (unless the registry allows it). Needs a session or the "webhooks" token scope.',
    tags: ['webhooks'],
    security: [{ bearer: [] }],
    body: {
      type: 'object',
      required: ['url', 'events'],
      properties: {
        url: { type: 'string', maxLength: WEBHOOK_URL_MAX },
        events: {
          type: 'array',
          items: { type: 'string', maxLength: 64 },
          maxItems: 50,
          description: `Any of: ${WEBHOOK_EVENTS.join(', ')}`,
        },
        package: { type: ['string', 'null'], maxLength: 214, description: 'Left out or null: every package the account owns' },
      },
    },
    response: { 201: json('The subscription, with its secret', webhookWithSecretSchema), ...writeRefusals },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const created = await createWebhook(webhookDeps(deps), actor, valueOr(parseNewWebhook(request.body)));
    return reply.status(201).send({ ...webhookView(created.row, created.packageName), secret: created.secret });
  },
});
