import { answerInvitation } from '../../../registry/invitation-answer.ts';
import { listOwners } from '../../../db/owners.ts';
import { findPackage } from '../../../db/packages.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute, type RouteDef } from '../../route.ts';
import { json, noBody, problems } from '../../schemas/index.ts';
import { ownersSchema } from '../../schemas/owners.ts';
import { nameParams } from '../packages/params.ts';

const refusals = problems(400, 401, 403, 404, 410, 413, 414, 415, 429, 500, 503);

/** POST /auth/invitations/{name}/accept: the actor becomes an owner; answers the new owner list. */
export const acceptInvitationRoute: RouteDef = defineRoute({
  method: 'POST',
  url: '/auth/invitations/:name/accept',
  limit: 'write',
  schema: {
    summary: 'Accept an invitation: you become an owner of the package',
    tags: ['owners'],
    security: [{ bearer: [] }],
    params: nameParams,
    response: { 200: json('The owners, you included', ownersSchema), ...refusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const { name } = request.params as { name: string };
    const packageName = await answerInvitation(deps, actor, name, 'accept');
    const pkg = await findPackage(deps.db.kysely, packageName);
    return { name: packageName, owners: pkg ? await listOwners(deps.db.kysely, pkg.id) : [] };
  },
});

/** POST /auth/invitations/{name}/decline: the invitation is gone, nothing else changes. */
export const declineInvitationRoute: RouteDef = defineRoute({
  method: 'POST',
  url: '/auth/invitations/:name/decline',
  limit: 'write',
  schema: {
    summary: 'Decline an invitation to become an owner',
    tags: ['owners'],
    security: [{ bearer: [] }],
    params: nameParams,
    response: { 204: noBody('Declined'), ...refusals },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const { name } = request.params as { name: string };
    await answerInvitation(deps, actor, name, 'decline');
    return reply.status(204).send();
  },
});
