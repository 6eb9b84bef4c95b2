/** PUT/DELETE /packages/{name}/{version}/yank: who may yank, what a yank changes and what it leaves alone. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName, type Res } from '../../helpers/client.ts';

let r: TestRegistry;
let owner: { username: string; token: string };
let stranger: { username: string; token: string };

before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
  stranger = await signUp(r.api);
});
after(() => r.close());

async function publishVersions(name: string, versions: string[]) {
  for (const version of versions) {
    const res = await publish(r.api, owner.token, { name, version });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
}

const yank = (name: string, version: string, token?: string, json: unknown = {}) =>
  call(`${r.api}/packages/${name}/${version}/yank`, { method: 'PUT', token, json });
const unyank = (name: string, version: string, token?: string) =>
  call(`${r.api}/packages/${name}/${version}/yank`, { method: 'DELETE', token });

async function apiToken(token: string, scopes: string[], packages?: string[]) {
  const res = await call(`${r.api}/auth/tokens`, { token, json: { name: uniqueName('tok'), scopes, packages } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token as string;
}

/** What a yank could change: the version rows, the package row and the audit log. */
async function snapshot(name: string) {
  const db = r.registry.deps.db.kysely;
  const pkg = await db.selectFrom('packages').selectAll().where('name', '=', name).executeTakeFirst();
  const versions = pkg ? await db.selectFrom('versions').selectAll().where('package_id', '=', pkg.id).orderBy('id').execute() : [];
  const audit = await db.selectFrom('audit_log').select(['id', 'action']).where('action', 'in', ['yank', 'unyank']).execute();
  return { pkg, versions, audit };
}

async function auditOf(name: string) {
  return r.registry.deps.db.kysely
    .selectFrom('audit_log')
    .select(['action', 'actor_username', 'version', 'details'])
    .where('package_name', '=', name)
    .where('action', 'in', ['yank', 'unyank'])
    .orderBy('id')
    .execute();
}

describe('yank and unyank', () => {
  test('a yanked version still shows and downloads, and latest moves off it and back', async () => {
    const name = uniqueName('yank');
    await publishVersions(name, ['1.0.0', '1.1.0']);
    const before = await call(`${r.api}/packages/${name}`);
    assert.equal(before.body.latest, '1.1.0');

    const res = await yank(name, '1.1.0', owner.token, { reason: 'breaks on Windows' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.name, name);
    assert.equal(res.body.version, '1.1.0');
    assert.equal(res.body.yanked, true);
    assert.equal(res.body.yank_reason, 'breaks on Windows');
    assert.equal(res.body.yanked_by, owner.username);
    assert.ok(Date.parse(res.body.yanked_at) > 0);

    const shown = await call(`${r.api}/packages/${name}/1.1.0`);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.yanked, true);
    assert.equal(shown.body.yank_reason, 'breaks on Windows');
    assert.equal((await call(`${r.api}/packages/${name}/1.1.0/tarball`)).status, 200, 'a yanked version still downloads');

    const pkg = await call(`${r.api}/packages/${name}`);
    assert.equal(pkg.body.latest, '1.0.0', 'latest is never a yanked version while another exists');
    assert.notEqual(pkg.body.updated_at, before.body.updated_at);
    const entry = pkg.body.versions.find((v: { version: string }) => v.version === '1.1.0');
    assert.equal(entry.yanked, true);
    assert.equal(entry.yank_reason, 'breaks on Windows');

    const back = await unyank(name, '1.1.0', owner.token);
    assert.equal(back.status, 200);
    assert.equal(back.body.yanked, false);
    assert.equal(back.body.yank_reason, null);
    assert.equal(back.body.yanked_at, null);
    assert.equal(back.body.yanked_by, null);
    assert.equal((await call(`${r.api}/packages/${name}`)).body.latest, '1.1.0');

    assert.deepEqual(
      (await auditOf(name)).map((e) => [e.action, e.actor_username, e.version, JSON.parse(e.details)]),
      [
        ['yank', owner.username, '1.1.0', { reason: 'breaks on Windows', was_yanked: false }],
        ['unyank', owner.username, '1.1.0', { was_yanked: true }],
      ],
    );
  });

  test('when every version is yanked, latest stays the highest one', async () => {
    const name = uniqueName('yankall');
    await publishVersions(name, ['1.0.0', '1.1.0']);
    assert.equal((await yank(name, '1.0.0', owner.token)).status, 200);
    assert.equal((await call(`${r.api}/packages/${name}`)).body.latest, '1.1.0');
    assert.equal((await yank(name, '1.1.0', owner.token)).status, 200);
    assert.equal((await call(`${r.api}/packages/${name}`)).body.latest, '1.1.0');
    assert.equal((await unyank(name, '1.0.0', owner.token)).status, 200);
    assert.equal((await call(`${r.api}/packages/${name}`)).body.latest, '1.0.0');
  });

  test('yank and unyank are idempotent: a second yank replaces the reason, unyanking a live version changes nothing', async () => {
    const name = uniqueName('yankagain');
    await publishVersions(name, ['1.0.0']);
    const plain = await unyank(name, '1.0.0', owner.token);
    assert.equal(plain.status, 200);
    assert.equal(plain.body.yanked, false);
    assert.equal((await yank(name, '1.0.0', owner.token, { reason: 'first' })).body.yank_reason, 'first');
    const again = await yank(name, '1.0.0', owner.token, { reason: '  second  ' });
    assert.equal(again.status, 200);
    assert.equal(again.body.yank_reason, 'second', 'trimmed');
    const noReason = await yank(name, '1.0.0', owner.token, { reason: null });
    assert.equal(noReason.body.yank_reason, null);
    const noBody = await call(`${r.api}/packages/${name}/1.0.0/yank`, { method: 'PUT', token: owner.token });
    assert.equal(noBody.status, 200, JSON.stringify(noBody.body));
    assert.equal(noBody.body.yanked, true);
    assert.deepEqual(
      (await auditOf(name)).map((e) => [e.action, JSON.parse(e.details)]),
      [
        ['unyank', { was_yanked: false }],
        ['yank', { reason: 'first', was_yanked: false }],
        ['yank', { reason: 'second', was_yanked: true }],
        ['yank', { reason: null, was_yanked: true }],
        ['yank', { reason: null, was_yanked: true }],
      ],
    );
  });

  test('an API token needs the yank scope, for this package', async () => {
    const name = uniqueName('yanktok');
    await publishVersions(name, ['1.0.0']);
    const yankToken = await apiToken(owner.token, ['yank'], [name]);
    assert.equal((await yank(name, '1.0.0', yankToken, { reason: 'via token' })).status, 200);
    assert.equal((await unyank(name, '1.0.0', yankToken)).status, 200);
  });

  test('refusals: 401, 403, 404 and 400, each changing nothing', async () => {
    const name = uniqueName('yankno');
    await publishVersions(name, ['1.0.0', '1.1.0']);
    assert.equal((await yank(name, '1.1.0', owner.token, { reason: 'kept' })).status, 200);
    const publishOnly = await apiToken(owner.token, ['publish']);
    const otherPackage = await apiToken(owner.token, ['yank'], [uniqueName('elsewhere')]);
    const state = await snapshot(name);

    const cases: Array<[string, Promise<Res>, number, string, RegExp]> = [
      ['no token', yank(name, '1.0.0'), 401, 'unauthorized', /Authorization/],
      ['no token, unyank', unyank(name, '1.1.0'), 401, 'unauthorized', /Authorization/],
      ['bad token', yank(name, '1.0.0', 'nope'), 401, 'unauthorized', /log in again/],
      ['stranger', yank(name, '1.0.0', stranger.token), 403, 'not_owner', /not an owner of .* cannot yank/],
      ['stranger, unyank', unyank(name, '1.1.0', stranger.token), 403, 'not_owner', /cannot unyank/],
      ['publish-only token', yank(name, '1.0.0', publishOnly), 403, 'token_scope', /needs the "yank" scope/],
      ['token for another package', unyank(name, '1.1.0', otherPackage), 403, 'token_scope', /needs the "yank" scope/],
      ['no such package', yank(uniqueName('ghost'), '1.0.0', owner.token), 404, 'package_not_found', /No package named/],
      ['no such version', yank(name, '9.9.9', owner.token), 404, 'version_not_found', /has no version 9\.9\.9/],
      ['not a version', unyank(name, 'latest', owner.token), 404, 'version_not_found', /has no version latest/],
      ['long reason', yank(name, '1.0.0', owner.token, { reason: 'x'.repeat(501) }), 400, 'validation_failed', /500/],
      ['control characters', yank(name, '1.0.0', owner.token, { reason: 'a\u001b[2Jb' }), 400, 'validation_failed', /printable/],
      ['newline', yank(name, '1.0.0', owner.token, { reason: 'a\nb' }), 400, 'validation_failed', /printable/],
      ['not a string', yank(name, '1.0.0', owner.token, { reason: { text: 'x' } }), 400, 'validation_failed', /string/],
      ['not an object', yank(name, '1.0.0', owner.token, ['x']), 400, 'validation_failed', /object/],
    ];
    for (const [label, pending, status, code, detail] of cases) {
      const res = await pending;
      assert.equal(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, code, label);
      assert.match(res.body.detail, detail, label);
    }
    assert.deepEqual(await snapshot(name), state, 'nothing changed');
    assert.equal((await yank(name, '1.0.0', owner.token, { reason: 'é'.repeat(500) })).status, 200, '500 characters is fine');
  });

  test('a deleted version cannot be yanked', async () => {
    const name = uniqueName('yankdel');
    await publishVersions(name, ['1.0.0', '1.0.1']);
    assert.equal((await call(`${r.api}/packages/${name}/1.0.1`, { method: 'DELETE', token: owner.token })).status, 204);
    const res = await yank(name, '1.0.1', owner.token);
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'version_not_found');
  });

  test('two owners yanking and unyanking at once: every call lands, in one order, and the state is the last one', async () => {
    const name = uniqueName('yankrace');
    await publishVersions(name, ['1.0.0', '1.1.0']);
    const second = await signUp(r.api);
    const db = r.registry.deps.db.kysely;
    const pkg = await db.selectFrom('packages').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    await db
      .insertInto('package_owners')
      .values({ package_id: pkg.id, user_id: await userId(second.username), created_at: new Date().toISOString() })
      .execute();

    const rounds = 6;
    for (let i = 0; i < rounds; i++) {
      const [a, b] = await Promise.all([
        yank(name, '1.1.0', owner.token, { reason: `round ${i}` }),
        i % 2 === 0 ? unyank(name, '1.1.0', second.token) : yank(name, '1.1.0', second.token, { reason: `other ${i}` }),
      ]);
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(b.status, 200, JSON.stringify(b.body));
      const entries = await auditOf(name);
      assert.equal(entries.length, 2 * (i + 1), 'no call lost');
      const last = entries[entries.length - 1]!;
      const shown = (await call(`${r.api}/packages/${name}/1.1.0`)).body;
      assert.equal(shown.yanked, last.action === 'yank', `round ${i}: the state is the last call's`);
      if (last.action === 'yank') {
        assert.equal(shown.yank_reason, JSON.parse(last.details).reason);
        assert.equal(shown.yanked_by, last.actor_username);
      }
      // Each entry saw the state the one before it left.
      const previous = entries[entries.length - 2]!;
      assert.equal(JSON.parse(last.details).was_yanked, previous.action === 'yank', `round ${i}: serialised`);
      const latest = (await call(`${r.api}/packages/${name}`)).body.latest;
      assert.equal(latest, shown.yanked ? '1.0.0' : '1.1.0');
    }
  });
});

async function userId(username: string): Promise<number> {
  const row = await r.registry.deps.db.kysely.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return row.id;
}

describe('the yank action limit', () => {
  test('yanks and unyanks share the per-account burst; a refused call spends nothing; the 429 changes nothing', async () => {
    let at = Date.now();
    const limited = await startRegistry(
      { REGISTRY_LIMIT_YANKS_BURST: '2', REGISTRY_LIMIT_YANKS_EVERY_MS: '60000' },
      { now: () => new Date(at) },
    );
    try {
      const me = await signUp(limited.api);
      const someone = await signUp(limited.api);
      const name = uniqueName('yanklimit');
      for (const version of ['1.0.0', '1.1.0']) assert.equal((await publish(limited.api, me.token, { name, version })).status, 201);
      const put = (token: string) => call(`${limited.api}/packages/${name}/1.1.0/yank`, { method: 'PUT', token, json: {} });
      assert.equal((await put(someone.token)).status, 403, 'not an owner: refused before the limit');
      assert.equal((await put(me.token)).status, 200);
      assert.equal((await call(`${limited.api}/packages/${name}/1.1.0/yank`, { method: 'DELETE', token: me.token })).status, 200);
      const over = await put(me.token);
      assert.equal(over.status, 429, JSON.stringify(over.body));
      assert.equal(over.body.code, 'action_rate_limited');
      assert.equal(over.headers.get('retry-after'), '60');
      assert.equal((await call(`${limited.api}/packages/${name}/1.1.0`)).body.yanked, false, 'the 429 changed nothing');
      at += 60_000;
      assert.equal((await put(me.token)).status, 200, 'a token comes back after the interval');
    } finally {
      await limited.close();
    }
  });
});
