import { notFound } from '../../../../../core/src/errors.ts';
import { liveVersions, packageOwners } from '../../../db/packages.ts';
import { findShownPackage } from '../../../db/shown-package.ts';
import { readDistTags } from '../../../db/dist-tags.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { json, noBody, problems, ref } from '../../schemas/index.ts';
import { matchesIfNoneMatch, weakEtag } from '../../etag.ts';
import { packageView } from '../../views/package.ts';
import { advisorySummaries } from '../../advisory-summaries.ts';
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
    // Publish, delete, metadata and advisory changes move updated_at; download flushes move downloads.
    const base = baseUrl(deps, request);
    const version = `${pkg.updated_at}|${pkg.downloads}|${pkg.latest_version}|${pkg.locked_at}`;
    const etag = weakEtag(`${base}|${version}`);
    reply.header('etag', etag);
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
    let body = deps.documents.get(`package:${base}:${pkg.id}`, version);
    if (body === undefined) {
      const [owners, versions, distTags] = await Promise.all([
        packageOwners(deps.db.kysely, pkg.id),
        liveVersions(deps.db.kysely, pkg.id),
        readDistTags(deps.db.kysely, pkg.id, pkg.latest_version),
      ]);
      const advisories = await advisorySummaries(deps, pkg.name, versions.map((v) => v.version));
      body = JSON.stringify(packageView(base, { pkg, owners, versions, distTags, advisories }));
      deps.documents.set(`package:${base}:${pkg.id}`, version, body);
    }
    return reply.type('application/json; charset=utf-8').send(body);
  },
});
