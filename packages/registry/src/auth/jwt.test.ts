import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { SESSION_CLOCK_SKEW_SECONDS, signSessionToken, verifySessionToken } from './jwt.ts';

const secret = new TextEncoder().encode('a-test-secret-that-is-32-bytes-long!');
const otherSecret = new TextEncoder().encode('another-secret-that-is-32-bytes-long');
const subject = { userId: '42', username: 'alice' };

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('a signed session token verifies back to its user', async () => {
  const now = new Date();
  const { token, expiresAt } = await signSessionToken(subject, { secret, ttlSeconds: 3600, now });
  assert.equal(expiresAt.getTime(), Math.floor(now.getTime() / 1000) * 1000 + 3600_000);
  const claims = await verifySessionToken(token, { secret });
  assert.ok(claims);
  assert.equal(claims.userId, '42');
  assert.equal(claims.username, 'alice');
  assert.equal(claims.expiresAt.getTime(), expiresAt.getTime());
});

test('the token carries the documented header and claims', async () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const { token } = await signSessionToken(subject, { secret, ttlSeconds: 600, now });
  assert.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' });
  const payload = decodeJwt(token);
  assert.equal(payload.sub, '42');
  assert.equal(payload.username, 'alice');
  assert.equal(payload.iss, 'synapse-registry');
  assert.equal(payload.iat, 1893456000);
  assert.equal(payload.exp, 1893456600);
  assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
  const second = await signSessionToken(subject, { secret, ttlSeconds: 600, now });
  assert.notEqual(decodeJwt(second.token).jti, payload.jti, 'each session gets its own jti');
});

test('a token signed with another secret is refused', async () => {
  const { token } = await signSessionToken(subject, { secret: otherSecret, ttlSeconds: 3600 });
  assert.equal(await verifySessionToken(token, { secret }), null);
});

test('a token whose payload was edited is refused', async () => {
  const { token } = await signSessionToken(subject, { secret, ttlSeconds: 3600 });
  const [header, payload, signature] = token.split('.');
  const edited = { ...decodeJwt(token), sub: '1', username: 'admin' };
  assert.notEqual(b64url(edited), payload);
  assert.equal(await verifySessionToken(`${header}.${b64url(edited)}.${signature}`, { secret }), null);
});

test('an expired token is refused', async () => {
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  const { token, expiresAt } = await signSessionToken(subject, { secret, ttlSeconds: 3600, now: twoHoursAgo });
  assert.ok(expiresAt.getTime() < Date.now());
  assert.equal(await verifySessionToken(token, { secret }), null);
  // The same token was good while it lasted, so expiry is what refuses it.
  assert.ok(await verifySessionToken(token, { secret, now: new Date(twoHoursAgo.getTime() + 60_000) }));
});

test('an unsigned alg:none token is refused', async () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: '42', username: 'alice', iss: 'synapse-registry', iat: now, exp: now + 3600, jti: 'x' };
  for (const alg of ['none', 'None', 'NONE']) {
    const header = b64url({ alg, typ: 'JWT' });
    assert.equal(await verifySessionToken(`${header}.${b64url(claims)}.`, { secret }), null, alg);
  }
});

test('a token signed with HS512 under the same secret is refused', async () => {
  const token = await new SignJWT({ username: 'alice' })
    .setProtectedHeader({ alg: 'HS512' })
    .setSubject('42')
    .setIssuer('synapse-registry')
    .setIssuedAt()
    .setExpirationTime('1h')
    .setJti('j')
    .sign(secret);
  assert.equal(await verifySessionToken(token, { secret }), null);
});

test('a correctly signed token from another issuer or missing claims is refused', async () => {
  type Claims = { username?: string; iss?: string; exp?: boolean };
  const sign = ({ username = 'alice', iss = 'synapse-registry', exp = true }: Claims = {}) => {
    const jwt = new SignJWT(username ? { username } : {}).setProtectedHeader({ alg: 'HS256' });
    jwt.setSubject('42').setIssuedAt().setJti('j');
    if (iss) jwt.setIssuer(iss);
    if (exp) jwt.setExpirationTime('1h');
    return jwt.sign(secret);
  };
  assert.ok(await verifySessionToken(await sign(), { secret }), 'control');
  assert.equal(await verifySessionToken(await sign({ iss: 'someone-else' }), { secret }), null, 'other issuer');
  assert.equal(await verifySessionToken(await sign({ iss: '' }), { secret }), null, 'no issuer');
  assert.equal(await verifySessionToken(await sign({ username: '' }), { secret }), null, 'no username');
  assert.equal(await verifySessionToken(await sign({ exp: false }), { secret }), null, 'no exp');
});

test('a hand-made HS256 token with a correct signature verifies, so the refusals above are not about format', async () => {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: '7', username: 'bob', iss: 'synapse-registry', iat: now, exp: now + 60, jti: 'k' })}`;
  const signature = createHmac('sha256', secret).update(input).digest('base64url');
  const claims = await verifySessionToken(`${input}.${signature}`, { secret });
  assert.deepEqual(claims && { userId: claims.userId, username: claims.username }, { userId: '7', username: 'bob' });
});

test('garbage never throws and gives null', async () => {
  const inputs: unknown[] = ['', 'garbage', 'a.b.c', '...', 'eyJhbGciOiJIUzI1NiJ9..', 'x'.repeat(10_000), null, undefined, 42];
  for (const input of inputs) {
    assert.equal(await verifySessionToken(input as string, { secret }), null, String(input).slice(0, 20));
  }
  const { token } = await signSessionToken(subject, { secret, ttlSeconds: 60 });
  assert.equal(await verifySessionToken(token, { secret: new Uint8Array(4) }), null, 'short secret');
});

test('signing refuses a short secret and a non-positive ttl', async () => {
  await assert.rejects(signSessionToken(subject, { secret: new Uint8Array(16), ttlSeconds: 60 }), /at least 32 bytes/);
  await assert.rejects(signSessionToken(subject, { secret, ttlSeconds: 0 }), /ttlSeconds/);
  await assert.rejects(signSessionToken(subject, { secret, ttlSeconds: 1.5 }), /ttlSeconds/);
});

test('the session generation travels in the gen claim; a token without one (issued before it existed) is generation 0', async () => {
  const { token } = await signSessionToken({ ...subject, generation: 3 }, { secret, ttlSeconds: 60 });
  assert.equal(decodeJwt(token).gen, 3);
  assert.equal((await verifySessionToken(token, { secret }))?.generation, 3);
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: '7', username: 'bob', iss: 'synapse-registry', iat: now, exp: now + 60, jti: 'k' })}`;
  const old = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  assert.equal((await verifySessionToken(old, { secret }))?.generation, 0);
});

test('a token issued in the future is refused beyond the clock skew, accepted within it', async () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const ahead = (seconds: number) => signSessionToken(subject, { secret, ttlSeconds: 3600, now: new Date(now.getTime() + seconds * 1000) });
  assert.equal(await verifySessionToken((await ahead(SESSION_CLOCK_SKEW_SECONDS + 5)).token, { secret, now }), null);
  assert.ok(await verifySessionToken((await ahead(SESSION_CLOCK_SKEW_SECONDS - 5)).token, { secret, now }));
});
