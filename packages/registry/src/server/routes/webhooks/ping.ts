import { pingWebhook } from '../../../webhooks/send-now.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json } from '../../schemas/index.ts';
import { idParams, webhookDeps, writeRefusals } from './common.ts';

export const pingWebhookRoute = defineRoute({
  method: 'POST',
  url: '/webhooks/:id/ping',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Send a signed `ping` event now, to check a receiver (also while the subscription is switched off)',
    tags: ['webhooks'],
    security: [{ bearer: [] }],
    params: idParams,
    response: {
      202: json('Queued; follow it in the delivery log', {
        type: 'object',
        required: ['delivery'],
        properties: { delivery: { type: 'string' } },
      }),
      ...writeRefusals,
    },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const { id } = request.params as { id: number };
    return reply.status(202).send({ delivery: await pingWebhook(webhookDeps(deps), actor, id) });
  },
});
