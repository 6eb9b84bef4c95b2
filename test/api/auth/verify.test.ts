import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, signUp, type Res } from '../../helpers/client.ts';

let r: TestRegistry;
let user: { username: string; token: string };
before(async () => {
  r = await startRegistry();
  user = await signUp(r.api);
});
after(async () => {
  await r.close();
});

const verify = (headers: Record<string, string> = {}) => call(`${r.api}/auth/verify`, { method: 'POST', headers });
const verifyToken = (token: string) => verify({ authorization: `Bearer ${token}` });

function assertUnauthorized(res: Res) {
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.headers.get('www-authenticate'), 'Bearer');
  assert.equal(res.body.status, 401);
  assert.equal(res.body.code, 'unauthorized');
  for (const key of ['type', 'title', 'detail']) assert.equal(typeof res.body[key], 'string', key);
  assert.equal(res.body.valid, undefined);
  assert.equal(res.body.username, undefined);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A session token as the registry would sign it, with overrides for the claims under test. */
async function sign(
  options: { secret?: Uint8Array; exp?: number; iat?: number; alg?: string; issuer?: string; sub?: string; username?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  const claims = decodeJwt(user.token);
  return new SignJWT({ username: options.username ?? user.username })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(options.sub ?? String(claims.sub))
    .setIssuer(options.issuer ?? String(claims.iss))
    .setIssuedAt(options.iat ?? now)
    .setExpirationTime(options.exp ?? now + 3600)
    .setJti(randomUUID())
    .sign(options.secret ?? r.registry.deps.secret);
}

async function createApiToken(session: string, body: Record<string, unknown> = { name: 'ci', scopes: ['publish'] }) {
  const res = await call(`${r.api}/auth/tokens`, { token: session, json: body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: number; token: string };
}

describe('POST /auth/verify', () => {
  test('a valid session token → 200 {valid: true, username, expires_at}', async () => {
    const res = await verifyToken(user.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.valid, true);
    assert.equal(res.body.username, user.username);
    assert.equal(res.body.expires_at, new Date((decodeJwt(user.token).exp ?? 0) * 1000).toISOString());
  });

  test('a token we sign ourselves with the registry secret is accepted (the forging helper is sound)', async () => {
    const res = await verifyToken(await sign());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.username, user.username);
  });

  test('the Bearer scheme is case-insensitive', async () => {
    const res = await verify({ authorization: `bearer ${user.token}` });
    assert.equal(res.status, 200);
  });

  test('missing Authorization header → 401', async () => {
    assertUnauthorized(await verify());
  });

  const malformedHeaders: [string, () => string][] = [
    ['empty', () => ''],
    ['scheme only', () => 'Bearer'],
    ['another scheme', () => `Basic ${Buffer.from('user:pass').toString('base64')}`],
    ['no scheme', () => user.token],
    ['two tokens', () => `Bearer ${user.token} ${user.token}`],
  ];
  for (const [label, header] of malformedHeaders) {
    test(`malformed Authorization header (${label}) → 401`, async () => {
      assertUnauthorized(await verify({ authorization: header() }));
    });
  }

  const malformedTokens: [string, string][] = [
    ['not a JWT', 'hello'],
    ['three junk parts', 'abc.def.ghi'],
    ['two parts', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0'],
    ['an API-token look-alike that was never issued', `syn_${'A'.repeat(40)}`],
  ];
  for (const [label, token] of malformedTokens) {
    test(`malformed token (${label}) → 401`, async () => {
      assertUnauthorized(await verifyToken(token));
    });
  }

  test('tampered payload (username changed, signature kept) → 401', async () => {
    const [header, payload, signature] = user.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${header}.${b64url({ ...claims, username: 'admin', sub: '1' })}.${signature}`;
    assertUnauthorized(await verifyToken(forged));
  });

  test('tampered signature (one character flipped) → 401', async () => {
    const [header, payload, signature] = user.token.split('.') as [string, string, string];
    const flipped = (signature[5] === 'A' ? 'B' : 'A') + signature.slice(6);
    assertUnauthorized(await verifyToken(`${header}.${payload}.${signature.slice(0, 5)}${flipped}`));
  });

  test('expired (signed with the registry secret, exp in the past) → 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    assertUnauthorized(await verifyToken(await sign({ iat: now - 7200, exp: now - 60 })));
  });

  test('issued in the future beyond the clock skew (iat ten minutes ahead) → 401, also where a session is required', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ahead = await sign({ iat: now + 600, exp: now + 3600 });
    assertUnauthorized(await verifyToken(ahead));
    assert.equal((await call(`${r.api}/auth/tokens`, { token: ahead })).status, 401);
  });

  test("issued a few seconds ahead (another host's clock) is still accepted", async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await verifyToken(await sign({ iat: now + 20, exp: now + 3600 }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  test('wrongly signed (another secret) → 401', async () => {
    assertUnauthorized(await verifyToken(await sign({ secret: randomBytes(32) })));
  });

  test('signed with the right secret but HS512 → 401 (only HS256 is accepted)', async () => {
    assertUnauthorized(await verifyToken(await sign({ alg: 'HS512' })));
  });

  test('another issuer → 401', async () => {
    assertUnauthorized(await verifyToken(await sign({ issuer: 'someone-else' })));
  });

  test('alg: none (unsigned) → 401', async () => {
    const claims = decodeJwt(user.token);
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
    assertUnauthorized(await verifyToken(unsigned));
    // And with the original signature left on.
    const withSignature = unsigned + user.token.split('.')[2];
    assertUnauthorized(await verifyToken(withSignature));
  });

  test('a session for a user who no longer exists → 401', async () => {
    assertUnauthorized(await verifyToken(await sign({ sub: '999999', username: 'nobody-here' })));
  });

  test('a session of a deactivated account → 401', async () => {
    const other = await signUp(r.api);
    assert.equal((await verifyToken(other.token)).status, 200);
    await r.registry.deps.db.kysely.updateTable('users').set({ is_active: 0 }).where('username', '=', other.username).execute();
    assertUnauthorized(await verifyToken(other.token));
  });

  test('an API token verifies too', async () => {
    const created = await createApiToken(user.token, { name: 'verify-me', scopes: ['publish'], expires_in_days: 7 });
    const res = await verifyToken(created.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.valid, true);
    assert.equal(res.body.username, user.username);
    const expires = Date.parse(res.body.expires_at);
    assert.ok(Math.abs(expires - (Date.now() + 7 * 86_400_000)) < 60_000, res.body.expires_at);
  });

  test('a revoked API token → 401', async () => {
    const created = await createApiToken(user.token);
    assert.equal((await verifyToken(created.token)).status, 200);
    const revoke = await call(`${r.api}/auth/tokens/${created.id}`, { method: 'DELETE', token: user.token });
    assert.equal(revoke.status, 204);
    assertUnauthorized(await verifyToken(created.token));
  });

  test('an expired API token → 401', async () => {
    const created = await createApiToken(user.token, { name: 'short', scopes: ['publish'], expires_in_days: 1 });
    await r.registry.deps.db.kysely
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', created.id)
      .execute();
    assertUnauthorized(await verifyToken(created.token));
  });

  test('an API token with one character changed → 401', async () => {
    const created = await createApiToken(user.token);
    const last = created.token.at(-1) === 'a' ? 'b' : 'a';
    assertUnauthorized(await verifyToken(created.token.slice(0, -1) + last));
  });
});
