import { checkOwned } from '../../../registry/owner-access.ts';
import { findPackage } from '../../../db/packages.ts';
import { pendingInvitations } from '../../../db/owners.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { invitationListSchema } from '../../schemas/owners.ts';
import { nameParams } from './params.ts';

export const packageInvitationsRoute = defineRoute({
  method: 'GET',
  url: '/packages/:name/owners/invitations',
  limit: 'read',
  schema: {
    summary: "A package's open owner invitations (owners only)",
    tags: ['owners'],
    security: [{ bearer: [] }],
    params: nameParams,
    response: { 200: json('Open invitations, oldest first', invitationListSchema), ...problems(400, 401, 403, 404, 414, 429, 500, 503) },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const { name } = request.params as { name: string };
    const now = deps.now().toISOString();
    const db = deps.db.kysely;
    const pkg = await checkOwned(db, await findPackage(db, name), { actor, name, doing: 'see its invitations' });
    return { invitations: await pendingInvitations(db, { packageId: pkg.id, now }) };
  },
});
