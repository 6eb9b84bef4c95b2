/**
 * Builds the Fastify app from explicit dependencies: plugins, problem+json errors, rate limits and
 * the one route table. No listening here; see start.ts.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { AppDeps } from './deps.ts';
import type { RedisLike } from '../auth/index.ts';
import { refuseWritesOnMirror } from './read-only.ts';
import { registerDocs } from './docs.ts';
import { frameworkErrorSender, installProblemHandlers } from './problem.ts';
import { sendClientError } from './client-error.ts';
import { loggerOptions, RequestLogController, type LogDestination } from './log.ts';
import { registerMetricsRoute } from './metrics-endpoint.ts';
import { installRequestObserver } from './request-observer.ts';
import { splitTimings } from '../metrics/request-timings.ts';
import { requestIdGenerator } from './request-id.ts';
import { allowedMethods } from './route-paths.ts';
import { createLimiters, rateCounterStore } from './rate-limits.ts';
import { createFrontPath, frontPathOff } from './front-path.ts';
import { attachFront, frontServerFactory, type FrontHolder } from './front-server.ts';
import { routes } from './routes.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { installNulGuard } from './nul-guard.ts';
import { sharedSchemas } from './schemas/index.ts';
import { lazyCompilers, sharedCompilers } from './schemas/compilers.ts';
import { registerWeb, sendPageNotFound } from '../web/index.ts';

export const API_PREFIX = '/api/v1';

export interface BuildAppOptions {
  /** A Redis client (ioredis) for shared rate-limit counters. */
  redis?: unknown;
  /** Key prefix for the counters in Redis, so registries sharing a Redis can keep apart. */
  redisPrefix?: string;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: LogDestination;
}

const SHOWN_LEVELS = new Set(['info', 'debug', 'trace']);

export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  let onFrameworkError: ((request: FastifyRequest, reply: FastifyReply) => void) | undefined;
  const limitsFor = createLimiters(deps, () =>
    rateCounterStore({ redis: options.redis as RedisLike | undefined, redisPrefix: options.redisPrefix }),
  );
  const requestId = requestIdGenerator(deps.config.server.trustProxy);
  const frontOff = frontPathOff(deps.config, limitsFor.readNow);
  const front: FrontHolder = {};
  const app = Fastify({
    // Kept documents are answered ahead of the framework where that answer is exactly the route's.
    ...(frontOff === undefined ? { serverFactory: frontServerFactory(front) } : {}),
    logger: loggerOptions(deps.config, options.logStream),
    // One line per request, written by the request observer (with the route template and status).
    logController: new RequestLogController(),
    genReqId: requestId,
    trustProxy: deps.config.server.trustProxy,
    // Tarballs are streamed by our own parser with its own limit; this bounds JSON bodies.
    bodyLimit: 1024 * 1024,
    // A request that arrives during shutdown on a connection still busy is served, with Connection:
    // close, instead of Fastify's own 503 (a body that is not problem+json): the client of a rolling
    // deploy gets its answer; shutdown still waits for it (test/api/closing.test.ts).
    return503OnClosing: false,
    // What Node's parser refuses before a request exists leaves as problem+json too.
    clientErrorHandler: sendClientError,
    // Long names and versions in paths must reach the handler and be a 404; past this, a 414 problem.
    routerOptions: { maxParamLength: 1024 },
    // strictTypes off: the publish form's schema has no `type` (the body is a stream, not an object).
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: true, strictTypes: false } },
    schemaController: { compilersFactory: deps.config.env === 'test' ? lazyCompilers : sharedCompilers },
    // A URL the router cannot decode is refused before any hook; it too leaves as problem+json.
    frameworkErrors: frameworkErrorSender((request, reply) => onFrameworkError?.(request, reply)),
  });
  // Before any route, so that each gets its metrics hook.
  const observed = installRequestObserver(app, {
    metrics: deps.metrics,
    logRequests: SHOWN_LEVELS.has(deps.config.server.logLevel),
    slowRequestMs: deps.config.observability.slowRequestMs,
    splitSlowRequests: splitTimings(deps.config.observability.slowRequestSplit),
    warming: deps.warming,
  });
  onFrameworkError = observed.onFrameworkError;
  for (const schema of sharedSchemas) app.addSchema(schema);
  installProblemHandlers(app, {
    allowedMethods: (path) => (path.startsWith(API_PREFIX) ? allowedMethods(routes, path.slice(API_PREFIX.length)) : []),
    onUnmatchedResponse: observed.onUnmatchedResponse,
    pageNotFound: (request, reply) => sendPageNotFound(deps, request, reply),
  });
  installSecurityHeaders(app);
  installNulGuard(app);
  await app.register(multipart, {
    limits: { fileSize: deps.config.limits.maxTarballBytes + 1, files: 1, fields: 10 },
  });
  // Publish bodies are passed on as streams; the pipeline counts and hashes them as they arrive.
  app.addContentTypeParser(['application/gzip', 'application/x-gzip', 'application/octet-stream'], (_req, payload, done) =>
    done(null, payload),
  );
  // The docs page and the OpenAPI document are reads like any other, and limited as such.
  const [readLimit] = limitsFor({ method: 'GET', url: '/docs', limit: 'read', handler: async () => undefined }).onRequest;
  await registerDocs(app, { prefix: API_PREFIX, onRequest: readLimit });
  registerMetricsRoute(app, deps);

  // A change that succeeded may have queued jobs (webhook deliveries) in its transaction, now
  // committed: the runner looks at once instead of at its next poll.
  const wakeJobs = async (_request: unknown, reply: { statusCode: number }) => {
    if (reply.statusCode < 400) deps.jobs.wake();
  };
  // Background jobs yield to changes in flight (up to REGISTRY_JOBS_YIELD_MS): a burst of publishes is
  // not slowed by the deliveries it queues. 'close' comes after the response, or with a lost client.
  const holdJobs = async (_request: unknown, reply: FastifyReply) => {
    reply.raw.once('close', deps.jobs.busy());
  };
  refuseWritesOnMirror(app, deps.config.upstream.mirrorOf);
  for (const route of routes) {
    const limiters = limitsFor(route);
    app.route({
      method: route.method,
      url: `${API_PREFIX}${route.url}`,
      schema: route.schema,
      // A HEAD route of the table is documented like any other (the swagger plugin skips HEAD routes,
      // because Fastify derives one from every GET).
      config: route.method === 'HEAD' ? { swagger: { exposeHeadRoute: true } } : undefined,
      onRequest: route.method === 'GET' || route.method === 'HEAD' ? limiters.onRequest : [holdJobs, ...limiters.onRequest],
      preHandler: limiters.preHandler,
      onResponse: route.method === 'GET' || route.method === 'HEAD' ? undefined : wakeJobs,
      handler: (request, reply) => route.handler(deps, request, reply),
    });
  }
  // The web pages, limited like the API's reads and writes.
  const pageWrite = limitsFor({ method: 'POST', url: '/', limit: 'write', handler: async () => undefined });
  await registerWeb(app, deps, {
    read: readLimit ? [readLimit] : [],
    write: { onRequest: [holdJobs, ...pageWrite.onRequest], preHandler: pageWrite.preHandler, onResponse: [wakeJobs] },
  });
  if (frontOff === undefined && limitsFor.readNow) {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    const handler = createFrontPath({
      deps,
      prefix: API_PREFIX,
      routes,
      readNow: limitsFor.readNow,
      requestId,
      observe: observed.forRoute,
      log: () => app.log,
      closing: () => closing,
    });
    attachFront(app, front, handler);
  }
  // Why hot reads go through the framework, for whoever wonders at their cost.
  app.log.info({ front_path: frontOff ?? 'on' }, 'front path for kept documents and held tarballs');
  return app;
}
