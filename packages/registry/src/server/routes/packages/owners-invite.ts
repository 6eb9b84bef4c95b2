import { inviteOwner } from '../../../registry/owner-invite.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { invitationSchema } from '../../schemas/owners.ts';
import { nameParams } from './params.ts';

export const inviteOwnerRoute = defineRoute({
  method: 'POST',
  url: '/packages/:name/owners/invitations',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Invite a user to become an owner (they accept within 30 days)',
    tags: ['owners'],
    security: [{ bearer: [] }],
    params: nameParams,
    body: {
      type: 'object',
      required: ['username'],
      properties: { username: { type: 'string', maxLength: 100 } },
    },
    response: { 201: json('The invitation', invitationSchema), ...problems(400, 401, 403, 404, 409, 413, 414, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const { name } = request.params as { name: string };
    const { username } = request.body as { username: string };
    const invitation = await inviteOwner(deps, actor, { name, username: username.trim().toLowerCase() });
    return reply.status(201).send(invitation);
  },
});
