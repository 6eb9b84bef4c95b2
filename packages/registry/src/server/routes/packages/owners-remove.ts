import { removeOwner } from '../../../registry/owner-remove.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { noBody, problems } from '../../schemas/index.ts';
import { userParams } from '../../schemas/owners.ts';

export const removeOwnerRoute = defineRoute({
  method: 'DELETE',
  url: '/packages/:name/owners/:username',
  limit: 'write',
  schema: {
    summary: 'Remove an owner (yourself included) while another remains',
    tags: ['owners'],
    security: [{ bearer: [] }],
    params: userParams,
    response: { 204: noBody('Removed'), ...problems(400, 401, 403, 404, 409, 413, 414, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const { name, username } = request.params as { name: string; username: string };
    await removeOwner(deps, actor, { name, username: username.toLowerCase() });
    return reply.status(204).send();
  },
});
