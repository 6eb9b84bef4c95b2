import type { FastifyRequest } from 'fastify';
import { forbidden } from '../../../../../core/src/errors.ts';
import type { Actor } from '../../../registry/publisher.ts';
import { authenticate } from '../../authenticate.ts';
import type { AppDeps } from '../../deps.ts';

/** Token management needs a login session: an API token must not mint or revoke tokens. */
export async function requireSession(deps: AppDeps, request: FastifyRequest): Promise<Actor> {
  const actor = await authenticate(deps, request);
  if (actor.via !== 'session') {
    throw forbidden('session_required', 'API tokens cannot manage tokens: log in with your password and use the session token');
  }
  return actor;
}
