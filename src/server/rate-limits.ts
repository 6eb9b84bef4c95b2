/**
 * Per-IP limits on every route (reads and writes apart) and per-account limits on login, register,
 * token creation and publish. Counters live in Redis when REGISTRY_REDIS_URL is set, so every
 * instance shares them; otherwise in this process.
 */
import type { FastifyInstance, FastifyRequest, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import { RegistryError } from '../errors.ts';
import type { RateLimitConfig } from '../config/index.ts';
import type { AppDeps } from './deps.ts';
import type { RouteDef } from './route.ts';
import { identify } from './authenticate.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface RouteLimiters {
  onRequest: onRequestHookHandler[];
  preHandler: preHandlerHookHandler[];
}

export function createLimiters(app: FastifyInstance, deps: AppDeps) {
  const config = deps.config.rateLimit;
  // Each limiter prefixes its keys: with Redis, limiters made this way would otherwise share counters.
  const make = (name: string, max: number, timeWindow: number, key: (r: FastifyRequest) => Promise<string> | string = (r) => r.ip) =>
    app.rateLimit({
      max,
      timeWindow,
      keyGenerator: async (request) => `${name}:${await key(request)}`,
      errorResponseBuilder: (_request, context) =>
        new RegistryError(429, 'rate_limited', `Too many requests: the limit is ${context.max} per ${context.after}; retry in ${context.after}`, {
          data: { limit: context.max },
        }) as never,
    });
  const byUser = async (request: FastifyRequest): Promise<string> => {
    const actor = await identify(deps, request.headers.authorization);
    if (actor) return `user:${actor.userId}`;
    const body = request.body as { username?: unknown } | undefined;
    if (body && typeof body.username === 'string') return `name:${body.username.toLowerCase()}`;
    return `ip:${request.ip}`;
  };
  const read = [make('read', config.readPerMinute, 60_000)];
  const write = [make('write-hour', config.writePerHour, HOUR), make('write-day', config.writePerDay, DAY)];
  const user = [make('user-hour', config.userPerHour, HOUR, byUser)];

  return (route: RouteDef): RouteLimiters => {
    if (!config.enabled || route.limit === 'none') return { onRequest: [], preHandler: [] };
    return {
      onRequest: route.limit === 'read' ? read : write,
      // After parsing, so the username in a login or register body can be the key.
      preHandler: route.perUser ? (user as unknown as preHandlerHookHandler[]) : [],
    };
  };
}

export type { RateLimitConfig };
