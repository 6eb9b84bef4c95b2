/**
 * The OpenAPI document (collected from the route table's schemas) at /openapi.json and the Swagger UI
 * page at /docs. Register before the routes: the swagger plugin learns them as they are added.
 */
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export interface DocsOptions {
  prefix: string;
  /** The read limit, so the docs are rate-limited like any other read (none when limits are off). */
  onRequest: onRequestHookHandler | undefined;
}

export async function registerDocs(app: FastifyInstance, options: DocsOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Synapse Registry API', version: '1.0.0', description: 'Publish, discover and download Synapse packages.' },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A session JWT from /auth/login or an API token (syn_…)' },
        },
      },
    },
    // Shared schemas appear under components.schemas by their $id (Problem, Package, …), not def-0, def-1.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: `${options.prefix}/docs`,
    uiHooks: options.onRequest ? { onRequest: options.onRequest } : undefined,
    // Swagger UI's own policy (hashes of its inline scripts), but never framed, and no upgrade of
    // http, which would break the page on a plain-http registry.
    staticCSP: true,
    transformStaticCSP: (header) =>
      header.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  app.get(`${options.prefix}/openapi.json`, { schema: { hide: true }, onRequest: options.onRequest ? [options.onRequest] : [] }, async () =>
    app.swagger(),
  );
}
