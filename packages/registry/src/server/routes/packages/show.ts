import { notFound } from '../../../../../core/src/errors.ts';
import { findShownPackage } from '../../../db/shown-package.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { json, noBody, problems, ref } from '../../schemas/index.ts';
import { matchesIfNoneMatch } from '../../etag.ts';
import { packageEtag, servedPackageDocument } from './package-document.ts';
import { nameParams } from './params.ts';
import { staleHeaders, upstreamPackage } from './upstream.ts';

export const showPackage = defineRoute({
  method: 'GET',
  url: '/packages/:name',
  limit: 'read',
  schema: {
    summary: 'A package with all its versions',
    tags: ['packages'],
    params: nameParams,
    response: {
      200: { ...json('The package document', ref('Package')), headers: staleHeaders },
      304: noBody('If-None-Match matched the ETag: the copy held is current'),
      ...problems(400, 404, 414, 429, 500, 502, 503),
    },
  },
  async handler(deps, request, reply) {
    const { name } = request.params as { name: string };
    const pkg = await findShownPackage(deps.db, name);
    if (!pkg && deps.upstream) return upstreamPackage(deps, request, reply, deps.upstream, name);
    // A package whose every version was deleted keeps its name reserved but is not shown.
    if (!pkg || pkg.latest_version === null) throw notFound('package_not_found', `No package named ${name}`);
    const base = baseUrl(deps, request);
    const etag = packageEtag(base, pkg);
    reply.header('etag', etag);
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
    const body = await servedPackageDocument(deps, base, pkg);
    return reply.type('application/json; charset=utf-8').send(body);
  },
});
