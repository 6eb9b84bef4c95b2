import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, RegistryError } from '../../../../../core/src/errors.ts';
import { checkMayPublish, publishPackage } from '../../../registry/publish.ts';
import { distTagFrom } from '../../../registry/dist-tags.ts';
import { authenticate } from '../../authenticate.ts';
import { isDatabaseUnavailable } from '../../../db/unavailable.ts';
import type { AppDeps } from '../../deps.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { publishedSchema, tarballUploadBody } from '../../schemas/packages.ts';
import { upstreamGuard } from './upstream-guard.ts';

const MEDIA_HINT = 'send the .tgz as application/gzip (or application/octet-stream), or as multipart/form-data in the field "tarball"';

/** The raw tarball stream from either body form. */
async function tarballStream(deps: AppDeps, request: FastifyRequest): Promise<Readable> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > deps.config.limits.maxTarballBytes + 64 * 1024) {
    throw new RegistryError(
      413,
      'tarball_too_large',
      `The upload is ${declared} bytes; the limit is ${deps.config.limits.maxTarballBytes}`,
    );
  }
  if (request.isMultipart()) {
    const file = await request.file();
    if (!file) throw badRequest('tarball_missing', `The form has no file: ${MEDIA_HINT}`);
    if (file.fieldname !== 'tarball') {
      file.file.resume();
      throw badRequest('tarball_missing', `The file is in field "${file.fieldname}": ${MEDIA_HINT}`);
    }
    return file.file;
  }
  if (!request.body || typeof (request.body as Readable).pipe !== 'function') {
    throw new RegistryError(415, 'unsupported_media_type', `No tarball in the request: ${MEDIA_HINT}`);
  }
  return request.body as Readable;
}

/**
 * After a failure mid-upload (a 413, say) the rest of the body is still on the wire, paused. Let it
 * flow to nowhere so the client can finish sending and read the error, and close the connection
 * afterwards so no later request is parsed out of the leftover bytes.
 */
function abandonUpload(request: FastifyRequest, reply: FastifyReply): void {
  if (request.raw.complete) return;
  reply.header('connection', 'close');
  request.raw.resume();
}

export const publish = defineRoute({
  method: 'POST',
  url: '/packages',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Publish a package version',
    description:
      `The tarball's synapse.json is the only source of name, version and metadata. ${MEDIA_HINT}. ` +
      "A new package spends a token of the account's new-package limit, a new version one of the package's " +
      'new-version limit; when none is left the answer is 429 action_rate_limited with Retry-After.',
    tags: ['packages'],
    security: [{ bearer: [] }],
    // Describes the upload; its schemas accept any stream, which the publish pipeline then checks.
    querystring: {
      type: 'object',
      properties: {
        tag: {
          type: 'string',
          description: 'A dist-tag to point at the new version (beta, next, ...); it does not move latest, unless it is latest',
        },
        allow_secrets: {
          type: 'string',
          enum: ['true', 'false'],
          description:
            'true: publish although the secret scan found something (its findings are not secrets). A live token of this registry found is revoked either way',
        },
      },
    },
    body: tarballUploadBody,
    response: { 201: json('Published', publishedSchema), ...problems(400, 401, 403, 409, 413, 415, 429, 500, 502, 503) },
  },
  async handler(deps, request, reply) {
    try {
      const sent = await publishFrom(deps, request, reply);
      deps.metrics.publishOk();
      return sent;
    } catch (error) {
      const code = error instanceof RegistryError ? error.code : isDatabaseUnavailable(error) ? 'database_unavailable' : 'internal_error';
      deps.metrics.publishRefused(code);
      throw error;
    }
  },
});

/** The publish itself; the handler around it counts the outcome. */
async function publishFrom(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const actor = await authenticate(deps, request);
  let published;
  try {
    // Before the body: a token that may publish nothing is refused without inflating its upload.
    checkMayPublish(actor);
    const query = request.query as { tag?: string; allow_secrets?: string };
    const tag = query.tag === undefined ? undefined : distTagFrom(query.tag);
    const body = await tarballStream(deps, request);
    published = await publishPackage({ ...deps, limits: deps.config.limits }, actor, body, {
      tag,
      allowSecrets: query.allow_secrets === 'true',
      vetNewName: upstreamGuard(deps),
    });
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'upload_aborted' && request.raw.complete) {
      // The whole body arrived, so the client did not go away: the form inside it ended early.
      throw new RegistryError(
        400,
        'invalid_multipart',
        'The multipart/form-data body is cut short: it ends before its closing boundary; send the whole form again',
        { cause: error },
      );
    }
    if (error instanceof RegistryError && error.code === 'upload_aborted') {
      request.log.info(
        { bytesReceived: request.raw.socket?.bytesRead },
        'publish: the client closed the connection before the upload was complete',
      );
    }
    abandonUpload(request, reply);
    throw error;
  }
  return reply.status(201).send({
    name: published.name,
    version: published.version,
    checksum: published.checksum,
    integrity: published.integrity,
    size: published.size,
    published_at: published.publishedAt,
  });
}
