/**
 * A NUL character cannot be stored (PostgreSQL text refuses it), so no name, version or field holds
 * one: every route refuses it with a 400 naming the fix, on every backend, instead of a 500 from the
 * database. Search text is free text and keeps answering.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';

let r: TestRegistry;
let owner: { username: string; token: string };
let name: string;
before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
  name = uniqueName('nul');
  assert.equal((await publish(r.api, owner.token, { name, version: '1.0.0' })).status, 201);
});
after(() => r.close());

const refused = (res: { status: number; body: { code?: string; detail?: string } }, label: string) => {
  assert.equal(res.status, 400, `${label}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.code, 'nul_character', label);
  assert.match(res.body.detail ?? '', /remove it/, label);
};

describe('a NUL character anywhere but search text', () => {
  test('in a path: 400 nul_character on reads and writes', async () => {
    for (const path of [
      '/packages/a%00b',
      '/packages/a%00b/1.0.0',
      `/packages/${name}/1.0%00`,
      '/packages/a%00b/1.0.0/tarball',
      '/packages/a%00b/versions',
      '/packages/a%00b/dist-tags',
      '/packages/a%00b/owners',
    ]) {
      refused(await call(`${r.api}${path}`), path);
    }
    refused(await call(`${r.api}/packages/${name}/1.0%00`, { method: 'DELETE', token: owner.token }), 'delete');
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`)).status, 200, 'the version is still there');
  });

  test('in a JSON body: login, token names and invitations', async () => {
    refused(await call(`${r.api}/auth/login`, { json: { username: 'a\u0000b', password: 'x' } }), 'login');
    refused(await call(`${r.api}/auth/tokens`, { token: owner.token, json: { name: 'ci\u0000', scopes: ['publish'] } }), 'token');
    const invite = await call(`${r.api}/packages/${name}/owners/invitations`, { token: owner.token, json: { username: 'bob\u0000' } });
    refused(invite, 'invitation');
    assert.deepEqual((await call(`${r.api}/auth/tokens`, { token: owner.token })).body.tokens, []);
  });

  test('in a query parameter other than search text', async () => {
    refused(await call(`${r.api}/packages/${name}/audit?page=1%00`, { token: owner.token }), 'audit page');
    const search = await call(`${r.api}/search?q=a%00b`);
    assert.equal(search.status, 200, 'search text turns control characters into spaces');
  });
});
