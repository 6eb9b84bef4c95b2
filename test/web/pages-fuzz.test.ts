/**
 * Property: whatever path parameters and query strings reach the page routes, the answer is an HTML
 * page (or a redirect) and never a 5xx.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { publish, signUp } from '../helpers/client.ts';

let r: TestRegistry;

before(async () => {
  r = await startRegistry();
  const { token } = await signUp(r.api);
  assert.equal((await publish(r.api, token, { name: 'fuzz-page', version: '1.0.0', description: 'for the page fuzzer' })).status, 201);
});
after(() => r.close());

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e300',
    '%',
    '%zz',
    '%00',
    '..',
    'fuzz-page',
    '1.0.0',
    'a'.repeat(300),
    '"unclosed',
    'NOT',
    '-x',
    'name:',
  ),
);
const templates = ['/', '/search', '/packages/{a}', '/packages/{a}/{b}', '/users/{a}', '/login', '/register', '/account', '/{a}/{b}'];

test('page routes, random input: HTML or a redirect, never a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...templates),
      text,
      text,
      fc.dictionary(fc.constantFrom('q', 'page', 'dependents', 'next', 'x'), text, { maxKeys: 3 }),
      async (template, a, b, query) => {
        const clean = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/gu, '\ufffd'));
        const path = template.replace('{a}', clean(a) || 'x').replace('{b}', clean(b) || 'y');
        const url = `${r.url}${path}?${new URLSearchParams(query).toString()}`;
        const res = await fetch(url, { redirect: 'manual' });
        const body = await res.text();
        const where = `GET ${url} → ${res.status} ${body.slice(0, 200)}`;
        assert.ok(res.status < 500, where);
        if (res.status === 303) return;
        // A path the router cannot decode is refused as problem+json before any page route sees it.
        if (/problem\+json/.test(res.headers.get('content-type') ?? '')) return assert.equal(res.status, 400, where);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/, where);
        assert.match(body, /^<!doctype html>/, where);
      },
    ),
    { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
  );
});
