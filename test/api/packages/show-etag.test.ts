/** GET /packages/{name} revalidation: an ETag on every document, 304 without a body while it is current. */
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

const get = (name: string, ifNoneMatch?: string) =>
  fetch(`${r.api}/packages/${name}`, { headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch } });

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
