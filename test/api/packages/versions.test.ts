/** GET /packages/{name}/versions and GET /packages/{name}/{version}. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';

let r: TestRegistry;
let token: string;

before(async () => {
  r = await startRegistry();
  ({ token } = await signUp(r.api));
});
after(() => r.close());

async function publishVersions(name: string, versions: string[], extra: Record<string, unknown> = {}) {
  for (const version of versions) {
    const res = await publish(r.api, token, { name, version, ...extra });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
}

describe('GET /packages/{name}/versions', () => {
  test('lists versions newest first by SemVer precedence', async () => {
    const name = uniqueName('list');
    await publishVersions(name, ['1.9.0', '2.0.0-rc.1', '1.10.0', '2.0.0', '0.1.0', '2.0.0-alpha', '1.9.0-beta.2']);
    const res = await call(`${r.api}/packages/${name}/versions`);
    assert.equal(res.status, 200);
    assert.equal(res.body.name, name);
    assert.deepEqual(
      res.body.versions.map((v: { version: string }) => v.version),
      ['2.0.0', '2.0.0-rc.1', '2.0.0-alpha', '1.10.0', '1.9.0', '1.9.0-beta.2', '0.1.0'],
    );
    for (const v of res.body.versions) {
      assert.ok(!Number.isNaN(Date.parse(v.published_at)), v.version);
      assert.equal(v.tarball_url, `${r.api}/packages/${name}/${v.version}/tarball`);
    }
  });

  test('the versions list, a version and its tarball answer for a canonical-equivalent name', async () => {
    const name = uniqueName('vcanon');
    await publishVersions(name, ['1.0.0']);
    const spelled = name.toUpperCase().replace(/-/g, '_');
    const res = await call(`${r.api}/packages/${spelled}/versions`);
    assert.equal(res.status, 200);
    assert.equal(res.body.name, name);
    const version = await call(`${r.api}/packages/${spelled}/1.0.0`);
    assert.equal(version.status, 200);
    assert.equal(version.body.name, name);
    assert.equal(version.body.tarball_url, `${r.api}/packages/${name}/1.0.0/tarball`);
    assert.equal(await fetch(`${r.api}/packages/${spelled}/1.0.0/tarball`).then(async (t) => (await t.arrayBuffer(), t.status)), 200);
  });

  test('an unknown package is a 404 problem', async () => {
    const res = await call(`${r.api}/packages/${uniqueName('nope')}/versions`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.body.code, 'package_not_found');
  });
});

describe('GET /packages/{name}/{version}', () => {
  test('returns the version document', async () => {
    const name = uniqueName('dep-target');
    await publishVersions(name, ['1.0.0']);
    const user = uniqueName('ver');
    const res0 = await publish(r.api, token, {
      name: user,
      version: '3.1.4',
      description: 'pie',
      keywords: ['math', 'pi'],
      dependencies: { [name]: '^1.0.0' },
    });
    assert.equal(res0.status, 201);

    const res = await call(`${r.api}/packages/${user}/3.1.4`);
    assert.equal(res.status, 200);
    const body = res.body;
    for (const key of [
      'name',
      'version',
      'checksum',
      'integrity',
      'size',
      'dependencies',
      'keywords',
      'downloads',
      'published_at',
      'tarball_url',
    ]) {
      assert.ok(key in body, `missing ${key}`);
    }
    assert.equal(body.name, user);
    assert.equal(body.version, '3.1.4');
    assert.equal(body.checksum, res0.body.checksum);
    assert.equal(body.integrity, res0.body.integrity);
    assert.equal(body.size, res0.body.size);
    assert.equal(body.published_at, res0.body.published_at);
    assert.deepEqual(body.dependencies, { [name]: '^1.0.0' });
    assert.deepEqual(body.keywords, ['math', 'pi']);
    assert.equal(body.downloads, 0);
    assert.equal(body.tarball_url, `${r.api}/packages/${user}/3.1.4/tarball`);
  });

  test('the tarball_url serves bytes matching the checksum, integrity and size', async () => {
    const name = uniqueName('url');
    await publishVersions(name, ['0.0.1']);
    const { body } = await call(`${r.api}/packages/${name}/0.0.1`);
    const res = await fetch(body.tarball_url);
    assert.equal(res.status, 200);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.length, body.size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), body.checksum);
    assert.equal(`sha512-${createHash('sha512').update(bytes).digest('base64')}`, body.integrity);
  });

  test('404 problems for an unknown version, an invalid version string and an unknown package', async () => {
    const name = uniqueName('v404');
    await publishVersions(name, ['1.0.0']);
    const cases = [
      [`${name}/1.0.1`, 'version_not_found'],
      [`${name}/not-a-version`, 'version_not_found'],
      [`${name}/1.0`, 'version_not_found'],
      [`${name}/${'9'.repeat(400)}.0.0`, 'version_not_found'],
      [`${uniqueName('ghost')}/1.0.0`, 'version_not_found'],
    ] as const;
    for (const [path, code] of cases) {
      const res = await call(`${r.api}/packages/${path}`);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, path);
      assert.equal(res.body.code, code, path);
    }
  });

  test('build metadata in the path names the same version', async () => {
    const name = uniqueName('build');
    await publishVersions(name, ['1.2.0']);
    const withBuild = await call(`${r.api}/packages/${name}/1.2.0+build.7`);
    // Build metadata never makes a new version, so it names the same one.
    assert.equal(withBuild.status, 200);
    assert.equal(withBuild.body.version, '1.2.0');
  });
});
