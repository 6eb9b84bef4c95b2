/** GET /search/suggest, /packages/trending and /packages/recent: order, paging, and routing beside /packages/:name. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp } from '../../helpers/client.ts';

let r: TestRegistry;
let token: string;

const NAMES = ['http-client', 'http-server', 'http_proxy', 'httpie', 'json-kit', 'yaml-kit'];

before(async () => {
  r = await startRegistry();
  ({ token } = await signUp(r.api));
  for (const name of NAMES) {
    const res = await publish(r.api, token, { name, version: '1.0.0', description: `The ${name} package` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  assert.equal((await publish(r.api, token, { name: 'json-kit', version: '1.1.0' })).status, 201);
  // Downloads: http-server 3, httpie 1.
  for (const [name, times] of [
    ['http-server', 3],
    ['httpie', 1],
  ] as const) {
    for (let i = 0; i < times; i++) assert.equal((await call(`${r.api}/packages/${name}/1.0.0/tarball`)).status, 200);
  }
  await r.registry.deps.downloads.flush();
});
after(() => r.close());

const get = (path: string, params: Record<string, string> = {}) => call(`${r.api}${path}?${new URLSearchParams(params)}`);

describe('GET /search/suggest', () => {
  test('lists names by prefix, most downloaded first, with paging', async () => {
    const res = await get('/search/suggest', { q: 'http' });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['page', 'per_page', 'query', 'results', 'total']);
    assert.equal(res.body.total, 4);
    assert.deepEqual(
      res.body.results.map((s: { name: string }) => s.name),
      ['http-server', 'httpie', 'http-client', 'http_proxy'],
    );
    assert.deepEqual(Object.keys(res.body.results[0]).sort(), ['description', 'downloads', 'latest', 'name']);
    assert.equal(res.body.results[0].downloads, 3);
    const second = await get('/search/suggest', { q: 'http', per_page: '3', page: '2' });
    assert.equal(second.body.total, 4);
    assert.deepEqual(
      second.body.results.map((s: { name: string }) => s.name),
      ['http_proxy'],
    );
  });

  test('compares like package names: case and separators do not matter', async () => {
    for (const q of ['HTTP_', 'http.', 'http-']) {
      const res = await get('/search/suggest', { q });
      assert.deepEqual(res.body.results.map((s: { name: string }) => s.name).sort(), ['http-client', 'http-server', 'http_proxy'], q);
    }
    assert.deepEqual((await get('/search/suggest', { q: 'zzz' })).body.results, []);
  });

  test('a missing q is a 400 problem; wildcards are plain characters', async () => {
    assert.equal((await get('/search/suggest')).status, 400);
    assert.equal((await get('/search/suggest', { q: '  ' })).status, 400);
    for (const q of ['%', '_', 'h%', '\\']) {
      const res = await get('/search/suggest', { q });
      assert.equal(res.status, 200, q);
      assert.deepEqual(res.body.results, [], q);
    }
  });
});

describe('GET /packages/trending', () => {
  test('ranks packages by downloads gained over the week before', async () => {
    const db = r.registry.deps.db.kysely;
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
    const versionId = async (name: string) =>
      (
        await sql<{
          id: number;
        }>`SELECT v.id FROM versions v JOIN packages p ON p.id = v.package_id WHERE p.name = ${name} AND v.version = '1.0.0'`.execute(db)
      ).rows[0]!.id;
    // yaml-kit: 5 → 50 (+45); json-kit: 0 → 20 (+20); http-client: 30 → 10 (falling).
    const history: [string, number, number][] = [
      ['yaml-kit', 10, 5],
      ['yaml-kit', 2, 50],
      ['json-kit', 3, 20],
      ['http-client', 9, 30],
      ['http-client', 1, 10],
    ];
    for (const [name, ago, count] of history) {
      await sql`INSERT INTO download_counts (version_id, day, count) VALUES (${await versionId(name)}, ${day(ago)}, ${count})`.execute(db);
    }
    // The refresh notices a change through the download log; one more download makes one.
    assert.equal((await call(`${r.api}/packages/json-kit/1.0.0/tarball`)).status, 200);
    await r.registry.deps.downloads.flush();
    // A GET never writes: until the background refresher runs, trending shows what it last computed.
    const stale = await get('/packages/trending');
    assert.equal(stale.status, 200);
    assert.notEqual(stale.body.results[0]?.name, 'yaml-kit');
    await r.registry.popularity.refresh();
    const res = await get('/packages/trending');
    assert.equal(res.status, 200);
    const rows = res.body.results as { name: string; growth: number; downloads_last_week: number; downloads_prior_week: number }[];
    assert.deepEqual(
      rows.slice(0, 2).map((t) => [t.name, t.growth, t.downloads_prior_week]),
      [
        ['yaml-kit', 45, 5],
        ['json-kit', 21, 0],
      ],
    );
    assert.ok(!rows.some((t) => t.name === 'http-client'), 'a falling package is not trending');
    assert.equal(res.body.total, rows.length);
    const paged = await get('/packages/trending', { per_page: '1', page: '2' });
    assert.equal(paged.body.results[0].name, 'json-kit');
    assert.equal(paged.body.total, res.body.total);
  });
});

describe('GET /packages/recent', () => {
  test('lists publishes newest first, one per version, and forgets deleted ones', async () => {
    const res = await get('/packages/recent', { per_page: '3' });
    assert.equal(res.status, 200);
    assert.equal(res.body.total, NAMES.length + 1);
    assert.deepEqual(
      res.body.results.map((p: { name: string; version: string }) => `${p.name}@${p.version}`),
      ['json-kit@1.1.0', 'yaml-kit@1.0.0', 'json-kit@1.0.0'],
    );
    assert.deepEqual(Object.keys(res.body.results[0]).sort(), ['description', 'name', 'published_at', 'version']);
    assert.equal((await call(`${r.api}/packages/json-kit/1.1.0`, { method: 'DELETE', token })).status, 204);
    const after = await get('/packages/recent', { per_page: '1' });
    assert.equal(after.body.total, NAMES.length);
    assert.equal(after.body.results[0].name, 'yaml-kit');
  });

  test('static segments win over /packages/:name, which still serves packages', async () => {
    assert.equal((await get('/packages/recent')).status, 200);
    assert.equal((await get('/packages/trending')).status, 200);
    const pkg = await call(`${r.api}/packages/httpie`);
    assert.equal(pkg.status, 200);
    assert.equal(pkg.body.name, 'httpie');
  });

  test('bad paging is a 400 problem on every list', async () => {
    for (const path of ['/packages/recent', '/packages/trending', '/search/suggest']) {
      for (const params of [{ page: '0' }, { per_page: '101' }, { page: 'x' }] as Record<string, string>[]) {
        const res = await get(path, { q: 'http', ...params });
        assert.equal(res.status, 400, `${path} ${JSON.stringify(params)}`);
        assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      }
    }
  });
});
