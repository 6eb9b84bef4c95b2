/** One webhook's recent deliveries (/account/webhooks/:id), newest first and paged, as GET /webhooks/{id}/deliveries lists them. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../core/src/errors.ts';
import { getWebhook, listDeliveries } from '../../webhooks/read.ts';
import type { AppDeps } from '../../server/deps.ts';
import { deliveryView, webhookView } from '../../server/views/webhook.ts';
import { idParam } from '../form.ts';
import { MAX_WINDOW, pageNumber } from '../page-number.ts';
import { pager } from '../pager.ts';
import { sendPage } from '../render.ts';
import { requireWebSession, sessionActor } from '../session.ts';
import { WEBHOOKS_PATH } from './webhooks.ts';

const PER_PAGE = 25;

export async function webhookDeliveriesPage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const raw = (request.params as { id: string }).id;
  const session = await requireWebSession(deps, request, reply, `${WEBHOOKS_PATH}/${encodeURIComponent(raw)}`);
  if (!session) return reply;
  const id = idParam(raw);
  if (id === null) throw notFound('webhook_not_found', 'You have no such webhook.');
  const actor = sessionActor(session, request);
  const db = deps.db.kysely;
  const hook = await getWebhook(db, actor, id);
  const page = pageNumber((request.query as Record<string, unknown>).page, MAX_WINDOW / PER_PAGE);
  const { rows, total } = await listDeliveries(db, actor, {
    webhookId: id,
    limit: PER_PAGE,
    offset: (page - 1) * PER_PAGE,
    countCap: MAX_WINDOW,
  });
  const pages = pager({
    label: 'Delivery pages',
    page,
    perPage: PER_PAGE,
    total,
    maxPage: MAX_WINDOW / PER_PAGE,
    href: (n) => `${WEBHOOKS_PATH}/${id}?page=${n}`,
  });
  return sendPage(deps, request, reply, {
    template: 'webhook-deliveries',
    title: `Webhook ${id} deliveries`,
    session,
    data: { hook: webhookView(hook.row, hook.packageName), deliveries: rows.map(deliveryView), total, pages },
  });
}
