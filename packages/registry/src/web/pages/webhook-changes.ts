/** Switching a webhook off and on, and deleting it, from the webhooks page: the API's domain calls with the session. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../core/src/errors.ts';
import { deleteWebhook, updateWebhook } from '../../webhooks/manage.ts';
import type { Actor } from '../../registry/publisher.ts';
import type { AppDeps } from '../../server/deps.ts';
import { webhookDeps } from '../../server/routes/webhooks/common.ts';
import { field, idParam } from '../form.ts';
import { checkCsrf, requireWebSession, sessionActor } from '../session.ts';
import { shownOnPage } from './owners.ts';
import { renderWebhooks, WEBHOOKS_PATH } from './webhooks.ts';

/** A change to one subscription, then back to the list with a notice (or the list with the refusal). */
async function changeWebhook(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  change: (actor: Actor, id: number) => Promise<string>,
) {
  checkCsrf(deps, request);
  const session = await requireWebSession(deps, request, reply, WEBHOOKS_PATH);
  if (!session) return reply;
  let done: string;
  try {
    const id = idParam((request.params as { id: string }).id);
    if (id === null) throw notFound('webhook_not_found', 'No such webhook');
    done = await change(sessionActor(session, request), id);
  } catch (error) {
    if (!shownOnPage(error)) throw error;
    return renderWebhooks(deps, request, reply, session, { status: error.status, error: error.message });
  }
  return reply.redirect(`${WEBHOOKS_PATH}?done=${done}`, 303);
}

export const switchWebhookSubmit = (deps: AppDeps, request: FastifyRequest, reply: FastifyReply) =>
  changeWebhook(deps, request, reply, async (actor, id) => {
    const active = field(request.body, 'active') === 'on';
    await updateWebhook(webhookDeps(deps), actor, id, { active });
    return active ? 'on' : 'off';
  });

export const deleteWebhookSubmit = (deps: AppDeps, request: FastifyRequest, reply: FastifyReply) =>
  changeWebhook(deps, request, reply, async (actor, id) => {
    await deleteWebhook(webhookDeps(deps), actor, id);
    return 'deleted';
  });
