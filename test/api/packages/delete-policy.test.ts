/**
 * The deletion policy: owners delete freely within the window after publishing; past it only a
 * version no other package's live version depends on, with few recent downloads. Admins always may.
 * The registry's clock is moved instead of waiting.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../packages/registry/src/config/index.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';

const HOUR = 3_600_000;
let clock = Date.parse('2026-03-01T12:00:00.000Z');
let r: TestRegistry;
let owner: { username: string; token: string };
let other: { username: string; token: string };

before(async () => {
  r = await startRegistry({ REGISTRY_DELETE_MAX_RECENT_DOWNLOADS: '3' }, { now: () => new Date(clock) });
  // API tokens without an expiry: sessions would expire as the clock moves on by weeks.
  owner = await withApiToken(await signUp(r.api));
  other = await withApiToken(await signUp(r.api));
});
after(() => r.close());

async function withApiToken(user: { username: string; token: string }) {
  const res = await call(`${r.api}/auth/tokens`, {
    token: user.token,
    json: { name: uniqueName('tok'), scopes: ['publish', 'delete', 'yank'] },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { username: user.username, token: res.body.token as string };
}

async function publishAs(token: string, name: string, version: string, dependencies: Record<string, string> = {}) {
  const res = await publish(r.api, token, { name, version, dependencies });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

const del = (name: string, version: string, token?: string) => call(`${r.api}/packages/${name}/${version}`, { method: 'DELETE', token });
const show = async (name: string, version: string) => (await call(`${r.api}/packages/${name}/${version}`)).body;

async function state(name: string) {
  const db = r.registry.deps.db.kysely;
  const versions = await db
    .selectFrom('versions')
    .innerJoin('packages', 'packages.id', 'versions.package_id')
    .select(['versions.version', 'versions.deleted_at', 'packages.latest_version', 'packages.updated_at'])
    .where('packages.name', '=', name)
    .orderBy('versions.id')
    .execute();
  const audit = await db.selectFrom('audit_log').select('id').where('package_name', '=', name).execute();
  return { versions, audit, blobs: (await r.blobFiles()).length };
}

async function expectRefused(name: string, version: string, code: string) {
  const before = await state(name);
  const res = await del(name, version, owner.token);
  assert.equal(res.status, 409, JSON.stringify(res.body));
  assert.equal(res.body.code, code);
  assert.match(res.body.detail, new RegExp(`${name}@${version.replace(/\./g, '\\.')} was published more than 72 hours ago`));
  assert.match(res.body.detail, new RegExp(`synapse pkg yank ${name}@`));
  assert.deepEqual(await state(name), before, 'a refused deletion changes nothing');
  assert.equal((await show(name, version)).delete_refusal, code);
}

describe('deletion policy', () => {
  test('within 72 hours the owner may delete, and the version says until when', async () => {
    const name = uniqueName('window');
    await publishAs(owner.token, name, '1.0.0');
    await publishAs(owner.token, name, '1.0.1');
    const published = (await show(name, '1.0.0')).published_at as string;
    const doc = await show(name, '1.0.0');
    assert.equal(doc.deletable_until, new Date(Date.parse(published) + 72 * HOUR).toISOString());
    assert.equal(doc.delete_refusal, null);
    clock += 71 * HOUR;
    assert.equal((await del(name, '1.0.0', owner.token)).status, 204);
    assert.notEqual((await show(name, '1.0.1')).deletable_until, null, 'still within its window');
    clock += 2 * HOUR;
    // Nothing written since the last read: the clock alone changes the document.
    const late = await show(name, '1.0.1');
    assert.equal(late.deletable_until, null, 'the window has closed');
    assert.equal(late.delete_refusal, null, 'nothing depends on it and it has few downloads: still deletable');
    assert.equal((await del(name, '1.0.1', owner.token)).status, 204);
  });

  test("past the window, a version another package's live version depends on stays", async () => {
    const name = uniqueName('base');
    const user = uniqueName('user');
    for (const v of ['1.0.0', '1.2.0', '2.0.0']) await publishAs(owner.token, name, v);
    // Another owner's package depends on it, by another spelling of the name.
    await publishAs(other.token, user, '1.0.0', { [name.replace(/-/g, '_')]: '^1.1.0' });
    clock += 73 * HOUR;

    await expectRefused(name, '1.2.0', 'delete_window_passed_has_dependents');
    assert.equal((await show(name, '1.0.0')).delete_refusal, null, '^1.1.0 does not take 1.0.0');
    assert.equal((await show(name, '2.0.0')).delete_refusal, null, '^1.1.0 does not take 2.0.0');

    // A yanked dependent still counts (its lockfiles install it); a deleted one does not.
    assert.equal((await call(`${r.api}/packages/${user}/1.0.0/yank`, { method: 'PUT', token: other.token, json: {} })).status, 200);
    assert.equal((await show(name, '1.2.0')).delete_refusal, 'delete_window_passed_has_dependents');
    await publishAs(other.token, user, '1.0.1');
    assert.equal((await del(user, '1.0.0', other.token)).status, 204, 'nothing depends on the dependent');
    assert.equal((await show(name, '1.2.0')).delete_refusal, null);
    assert.equal((await del(name, '1.2.0', owner.token)).status, 204);
  });

  test('past the window, a version downloaded N times or more in the last 30 days stays', async () => {
    const name = uniqueName('popular');
    await publishAs(owner.token, name, '1.0.0');
    await publishAs(owner.token, name, '1.0.1');
    for (let i = 0; i < 3; i++) assert.equal((await call(`${r.api}/packages/${name}/1.0.0/tarball`)).status, 200);
    await r.registry.deps.downloads.flush();
    clock += 73 * HOUR;
    await expectRefused(name, '1.0.0', 'delete_window_passed_downloads');
    const res = await del(name, '1.0.0', owner.token);
    assert.match(res.body.detail, /downloaded 3 times in the last 30 days \(deletion needs fewer than 3\)/);
    assert.equal((await show(name, '1.0.1')).delete_refusal, null);

    clock += 30 * 24 * HOUR;
    assert.equal((await show(name, '1.0.0')).delete_refusal, null, 'older downloads do not count');
    assert.equal((await del(name, '1.0.0', owner.token)).status, 204);
  });

  test('an admin may always delete, owner or not; others still may not', async () => {
    const name = uniqueName('admindel');
    await publishAs(owner.token, name, '1.0.0');
    await publishAs(owner.token, name, '1.0.1');
    await publishAs(other.token, uniqueName('needs'), '1.0.0', { [name]: '1.0.0' });
    clock += 73 * HOUR;
    await expectRefused(name, '1.0.0', 'delete_window_passed_has_dependents');
    const stranger = await del(name, '1.0.0', other.token);
    assert.equal(stranger.status, 403);
    assert.equal(stranger.body.code, 'not_owner');

    const admin = await signUp(r.api);
    await r.registry.deps.db.kysely.updateTable('users').set({ is_admin: 1 }).where('username', '=', admin.username).execute();
    assert.equal((await del(name, '1.0.0', admin.token)).status, 204);
    const entry = await r.registry.deps.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor_username', 'details'])
      .where('package_name', '=', name)
      .where('action', '=', 'delete')
      .executeTakeFirstOrThrow();
    assert.deepEqual([entry.actor_username, JSON.parse(entry.details)], [admin.username, { as_admin: true }]);
    assert.equal((await call(`${r.api}/packages/${name}`)).body.latest, '1.0.1');
  });

  test('the window and the download limit are configurable', () => {
    assert.deepEqual(loadConfig({ REGISTRY_ENV: 'test' }).deletion, { windowHours: 72, maxRecentDownloads: 500 });
    const custom = loadConfig({ REGISTRY_ENV: 'test', REGISTRY_DELETE_WINDOW_HOURS: '24', REGISTRY_DELETE_MAX_RECENT_DOWNLOADS: '0' });
    assert.deepEqual(custom.deletion, { windowHours: 24, maxRecentDownloads: 0 });
    assert.throws(() => loadConfig({ REGISTRY_DELETE_WINDOW_HOURS: '-1' }), /REGISTRY_DELETE_WINDOW_HOURS/);
  });
});
