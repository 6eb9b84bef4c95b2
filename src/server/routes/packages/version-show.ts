import { notFound } from '../../../errors.ts';
import { findLiveVersion } from '../../../db/packages.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { json, noBody, problems, ref } from '../../schemas/index.ts';
import { versionDocument } from './version-document.ts';
import { versionFromPath, versionParams } from './params.ts';
import { staleHeaders, upstreamFor, upstreamVersion } from './upstream.ts';

export const showVersion = defineRoute({
  method: 'GET',
  url: '/packages/:name/:version',
  limit: 'read',
  // The delete verdict moves with the clock and other packages' dependencies: the body is the tag.
  etag: 'body',
  schema: {
    summary: 'One version of a package',
    tags: ['packages'],
    params: versionParams,
    response: {
      200: { ...json('The version', ref('Version')), headers: staleHeaders },
      304: noBody('If-None-Match matched the ETag (a hash of the document): the copy held is current'),
      ...problems(400, 404, 414, 429, 500, 502, 503),
    },
  },
  async handler(deps, request, reply) {
    const params = request.params as { name: string; version: string };
    const version = versionFromPath(params.name, params.version);
    const row = await findLiveVersion(deps.db, params.name, version);
    const upstream = row ? null : await upstreamFor(deps, params.name);
    if (upstream) return upstreamVersion(deps, request, reply, upstream, { name: params.name, version });
    if (!row) throw notFound('version_not_found', `${params.name}@${params.version} does not exist`);
    return versionDocument(deps, baseUrl(deps, request), row.package_name, row);
  },
});
