/**
 * Failed-login limits through real HTTP: guessing is stopped per (account, address), per address and
 * by a large per-account ceiling, and nobody can lock someone else out. Addresses come from
 * X-Forwarded-For (the registry trusts a proxy here). Counters are in-process on SQLite and
 * PostgreSQL, in Redis on postgres-s3, where a second instance must see the first one's counts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry } from '../../../packages/registry/src/server/start.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, PASSWORD, signUp, uniqueName, type Res } from '../../helpers/client.ts';

const HOUR_S = 3600;

interface Limits {
  perAccountIp?: number;
  perIp?: number;
  perAccount?: number;
}

/** Rate limits on, per-address write limits out of the way, login failure limits as given. */
const limited = (limits: Limits) =>
  startRegistry({
    REGISTRY_RATE_LIMIT_ENABLED: 'true',
    REGISTRY_TRUST_PROXY: 'true',
    REGISTRY_RATE_LIMIT_WRITE_PER_HOUR: '10000',
    REGISTRY_RATE_LIMIT_WRITE_PER_DAY: '10000',
    REGISTRY_RATE_LIMIT_USER_PER_HOUR: '10000',
    REGISTRY_RATE_LIMIT_READ_PER_MINUTE: '10000',
    REGISTRY_RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT_IP: String(limits.perAccountIp ?? 1000),
    REGISTRY_RATE_LIMIT_LOGIN_FAILURES_PER_IP: String(limits.perIp ?? 1000),
    REGISTRY_RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: String(limits.perAccount ?? 1000),
  });

async function withRegistry(limits: Limits, body: (r: TestRegistry) => Promise<void>) {
  const r = await limited(limits);
  try {
    await body(r);
  } finally {
    await r.close();
  }
}

const login = (api: string, from: string, username: string, password: string, token?: string) =>
  call(`${api}/auth/login`, { json: { username, password }, token, headers: { 'x-forwarded-for': from } });

const WRONG = 'wrong-password-123';

function assertLimited(res: Res, limit: number) {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, 'rate_limited');
  assert.equal(res.body.token, undefined);
  assert.match(res.body.detail, new RegExp(`\\b${limit}\\b`));
  assert.equal(res.headers.get('ratelimit-limit'), String(limit));
  assert.equal(res.headers.get('ratelimit-remaining'), '0');
  const retry = Number(res.headers.get('retry-after'));
  assert.ok(retry > HOUR_S - 120 && retry <= HOUR_S, `Retry-After ${retry}`);
}

describe('failed-login limits', () => {
  test('per account and address: the (N+1)th attempt is refused, even with the right password; another address logs in', async () => {
    await withRegistry({ perAccountIp: 3 }, async (r) => {
      const { username } = await signUp(r.api);
      for (let i = 0; i < 3; i++) assert.equal((await login(r.api, '10.0.0.1', username, WRONG)).status, 401);
      assertLimited(await login(r.api, '10.0.0.1', username, PASSWORD), 3);
      // However it is spelt, it is the same account.
      assertLimited(await login(r.api, '10.0.0.1', ` ${username.toUpperCase()}`, PASSWORD), 3);

      // The owner elsewhere is not locked out, and that address has a budget of its own.
      const owner = await login(r.api, '10.0.0.2', username, PASSWORD);
      assert.equal(owner.status, 200, JSON.stringify(owner.body));
      assert.equal(typeof owner.body.token, 'string');
      assert.equal((await login(r.api, '10.0.0.2', username, WRONG)).status, 401);
    });
  });

  test('a bearer token of one account buys no guesses at another: attempts count against the username in the body', async () => {
    await withRegistry({ perAccountIp: 3 }, async (r) => {
      const attacker = await signUp(r.api);
      const { username: victim } = await signUp(r.api);
      for (let i = 0; i < 3; i++) assert.equal((await login(r.api, '10.0.1.1', victim, WRONG, attacker.token)).status, 401);
      assertLimited(await login(r.api, '10.0.1.1', victim, WRONG, attacker.token), 3);
      assertLimited(await login(r.api, '10.0.1.1', victim, WRONG), 3);
      // The attacker's own account was never charged.
      assert.equal((await login(r.api, '10.0.1.1', attacker.username, PASSWORD)).status, 200);
    });
  });

  test('registration too is counted against the username in the body, not the bearer token sent along', async () => {
    const r = await startRegistry({ REGISTRY_RATE_LIMIT_ENABLED: 'true', REGISTRY_RATE_LIMIT_USER_PER_HOUR: '2' });
    try {
      const { token } = await signUp(r.api);
      const register = (username: string) =>
        call(`${r.api}/auth/register`, { token, json: { username, email: `${username}@example.com`, password: PASSWORD } });
      const name = uniqueName('reg');
      assert.equal((await register(name)).status, 201);
      assert.equal((await register(name)).status, 409);
      assertLimited(await register(name), 2);
      // Another name has its own budget, though the same token came with it.
      assert.equal((await register(uniqueName('reg'))).status, 201);
    } finally {
      await r.close();
    }
  });

  test("successful logins are no failures: many in a row pass, and one clears the address's failures for that account", async () => {
    await withRegistry({ perAccountIp: 3, perIp: 5 }, async (r) => {
      const { username } = await signUp(r.api);
      for (let i = 0; i < 8; i++) assert.equal((await login(r.api, '10.0.2.1', username, PASSWORD)).status, 200);
      // Two typos, then the right password: the next typos start from zero.
      for (let i = 0; i < 2; i++) assert.equal((await login(r.api, '10.0.2.1', username, WRONG)).status, 401);
      assert.equal((await login(r.api, '10.0.2.1', username, PASSWORD)).status, 200);
      for (let i = 0; i < 3; i++) assert.equal((await login(r.api, '10.0.2.1', username, WRONG)).status, 401);
      assertLimited(await login(r.api, '10.0.2.1', username, WRONG), 3);
    });
  });

  test('per address: guesses spread over many accounts from one address are refused; other addresses are not', async () => {
    await withRegistry({ perAccountIp: 100, perIp: 4 }, async (r) => {
      for (let i = 0; i < 4; i++) assert.equal((await login(r.api, '10.0.3.1', uniqueName('ghost'), WRONG)).status, 401);
      const { username } = await signUp(r.api);
      assertLimited(await login(r.api, '10.0.3.1', username, PASSWORD), 4);
      assert.equal((await login(r.api, '10.0.3.2', username, PASSWORD)).status, 200);
    });
  });

  test('past the per-account ceiling: addresses with failures are refused, a fresh address with the right password gets in', async () => {
    await withRegistry({ perAccountIp: 100, perIp: 100, perAccount: 4 }, async (r) => {
      const { username } = await signUp(r.api);
      for (const from of ['10.0.4.1', '10.0.4.2', '10.0.4.3', '10.0.4.4']) {
        assert.equal((await login(r.api, from, username, WRONG)).status, 401);
      }
      assertLimited(await login(r.api, '10.0.4.1', username, PASSWORD), 4);
      const owner = await login(r.api, '10.0.4.9', username, PASSWORD);
      assert.equal(owner.status, 200, JSON.stringify(owner.body));
      // A fresh address gets its one guess checked, then is refused like the others.
      assert.equal((await login(r.api, '10.0.4.5', username, WRONG)).status, 401);
      assertLimited(await login(r.api, '10.0.4.5', username, PASSWORD), 4);
    });
  });

  test('parallel guesses cannot slip under the limit together', async () => {
    await withRegistry({ perAccountIp: 3 }, async (r) => {
      const { username } = await signUp(r.api);
      const results = await Promise.all(Array.from({ length: 10 }, () => login(r.api, '10.0.5.1', username, WRONG)));
      const statuses = results.map((res) => res.status).sort();
      assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    });
  });

  test('with Redis, a second instance sees the failures counted by the first', async (t) => {
    const r = await limited({ perAccountIp: 3 });
    try {
      if (!r.registry.deps.config.rateLimit.redisUrl) {
        t.skip('needs Redis (REGISTRY_TEST_BACKEND=postgres-s3)');
        return;
      }
      const second = await createRegistry(r.registry.deps.config);
      await second.app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const address = second.app.server.address();
        assert.ok(address !== null && typeof address === 'object');
        const api2 = `http://127.0.0.1:${address.port}/api/v1`;
        const { username } = await signUp(r.api);
        assert.equal((await login(r.api, '10.0.6.1', username, WRONG)).status, 401);
        assert.equal((await login(api2, '10.0.6.1', username, WRONG)).status, 401);
        assert.equal((await login(r.api, '10.0.6.1', username, WRONG)).status, 401);
        assertLimited(await login(api2, '10.0.6.1', username, PASSWORD), 3);
        assert.equal((await login(api2, '10.0.6.2', username, PASSWORD)).status, 200);
      } finally {
        await second.close();
      }
    } finally {
      await r.close();
    }
  });

  test('rate limits off (test mode default): no failed-login limit at all', async () => {
    const r = await startRegistry();
    try {
      const { username } = await signUp(r.api);
      for (let i = 0; i < 40; i++) assert.equal((await login(r.api, '10.0.7.1', username, WRONG)).status, 401);
      assert.equal((await login(r.api, '10.0.7.1', username, PASSWORD)).status, 200);
    } finally {
      await r.close();
    }
  });
});
