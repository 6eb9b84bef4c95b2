import { forbidden } from '../../../../../core/src/errors.ts';
import { pendingInvitations } from '../../../db/owners.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { invitationListSchema } from '../../schemas/owners.ts';

export const listInvitationsRoute = defineRoute({
  method: 'GET',
  url: '/auth/invitations',
  limit: 'read',
  schema: {
    summary: 'Your open invitations to become an owner (expired ones are not listed)',
    tags: ['owners'],
    security: [{ bearer: [] }],
    response: { 200: json('Open invitations, oldest first', invitationListSchema), ...problems(401, 403, 429, 500, 503) },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    if (!actor.allowsSome('owners')) {
      throw forbidden('token_scope', 'This API token may not see owner invitations: it needs the "owners" scope (or log in)');
    }
    const all = await pendingInvitations(deps.db.kysely, { inviteeId: actor.userId, now: deps.now().toISOString() });
    // A token held to some packages sees the invitations to those only.
    return { invitations: all.filter((i) => actor.allows('owners', i.package)) };
  },
});
