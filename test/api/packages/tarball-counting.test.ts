/**
 * Download counting against inflation: one address counts a version once an hour, however many
 * full downloads or first ranges it asks for, while the raw log keeps every download. Runs on the
 * chosen backend; on postgres-s3 the window is kept in Redis.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';

let r: TestRegistry;
let token: string;

before(async () => {
  r = await startRegistry({
    REGISTRY_DOWNLOAD_COUNT_WINDOW_MS: '3600000',
    // The client's address comes from X-Forwarded-For, so one test process can be several clients.
    REGISTRY_TRUST_PROXY: 'true',
    // Flushed by the tests alone.
    REGISTRY_DOWNLOAD_FLUSH_MS: '600000',
  });
  ({ token } = await signUp(r.api));
});
after(() => r.close());

async function download(name: string, ip: string, range?: string): Promise<number> {
  const headers: Record<string, string> = { 'x-forwarded-for': ip };
  if (range) headers.range = range;
  const res = await fetch(`${r.api}/packages/${name}/1.0.0/tarball`, { headers });
  await res.arrayBuffer();
  return res.status;
}

async function figures(name: string) {
  await r.registry.deps.downloads.flush();
  const version = await call(`${r.api}/packages/${name}/1.0.0`);
  const pkg = await call(`${r.api}/packages/${name}`);
  const logged = await r.registry.deps.db.kysely
    .selectFrom('download_log')
    .innerJoin('versions', 'versions.id', 'download_log.version_id')
    .innerJoin('packages', 'packages.id', 'versions.package_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('packages.name', '=', name)
    .executeTakeFirstOrThrow();
  return { version: version.body.downloads, package: pkg.body.downloads, logged: Number(logged.n) };
}

test('first ranges and repeated full downloads from one address count once; the raw log keeps each', async () => {
  const name = uniqueName('inflate');
  assert.equal((await publish(r.api, token, { name, version: '1.0.0' })).status, 201);
  const statsBefore = (await call(`${r.api}/stats`)).body.downloads.total as number;
  for (let i = 0; i < 40; i++) assert.equal(await download(name, '203.0.113.5', 'bytes=0-0'), 206);
  for (let i = 0; i < 5; i++) assert.equal(await download(name, '203.0.113.5'), 200);
  // Later ranges are parts of a download already started: neither counted nor logged.
  for (let i = 0; i < 3; i++) assert.equal(await download(name, '203.0.113.5', 'bytes=10-19'), 206);

  assert.deepEqual(await figures(name), { version: 1, package: 1, logged: 45 });
  assert.equal((await call(`${r.api}/stats`)).body.downloads.total, statsBefore + 1);
});

test('two addresses count twice', async () => {
  const name = uniqueName('two-ips');
  assert.equal((await publish(r.api, token, { name, version: '1.0.0' })).status, 201);
  for (const ip of ['198.51.100.1', '198.51.100.2']) {
    for (let i = 0; i < 3; i++) assert.equal(await download(name, ip), 200);
  }
  assert.deepEqual(await figures(name), { version: 2, package: 2, logged: 6 });
});
