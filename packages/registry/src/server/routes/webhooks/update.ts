import { updateWebhook } from '../../../webhooks/manage.ts';
import { getWebhook } from '../../../webhooks/read.ts';
import { parseWebhookChange, WEBHOOK_URL_MAX } from '../../../webhooks/request.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, ref } from '../../schemas/index.ts';
import { WEBHOOK_EVENTS } from '../../../webhooks/events.ts';
import { webhookView } from '../../views/webhook.ts';
import { idParams, valueOr, webhookDeps, writeRefusals } from './common.ts';

export const updateWebhookRoute = defineRoute({
  method: 'PATCH',
  url: '/webhooks/:id',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Change where a subscription sends, which events, or switch it off and on',
    description:
      'Switching on again (`"active": true`) also clears a switch-off after failed deliveries. A new URL is checked like a new subscription\'s.',
    tags: ['webhooks'],
    security: [{ bearer: [] }],
    params: idParams,
    body: {
      type: 'object',
      properties: {
        url: { type: 'string', maxLength: WEBHOOK_URL_MAX },
        events: {
          type: 'array',
          items: { type: 'string', maxLength: 64 },
          maxItems: 50,
          description: `Any of: ${WEBHOOK_EVENTS.join(', ')}`,
        },
        active: { type: 'boolean' },
      },
    },
    response: { 200: json('The subscription as it now is', ref('Webhook')), ...writeRefusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const { id } = request.params as { id: number };
    await updateWebhook(webhookDeps(deps), actor, id, valueOr(parseWebhookChange(request.body)));
    const hook = await getWebhook(deps.db.kysely, actor, id);
    return webhookView(hook.row, hook.packageName);
  },
});
