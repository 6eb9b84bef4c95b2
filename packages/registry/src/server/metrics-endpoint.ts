/**
 * GET /metrics in Prometheus' text format. On the main port it needs `Authorization: Bearer
 * <REGISTRY_METRICS_TOKEN>` when a token is set; without a token it is served outside production
 * only (in production it is absent: a 404 like any unknown path). REGISTRY_METRICS_PORT serves it on
 * a listener of its own (REGISTRY_METRICS_HOST, loopback by default), meant for a private network.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { RegistryError } from '../../../core/src/errors.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { AppDeps } from './deps.ts';
import { problemOf } from './problem.ts';
import { problemInstance, REQUEST_ID_HEADER } from './request-id.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an Authorization header carries the token (compared in constant time); anything passes without a token. */
function tokenCheck(token: string | undefined): (authorization: string | undefined) => boolean {
  if (token === undefined) return () => true;
  const expected = digest(token);
  return (authorization) => {
    const given = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    return given !== undefined && timingSafeEqual(digest(given), expected);
  };
}

const unauthorized = () =>
  new RegistryError(401, 'metrics_unauthorized', 'GET /metrics needs Authorization: Bearer <REGISTRY_METRICS_TOKEN>', {
    headers: { 'www-authenticate': 'Bearer realm="metrics"' },
  });

export function registerMetricsRoute(app: FastifyInstance, deps: Pick<AppDeps, 'config' | 'metrics'>): void {
  const { observability } = deps.config;
  if (!deps.metrics.enabled || !observability.metricsOnMainPort) return;
  const allowed = tokenCheck(observability.metricsToken);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!allowed(request.headers.authorization)) throw unauthorized();
    const { contentType, body } = await deps.metrics.render();
    return reply.type(contentType).header('cache-control', 'no-store').send(body);
  });
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** The separate metrics listener: /metrics and nothing else. */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  token: string | undefined;
  metrics: Metrics;
}): Promise<MetricsServer> {
  const allowed = tokenCheck(options.token);
  const problem = (res: ServerResponse, error: RegistryError, id: string) => {
    res.writeHead(error.status, { 'content-type': 'application/problem+json', ...error.headers });
    res.end(JSON.stringify({ ...problemOf(error), instance: problemInstance(id) }));
  };
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const id = randomUUID();
    res.setHeader(REQUEST_ID_HEADER, id);
    res.setHeader('x-content-type-options', 'nosniff');
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics')
      return problem(res, new RegistryError(404, 'route_not_found', `No route for ${req.method} ${path}; this port serves /metrics`), id);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return problem(
        res,
        new RegistryError(405, 'method_not_allowed', `${req.method} is not allowed on /metrics; use GET`, {
          headers: { allow: 'GET, HEAD' },
        }),
        id,
      );
    }
    if (!allowed(req.headers.authorization)) return problem(res, unauthorized(), id);
    const { contentType, body } = await options.metrics.render();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const server = createServer((req, res) => {
    answer(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else problem(res, new RegistryError(500, 'internal_error', 'Internal Server Error'), randomUUID());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
