import { lockPackage, unlockPackage } from '../../../registry/package-lock.ts';
import { defineRoute } from '../../route.ts';
import { json, noBody, problems, ref } from '../../schemas/index.ts';
import { nameParams } from '../packages/params.ts';
import { requireAdmin } from './require-admin.ts';

const security = [{ bearer: [] }];

export const lockPackageRoute = defineRoute({
  method: 'PUT',
  url: '/admin/packages/:name/lock',
  limit: 'write',
  schema: {
    summary: 'Lock a package against new versions, with a reason (admins; a session)',
    tags: ['admin'],
    security,
    params: nameParams,
    body: {
      type: 'object',
      required: ['reason'],
      properties: { reason: { type: 'string', description: 'Why (1 to 500 characters); a refused publish shows it' } },
    },
    response: {
      200: json('Locked (locking again changes only the reason)', {
        type: 'object',
        required: ['name', 'locked'],
        properties: { name: { type: 'string' }, locked: ref('PackageLock') },
      }),
      ...problems(400, 401, 403, 404, 413, 414, 415, 429, 500, 503),
    },
  },
  async handler(deps, request) {
    const actor = await requireAdmin(deps, request);
    const { name } = request.params as { name: string };
    return lockPackage(deps, actor, name, (request.body as { reason: string }).reason);
  },
});

export const unlockPackageRoute = defineRoute({
  method: 'DELETE',
  url: '/admin/packages/:name/lock',
  limit: 'write',
  schema: {
    summary: 'Unlock a package: it takes new versions again (admins; a session)',
    tags: ['admin'],
    security,
    params: nameParams,
    response: { 204: noBody('Unlocked'), ...problems(400, 401, 403, 404, 413, 414, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const actor = await requireAdmin(deps, request);
    await unlockPackage(deps, actor, (request.params as { name: string }).name);
    return reply.status(204).send();
  },
});
