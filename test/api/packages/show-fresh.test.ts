/** GET /packages/{name} is served from rendered documents; every change must show at once. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';

let r: TestRegistry;
before(async () => {
  r = await startRegistry();
});
after(() => r.close());

test('the package document shows each publish, download and delete on the next request', async () => {
  const { token } = await signUp(r.api);
  const name = uniqueName('fresh');
  assert.equal((await publish(r.api, token, { name, version: '1.0.0', description: 'first' })).status, 201);
  const doc = async () => (await call(`${r.api}/packages/${name}`)).body;

  const first = await doc();
  assert.deepEqual([first.latest, first.description, first.versions.length, first.downloads], ['1.0.0', 'first', 1, 0]);
  assert.deepEqual(await doc(), first, 'an unchanged package reads the same twice');

  assert.equal((await publish(r.api, token, { name, version: '1.1.0', description: 'second' })).status, 201);
  const published = await doc();
  assert.deepEqual([published.latest, published.description, published.versions.length], ['1.1.0', 'second', 2]);

  assert.equal((await fetch(`${r.api}/packages/${name}/1.1.0/tarball`).then((res) => res.arrayBuffer())).byteLength > 0, true);
  await r.registry.deps.downloads.flush();
  const downloaded = await doc();
  assert.equal(downloaded.downloads, 1);
  assert.equal(downloaded.versions.find((v: { version: string }) => v.version === '1.1.0').downloads, 1);

  assert.equal((await call(`${r.api}/packages/${name}/1.1.0`, { method: 'DELETE', token })).status, 204);
  const deleted = await doc();
  assert.deepEqual([deleted.latest, deleted.versions.map((v: { version: string }) => v.version)], ['1.0.0', ['1.0.0']]);
});

test('the version document shows each yank, download and delete on the next request, and a version published after a 404', async () => {
  const { token } = await signUp(r.api);
  const name = uniqueName('fresh-version');
  const doc = async (version = '1.0.0') => call(`${r.api}/packages/${name}/${version}`);
  assert.equal((await doc()).status, 404, 'before the package exists');
  assert.equal((await publish(r.api, token, { name, version: '1.0.0' })).status, 201);
  const first = await doc();
  assert.deepEqual([first.status, first.body.yanked, first.body.downloads], [200, false, 0]);
  assert.deepEqual((await doc()).body, first.body, 'an unchanged version reads the same twice');

  assert.equal((await call(`${r.api}/packages/${name}/1.0.0/yank`, { method: 'PUT', token, json: { reason: 'broken' } })).status, 200);
  assert.deepEqual([(await doc()).body.yanked, (await doc()).body.yank_reason], [true, 'broken']);

  assert.equal((await fetch(`${r.api}/packages/${name}/1.0.0/tarball`).then((res) => res.arrayBuffer())).byteLength > 0, true);
  await r.registry.deps.downloads.flush();
  assert.equal((await doc()).body.downloads, 1);

  assert.equal((await doc('1.1.0')).status, 404);
  assert.equal((await publish(r.api, token, { name, version: '1.1.0' })).status, 201);
  assert.equal((await doc('1.1.0')).status, 200, 'a kept 404 does not outlive the publish');
  assert.equal((await call(`${r.api}/packages/${name}/1.1.0`, { method: 'DELETE', token })).status, 204);
  assert.equal((await doc('1.1.0')).status, 404, 'deleted is gone on the next request');
});
