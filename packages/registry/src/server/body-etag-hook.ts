/**
 * The hook behind `etag: 'body'` routes (route.ts): once a 200's payload is serialized, its hash is
 * the ETag, and a request that names it gets a 304 without the body. Hand-written rather than
 * @fastify/etag: that plugin hooks every route of its context, and the package and tarball routes
 * tag from what they already know, before any work.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bodyEtag, matchesIfNoneMatch } from './etag.ts';

export async function bodyEtagHook(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
  const etag = bodyEtag(payload);
  reply.header('etag', etag);
  if (!matchesIfNoneMatch(request.headers['if-none-match'], etag)) return payload;
  reply.code(304);
  reply.removeHeader('content-length');
  return '';
}
