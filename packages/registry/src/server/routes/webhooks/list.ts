import { listWebhooks } from '../../../webhooks/read.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, ref } from '../../schemas/index.ts';
import { webhookView } from '../../views/webhook.ts';
import { readRefusals } from './common.ts';

export const listWebhooksRoute = defineRoute({
  method: 'GET',
  url: '/webhooks',
  limit: 'read',
  schema: {
    summary: "The account's webhook subscriptions (an account holds a few dozen at most, so one page)",
    tags: ['webhooks'],
    security: [{ bearer: [] }],
    response: {
      200: json('Every subscription of the account', {
        type: 'object',
        required: ['results'],
        properties: { results: { type: 'array', items: ref('Webhook') } },
      }),
      ...readRefusals,
    },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const hooks = await listWebhooks(deps.db.kysely, actor, deps.config.webhooks.maxPerAccount);
    return { results: hooks.map((h) => webhookView(h.row, h.packageName)) };
  },
});
