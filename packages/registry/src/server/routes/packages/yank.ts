import { LIFECYCLE_MESSAGE_MAX } from '../../../../../core/src/lifecycle-rules.ts';
import { parseYankReason, setYanked } from '../../../registry/yank.ts';
import { authenticate } from '../../authenticate.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute, type RouteDef } from '../../route.ts';
import { json, problems, ref } from '../../schemas/index.ts';
import { versionFromPath, versionParams } from './params.ts';
import { versionDocument } from './version-document.ts';

const yankHandler =
  (yanked: boolean): RouteDef['handler'] =>
  async (deps, request) => {
    const actor = await authenticate(deps, request);
    const params = request.params as { name: string; version: string };
    const version = versionFromPath(params.name, params.version);
    const reason = yanked ? parseYankReason(request.body) : null;
    const row = await setYanked(deps, actor, { name: params.name, version, yanked, reason });
    return versionDocument(deps, baseUrl(deps, request), row.package_name, row);
  };

const refusals = problems(400, 401, 403, 404, 413, 414, 415, 429, 500, 503);

export const yankRoute = defineRoute({
  method: 'PUT',
  url: '/packages/:name/:version/yank',
  limit: 'write',
  schema: {
    summary: 'Yank a version: new resolutions skip it, it still downloads and lockfiles keep it',
    description:
      'Idempotent: yanking a yanked version replaces its reason. Needs an owner and the "yank" token scope. ' +
      'The reason is printable text of at most 500 characters.',
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: versionParams,
    body: {
      type: ['object', 'null'],
      properties: { reason: { type: ['string', 'null'], maxLength: LIFECYCLE_MESSAGE_MAX, description: 'Why, shown to users' } },
    },
    response: { 200: json('The version, now yanked', ref('Version')), ...refusals },
  },
  handler: yankHandler(true),
});

export const unyankRoute = defineRoute({
  method: 'DELETE',
  url: '/packages/:name/:version/yank',
  limit: 'write',
  schema: {
    summary: 'Unyank a version: new resolutions may pick it again',
    description: 'Idempotent: unyanking a version that is not yanked changes nothing. Needs an owner and the "yank" token scope.',
    tags: ['packages'],
    security: [{ bearer: [] }],
    params: versionParams,
    response: { 200: json('The version, no longer yanked', ref('Version')), ...refusals },
  },
  handler: yankHandler(false),
});
