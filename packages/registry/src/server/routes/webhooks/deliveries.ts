import { getDelivery, listDeliveries } from '../../../webhooks/read.ts';
import { redeliver } from '../../../webhooks/send-now.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, noBody, pageOf, ref } from '../../schemas/index.ts';
import { attemptView, deliveryView } from '../../views/webhook.ts';
import { MAX_RESULT_WINDOW, paged, pagingProperties, readPaging, window } from '../search/paging.ts';
import { deliveryParams, idParams, readRefusals, webhookDeps, writeRefusals } from './common.ts';

export const listDeliveriesRoute = defineRoute({
  method: 'GET',
  url: '/webhooks/:id/deliveries',
  limit: 'read',
  schema: {
    summary: "A subscription's delivery log, newest first",
    tags: ['webhooks'],
    security: [{ bearer: [] }],
    params: idParams,
    querystring: { type: 'object', properties: pagingProperties() },
    response: { 200: json('A page of deliveries', pageOf(ref('WebhookDelivery'))), ...readRefusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const { id } = request.params as { id: number };
    const query = readPaging(request.query as Record<string, unknown>);
    const { rows, total } = await listDeliveries(deps.db.kysely, actor, { webhookId: id, ...window(query), countCap: MAX_RESULT_WINDOW });
    return paged(query, total, rows.map(deliveryView));
  },
});

const deliveryWithAttempts = {
  type: 'object',
  required: ['delivery', 'attempts'],
  properties: { delivery: ref('WebhookDelivery'), attempts: { type: 'array', items: ref('WebhookAttempt'), description: 'Newest first' } },
};

export const showDeliveryRoute = defineRoute({
  method: 'GET',
  url: '/webhooks/:id/deliveries/:delivery',
  limit: 'read',
  schema: {
    summary: 'One delivery and its attempts: status, latency, response code and the first 1 KB of the response',
    tags: ['webhooks'],
    security: [{ bearer: [] }],
    params: deliveryParams,
    response: { 200: json('The delivery', deliveryWithAttempts), ...readRefusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const { id, delivery } = request.params as { id: number; delivery: string };
    const found = await getDelivery(deps.db.kysely, actor, { webhookId: id, deliveryId: delivery });
    return { delivery: deliveryView(found.row), attempts: found.attempts.map(attemptView) };
  },
});

export const redeliverRoute = defineRoute({
  method: 'POST',
  url: '/webhooks/:id/deliveries/:delivery/redeliver',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Send a finished delivery again, with the same webhook-id (receivers that have it can skip it)',
    tags: ['webhooks'],
    security: [{ bearer: [] }],
    params: deliveryParams,
    response: { 202: noBody('Queued'), ...writeRefusals },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const { id, delivery } = request.params as { id: number; delivery: string };
    await redeliver(webhookDeps(deps), actor, { webhookId: id, deliveryId: delivery });
    return reply.status(202).send();
  },
});
