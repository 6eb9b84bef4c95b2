import { deleteWebhook } from '../../../webhooks/manage.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { noBody } from '../../schemas/index.ts';
import { idParams, webhookDeps, writeRefusals } from './common.ts';

export const deleteWebhookRoute = defineRoute({
  method: 'DELETE',
  url: '/webhooks/:id',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Delete a subscription, its delivery log, and any delivery not yet made',
    tags: ['webhooks'],
    security: [{ bearer: [] }],
    params: idParams,
    response: { 204: noBody('Deleted'), ...writeRefusals },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const { id } = request.params as { id: number };
    await deleteWebhook(webhookDeps(deps), actor, id);
    return reply.status(204).send();
  },
});
