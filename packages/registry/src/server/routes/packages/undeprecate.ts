import { undeprecate } from '../../../registry/deprecate.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, problems, ref } from '../../schemas/index.ts';
import { packageDocument, versionDocument } from './deprecation-common.ts';
import { nameParams, versionFromPath, versionParams } from './params.ts';

// 409 not_deprecated: there is no deprecation to undo.
const refusals = problems(400, 401, 403, 404, 409, 413, 414, 415, 429, 500, 503);

export const undeprecatePackageRoute = defineRoute({
  method: 'DELETE',
  url: '/packages/:name/deprecation',
  limit: 'write',
  schema: {
    summary: 'Undo a package\'s deprecation (409 not_deprecated when it has none); needs the "yank" scope',
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: nameParams,
    response: { 200: json('The package document, without a deprecation', ref('Package')), ...refusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const { name } = request.params as { name: string };
    await undeprecate(deps, actor, { name });
    return packageDocument(deps, request, name);
  },
});

export const undeprecateVersionRoute = defineRoute({
  method: 'DELETE',
  url: '/packages/:name/:version/deprecation',
  limit: 'write',
  schema: {
    summary: 'Undo a version\'s deprecation (409 not_deprecated when it has none); needs the "yank" scope',
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: versionParams,
    response: { 200: json('The version document, without a deprecation', ref('Version')), ...refusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const params = request.params as { name: string; version: string };
    const version = versionFromPath(params.name, params.version);
    await undeprecate(deps, actor, { name: params.name, version });
    return versionDocument(deps, request, params.name, version);
  },
});
