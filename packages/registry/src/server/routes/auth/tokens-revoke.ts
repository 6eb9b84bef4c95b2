import { revokeApiToken } from '../../../registry/api-tokens.ts';
import { defineRoute } from '../../route.ts';
import { noBody, problems } from '../../schemas/index.ts';
import { requireSession } from './require-session.ts';

export const revokeTokenRoute = defineRoute({
  method: 'DELETE',
  url: '/auth/tokens/:id',
  limit: 'write',
  schema: {
    summary: 'Revoke an API token at once',
    tags: ['auth'],
    security: [{ bearer: [] }],
    params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
    response: { 204: noBody('Revoked'), ...problems(400, 401, 403, 404, 413, 414, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const actor = await requireSession(deps, request);
    const { id } = request.params as { id: number };
    await revokeApiToken(deps.db.kysely, actor, id, deps.now());
    return reply.status(204).send();
  },
});
