/**
 * Webhook deliveries end to end: real changes through the API, a real receiver on loopback that
 * verifies every signature with the `standardwebhooks` package, the registry's clock moved by hand
 * for the retry schedule.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { startReceiver, type Receiver } from '../../helpers/webhook-receiver.ts';

let r: TestRegistry;
let clock = Date.now();
const advance = (ms: number) => void (clock += ms);
let alice: { username: string; token: string };
let bob: { username: string; token: string };

before(async () => {
  r = await startRegistry(
    { REGISTRY_WEBHOOK_ALLOW_PRIVATE: 'true', REGISTRY_WEBHOOK_ALLOW_HTTP: 'true', REGISTRY_WEBHOOK_TIMEOUT_MS: '500' },
    { now: () => new Date(clock) },
  );
  alice = await signUp(r.api);
  bob = await signUp(r.api);
});
after(() => r.close());

async function subscribe(receiver: Receiver, json: Record<string, unknown>, token = alice.token) {
  const res = await call(`${r.api}/webhooks`, { token, json: { url: receiver.url, ...json } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  receiver.setSecret(res.body.secret);
  return res.body as { id: number; secret: string };
}

const ok = async (p: Promise<{ status: number; body: unknown }>, status?: number) => {
  const res = await p;
  if (status) assert.equal(res.status, status, JSON.stringify(res.body));
  else assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${JSON.stringify(res.body)}`);
};

const deliveries = async (id: number) =>
  (await call(`${r.api}/webhooks/${id}/deliveries?per_page=100`, { token: alice.token })).body.results;

describe('every event, once, in order, signed', () => {
  test('a subscription to all of the account gets each change of a package in the order made', async () => {
    const receiver = await startReceiver();
    try {
      const name = uniqueName('events');
      const all = [
        'package.published',
        'version.yanked',
        'version.unyanked',
        'version.deprecated',
        'version.deleted',
        'dist_tag.changed',
        'owner.added',
        'owner.removed',
      ];
      await subscribe(receiver, { events: all });
      await ok(publish(r.api, alice.token, { name, version: '1.0.0' }), 201);
      await ok(publish(r.api, alice.token, { name, version: '1.1.0' }), 201);
      await ok(call(`${r.api}/packages/${name}/1.0.0/yank`, { method: 'PUT', token: alice.token, json: { reason: 'broken' } }));
      await ok(call(`${r.api}/packages/${name}/1.0.0/yank`, { method: 'DELETE', token: alice.token }));
      await ok(
        call(`${r.api}/packages/${name}/1.0.0/deprecation`, {
          method: 'PUT',
          token: alice.token,
          json: { reason: 'security', message: 'upgrade' },
        }),
      );
      await ok(call(`${r.api}/packages/${name}/dist-tags/beta`, { method: 'PUT', token: alice.token, json: { version: '1.1.0' } }));
      await ok(call(`${r.api}/packages/${name}/owners/invitations`, { token: alice.token, json: { username: bob.username } }), 201);
      await ok(call(`${r.api}/auth/invitations/${name}/accept`, { method: 'POST', token: bob.token }));
      await ok(call(`${r.api}/packages/${name}/owners/${bob.username}`, { method: 'DELETE', token: alice.token }));
      await ok(call(`${r.api}/packages/${name}/1.1.0`, { method: 'DELETE', token: alice.token }), 204);
      const expected = [
        'package.published',
        'package.published',
        'version.yanked',
        'version.unyanked',
        'version.deprecated',
        'dist_tag.changed',
        'owner.added',
        'owner.removed',
        'version.deleted',
      ];
      await receiver.waitFor((a) => a.length >= expected.length);
      assert.deepEqual(
        receiver.arrivals.map((a) => a.type),
        expected,
      );
      assert.ok(
        receiver.arrivals.every((a) => a.verified),
        'every delivery verifies with the standardwebhooks package',
      );
      assert.equal(new Set(receiver.arrivals.map((a) => a.id)).size, expected.length, 'one webhook-id per event');
      const [published, , yanked, , , tagged, added, removed, deleted] = receiver.arrivals.map((a) => a.body.data);
      assert.deepEqual(published, { package: name, version: '1.0.0', actor: alice.username });
      assert.equal(yanked.reason, 'broken');
      assert.equal(tagged.tag, 'beta');
      assert.equal(tagged.version, '1.1.0');
      assert.equal(added.owner, bob.username);
      assert.equal(removed.owner, bob.username);
      assert.equal(deleted.version, '1.1.0');
    } finally {
      await receiver.close();
    }
  });

  test('only the events subscribed to, only of the package subscribed to, only to its owners', async () => {
    const receiver = await startReceiver();
    try {
      const mine = uniqueName('mine');
      const other = uniqueName('other');
      await ok(publish(r.api, alice.token, { name: mine, version: '1.0.0' }), 201);
      await ok(publish(r.api, alice.token, { name: other, version: '1.0.0' }), 201);
      const hook = await subscribe(receiver, { events: ['version.yanked'], package: mine });
      await ok(call(`${r.api}/packages/${other}/1.0.0/yank`, { method: 'PUT', token: alice.token, json: {} }));
      await ok(publish(r.api, alice.token, { name: mine, version: '1.0.1' }), 201);
      await ok(call(`${r.api}/packages/${mine}/1.0.0/yank`, { method: 'PUT', token: alice.token, json: {} }));
      await receiver.waitFor((a) => a.length >= 1);
      const ping = await call(`${r.api}/webhooks/${hook.id}/ping`, { method: 'POST', token: alice.token });
      await receiver.waitFor((a) => a.some((x) => x.type === 'ping'));
      assert.deepEqual(
        receiver.arrivals.map((a) => [a.type, a.body.data.package ?? null]),
        [
          ['version.yanked', mine],
          ['ping', null],
        ],
      );
      assert.equal(receiver.arrivals[1]!.id, ping.body.delivery);
    } finally {
      await receiver.close();
    }
  });

  test('a rollback sends nothing: a refused change raises no event', async () => {
    const receiver = await startReceiver();
    try {
      const name = uniqueName('refused');
      await ok(publish(r.api, alice.token, { name, version: '1.0.0' }), 201);
      const hook = await subscribe(receiver, { events: ['package.published'], package: name });
      const again = await publish(r.api, alice.token, { name, version: '1.0.0' });
      assert.equal(again.status, 409);
      assert.deepEqual(await deliveries(hook.id), []);
    } finally {
      await receiver.close();
    }
  });
});

describe('failures', () => {
  test('500 twice then 200: three attempts, the gaps growing as the schedule says', async () => {
    const receiver = await startReceiver();
    receiver.respond = (n, res) => void res.writeHead(n < 2 ? 500 : 200).end(n < 2 ? 'not yet' : 'ok');
    try {
      const name = uniqueName('retry');
      await ok(publish(r.api, alice.token, { name, version: '1.0.0' }), 201);
      const hook = await subscribe(receiver, { events: ['version.yanked'], package: name });
      await ok(call(`${r.api}/packages/${name}/1.0.0/yank`, { method: 'PUT', token: alice.token, json: {} }));
      await receiver.waitFor((a) => a.length === 1);
      const [first] = await waitForAttempt(hook.id, 1);
      assert.equal(first.state, 'pending');
      assert.equal(first.last_status_code, 500);
      const firstGap = Date.parse(first.next_attempt_at) - clock;
      assert.ok(firstGap >= 27_000 && firstGap <= 33_000, `first retry 30 s ± 10 %, got ${firstGap} ms`);
      advance(firstGap - 1_000);
      assert.equal(receiver.arrivals.length, 1, 'not before its time');
      advance(1_000);
      await receiver.waitFor((a) => a.length === 2);
      const [second] = await waitForAttempt(hook.id, 2);
      const secondGap = Date.parse(second.next_attempt_at) - clock;
      assert.ok(secondGap >= 108_000 && secondGap <= 132_000, `second retry 2 min ± 10 %, got ${secondGap} ms`);
      advance(secondGap);
      await receiver.waitFor((a) => a.length === 3);
      const ids = new Set(receiver.arrivals.map((a) => a.id));
      assert.equal(ids.size, 1, 'the same webhook-id on every attempt');
      assert.ok(
        receiver.arrivals.every((a) => a.verified),
        'every attempt verifies',
      );
      const times = receiver.arrivals.map((a) => a.timestamp);
      assert.ok(times[2]! - times[1]! > times[1]! - times[0]!, `gaps grow: ${times.join(', ')}`);
      await waitForState(hook.id, 'delivered');
      const shown = await call(`${r.api}/webhooks/${hook.id}/deliveries/${first.id}`, { token: alice.token });
      assert.deepEqual(
        shown.body.attempts.map((a: { status_code: number }) => a.status_code),
        [200, 500, 500],
      );
      assert.equal(shown.body.attempts[1].response_excerpt, 'not yet');
    } finally {
      await receiver.close();
    }
  });

  test('a receiver that hangs is cut at the timeout and retried', async () => {
    const receiver = await startReceiver();
    receiver.respond = () => 'hang';
    try {
      const name = uniqueName('hang');
      await ok(publish(r.api, alice.token, { name, version: '1.0.0' }), 201);
      const hook = await subscribe(receiver, { events: ['version.yanked'], package: name });
      await ok(call(`${r.api}/packages/${name}/1.0.0/yank`, { method: 'PUT', token: alice.token, json: {} }));
      const [d] = await waitForAttempt(hook.id);
      assert.equal(d.state, 'pending');
      assert.match(d.last_error, /^timeout/);
      assert.equal(d.last_status_code, null);
    } finally {
      await receiver.close();
    }
  });

  test('a redirect is not followed', async () => {
    let followed = 0;
    const target = createServer((_req, res) => {
      followed += 1;
      res.end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const receiver = await startReceiver();
    receiver.respond = (_n, res) =>
      void res.writeHead(302, { location: `http://127.0.0.1:${(target.address() as AddressInfo).port}/` }).end();
    try {
      const name = uniqueName('redirect');
      await ok(publish(r.api, alice.token, { name, version: '1.0.0' }), 201);
      const hook = await subscribe(receiver, { events: ['version.yanked'], package: name });
      await ok(call(`${r.api}/packages/${name}/1.0.0/yank`, { method: 'PUT', token: alice.token, json: {} }));
      const [d] = await waitForAttempt(hook.id);
      assert.match(d.last_error, /^redirect_not_followed/);
      assert.equal(d.last_status_code, 302);
      assert.equal(followed, 0);
    } finally {
      await receiver.close();
      target.close();
    }
  });
});

/** Polls the delivery log (each poll is a real request) until the newest delivery has an attempt. */
async function waitForAttempt(id: number, attempts = 1) {
  for (let i = 0; i < 200; i++) {
    const list = await deliveries(id);
    if (list.length > 0 && list[0].attempts >= attempts) return list;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no attempt recorded');
}

async function waitForState(id: number, state: string) {
  for (let i = 0; i < 200; i++) {
    const list = await deliveries(id);
    if (list[0]?.state === state) return list;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`delivery never reached ${state}`);
}

describe('rotating the secret', () => {
  test('during the grace a receiver holding either secret verifies; after it only the new one', async () => {
    const receiver = await startReceiver();
    try {
      const name = uniqueName('rotate');
      await ok(publish(r.api, alice.token, { name, version: '1.0.0' }), 201);
      const hook = await subscribe(receiver, { events: ['version.yanked'], package: name });
      const rotated = await call(`${r.api}/webhooks/${hook.id}/rotate-secret`, { token: alice.token, json: { grace_hours: 1 } });
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      await ok(call(`${r.api}/webhooks/${hook.id}/ping`, { method: 'POST', token: alice.token }), 202);
      await receiver.waitFor((a) => a.length === 1);
      assert.ok(receiver.arrivals[0]!.verified, 'the old secret still verifies during the grace');
      receiver.setSecret(rotated.body.secret);
      await ok(call(`${r.api}/webhooks/${hook.id}/ping`, { method: 'POST', token: alice.token }), 202);
      await receiver.waitFor((a) => a.length === 2);
      assert.ok(receiver.arrivals[1]!.verified, 'the new secret verifies');
      assert.equal(String(receiver.arrivals[1]!.headers['webhook-signature']).split(' ').length, 2);
      // Past the grace only the new secret signs (the receiver's 5-minute tolerance is not at stake:
      // the ping is signed with the moved clock's time, so only the signature count is checked here).
      advance(3600_000 + 1_000);
      await ok(call(`${r.api}/webhooks/${hook.id}/ping`, { method: 'POST', token: alice.token }), 202);
      await receiver.waitFor((a) => a.length === 3);
      assert.equal(String(receiver.arrivals[2]!.headers['webhook-signature']).split(' ').length, 1);
    } finally {
      await receiver.close();
    }
  });
});

describe('a receiver down for three days', () => {
  test('switches the subscription off with the reason shown to its owner; switching it on again clears it', async () => {
    let time = Date.now();
    const own = await startRegistry(
      { REGISTRY_WEBHOOK_ALLOW_PRIVATE: 'true', REGISTRY_WEBHOOK_ALLOW_HTTP: 'true' },
      { now: () => new Date(time) },
    );
    const receiver = await startReceiver();
    receiver.respond = (_n, res) => void res.writeHead(503).end('down');
    try {
      const user = await signUp(own.api);
      const name = uniqueName('down');
      assert.equal((await publish(own.api, user.token, { name, version: '1.0.0' })).status, 201);
      assert.equal((await publish(own.api, user.token, { name, version: '1.0.1' })).status, 201);
      const hook = (
        await call(`${own.api}/webhooks`, { token: user.token, json: { url: receiver.url, events: ['version.yanked'], package: name } })
      ).body;
      const show = async () => (await call(`${own.api}/webhooks/${hook.id}`, { token: user.token })).body;
      await call(`${own.api}/packages/${name}/1.0.0/yank`, { method: 'PUT', token: user.token, json: {} });
      await receiver.waitFor((a) => a.length === 1);
      const failing = await waitUntil(show, (h) => h.failing_since !== null);
      assert.equal(failing.active, true);
      // Sessions outlive no three days: sign in again once the clock has moved.
      time += 3 * 24 * 3600_000;
      const again = await call(`${own.api}/auth/login`, { json: { username: user.username, password: 'correct-horse-battery-9' } });
      await call(`${own.api}/packages/${name}/1.0.1/yank`, { method: 'PUT', token: again.body.token, json: {} });
      const off = await waitUntil(
        async () => (await call(`${own.api}/webhooks/${hook.id}`, { token: again.body.token })).body,
        (h) => h.active === false,
      );
      assert.match(off.disabled_reason, /failing since/);
      assert.match(off.disabled_reason, /503/);
      const audit = await call(`${own.api}/auth/audit?per_page=100`, { token: again.body.token });
      assert.ok(
        audit.body.results.some((e: { action: string }) => e.action === 'webhook_disabled'),
        'the switch-off is audited',
      );
      const on = await call(`${own.api}/webhooks/${hook.id}`, { method: 'PATCH', token: again.body.token, json: { active: true } });
      assert.equal(on.body.active, true);
      assert.equal(on.body.failing_since, null);
      assert.equal(on.body.disabled_reason, null);
    } finally {
      await receiver.close();
      await own.close();
    }
  });
});

async function waitUntil<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition never held');
}
