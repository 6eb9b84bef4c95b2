import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../../../core/src/errors.ts';
import { findShownVersion, peekShownVersion } from '../../../db/shown-package.ts';
import type { AppDeps } from '../../deps.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { bodyEtag, matchesIfNoneMatch } from '../../etag.ts';
import type { LiveVersionRow } from '../../../db/packages.ts';
import { json, noBody, problems, ref } from '../../schemas/index.ts';
import { versionDocumentUntil } from './version-document.ts';
import { versionFromPath, versionParams } from './params.ts';
import { staleHeaders, upstreamFor, upstreamVersion } from './upstream.ts';
import type { KeptAnswer } from './package-document.ts';

/**
 * The document, its tag (a hash of the body: the delete verdict moves with the clock and other
 * packages' dependencies, so the body is the tag) and until when the clock leaves it unchanged, kept
 * on the row object it was built from. Where a read generation tells every write (SQLite), a kept row
 * is the same object until any write (generation-rows.ts), so a hot version costs no query, no
 * serialising and no hashing; the verdict costs two queries when it is built.
 */
const servedFrom = new WeakMap<LiveVersionRow, KeptAnswer & { base: string; until: number }>();

export const showVersion = defineRoute({
  method: 'GET',
  url: '/packages/:name/:version',
  limit: 'read',
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
  handler(deps, request, reply) {
    const params = request.params as { name: string; version: string };
    const version = versionFromPath(params.name, params.version);
    // The hot case, answered in this call: no promise for Fastify to wait on.
    const served = keptVersionAnswer(deps, params.name, version, baseUrl(deps, request));
    if (served === undefined) return readAndShow(deps, request, reply, { name: params.name, version, asGiven: params.version });
    sendTagged(request, reply, served.body, served.etag);
    return undefined;
  },
});

/**
 * The document of `name@version` (as versionFromPath reads it) at `base` as last served, when its row
 * is kept and the clock has not moved its verdict: no query and no promise. The route and the front
 * path (front-path.ts) answer with it alike.
 */
export function keptVersionAnswer(deps: AppDeps, name: string, version: string, base: string): KeptAnswer | undefined {
  const kept = peekShownVersion(deps.db, name, version)?.row;
  const served = kept && servedFrom.get(kept);
  return served && served.base === base && deps.now().getTime() < served.until ? served : undefined;
}

/** `version` as versionFromPath read it from `asGiven`, the path's own text (for the 404's message). */
async function readAndShow(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  params: { name: string; version: string; asGiven: string },
) {
  const { version } = params;
  const { row, generation } = await findShownVersion(deps.db, params.name, version);
  const upstream = row ? null : await upstreamFor(deps, params.name);
  if (upstream) {
    // Serialised by the route's schema (which drops what the upstream added), then tagged alike.
    const document = await upstreamVersion(deps, request, reply, upstream, { name: params.name, version });
    const mirrored = String(reply.serializeInput(document as Record<string, unknown>, '200', 'application/json'));
    return sendTagged(request, reply, mirrored, bodyEtag(mirrored));
  }
  if (!row) throw notFound('version_not_found', `${params.name}@${params.asGiven} does not exist`);
  const base = baseUrl(deps, request);
  const now = deps.now().getTime();
  let served = generation === undefined ? undefined : servedFrom.get(row);
  if (served === undefined || served.base !== base || now >= served.until) {
    const { document, holdsUntil } = await versionDocumentUntil(deps, base, row.package_name, row);
    const body = JSON.stringify(document);
    const until = holdsUntil?.getTime() ?? Number.POSITIVE_INFINITY;
    served = { base, body, length: Buffer.byteLength(body), etag: bodyEtag(body), until };
    // Kept only when no write came meanwhile: then the row object is still the one the database holds.
    if (generation !== undefined && deps.db.readGeneration() === generation) servedFrom.set(row, served);
  }
  return sendTagged(request, reply, served.body, served.etag);
}

/** 200 with the body and its tag, or 304 without a body when If-None-Match names the tag. */
function sendTagged(request: FastifyRequest, reply: FastifyReply, body: string, etag: string) {
  reply.header('etag', etag);
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}
