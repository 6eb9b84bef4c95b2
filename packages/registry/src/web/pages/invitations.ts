/**
 * Answering an invitation to own a package, from the account page: the API's answerInvitation with
 * the session (same checks, same audit entry). Accepting leads to the package page, where the new
 * owner finds the owner section; a refusal (expired, withdrawn) is shown on the account page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { answerInvitation } from '../../registry/invitation-answer.ts';
import type { AppDeps } from '../../server/deps.ts';
import { packagePath } from '../format.ts';
import { checkCsrf, requireWebSession, sessionActor } from '../session.ts';
import { renderAccount } from './account.ts';
import { shownOnPage } from './owners.ts';

async function answer(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, choice: 'accept' | 'decline') {
  checkCsrf(deps, request);
  const session = await requireWebSession(deps, request, reply);
  if (!session) return reply;
  const { name } = request.params as { name: string };
  let packageName: string;
  try {
    packageName = await answerInvitation(deps, sessionActor(session, request), name, choice);
  } catch (error) {
    if (!shownOnPage(error)) throw error;
    return renderAccount(deps, request, reply, session, { status: error.status, error: error.message });
  }
  return reply.redirect(choice === 'accept' ? `${packagePath(packageName)}?owners=accepted#owners` : '/account?declined=1', 303);
}

export const acceptInvitationSubmit = (deps: AppDeps, request: FastifyRequest, reply: FastifyReply) =>
  answer(deps, request, reply, 'accept');
export const declineInvitationSubmit = (deps: AppDeps, request: FastifyRequest, reply: FastifyReply) =>
  answer(deps, request, reply, 'decline');
