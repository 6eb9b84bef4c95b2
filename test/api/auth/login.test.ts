import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { hash } from '@node-rs/argon2';
import { insertUser } from '../../../packages/registry/src/db/users.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, PASSWORD, signUp, uniqueName, type Res } from '../../helpers/client.ts';

const DAY = 86_400_000;

let r: TestRegistry;
before(async () => {
  // The production cost (test registries hash at a far cheaper one): the timing test below needs a
  // verify that is slow next to the rest of a request, and the upgrade test a cost to upgrade to.
  r = await startRegistry({ REGISTRY_PASSWORD_HASH_COST: 'm=19456,t=2' });
});
after(async () => {
  await r.close();
});

const login = (json: unknown) => call(`${r.api}/auth/login`, { json });

async function registerOnly(username = uniqueName('login')) {
  const res = await call(`${r.api}/auth/register`, { json: { username, email: `${username}@example.com`, password: PASSWORD } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return username;
}

function assertInvalidCredentials(res: Res) {
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.status, 401);
  assert.equal(res.body.code, 'invalid_credentials');
  for (const key of ['type', 'title', 'detail']) assert.equal(typeof res.body[key], 'string', key);
  assert.equal(res.body.token, undefined);
}

/** A problem body without `instance`, which names the one request (its id) and so differs between any two. */
const withoutInstance = ({ instance: _instance, ...rest }: Record<string, unknown>) => rest;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(json: unknown): Promise<{ ms: number; res: Res }> {
  const start = process.hrtime.bigint();
  const res = await login(json);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, res };
}

describe('POST /auth/login', () => {
  test('200 {token, token_type: "Bearer", expires_at} about 30 days ahead; the token is an HS256 JWT', async () => {
    const username = await registerOnly();
    const before = Date.now();
    const res = await login({ username, password: PASSWORD });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['expires_at', 'token', 'token_type']);
    assert.equal(res.body.token_type, 'Bearer');
    const expires = Date.parse(res.body.expires_at);
    assert.ok(Math.abs(expires - (before + 30 * DAY)) < 60_000, res.body.expires_at);

    assert.equal(decodeProtectedHeader(res.body.token).alg, 'HS256');
    const claims = decodeJwt(res.body.token);
    assert.equal(claims.username, username);
    assert.equal((claims.exp ?? 0) * 1000, expires);
    assert.ok(!res.body.token.includes(PASSWORD));

    const verify = await call(`${r.api}/auth/verify`, { method: 'POST', token: res.body.token });
    assert.equal(verify.status, 200);
    assert.equal(verify.body.username, username);
  });

  test('each login gives a distinct token', async () => {
    const username = await registerOnly();
    const a = await login({ username, password: PASSWORD });
    const b = await login({ username, password: PASSWORD });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.notEqual(a.body.token, b.body.token);
  });

  test('unknown user and wrong password give the same 401 status, headers and body', async () => {
    const username = await registerOnly();
    const wrong = await login({ username, password: `${PASSWORD}-nope` });
    const unknown = await login({ username: uniqueName('ghost'), password: PASSWORD });
    assertInvalidCredentials(wrong);
    assertInvalidCredentials(unknown);
    assert.deepEqual(withoutInstance(unknown.body), withoutInstance(wrong.body));
    assert.equal(unknown.headers.get('www-authenticate'), wrong.headers.get('www-authenticate'));
    assert.equal(unknown.headers.get('content-type'), wrong.headers.get('content-type'));
  });

  test('a deactivated account gets that same 401', async () => {
    const username = await registerOnly();
    await r.registry.deps.db.kysely.updateTable('users').set({ is_active: 0 }).where('username', '=', username).execute();
    const res = await login({ username, password: PASSWORD });
    assertInvalidCredentials(res);
    const wrong = await login({ username: await registerOnly(), password: 'not-the-password-1' });
    assert.deepEqual(withoutInstance(res.body), withoutInstance(wrong.body));
  });

  test('unknown user and wrong password take similar time (a dummy hash is verified)', async () => {
    const username = await registerOnly();
    const wrongPassword = { username, password: `${PASSWORD}-nope` };
    const unknownUser = { username: uniqueName('ghost'), password: `${PASSWORD}-nope` };
    // Warm up both paths, then alternate so load on the machine hits both alike.
    await login(wrongPassword);
    await login(unknownUser);
    const wrongTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const w = await timed(wrongPassword);
      const u = await timed(unknownUser);
      assertInvalidCredentials(w.res);
      assertInvalidCredentials(u.res);
      wrongTimes.push(w.ms);
      unknownTimes.push(u.ms);
    }
    const wrong = median(wrongTimes);
    const unknown = median(unknownTimes);
    // An argon2id verify takes tens of milliseconds; skipping it would make the unknown user ~100x faster.
    // A factor of 4 either way still catches that, and holds on a machine busy with other test processes
    // (at 0.5 it failed once at 57 against 123 ms, three test processes on two cores).
    assert.ok(unknown >= 0.25 * wrong, `unknown-user median ${unknown.toFixed(1)} ms vs wrong-password median ${wrong.toFixed(1)} ms`);
    assert.ok(wrong >= 0.25 * unknown, `wrong-password median ${wrong.toFixed(1)} ms vs unknown-user median ${unknown.toFixed(1)} ms`);
  });

  test('a hash made with older argon2 parameters is replaced by a current one on a successful login, and only then', async () => {
    const username = uniqueName('legacy');
    const db = r.registry.deps.db.kysely;
    // argon2id at 4 MiB and 3 passes: what an older release might have stored.
    const legacy = await hash(PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 3, parallelism: 1 });
    const user = await insertUser(db, { username, email: `${username}@example.com`, passwordHash: legacy, now: new Date().toISOString() });
    assert.equal(typeof user, 'object');
    const stored = async () =>
      (await db.selectFrom('users').select('password_hash').where('username', '=', username).executeTakeFirstOrThrow()).password_hash;

    assertInvalidCredentials(await login({ username, password: `${PASSWORD}-nope` }));
    assert.equal(await stored(), legacy, 'a failed login changes nothing');

    assert.equal((await login({ username, password: PASSWORD })).status, 200);
    const upgraded = await stored();
    assert.notEqual(upgraded, legacy);
    assert.match(upgraded, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(r.registry.deps.passwords.needsRehash(upgraded), false);

    // The new hash is the same password, and a current hash is left alone.
    assert.equal((await login({ username, password: PASSWORD })).status, 200);
    assert.equal(await stored(), upgraded);
    assertInvalidCredentials(await login({ username, password: `${PASSWORD}-nope` }));
  });

  test('a wrong password differing only in case is refused', async () => {
    const username = await registerOnly();
    assertInvalidCredentials(await login({ username, password: PASSWORD.toUpperCase() }));
  });

  for (const field of ['username', 'password'] as const) {
    test(`missing ${field} → 400 validation problem naming it`, async () => {
      const body: Record<string, string> = { username: 'someone', password: PASSWORD };
      delete body[field];
      const res = await login(body);
      assert.equal(res.status, 400);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(res.body.code, 'validation_failed');
      assert.deepEqual(
        res.body.errors.map((e: { field: string }) => e.field),
        [field],
      );
    });
  }

  test('malformed JSON → 400 problem', async () => {
    const res = await call(`${r.api}/auth/login`, {
      method: 'POST',
      body: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.body.status, 400);
  });

  test('the session lifetime is configurable (REGISTRY_JWT_TTL_DAYS)', async () => {
    const short = await startRegistry({ REGISTRY_JWT_TTL_DAYS: '2' });
    try {
      const before = Date.now();
      const { token } = await signUp(short.api);
      const exp = (decodeJwt(token).exp ?? 0) * 1000;
      assert.ok(Math.abs(exp - (before + 2 * DAY)) < 60_000, new Date(exp).toISOString());
    } finally {
      await short.close();
    }
  });
});
