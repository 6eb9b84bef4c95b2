import { forbidden, unauthorized } from '../../../../../core/src/errors.ts';
import { looksLikeApiToken, parseBearer } from '../../../auth/index.ts';
import { revokeSession } from '../../../db/tokens.ts';
import { liveSession, type LiveSession } from '../../authenticate.ts';
import type { AppDeps } from '../../deps.ts';
import { defineRoute } from '../../route.ts';
import { noBody, problems } from '../../schemas/index.ts';
import type { FastifyRequest } from 'fastify';

/** The live session behind the request; API tokens have their own revoke (DELETE /auth/tokens/:id). */
export async function sessionOf(deps: AppDeps, request: FastifyRequest): Promise<LiveSession> {
  const bearer = parseBearer(request.headers.authorization);
  if (bearer === null) throw unauthorized();
  if (looksLikeApiToken(bearer)) {
    throw forbidden('session_required', 'This logs out a session token; revoke an API token with DELETE /api/v1/auth/tokens/{id}');
  }
  const session = await liveSession(deps, bearer);
  if (!session) throw unauthorized('The token is invalid, expired or revoked: log in again');
  return session;
}

export const logout = defineRoute({
  method: 'POST',
  url: '/auth/logout',
  limit: 'write',
  schema: {
    summary: 'Log out: revoke the session token sent, at once',
    tags: ['auth'],
    security: [{ bearer: [] }],
    response: { 204: noBody('Logged out'), ...problems(400, 401, 403, 413, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const session = await sessionOf(deps, request);
    await revokeSession(deps.db.kysely, {
      jti: session.tokenId,
      userId: session.userId,
      expiresAt: session.expiresAt.toISOString(),
      now: deps.now().toISOString(),
    });
    return reply.status(204).send();
  },
});
