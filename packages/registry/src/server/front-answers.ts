/**
 * What the front path (front-path.ts) can answer, found without a query or a promise, and how each is
 * written: a kept package or version document, or a tarball whose row is kept and whose bytes are in
 * the blob cache. The routes answer with the same functions and values (show.ts, version-show.ts,
 * tarball.ts, tarball-send.ts), so both paths send the same headers in the same order.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseVersion } from '../../../core/src/names.ts';
import type { TarballRow } from '../db/packages.ts';
import { attachmentDisposition } from '../storage/content-disposition.ts';
import type { AppDeps } from './deps.ts';
import { matchesIfNoneMatch } from './etag.ts';
import type { RouteDef } from './route.ts';
import type { KeptAnswer } from './routes/packages/package-document.ts';
import { keptPackageAnswer } from './routes/packages/show.ts';
import { keptTarball, tarballFilename } from './routes/packages/tarball.ts';
import { TARBALL_CACHE_CONTROL, tarballEtag } from './routes/packages/tarball-send.ts';
import { keptVersionAnswer } from './routes/packages/version-show.ts';

export type Found =
  | { route: 'package' | 'version'; document: KeptAnswer }
  | { route: 'tarball'; tarball: { row: TarballRow; bytes: Buffer } };

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The answer for the path after /packages/, when the router would give it to the package route (one
 * segment), the version route (two) or the tarball route (`…/tarball`): a name another route takes as
 * a whole (`recent`), or a second segment another route takes (`owners`), is theirs. The router's own
 * decoding is left to it: a path with a `%` or a query string goes to Fastify.
 */
export function answerFinder(deps: AppDeps, routes: readonly RouteDef[], options: { tarballs: boolean }) {
  const base = deps.config.server.publicUrl!;
  const taken = takenSegments(routes);
  return (rest: string): Found | undefined => {
    if (rest.includes('%') || rest.includes('?')) return undefined;
    const [name = '', text, last, ...more] = rest.split('/');
    if (taken.first.has(name) || more.length > 0) return undefined;
    if (text === undefined) {
      const document = keptPackageAnswer(deps, name, base);
      return document && { route: 'package', document };
    }
    if (taken.second.has(text) || (last !== undefined && (last !== 'tarball' || !options.tarballs))) return undefined;
    const parsed = parseVersion(text);
    if (!parsed.ok) return undefined;
    if (last === undefined) {
      const document = keptVersionAnswer(deps, name, parsed.value, base);
      return document && { route: 'version', document };
    }
    const tarball = keptTarball(deps, name, parsed.value);
    return tarball && { route: 'tarball', tarball };
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

export interface Sending {
  req: IncomingMessage;
  res: ServerResponse;
  /** The headers every answer starts with (security, request id, rate limit), as name, value, …; added to. */
  headers: string[];
}

/** Writes `found` as its route would; the status sent. */
export function sendFound(deps: AppDeps, sending: Sending, found: Found): number {
  if (found.route !== 'tarball') return sendDocument(sending, found.document);
  return sendTarball(deps, sending, found.tarball);
}

function sendDocument({ req, res, headers }: Sending, document: KeptAnswer): number {
  headers.push('etag', document.etag);
  if (matchesIfNoneMatch(req.headers['if-none-match'], document.etag)) {
    res.writeHead(304, headers).end();
    return 304;
  }
  headers.push('content-type', JSON_TYPE, 'content-length', String(document.length));
  res.writeHead(200, headers).end(document.body);
  return 200;
}

/** As sendTarball (tarball-send.ts) sends a whole tarball: counted as a download once it is sent from memory. */
function sendTarball(deps: AppDeps, { req, res, headers }: Sending, { row, bytes }: { row: TarballRow; bytes: Buffer }): number {
  const etag = tarballEtag(row.checksum);
  headers.push('etag', etag, 'cache-control', TARBALL_CACHE_CONTROL, 'accept-ranges', 'bytes');
  if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers).end();
    return 304;
  }
  deps.store.sentHeld?.(row.checksum);
  // The registry's own warm-up before it listens (warm-requests.ts) is no download.
  if (!deps.warming.active) {
    deps.downloads.record({
      versionId: row.id,
      packageId: row.package_id,
      ip: req.socket.remoteAddress!,
      userAgent: req.headers['user-agent'] ?? null,
      at: deps.now(),
    });
    deps.metrics.downloadServed(bytes.length);
  }
  const disposition = attachmentDisposition(tarballFilename(row));
  headers.push('content-type', 'application/gzip', 'content-disposition', disposition, 'content-length', String(bytes.length));
  res.writeHead(200, headers).end(bytes);
  return 200;
}
