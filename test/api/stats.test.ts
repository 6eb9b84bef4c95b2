/** GET /stats: exact figures after a known sequence of sign-ups, publishes, deletes and downloads. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, publish, signUp } from '../helpers/client.ts';

let r: TestRegistry;

before(async () => {
  // Flushed by the test alone, so what a GET shows before the flush is known.
  r = await startRegistry({ REGISTRY_DOWNLOAD_FLUSH_MS: '600000' });
});
after(() => r.close());

const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

test('an empty registry counts zero everywhere', async () => {
  const res = await call(`${r.api}/stats`);
  assert.equal(res.status, 200);
  assert.equal(res.body.packages, 0);
  assert.equal(res.body.versions, 0);
  assert.equal(res.body.users, 0);
  assert.deepEqual(res.body.downloads, { total: 0, last_day: 0, last_week: 0, last_month: 0 });
});

test('packages, versions, users and download windows are exact', async () => {
  const alice = await signUp(r.api);
  const bob = await signUp(r.api);
  await signUp(r.api);
  for (const [token, name, version] of [
    [alice.token, 'stats-a', '1.0.0'],
    [alice.token, 'stats-a', '1.1.0'],
    [bob.token, 'stats-b', '0.1.0'],
    [bob.token, 'stats-c', '1.0.0'],
    [bob.token, 'stats-c', '2.0.0'],
  ] as const) {
    assert.equal((await publish(r.api, token, { name, version })).status, 201);
  }
  // A deleted version is not counted; a package left without versions is not either.
  assert.equal((await call(`${r.api}/packages/stats-a/1.1.0`, { method: 'DELETE', token: alice.token })).status, 204);
  assert.equal((await call(`${r.api}/packages/stats-c/1.0.0`, { method: 'DELETE', token: bob.token })).status, 204);
  assert.equal((await call(`${r.api}/packages/stats-c/2.0.0`, { method: 'DELETE', token: bob.token })).status, 204);

  const download = async (path: string) => {
    const res = await fetch(`${r.api}/packages/${path}/tarball`);
    await res.arrayBuffer();
    assert.equal(res.status, 200);
  };
  for (let i = 0; i < 3; i++) await download('stats-a/1.0.0');
  for (let i = 0; i < 2; i++) await download('stats-b/0.1.0');
  // GET /stats only reads: downloads show once the recorder has flushed them (on its timer).
  assert.equal((await call(`${r.api}/stats`)).body.downloads.total, 0, 'a GET does not write the buffered downloads');
  await r.registry.deps.downloads.flush();

  // Older days, written the way the recorder writes them, to tell the windows apart.
  const db = r.registry.deps.db.kysely;
  const a = await db
    .selectFrom('versions')
    .innerJoin('packages', 'packages.id', 'versions.package_id')
    .select('versions.id')
    .where('packages.name', '=', 'stats-a')
    .where('versions.version', '=', '1.0.0')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('download_counts')
    .values([
      { version_id: a.id, day: day(3), count: 10 },
      { version_id: a.id, day: day(20), count: 100 },
      { version_id: a.id, day: day(60), count: 1000 },
    ])
    .execute();

  const res = await call(`${r.api}/stats`);
  assert.equal(res.status, 200);
  assert.equal(res.body.packages, 2);
  assert.equal(res.body.versions, 2);
  assert.equal(res.body.users, 3);
  assert.deepEqual(res.body.downloads, { total: 1115, last_day: 5, last_week: 15, last_month: 115 });
});
