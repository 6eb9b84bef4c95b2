import type { FastifyRequest } from 'fastify';
import { forbidden } from '../../../../../core/src/errors.ts';
import type { Actor } from '../../../registry/publisher.ts';
import { authenticate } from '../../authenticate.ts';
import type { AppDeps } from '../../deps.ts';

/**
 * Admin routes need an admin's login session. API tokens never carry admin powers: a token lives in
 * CI and scripts, where a leak should cost one account's packages, not the registry.
 */
export async function requireAdmin(deps: AppDeps, request: FastifyRequest): Promise<Actor> {
  const actor = await authenticate(deps, request);
  if (!actor.isAdmin) {
    throw forbidden(
      'admin_required',
      'Only the registry\'s admins may do this; an admin is made on the server with "npm run admin -- grant NAME"',
    );
  }
  if (actor.via !== 'session') {
    throw forbidden('session_required', 'API tokens never carry admin powers: log in with your password and use the session token');
  }
  return actor;
}
