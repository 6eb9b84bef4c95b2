/** `synapse pkg webhook add|ls|ping|deliveries|redeliver|rm` through the real executable, to a real receiver. */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { publish, signUp, uniqueName } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let receiver: Receiver;
let box: Sandbox;
const name = uniqueName('hooked');

before(async () => {
  registry = await startRegistry({ REGISTRY_WEBHOOK_ALLOW_PRIVATE: 'true', REGISTRY_WEBHOOK_ALLOW_HTTP: 'true' });
  receiver = await startReceiver();
  const { token } = await signUp(registry.api);
  assert.equal((await publish(registry.api, token, { name, version: '1.0.0' })).status, 201);
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
  box.env.SYNAPSE_TOKEN = token;
});

after(async () => {
  await receiver.close();
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('synapse pkg webhook', () => {
  test('add prints the secret once; ping arrives signed; deliveries shows it; redeliver sends the same id; rm deletes', async () => {
    const add = await box.run([
      'pkg',
      'webhook',
      'add',
      receiver.url,
      '--event',
      'package.published',
      'version.yanked',
      '--package',
      name,
      '--json',
    ]);
    assert.equal(add.code, 0, add.stderr);
    const created = JSON.parse(add.stdout);
    assert.match(created.secret, /^whsec_/);
    receiver.setSecret(created.secret);

    const ls = await box.run(['pkg', 'webhook', 'ls']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, new RegExp(`${created.id}\\s+${receiver.url.replace(/[.]/g, '\\.')}`));
    assert.match(ls.stdout, /package\.published, version\.yanked · active/);
    assert.doesNotMatch(ls.stdout, /whsec_/);

    const ping = await box.run(['pkg', 'webhook', 'ping', String(created.id)]);
    assert.equal(ping.code, 0, ping.stderr);
    const delivery = /Ping queued as (msg_\S+);/.exec(ping.stdout)?.[1];
    assert.ok(delivery, ping.stdout);
    await receiver.waitFor((a) => a.length === 1);
    assert.equal(receiver.arrivals[0]!.id, delivery);
    assert.ok(receiver.arrivals[0]!.verified, 'the ping verifies');

    let log = '';
    for (let i = 0; i < 100 && !/delivered \(HTTP 204\), 1 attempt/.test(log); i++) {
      log = (await box.run(['pkg', 'webhook', 'deliveries', String(created.id)])).stdout;
    }
    assert.match(log, new RegExp(`${delivery}.*ping.*delivered \\(HTTP 204\\), 1 attempt`));

    const again = await box.run(['pkg', 'webhook', 'redeliver', String(created.id), delivery]);
    assert.equal(again.code, 0, again.stderr);
    await receiver.waitFor((a) => a.length === 2);
    assert.equal(receiver.arrivals[1]!.id, delivery, 'a redelivery keeps the webhook-id');

    const removed = await box.run(['pkg', 'webhook', 'rm', String(created.id)]);
    assert.equal(removed.code, 0, removed.stderr);
    const gone = await box.run(['pkg', 'webhook', 'ping', String(created.id)]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /no webhook with id/);
  });

  test('mistakes are named: a private address, an unknown event, a bad id', async () => {
    const strict = await startRegistry();
    try {
      const { token } = await signUp(strict.api);
      const env = { SYNAPSE_REGISTRY: strict.url, SYNAPSE_TOKEN: token };
      const local = await box.run(['pkg', 'webhook', 'add', 'https://127.0.0.1/hook', '--event', 'version.yanked'], { env });
      assert.equal(local.code, 1);
      assert.match(local.stderr, /private|loopback/i);
      const unknown = await box.run(['pkg', 'webhook', 'add', 'https://ci.example.com/hook', '--event', 'version.exploded'], { env });
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /unknown event "version\.exploded"/);
      const badId = await box.run(['pkg', 'webhook', 'rm', 'abc'], { env });
      assert.equal(badId.code, 1);
      assert.match(badId.stderr, /not a webhook id/);
    } finally {
      await strict.close();
    }
  });
});
