import { deprecate } from '../../../registry/deprecate.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, problems, ref } from '../../schemas/index.ts';
import { deprecationBody, packageDocument, readDeprecationBody, versionDocument } from './deprecation-common.ts';
import { nameParams, versionFromPath, versionParams } from './params.ts';

const refusals = problems(400, 401, 403, 404, 413, 414, 415, 429, 500, 503);

export const deprecatePackageRoute = defineRoute({
  method: 'PUT',
  url: '/packages/:name/deprecation',
  limit: 'write',
  schema: {
    summary: 'Deprecate a whole package (again: replaces the deprecation); needs the "yank" scope',
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: nameParams,
    body: deprecationBody,
    response: { 200: json('The package document, with its deprecation', ref('Package')), ...refusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const body = readDeprecationBody(request);
    const { name } = request.params as { name: string };
    await deprecate(deps, actor, { name }, body);
    return packageDocument(deps, request, name);
  },
});

export const deprecateVersionRoute = defineRoute({
  method: 'PUT',
  url: '/packages/:name/:version/deprecation',
  limit: 'write',
  schema: {
    summary: 'Deprecate one version (again: replaces the deprecation); needs the "yank" scope',
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: versionParams,
    body: deprecationBody,
    response: { 200: json('The version document, with its deprecation', ref('Version')), ...refusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const body = readDeprecationBody(request);
    const params = request.params as { name: string; version: string };
    const version = versionFromPath(params.name, params.version);
    await deprecate(deps, actor, { name: params.name, version }, body);
    return versionDocument(deps, request, params.name, version);
  },
});
