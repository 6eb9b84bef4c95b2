/**
 * PostgreSQL text cannot hold NUL, so a NUL anywhere a name, version or field reaches a query made
 * that query fail (a 500). No stored value can contain one either, so a request carrying one is
 * refused up front with a 400 on every route and backend alike. Search text (`q`) is exempt: it is
 * free text whose control characters search turns into spaces.
 */
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { badRequest } from '../../../core/src/errors.ts';

const FREE_TEXT_QUERY = new Set(['q']);
/** Bodies are at most 1 MiB of JSON; this bounds the walk whatever their shape. */
const MAX_VISITS = 100_000;

/**
 * A synchronous hook per route, made when the route is added with the query parameters it reads, so
 * a request pays for neither a promise nor a look at its route's schema (a read of every request).
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    // Only the parameters a route reads: one it ignores reaches no query, whatever it holds.
    const properties = (route.schema?.querystring as { properties?: object } | undefined)?.properties ?? {};
    const declared = Object.keys(properties).filter((key) => !FREE_TEXT_QUERY.has(key));
    const guard: preValidationHookHandler = (request, _reply, done) => {
      const where = findNul(request, declared);
      if (!where) return done();
      done(
        badRequest(
          'nul_character',
          `The ${where} contains a NUL character (\\u0000), which no name, version or text here may hold: remove it`,
        ),
      );
    };
    route.preValidation = [guard, ...(route.preValidation ? [route.preValidation].flat() : [])];
  });
}

function findNul(request: FastifyRequest, declared: readonly string[]): string | null {
  if (hasNul(request.params, { visits: 0 })) return 'path';
  const query = request.query as Record<string, unknown> | undefined;
  if (declared.length > 0 && query && typeof query === 'object') {
    for (const key of declared) {
      if (hasNul(query[key], { visits: 0 })) return 'query string';
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
  // Own keys only, as the JSON parser and the router make them (a `for…in` would walk inherited ones too).
  for (const key of Object.keys(value)) {
    if (key.includes('\u0000') || hasNul((value as Record<string, unknown>)[key], budget)) return true;
  }
  return false;
}
