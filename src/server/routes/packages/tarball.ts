import type { FastifyReply } from 'fastify';
import { notFound, RegistryError } from '../../../errors.ts';
import { findTarball } from '../../../db/packages.ts';
import { attachmentDisposition } from '../../../storage/content-disposition.ts';
import { defineRoute } from '../../route.ts';
import { matchesIfNoneMatch } from '../../etag.ts';
import { noBody, problems } from '../../schemas/index.ts';
import { tarballHeaders } from '../../schemas/packages.ts';
import { versionFromPath, versionParams } from './params.ts';

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
function bodyHeaders(
  reply: FastifyReply,
  filename: string,
  size: number,
  range: { start: number; end: number } | null | undefined,
) {
  reply
    .type('application/gzip')
    .header('content-disposition', attachmentDisposition(filename))
    .header('content-length', String(range ? range.end - range.start + 1 : size));
  if (range) reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
}

const gzip = { type: 'string', format: 'binary' } as const;

export const downloadTarball = defineRoute({
  method: 'GET',
  url: '/packages/:name/:version/tarball',
  limit: 'read',
  schema: {
    summary: "Download a version's tarball (streamed, immutable)",
    tags: ['downloads'],
    params: versionParams,
    response: {
      200: { description: 'The tarball', headers: tarballHeaders, content: { 'application/gzip': { schema: gzip } } },
      206: { description: 'One byte range of it (Range: bytes=a-b)', headers: tarballHeaders, content: { 'application/gzip': { schema: gzip } } },
      302: noBody('A presigned storage URL in Location (S3 storage with redirects on)'),
      304: noBody('If-None-Match matched the ETag'),
      ...problems(400, 404, 414, 416, 429, 500, 503),
    },
  },
  async handler(deps, request, reply) {
    const params = request.params as { name: string; version: string };
    const row = await findTarball(deps.db, params.name, versionFromPath(params.name, params.version));
    if (!row) throw notFound('version_not_found', `${params.name}@${params.version} does not exist`);
    const etag = `"${row.checksum}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable').header('accept-ranges', 'bytes');
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.status(304).send();

    const size = Number(row.size);
    const range = parseRange(request.headers.range, size);
    const filename = `${row.package_name}-${row.version}.tgz`;
    // HEAD answers from the row without touching storage: Fastify would read a whole streamed blob
    // only to drop it, and a presigned GET URL (redirect mode) cannot answer a HEAD. Nor is it counted.
    if (request.method === 'HEAD') {
      bodyHeaders(reply, filename, size, range);
      return reply.send();
    }
    // Recorded only once storage has answered, and once per download: a resumed range is not a new
    // one. A first range (from byte 0) is; the recorder then counts an IP once per version an hour.
    const count = () => {
      if (range && range.start > 0) return;
      deps.downloads.record({
        versionId: row.id,
        packageId: row.package_id,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        at: deps.now(),
      });
    };
    const redirect = range ? null : await deps.store.downloadUrl(row.checksum, { filename });
    if (redirect) {
      count();
      deps.metrics.downloadServed(0);
      return reply.redirect(redirect, 302);
    }

    const blob = await deps.store.open(row.checksum, range ?? undefined);
    if (!blob) throw new RegistryError(503, 'blob_missing', `The tarball of ${filename} is missing from storage; try again later`);
    count();
    deps.metrics.downloadServed(blob.range ? blob.range.end - blob.range.start + 1 : blob.size);
    bodyHeaders(reply, filename, blob.size, blob.range);
    return reply.send(blob.bytes ?? blob.stream);
  },
});

/** HEAD of a tarball, declared so that Fastify does not derive one from GET. */
export const headTarball = defineRoute({
  ...downloadTarball,
  method: 'HEAD',
  schema: {
    ...downloadTarball.schema,
    summary: "A version's tarball headers (size, ETag), from the database alone",
    response: {
      200: { description: 'The headers of the tarball', headers: tarballHeaders, type: 'null' },
      206: { description: 'The headers of one byte range', headers: tarballHeaders, type: 'null' },
      304: noBody('If-None-Match matched the ETag'),
      ...problems(400, 404, 414, 416, 429, 500, 503),
    },
  },
});
