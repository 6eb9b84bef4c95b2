/** GET /packages/{name}: the package document, `latest` by SemVer precedence, canonical lookups, 404s. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';

let r: TestRegistry;
let owner: { username: string; token: string };

before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
});
after(() => r.close());

async function publishAll(name: string, versions: Array<string | Record<string, unknown>>) {
  for (const v of versions) {
    const manifest = typeof v === 'string' ? { name, version: v } : { name, ...v };
    const res = await publish(r.api, owner.token, manifest);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
}

describe('GET /packages/{name}', () => {
  test('returns the full package document', async () => {
    const name = uniqueName('show');
    await publishAll(name, [
      {
        version: '1.2.3',
        description: 'Parses things',
        author: 'Ada Lovelace',
        license: 'MIT',
        homepage: 'https://example.com/p',
        repository: 'https://github.com/example/p',
        keywords: ['parse', 'text'],
      },
    ]);
    const res = await call(`${r.api}/packages/${name}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = res.body;
    assert.deepEqual(Object.keys(body).sort(), [
      'author',
      'created_at',
      'deprecation',
      'description',
      'dist_tags',
      'downloads',
      'homepage',
      'keywords',
      'latest',
      'license',
      'locked',
      'name',
      'owners',
      'repository',
      'updated_at',
      'versions',
    ]);
    assert.equal(body.locked, null);
    assert.equal(body.name, name);
    assert.equal(body.description, 'Parses things');
    assert.equal(body.author, 'Ada Lovelace');
    assert.equal(body.license, 'MIT');
    assert.equal(body.homepage, 'https://example.com/p');
    assert.equal(body.repository, 'https://github.com/example/p');
    assert.deepEqual(body.keywords, ['parse', 'text']);
    assert.deepEqual(body.owners, [owner.username]);
    assert.equal(body.latest, '1.2.3');
    assert.deepEqual(body.dist_tags, { latest: '1.2.3' });
    assert.equal(body.downloads, 0);
    assert.ok(!Number.isNaN(Date.parse(body.created_at)));
    assert.ok(!Number.isNaN(Date.parse(body.updated_at)));
    assert.equal(body.versions.length, 1);
    const [v] = body.versions;
    assert.equal(v.version, '1.2.3');
    assert.ok(!Number.isNaN(Date.parse(v.published_at)));
    assert.match(v.checksum, /^[0-9a-f]{64}$/);
    assert.match(v.integrity, /^sha512-/);
    assert.equal(typeof v.size, 'number');
    assert.deepEqual(v.dependencies, {});
    assert.equal(v.tarball_url, `${r.api}/packages/${name}/1.2.3/tarball`);
  });

  test('latest is the highest release by SemVer precedence, not by string or publish order', async () => {
    const name = uniqueName('latest');
    await publishAll(name, ['1.0.0', '2.0.0-beta.1', '1.10.0', '1.9.0']);
    const res = await call(`${r.api}/packages/${name}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.latest, '1.10.0');
    assert.deepEqual(
      res.body.versions.map((v: { version: string }) => v.version),
      ['2.0.0-beta.1', '1.10.0', '1.9.0', '1.0.0'],
    );
  });

  test('with only prereleases, latest is the highest prerelease', async () => {
    const name = uniqueName('pre');
    await publishAll(name, ['1.0.0-alpha.2', '1.0.0-alpha.10', '1.0.0-alpha.9']);
    const res = await call(`${r.api}/packages/${name}`);
    assert.equal(res.body.latest, '1.0.0-alpha.10');
  });

  test('a prerelease published after a release does not become latest', async () => {
    const name = uniqueName('pre-after');
    await publishAll(name, ['1.0.0-rc.1', '1.0.0', '1.1.0-rc.1']);
    const res = await call(`${r.api}/packages/${name}`);
    assert.equal(res.body.latest, '1.0.0');
  });

  test('metadata follows the latest version, whatever the publish order', async () => {
    const name = uniqueName('meta');
    await publishAll(name, [
      { version: '1.0.0', description: 'first', keywords: ['one'], license: 'MIT' },
      { version: '2.0.0-beta.1', description: 'beta', keywords: ['beta'], license: 'Apache-2.0' },
    ]);
    let res = await call(`${r.api}/packages/${name}`);
    assert.equal(res.body.description, 'first', 'a prerelease does not take over the metadata');
    assert.deepEqual(res.body.keywords, ['one']);

    await publishAll(name, [{ version: '1.10.0', description: 'newest', keywords: ['ten'], license: 'ISC' }]);
    res = await call(`${r.api}/packages/${name}`);
    assert.equal(res.body.description, 'newest');
    assert.deepEqual(res.body.keywords, ['ten']);
    assert.equal(res.body.license, 'ISC');

    // A backport published later is not the latest, so the metadata stays.
    await publishAll(name, [{ version: '1.9.1', description: 'backport', keywords: ['old'], license: '0BSD' }]);
    res = await call(`${r.api}/packages/${name}`);
    assert.equal(res.body.latest, '1.10.0');
    assert.equal(res.body.description, 'newest');
    assert.equal(res.body.license, 'ISC');
  });

  test('a canonical-equivalent name finds the package and answers with its real name', async () => {
    const name = uniqueName('canon').replace(/-/g, '_');
    await publishAll(name, ['0.1.0']);
    for (const spelling of [name, name.toUpperCase(), name.replace(/_/g, '-'), name.replace(/_/g, '.')]) {
      const res = await call(`${r.api}/packages/${encodeURIComponent(spelling)}`);
      assert.equal(res.status, 200, spelling);
      assert.equal(res.body.name, name);
    }
  });

  test('an unknown name is a 404 problem', async () => {
    const res = await call(`${r.api}/packages/${uniqueName('missing')}`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.body.status, 404);
    assert.equal(res.body.code, 'package_not_found');
  });

  test('an invalid name is a 404 problem, not a 400 or 500', async () => {
    for (const bad of ['..', 'a%20b', '-leading', '%E2%9C%A8', 'x'.repeat(300), "'%3B%20DROP%20TABLE%20packages%3B--"]) {
      const res = await call(`${r.api}/packages/${bad}`);
      assert.equal(res.status, 404, bad);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, bad);
    }
  });
});
