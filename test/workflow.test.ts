/**
 * The whole journey a user takes, over HTTP against one real registry: register, log in, publish,
 * look up, search, download, check the stats, publish a package that depends on the first, resolve
 * it, delete a version and see it gone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import semver from 'semver';
import { startRegistry, type TestRegistry } from './helpers/registry.ts';
import { call, PASSWORD, publishTarball } from './helpers/client.ts';
import { packageTarball } from './fixtures/tarballs.ts';

let r: TestRegistry;

before(async () => {
  r = await startRegistry();
});
after(() => r.close());

const sha256 = (buf: Buffer | Uint8Array) => createHash('sha256').update(buf).digest('hex');

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return Buffer.from(await res.arrayBuffer());
}

/** What a client does: the highest live version satisfying a range, from the versions document. */
async function resolve(name: string, range: string) {
  const res = await call(`${r.api}/packages/${name}/versions`);
  assert.equal(res.status, 200);
  const versions = res.body.versions as { version: string; tarball_url: string; integrity: string }[];
  const best = semver.maxSatisfying(
    versions.map((v) => v.version),
    range,
  );
  return versions.find((v) => v.version === best);
}

test('register → login → publish → get → versions → search → download → stats → depend → delete → 404', async () => {
  // Register and log in.
  const username = 'journey-user';
  const registered = await call(`${r.api}/auth/register`, { json: { username, email: 'journey@example.com', password: PASSWORD } });
  assert.equal(registered.status, 201);
  assert.equal(registered.body.username, username);
  const login = await call(`${r.api}/auth/login`, { json: { username, password: PASSWORD } });
  assert.equal(login.status, 200);
  assert.equal(login.body.token_type, 'Bearer');
  const token = login.body.token as string;
  const verified = await call(`${r.api}/auth/verify`, { method: 'POST', token });
  assert.equal(verified.status, 200);
  assert.equal(verified.body.username, username);

  // Publish a library.
  const lib = 'text-tools';
  const libManifest = {
    name: lib,
    version: '1.0.0',
    description: 'Small helpers for strings and text',
    author: 'Journey User',
    license: 'MIT',
    keywords: ['text', 'strings'],
  };
  const libTgz = packageTarball(libManifest, { files: { 'README.md': '# text-tools\n', 'src/lib.syn': 'fn upper(s: str) -> str {}\n' } });
  const published = await publishTarball(r.api, token, libTgz);
  assert.equal(published.status, 201);
  assert.equal(published.body.checksum, sha256(libTgz));
  assert.equal(published.body.size, libTgz.length);

  // Look it up.
  const pkg = await call(`${r.api}/packages/${lib}`);
  assert.equal(pkg.status, 200);
  assert.equal(pkg.body.latest, '1.0.0');
  assert.equal(pkg.body.description, libManifest.description);
  assert.deepEqual(pkg.body.owners, [username]);
  const versions = await call(`${r.api}/packages/${lib}/versions`);
  assert.deepEqual(
    versions.body.versions.map((v: { version: string }) => v.version),
    ['1.0.0'],
  );

  // Find it.
  const found = await call(`${r.api}/search?q=strings`);
  assert.equal(found.status, 200);
  assert.deepEqual(
    found.body.results.map((p: { name: string }) => p.name),
    [lib],
  );
  assert.equal(found.body.results[0].latest, '1.0.0');

  // Download it: the very bytes that were published.
  const version = await call(`${r.api}/packages/${lib}/1.0.0`);
  const bytes = await download(version.body.tarball_url);
  assert.deepEqual(bytes, libTgz);
  assert.equal(`sha512-${createHash('sha512').update(bytes).digest('base64')}`, version.body.integrity);

  await r.registry.deps.downloads.flush();
  const stats = await call(`${r.api}/stats`);
  assert.equal(stats.body.packages, 1);
  assert.equal(stats.body.versions, 1);
  assert.equal(stats.body.users, 1);
  assert.equal(stats.body.downloads.total, 1);
  assert.equal(stats.body.downloads.last_day, 1);

  // A second version and a package that depends on the library.
  const lib11 = packageTarball({ ...libManifest, version: '1.1.0' });
  assert.equal((await publishTarball(r.api, token, lib11)).status, 201);
  const app = 'text-app';
  const appTgz = packageTarball({ name: app, version: '0.1.0', description: 'Uses text-tools', dependencies: { [lib]: '^1.0.0' } });
  const appPublished = await publishTarball(r.api, token, appTgz);
  assert.equal(appPublished.status, 201, JSON.stringify(appPublished.body));
  const appVersion = await call(`${r.api}/packages/${app}/0.1.0`);
  assert.deepEqual(appVersion.body.dependencies, { [lib]: '^1.0.0' });

  // Resolve the dependency the way a client would, and fetch it.
  let resolved = await resolve(lib, appVersion.body.dependencies[lib]);
  assert.equal(resolved?.version, '1.1.0');
  assert.deepEqual(await download(resolved.tarball_url), lib11);

  // Delete 1.1.0: it is gone, the dependency resolves to 1.0.0 again.
  const deleted = await call(`${r.api}/packages/${lib}/1.1.0`, { method: 'DELETE', token });
  assert.equal(deleted.status, 204);
  assert.equal((await call(`${r.api}/packages/${lib}/1.1.0`)).status, 404);
  assert.equal((await call(`${r.api}/packages/${lib}/1.1.0/tarball`)).status, 404);
  assert.equal((await call(`${r.api}/packages/${lib}`)).body.latest, '1.0.0');
  resolved = await resolve(lib, '^1.0.0');
  assert.equal(resolved?.version, '1.0.0');
  assert.deepEqual(await download(resolved.tarball_url), libTgz);

  // The number stays taken.
  assert.equal((await publishTarball(r.api, token, lib11)).status, 409);

  await r.registry.deps.downloads.flush();
  const after = await call(`${r.api}/stats`);
  assert.equal(after.body.packages, 2);
  assert.equal(after.body.versions, 2);
  assert.equal(after.body.downloads.total, 3);
});
