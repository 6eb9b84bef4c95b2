/** GET /packages/{name} is served from a per-instance cache: every change must still show at once, even within one millisecond. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';

let r: TestRegistry;
const frozen = new Date('2026-12-03T10:00:00.000Z');

before(async () => {
  r = await startRegistry({}, { now: () => frozen });
});
after(() => r.close());

test('on a frozen clock, a publish of an older version and a yank each show in the next read', async () => {
  const owner = await signUp(r.api);
  const name = uniqueName('frozen');
  const versions = async () => (await call(`${r.api}/packages/${name}`)).body.versions.map((v: { version: string }) => v.version).sort();
  assert.equal((await publish(r.api, owner.token, { name, version: '2.0.0' })).status, 201);
  assert.deepEqual(await versions(), ['2.0.0']);
  assert.equal((await publish(r.api, owner.token, { name, version: '1.0.0' })).status, 201);
  assert.deepEqual(await versions(), ['1.0.0', '2.0.0'], 'the older version shows although latest and the clock did not move');
  assert.equal((await call(`${r.api}/packages/${name}/1.0.0/yank`, { method: 'PUT', token: owner.token, json: {} })).status, 200);
  const doc = (await call(`${r.api}/packages/${name}`)).body;
  assert.ok(doc.versions.find((v: { version: string }) => v.version === '1.0.0').yanked, 'the yank shows');
});
