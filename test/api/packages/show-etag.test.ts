/**
 * GET /packages/{name} and GET /packages/{name}/{version} revalidation: an ETag on every document,
 * 304 without a body while it is current.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';

let r: TestRegistry;
let owner: { username: string; token: string };

before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
});
after(() => r.close());

const get = (path: string, ifNoneMatch?: string) =>
  fetch(`${r.api}/packages/${path}`, { headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch } });

describe('GET /packages/{name} with If-None-Match', () => {
  test('304 without a body while the document is unchanged; a new version, a yank or a tag gives a new ETag', async () => {
    const name = uniqueName('etag');
    assert.equal((await publish(r.api, owner.token, { name, version: '1.0.0' })).status, 201);
    const first = await get(name);
    const etag = first.headers.get('etag') ?? '';
    assert.equal(first.status, 200);
    assert.match(etag, /^W\/"[A-Za-z0-9_-]+"$/);
    await first.arrayBuffer();

    for (const form of [etag, etag.slice(2), `"other", ${etag}`, '*']) {
      const again = await get(name, form);
      assert.equal(again.status, 304, `If-None-Match: ${form}`);
      assert.equal((await again.arrayBuffer()).byteLength, 0, 'a 304 has no body');
      assert.equal(again.headers.get('etag'), etag);
    }
    assert.equal((await get(name, '"something-else"')).status, 200);

    const seen = new Set([etag]);
    const changes = [
      () => publish(r.api, owner.token, { name, version: '1.1.0' }),
      () => call(`${r.api}/packages/${name}/1.1.0/yank`, { method: 'PUT', token: owner.token, json: { reason: 'bad' } }),
      () => call(`${r.api}/packages/${name}/dist-tags/beta`, { method: 'PUT', token: owner.token, json: { version: '1.0.0' } }),
    ];
    for (const change of changes) {
      const before = [...seen].at(-1)!;
      const res = await change();
      assert.ok(res.status < 300, JSON.stringify(res.body));
      const after = await get(name, before);
      assert.equal(after.status, 200, 'the held copy is stale after a change');
      const next = after.headers.get('etag') ?? '';
      assert.ok(!seen.has(next), `a new ETag after the change (${next})`);
      seen.add(next);
      await after.arrayBuffer();
    }
  });
});

describe('GET /packages/{name}/{version} with If-None-Match', () => {
  test('the tag is a hash of the document: 304 while it is the same, a new tag after a yank or a deprecation', async () => {
    const name = uniqueName('vetag');
    assert.equal((await publish(r.api, owner.token, { name, version: '1.0.0' })).status, 201);
    const path = `${name}/1.0.0`;
    const first = await get(path);
    const etag = first.headers.get('etag') ?? '';
    assert.equal(first.status, 200);
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/, 'a strong tag: the same bytes every time');
    const body = await first.json();
    for (const form of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const again = await get(path, form);
      assert.equal(again.status, 304, `If-None-Match: ${form}`);
      assert.equal((await again.arrayBuffer()).byteLength, 0, 'a 304 has no body');
      assert.equal(again.headers.get('etag'), etag);
    }
    const other = await get(path, '"something-else"');
    assert.equal(other.status, 200);
    assert.deepEqual(await other.json(), body);

    const changes = [
      () => call(`${r.api}/packages/${path}/yank`, { method: 'PUT', token: owner.token, json: { reason: 'broken build' } }),
      () =>
        call(`${r.api}/packages/${path}/deprecation`, {
          method: 'PUT',
          token: owner.token,
          json: { reason: 'deprecated', message: 'use something else' },
        }),
    ];
    let held = etag;
    for (const change of changes) {
      const res = await change();
      assert.ok(res.status < 300, JSON.stringify(res.body));
      const after = await get(path, held);
      assert.equal(after.status, 200, 'the held copy is stale after a change');
      const next = after.headers.get('etag') ?? '';
      assert.notEqual(next, held);
      held = next;
      await after.arrayBuffer();
    }
    const missing = await get(`${name}/9.9.9`, etag);
    assert.equal(missing.status, 404, 'an error is never a 304');
    assert.equal(missing.headers.get('etag'), null);
  });
});
