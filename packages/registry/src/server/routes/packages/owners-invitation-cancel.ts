import { cancelInvitation } from '../../../registry/owner-invitation-cancel.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { noBody, problems } from '../../schemas/index.ts';
import { userParams } from '../../schemas/owners.ts';

export const cancelInvitationRoute = defineRoute({
  method: 'DELETE',
  url: '/packages/:name/owners/invitations/:username',
  limit: 'write',
  schema: {
    summary: 'Withdraw an open owner invitation',
    tags: ['owners'],
    security: [{ bearer: [] }],
    params: userParams,
    response: { 204: noBody('Withdrawn'), ...problems(400, 401, 403, 404, 413, 414, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const { name, username } = request.params as { name: string; username: string };
    await cancelInvitation(deps, actor, { name, username: username.toLowerCase() });
    return reply.status(204).send();
  },
});
