/**
 * Per-IP limits on every route (reads and writes apart), per-account limits on register, token
 * creation and publish, and failed-login limits (auth/login-throttle.ts). Counters live in Redis when REGISTRY_REDIS_URL is set, so every
 * instance shares them; otherwise in this process. Fixed windows on the counter store the login
 * throttle uses (auth/counter-store.ts), not @fastify/rate-limit: one promise per count instead of
 * the plugin's chain (limits off saved about 4 µs a read; see bench/RESULTS.md run 20).
 */
import type { FastifyReply, FastifyRequest, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import { RegistryError } from '../../../core/src/errors.ts';
import type { RateLimitConfig } from '../config/index.ts';
import type { AppDeps } from './deps.ts';
import type { RouteDef } from './route.ts';
import type { Warming } from './warm-requests.ts';
import { identify } from './authenticate.ts';
import {
  createLoginThrottle,
  memoryCounterStore,
  redisCounterStore,
  type CounterStore,
  type LoginThrottle,
  type RedisLike,
  type WindowCount,
} from '../auth/index.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface RouteLimiters {
  onRequest: onRequestHookHandler[];
  preHandler: preHandlerHookHandler[];
}

export interface Count {
  max: number;
  remaining: number;
  ttlInSeconds: number;
  isExceeded: boolean;
}

interface Limiter {
  /** The limit's name in metrics: read, write_hour, write_day, per_account. */
  name: string;
  /** What is limited, for the 429 message: "writes an hour from one address". */
  per: string;
  count: (request: FastifyRequest) => Promise<Count | null>;
  /** The same for the client's address, at once: only with counters in this process and keyed by address. */
  countNow?: (ip: string) => Count | null;
}

const LIMIT = 'ratelimit-limit';
const REMAINING = 'ratelimit-remaining';
const RESET = 'ratelimit-reset';

/** The RateLimit-* headers that tell a client where it stands in `count`'s window, as name, value, name, value. */
export const rateHeaders = (count: Count): string[] => [
  LIMIT,
  String(count.max),
  REMAINING,
  String(count.remaining),
  RESET,
  String(count.ttlInSeconds),
];

/** The 429 every limit answers: problem+json, Retry-After and RateLimit-* headers. */
export function tooManyRequests(max: number, per: string, ttlInSeconds: number): RegistryError {
  return new RegistryError(429, 'rate_limited', `Too many requests: the limit is ${max} ${per}; retry in ${ttlInSeconds} seconds`, {
    data: { limit: max },
    headers: { [LIMIT]: String(max), [REMAINING]: '0', [RESET]: String(ttlInSeconds), 'retry-after': String(ttlInSeconds) },
  });
}

type Counted = { limiter: Limiter; count: Count | null };

/**
 * The 429 when any limit is used up (the one that resets last, which the client must wait for),
 * else undefined after setting the RateLimit-* headers of the limit closest to running out (a hook
 * of an earlier phase may have set tighter ones already).
 */
function settle(counts: readonly Counted[], reply: FastifyReply, onRefused: (limiter: string) => void): RegistryError | undefined {
  let refused: { limiter: Limiter; count: Count } | undefined;
  let tightest: Count | undefined;
  for (const { limiter, count } of counts) {
    if (!count) continue;
    if (count.isExceeded && (!refused || count.ttlInSeconds > refused.count.ttlInSeconds)) refused = { limiter, count };
    if (!tightest || count.remaining < tightest.remaining) tightest = count;
  }
  if (refused) {
    onRefused(refused.limiter.name);
    return tooManyRequests(refused.count.max, refused.limiter.per, refused.count.ttlInSeconds);
  }
  const shown = reply.getHeader(REMAINING);
  if (!tightest || (shown !== undefined && Number(shown) <= tightest.remaining)) return undefined;
  const headers = rateHeaders(tightest);
  for (let i = 0; i < headers.length; i += 2) reply.header(headers[i]!, headers[i + 1]!);
  return undefined;
}

/**
 * One hook that counts the request against every limiter given and refuses it with a 429 when any
 * is used up. Writes have two limits (an hour, a day), counted together in one hook. With counters in
 * this process and keys known at once (the per-address limits), the hook answers without a promise:
 * reads are the hot path.
 */
function enforce(limiters: Limiter[], onRefused: (limiter: string) => void, warming: Warming): onRequestHookHandler {
  if (limiters.every((limiter) => limiter.countNow)) {
    return (request, reply, done) => {
      if (warming.active) return done();
      const counts = limiters.map((limiter) => ({ limiter, count: limiter.countNow!(request.ip) }));
      done(settle(counts, reply, onRefused));
    };
  }
  return async (request, reply) => {
    if (warming.active) return;
    const counts = await Promise.all(limiters.map(async (limiter) => ({ limiter, count: await limiter.count(request) })));
    const error = settle(counts, reply, onRefused);
    if (error) throw error;
  };
}

/** Keys the in-process counters keep: one per address and limit in a window, a few hundred bytes each. */
const RATE_COUNTER_KEYS = 100_000;

export interface LimiterStoreOptions {
  /** Shared counters (ioredis); without it, counters of this process. */
  redis?: RedisLike;
  /** Key prefix in Redis, so registries sharing a Redis keep apart. */
  redisPrefix?: string;
}

/** The counters of the per-route limits. */
export function rateCounterStore(options: LimiterStoreOptions): CounterStore {
  return options.redis
    ? redisCounterStore(options.redis, `${options.redisPrefix ?? 'synapse:'}rl:`)
    : memoryCounterStore({ maxKeys: RATE_COUNTER_KEYS, now: Date.now });
}

/**
 * The limiters of each route. The store is opened only when limits are on: an in-process store
 * allocates its whole key table up front (about 11 ms of a registry's start).
 */
export function createLimiters(deps: AppDeps, openStore: () => CounterStore) {
  const config = deps.config.rateLimit;
  const store = config.enabled ? openStore() : undefined;
  // Each limiter prefixes its keys: limiters made this way would otherwise share counters.
  const make = (
    name: string,
    metricName: string,
    per: string,
    max: number,
    timeWindow: number,
    key?: (r: FastifyRequest) => Promise<string> | string,
  ): Limiter => {
    const toCount = (counted: WindowCount | undefined): Count | null =>
      counted === undefined
        ? null
        : {
            max,
            remaining: Math.max(0, max - counted.count),
            ttlInSeconds: Math.max(1, Math.ceil(counted.ttlMs / 1000)),
            isExceeded: counted.count > max,
          };
    const addNow = store?.addNow;
    return {
      name: metricName,
      per,
      count: async (request) => {
        const k = key ? await key(request) : request.ip;
        try {
          return toCount((await store!.add([`${name}:${k}`], timeWindow))[0]);
        } catch {
          // With Redis down, serve rather than refuse: limits are a guard, not a dependency.
          return null;
        }
      },
      // Keyed by address (no key function): known at once.
      countNow: addNow && !key ? (ip) => toCount(addNow(`${name}:${ip}`, timeWindow)) : undefined,
    };
  };
  const byActor = async (request: FastifyRequest): Promise<string> => {
    const actor = await identify(deps, request);
    return actor ? `user:${actor.userId}` : `ip:${request.ip}`;
  };
  // The account a body names, whoever sends it: a bearer token of one's own must not buy a budget
  // of one's own for acting on another account.
  const byBodyName = (request: FastifyRequest): string => {
    const body = request.body as { username?: unknown } | undefined;
    // Normalised as login looks the name up, so " Alice" does not get a budget of its own.
    if (body && typeof body.username === 'string') return `name:${body.username.trim().toLowerCase()}`;
    return `ip:${request.ip}`;
  };
  const refused = deps.metrics.rateLimited;
  const readLimiter = make('read', 'read', 'reads a minute from one address', config.readPerMinute, MINUTE);
  const read = enforce([readLimiter], refused, deps.warming);
  const write = enforce(
    [
      make('write-hour', 'write_hour', 'writes an hour from one address', config.writePerHour, HOUR),
      make('write-day', 'write_day', 'writes a day from one address', config.writePerDay, DAY),
    ],
    refused,
    deps.warming,
  );
  // One budget per account and route: a CI job that publishes all it may still creates a token.
  // Login is not among these: it has failed-login limits of its own (loginThrottleFor below).
  const perUser = (route: RouteDef) => {
    const key = route.perUser === 'body-username' ? byBodyName : byActor;
    return enforce(
      [make(`user-hour:${route.method}:${route.url}`, 'per_account', 'an hour for one account', config.userPerHour, HOUR, key)],
      refused,
      deps.warming,
    );
  };

  const limitsFor = (route: RouteDef): RouteLimiters => {
    if (!config.enabled || route.limit === 'none') return { onRequest: [], preHandler: [] };
    return {
      onRequest: [route.limit === 'read' ? read : write],
      // After parsing, so the username in a login or register body can be the key.
      preHandler: route.perUser ? [perUser(route)] : [],
    };
  };
  // For the front path (front-path.ts): a read counted at once by address, as the read hook counts it;
  // null when limits are off. Absent with shared counters (Redis), which take a round trip.
  const readNow: ((ip: string) => Count | null) | undefined = config.enabled ? readLimiter.countNow : () => null;
  return Object.assign(limitsFor, { readNow });
}

/** Keys kept by the in-process login counters: a few hundred bytes each, so bounded at a few tens of MB. */
const LOGIN_COUNTER_KEYS = 100_000;

/** The failed-login limits (see auth/login-throttle.ts), counted in Redis when there is one. */
export function loginThrottleFor(
  config: RateLimitConfig,
  options: { redis: RedisLike | undefined; now: () => Date; onError: (error: unknown) => void },
): LoginThrottle {
  const store = !config.enabled
    ? null
    : options.redis
      ? redisCounterStore(options.redis, `${config.redisPrefix}rl:`)
      : memoryCounterStore({ maxKeys: LOGIN_COUNTER_KEYS, now: () => options.now().getTime() });
  return createLoginThrottle({
    store,
    onError: options.onError,
    limits: {
      perAccountAndAddress: config.loginFailuresPerAccountAndIp,
      perAddress: config.loginFailuresPerIp,
      perAccount: config.loginFailuresPerAccount,
      windowMs: HOUR,
    },
  });
}

export type { RateLimitConfig };
