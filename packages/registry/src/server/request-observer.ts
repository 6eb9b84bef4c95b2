/**
 * What happens once a response is sent: the HTTP metrics by route template (never the raw URL, so a
 * million package names make one series), the request's log line, and a warning with the time split
 * when it was slow. Each route gets its own onResponse hook, made when the route is added, holding its
 * metric children: nothing is looked up or allocated per request beyond the log line itself.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onResponseHookHandler } from 'fastify';
import type { Metrics, RouteObserver } from '../metrics/metrics.ts';
import { withRequestTimings, type RequestTimings } from '../metrics/request-timings.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Database and storage time of this request, when slow requests are logged. */
    timings: RequestTimings | null;
  }
}

export interface RequestObserverOptions {
  metrics: Metrics;
  /** Log one info line per request (when the log level shows info). */
  logRequests: boolean;
  /** Warn about requests slower than this; 0: never. */
  slowRequestMs: number;
  /** Add the database and storage time to that warning (AsyncLocalStorage; see splitTimings). */
  splitSlowRequests: boolean;
  /** While active, requests are neither counted nor logged, only tallied (the registry's own warm-up, warm-requests.ts). */
  warming?: { active: boolean; served: number };
}

/** The route label of requests that matched no route (404s, 405s, URLs the router refused). */
export const UNMATCHED = 'unmatched';

/** What a route's hook reads of a request: Fastify's, or the front path's own (front-path.ts). */
export type ObservedRequest = Pick<FastifyRequest, 'method' | 'url' | 'timings' | 'log'>;
export type ObservedReply = Pick<FastifyReply, 'statusCode' | 'elapsedTime'>;
export type ResponseObserver = (request: ObservedRequest, reply: ObservedReply, done?: HookHandlerDoneFunction) => void;

/** One route's hook; `url` is its template. Children are made per method on first use (a route may take several). */
function routeHook(options: RequestObserverOptions, url: string): ResponseObserver {
  const { metrics, logRequests, slowRequestMs, warming } = options;
  const byMethod: Record<string, RouteObserver> = {};
  return (request, reply, done) => {
    if (warming?.active) {
      warming.served += 1;
      return done?.();
    }
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    if (metrics.enabled) {
      const bound = (byMethod[request.method] ??= metrics.route(request.method, url));
      bound.count(status);
      bound.duration.observe(ms / 1000);
    }
    if (slowRequestMs > 0 && ms >= slowRequestMs) {
      const t = request.timings;
      const split = t
        ? { db_ms: round(t.dbMs), storage_ms: round(t.storageMs), other_ms: round(Math.max(0, ms - t.dbMs - t.storageMs)) }
        : {};
      request.log.warn({ method: request.method, route: url, url: request.url, status, ms: round(ms), ...split }, 'slow request');
    } else if (logRequests) {
      request.log.info({ method: request.method, route: url, url: request.url, status, ms: round(ms) }, 'request completed');
    }
    done?.();
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Call before any route is added. Returns the hooks for what matches no route: one for the 404
 * handler, one for errors of the router itself (told after the answer is sent).
 */
export function installRequestObserver(app: FastifyInstance, options: RequestObserverOptions): InstalledObserver {
  if (!options.metrics.enabled && !options.logRequests && options.slowRequestMs === 0) return { forRoute: () => undefined };
  app.decorateRequest('timings', null);
  if (options.slowRequestMs > 0 && options.splitSlowRequests) {
    app.addHook('onRequest', (request, _reply, done) => {
      const timings = { dbMs: 0, storageMs: 0 };
      request.timings = timings;
      withRequestTimings(timings, done);
    });
  }
  app.addHook('onRoute', (route) => {
    const own = route.onResponse ? [route.onResponse].flat() : [];
    route.onResponse = [...own, routeHook(options, route.url) as onResponseHookHandler];
  });
  const unmatched = routeHook(options, UNMATCHED);
  return {
    onUnmatchedResponse: unmatched as onResponseHookHandler,
    onFrameworkError: (request: FastifyRequest, reply: FastifyReply) => unmatched(request, reply),
    // Timings are split by a hook of Fastify's: the front path's answers make no query to split.
    forRoute: (url) => routeHook(options, url),
  };
}

export interface InstalledObserver {
  onUnmatchedResponse?: onResponseHookHandler;
  onFrameworkError?: (request: FastifyRequest, reply: FastifyReply) => void;
  /** The hook the route with template `url` gets, for answers sent outside Fastify; undefined when nothing is observed. */
  forRoute: (url: string) => ResponseObserver | undefined;
}
