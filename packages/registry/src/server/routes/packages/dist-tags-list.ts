import { listDistTags } from '../../../registry/dist-tags.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { distTagsSchema } from '../../schemas/packages.ts';
import { nameParams } from './params.ts';

export const listDistTagsRoute = defineRoute({
  method: 'GET',
  url: '/packages/:name/dist-tags',
  limit: 'read',
  schema: {
    summary: "A package's dist-tags (latest and every other tag)",
    tags: ['packages'],
    params: nameParams,
    response: { 200: json('Tag → version', distTagsSchema), ...problems(400, 404, 414, 429, 500, 503) },
  },
  async handler(deps, request) {
    const { name } = request.params as { name: string };
    return listDistTags(deps.db.kysely, name);
  },
});
