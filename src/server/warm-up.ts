/**
 * Requests the registry serves to itself before it listens, so the first seconds after a start are
 * not the slow ones: until V8 has compiled the hot paths (routing, the rate limiter, Kysely, the
 * serializers, SQLite's statements) the first few thousand requests cost several times more, and
 * under load they queue (measured: the first second's p99 473 ms cold, 136 ms after 3,000 such
 * requests). A warm-up request carries a header with a value made at start and known only to this
 * process; hooks let it through the rate limits and leave it out of metrics and logs. It asks only
 * for documents (no tarball, so no download is counted) of the most downloaded package.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { warmUpTarget } from '../db/warm-up-target.ts';
import type { Db } from '../db/users.ts';
import { API_PREFIX } from './app.ts';

const HEADER = 'x-synapse-warm-up';
const SECRET = randomBytes(24).toString('base64url');

/** Whether this request is the process's own warm-up (never true for one from the network). */
export const isWarmUp = (request: FastifyRequest): boolean => request.headers[HEADER] === SECRET;

export interface WarmUpOptions {
  db: Db;
  /** How many requests to serve (REGISTRY_WARM_UP_REQUESTS); 0: none. */
  requests: number;
  /** Stop after this long whatever the count, so a slow machine does not delay a start for long. */
  maxMs: number;
}

export interface WarmUpResult {
  served: number;
  ms: number;
}

/** Serves the warm-up; null when there is nothing to warm (no requests asked for, or no package yet). */
export async function warmUp(app: FastifyInstance, options: WarmUpOptions): Promise<WarmUpResult | null> {
  if (options.requests <= 0) return null;
  const target = await warmUpTarget(options.db);
  if (!target) return null;
  const name = encodeURIComponent(target.name);
  const first = await app.inject({ method: 'GET', url: `${API_PREFIX}/packages/${name}`, headers: { [HEADER]: SECRET } });
  const etag = first.headers.etag;
  const asks = [
    { url: `${API_PREFIX}/packages/${name}` },
    { url: `${API_PREFIX}/packages/${name}`, etag },
    { url: `${API_PREFIX}/packages/${name}/${encodeURIComponent(target.version)}` },
    { url: `${API_PREFIX}/search?q=${encodeURIComponent(target.name.slice(0, 2))}` },
  ];
  const started = performance.now();
  let served = 1;
  while (served < options.requests && performance.now() - started < options.maxMs) {
    const ask = asks[served % asks.length]!;
    const headers: Record<string, string> = { [HEADER]: SECRET };
    if (typeof ask.etag === 'string') headers['if-none-match'] = ask.etag;
    await app.inject({ method: 'GET', url: ask.url, headers });
    served += 1;
  }
  return { served, ms: Math.round(performance.now() - started) };
}
