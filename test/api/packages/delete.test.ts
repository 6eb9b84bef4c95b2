/** DELETE /packages/{name}/{version}: who may delete, and what a deletion takes away. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';

let r: TestRegistry;
let owner: { username: string; token: string };
let stranger: { username: string; token: string };

before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
  stranger = await signUp(r.api);
});
after(() => r.close());

async function publishVersions(name: string, versions: string[], extra: Record<string, unknown> = {}) {
  const checksums: Record<string, string> = {};
  for (const version of versions) {
    const res = await publish(r.api, owner.token, { name, version, description: `${name} ${version}`, ...extra });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    checksums[version] = res.body.checksum;
  }
  return checksums;
}

const del = (name: string, version: string, token?: string) => call(`${r.api}/packages/${name}/${version}`, { method: 'DELETE', token });

async function versionRows() {
  return r.registry.deps.db.kysely.selectFrom('versions').select(['id', 'deleted_at']).orderBy('id').execute();
}

async function apiToken(token: string, scopes: string[]) {
  const res = await call(`${r.api}/auth/tokens`, { token, json: { name: uniqueName('tok'), scopes } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token as string;
}

describe('DELETE /packages/{name}/{version}', () => {
  test('the owner deletes a version: 204, and it is gone everywhere', async () => {
    const name = uniqueName('del');
    const sums = await publishVersions(name, ['1.0.0', '1.1.0', '2.0.0']);
    const blobOf = async (sum: string) => (await r.blobFiles()).filter((f) => f.endsWith(sum));
    assert.equal((await blobOf(sums['2.0.0']!)).length, 1);

    const res = await del(name, '2.0.0', owner.token);
    assert.equal(res.status, 204);
    assert.equal(res.body, '');

    assert.equal((await call(`${r.api}/packages/${name}/2.0.0`)).status, 404);
    assert.equal((await call(`${r.api}/packages/${name}/2.0.0/tarball`)).status, 404);
    const versions = await call(`${r.api}/packages/${name}/versions`);
    assert.deepEqual(
      versions.body.versions.map((v: { version: string }) => v.version),
      ['1.1.0', '1.0.0'],
    );
    const pkg = await call(`${r.api}/packages/${name}`);
    assert.equal(pkg.body.latest, '1.1.0', 'latest moves down');
    assert.deepEqual(
      pkg.body.versions.map((v: { version: string }) => v.version),
      ['1.1.0', '1.0.0'],
    );
    assert.deepEqual(await blobOf(sums['2.0.0']!), [], 'the blob file is removed');
    assert.equal((await blobOf(sums['1.1.0']!)).length, 1, 'other blobs stay');
    assert.equal((await call(`${r.api}/packages/${name}/1.1.0/tarball`)).status, 200);
  });

  test('a version downloaded just before its deletion is refused just after it', async () => {
    const name = uniqueName('delhot');
    await publishVersions(name, ['1.0.0', '1.0.1']);
    // Downloaded many times, with other spellings of the name too, so any cache of the lookup is warm.
    for (let i = 0; i < 5; i++) {
      for (const spelling of [name, name.toUpperCase()]) {
        assert.equal((await call(`${r.api}/packages/${spelling}/1.0.1/tarball`)).status, 200);
      }
    }
    assert.equal((await del(name, '1.0.1', owner.token)).status, 204);
    for (const spelling of [name, name.toUpperCase()]) {
      assert.equal((await call(`${r.api}/packages/${spelling}/1.0.1/tarball`)).status, 404, spelling);
    }
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0/tarball`)).status, 200);
  });

  test("deleting the latest version gives the package the next one's description, keywords, author, license and links", async () => {
    const name = uniqueName('delmeta');
    const meta = (who: string, license: string) => ({
      description: `${who}'s edition`,
      keywords: [who.toLowerCase()],
      author: who,
      license,
      homepage: `https://${who.toLowerCase()}.example/`,
      repository: `https://git.example/${who.toLowerCase()}`,
    });
    const shown = async () => {
      const { body } = await call(`${r.api}/packages/${name}`);
      const { latest, description, keywords, author, license, homepage, repository } = body;
      return { latest, description, keywords, author, license, homepage, repository };
    };
    for (const [version, who, license] of [
      ['1.0.0', 'Ann', 'MIT'],
      ['2.0.0', 'Bob', 'Apache-2.0'],
      ['1.5.0', 'Cy', 'ISC'],
    ]) {
      const res = await publish(r.api, owner.token, { name, version, ...meta(who!, license!) });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    assert.deepEqual(await shown(), { latest: '2.0.0', ...meta('Bob', 'Apache-2.0') }, 'an older version published last changes nothing');
    assert.equal((await del(name, '2.0.0', owner.token)).status, 204);
    assert.deepEqual(await shown(), { latest: '1.5.0', ...meta('Cy', 'ISC') });
    assert.equal((await del(name, '1.5.0', owner.token)).status, 204);
    assert.deepEqual(await shown(), { latest: '1.0.0', ...meta('Ann', 'MIT') });
    const found = await call(`${r.api}/search?q=${name}`);
    assert.equal(found.body.results[0]?.description, "Ann's edition", 'the search entry follows');
  });

  test('a deleted number is never reused: republishing it is a 409', async () => {
    const name = uniqueName('reuse');
    await publishVersions(name, ['1.0.0', '1.0.1']);
    assert.equal((await del(name, '1.0.1', owner.token)).status, 204);
    const again = await publish(r.api, owner.token, { name, version: '1.0.1' });
    assert.equal(again.status, 409);
    assert.match(again.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal((await call(`${r.api}/packages/${name}/1.0.1`)).status, 404);
    // Deleting it twice: it is not there any more.
    assert.equal((await del(name, '1.0.1', owner.token)).status, 404);
  });

  test('401 without auth or with a bad token, and nothing changes', async () => {
    const name = uniqueName('anon');
    await publishVersions(name, ['1.0.0']);
    const before = await versionRows();
    for (const token of [undefined, 'not-a-token', 'syn_0000000000000000000000000000000000000000']) {
      const res = await del(name, '1.0.0', token);
      assert.equal(res.status, 401, String(token));
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    }
    assert.deepEqual(await versionRows(), before);
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0/tarball`)).status, 200);
  });

  test('403 for a user who does not own the package, and nothing changes', async () => {
    const name = uniqueName('theirs');
    const sums = await publishVersions(name, ['1.0.0']);
    const before = await versionRows();
    const blobs = await r.blobFiles();
    const res = await del(name, '1.0.0', stranger.token);
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'not_owner');
    assert.deepEqual(await versionRows(), before);
    assert.deepEqual(await r.blobFiles(), blobs);
    const pkg = await call(`${r.api}/packages/${name}`);
    assert.equal(pkg.body.latest, '1.0.0');
    const dl = await fetch(`${r.api}/packages/${name}/1.0.0/tarball`);
    assert.equal(dl.headers.get('etag'), `"${sums['1.0.0']}"`);
    await dl.arrayBuffer();
  });

  test('an API token needs the delete scope', async () => {
    const name = uniqueName('scoped');
    await publishVersions(name, ['1.0.0', '2.0.0']);
    const publishOnly = await apiToken(owner.token, ['publish']);
    const denied = await del(name, '2.0.0', publishOnly);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 'token_scope');
    assert.equal((await call(`${r.api}/packages/${name}/2.0.0`)).status, 200);

    const deleter = await apiToken(owner.token, ['delete']);
    assert.equal((await del(name, '2.0.0', deleter)).status, 204);
    assert.equal((await call(`${r.api}/packages/${name}/2.0.0`)).status, 404);

    // A stranger's token with the scope is still not an owner.
    const strangerToken = await apiToken(stranger.token, ['delete']);
    assert.equal((await del(name, '1.0.0', strangerToken)).status, 403);
  });

  test('404 problems for an unknown version, an invalid version and an unknown package', async () => {
    const name = uniqueName('d404');
    await publishVersions(name, ['1.0.0']);
    for (const [path, code] of [
      [`${name}/9.9.9`, 'version_not_found'],
      [`${name}/nope`, 'version_not_found'],
      [`${uniqueName('ghost')}/1.0.0`, 'package_not_found'],
    ] as const) {
      const res = await call(`${r.api}/packages/${path}`, { method: 'DELETE', token: owner.token });
      assert.equal(res.status, 404, path);
      assert.equal(res.body.code, code, path);
    }
  });

  test('deleting the latest release moves latest and the metadata back', async () => {
    const name = uniqueName('meta');
    await publishVersions(name, ['1.0.0'], { description: 'old words', keywords: ['oldkw'] });
    await publishVersions(name, ['2.0.0'], { description: 'new words', keywords: ['newkw'] });
    assert.equal((await del(name, '2.0.0', owner.token)).status, 204);
    const pkg = await call(`${r.api}/packages/${name}`);
    assert.equal(pkg.body.latest, '1.0.0');
    assert.equal(pkg.body.description, 'old words');
    assert.deepEqual(pkg.body.keywords, ['oldkw']);
  });

  test('deleting the last version removes the package from search, listings and stats', async () => {
    const name = uniqueName('last');
    const word = `zyx${process.pid}last`;
    await publishVersions(name, ['1.0.0'], { keywords: [word] });
    const statsBefore = (await call(`${r.api}/stats`)).body;
    assert.equal((await call(`${r.api}/search?q=${word}`)).body.total, 1);

    assert.equal((await del(name, '1.0.0', owner.token)).status, 204);
    const search = await call(`${r.api}/search?q=${word}`);
    assert.equal(search.status, 200);
    assert.equal(search.body.total, 0);
    assert.equal(
      (await call(`${r.api}/search?q=${name}`)).body.results.some((p: { name: string }) => p.name === name),
      false,
    );
    assert.equal((await call(`${r.api}/packages/${name}`)).status, 404);
    assert.equal((await call(`${r.api}/packages/${name}/versions`)).status, 404);
    const stats = (await call(`${r.api}/stats`)).body;
    assert.equal(stats.packages, statsBefore.packages - 1);
    assert.equal(stats.versions, statsBefore.versions - 1);

    // The name stays with its owner: another user cannot take it over.
    const takeover = await publish(r.api, stranger.token, { name, version: '2.0.0' });
    assert.equal(takeover.status, 403);
  });
});
