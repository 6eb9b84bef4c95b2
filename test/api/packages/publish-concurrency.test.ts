/** POST /packages under contention: one version is won by exactly one request, different versions all land. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publishTarball, signUp, uniqueName, type Res } from '../../helpers/client.ts';
import { packageTarball } from '../../fixtures/tarballs.ts';
import { sha256Hex, stagingFiles, storeState } from './publish-state.ts';

const RACERS = 20;

let r: TestRegistry;
let owner: { username: string; token: string };

before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
});
after(() => r.close());

const db = () => r.registry.deps.db.kysely;

async function versionRows(name: string) {
  return db()
    .selectFrom('versions')
    .innerJoin('packages', 'packages.id', 'versions.package_id')
    .select(['versions.version', 'versions.checksum'])
    .where('packages.name', '=', name)
    .execute();
}

async function download(name: string, version: string): Promise<Buffer> {
  const res = await fetch(`${r.api}/packages/${name}/${version}/tarball`);
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

/** Sends all tarballs at once and returns the responses in the same order. */
const race = (tarballs: Buffer[], token = owner.token) => Promise.all(tarballs.map((tgz) => publishTarball(r.api, token, tgz)));

function oneWinner(results: Res[]): number {
  const statuses = results.map((res) => res.status);
  assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
  assert.equal(statuses.filter((s) => s === 409).length, RACERS - 1, `statuses: ${statuses.join(',')}`);
  for (const res of results) if (res.status === 409) assert.equal(res.body.code, 'version_exists', JSON.stringify(res.body));
  return statuses.indexOf(201);
}

describe('POST /packages: concurrent publishes', () => {
  test(`${RACERS} publishes of one version with the same bytes: one 201, ${RACERS - 1} 409, one row, one blob`, async () => {
    const name = uniqueName('race-same');
    const tgz = packageTarball({ name, version: '1.0.0' });
    const before = await storeState(r);
    const results = await race(Array.from({ length: RACERS }, () => tgz));
    oneWinner(results);
    const rows = await versionRows(name);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.checksum, sha256Hex(tgz));
    const after = await storeState(r);
    assert.equal(after.packages, before.packages + 1);
    assert.equal(after.owners, before.owners + 1);
    assert.equal(after.blobs.length, before.blobs.length + 1);
    assert.ok((await download(name, '1.0.0')).equals(tgz));
    assert.deepEqual(await stagingFiles(r), []);
  });

  test(`${RACERS} publishes of one version with different bytes: the served tarball is the winner's`, async () => {
    const name = uniqueName('race-diff');
    const tarballs = Array.from({ length: RACERS }, (_, i) => packageTarball({ name, version: '1.0.0', description: `attempt ${i}` }));
    assert.equal(new Set(tarballs.map(sha256Hex)).size, RACERS);
    const before = await storeState(r);
    const results = await race(tarballs);
    const winner = oneWinner(results);
    const won = tarballs[winner]!;
    assert.equal(results[winner]!.body.checksum, sha256Hex(won));
    const rows = await versionRows(name);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.checksum, sha256Hex(won));
    const after = await storeState(r);
    assert.equal(after.blobs.length, before.blobs.length + 1, 'the losers’ blobs are not kept');
    assert.equal(after.packages, before.packages + 1);
    assert.equal(after.owners, before.owners + 1);
    assert.ok((await download(name, '1.0.0')).equals(won));
    const pkg = await call(`${r.api}/packages/${name}`);
    assert.equal(pkg.body.description, `attempt ${winner}`);
    assert.deepEqual(await stagingFiles(r), []);
  });

  test(`${RACERS} publishes of ${RACERS} versions of one new package all succeed, one package, one owner`, async () => {
    const name = uniqueName('race-versions');
    const versions = Array.from({ length: RACERS }, (_, i) => `1.${i}.0`);
    const tarballs = versions.map((version) => packageTarball({ name, version }));
    const before = await storeState(r);
    const results = await race(tarballs);
    assert.deepEqual(
      results.map((res) => res.status),
      versions.map(() => 201),
      JSON.stringify(results.filter((res) => res.status !== 201).map((res) => res.body)),
    );
    const after = await storeState(r);
    assert.equal(after.packages, before.packages + 1);
    assert.equal(after.owners, before.owners + 1);
    assert.equal(after.versions, before.versions + RACERS);
    assert.equal(after.blobs.length, before.blobs.length + RACERS);
    const pkg = await call(`${r.api}/packages/${name}`);
    assert.equal(pkg.status, 200);
    assert.deepEqual(pkg.body.owners, [owner.username]);
    assert.equal(pkg.body.latest, `1.${RACERS - 1}.0`);
    assert.equal(pkg.body.versions.length, RACERS);
    for (const [i, version] of versions.entries()) {
      if (i % 5 === 0) assert.ok((await download(name, version)).equals(tarballs[i]!));
    }
    const search = await call(`${r.api}/search?q=${encodeURIComponent(name)}`);
    assert.equal(search.body.results.filter((p: { name: string }) => p.name === name).length, 1);
  });

  test('two users racing to create the same new package: one owns it, the other gets 403 or 409', async () => {
    const rival = await signUp(r.api);
    const name = uniqueName('race-users');
    const before = await storeState(r);
    const results = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        publishTarball(r.api, i % 2 === 0 ? owner.token : rival.token, packageTarball({ name, version: `1.0.${i}` })),
      ),
    );
    const after = await storeState(r);
    assert.equal(after.packages, before.packages + 1);
    assert.equal(after.owners, before.owners + 1);
    const pkg = await call(`${r.api}/packages/${name}`);
    const [winner] = pkg.body.owners as string[];
    const winnerToken = winner === owner.username ? owner.token : rival.token;
    for (const [i, res] of results.entries()) {
      const mine = (i % 2 === 0 ? owner.token : rival.token) === winnerToken;
      if (mine) assert.equal(res.status, 201, JSON.stringify(res.body));
      else assert.equal(res.status, 403, JSON.stringify(res.body));
    }
    assert.equal(after.versions, before.versions + RACERS / 2);
    assert.equal(after.blobs.length, before.blobs.length + RACERS / 2);
    assert.deepEqual(await stagingFiles(r), []);
  });
});
