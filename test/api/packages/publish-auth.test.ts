/** POST /packages: who may publish what, taken and reserved version numbers, and look-alike names. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, publishTarball, signUp, uniqueName } from '../../helpers/client.ts';
import { packageTarball } from '../../fixtures/tarballs.ts';
import { assertNothingLeft, assertProblem, storeState } from './publish-state.ts';

let r: TestRegistry;
let owner: { username: string; token: string };
let stranger: { username: string; token: string };

before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
  stranger = await signUp(r.api);
});
after(() => r.close());

async function published(name: string, version = '1.0.0', token = owner.token) {
  const res = await publish(r.api, token, { name, version });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const versionList = async (name: string) =>
  (await call(`${r.api}/packages/${name}/versions`)).body.versions.map((v: { version: string }) => v.version);

describe('POST /packages: authentication', () => {
  test('401 without Authorization, with a Bearer challenge, and nothing stored', async () => {
    const name = uniqueName('noauth');
    const before = await storeState(r);
    const res = await publishTarball(r.api, undefined, packageTarball({ name, version: '1.0.0' }));
    assertProblem(res, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    await assertNothingLeft(r, before, { name });
  });

  const badTokens: Array<[string, () => string]> = [
    ['garbage', () => 'not-a-token'],
    ['a tampered JWT', () => `${owner.token.slice(0, -4)}${owner.token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`],
    ['an unknown API token', () => `syn_${'a'.repeat(40)}`],
  ];
  for (const [why, token] of badTokens) {
    test(`401 with ${why}, and nothing stored`, async () => {
      const name = uniqueName('badauth');
      const before = await storeState(r);
      const res = await publishTarball(r.api, token(), packageTarball({ name, version: '1.0.0' }));
      assertProblem(res, 401);
      await assertNothingLeft(r, before, { name });
    });
  }

  test('401 even when the body is not a tarball: auth is checked first', async () => {
    const before = await storeState(r);
    const res = await publishTarball(r.api, undefined, Buffer.from('junk'));
    assertProblem(res, 401);
    await assertNothingLeft(r, before);
  });
});

describe('POST /packages: ownership', () => {
  test('403 for a user who does not own the package; the owner still can publish', async () => {
    const name = uniqueName('owned');
    await published(name);
    const before = await storeState(r);
    const res = await publish(r.api, stranger.token, { name, version: '1.1.0' });
    const problem = assertProblem(res, 403, 'not_owner');
    assert.ok(problem.detail.includes(name), problem.detail);
    await assertNothingLeft(r, before, { name, version: '1.1.0' });
    assert.deepEqual(await versionList(name), ['1.0.0']);
    const pkg = await call(`${r.api}/packages/${name}`);
    assert.deepEqual(pkg.body.owners, [owner.username]);
    await published(name, '1.1.0');
  });

  test('403 for an API token without the publish scope', async () => {
    const token = await call(`${r.api}/auth/tokens`, { token: owner.token, json: { name: 'delete-only', scopes: ['delete'] } });
    assert.equal(token.status, 201, JSON.stringify(token.body));
    const name = uniqueName('scoped');
    const before = await storeState(r);
    const res = await publish(r.api, token.body.token, { name, version: '1.0.0' });
    assertProblem(res, 403, 'token_scope');
    await assertNothingLeft(r, before, { name });
  });
});

describe('POST /packages: API tokens', () => {
  test('a publish token limited to one package publishes it and nothing else', async () => {
    const allowed = uniqueName('allowed');
    const created = await call(`${r.api}/auth/tokens`, {
      token: owner.token,
      json: { name: 'ci', scopes: ['publish'], packages: [allowed] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const ci = created.body.token as string;
    await published(allowed, '1.0.0', ci);
    const other = uniqueName('other');
    const before = await storeState(r);
    const res = await publish(r.api, ci, { name: other, version: '1.0.0' });
    const problem = assertProblem(res, 403, 'token_scope');
    assert.ok(problem.detail.includes(other), problem.detail);
    await assertNothingLeft(r, before, { name: other });
  });
});

describe('POST /packages: version numbers', () => {
  test('409 for a version that exists, even with other bytes; the first bytes stay served', async () => {
    const name = uniqueName('exists');
    const first = packageTarball({ name, version: '1.0.0' });
    assert.equal((await publishTarball(r.api, owner.token, first)).status, 201);
    const before = await storeState(r);
    const again = await publishTarball(r.api, owner.token, first);
    assertProblem(again, 409, 'version_exists');
    const other = await publishTarball(r.api, owner.token, packageTarball({ name, version: '1.0.0', description: 'changed' }));
    const problem = assertProblem(other, 409, 'version_exists');
    assert.ok(problem.detail.includes(`${name}@1.0.0`), problem.detail);
    await assertNothingLeft(r, before);
    const download = await fetch(`${r.api}/packages/${name}/1.0.0/tarball`);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(first));
  });

  test('409 for a deleted version: its number is never reused', async () => {
    const name = uniqueName('deleted');
    await published(name, '1.0.0');
    await published(name, '1.0.1');
    const del = await call(`${r.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: owner.token });
    assert.equal(del.status, 204, JSON.stringify(del.body));
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`)).status, 404);
    const before = await storeState(r);
    const res = await publish(r.api, owner.token, { name, version: '1.0.0' });
    const problem = assertProblem(res, 409, 'version_deleted');
    assert.ok(problem.detail.includes('1.0.0'), problem.detail);
    await assertNothingLeft(r, before, { name, version: '1.0.0' });
    assert.deepEqual(await versionList(name), ['1.0.1']);
  });

  test('409 for the deleted last version of a package too', async () => {
    const name = uniqueName('alldeleted');
    await published(name, '1.0.0');
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: owner.token })).status, 204);
    const res = await publish(r.api, owner.token, { name, version: '1.0.0' });
    assertProblem(res, 409, 'version_deleted');
    await published(name, '1.0.1');
  });
});

describe('POST /packages: canonical names', () => {
  test('foo-bar blocks foo_bar, foo.bar and foo--bar for its owner (409 name_taken) and for others', async () => {
    const base = uniqueName('canon');
    const name = `${base}-foo-bar`;
    await published(name);
    const variants = [`${base}-foo_bar`, `${base}-foo.bar`, `${base}_foo-bar`, `${base}-foo--bar`, `${base}.foo_bar`];
    for (const variant of variants) {
      const before = await storeState(r);
      const mine = await publish(r.api, owner.token, { name: variant, version: '2.0.0' });
      const problem = assertProblem(mine, 409, 'name_taken');
      assert.ok(problem.detail.includes(name), problem.detail);
      const theirs = await publish(r.api, stranger.token, { name: variant, version: '2.0.0' });
      // The name is taken whoever asks, so others get the same 409 rather than a 403.
      assertProblem(theirs, 409, 'name_taken');
      await assertNothingLeft(r, before);
    }
    assert.deepEqual(await versionList(name), ['1.0.0']);
  });

  test('an uppercase variant is refused as an invalid name', async () => {
    const name = uniqueName('case');
    await published(name);
    const before = await storeState(r);
    const res = await publish(r.api, owner.token, { name: name.toUpperCase(), version: '2.0.0' });
    assertProblem(res, 400, 'validation_failed');
    await assertNothingLeft(r, before);
  });
});
