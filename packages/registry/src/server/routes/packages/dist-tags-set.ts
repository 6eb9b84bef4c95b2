import { validationError } from '../../../../../core/src/errors.ts';
import { parseVersion } from '../../../../../core/src/names.ts';
import { distTagFrom, setDistTag } from '../../../registry/dist-tags.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { distTagsSchema } from '../../schemas/packages.ts';
import { tagParams } from './params.ts';

export const setDistTagRoute = defineRoute({
  method: 'PUT',
  url: '/packages/:name/dist-tags/:tag',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Point a dist-tag at a version (owners; token scope dist-tags)',
    description:
      'The version must be live and not yanked. A tag uses lowercase letters, digits, "-" and ".", starts with a letter, has at most 32 characters and is not a version range. At most 100 tags a package.',
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: tagParams,
    body: {
      type: 'object',
      required: ['version'],
      properties: { version: { type: 'string', description: 'A live, non-yanked version of the package' } },
    },
    response: {
      200: json("The package's dist-tags after the change", distTagsSchema),
      ...problems(400, 401, 403, 404, 409, 413, 414, 415, 429, 500, 503),
    },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const params = request.params as { name: string; tag: string };
    const tag = distTagFrom(params.tag);
    const version = parseVersion((request.body as { version: string }).version);
    if (!version.ok) throw validationError([{ field: 'version', message: version.message }], `The version is invalid: ${version.message}`);
    return setDistTag(deps, actor, { name: params.name, tag, version: version.value });
  },
});
