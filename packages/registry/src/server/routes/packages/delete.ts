import { deleteVersion } from '../../../registry/delete-version.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { noBody, problems } from '../../schemas/index.ts';
import { versionFromPath, versionParams } from './params.ts';

export const deleteVersionRoute = defineRoute({
  method: 'DELETE',
  url: '/packages/:name/:version',
  limit: 'write',
  schema: {
    summary: 'Delete a version (its number stays reserved)',
    description:
      'Owners may delete within the deletion window after publishing; past it only a version no other package depends on and ' +
      'with few recent downloads (409 delete_window_passed_has_dependents / delete_window_passed_downloads: yank it instead). ' +
      'Admins may always delete.',
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: versionParams,
    response: { 204: noBody('Deleted'), ...problems(400, 401, 403, 404, 409, 413, 414, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const params = request.params as { name: string; version: string };
    await deleteVersion(deps, actor, params.name, versionFromPath(params.name, params.version));
    return reply.status(204).send();
  },
});
