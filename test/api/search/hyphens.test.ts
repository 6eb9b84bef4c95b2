/** Unquoted hyphenated words match their parts, like separate words, with the parts together first. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp } from '../../helpers/client.ts';

let r: TestRegistry;

before(async () => {
  r = await startRegistry();
  const { token } = await signUp(r.api);
  const packages = [
    { name: 'lib-xyz', description: 'The library' },
    { name: 'lib-a-xyz', description: 'Another library' },
    { name: 'http-client', description: 'Requests' },
    { name: 'http-fast-client', description: 'Requests, faster' },
    { name: 'client-tools', description: 'Tools for a client over http' },
    { name: 'lib-only', description: 'Nothing else' },
    // The same words, next to each other in the first only; the second holds one twice, and is newer.
    { name: 'motor-one', description: 'The fast red car' },
    { name: 'motor-two', description: 'Car and red, or red' },
  ];
  for (const pkg of packages) assert.equal((await publish(r.api, token, { ...pkg, version: '1.0.0' })).status, 201);
});
after(() => r.close());

async function names(q: string): Promise<string[]> {
  const res = await call(`${r.api}/search?${new URLSearchParams({ q, per_page: '50' })}`);
  assert.equal(res.status, 200, `${q}: ${JSON.stringify(res.body)}`);
  return res.body.results.map((h: { name: string }) => h.name);
}

test('an unquoted hyphenated word finds packages holding its parts apart, the adjacent ones first', async () => {
  const lib = await names('lib-xyz ');
  assert.deepEqual(lib.slice().sort(), ['lib-a-xyz', 'lib-xyz']);
  assert.equal(lib[0], 'lib-xyz');
  const http = await names('http-client ');
  assert.deepEqual(http.slice().sort(), ['client-tools', 'http-client', 'http-fast-client']);
  assert.equal(http[0], 'http-client');
  // As separate words: the same packages.
  assert.deepEqual((await names('http client ')).sort(), http.slice().sort());
});

test('the parts rank higher next to each other even without the exact-name boost', async () => {
  // As separate words, the description holding red twice wins; written together, adjacency decides.
  assert.deepEqual(await names('red car '), ['motor-two', 'motor-one']);
  assert.deepEqual(await names('red-car '), ['motor-one', 'motor-two']);
  assert.deepEqual(await names('car-red '), ['motor-two', 'motor-one']);
});

test('a quoted phrase stays strict', async () => {
  assert.deepEqual(await names('"lib-xyz" '), ['lib-xyz']);
  assert.deepEqual(await names('"http client" '), ['http-client']);
  assert.deepEqual(await names('"requests faster" '), ['http-fast-client']);
  assert.deepEqual(await names('"faster requests" '), []);
  assert.deepEqual(await names('faster-requests '), ['http-fast-client']);
});

test('the last hyphenated word being typed matches its last part as a prefix', async () => {
  assert.deepEqual((await names('http-cli')).sort(), ['client-tools', 'http-client', 'http-fast-client']);
  assert.deepEqual(await names('-lib-xyz lib'), ['lib-only']);
});
