/**
 * advisory.published and advisory.withdrawn reach the affected package's webhooks and those of packages
 * depending on an affected version (by a range that admits one); a dependent outside the range hears nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { startReceiver, type Receiver } from '../../helpers/webhook-receiver.ts';
import { signUpAdmin } from '../admin/admin-helpers.ts';
import { osv } from './osv-fixtures.ts';

let r: TestRegistry;

before(async () => {
  r = await startRegistry({ REGISTRY_WEBHOOK_ALLOW_PRIVATE: 'true', REGISTRY_WEBHOOK_ALLOW_HTTP: 'true' });
});
after(() => r.close());

async function subscribe(receiver: Receiver, token: string, name: string) {
  const res = await call(`${r.api}/webhooks`, {
    token,
    json: { url: receiver.url, events: ['advisory.published', 'advisory.withdrawn'], package: name },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  receiver.setSecret(res.body.secret);
}

test('the affected package and an affected dependent hear the events; a dependent on a fixed range does not', async () => {
  const [libOwner, appOwner, otherOwner] = [await signUp(r.api), await signUp(r.api), await signUp(r.api)];
  const lib = uniqueName('lib');
  const app = uniqueName('app');
  const other = uniqueName('other');
  for (const version of ['1.0.0', '2.0.0']) assert.equal((await publish(r.api, libOwner.token, { name: lib, version })).status, 201);
  assert.equal((await publish(r.api, appOwner.token, { name: app, version: '1.0.0', dependencies: { [lib]: '^1.0.0' } })).status, 201);
  assert.equal((await publish(r.api, otherOwner.token, { name: other, version: '1.0.0', dependencies: { [lib]: '^2.0.0' } })).status, 201);
  const receivers = { lib: await startReceiver(), app: await startReceiver(), other: await startReceiver() };
  try {
    await subscribe(receivers.lib, libOwner.token, lib);
    await subscribe(receivers.app, appOwner.token, app);
    await subscribe(receivers.other, otherOwner.token, other);
    const admin = await signUpAdmin(r);
    const doc = osv({ id: 'GHSA-evts-0001', name: lib, events: [{ introduced: '0' }, { fixed: '2.0.0' }] });
    assert.equal((await call(`${r.api}/advisories`, { token: admin.token, json: doc })).status, 201);
    assert.equal(
      (
        await call(`${r.api}/advisories/GHSA-evts-0001`, {
          method: 'PUT',
          token: admin.token,
          json: { ...doc, withdrawn: '2025-06-03T00:00:00Z' },
        })
      ).status,
      200,
    );

    const both = (arrivals: Receiver['arrivals']) => arrivals.length >= 2;
    await receivers.lib.waitFor(both);
    await receivers.app.waitFor(both);
    for (const [who, receiver] of [
      ['lib', receivers.lib],
      ['app', receivers.app],
    ] as const) {
      assert.deepEqual(
        receiver.arrivals.map((a) => a.type),
        ['advisory.published', 'advisory.withdrawn'],
        `${who} hears both, in order`,
      );
      assert.ok(
        receiver.arrivals.every((a) => a.verified),
        `${who}: signed`,
      );
      assert.equal(receiver.arrivals[0]!.body.data.id, 'GHSA-evts-0001');
    }
    assert.equal(receivers.app.arrivals[0]!.body.data.package, app);
    assert.equal(receivers.app.arrivals[0]!.body.data.affected_package, lib, 'a dependent is told which package is affected');
    assert.deepEqual(receivers.other.arrivals, [], 'a dependent whose range admits no affected version hears nothing');
  } finally {
    for (const receiver of Object.values(receivers)) await receiver.close();
  }
});
