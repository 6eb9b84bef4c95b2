/** Names that would mislead: route words, Windows device names, look-alikes of popular packages. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';

describe('package name policy at publish', () => {
  let r: TestRegistry;
  let owner: { username: string; token: string };
  let other: { username: string; token: string };
  before(async () => {
    r = await startRegistry();
    owner = await signUp(r.api);
    other = await signUp(r.api);
  });
  after(() => r.close());

  test('a route word cannot be published, so GET /packages/recent stays the list', async () => {
    for (const name of ['recent', 'trending', 'dist-tags', 'logout_all']) {
      const res = await publish(r.api, owner.token, { name, version: '1.0.0' });
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'name_reserved');
      assert.match(res.body.detail, /reserved/);
    }
    const recent = await call(`${r.api}/packages/recent`);
    assert.equal(recent.status, 200);
  });

  test('separator variants of reserved names and Windows device names are refused', async () => {
    for (const name of ['node.modules', 'con', 'nul.js', 'lpt1', 'com1.tar']) {
      const res = await publish(r.api, owner.token, { name, version: '1.0.0' });
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
    }
  });

  test('a new name that looks like a popular package is refused, naming it; its owners may publish it', async () => {
    const popular = `alpha-${uniqueName('pkg')}`;
    assert.equal((await publish(r.api, owner.token, { name: popular, version: '1.0.0' })).status, 201);

    const squat = popular.replace('alpha', 'a1pha');
    const refused = await publish(r.api, other.token, { name: squat, version: '1.0.0' });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'name_lookalike');
    assert.equal(refused.body.similar_to, popular);
    assert.ok(refused.body.detail.includes(`"${popular}"`), refused.body.detail);

    const separators = popular.replace(/-/g, '');
    assert.equal((await publish(r.api, other.token, { name: separators, version: '1.0.0' })).status, 409, 'separators removed');

    const byOwner = await publish(r.api, owner.token, { name: squat, version: '1.0.0' });
    assert.equal(byOwner.status, 201, JSON.stringify(byOwner.body));
    // Already existing now, it is no new name: its owner publishes further versions as usual.
    assert.equal((await publish(r.api, owner.token, { name: squat, version: '1.0.1' })).status, 201);
  });
});
