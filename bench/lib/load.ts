/**
 * The read loads: autocannon against one endpoint with a path chosen at random per request
 * (setupRequest), as in the Verdaccio anchor's bench script.
 */
import autocannon from 'autocannon';
import { TOPICS, packageName, versionName } from './corpus.ts';

export interface LoadTarget {
  id: string;
  title: string;
  /** A fresh path (under the origin) for each request. */
  path: () => string;
}

export interface LoadResult {
  id: string;
  title: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  mbPerSec: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  total: number;
}

const pick = (n: number) => Math.floor(Math.random() * n);

/** The endpoints the benchmark loads, for a corpus of `packages` × `versions`. */
export function loadTargets(packages: number, versions: number): LoadTarget[] {
  const api = '/api/v1';
  const pkg = () => packageName(pick(packages));
  // Name prefixes that exist in the corpus: pkg-00 … pkg-09 at 1,000 packages.
  const prefixes = Math.min(10, Math.ceil(packages / 100));
  return [
    { id: 'package', title: 'package metadata GET /packages/{name}', path: () => `${api}/packages/${pkg()}` },
    {
      id: 'version',
      title: 'version metadata GET /packages/{name}/{version}',
      path: () => `${api}/packages/${pkg()}/${versionName(pick(versions))}`,
    },
    {
      id: 'tarball',
      title: 'tarball GET /packages/{name}/{version}/tarball',
      path: () => `${api}/packages/${pkg()}/${versionName(pick(versions))}/tarball`,
    },
    // pkg-00 … pkg-09: a name prefix matching 100 of 1,000 packages, like the anchor's text=pkg-05.
    { id: 'search-name', title: 'search ?q=pkg-0N (name prefix)', path: () => `${api}/search?q=pkg-0${pick(prefixes)}&per_page=20` },
    { id: 'search-word', title: 'search ?q={topic word}', path: () => `${api}/search?q=${TOPICS[pick(TOPICS.length)]}&per_page=20` },
    // The web pages (HTML), with a random package or topic per request as above.
    { id: 'page-package', title: 'package page GET /packages/{name}', path: () => `/packages/${pkg()}` },
    {
      id: 'page-version',
      title: 'version page GET /packages/{name}/{version}',
      path: () => `/packages/${pkg()}/${versionName(pick(versions))}`,
    },
    { id: 'page-search', title: 'search page GET /search?q={topic word}', path: () => `/search?q=${TOPICS[pick(TOPICS.length)]}` },
    { id: 'page-home', title: 'home page GET /', path: () => '/' },
  ];
}

/**
 * One autocannon run against `origin`. With several origins (one per instance), autocannon hands
 * connection i to origin i % n, and the figures (throughput, latency histogram) cover all of them.
 */
export async function runLoad(
  origin: string | readonly string[],
  target: LoadTarget,
  options: { connections: number; durationSeconds: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url: typeof origin === 'string' ? origin : [...origin],
    connections: options.connections,
    duration: options.durationSeconds,
    requests: [{ setupRequest: (request) => ({ ...request, path: target.path() }) }],
  });
  return {
    id: target.id,
    title: target.title,
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    mbPerSec: result.throughput.average / 1e6,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    total: result.requests.total,
  };
}
