/**
 * The front path: a package or version document the registry keeps ready (its row kept and unchanged,
 * its document built; see show.ts and version-show.ts) answered from node:http's request event, before
 * Fastify builds a request and a reply and runs its hooks. These are most of a registry's traffic, and
 * the framework's part of them was about half their CPU (bench/RESULTS.md runs 24 and 26).
 *
 * The answer is the route's own: the same kept document and tag, the same headers, the read counted
 * against the same limit, the same metrics and log line (test/api/front-path.test.ts compares both
 * paths). Everything else goes to Fastify as before: another method or path, a query string, a
 * percent-encoded path, a document not kept, a read the limit refuses (Fastify counts it again and
 * answers the 429), and every request once the registry is closing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import { parseVersion } from '../../../core/src/names.ts';
import type { Config } from '../config/index.ts';
import type { AppDeps } from './deps.ts';
import { matchesIfNoneMatch } from './etag.ts';
import { rateHeaders, type Count } from './rate-limits.ts';
import { REQUEST_ID_HEADER, REQUEST_ID_LOG_LABEL } from './request-id.ts';
import type { ResponseObserver } from './request-observer.ts';
import type { RouteDef } from './route.ts';
import type { KeptAnswer } from './routes/packages/package-document.ts';
import { keptPackageAnswer } from './routes/packages/show.ts';
import { keptVersionAnswer } from './routes/packages/version-show.ts';
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
  /** The hooks of the two routes (request-observer.ts), by template; undefined when nothing is observed. */
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

const JSON_TYPE = 'application/json; charset=utf-8';
const SECURITY = Object.entries(SECURITY_HEADERS).flat();

/** Call only when frontPathOff gave undefined. */
export function createFrontPath(options: FrontPathOptions): FrontHandler {
  const { deps, readNow, requestId, log, closing } = options;
  const packages = `${options.prefix}/packages/`;
  const findAnswer = answerFinder(options);
  const observePackage = options.observe(`${options.prefix}/packages/:name`);
  const observeVersion = options.observe(`${options.prefix}/packages/:name/:version`);
  return (req, res) => {
    const url = req.url;
    if (req.method !== 'GET' || url === undefined || !url.startsWith(packages) || closing()) return false;
    const start = performance.now();
    const found = findAnswer(url.slice(packages.length));
    const ip = req.socket.remoteAddress;
    if (found === undefined || ip === undefined) return false;
    const warming = deps.warming.active;
    const count = warming ? null : readNow(ip);
    if (count?.isExceeded) return false;
    const id = requestId(req);
    const headers = count ? [...SECURITY, REQUEST_ID_HEADER, id, ...rateHeaders(count)] : [...SECURITY, REQUEST_ID_HEADER, id];
    const { answer } = found;
    headers.push('etag', answer.etag);
    let status = 304;
    if (matchesIfNoneMatch(req.headers['if-none-match'], answer.etag)) {
      res.writeHead(status, headers).end();
    } else {
      status = 200;
      headers.push('content-type', JSON_TYPE, 'content-length', String(answer.length));
      res.writeHead(status, headers).end(answer.body);
    }
    if (warming) return true;
    deps.metrics.frontAnswered();
    const observe = found.version ? observeVersion : observePackage;
    if (observe === undefined) return true;
    const request = {
      method: 'GET',
      url,
      timings: null,
      get log() {
        return log().child({ [REQUEST_ID_LOG_LABEL]: id });
      },
    };
    observe(request, { statusCode: status, elapsedTime: performance.now() - start });
    return true;
  };
}

/**
 * The kept answer for the path after /packages/, when the router would give it to the package route
 * (one segment) or the version route (two): a name another route takes as a whole (`recent`), or a
 * second segment another route takes (`owners`), is theirs. The router's own decoding is left to it:
 * a path with a `%` or a query string goes to Fastify.
 */
function answerFinder(options: FrontPathOptions) {
  const { deps } = options;
  const base = deps.config.server.publicUrl!;
  const taken = takenSegments(options.routes);
  return (rest: string): { answer: KeptAnswer; version: boolean } | undefined => {
    if (rest.includes('%') || rest.includes('?')) return undefined;
    const slash = rest.indexOf('/');
    if (slash === -1) {
      const answer = taken.first.has(rest) ? undefined : keptPackageAnswer(deps, rest, base);
      return answer && { answer, version: false };
    }
    const name = rest.slice(0, slash);
    const text = rest.slice(slash + 1);
    if (taken.first.has(name) || taken.second.has(text) || text.includes('/')) return undefined;
    const parsed = parseVersion(text);
    const answer = parsed.ok ? keptVersionAnswer(deps, name, parsed.value, base) : undefined;
    return answer && { answer, version: true };
  };
}

/** The fixed segments of routes under /packages/: first (/packages/recent), and second after a name (/packages/:name/owners). */
function takenSegments(routes: readonly RouteDef[]): { first: Set<string>; second: Set<string> } {
  const first = new Set<string>();
  const second = new Set<string>();
  for (const route of routes) {
    const [top, a, b] = route.url.split('/').slice(1);
    if (top !== 'packages') continue;
    if (a !== undefined && !a.startsWith(':')) first.add(a);
    else if (b !== undefined && !b.startsWith(':')) second.add(b);
  }
  return { first, second };
}
