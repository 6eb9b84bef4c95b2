/** page / per_page on every list: whole numbers in range, or a 400 that says what to send. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp } from '../../helpers/client.ts';

let r: TestRegistry;

before(async () => {
  r = await startRegistry();
  const { token } = await signUp(r.api);
  for (const name of ['http-one', 'http-two', 'http-three']) {
    assert.equal((await publish(r.api, token, { name, version: '1.0.0', description: 'An http package' })).status, 201);
  }
});
after(() => r.close());

const ROUTES = ['/search?q=http&', '/search/suggest?q=http&', '/packages/trending?', '/packages/recent?'];

const WRONG: Array<[query: string, parameter: string, says: RegExp]> = [
  ['page=1e300', 'page', /page must be a whole number from 1 to 10000 \(got "1e300"\)/],
  ['page=Infinity', 'page', /page must be a whole number from 1 to 10000/],
  ['page=-1', 'page', /page must be a whole number/],
  ['page=0', 'page', /page must be a whole number/],
  ['page=1.5', 'page', /page must be a whole number/],
  ['page=abc', 'page', /page must be a whole number/],
  ['page=0x10', 'page', /page must be a whole number/],
  ['page=%201', 'page', /page must be a whole number/],
  ['page=9007199254740993', 'page', /page must be a whole number/],
  ['page=1&page=2', 'page', /page must be a whole number.*given more than once/],
  ['per_page=1e300', 'per_page', /per_page must be a whole number from 1 to 100 \(got "1e300"\)/],
  ['per_page=101', 'per_page', /per_page must be a whole number from 1 to 100/],
  ['per_page=0', 'per_page', /per_page must be a whole number from 1 to 100/],
  ['per_page=-5', 'per_page', /per_page must be a whole number from 1 to 100/],
  ['per_page=NaN', 'per_page', /per_page must be a whole number from 1 to 100/],
  ['page=10000&per_page=2', 'page', /reaches past result 10000: the last page is 5000/],
  ['page=101&per_page=100', 'page', /the last page is 100/],
];

describe('paging parameters', () => {
  for (const route of ROUTES) {
    test(`${route.split('?')[0]} refuses wrong page and per_page with 400 invalid_query_parameter`, async () => {
      for (const [query, parameter, says] of WRONG) {
        const res = await call(`${r.api}${route}${query}`);
        assert.equal(res.status, 400, `${route}${query}: ${JSON.stringify(res.body)}`);
        assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
        assert.equal(res.body.code, 'invalid_query_parameter', query);
        assert.equal(res.body.parameter, parameter, query);
        assert.match(res.body.detail, says, query);
      }
    });

    test(`${route.split('?')[0]} takes whole numbers in range, the deepest page included`, async () => {
      for (const [query, page, perPage] of [
        ['', 1, route.includes('suggest') ? 10 : 20],
        ['page=2&per_page=1', 2, 1],
        ['page=100&per_page=100', 100, 100],
        ['page=10000&per_page=1', 10000, 1],
        ['page=&per_page=', 1, route.includes('suggest') ? 10 : 20],
      ] as const) {
        const res = await call(`${r.api}${route}${query}`);
        assert.equal(res.status, 200, `${route}${query}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.page, page);
        assert.equal(res.body.per_page, perPage);
      }
    });
  }

  test('paging still pages', async () => {
    const first = await call(`${r.api}/search?q=http&per_page=2`);
    const second = await call(`${r.api}/search?q=http&per_page=2&page=2`);
    assert.equal(first.body.total, 3);
    assert.equal(first.body.results.length, 2);
    assert.equal(second.body.results.length, 1);
    assert.ok(!first.body.results.some((h: { name: string }) => h.name === second.body.results[0].name));
  });
});
