/**
 * The front path: answers the registry keeps ready, sent from node:http's request event before
 * Fastify builds a request and a reply and runs its hooks: a package or version document whose row is
 * kept and unchanged and whose document is built (show.ts, version-show.ts), and a whole tarball whose
 * row is kept and whose bytes are in the blob cache (tarball.ts). These are most of a registry's
 * traffic, and the framework's part of them was about half their CPU (bench/RESULTS.md run 26).
 *
 * The answer is the route's own: the same body, tag and headers, the read counted against the same
 * limit, the download counted, the same metrics and log line (test/api/front-path.test.ts compares
 * both paths). Everything else goes to Fastify as before: another method or path, a query string, a
 * percent-encoded path, an answer not kept, a tarball range, a redirect to storage, a read the limit
 * refuses (Fastify counts it again and answers the 429), and every request once the registry is closing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.ts';
import type { AppDeps } from './deps.ts';
import { rateHeaders, type Count } from './rate-limits.ts';
import { REQUEST_ID_HEADER, REQUEST_ID_LOG_LABEL } from './request-id.ts';
import type { ObservedRequest, ResponseObserver } from './request-observer.ts';
import type { RouteDef } from './route.ts';
import { answerFinder, sendFound, type Found } from './front-answers.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

/** True when it answered; false leaves the request untouched for Fastify. */
export type FrontHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface FrontPathOptions {
  deps: AppDeps;
  /** The API's prefix (/api/v1) and its route table: paths under /packages/ that other routes take are left to them. */
  prefix: string;
  routes: readonly RouteDef[];
  /** The read limit counted at once by address (rate-limits.ts); null when limits are off. */
  readNow: (ip: string) => Count | null;
  requestId: (req: IncomingMessage) => string;
  /** The hooks of the routes it answers for (request-observer.ts), by template; undefined when nothing is observed. */
  observe: (url: string) => ResponseObserver | undefined;
  log: () => FastifyBaseLogger;
  closing: () => boolean;
}

/**
 * Why the front path cannot answer exactly as the route would under `config`, or undefined when it can.
 * Each condition is a part of the route's answer it does not take on: a base URL from the Host header,
 * addresses and request ids from a proxy's headers, counters shared over Redis, a debug line per request.
 */
export function frontPathOff(config: Config, readNow: FrontPathOptions['readNow'] | undefined): string | undefined {
  if (!config.server.frontPath) return 'REGISTRY_FRONT_PATH=false';
  if (config.server.publicUrl === undefined) return 'no REGISTRY_PUBLIC_URL (links follow the Host header)';
  if (config.server.trustProxy) return 'REGISTRY_TRUST_PROXY (addresses and request ids come from the proxy)';
  if (readNow === undefined) return 'rate-limit counters are shared (Redis)';
  if (config.server.logLevel === 'debug' || config.server.logLevel === 'trace') return `REGISTRY_LOG_LEVEL=${config.server.logLevel}`;
  return undefined;
}

const SECURITY = Object.entries(SECURITY_HEADERS).flat();

/** Call only when frontPathOff gave undefined. */
export function createFrontPath(options: FrontPathOptions): FrontHandler {
  const { deps, readNow, requestId, closing } = options;
  const packages = `${options.prefix}/packages/`;
  // A redirect to storage is answered by the route (it asks the store for a signed URL).
  const storage = deps.config.storage;
  const findAnswer = answerFinder(deps, options.routes, { tarballs: !(storage.type === 's3' && storage.redirectDownloads) });
  const observed = observers(options);
  return (req, res) => {
    const url = req.url;
    if (req.method !== 'GET' || url === undefined || !url.startsWith(packages) || closing()) return false;
    const start = performance.now();
    const found = findAnswer(url.slice(packages.length));
    const ip = req.socket.remoteAddress;
    if (found === undefined || ip === undefined) return false;
    // A range of a tarball is the route's (it may be refused with a 416, and is not counted).
    if (found.route === 'tarball' && req.headers.range !== undefined) return false;
    const warming = deps.warming.active;
    const count = warming ? null : readNow(ip);
    if (count?.isExceeded) return false;
    const id = requestId(req);
    const headers = count ? [...SECURITY, REQUEST_ID_HEADER, id, ...rateHeaders(count)] : [...SECURITY, REQUEST_ID_HEADER, id];
    const status = sendFound(deps, { req, res, headers }, found);
    if (warming) deps.warming.served += 1;
    else observed(found.route, { url, id, status, ms: performance.now() - start });
    return true;
  };
}

/** Counts an answer as the route's hooks would: in its route's metrics and request log line. */
function observers(options: FrontPathOptions) {
  const { deps, prefix, log } = options;
  const byRoute = {
    package: options.observe(`${prefix}/packages/:name`),
    version: options.observe(`${prefix}/packages/:name/:version`),
    tarball: options.observe(`${prefix}/packages/:name/:version/tarball`),
  };
  return (route: Found['route'], sent: { url: string; id: string; status: number; ms: number }) => {
    deps.metrics.frontAnswered();
    const observe = byRoute[route];
    if (observe === undefined) return;
    observe(new FrontRequest(sent.url, sent.id, log), { statusCode: sent.status, elapsedTime: sent.ms });
  };
}

/**
 * The request as a route's observer reads it. A class, not an object literal with a `log` getter: V8
 * keeps a getter in the object's hidden class, so each such literal made a new one, in the old
 * generation, for every answer (1.2 MB promoted per young collection at 40k answers a second, and
 * each collection took 2.9 ms instead of 1.3; bench/RESULTS.md run 28).
 */
class FrontRequest implements ObservedRequest {
  readonly method = 'GET';
  readonly timings = null;
  constructor(
    readonly url: string,
    private readonly id: string,
    private readonly logger: () => FastifyBaseLogger,
  ) {}

  get log(): FastifyBaseLogger {
    return this.logger().child({ [REQUEST_ID_LOG_LABEL]: this.id });
  }
}
