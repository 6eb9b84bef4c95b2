/** Every error, from every layer, is an RFC 9457 problem: application/problem+json with type, title, status, detail. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, PASSWORD, publish, publishTarball, signUp, uniqueName, type Res } from '../helpers/client.ts';
import { packageTarball } from '../fixtures/tarballs.ts';

function assertProblem(res: Res, status: number, label: string) {
  assert.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, label);
  const body = res.body as Record<string, unknown>;
  assert.equal(typeof body, 'object', label);
  assert.match(String(body.type), /^https?:\/\/\S+$/, `${label}: type is a URI`);
  assert.equal(typeof body.title, 'string', label);
  assert.ok((body.title as string).length > 0, label);
  assert.equal(body.status, status, label);
  assert.equal(typeof body.detail, 'string', label);
  assert.ok((body.detail as string).length > 0, label);
  assert.equal(body.stack, undefined, label);
}

describe('problem+json everywhere', () => {
  let r: TestRegistry;
  let owner: { username: string; token: string };
  let other: { username: string; token: string };
  let name: string;

  before(async () => {
    r = await startRegistry();
    owner = await signUp(r.api);
    other = await signUp(r.api);
    name = uniqueName('errs');
    assert.equal((await publish(r.api, owner.token, { name, version: '1.0.0' })).status, 201);
  });
  after(() => r.close());

  test('400: schema validation, with per-field errors', async () => {
    const res = await call(`${r.api}/auth/register`, { json: {} });
    assertProblem(res, 400, 'register {}');
    assert.ok(Array.isArray(res.body.errors) && res.body.errors.length > 0);
    for (const e of res.body.errors) {
      assert.equal(typeof e.field, 'string');
      assert.equal(typeof e.message, 'string');
    }
  });

  test('400: malformed JSON, a body that is not a tarball, a missing search query', async () => {
    assertProblem(
      await call(`${r.api}/auth/login`, { method: 'POST', body: '{"username":', headers: { 'content-type': 'application/json' } }),
      400,
      'malformed JSON',
    );
    assertProblem(await publishTarball(r.api, owner.token, randomBytes(200)), 400, 'random bytes as a tarball');
    assertProblem(await call(`${r.api}/search`), 400, 'search without q');
  });

  test('401: no token, a bad token, a wrong password', async () => {
    assertProblem(await call(`${r.api}/auth/verify`, { method: 'POST' }), 401, 'verify without a token');
    assertProblem(await call(`${r.api}/auth/verify`, { method: 'POST', token: 'garbage' }), 401, 'verify garbage');
    assertProblem(await publish(r.api, '', { name: uniqueName('anon'), version: '1.0.0' }), 401, 'publish anonymously');
    assertProblem(
      await call(`${r.api}/auth/login`, { json: { username: owner.username, password: `${PASSWORD}x` } }),
      401,
      'wrong password',
    );
  });

  test('403: not an owner', async () => {
    assertProblem(await call(`${r.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: other.token }), 403, 'delete by a stranger');
    assertProblem(await publish(r.api, other.token, { name, version: '9.0.0' }), 403, 'publish by a stranger');
  });

  test('404: unknown route, package, version, tarball', async () => {
    assertProblem(await call(`${r.api}/nope`), 404, 'unknown route');
    assertProblem(await call(`${r.api}/packages/${uniqueName('ghost')}`), 404, 'unknown package');
    assertProblem(await call(`${r.api}/packages/${name}/versions-x/extra`), 404, 'unknown sub-route');
    assertProblem(await call(`${r.api}/packages/${name}/2.0.0`), 404, 'unknown version');
    assertProblem(await call(`${r.api}/packages/${name}/2.0.0/tarball`), 404, 'unknown tarball');
  });

  test('409: a taken username, an existing version', async () => {
    assertProblem(
      await call(`${r.api}/auth/register`, {
        json: { username: owner.username, email: `${uniqueName('e')}@example.com`, password: PASSWORD },
      }),
      409,
      'taken username',
    );
    assertProblem(await publish(r.api, owner.token, { name, version: '1.0.0' }), 409, 'existing version');
  });

  test('415: a body of a type the route does not take', async () => {
    assertProblem(
      await call(`${r.api}/packages`, { method: 'POST', token: owner.token, body: 'hello', headers: { 'content-type': 'text/plain' } }),
      415,
      'text/plain publish',
    );
  });

  test('416: a range outside the tarball', async () => {
    assertProblem(await call(`${r.api}/packages/${name}/1.0.0/tarball`, { headers: { range: 'bytes=999999-' } }), 416, 'range');
  });

  test('500: a failure nobody expected', async () => {
    const broken = await startRegistry();
    try {
      await broken.registry.deps.db.close();
      assertProblem(await call(`${broken.api}/stats`), 500, 'stats without a database');
    } finally {
      await broken.close();
    }
  });

  test('503: a tarball whose blob is missing from storage', async () => {
    const lost = uniqueName('lost');
    const published = await publish(r.api, owner.token, { name: lost, version: '1.0.0' });
    assert.equal(published.status, 201);
    const [blob] = (await r.blobFiles()).filter((f) => f.endsWith(published.body.checksum));
    assert.ok(blob);
    // Lost behind the registry's back, on whichever store this backend uses.
    await r.registry.deps.store.remove(published.body.checksum);
    assertProblem(await call(`${r.api}/packages/${lost}/1.0.0/tarball`), 503, 'blob missing');
  });
});

describe('problem+json under limits', () => {
  let r: TestRegistry;
  before(async () => {
    r = await startRegistry({
      REGISTRY_MAX_TARBALL_BYTES: '4096',
      REGISTRY_RATE_LIMIT_ENABLED: 'true',
      REGISTRY_RATE_LIMIT_READ_PER_MINUTE: '3',
    });
  });
  after(() => r.close());

  test('413: a tarball over the size limit', async () => {
    const { token } = await signUp(r.api);
    const tgz = packageTarball({ name: uniqueName('big'), version: '1.0.0' }, { files: { 'x.bin': randomBytes(8192) } });
    assertProblem(await publishTarball(r.api, token, tgz), 413, 'oversized');
  });

  test('429: too many requests, with Retry-After', async () => {
    let last: Res | undefined;
    for (let i = 0; i < 5; i++) last = await call(`${r.api}/stats`);
    assert.ok(last);
    assertProblem(last, 429, 'rate limited');
    assert.ok(Number(last.headers.get('retry-after')) > 0);
  });
});
