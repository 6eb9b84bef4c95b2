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
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: versionParams,
    response: { 204: noBody('Deleted'), ...problems(400, 401, 403, 404, 413, 414, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const params = request.params as { name: string; version: string };
    await deleteVersion(deps, actor, params.name, versionFromPath(params.name, params.version));
    return reply.status(204).send();
  },
});
