import { getWebhook } from '../../../webhooks/read.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, ref } from '../../schemas/index.ts';
import { webhookView } from '../../views/webhook.ts';
import { idParams, readRefusals } from './common.ts';

export const showWebhookRoute = defineRoute({
  method: 'GET',
  url: '/webhooks/:id',
  limit: 'read',
  schema: {
    summary: 'One subscription: where it sends, what, and whether (and why not) it is active',
    tags: ['webhooks'],
    security: [{ bearer: [] }],
    params: idParams,
    response: { 200: json('The subscription', ref('Webhook')), ...readRefusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const { id } = request.params as { id: number };
    const hook = await getWebhook(deps.db.kysely, actor, id);
    return webhookView(hook.row, hook.packageName);
  },
});
