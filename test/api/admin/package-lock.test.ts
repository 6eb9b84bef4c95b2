/** Package locks: an admin locks a package against new versions with a reason, and unlocks it. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { packageTarball } from '../../fixtures/tarballs.ts';
import { apiToken, assertProblem, auditRows, signUpAdmin, type User } from './admin-helpers.ts';

let r: TestRegistry;
let admin: User;
let owner: User;

before(async () => {
  r = await startRegistry();
  admin = await signUpAdmin(r);
  owner = await signUp(r.api);
});
after(() => r.close());

const lockUrl = (name: string) => `${r.api}/admin/packages/${name}/lock`;
const lock = (name: string, token: string | undefined, json: unknown) => call(lockUrl(name), { method: 'PUT', token, json });
const unlock = (name: string, token?: string) => call(lockUrl(name), { method: 'DELETE', token });
const packageRow = (name: string) =>
  r.registry.deps.db.kysely.selectFrom('packages').selectAll().where('name', '=', name).executeTakeFirstOrThrow();

async function published(): Promise<string> {
  const name = uniqueName('lockable');
  assert.equal((await publish(r.api, owner.token, { name, version: '1.0.0' })).status, 201);
  return name;
}

describe('PUT /admin/packages/{name}/lock', () => {
  test('a locked package refuses new versions with 403 package_locked and the reason; what exists still serves', async () => {
    const name = await published();
    const res = await lock(name, admin.token, { reason: 'under review for malware' });
    assert.equal(res.status, 200);
    assert.equal(res.body.name, name);
    assert.equal(res.body.locked.reason, 'under review for malware');
    assert.equal(res.body.locked.locked_by, admin.username);
    assert.ok(!Number.isNaN(Date.parse(res.body.locked.locked_at)));
    const doc = await call(`${r.api}/packages/${name}`);
    assert.deepEqual(doc.body.locked, res.body.locked, 'the package document shows the lock');

    const entries = await auditRows(r);
    const blobs = (await r.blobFiles()).sort();
    const versionsBefore = (await call(`${r.api}/packages/${name}/versions`)).body;
    const ownerToken = await apiToken(r, owner.token, ['publish'], [name]);
    const afterToken = await auditRows(r);
    for (const token of [owner.token, ownerToken]) {
      const refused = await publish(r.api, token, { name, version: '1.1.0' });
      assertProblem(
        refused,
        403,
        'package_locked',
        /locked by the registry's admins \(under review for malware\); it takes no new versions until an admin unlocks it/,
      );
    }
    assert.equal(afterToken.length, entries.length + 1);
    assert.deepEqual(await auditRows(r), afterToken, 'a refused publish writes no entry');
    assert.deepEqual((await r.blobFiles()).sort(), blobs, 'and keeps no blob');
    assert.deepEqual((await call(`${r.api}/packages/${name}/versions`)).body, versionsBefore);
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0/tarball`)).status, 200, 'existing versions still download');
  });

  test('a lock placed while an upload is in flight refuses that publish, and it leaves nothing', async () => {
    const name = await published();
    const tgz = packageTarball({ name, version: '2.0.0' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const sending = new Promise<void>((resolve) => (started = resolve));
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new Uint8Array(tgz.subarray(0, 16)));
        started();
        await gate;
        controller.enqueue(new Uint8Array(tgz.subarray(16)));
        controller.close();
      },
    });
    const blobs = (await r.blobFiles()).sort();
    const pending = fetch(`${r.api}/packages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/gzip' },
      body,
      duplex: 'half',
    } as RequestInit);
    await sending;
    assert.equal((await lock(name, admin.token, { reason: 'mid-upload' })).status, 200);
    const entries = await auditRows(r);
    release();
    const res = await pending;
    const problem = (await res.json()) as { code: string; detail: string };
    assert.equal(res.status, 403);
    assert.equal(problem.code, 'package_locked');
    assert.match(problem.detail, /mid-upload/);
    assert.deepEqual(
      (await call(`${r.api}/packages/${name}/versions`)).body.versions.map((v: { version: string }) => v.version),
      ['1.0.0'],
    );
    assert.deepEqual(await auditRows(r), entries);
    assert.deepEqual((await r.blobFiles()).sort(), blobs);
  });

  test('locking again with the same reason changes nothing; another reason is audited and keeps locked_at', async () => {
    const name = await published();
    const first = await lock(name, admin.token, { reason: 'first' });
    assert.equal(first.status, 200);
    const entries = await auditRows(r);
    assert.equal(entries.at(-1)!.action, 'package_lock');
    assert.equal(entries.at(-1)!.package_name, name);
    assert.deepEqual(JSON.parse(entries.at(-1)!.details), { reason: 'first' });

    const same = await lock(name, admin.token, { reason: 'first' });
    assert.deepEqual(same.body, first.body);
    assert.equal((await auditRows(r)).length, entries.length);

    const other = await lock(name.toUpperCase(), admin.token, { reason: ' second ' });
    assert.equal(other.status, 200);
    assert.equal(other.body.locked.reason, 'second');
    assert.equal(other.body.locked.locked_at, first.body.locked.locked_at);
    assert.equal((await auditRows(r)).length, entries.length + 1);
    assert.equal((await call(`${r.api}/packages/${name}`)).body.locked.reason, 'second', 'the cached document follows');
  });

  test('refusals: no login, not an admin, a token, an unknown package, a missing or long reason; nothing changes', async () => {
    const name = await published();
    const adminToken = await apiToken(r, admin.token, ['publish']);
    const row = await packageRow(name);
    const entries = await auditRows(r);
    assertProblem(await lock(name, undefined, { reason: 'x' }), 401, 'unauthorized');
    assertProblem(await lock(name, owner.token, { reason: 'x' }), 403, 'admin_required', /npm run admin -- grant NAME/);
    assertProblem(await lock(name, adminToken, { reason: 'x' }), 403, 'session_required');
    assertProblem(await lock(uniqueName('ghost'), admin.token, { reason: 'x' }), 404, 'package_not_found');
    assertProblem(await lock(name, admin.token, {}), 400, 'validation_failed', /reason/);
    assertProblem(await lock(name, admin.token, { reason: '   ' }), 400, 'validation_failed', /reason is required: say why/);
    assertProblem(await lock(name, admin.token, { reason: 'x'.repeat(501) }), 400, 'validation_failed', /at most 500 characters/);
    assertProblem(
      await lock(name, admin.token, { reason: 'fake\u001b[2J\nnotice' }),
      400,
      'validation_failed',
      /printable text on one line/,
    );
    assert.deepEqual(await packageRow(name), row);
    assert.deepEqual(await auditRows(r), entries);
    assert.equal((await call(`${r.api}/packages/${name}`)).body.locked, null);
  });
});

describe('DELETE /admin/packages/{name}/lock', () => {
  test('unlocking is audited with the old reason; the package takes new versions again', async () => {
    const name = await published();
    assert.equal((await lock(name, admin.token, { reason: 'paused' })).status, 200);
    const res = await unlock(name, admin.token);
    assert.equal(res.status, 204);
    const last = (await auditRows(r)).at(-1)!;
    assert.equal(last.action, 'package_unlock');
    assert.equal(last.actor_username, admin.username);
    assert.deepEqual(JSON.parse(last.details), { reason: 'paused' });
    assert.equal((await call(`${r.api}/packages/${name}`)).body.locked, null);
    assert.equal((await publish(r.api, owner.token, { name, version: '1.1.0' })).status, 201);
  });

  test('refusals: not locked (404 lock_not_found), unknown package, no login, not an admin, a token; nothing changes', async () => {
    const name = await published();
    const unlocked = await published();
    assert.equal((await lock(name, admin.token, { reason: 'held' })).status, 200);
    const adminToken = await apiToken(r, admin.token, ['delete']);
    const row = await packageRow(name);
    const entries = await auditRows(r);
    assertProblem(await unlock(unlocked, admin.token), 404, 'lock_not_found', /is not locked/);
    assertProblem(await unlock(uniqueName('ghost'), admin.token), 404, 'package_not_found');
    assertProblem(await unlock(name), 401, 'unauthorized');
    assertProblem(await unlock(name, owner.token), 403, 'admin_required');
    assertProblem(await unlock(name, adminToken), 403, 'session_required');
    assert.deepEqual(await packageRow(name), row);
    assert.deepEqual(await auditRows(r), entries);
  });
});
