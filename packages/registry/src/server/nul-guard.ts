/**
 * PostgreSQL text cannot hold NUL, so a NUL anywhere a name, version or field reaches a query made
 * that query fail (a 500). No stored value can contain one either, so a request carrying one is
 * refused up front with a 400 on every route and backend alike. Search text (`q`) is exempt: it is
 * free text whose control characters search turns into spaces.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../../../core/src/errors.ts';

const FREE_TEXT_QUERY = new Set(['q']);
/** Bodies are at most 1 MiB of JSON; this bounds the walk whatever their shape. */
const MAX_VISITS = 100_000;

export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const where = findNul(request);
    if (where) {
      throw badRequest(
        'nul_character',
        `The ${where} contains a NUL character (\\u0000), which no name, version or text here may hold: remove it`,
      );
    }
  });
}

function findNul(request: FastifyRequest): string | null {
  if (hasNul(request.params, { visits: 0 })) return 'path';
  // Only the parameters a route reads: one it ignores reaches no query, whatever it holds.
  const query = request.query as Record<string, unknown> | undefined;
  const declared = (request.routeOptions.schema?.querystring as { properties?: object } | undefined)?.properties ?? {};
  if (query && typeof query === 'object') {
    for (const key of Object.keys(declared)) {
      if (!FREE_TEXT_QUERY.has(key) && hasNul(query[key], { visits: 0 })) return 'query string';
    }
  }
  // A publish body is a stream (or a multipart form), read by the archive reader: not walked here.
  const body = request.body;
  if (body !== null && typeof body === 'object' && !('pipe' in body) && hasNul(body, { visits: 0 })) return 'request body';
  return null;
}

function hasNul(value: unknown, budget: { visits: number }): boolean {
  if (++budget.visits > MAX_VISITS) return false;
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object') return false;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000') || hasNul(inner, budget)) return true;
  }
  return false;
}
