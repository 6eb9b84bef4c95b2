/**
 * The package page's owner forms: invite a user, remove an owner, withdraw an invitation. Each is the
 * API route's domain call (same checks, same audit entry) made with the session; success goes back to
 * the package page with a notice, a refusal shows the page again with its message.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, RegistryError } from '../../../../core/src/errors.ts';
import { inviteOwner } from '../../registry/owner-invite.ts';
import { removeOwner } from '../../registry/owner-remove.ts';
import { cancelInvitation } from '../../registry/owner-invitation-cancel.ts';
import type { Actor } from '../../registry/publisher.ts';
import type { AppDeps } from '../../server/deps.ts';
import { packagePath } from '../format.ts';
import { field } from '../form.ts';
import { checkCsrf, requireWebSession, sessionActor } from '../session.ts';
import { packagePage } from './package.ts';
import type { OwnerNotice } from './owner-tools.ts';

type OwnerChange = (actor: Actor, name: string) => Promise<OwnerNotice>;

/** A refusal the user can act on is shown on the page; anything else goes to the error pages. */
export const shownOnPage = (error: unknown): error is RegistryError =>
  error instanceof RegistryError && error.status >= 400 && error.status < 500;

async function ownerForm(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, change: OwnerChange) {
  checkCsrf(deps, request);
  const { name } = request.params as { name: string };
  const session = await requireWebSession(deps, request, reply, packagePath(name));
  if (!session) return reply;
  let notice: OwnerNotice;
  try {
    notice = await change(sessionActor(session, request), name);
  } catch (error) {
    if (!shownOnPage(error)) throw error;
    if (error.headers) reply.headers(error.headers);
    return packagePage(deps, request, reply, { status: error.status, error: error.message });
  }
  return reply.redirect(`${packagePath(name)}?owners=${notice}#owners`, 303);
}

const usernameParam = (request: FastifyRequest) => (request.params as { username: string }).username.toLowerCase();

export const inviteOwnerSubmit = (deps: AppDeps, request: FastifyRequest, reply: FastifyReply) =>
  ownerForm(deps, request, reply, async (actor, name) => {
    const username = field(request.body, 'username', 100).trim().toLowerCase();
    if (username === '') throw badRequest('validation_failed', 'Enter the username of the user to invite.');
    await inviteOwner(deps, actor, { name, username });
    return 'invited';
  });

export const removeOwnerSubmit = (deps: AppDeps, request: FastifyRequest, reply: FastifyReply) =>
  ownerForm(deps, request, reply, async (actor, name) => {
    const username = usernameParam(request);
    await removeOwner(deps, actor, { name, username });
    return username === actor.username ? 'left' : 'removed';
  });

export const cancelInvitationSubmit = (deps: AppDeps, request: FastifyRequest, reply: FastifyReply) =>
  ownerForm(deps, request, reply, async (actor, name) => {
    await cancelInvitation(deps, actor, { name, username: usernameParam(request) });
    return 'withdrawn';
  });
