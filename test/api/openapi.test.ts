/** The OpenAPI document and the rendered reference page, the 404 for unknown routes, the bare 500. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call } from '../helpers/client.ts';
import { routes } from '../../src/server/routes.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createRegistry } from '../../src/server/start.ts';

let r: TestRegistry;

before(async () => {
  r = await startRegistry();
});
after(() => r.close());

const openApiPath = (url: string) => `/api/v1${url.replace(/:([a-z_]+)/g, '{$1}')}`;

describe('OpenAPI', () => {
  test('/api/v1/openapi.json is OpenAPI 3.1 and lists every route of the route table', async () => {
    const res = await call(`${r.api}/openapi.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(res.body.openapi, /^3\.1\./);
    assert.ok(res.body.info.title);
    assert.ok(routes.length >= 17);
    for (const route of routes) {
      const path = res.body.paths[openApiPath(route.url)];
      assert.ok(path, `missing path ${openApiPath(route.url)}`);
      assert.ok(path[route.method.toLowerCase()], `missing ${route.method} ${route.url}`);
      assert.ok(path[route.method.toLowerCase()].summary, `no summary for ${route.method} ${route.url}`);
    }
  });

  test('path parameters and the bearer scheme are described', async () => {
    const { body } = await call(`${r.api}/openapi.json`);
    const show = body.paths['/api/v1/packages/{name}/{version}'].get;
    const params = show.parameters.filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name).sort();
    assert.deepEqual(params, ['name', 'version']);
    assert.equal(body.components.securitySchemes.bearer.scheme, 'bearer');
    assert.deepEqual(body.paths['/api/v1/packages/{name}/{version}'].delete.security, [{ bearer: [] }]);
    const search = body.paths['/api/v1/search'].get;
    assert.ok(search.parameters.some((p: { name: string; in: string }) => p.name === 'q' && p.in === 'query'));
  });

  test('/api/v1/docs renders an HTML reference page', async () => {
    const res = await fetch(`${r.api}/docs`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.match(html, /<html/i);
    assert.match(html, /swagger/i);
  });
});

describe('unknown routes and unexpected errors', () => {
  test('an unknown route is a 404 problem', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/nothing-here'],
      ['GET', '/'],
      // A known path with a wrong method is a 405 (test/api/edge-errors.test.ts).
      ['POST', '/api/v1/search/nothing/here'],
      ['DELETE', '/api/v1/packages/x/1.0.0/nothing'],
    ]) {
      const res = await call(`${r.url}${path}`, { method });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(res.body.status, 404);
      assert.equal(res.body.code, 'route_not_found');
      assert.match(res.body.detail, new RegExp(`${method} ${path.replace(/\//g, '\\/')}`));
    }
  });

  test('an error nobody expected is a bare 500 problem: no message, no stack', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synapse-registry-test-'));
    const config = loadConfig({
      REGISTRY_ENV: 'test',
      REGISTRY_DB_URL: 'sqlite::memory:',
      REGISTRY_STORAGE_PATH: join(dir, 'packages'),
      REGISTRY_DATA_DIR: dir,
    });
    const registry = await createRegistry(config);
    try {
      registry.app.get('/boom', async () => {
        throw new Error('secret detail in /srv/internal/file.ts');
      });
      await registry.app.listen({ host: '127.0.0.1', port: 0 });
      const address = registry.app.server.address();
      assert.ok(address && typeof address === 'object');
      const res = await fetch(`http://127.0.0.1:${address.port}/boom`);
      assert.equal(res.status, 500);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const text = await res.text();
      assert.doesNotMatch(text, /secret|\/srv|\.ts|at .*\(/);
      const body = JSON.parse(text);
      assert.equal(body.status, 500);
      assert.equal(body.title, 'Internal Server Error');
      assert.equal(body.detail, 'Internal Server Error');
      assert.equal(body.stack, undefined);
    } finally {
      await registry.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a real route failing unexpectedly (database gone) is a bare 500 too', async () => {
    const broken = await startRegistry();
    try {
      await broken.registry.deps.db.close();
      const res = await call(`${broken.api}/packages/anything`);
      assert.equal(res.status, 500);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.deepEqual(Object.keys(res.body).sort(), ['code', 'detail', 'status', 'title', 'type']);
      assert.equal(res.body.detail, 'Internal Server Error');
    } finally {
      await broken.close();
    }
  });
});
