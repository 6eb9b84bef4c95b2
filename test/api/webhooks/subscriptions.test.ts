/** POST/GET/PATCH/DELETE /webhooks: who may subscribe to what, what is checked, and what is shown. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';

let r: TestRegistry;
let owner: { username: string; token: string };
let stranger: { username: string; token: string };
let pkg: string;
const receiver = 'http://127.0.0.1:9/hook';

before(async () => {
  r = await startRegistry({
    REGISTRY_WEBHOOK_ALLOW_PRIVATE: 'true',
    REGISTRY_WEBHOOK_ALLOW_HTTP: 'true',
    REGISTRY_WEBHOOK_MAX_PER_ACCOUNT: '5',
    REGISTRY_LOG_LEVEL: 'error',
  });
  owner = await signUp(r.api);
  stranger = await signUp(r.api);
  pkg = uniqueName('hooked');
  assert.equal((await publish(r.api, owner.token, { name: pkg, version: '1.0.0' })).status, 201);
});
after(() => r.close());

const create = (token: string | undefined, json: unknown) => call(`${r.api}/webhooks`, { token, json });

async function apiToken(token: string, scopes: string[], packages?: string[]) {
  const res = await call(`${r.api}/auth/tokens`, { token, json: { name: uniqueName('tok'), scopes, packages } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token as string;
}

describe('creating a subscription', () => {
  test('an owner subscribes to a package: 201 with the secret shown once, then listed without it', async () => {
    const res = await create(owner.token, { url: receiver, events: ['version.yanked', 'package.published'], package: pkg });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.match(res.body.secret, /^whsec_[A-Za-z0-9+/]{40,}={0,2}$/);
    assert.deepEqual(res.body.events, ['package.published', 'version.yanked']);
    assert.equal(res.body.package, pkg);
    assert.equal(res.body.active, true);
    const shown = await call(`${r.api}/webhooks/${res.body.id}`, { token: owner.token });
    assert.equal(shown.status, 200);
    assert.equal(shown.body.secret, undefined);
    assert.equal(shown.body.url, receiver);
    const list = await call(`${r.api}/webhooks`, { token: owner.token });
    assert.ok(
      list.body.results.some((h: { id: number }) => h.id === res.body.id),
      'listed',
    );
    assert.ok(
      list.body.results.every((h: { secret?: string }) => h.secret === undefined),
      'no secret in the list',
    );
  });

  test('without a package it follows every package of the account', async () => {
    const res = await create(owner.token, { url: receiver, events: ['owner.added'] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.package, null);
    assert.equal((await call(`${r.api}/webhooks/${res.body.id}`, { method: 'DELETE', token: owner.token })).status, 204);
  });

  test('bad bodies: every wrong field named at once, nothing stored', async () => {
    const before = await call(`${r.api}/webhooks`, { token: owner.token });
    const res = await create(owner.token, { url: '', events: ['package.exploded'], extra: 1 });
    assert.equal(res.status, 400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ['events', 'extra', 'url']);
    const empty = await create(owner.token, { url: receiver, events: [] });
    assert.equal(empty.status, 400);
    const ping = await create(owner.token, { url: receiver, events: ['ping'] });
    assert.equal(ping.status, 400, 'ping is sent on request, not subscribed to');
    const after = await call(`${r.api}/webhooks`, { token: owner.token });
    assert.equal(after.body.results.length, before.body.results.length);
  });

  test('a package one does not own is 403 not_owner; a missing one 404', async () => {
    const res = await create(stranger.token, { url: receiver, events: ['version.yanked'], package: pkg });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'not_owner');
    const missing = await create(owner.token, { url: receiver, events: ['version.yanked'], package: uniqueName('nope') });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'package_not_found');
  });

  test('tokens: the "webhooks" scope is needed, and an all-packages subscription needs it without a package limit', async () => {
    const publishOnly = await apiToken(owner.token, ['publish']);
    const refused = await create(publishOnly, { url: receiver, events: ['version.yanked'], package: pkg });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'token_scope');
    const limited = await apiToken(owner.token, ['webhooks'], [pkg]);
    const own = await create(limited, { url: receiver, events: ['version.yanked'], package: pkg });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    const all = await create(limited, { url: receiver, events: ['version.yanked'] });
    assert.equal(all.status, 403);
    assert.equal(all.body.code, 'token_scope');
    assert.equal((await call(`${r.api}/webhooks/${own.body.id}`, { method: 'DELETE', token: limited })).status, 204);
  });

  test('an account holds at most the configured number (409 webhook_limit_reached)', async () => {
    const user = await signUp(r.api);
    for (let i = 0; i < 5; i++) assert.equal((await create(user.token, { url: receiver, events: ['owner.added'] })).status, 201);
    const sixth = await create(user.token, { url: receiver, events: ['owner.added'] });
    assert.equal(sixth.status, 409);
    assert.equal(sixth.body.code, 'webhook_limit_reached');
  });

  test('anonymous is 401', async () => {
    assert.equal((await create(undefined, { url: receiver, events: ['version.yanked'] })).status, 401);
    assert.equal((await call(`${r.api}/webhooks`)).status, 401);
  });
});

describe('changing and deleting', () => {
  test("someone else's webhook is 404, as if it did not exist", async () => {
    const mine = await create(owner.token, { url: receiver, events: ['version.yanked'], package: pkg });
    for (const [method, path, json] of [
      ['GET', '', undefined],
      ['PATCH', '', { active: false }],
      ['DELETE', '', undefined],
      ['POST', '/ping', undefined],
      ['POST', '/rotate-secret', {}],
      ['GET', '/deliveries', undefined],
    ] as const) {
      const res = await call(`${r.api}/webhooks/${mine.body.id}${path}`, { method, token: stranger.token, json });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.code, 'webhook_not_found');
    }
    assert.equal((await call(`${r.api}/webhooks/${mine.body.id}`, { token: owner.token })).status, 200);
  });

  test('PATCH changes url, events and active; switching off records who did it', async () => {
    const hook = (await create(owner.token, { url: receiver, events: ['version.yanked'], package: pkg })).body;
    const off = await call(`${r.api}/webhooks/${hook.id}`, {
      method: 'PATCH',
      token: owner.token,
      json: { active: false, events: ['version.deleted'], url: 'http://127.0.0.1:10/other' },
    });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.equal(off.body.active, false);
    assert.match(off.body.disabled_reason, new RegExp(owner.username));
    assert.deepEqual(off.body.events, ['version.deleted']);
    assert.equal(off.body.url, 'http://127.0.0.1:10/other');
    const on = await call(`${r.api}/webhooks/${hook.id}`, { method: 'PATCH', token: owner.token, json: { active: true } });
    assert.equal(on.body.active, true);
    assert.equal(on.body.disabled_reason, null);
    const nothing = await call(`${r.api}/webhooks/${hook.id}`, { method: 'PATCH', token: owner.token, json: {} });
    assert.equal(nothing.status, 400);
  });

  test('rotating the secret returns a new one and keeps the old signing for the grace period', async () => {
    const hook = (await create(owner.token, { url: receiver, events: ['version.yanked'], package: pkg })).body;
    const rotated = await call(`${r.api}/webhooks/${hook.id}/rotate-secret`, { token: owner.token, json: { grace_hours: 2 } });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.notEqual(rotated.body.secret, hook.secret);
    assert.ok(Date.parse(rotated.body.previous_secret_until) > Date.now() + 3600_000, rotated.body.previous_secret_until);
    const tooLong = await call(`${r.api}/webhooks/${hook.id}/rotate-secret`, { token: owner.token, json: { grace_hours: 1000 } });
    assert.equal(tooLong.status, 400);
  });

  test('DELETE removes it and its deliveries', async () => {
    const hook = (await create(owner.token, { url: receiver, events: ['version.yanked'], package: pkg })).body;
    assert.equal((await call(`${r.api}/webhooks/${hook.id}/ping`, { method: 'POST', token: owner.token })).status, 202);
    assert.equal((await call(`${r.api}/webhooks/${hook.id}`, { method: 'DELETE', token: owner.token })).status, 204);
    assert.equal((await call(`${r.api}/webhooks/${hook.id}`, { token: owner.token })).status, 404);
    const left = await r.registry.deps.db.kysely.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', hook.id).execute();
    assert.deepEqual(left, []);
  });

  test('every change is in the account audit log', async () => {
    const res = await call(`${r.api}/auth/audit?per_page=100`, { token: owner.token });
    const actions = new Set(res.body.results.map((e: { action: string }) => e.action));
    for (const a of ['webhook_create', 'webhook_update', 'webhook_delete', 'webhook_rotate_secret']) assert.ok(actions.has(a), a);
  });
});

describe('the address guard at creation (the default policy)', () => {
  let strict: TestRegistry;
  let user: { username: string; token: string };
  before(async () => {
    strict = await startRegistry();
    user = await signUp(strict.api);
  });
  after(() => strict.close());

  for (const [url, code] of [
    ['http://example.com/hook', 'webhook_url_scheme'],
    ['https://127.0.0.1/hook', 'webhook_url_private'],
    ['https://[::1]/hook', 'webhook_url_private'],
    ['https://169.254.169.254/latest/meta-data', 'webhook_url_private'],
    ['https://10.0.0.1/hook', 'webhook_url_private'],
    ['https://localhost/hook', 'webhook_url_private'],
    ['not a url', 'webhook_url_invalid'],
  ] as const) {
    test(`${url} is refused (${code})`, async () => {
      const res = await call(`${strict.api}/webhooks`, { token: user.token, json: { url, events: ['version.yanked'] } });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, code);
    });
  }
});
