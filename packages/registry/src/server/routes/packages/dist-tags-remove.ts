import { distTagFrom, removeDistTag } from '../../../registry/dist-tags.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { distTagsSchema } from '../../schemas/packages.ts';
import { tagParams } from './params.ts';

export const removeDistTagRoute = defineRoute({
  method: 'DELETE',
  url: '/packages/:name/dist-tags/:tag',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Remove a dist-tag (owners; token scope dist-tags); latest cannot be removed',
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: tagParams,
    response: {
      200: json("The package's dist-tags after the change", distTagsSchema),
      ...problems(400, 401, 403, 404, 413, 414, 415, 429, 500, 503),
    },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const params = request.params as { name: string; tag: string };
    return removeDistTag(deps, actor, { name: params.name, tag: distTagFrom(params.tag) });
  },
});
