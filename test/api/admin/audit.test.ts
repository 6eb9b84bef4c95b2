/** GET /admin/audit (every entry, filtered), and the audit log's append-only table on every backend. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { apiToken, assertProblem, auditRows, signUpAdmin, type User } from './admin-helpers.ts';

let r: TestRegistry;
let admin: User;
let alice: User;
let bob: User;
let alicePkg: string;
let bobPkg: string;

before(async () => {
  r = await startRegistry();
  admin = await signUpAdmin(r);
  alice = await signUp(r.api);
  bob = await signUp(r.api);
  alicePkg = uniqueName('alice-pkg');
  bobPkg = uniqueName('bob-pkg');
  assert.equal((await publish(r.api, alice.token, { name: alicePkg, version: '1.0.0' })).status, 201);
  assert.equal((await publish(r.api, bob.token, { name: bobPkg, version: '1.0.0' })).status, 201);
  assert.equal((await publish(r.api, alice.token, { name: alicePkg, version: '1.1.0' })).status, 201);
  assert.equal(
    (await call(`${r.api}/admin/packages/${bobPkg}/lock`, { method: 'PUT', token: admin.token, json: { reason: 'review' } })).status,
    200,
  );
});
after(() => r.close());

const adminAudit = (query = '', token = admin.token) => call(`${r.api}/admin/audit${query}`, { token });
const actions = (res: { body: { results: { action: string }[] } }) => res.body.results.map((e) => e.action);

describe('GET /admin/audit', () => {
  test('an admin sees every entry, newest first, with addresses', async () => {
    const res = await adminAudit();
    assert.equal(res.status, 200);
    const rows = await auditRows(r);
    assert.equal(res.body.total, rows.length);
    assert.deepEqual(
      res.body.results.map((e: { id: number }) => e.id),
      rows.map((row) => row.id).reverse(),
    );
    assert.deepEqual(actions(res).slice(0, 4), ['package_lock', 'publish', 'publish', 'publish']);
    assert.equal(res.body.results[0].ip, '127.0.0.1');
    assert.equal(res.body.results.at(-1).action, 'admin_grant');
  });

  test('filters by action, package and user, alone or together', async () => {
    const published = await adminAudit('?action=publish');
    assert.deepEqual(
      published.body.results.map((e: { package: string; version: string }) => `${e.package}@${e.version}`),
      [`${alicePkg}@1.1.0`, `${bobPkg}@1.0.0`, `${alicePkg}@1.0.0`],
    );
    assert.equal(published.body.total, 3);
    const ofBobPkg = await adminAudit(`?package=${bobPkg.toUpperCase()}`);
    assert.deepEqual(actions(ofBobPkg), ['package_lock', 'publish']);
    const byAlice = await adminAudit(`?user=${alice.username}`);
    assert.deepEqual(actions(byAlice), ['publish', 'publish']);
    const both = await adminAudit(`?user=${alice.username}&action=publish&package=${alicePkg}&per_page=1`);
    assert.deepEqual([both.body.total, both.body.results[0].version], [2, '1.1.0']);
    const ofAdmin = await adminAudit(`?user=${admin.username}`);
    assert.deepEqual(actions(ofAdmin), ['package_lock', 'admin_grant'], 'what the admin did, and what was done about them');
    const none = await adminAudit(`?user=${bob.username}&action=token_create`);
    assert.deepEqual([none.body.total, none.body.results], [0, []]);
  });

  test('refusals: no login, not an admin, a token, an unknown action, package or user, a repeated filter; nothing written', async () => {
    const token = await apiToken(r, admin.token, ['publish']);
    const entries = await auditRows(r);
    assertProblem(await adminAudit('', ''), 401, 'unauthorized');
    assertProblem(await adminAudit('', alice.token), 403, 'admin_required', /npm run admin -- grant NAME/);
    assertProblem(await adminAudit('', token), 403, 'session_required');
    assertProblem(await adminAudit('?action=steal'), 400, 'invalid_query_parameter', /action must be one of publish, delete/);
    assertProblem(await adminAudit('?action=publish&action=delete'), 400, 'invalid_query_parameter', /action takes one value/);
    assertProblem(await adminAudit('?package='), 400, 'invalid_query_parameter', /package takes one value/);
    assertProblem(await adminAudit(`?package=${uniqueName('ghost')}`), 404, 'package_not_found', /check the package filter/);
    assertProblem(await adminAudit(`?user=${uniqueName('ghost')}`), 404, 'user_not_found', /check the user filter/);
    assertProblem(await adminAudit('?per_page=101'), 400, 'invalid_query_parameter');
    assert.deepEqual(await auditRows(r), entries);
  });
});

describe('the audit_log table', () => {
  test('refuses UPDATE and DELETE in the database itself, whoever asks', async () => {
    const db = r.registry.deps.db.kysely;
    const entries = await auditRows(r);
    assert.ok(entries.length > 0);
    await assert.rejects(db.updateTable('audit_log').set({ action: 'publish', actor_username: 'someone-else' }).execute(), /append-only/);
    await assert.rejects(db.updateTable('audit_log').set({ ip: null }).where('id', '=', entries[0]!.id).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('audit_log').where('id', '=', entries.at(-1)!.id).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('audit_log').execute(), /append-only/);
    assert.deepEqual(await auditRows(r), entries);
  });
});
