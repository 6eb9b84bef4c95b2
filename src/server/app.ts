/**
 * Builds the Fastify app from explicit dependencies: plugins, problem+json errors, rate limits and
 * the one route table. No listening here; see start.ts.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppDeps } from './deps.ts';
import { installProblemHandlers } from './problem.ts';
import { createLimiters } from './rate-limits.ts';
import { routes } from './routes.ts';
import { sharedSchemas } from './schemas/index.ts';
import { cachedSerializerFactory } from './schemas/serializer.ts';

export const API_PREFIX = '/api/v1';

export interface BuildAppOptions {
  /** A Redis client (ioredis) for shared rate-limit counters. */
  redis?: unknown;
  /** Key prefix for the counters in Redis, so registries sharing a Redis can keep apart. */
  redisPrefix?: string;
}

export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.config.server.logLevel === 'silent' ? false : { level: deps.config.server.logLevel },
    trustProxy: deps.config.server.trustProxy,
    // Tarballs are streamed by our own parser with its own limit; this bounds JSON bodies.
    bodyLimit: 1024 * 1024,
    // Long names and versions in paths must reach the handler and be a 404, not Fastify's 414.
    routerOptions: { maxParamLength: 1024 },
    // strictTypes off: the publish form's schema has no `type` (the body is a stream, not an object).
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: true, strictTypes: false } },
    schemaController: { compilersFactory: { buildSerializer: cachedSerializerFactory() } },
  });
  for (const schema of sharedSchemas) app.addSchema(schema);
  installProblemHandlers(app);
  await app.register(rateLimit, {
    global: false,
    enableDraftSpec: true,
    // With Redis down, serve rather than refuse: limits are a guard, not a dependency.
    ...(options.redis ? { redis: options.redis as never, nameSpace: `${options.redisPrefix ?? 'synapse:'}rl:`, skipOnError: true } : {}),
  });
  await app.register(multipart, {
    limits: { fileSize: deps.config.limits.maxTarballBytes + 1, files: 1, fields: 10 },
  });
  // Publish bodies are passed on as streams; the pipeline counts and hashes them as they arrive.
  app.addContentTypeParser(['application/gzip', 'application/x-gzip', 'application/octet-stream'], (_req, payload, done) =>
    done(null, payload),
  );
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Synapse Registry API', version: '1.0.0', description: 'Publish, discover and download Synapse packages.' },
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A session JWT from /auth/login or an API token (syn_…)' } } },
    },
    // Shared schemas appear under components.schemas by their $id (Problem, Package, …), not def-0, def-1.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: `${API_PREFIX}/docs` });

  const limitsFor = createLimiters(app, deps);
  for (const route of routes) {
    const limiters = limitsFor(route);
    app.route({
      method: route.method,
      url: `${API_PREFIX}${route.url}`,
      schema: route.schema,
      // A HEAD route of the table is documented like any other (the swagger plugin skips HEAD routes,
      // because Fastify derives one from every GET).
      config: route.method === 'HEAD' ? { swagger: { exposeHeadRoute: true } } : undefined,
      onRequest: limiters.onRequest,
      preHandler: limiters.preHandler,
      handler: (request, reply) => route.handler(deps, request, reply),
    });
  }
  app.get(`${API_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());
  return app;
}
