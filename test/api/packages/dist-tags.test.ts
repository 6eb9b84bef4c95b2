/**
 * Dist-tags: GET/PUT/DELETE /packages/{name}/dist-tags[/{tag}], publish ?tag=, and the rules for
 * `latest` (explicit tag, else the highest usable release, else the highest usable pre-release).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName, type Json } from '../../helpers/client.ts';
import { packageTarball } from '../../fixtures/tarballs.ts';

let r: TestRegistry;
let owner: { username: string; token: string };
let stranger: { username: string; token: string };

before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
  stranger = await signUp(r.api);
});
after(() => r.close());

const db = () => r.registry.deps.db.kysely;

async function publishAll(name: string, versions: string[], token = owner.token) {
  for (const version of versions) {
    const res = await publish(r.api, token, { name, version, description: `${name} ${version}` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
}

const tagsOf = (name: string) => call(`${r.api}/packages/${name}/dist-tags`);
const put = (name: string, tag: string, body: unknown, token?: string) =>
  call(`${r.api}/packages/${name}/dist-tags/${tag}`, { method: 'PUT', token, json: body });
const del = (name: string, tag: string, token?: string) => call(`${r.api}/packages/${name}/dist-tags/${tag}`, { method: 'DELETE', token });
const doc = async (name: string) => (await call(`${r.api}/packages/${name}`)).body;

async function auditOf(name: string) {
  const rows = await db()
    .selectFrom('audit_log')
    .select(['action', 'actor_username', 'version', 'details'])
    .where('package_name', '=', name)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
}

/** What a refused call must leave as it was. */
async function state(name: string) {
  const pkg = await db().selectFrom('packages').select(['latest_version', 'updated_at']).where('name', '=', name).executeTakeFirst();
  const rows = await db()
    .selectFrom('dist_tags')
    .innerJoin('packages', 'packages.id', 'dist_tags.package_id')
    .select(['dist_tags.tag', 'dist_tags.version', 'dist_tags.updated_at', 'dist_tags.updated_by'])
    .where('packages.name', '=', name)
    .orderBy('dist_tags.tag')
    .execute();
  return { pkg, rows, audit: (await auditOf(name)).length, versions: (await doc(name)).versions?.length };
}

async function apiToken(scopes: string[], packages?: string[]) {
  const res = await call(`${r.api}/auth/tokens`, {
    token: owner.token,
    json: { name: uniqueName('tok'), scopes, ...(packages ? { packages } : {}) },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token as string;
}

function refused(res: { status: number; body: Json }, status: number, code: string, detail?: RegExp) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.code, code, JSON.stringify(res.body));
  assert.ok(typeof res.body.detail === 'string' && res.body.detail.length > 10, 'a detail that says what to do');
  if (detail) assert.match(res.body.detail, detail);
}

describe('GET /packages/{name}/dist-tags', () => {
  test('a new package has latest only; the package document carries the same object', async () => {
    const name = uniqueName('tags-new');
    await publishAll(name, ['1.0.0', '1.1.0']);
    const res = await tagsOf(name);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { latest: '1.1.0' });
    assert.deepEqual((await doc(name)).dist_tags, { latest: '1.1.0' });
    // Any spelling of the name finds it.
    assert.deepEqual((await tagsOf(name.toUpperCase())).body, { latest: '1.1.0' });
  });

  test('an unknown package, or one whose every version was deleted, is a 404', async () => {
    refused(await tagsOf(uniqueName('tags-none')), 404, 'package_not_found');
    const name = uniqueName('tags-gone');
    await publishAll(name, ['1.0.0']);
    assert.equal((await put(name, 'beta', { version: '1.0.0' }, owner.token)).status, 200);
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: owner.token })).status, 204);
    refused(await tagsOf(name), 404, 'package_not_found');
    assert.equal((await state(name)).rows.length, 0, 'the deleted version took its tag with it');
  });
});

describe('PUT /packages/{name}/dist-tags/{tag}', () => {
  test('the owner points a tag at a version: 200 with every tag, the document and the audit log follow', async () => {
    const name = uniqueName('tags-put');
    await publishAll(name, ['1.0.0', '1.1.0', '2.0.0-beta.1']);
    const before = await doc(name);
    const res = await put(name, 'beta', { version: '2.0.0-beta.1' }, owner.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { latest: '1.1.0', beta: '2.0.0-beta.1' });
    assert.deepEqual((await tagsOf(name)).body, { latest: '1.1.0', beta: '2.0.0-beta.1' });
    const after = await doc(name);
    assert.deepEqual(after.dist_tags, { latest: '1.1.0', beta: '2.0.0-beta.1' }, 'the cached document changed');
    assert.equal(after.latest, '1.1.0', 'a tagged pre-release does not become latest');
    assert.ok(after.updated_at > before.updated_at);
    const audit = (await auditOf(name)).filter((e) => e.action === 'tag');
    assert.deepEqual(audit, [
      { action: 'tag', actor_username: owner.username, version: '2.0.0-beta.1', details: { tag: 'beta', previous: null } },
    ]);

    // Moving it records where it was; setting it to where it already is changes nothing.
    assert.deepEqual((await put(name, 'beta', { version: '1.0.0' }, owner.token)).body, { latest: '1.1.0', beta: '1.0.0' });
    const moved = await state(name);
    assert.deepEqual((await put(name, 'beta', { version: '1.0.0' }, owner.token)).body, { latest: '1.1.0', beta: '1.0.0' });
    assert.deepEqual(await state(name), moved);
    assert.deepEqual((await auditOf(name)).at(-1)!.details, { tag: 'beta', previous: '2.0.0-beta.1' });
  });

  test('a token with the dist-tags scope for the package may tag it', async () => {
    const name = uniqueName('tags-tok');
    await publishAll(name, ['1.0.0']);
    const token = await apiToken(['dist-tags'], [name]);
    assert.equal((await put(name, 'next', { version: '1.0.0' }, token)).status, 200);
    assert.equal((await del(name, 'next', token)).status, 200);
  });

  test('refusals: status, code, a detail, and nothing changed', async () => {
    const name = uniqueName('tags-refuse');
    await publishAll(name, ['1.0.0', '1.1.0', '1.2.0']);
    assert.equal((await put(name, 'beta', { version: '1.0.0' }, owner.token)).status, 200);
    assert.equal((await call(`${r.api}/packages/${name}/1.2.0`, { method: 'DELETE', token: owner.token })).status, 204);
    await db()
      .updateTable('versions')
      .set({ yanked_at: new Date().toISOString(), yanked_by: owner.username })
      .where('version', '=', '1.1.0')
      .where('package_id', '=', (await db().selectFrom('packages').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id)
      .execute();
    const noScope = await apiToken(['publish']);
    const otherPackage = await apiToken(['dist-tags'], [uniqueName('other')]);
    const before = await state(name);
    const cases: [Promise<Json>, number, string, RegExp?][] = [
      [put(name, 'beta', { version: '1.0.0' }), 401, 'unauthorized'],
      [put(name, 'beta', { version: '1.0.0' }, stranger.token), 403, 'not_owner', /not an owner/],
      [put(name, 'beta', { version: '1.0.0' }, noScope), 403, 'token_scope', /"dist-tags" scope/],
      [put(name, 'beta', { version: '1.0.0' }, otherPackage), 403, 'token_scope', /"dist-tags" scope/],
      [put(uniqueName('nope'), 'beta', { version: '1.0.0' }, owner.token), 404, 'package_not_found'],
      [put(name, 'beta', { version: '9.9.9' }, owner.token), 404, 'version_not_found', /synapse pkg versions/],
      [put(name, 'beta', { version: '1.2.0' }, owner.token), 404, 'version_not_found'],
      [put(name, 'beta', { version: '1.1.0' }, owner.token), 409, 'version_yanked', /unyank it first/],
      [put(name, 'Beta', { version: '1.0.0' }, owner.token), 400, 'invalid_tag', /lowercase letters/],
      [put(name, 'x', { version: '1.0.0' }, owner.token), 400, 'invalid_tag', /reads as a version range/],
      [put(name, 'v1', { version: '1.0.0' }, owner.token), 400, 'invalid_tag', /reads as a version range/],
      [put(name, 'a'.repeat(33), { version: '1.0.0' }, owner.token), 400, 'invalid_tag', /at most 32/],
      [put(name, 'beta', {}, owner.token), 400, 'validation_failed'],
      [put(name, 'beta', { version: 'one' }, owner.token), 400, 'validation_failed', /SemVer/],
    ];
    for (const [pending, status, code, detail] of cases) refused(await pending, status, code, detail);
    assert.deepEqual(await state(name), before);
  });

  test('a package holds at most 100 tags; moving one is still allowed, and a publish that would add one is refused whole', async () => {
    const name = uniqueName('tags-many');
    await publishAll(name, ['1.0.0', '1.1.0']);
    const { id } = await db().selectFrom('packages').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    const at = new Date().toISOString();
    await db()
      .insertInto('dist_tags')
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          package_id: id,
          tag: `t${i}`,
          version: '1.0.0',
          updated_at: at,
          updated_by: owner.username,
        })),
      )
      .execute();
    const before = await state(name);
    refused(await put(name, 'one-more', { version: '1.0.0' }, owner.token), 409, 'too_many_tags', /remove one first/);
    const tgz = packageTarball({ name, version: '1.2.0' });
    const published = await call(`${r.api}/packages?tag=one-more`, {
      method: 'POST',
      token: owner.token,
      body: new Uint8Array(tgz),
      headers: { 'content-type': 'application/gzip' },
    });
    refused(published, 409, 'too_many_tags');
    assert.deepEqual(await state(name), before, 'no tag, no version, no audit entry');
    assert.equal((await put(name, 't5', { version: '1.1.0' }, owner.token)).status, 200);
  });
});

describe('DELETE /packages/{name}/dist-tags/{tag}', () => {
  test('the owner removes a tag: 200 with the rest, audited as untag', async () => {
    const name = uniqueName('tags-del');
    await publishAll(name, ['1.0.0', '2.0.0-rc.1']);
    assert.equal((await put(name, 'next', { version: '2.0.0-rc.1' }, owner.token)).status, 200);
    const res = await del(name, 'next', owner.token);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { latest: '1.0.0' });
    assert.deepEqual((await doc(name)).dist_tags, { latest: '1.0.0' });
    assert.deepEqual((await auditOf(name)).at(-1), {
      action: 'untag',
      actor_username: owner.username,
      version: '2.0.0-rc.1',
      details: { tag: 'next' },
    });
  });

  test('refusals: latest cannot be removed, unknown tags, and who may not', async () => {
    const name = uniqueName('tags-delno');
    await publishAll(name, ['1.0.0', '1.1.0']);
    assert.equal((await put(name, 'latest', { version: '1.0.0' }, owner.token)).status, 200);
    assert.equal((await put(name, 'beta', { version: '1.1.0' }, owner.token)).status, 200);
    const noScope = await apiToken(['publish', 'delete']);
    const before = await state(name);
    const cases: [Promise<Json>, number, string, RegExp?][] = [
      [del(name, 'latest', owner.token), 400, 'latest_tag_required', /point it at another version/],
      [del(name, 'gamma', owner.token), 404, 'tag_not_found', /dist-tag ls/],
      [del(name, 'beta'), 401, 'unauthorized'],
      [del(name, 'beta', stranger.token), 403, 'not_owner'],
      [del(name, 'beta', noScope), 403, 'token_scope'],
      [del(uniqueName('nope'), 'beta', owner.token), 404, 'package_not_found'],
      [del(name, 'B_ETA', owner.token), 400, 'invalid_tag'],
    ];
    for (const [pending, status, code, detail] of cases) refused(await pending, status, code, detail);
    assert.deepEqual(await state(name), before);
    assert.equal((await doc(name)).latest, '1.0.0');
  });
});

describe('latest', () => {
  test('a pre-release never becomes latest while a release exists; with pre-releases only, the highest is latest', async () => {
    const name = uniqueName('latest-pre');
    await publishAll(name, ['2.0.0-beta.1', '2.0.0-beta.2']);
    assert.equal((await doc(name)).latest, '2.0.0-beta.2');
    await publishAll(name, ['1.0.0', '2.0.0-rc.1']);
    assert.deepEqual((await tagsOf(name)).body, { latest: '1.0.0' });
  });

  test('an explicit latest tag wins, even for an older version or a pre-release; deleting its version falls back', async () => {
    const name = uniqueName('latest-tag');
    await publishAll(name, ['1.0.0', '1.1.0', '2.0.0-beta.1']);
    assert.equal((await put(name, 'latest', { version: '1.0.0' }, owner.token)).body.latest, '1.0.0');
    const pkg = await doc(name);
    assert.equal(pkg.latest, '1.0.0');
    assert.equal(pkg.description, `${name} 1.0.0`, 'metadata follows latest');
    assert.equal((await put(name, 'latest', { version: '2.0.0-beta.1' }, owner.token)).body.latest, '2.0.0-beta.1');
    assert.equal((await call(`${r.api}/packages/${name}/2.0.0-beta.1`, { method: 'DELETE', token: owner.token })).status, 204);
    assert.deepEqual((await tagsOf(name)).body, { latest: '1.1.0' }, 'back to the automatic rule');
    assert.equal((await state(name)).rows.length, 0, 'the tag went with its version');
  });

  test('a tag whose version is deleted is removed with it', async () => {
    const name = uniqueName('latest-deltag');
    await publishAll(name, ['1.0.0', '2.0.0-beta.1', '2.0.0-beta.2']);
    await put(name, 'beta', { version: '2.0.0-beta.2' }, owner.token);
    await put(name, 'next', { version: '2.0.0-beta.1' }, owner.token);
    assert.equal((await call(`${r.api}/packages/${name}/2.0.0-beta.2`, { method: 'DELETE', token: owner.token })).status, 204);
    assert.deepEqual((await tagsOf(name)).body, { latest: '1.0.0', next: '2.0.0-beta.1' });
  });

  test('latest skips a yanked version (explicit or not) while another exists', async () => {
    const name = uniqueName('latest-yank');
    await publishAll(name, ['1.0.0', '1.1.0']);
    await put(name, 'latest', { version: '1.1.0' }, owner.token);
    const { id } = await db().selectFrom('packages').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    await db()
      .updateTable('versions')
      .set({ yanked_at: new Date().toISOString() })
      .where('package_id', '=', id)
      .where('version', '=', '1.1.0')
      .execute();
    // Any change recomputes latest (the yank route does so in its own transaction).
    await put(name, 'old', { version: '1.0.0' }, owner.token);
    assert.deepEqual((await tagsOf(name)).body, { latest: '1.0.0', old: '1.0.0' });
  });
});

describe('POST /packages?tag=', () => {
  const publishTagged = (name: string, version: string, tag: string) =>
    call(`${r.api}/packages?tag=${tag}`, {
      method: 'POST',
      token: owner.token,
      body: new Uint8Array(packageTarball({ name, version, description: `${name} ${version}` })),
      headers: { 'content-type': 'application/gzip' },
    });

  test('?tag=beta points the tag at the new version and never moves latest', async () => {
    const name = uniqueName('pub-tag');
    await publishAll(name, ['1.0.0', '1.1.0']);
    const res = await publishTagged(name, '2.0.0-beta.1', 'beta');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual((await tagsOf(name)).body, { latest: '1.1.0', beta: '2.0.0-beta.1' });
    assert.deepEqual(
      (await auditOf(name)).slice(-2).map((e) => [e.action, e.version, e.details]),
      [
        ['tag', '2.0.0-beta.1', { tag: 'beta', previous: null, via: 'publish' }],
        ['publish', '2.0.0-beta.1', {}],
      ],
    );
    // A release published with a tag does not take latest either: latest is pinned where it was.
    assert.equal((await publishTagged(name, '3.0.0', 'next')).status, 201);
    const pkg = await doc(name);
    assert.equal(pkg.latest, '1.1.0');
    assert.deepEqual(pkg.dist_tags, { latest: '1.1.0', beta: '2.0.0-beta.1', next: '3.0.0' });
    // A later release without a tag above the pin moves the pin to it.
    await publishAll(name, ['1.2.0']);
    assert.equal((await doc(name)).latest, '1.2.0');
    // A backport below it does not.
    await publishAll(name, ['1.1.1']);
    assert.equal((await doc(name)).latest, '1.2.0');
  });

  test('without a tag a pre-release is published but is not latest; ?tag=latest makes it latest', async () => {
    const name = uniqueName('pub-pre');
    await publishAll(name, ['1.0.0', '2.0.0-alpha.1']);
    assert.deepEqual((await tagsOf(name)).body, { latest: '1.0.0' });
    assert.equal((await publishTagged(name, '2.0.0-alpha.2', 'latest')).status, 201);
    assert.deepEqual((await tagsOf(name)).body, { latest: '2.0.0-alpha.2' });
  });

  test('the first version of a new package is latest whatever its tag', async () => {
    const name = uniqueName('pub-first');
    assert.equal((await publishTagged(name, '0.1.0-beta.0', 'beta')).status, 201);
    assert.deepEqual((await tagsOf(name)).body, { latest: '0.1.0-beta.0', beta: '0.1.0-beta.0' });
  });

  test('an invalid ?tag= is refused before the upload: nothing published', async () => {
    const name = uniqueName('pub-badtag');
    for (const tag of ['1.x', 'Beta', '%20']) {
      const res = await publishTagged(name, '1.0.0', tag);
      refused(res, 400, 'invalid_tag');
    }
    refused(await tagsOf(name), 404, 'package_not_found');
  });
});

describe('concurrency', () => {
  test('two owners tagging the same tag at once: one consistent final value, two audit entries', async () => {
    const name = uniqueName('tags-race');
    await publishAll(name, ['1.0.0', '1.1.0', '1.2.0']);
    const second = await signUp(r.api);
    const { id } = await db().selectFrom('packages').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    const user = await db().selectFrom('users').select('id').where('username', '=', second.username).executeTakeFirstOrThrow();
    await db().insertInto('package_owners').values({ package_id: id, user_id: user.id, created_at: new Date().toISOString() }).execute();
    for (let round = 0; round < 5; round++) {
      const tag = `race${round}`;
      const [a, b] = await Promise.all([
        put(name, tag, { version: '1.0.0' }, owner.token),
        put(name, tag, { version: '1.1.0' }, second.token),
      ]);
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(b.status, 200, JSON.stringify(b.body));
      const entries = (await auditOf(name)).filter((e) => e.action === 'tag' && e.details.tag === tag);
      assert.equal(entries.length, 2);
      const [first, last] = entries as [(typeof entries)[0], (typeof entries)[0]];
      // Serialised: the second saw the first's write, and the final value is the second's.
      assert.equal(first.details.previous, null);
      assert.equal(last.details.previous, first.version);
      assert.equal((await tagsOf(name)).body[tag], last.version);
      assert.equal((await doc(name)).dist_tags[tag], last.version);
    }
  });
});
