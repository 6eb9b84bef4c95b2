/** GET /search: what matches, AND/OR/NOT, pagination, exact-name first, bad and hostile queries. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, publish, signUp } from '../helpers/client.ts';

let r: TestRegistry;
let token: string;

const CORPUS = [
  { name: 'http-client', description: 'A fast HTTP client', keywords: ['network', 'http'], author: 'Jane Doe' },
  { name: 'http-server', description: 'Serve HTTP requests', keywords: ['network', 'server'], author: 'John Roe' },
  { name: 'json-parser', description: 'Parse JSON documents quickly', keywords: ['json', 'parse'], author: 'Jane Doe' },
  { name: 'yaml-parser', description: 'Parse YAML', keywords: ['yaml', 'parse'], author: 'Ann Smith' },
  { name: 'legacy-http', description: 'An old client, deprecated', keywords: ['http', 'legacy'], author: 'Bob Stone' },
  { name: 'http', description: 'Meta package', keywords: [], author: 'Carl Vine' },
  { name: 'toml-kit', description: 'Config files', keywords: ['config'], author: 'Dee Eld' },
];
const PAGED = 25;

before(async () => {
  r = await startRegistry();
  ({ token } = await signUp(r.api));
  for (const pkg of CORPUS) {
    const res = await publish(r.api, token, { ...pkg, version: '1.0.0' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  for (let i = 0; i < PAGED; i++) {
    const res = await publish(r.api, token, { name: `paged-${String(i).padStart(2, '0')}`, version: '0.1.0', keywords: ['pagination'] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
});
after(() => r.close());

const search = (params: Record<string, string>) => call(`${r.api}/search?${new URLSearchParams(params)}`);

async function names(q: string): Promise<string[]> {
  const res = await search({ q, per_page: '100' });
  assert.equal(res.status, 200, `${q}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.total, res.body.results.length, q);
  return (res.body.results as { name: string }[]).map((p) => p.name).sort();
}

describe('GET /search', () => {
  test('answers with query, total, page, per_page and result summaries', async () => {
    const res = await search({ q: 'yaml' });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['page', 'per_page', 'query', 'results', 'total']);
    assert.equal(res.body.query, 'yaml');
    assert.equal(res.body.page, 1);
    assert.equal(res.body.per_page, 20);
    assert.equal(res.body.total, 1);
    const [hit] = res.body.results;
    assert.deepEqual(Object.keys(hit).sort(), ['description', 'downloads', 'keywords', 'latest', 'name', 'score']);
    assert.equal(hit.name, 'yaml-parser');
    assert.equal(hit.description, 'Parse YAML');
    assert.equal(hit.latest, '1.0.0');
    assert.deepEqual(hit.keywords, ['yaml', 'parse']);
    assert.equal(hit.downloads, 0);
    assert.equal(typeof hit.score, 'number');
  });

  test('matches the name, the description, the keywords and the author', async () => {
    assert.deepEqual(await names('toml'), ['toml-kit'], 'name');
    assert.deepEqual(await names('documents'), ['json-parser'], 'description');
    assert.deepEqual(await names('network'), ['http-client', 'http-server'], 'keywords');
    assert.deepEqual(await names('jane'), ['http-client', 'json-parser'], 'author');
    assert.deepEqual(await names('Smith'), ['yaml-parser'], 'author, any case');
  });

  test('terms are AND-ed by default', async () => {
    assert.deepEqual(await names('http network'), ['http-client', 'http-server']);
    assert.deepEqual(await names('parse jane'), ['json-parser']);
    assert.deepEqual(await names('parse toml'), []);
  });

  test('OR matches either term', async () => {
    assert.deepEqual(await names('json OR yaml'), ['json-parser', 'yaml-parser']);
    assert.deepEqual(await names('toml OR deprecated OR nothingmatchesthis'), ['legacy-http', 'toml-kit']);
  });

  test('NOT and -term exclude', async () => {
    const expected = ['http', 'http-client', 'http-server'];
    assert.deepEqual(await names('http NOT legacy'), expected);
    assert.deepEqual(await names('http -legacy'), expected);
    assert.deepEqual(await names('parse -yaml'), ['json-parser']);
    assert.deepEqual(await names('NOT pagination'), CORPUS.map((p) => p.name).sort());
  });

  test('an exact name match comes first', async () => {
    const res = await search({ q: 'http' });
    assert.equal(res.status, 200);
    assert.equal(res.body.results[0].name, 'http');
    assert.equal(res.body.total, 4);
    const exact = await search({ q: 'HTTP_Client' });
    assert.equal(exact.body.results[0].name, 'http-client');
  });

  test('pages are consistent: total stays, no duplicates, every match once', async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const res = await search({ q: 'pagination', page: String(page), per_page: '10' });
      assert.equal(res.status, 200);
      assert.equal(res.body.total, PAGED);
      assert.equal(res.body.page, page);
      assert.equal(res.body.per_page, 10);
      assert.equal(res.body.results.length, page < 3 ? 10 : 5);
      seen.push(...res.body.results.map((p: { name: string }) => p.name));
    }
    assert.equal(new Set(seen).size, PAGED);
    assert.deepEqual(
      [...seen].sort(),
      Array.from({ length: PAGED }, (_, i) => `paged-${String(i).padStart(2, '0')}`),
    );
    const beyond = await search({ q: 'pagination', page: '4', per_page: '10' });
    assert.equal(beyond.status, 200);
    assert.equal(beyond.body.total, PAGED);
    assert.deepEqual(beyond.body.results, []);
  });

  test('a missing, empty or blank q is a 400 problem', async () => {
    for (const url of [`${r.api}/search`, `${r.api}/search?q=`, `${r.api}/search?q=%20%20`]) {
      const res = await call(url);
      assert.equal(res.status, 400, url);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(res.body.status, 400);
      assert.ok(res.body.detail);
    }
  });

  test('a query with no word in it is a 400 problem, not a list of everything', async () => {
    for (const q of ['AND', 'OR OR', 'NOT', '- -', '"', '()', '*', '🦀']) {
      const res = await search({ q });
      assert.equal(res.status, 400, q);
      assert.equal(res.body.code, 'search_query_empty', q);
    }
  });

  test('bad paging parameters are 400 problems', async () => {
    const bad: Record<string, string>[] = [{ page: '0' }, { page: '-1' }, { page: 'x' }, { per_page: '0' }, { per_page: '101' }];
    for (const params of bad) {
      const res = await search({ q: 'http', ...params });
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    }
  });

  test('hostile queries are a 400 problem or results, never a 500', async () => {
    const hostile = [
      '"unbalanced',
      'http"',
      '((((',
      ')',
      'AND',
      'OR OR OR',
      'NOT',
      '- - -',
      'x'.repeat(1000),
      'http '.repeat(200),
      "'; DROP TABLE packages; --",
      '*',
      'http*',
      'NEAR(',
      'NEAR(http json, 2)',
      'name:',
      'author:"',
      '{name}: http',
      'json ^ yaml',
      '🦀',
      'http 🦀',
      '\u0000',
      '%',
      '_',
      'column:name',
      'package_search',
    ];
    for (const q of hostile) {
      const res = await search({ q });
      assert.ok(res.status === 200 || res.status === 400, `${JSON.stringify(q)} → ${res.status}`);
      if (res.status === 200) {
        assert.ok(Array.isArray(res.body.results), q);
        assert.equal(typeof res.body.total, 'number', q);
      } else {
        assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, q);
      }
    }
    // The table is still there and answering.
    assert.deepEqual(await names('toml'), ['toml-kit']);
  });

  test('a deleted version stops matching; a package with no versions left is not found', async () => {
    const name = 'vanishing-pkg';
    assert.equal((await publish(r.api, token, { name, version: '1.0.0', keywords: ['stayword'] })).status, 201);
    assert.equal((await publish(r.api, token, { name, version: '2.0.0', keywords: ['goneword'] })).status, 201);
    assert.deepEqual(await names('goneword'), [name]);

    const del = (v: string) => call(`${r.api}/packages/${name}/${v}`, { method: 'DELETE', token });
    assert.equal((await del('2.0.0')).status, 204);
    assert.deepEqual(await names('goneword'), []);
    const hit = await search({ q: 'stayword' });
    assert.equal(hit.body.results[0].latest, '1.0.0');

    assert.equal((await del('1.0.0')).status, 204);
    assert.deepEqual(await names('stayword'), []);
    assert.deepEqual(await names('vanishing'), []);
  });
});
