/** Reserved names: admins reserve and release them; publishing one as a new package is refused. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { apiToken, assertProblem, auditRows, signUpAdmin, type User } from './admin-helpers.ts';

let r: TestRegistry;
let admin: User;
let user: User;

before(async () => {
  r = await startRegistry();
  admin = await signUpAdmin(r);
  user = await signUp(r.api);
});
after(() => r.close());

const url = (name: string) => `${r.api}/admin/reserved-names/${name}`;
const reserve = (name: string, token: string | undefined, json: unknown = {}) => call(url(name), { method: 'PUT', token, json });
const reservations = () => r.registry.deps.db.kysely.selectFrom('reserved_names').selectAll().orderBy('canonical_name').execute();

describe('PUT /admin/reserved-names/{name}', () => {
  test('an admin reserves a name; publishing it, in any spelling, is refused with 403 name_reserved', async () => {
    const name = uniqueName('held');
    const res = await reserve(name, admin.token, { reason: 'kept for the core team' });
    assert.equal(res.status, 201);
    assert.equal(res.body.name, name);
    assert.equal(res.body.reason, 'kept for the core team');
    assert.equal(res.body.reserved_by, admin.username);
    assert.ok(!Number.isNaN(Date.parse(res.body.created_at)));

    const entries = await auditRows(r);
    const blobs = await r.blobFiles();
    for (const spelling of [name, name.replace(/-/g, '_'), name.replace(/-/g, '.')]) {
      const refused = await publish(r.api, user.token, { name: spelling, version: '1.0.0' });
      assertProblem(
        refused,
        403,
        'name_reserved',
        /reserved by the registry's admins \(kept for the core team\); choose another name, or ask an admin to release it/,
      );
    }
    const adminPublish = await publish(r.api, admin.token, { name, version: '1.0.0' });
    assertProblem(adminPublish, 403, 'name_reserved');
    assert.equal((await call(`${r.api}/packages/${name}`)).status, 404);
    assert.equal(
      await r.registry.deps.db.kysely.selectFrom('packages').select('id').where('name', '=', name).executeTakeFirst(),
      undefined,
    );
    assert.deepEqual(await auditRows(r), entries, 'a refused publish writes no entry');
    assert.deepEqual((await r.blobFiles()).sort(), blobs.sort(), 'and leaves no blob');
  });

  test('reserving again changes the reason (200) and is audited only when something changed', async () => {
    const name = uniqueName('again');
    assert.equal((await reserve(name, admin.token)).status, 201);
    const first = (await reservations()).find((row) => row.name === name)!;
    assert.equal(first.reason, null, 'no reason given');
    const before = (await auditRows(r)).length;
    const same = await reserve(name, admin.token, {});
    assert.equal(same.status, 200);
    assert.equal((await auditRows(r)).length, before, 'nothing changed, nothing audited');
    const changed = await reserve(name, admin.token, { reason: 'trademark' });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.reason, 'trademark');
    assert.equal(changed.body.created_at, first.created_at);
    const entries = await auditRows(r);
    assert.equal(entries.length, before + 1);
    const last = entries.at(-1)!;
    assert.equal(last.action, 'name_reserve');
    assert.equal(last.actor_username, admin.username);
    assert.deepEqual(JSON.parse(last.details), { name, reason: 'trademark' });
  });

  test("refusals: no login, not an admin, an admin's API token, an existing package, a bad name or reason; nothing changes", async () => {
    const name = uniqueName('nope');
    const taken = uniqueName('taken');
    assert.equal((await publish(r.api, user.token, { name: taken, version: '1.0.0' })).status, 201);
    const adminToken = await apiToken(r, admin.token, ['publish']);
    const userToken = await apiToken(r, user.token, ['publish']);
    const rows = await reservations();
    const entries = await auditRows(r);

    assertProblem(await reserve(name, undefined, {}), 401, 'unauthorized');
    assertProblem(await reserve(name, user.token, {}), 403, 'admin_required', /npm run admin -- grant NAME/);
    assertProblem(await reserve(name, userToken, {}), 403, 'admin_required');
    assertProblem(await reserve(name, adminToken, {}), 403, 'session_required', /log in with your password/);
    assertProblem(await reserve(taken, admin.token, {}), 409, 'package_exists', /lock it instead/);
    assertProblem(await reserve(taken.toUpperCase().replace(/-/g, '_'), admin.token, {}), 400, 'invalid_package_name', /lowercase/);
    assertProblem(await reserve('-bad-', admin.token, {}), 400, 'invalid_package_name', /only a valid package name can be reserved/);
    assertProblem(await reserve(name, admin.token, { reason: 'x'.repeat(501) }), 400, 'validation_failed', /at most 500 characters/);
    assertProblem(
      await reserve(name, admin.token, { reason: 'bidi \u202e trick' }),
      400,
      'validation_failed',
      /printable text on one line/,
    );
    assertProblem(await reserve(name, admin.token, { reason: ['x'] }), 400, 'validation_failed');

    assert.deepEqual(await reservations(), rows);
    assert.deepEqual(await auditRows(r), entries);
  });
});

describe('DELETE /admin/reserved-names/{name}', () => {
  test('an admin releases a name, audited; it may then be published', async () => {
    const name = uniqueName('free');
    assert.equal((await reserve(name, admin.token, { reason: 'later' })).status, 201);
    const res = await call(url(name.replace(/-/g, '_')), { method: 'DELETE', token: admin.token });
    assert.equal(res.status, 204);
    const last = (await auditRows(r)).at(-1)!;
    assert.equal(last.action, 'name_release');
    assert.deepEqual(JSON.parse(last.details), { name, reason: 'later' });
    assert.equal((await publish(r.api, user.token, { name, version: '1.0.0' })).status, 201);
  });

  test('refusals: not reserved (404), no login, not an admin, a token; nothing changes', async () => {
    const name = uniqueName('kept');
    assert.equal((await reserve(name, admin.token)).status, 201);
    const adminToken = await apiToken(r, admin.token, ['delete']);
    const rows = await reservations();
    const entries = await auditRows(r);
    const del = (n: string, token?: string) => call(url(n), { method: 'DELETE', token });
    assertProblem(await del(uniqueName('never'), admin.token), 404, 'reservation_not_found', /GET \/api\/v1\/admin\/reserved-names/);
    assertProblem(await del(name), 401, 'unauthorized');
    assertProblem(await del(name, user.token), 403, 'admin_required');
    assertProblem(await del(name, adminToken), 403, 'session_required');
    assert.deepEqual(await reservations(), rows);
    assert.deepEqual(await auditRows(r), entries);
  });
});

describe('GET /admin/reserved-names', () => {
  test('lists reservations by name, paged; admins only; a GET writes nothing', async () => {
    for (const n of ['zz-list-b', 'zz-list-a', 'zz-list-c']) assert.equal((await reserve(`${n}-${process.pid}`, admin.token)).status, 201);
    const all = await call(`${r.api}/admin/reserved-names?per_page=100`, { token: admin.token });
    assert.equal(all.status, 200);
    const names = all.body.results.map((x: { name: string }) => x.name);
    assert.deepEqual(names, [...names].sort());
    assert.equal(all.body.total, (await reservations()).length);
    const ours = names.filter((n: string) => n.startsWith('zz-list-'));
    assert.deepEqual(
      ours,
      ['a', 'b', 'c'].map((x) => `zz-list-${x}-${process.pid}`),
    );

    const second = await call(`${r.api}/admin/reserved-names?per_page=1&page=2`, { token: admin.token });
    assert.equal(second.status, 200);
    assert.deepEqual(
      second.body.results.map((x: { name: string }) => x.name),
      [names[1]],
    );
    assert.equal(second.body.page, 2);
    assert.equal(second.body.per_page, 1);

    const entries = await auditRows(r);
    assertProblem(
      await call(`${r.api}/admin/reserved-names?per_page=101`, { token: admin.token }),
      400,
      'invalid_query_parameter',
      /per_page/,
    );
    assertProblem(await call(`${r.api}/admin/reserved-names`), 401, 'unauthorized');
    assertProblem(await call(`${r.api}/admin/reserved-names`, { token: user.token }), 403, 'admin_required');
    assert.deepEqual(await auditRows(r), entries);
  });
});
