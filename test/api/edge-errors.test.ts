/**
 * Errors of Fastify itself and of the body parsers leave as problem+json with our own codes, like
 * every other error; and every response carries the basic security headers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, signUp, type Res } from '../helpers/client.ts';

function assertProblem(res: Res, status: number, code: string) {
  const label = `${status} ${code}: ${JSON.stringify(res.body)}`;
  assert.equal(res.status, status, label);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, label);
  assert.equal(res.body.status, status, label);
  assert.equal(res.body.code, code, label);
  assert.equal(typeof res.body.detail, 'string', label);
  assert.doesNotMatch(JSON.stringify(res.body), /FST_|statusCode/, label);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', label);
}

const multipart = (body: string, boundary?: string) => ({
  method: 'POST',
  body,
  headers: { 'content-type': boundary ? `multipart/form-data; boundary=${boundary}` : 'multipart/form-data' },
});

describe("Fastify's own errors as problems", () => {
  let r: TestRegistry;
  let token: string;
  before(async () => {
    r = await startRegistry();
    ({ token } = await signUp(r.api));
  });
  after(() => r.close());

  test('a URL the router cannot decode, a name longer than any name can be', async () => {
    assertProblem(await call(`${r.api}/packages/%ff`), 400, 'bad_url');
    assertProblem(await call(`${r.api}/packages/${'a'.repeat(2000)}`), 414, 'uri_too_long');
  });

  test('bad and empty JSON, an unsupported media type', async () => {
    const login = `${r.api}/auth/login`;
    const json = { 'content-type': 'application/json' };
    assertProblem(await call(login, { method: 'POST', body: '{"username":', headers: json }), 400, 'invalid_json');
    assertProblem(await call(login, { method: 'POST', body: '', headers: json }), 400, 'invalid_json');
    assertProblem(
      await call(login, { method: 'POST', body: '<a/>', headers: { 'content-type': 'application/xml' } }),
      415,
      'unsupported_media_type',
    );
  });

  test('an unknown route is a 404, a wrong method on a known path a 405 with Allow', async () => {
    assertProblem(await call(`${r.api}/nothing-here`), 404, 'route_not_found');
    const put = await call(`${r.api}/packages/some-name`, { method: 'PUT' });
    assertProblem(put, 405, 'method_not_allowed');
    assert.equal(put.headers.get('allow'), 'GET, HEAD');
    const del = await call(`${r.api}/search`, { method: 'DELETE' });
    assertProblem(del, 405, 'method_not_allowed');
    assert.equal(del.headers.get('allow'), 'GET, HEAD');
  });

  test('a multipart publish with no boundary or cut short is a 400, not a 500', async () => {
    const url = `${r.api}/packages`;
    const auth = { authorization: `Bearer ${token}` };
    const noBoundary = multipart('xxxx');
    assertProblem(await call(url, { ...noBoundary, headers: { ...noBoundary.headers, ...auth } }), 400, 'invalid_multipart');
    const head = '--abc\r\nContent-Disposition: form-data; name="tarball"; filename="a.tgz"\r\nContent-Type: application/gzip\r\n\r\n';
    const truncated = multipart(`${head}xxxx`, 'abc');
    assertProblem(await call(url, { ...truncated, headers: { ...truncated.headers, ...auth } }), 400, 'invalid_multipart');
  });

  test('a JSON body over the limit is a 413 that fetch can read', async () => {
    const body = new Uint8Array(8 * 1024 * 1024).fill(0x20);
    const res = await call(`${r.api}/auth/login`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    assertProblem(res, 413, 'body_too_large');
  });

  test('a JSON body over the limit is read to its end before the 413, so the client is not cut off mid-send', async () => {
    const total = 8 * 1024 * 1024;
    const socket = connect(Number(new URL(r.url).port), '127.0.0.1');
    const events: string[] = [];
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
      events.push('data');
    });
    socket.on('end', () => events.push('end'));
    socket.on('error', (e: NodeJS.ErrnoException) => events.push(`error ${e.code}`));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${total}\r\n\r\n`);
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    // Each chunk waits until the previous one reached the kernel, so the server sees a slow sender.
    for (let sent = 0; sent < total && !socket.destroyed; sent += chunk.length) {
      await new Promise<void>((resolve) => socket.write(chunk, () => resolve()));
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(events, [], 'nothing came back, and the socket stayed open, while the body was being sent');
    await new Promise((resolve) => socket.once('end', resolve));
    socket.destroy();
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /connection: close/i);
    assert.match(answer, /"code":"body_too_large"/);
  });
});

describe('security headers', () => {
  let r: TestRegistry;
  before(async () => {
    r = await startRegistry({ REGISTRY_RATE_LIMIT_ENABLED: 'true', REGISTRY_RATE_LIMIT_READ_PER_MINUTE: '4' });
  });
  after(() => r.close());

  test('nosniff on answers, errors and the docs; the docs page may not be framed', async () => {
    for (const path of ['/stats', '/packages/nothing-here', '/nothing', '/openapi.json']) {
      const res = await call(`${r.api}${path}`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    }
    const docs = await call(`${r.api}/docs/`);
    assert.equal(docs.status, 200);
    const csp = docs.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src /);
    assert.equal(docs.headers.get('x-content-type-options'), 'nosniff');
  });

  test('the docs and the OpenAPI document are rate-limited like other reads', async () => {
    const fresh = await startRegistry({ REGISTRY_RATE_LIMIT_ENABLED: 'true', REGISTRY_RATE_LIMIT_READ_PER_MINUTE: '2' });
    try {
      for (const path of ['/openapi.json', '/docs/']) {
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) statuses.push((await call(`${fresh.api}${path}`)).status);
        assert.equal(statuses.at(-1), 429, `${path}: ${statuses.join(',')}`);
      }
    } finally {
      await fresh.close();
    }
  });
});
