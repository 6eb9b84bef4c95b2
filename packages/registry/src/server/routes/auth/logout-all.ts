import { revokeAllSessions } from '../../../db/tokens.ts';
import { defineRoute } from '../../route.ts';
import { noBody, problems } from '../../schemas/index.ts';
import { sessionOf } from './logout.ts';

export const logoutAll = defineRoute({
  method: 'POST',
  url: '/auth/logout-all',
  limit: 'write',
  schema: {
    summary: 'Log out everywhere: revoke every session token of the account (API tokens stay valid)',
    tags: ['auth'],
    security: [{ bearer: [] }],
    response: { 204: noBody('Logged out'), ...problems(400, 401, 403, 413, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const session = await sessionOf(deps, request);
    await revokeAllSessions(deps.db.kysely, session.userId);
    return reply.status(204).send();
  },
});
