import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, PASSWORD, publish, signUp, uniqueName, type Res } from '../helpers/client.ts';

const HOUR_S = 3600;
const DAY_S = 86_400;

/** A registry with rate limits on; limits not given are set high enough not to interfere. */
const limited = (limits: { writePerHour?: number; writePerDay?: number; userPerHour?: number; readPerMinute?: number }) =>
  startRegistry({
    REGISTRY_RATE_LIMIT_ENABLED: 'true',
    REGISTRY_RATE_LIMIT_WRITE_PER_HOUR: String(limits.writePerHour ?? 1000),
    REGISTRY_RATE_LIMIT_WRITE_PER_DAY: String(limits.writePerDay ?? 1000),
    REGISTRY_RATE_LIMIT_USER_PER_HOUR: String(limits.userPerHour ?? 1000),
    REGISTRY_RATE_LIMIT_READ_PER_MINUTE: String(limits.readPerMinute ?? 1000),
  });

async function withRegistry(registry: Promise<TestRegistry>, body: (r: TestRegistry) => Promise<void>) {
  const r = await registry;
  try {
    await body(r);
  } finally {
    await r.close();
  }
}

function rateHeaders(res: Res) {
  const num = (name: string) => {
    const value = res.headers.get(name);
    return value === null ? null : Number(value);
  };
  return {
    limit: num('ratelimit-limit'),
    remaining: num('ratelimit-remaining'),
    reset: num('ratelimit-reset'),
    retryAfter: num('retry-after'),
  };
}

/** A success carrying RateLimit-* headers for this limit and remaining count. */
function assertAllowed(res: Res, status: number, limit: number, remaining: number, windowSeconds: number) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const h = rateHeaders(res);
  assert.equal(h.limit, limit, 'RateLimit-Limit');
  assert.equal(h.remaining, remaining, 'RateLimit-Remaining');
  assert.ok(h.reset !== null && h.reset > 0 && h.reset <= windowSeconds, `RateLimit-Reset ${h.reset}`);
  assert.equal(h.retryAfter, null, 'no Retry-After on a success');
}

/** A 429 problem+json with Retry-After and RateLimit-* headers for this limit and window. */
function assertLimited(res: Res, limit: number, windowSeconds: number) {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.status, 429);
  assert.equal(res.body.code, 'rate_limited');
  assert.equal(res.body.title, 'Too Many Requests');
  assert.equal(typeof res.body.type, 'string');
  assert.equal(typeof res.body.detail, 'string');
  assert.match(res.body.detail, new RegExp(`\\b${limit}\\b`));
  const h = rateHeaders(res);
  assert.equal(h.limit, limit, 'RateLimit-Limit');
  assert.equal(h.remaining, 0, 'RateLimit-Remaining');
  // Retry-After is about the window: the counter started a moment ago.
  assert.ok(h.retryAfter !== null && h.retryAfter > windowSeconds - 120 && h.retryAfter <= windowSeconds, `Retry-After ${h.retryAfter}`);
  assert.equal(h.reset, h.retryAfter, 'RateLimit-Reset');
}

const userCount = async (r: TestRegistry) =>
  Number(
    (
      await r.registry.deps.db.kysely
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const registerBody = (username = uniqueName('rl')) => ({ username, email: `${username}@example.com`, password: PASSWORD });

describe('rate limits', () => {
  test('test mode (default): no limit at all, no RateLimit headers', async () => {
    await withRegistry(startRegistry(), async (r) => {
      const statuses: number[] = [];
      for (let batch = 0; batch < 6; batch++) {
        const responses = await Promise.all(Array.from({ length: 50 }, () => call(`${r.api}/stats`)));
        statuses.push(...responses.map((res) => res.status));
        for (const res of responses) assert.equal(res.headers.get('ratelimit-limit'), null);
      }
      assert.equal(statuses.length, 300);
      assert.deepEqual(new Set(statuses), new Set([200]));
      // Past the default 50 writes an hour, and past the per-user limit for one username.
      const ghost = uniqueName('ghost');
      for (let batch = 0; batch < 6; batch++) {
        const responses = await Promise.all(
          Array.from({ length: 10 }, () => call(`${r.api}/auth/login`, { json: { username: ghost, password: 'wrong-password-1' } })),
        );
        for (const res of responses) assert.equal(res.status, 401);
      }
    });
  });

  test('writes per IP: the (N+1)th gets 429 with Retry-After and RateLimit-*; successes carry the headers; nothing is written', async () => {
    await withRegistry(limited({ writePerHour: 3 }), async (r) => {
      const first = registerBody();
      assertAllowed(await call(`${r.api}/auth/register`, { json: first }), 201, 3, 2, HOUR_S);
      assertAllowed(await call(`${r.api}/auth/login`, { json: { username: first.username, password: PASSWORD } }), 200, 3, 1, HOUR_S);
      assertAllowed(await call(`${r.api}/auth/login`, { json: { username: uniqueName('ghost'), password: PASSWORD } }), 401, 3, 0, HOUR_S);

      const users = await userCount(r);
      const refused = await call(`${r.api}/auth/register`, { json: registerBody() });
      assertLimited(refused, 3, HOUR_S);
      assert.equal(await userCount(r), users, 'the refused registration wrote nothing');
      // Every write route shares the budget.
      assertLimited(await call(`${r.api}/auth/login`, { json: { username: first.username, password: PASSWORD } }), 3, HOUR_S);
      assertLimited(await call(`${r.api}/packages/anything/1.0.0`, { method: 'DELETE' }), 3, HOUR_S);

      // Reads have their own budget and still work.
      assertAllowed(await call(`${r.api}/stats`), 200, 1000, 999, 60);
    });
  });

  test('reads per IP: separate from writes; the (N+1)th read gets 429 and writes still work', async () => {
    await withRegistry(limited({ readPerMinute: 4, writePerHour: 10 }), async (r) => {
      assertAllowed(await call(`${r.api}/stats`), 200, 4, 3, 60);
      assertAllowed(await call(`${r.api}/search?q=anything`), 200, 4, 2, 60);
      assertAllowed(await call(`${r.api}/packages/nothing-here`), 404, 4, 1, 60);
      assertAllowed(await call(`${r.api}/stats`), 200, 4, 0, 60);
      assertLimited(await call(`${r.api}/stats`), 4, 60);
      assertLimited(await call(`${r.api}/packages/nothing-here/1.0.0/tarball`), 4, 60);

      assertAllowed(await call(`${r.api}/auth/register`, { json: registerBody() }), 201, 10, 9, HOUR_S);
    });
  });

  test('writes per IP per day: the tighter limit shows in the headers and refuses the (N+1)th', async () => {
    await withRegistry(limited({ writePerHour: 50, writePerDay: 2 }), async (r) => {
      assertAllowed(await call(`${r.api}/auth/register`, { json: registerBody() }), 201, 2, 1, DAY_S);
      assertAllowed(await call(`${r.api}/auth/register`, { json: registerBody() }), 201, 2, 0, DAY_S);
      const users = await userCount(r);
      assertLimited(await call(`${r.api}/auth/register`, { json: registerBody() }), 2, DAY_S);
      assert.equal(await userCount(r), users);
    });
  });

  test('the headers describe whichever limit is closest to running out', async () => {
    // The hour limit is the tighter one here; the day limit above, the per-user one below.
    await withRegistry(limited({ writePerHour: 2, writePerDay: 50, userPerHour: 40 }), async (r) => {
      assertAllowed(await call(`${r.api}/auth/register`, { json: registerBody() }), 201, 2, 1, HOUR_S);
      assertAllowed(await call(`${r.api}/auth/register`, { json: registerBody() }), 201, 2, 0, HOUR_S);
      assertLimited(await call(`${r.api}/auth/register`, { json: registerBody() }), 2, HOUR_S);
    });
  });

  // Login counts failed attempts only, by account and address: test/api/auth/login-limits.test.ts.

  test('token creation and publish per user: the (N+1)th gets 429 and stores nothing; another user, or another route, is unaffected', async () => {
    await withRegistry(limited({ writePerHour: 40, userPerHour: 2 }), async (r) => {
      const db = r.registry.deps.db.kysely;
      const a = await signUp(r.api);
      let made = 0;
      const create = () => call(`${r.api}/auth/tokens`, { token: a.token, json: { name: `ci-${++made}`, scopes: ['publish'] } });
      assertAllowed(await create(), 201, 2, 1, HOUR_S);
      assertAllowed(await create(), 201, 2, 0, HOUR_S);
      const tokens = (await db.selectFrom('api_tokens').select('id').execute()).length;
      assertLimited(await create(), 2, HOUR_S);
      assert.equal((await db.selectFrom('api_tokens').select('id').execute()).length, tokens);
      // Its publishes have a budget of their own.
      assertAllowed(await publish(r.api, a.token, { name: uniqueName('rl-own'), version: '1.0.0' }), 201, 2, 1, HOUR_S);

      const b = await signUp(r.api);
      for (const version of ['1.0.0', '1.0.1']) {
        const res = await publish(r.api, b.token, { name: uniqueName('rl-pkg'), version });
        assertAllowed(res, 201, 2, version === '1.0.0' ? 1 : 0, HOUR_S);
      }
      const name = uniqueName('rl-refused');
      const blobs = await r.blobFiles();
      assertLimited(await publish(r.api, b.token, { name, version: '1.0.0' }), 2, HOUR_S);
      assert.equal((await call(`${r.api}/packages/${name}`)).status, 404);
      assert.deepEqual(await r.blobFiles(), blobs);
      assert.deepEqual(await readdir(join(r.dir, 'packages', '.staging')).catch(() => []), []);

      const c = await signUp(r.api);
      assert.equal((await publish(r.api, c.token, { name, version: '1.0.0' })).status, 201);
    });
  });
});
