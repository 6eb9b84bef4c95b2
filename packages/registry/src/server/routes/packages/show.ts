import { notFound } from '../../../../../core/src/errors.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findShownPackage, peekShownPackage } from '../../../db/shown-package.ts';
import type { AppDeps } from '../../deps.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { json, noBody, problems, ref } from '../../schemas/index.ts';
import { matchesIfNoneMatch } from '../../etag.ts';
import { keptPackageDocument, packageEtag, servedPackageDocument, type KeptAnswer } from './package-document.ts';
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
  handler(deps, request, reply) {
    const { name } = request.params as { name: string };
    // The hot case, answered in this call: no promise for Fastify to wait on.
    const kept = keptPackageAnswer(deps, name, baseUrl(deps, request));
    if (kept === undefined) return readAndShow(deps, request, reply);
    if (!notModified(request, reply, kept.etag)) sendJson(reply, kept.body);
    return undefined;
  },
});

/**
 * The document of `name` at `base` as last served, when its row is kept and unchanged: no query and
 * no promise. The route and the front path (front-path.ts) answer with it alike.
 */
export function keptPackageAnswer(deps: AppDeps, name: string, base: string): KeptAnswer | undefined {
  const kept = peekShownPackage(deps.db, name)?.row;
  return kept === undefined || kept.latest_version === null ? undefined : keptPackageDocument(base, kept);
}

async function readAndShow(deps: AppDeps, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const { name } = request.params as { name: string };
  const pkg = await findShownPackage(deps.db, name);
  if (!pkg && deps.upstream) return upstreamPackage(deps, request, reply, deps.upstream, name);
  // A package whose every version was deleted keeps its name reserved but is not shown.
  if (!pkg || pkg.latest_version === null) throw notFound('package_not_found', `No package named ${name}`);
  const base = baseUrl(deps, request);
  if (notModified(request, reply, packageEtag(base, pkg))) return reply;
  return sendJson(reply, await servedPackageDocument(deps, base, pkg));
}

/** Sets the tag; true, with a 304 without a body sent, when If-None-Match names it. */
function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag);
  if (!matchesIfNoneMatch(request.headers['if-none-match'], etag)) return false;
  reply.status(304).send();
  return true;
}

const sendJson = (reply: FastifyReply, body: string) => reply.type('application/json; charset=utf-8').send(body);
