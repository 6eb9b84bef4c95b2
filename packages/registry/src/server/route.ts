import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { AppDeps } from './deps.ts';

/**
 * One route: the route table lists these, app.ts registers them. `limit` picks the per-IP limits;
 * `perUser` adds the per-account limit (keyed by the signed-in user, or always by the username in the body).
 */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url: string;
  schema?: FastifySchema;
  limit: 'read' | 'write' | 'none';
  perUser?: 'actor' | 'body-username';
  /** A promise of the body (or the reply), or undefined when the reply was sent in the call. */
  handler: (deps: AppDeps, request: FastifyRequest, reply: FastifyReply) => Promise<unknown> | undefined;
}

export const defineRoute = (def: RouteDef): RouteDef => def;
