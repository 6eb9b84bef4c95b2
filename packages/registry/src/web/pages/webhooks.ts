/**
 * The account's webhooks page (/account/webhooks): every subscription with its last delivery, and a
 * form to subscribe (the signing secret shown once, in the answer to the POST); switching off and on
 * and deleting are in webhook-changes.ts. The same domain calls as the API's /webhooks routes, with
 * the session.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createWebhook } from '../../webhooks/create.ts';
import { lastDeliveries, listWebhooks } from '../../webhooks/read.ts';
import { parseNewWebhook, WEBHOOK_URL_MAX } from '../../webhooks/request.ts';
import { WEBHOOK_EVENTS } from '../../webhooks/events.ts';
import type { LiveSession } from '../../server/authenticate.ts';
import type { AppDeps } from '../../server/deps.ts';
import { valueOr, webhookDeps } from '../../server/routes/webhooks/common.ts';
import { deliveryView, webhookView } from '../../server/views/webhook.ts';
import { field, fieldList } from '../form.ts';
import { sendPage } from '../render.ts';
import { checkCsrf, requireWebSession, sessionActor } from '../session.ts';
import { shownOnPage } from './owners.ts';

export const WEBHOOKS_PATH = '/account/webhooks';

/** Notices after a redirect back here. */
const NOTICES: Record<string, string> = {
  on: 'The webhook was switched on.',
  off: 'The webhook was switched off.',
  deleted: 'The webhook was deleted.',
};

interface WebhookForm {
  url: string;
  events: string[];
  package: string;
}

const EMPTY_FORM: WebhookForm = { url: '', events: ['package.published'], package: '' };

export async function renderWebhooks(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  session: LiveSession,
  extra: Record<string, unknown> & { status?: number },
) {
  const actor = sessionActor(session, request);
  const db = deps.db.kysely;
  const max = deps.config.webhooks.maxPerAccount;
  const hooks = await listWebhooks(db, actor, max);
  const last = await lastDeliveries(
    db,
    actor,
    hooks.map((h) => Number(h.row.id)),
  );
  const items = hooks.map((h) => {
    const delivery = last.get(Number(h.row.id));
    return { ...webhookView(h.row, h.packageName), last: delivery ? deliveryView(delivery) : null };
  });
  const { status, ...data } = extra;
  return sendPage(deps, request, reply, {
    template: 'webhooks',
    title: 'Webhooks',
    session,
    status,
    data: { hooks: items, max, events: WEBHOOK_EVENTS, form: EMPTY_FORM, urlMax: WEBHOOK_URL_MAX, ...data },
  });
}

export async function webhooksPage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const session = await requireWebSession(deps, request, reply, WEBHOOKS_PATH);
  if (!session) return reply;
  const done = (request.query as Record<string, unknown>).done;
  const notice = typeof done === 'string' && Object.hasOwn(NOTICES, done) ? NOTICES[done] : undefined;
  return renderWebhooks(deps, request, reply, session, notice ? { notice } : {});
}

export async function createWebhookSubmit(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  checkCsrf(deps, request);
  const session = await requireWebSession(deps, request, reply, WEBHOOKS_PATH);
  if (!session) return reply;
  const body = request.body;
  const form: WebhookForm = {
    url: field(body, 'url', WEBHOOK_URL_MAX + 1),
    events: fieldList(body, 'events', 50),
    package: field(body, 'package', 214).trim(),
  };
  try {
    const wanted = valueOr(parseNewWebhook({ url: form.url, events: form.events, package: form.package === '' ? null : form.package }));
    const created = await createWebhook(webhookDeps(deps), sessionActor(session, request), wanted);
    return renderWebhooks(deps, request, reply, session, {
      status: 201,
      created: { id: Number(created.row.id), url: created.row.url, secret: created.secret },
    });
  } catch (error) {
    if (!shownOnPage(error)) throw error;
    return renderWebhooks(deps, request, reply, session, { status: error.status, error: error.message, form });
  }
}
