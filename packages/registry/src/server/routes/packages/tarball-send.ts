/** Sends a stored tarball: conditional (ETag), ranged, redirected to storage, or streamed. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../../../../../core/src/errors.ts';
import { attachmentDisposition } from '../../../storage/content-disposition.ts';
import type { AppDeps } from '../../deps.ts';
import { matchesIfNoneMatch } from '../../etag.ts';

export interface TarballSource {
  /** The blob's key (sha256). */
  checksum: string;
  size: number;
  filename: string;
  /** The version a download counts for; null: not counted (a tarball through pull-through). */
  counted: { versionId: number; packageId: number } | null;
}

/** A tarball's tag is its checksum: the bytes never change. */
export const tarballEtag = (checksum: string) => `"${checksum}"`;
export const TARBALL_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** A single `bytes=a-b` / `bytes=a-` range; anything else is served whole, as RFC 9110 allows. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  const match = header?.match(/^bytes=(\d+)-(\d*)$/);
  if (!match) return null;
  const start = Number(match[1]);
  // A last byte before the first makes the header invalid, and an invalid Range is ignored.
  if (match[2] !== '' && Number(match[2]) < start) return null;
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) {
    throw new RegistryError(416, 'range_not_satisfiable', `The range ${header} is outside the ${size}-byte tarball`, {
      headers: { 'content-range': `bytes */${size}` },
    });
  }
  return { start, end };
}

/** The headers of the bytes about to be sent: all of them (200) or one range (206). */
function bodyHeaders(reply: FastifyReply, filename: string, size: number, range: { start: number; end: number } | null | undefined) {
  reply
    .type('application/gzip')
    .header('content-disposition', attachmentDisposition(filename))
    .header('content-length', String(range ? range.end - range.start + 1 : size));
  if (range) reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
}

export async function sendTarball(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, source: TarballSource) {
  const etag = tarballEtag(source.checksum);
  reply.header('etag', etag).header('cache-control', TARBALL_CACHE_CONTROL).header('accept-ranges', 'bytes');
  // If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x", and * matches anything.
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();

  const size = source.size;
  const range = parseRange(request.headers.range, size);
  const filename = source.filename;
  // HEAD answers from what is known without touching storage: Fastify would read a whole streamed blob
  // only to drop it, and a presigned GET URL (redirect mode) cannot answer a HEAD. Nor is it counted.
  if (request.method === 'HEAD') {
    bodyHeaders(reply, filename, size, range);
    return reply.send();
  }
  // Recorded only once storage has answered, and once per download: a resumed range is not a new
  // one. A first range (from byte 0) is; the recorder then counts an IP once per version an hour.
  // The registry's own warm-up before it listens (warm-requests.ts) is no download.
  const count = (sent: number) => {
    if (deps.warming.active) return;
    deps.metrics.downloadServed(sent);
    if (!source.counted || (range && range.start > 0)) return;
    deps.downloads.record({
      ...source.counted,
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      at: deps.now(),
    });
  };
  const redirect = range ? null : await deps.store.downloadUrl(source.checksum, { filename });
  if (redirect) {
    count(0);
    return reply.redirect(redirect, 302);
  }

  const blob = await deps.store.open(source.checksum, range ?? undefined);
  if (!blob) throw new RegistryError(503, 'blob_missing', `The tarball of ${filename} is missing from storage; try again later`);
  count(blob.range ? blob.range.end - blob.range.start + 1 : blob.size);
  bodyHeaders(reply, filename, blob.size, blob.range);
  return reply.send(blob.bytes ?? blob.stream);
}
