import { notFound } from '../../../../../core/src/errors.ts';
import { findShownVersion } from '../../../db/shown-package.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { json, noBody, problems, ref } from '../../schemas/index.ts';
import { versionDocumentUntil } from './version-document.ts';
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
    const { row, generation } = await findShownVersion(deps.db, params.name, version);
    const upstream = row ? null : await upstreamFor(deps, params.name);
    if (upstream) return upstreamVersion(deps, request, reply, upstream, { name: params.name, version });
    if (!row) throw notFound('version_not_found', `${params.name}@${params.version} does not exist`);
    const base = baseUrl(deps, request);
    // Kept per process where a read generation tells every write (SQLite): the delete verdict costs two
    // queries, and only writes and the clock (holdsUntil) change the document. `generation` is the one
    // the row was read under (undefined also when a write came meanwhile: then nothing is kept).
    const key = `version:${base}:${row.id}`;
    const now = deps.now();
    let body = generation === undefined ? undefined : deps.documents.get(key, `${generation}`, now);
    if (body === undefined) {
      const { document, holdsUntil } = await versionDocumentUntil(deps, base, row.package_name, row);
      body = JSON.stringify(document);
      if (generation !== undefined && deps.db.readGeneration() === generation) deps.documents.set(key, `${generation}`, body, holdsUntil);
    }
    return reply.type('application/json; charset=utf-8').send(body);
  },
});
