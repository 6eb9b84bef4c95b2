import { notFound } from '../../../../../core/src/errors.ts';
import { findTarball, peekTarball, type TarballRow } from '../../../db/packages.ts';
import type { AppDeps } from '../../deps.ts';
import { defineRoute } from '../../route.ts';
import { noBody, problems } from '../../schemas/index.ts';
import { tarballHeaders } from '../../schemas/packages.ts';
import { versionFromPath, versionParams } from './params.ts';
import { sendTarball } from './tarball-send.ts';
import { upstreamFor } from './upstream.ts';

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
      206: {
        description: 'One byte range of it (Range: bytes=a-b)',
        headers: tarballHeaders,
        content: { 'application/gzip': { schema: gzip } },
      },
      302: noBody('A presigned storage URL in Location (S3 storage with redirects on)'),
      304: noBody('If-None-Match matched the ETag'),
      ...problems(400, 404, 414, 416, 429, 500, 502, 503),
    },
  },
  async handler(deps, request, reply) {
    const params = request.params as { name: string; version: string };
    const version = versionFromPath(params.name, params.version);
    const row = await findTarball(deps.db, params.name, version);
    if (row) {
      const filename = tarballFilename(row);
      const counted = { versionId: row.id, packageId: row.package_id };
      return sendTarball(deps, request, reply, { checksum: row.checksum, size: Number(row.size), filename, counted });
    }
    const upstream = await upstreamFor(deps, params.name);
    if (!upstream) throw notFound('version_not_found', `${params.name}@${params.version} does not exist`);
    const fetched = await upstream.tarball(params.name, version);
    if (!fetched) {
      throw notFound(
        'version_not_found',
        `${params.name}@${params.version} does not exist, here or on the upstream ${upstream.upstreamUrl}`,
      );
    }
    // Not counted: downloads count versions published here, and this one has no row.
    const filename = `${fetched.name}-${fetched.version}.tgz`;
    return sendTarball(deps, request, reply, { checksum: fetched.checksum, size: fetched.size, filename, counted: null });
  },
});

/** The name a download is saved under. */
export const tarballFilename = (row: TarballRow) => `${row.package_name}-${row.version}.tgz`;

/**
 * A tarball the front path (front-path.ts) can send at once: its row kept and its bytes in the blob
 * cache. `version` as versionFromPath reads it.
 */
export function keptTarball(deps: AppDeps, name: string, version: string): { row: TarballRow; bytes: Buffer } | undefined {
  const row = peekTarball(deps.db, name, version);
  const bytes = row && deps.store.peek?.(row.checksum);
  return bytes ? { row: row!, bytes } : undefined;
}

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
      ...problems(400, 404, 414, 416, 429, 500, 502, 503),
    },
  },
});
