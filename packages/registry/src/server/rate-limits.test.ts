/**
 * The per-route limits on their own, in a real Fastify app: what a client sees when the shared
 * counters cannot be reached (Redis down), and the counting itself on the in-process counters.
 * The whole registry's limits, on every backend: test/api/rate-limit.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig } from '../config/index.ts';
import type { RedisLike } from '../auth/index.ts';
import type { AppDeps } from './deps.ts';
import { createLimiters, rateCounterStore } from './rate-limits.ts';
import { createServer } from 'node:net';
import { once } from 'node:events';

/** A loopback port the kernel just handed out and that nothing listens on any more. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function appWith(store: ReturnType<typeof rateCounterStore>) {
  const config = loadConfig({ REGISTRY_ENV: 'test', REGISTRY_RATE_LIMIT_ENABLED: 'true', REGISTRY_RATE_LIMIT_READ_PER_MINUTE: '2' });
  const refused: string[] = [];
  const deps = {
    config,
    warming: { active: false, served: 0 },
    metrics: { rateLimited: (name: string) => refused.push(name) },
  } as unknown as AppDeps;
  const limitsFor = createLimiters(deps, () => store);
  const app = Fastify();
  const route = { method: 'GET' as const, url: '/thing', limit: 'read' as const, handler: async () => ({ ok: true }) };
  app.route({ method: 'GET', url: '/thing', onRequest: limitsFor(route).onRequest, handler: route.handler });
  return { app, refused };
}

test('reads are counted per address and the third of a limit of two is refused with 429', async () => {
  const { app, refused } = await appWith(rateCounterStore({}));
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ method: 'GET', url: '/thing', remoteAddress: '192.0.2.1' });
    statuses.push([res.statusCode, res.headers['ratelimit-remaining']]);
  }
  assert.deepEqual(statuses.slice(0, 2), [
    [200, '1'],
    [200, '0'],
  ]);
  assert.equal(statuses[2]![0], 429);
  assert.deepEqual(refused, ['read']);
  const other = await app.inject({ method: 'GET', url: '/thing', remoteAddress: '192.0.2.2' });
  assert.equal(other.statusCode, 200, 'another address has a budget of its own');
  await app.close();
});

test('with the shared counters unreachable, requests are served without RateLimit headers, not refused', async () => {
  // A real client of a port nothing listens on, never connected: every command fails at once, as in an outage.
  const redis = new Redis(`redis://127.0.0.1:${await closedPort()}`, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  try {
    const { app, refused } = await appWith(rateCounterStore({ redis: redis as unknown as RedisLike }));
    for (let i = 0; i < 4; i++) {
      const res = await app.inject({ method: 'GET', url: '/thing', remoteAddress: '192.0.2.1' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['ratelimit-limit'], undefined);
    }
    assert.deepEqual(refused, []);
    await app.close();
  } finally {
    redis.disconnect();
  }
});
