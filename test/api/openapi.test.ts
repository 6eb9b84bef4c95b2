/** The OpenAPI document and the rendered reference page, the 404 for unknown routes, the bare 500. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileErrors, validate } from '@readme/openapi-parser';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, publish, signUp, type Json } from '../helpers/client.ts';
import { createChecker } from '../helpers/openapi-check.ts';
import { routes } from '../../packages/registry/src/server/routes.ts';
import { loadConfig } from '../../packages/registry/src/config/index.ts';
import { createRegistry } from '../../packages/registry/src/server/start.ts';

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
    const params = show.parameters
      .filter((p: { in: string }) => p.in === 'path')
      .map((p: { name: string }) => p.name)
      .sort();
    assert.deepEqual(params, ['name', 'version']);
    assert.equal(body.components.securitySchemes.bearer.scheme, 'bearer');
    assert.deepEqual(body.paths['/api/v1/packages/{name}/{version}'].delete.security, [{ bearer: [] }]);
    const search = body.paths['/api/v1/search'].get;
    assert.ok(search.parameters.some((p: { name: string; in: string }) => p.name === 'q' && p.in === 'query'));
  });

  test('the document is valid OpenAPI 3.1 for a validating parser', async () => {
    const { body } = await call(`${r.api}/openapi.json`);
    const result = await validate(body);
    assert.ok(result.valid, result.valid ? '' : compileErrors(result));
    assert.deepEqual(result.warnings, []);
  });

  test('each operation documents the status codes the API really answers with', async () => {
    const { body } = await call(`${r.api}/openapi.json`);
    const statuses = (path: string, method: string) => Object.keys(body.paths[`/api/v1${path}`][method].responses).sort();
    assert.deepEqual(statuses('/auth/register', 'post'), ['201', '400', '409', '413', '415', '429', '500', '503']);
    assert.deepEqual(
      statuses('/packages', 'post').filter((s) => s < '300'),
      ['201'],
    );
    assert.deepEqual(
      statuses('/auth/tokens', 'post').filter((s) => s < '300'),
      ['201'],
    );
    assert.deepEqual(
      statuses('/auth/tokens/{id}', 'delete').filter((s) => s < '300'),
      ['204'],
    );
    assert.deepEqual(
      statuses('/packages/{name}/{version}', 'delete').filter((s) => s < '300'),
      ['204'],
    );
    assert.deepEqual(
      statuses('/packages/{name}/{version}/tarball', 'get').filter((s) => s < '400'),
      ['200', '206', '302', '304'],
    );
    assert.ok(statuses('/packages/{name}/{version}/tarball', 'get').includes('416'));
    assert.equal(body.paths['/api/v1/auth/tokens/{id}'].delete.responses['204'].content, undefined);
  });

  test('every operation has a response schema, and every error is problem+json by $ref', async () => {
    const { body } = await call(`${r.api}/openapi.json`);
    assert.deepEqual(body.components.schemas.Problem.required, ['type', 'title', 'status', 'detail', 'code']);
    for (const [path, operations] of Object.entries<Record<string, { responses: Record<string, Json> }>>(body.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        const ok = Object.keys(operation.responses).filter((s) => s.startsWith('2'));
        assert.ok(ok.length > 0, `${where}: no 2xx`);
        if (method === 'get')
          assert.ok(
            ok.every((s) => operation.responses[s].content),
            `${where}: a 2xx without a body schema`,
          );
        assert.ok(operation.responses['500'], `${where}: no 500`);
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400 || (path.startsWith('/api/v1/health') && status === '503')) continue;
          assert.deepEqual(
            response.content,
            { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
            `${where} ${status}`,
          );
        }
      }
    }
  });

  test('the publish body is documented in its three forms, the form with its "tarball" field', async () => {
    const { body } = await call(`${r.api}/openapi.json`);
    const content = body.paths['/api/v1/packages'].post.requestBody.content;
    assert.ok(content['application/gzip'] && content['application/octet-stream']);
    assert.deepEqual(content['multipart/form-data'].schema.required, ['tarball']);
  });

  const name = `openapi-${process.pid}`;

  test('answers keep every field the views send (the response schemas drop undeclared ones)', async () => {
    const { token } = await signUp(r.api);
    assert.equal((await publish(r.api, token, { name, version: '1.0.0', description: 'd', keywords: ['k'] })).status, 201);
    const version = await call(`${r.api}/packages/${name}/1.0.0`);
    assert.deepEqual(Object.keys(version.body).sort(), [
      'advisories',
      'checksum',
      'deletable_until',
      'delete_refusal',
      'dependencies',
      'deprecation',
      'description',
      'downloads',
      'integrity',
      'keywords',
      'name',
      'published_at',
      'size',
      'tarball_url',
      'version',
      'yank_reason',
      'yanked',
      'yanked_at',
      'yanked_by',
    ]);
    const search = await call(`${r.api}/search?q=${name}&explain=true`);
    assert.equal(search.status, 200);
    assert.deepEqual(Object.keys(search.body.results[0].explain).sort(), [
      'exact_match',
      'exact_terms',
      'popularity',
      'recency',
      'relevance',
      'text',
    ]);
    // A problem keeps its extension members (here the field list of a validation error).
    const invalid = await call(`${r.api}/auth/register`, { json: { username: 'A', email: 'x', password: 'y' } });
    assert.equal(invalid.status, 400);
    assert.ok(invalid.body.errors.length >= 2);
  });

  test('the response checker of the test client refuses undocumented statuses and bodies off their schema', async () => {
    const { body } = await call(`${r.api}/openapi.json`);
    const check = createChecker(body);
    const url = `${r.api}/packages/x/1.0.0`;
    const base = { method: 'GET', url, contentType: 'application/json; charset=utf-8' };
    assert.throws(
      () => check({ ...base, status: 418, body: {}, text: '{}' }),
      /GET \/api\/v1\/packages\/\{name\}\/\{version\} answered 418/,
    );
    assert.throws(() => check({ ...base, status: 200, body: { name: 'x' }, text: '{"name":"x"}' }), /does not match its schema/);
    const version = (await call(`${r.api}/packages/${name}/1.0.0`)).body;
    const extra = { ...version, undocumented: 1 };
    assert.throws(() => check({ ...base, status: 200, body: extra, text: JSON.stringify(extra) }), /must NOT have additional properties/);
    const problem = { type: 't', title: 'Not Found', status: 404, detail: 'd', code: 'version_not_found' };
    assert.throws(
      () => check({ ...base, status: 404, body: problem, text: JSON.stringify(problem) }),
      /application\/json, which is not documented/,
    );
    check({ ...base, contentType: 'application/problem+json', status: 404, body: problem, text: JSON.stringify(problem) });
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
      ['GET', '/api/nothing-here'],
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
      // Through Kysely, whose destroyed driver throws what no code expects. (The routes that read
      // SQLite directly see "the database connection is not open", which answers 503 on purpose.)
      const res = await call(`${broken.api}/packages/anything/versions`);
      assert.equal(res.status, 500);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.deepEqual(Object.keys(res.body).sort(), ['code', 'detail', 'instance', 'status', 'title', 'type']);
      assert.equal(res.body.detail, 'Internal Server Error');
    } finally {
      await broken.close();
    }
  });
});
