/**
 * POST /packages: refusals that need no body come before the body is read, and a client that goes
 * away mid-upload is told apart from a database outage.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, signUp, uniqueName } from '../../helpers/client.ts';
import { gzipBomb, packageTarball } from '../../fixtures/tarballs.ts';
import { publishPackage } from '../../../packages/registry/src/registry/publish.ts';
import { RegistryError } from '../../../packages/core/src/errors.ts';
import { assertNothingLeft, stagingFiles, storeState } from './publish-state.ts';

let r: TestRegistry;
let owner: { username: string; token: string; userId?: number };

before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
});
after(() => r.close());

/**
 * Starts a chunked upload, sends only `first`, and resolves with the response that comes back
 * while the rest of the body has not been sent: no response means the server waited for the body.
 */
function partialUpload(token: string, first: Buffer): Promise<{ res: IncomingMessage; body: string; end: () => void }> {
  const url = new URL(`${r.api}/packages`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/gzip', 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ res, body, end: () => req.destroy() }));
      },
    );
    req.on('error', reject);
    req.write(first);
  });
}

describe('POST /packages: refused before the body is read', () => {
  test('a token without the publish scope gets its 403 while the upload is still unsent', { timeout: 15_000 }, async (t) => {
    const token = await call(`${r.api}/auth/tokens`, { token: owner.token, json: { name: 'read-only', scopes: ['delete'] } });
    assert.equal(token.status, 201, JSON.stringify(token.body));
    const bomb = gzipBomb(600 * 1024 * 1024);
    const before = await storeState(r);
    const started = performance.now();
    const { res, body, end } = await partialUpload(token.body.token, bomb.subarray(0, 16 * 1024));
    const elapsed = performance.now() - started;
    end();
    assert.equal(res.statusCode, 403);
    assert.equal(JSON.parse(body).code, 'token_scope');
    // Generous: inflating this bomb takes seconds; refusing without reading it takes milliseconds.
    assert.ok(elapsed < 2000, `answered in ${elapsed.toFixed(0)} ms`);
    t.diagnostic(`403 for a scope-less token after 16 KiB of a 600 MiB bomb: ${elapsed.toFixed(0)} ms`);
    await assertNothingLeft(r, before);
  });

  test('a publish token limited to packages still has its upload read, to learn the name', async () => {
    const allowed = uniqueName('allowed');
    const token = await call(`${r.api}/auth/tokens`, {
      token: owner.token,
      json: { name: 'ci', scopes: ['publish'], packages: [allowed] },
    });
    const res = await fetch(`${r.api}/packages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.body.token}`, 'content-type': 'application/gzip' },
      body: new Uint8Array(packageTarball({ name: uniqueName('other'), version: '1.0.0' })),
    });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { code: string }).code, 'token_scope');
  });
});

describe('POST /packages: the client goes away mid-upload', () => {
  test('nothing is stored or left staged, and the server keeps serving', async () => {
    const before = await storeState(r);
    const url = new URL(`${r.api}/packages`);
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/gzip', 'content-length': '100000' },
    });
    req.on('error', () => {});
    req.write(packageTarball({ name: uniqueName('gone'), version: '1.0.0' }).subarray(0, 40));
    // Polls of the staging folder, not the clock: the upload is under way once its file exists.
    const settle = async (want: (n: number) => boolean) => {
      for (let i = 0; i < 5000 && !want((await stagingFiles(r)).length); i++) await new Promise((ok) => setImmediate(ok));
    };
    await settle((n) => n > 0);
    req.destroy();
    await settle((n) => n === 0);
    await assertNothingLeft(r, before);
    assert.equal((await call(`${r.api}/packages/${uniqueName('none')}`)).status, 404);
  });

  test('a reset upload stream is upload_aborted (400), not database_unavailable (503)', async () => {
    const body = new PassThrough();
    const actor = {
      userId: 1,
      username: owner.username,
      via: 'session' as const,
      tokenId: null,
      isAdmin: false,
      client: { ip: null, userAgent: null },
      allows: () => true,
      allowsSome: () => true,
      allowsEvery: () => true,
    };
    const publishing = publishPackage({ ...r.registry.deps, limits: r.registry.deps.config.limits }, actor, body);
    body.write(packageTarball({ name: uniqueName('reset'), version: '1.0.0' }).subarray(0, 40));
    body.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    const error: unknown = await publishing.catch((e: unknown) => e);
    assert.ok(error instanceof RegistryError, String(error));
    assert.equal(error.code, 'upload_aborted');
    assert.equal(error.status, 400);
    assert.deepEqual(await stagingFiles(r), []);
  });
});
