/** PUT and DELETE /packages/{name}/deprecation and /packages/{name}/{version}/deprecation. */
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

// An empty token sends no Authorization header.
const path = (name: string, version?: string) => `${r.api}/packages/${name}${version ? `/${version}` : ''}/deprecation`;
const put = (name: string, json: unknown, token: string | undefined = owner.token, version?: string) =>
  call(path(name, version), { method: 'PUT', token, json });
const del = (name: string, token: string | undefined = owner.token, version?: string) =>
  call(path(name, version), { method: 'DELETE', token });

async function apiToken(token: string, scopes: string[], packages?: string[]) {
  const res = await call(`${r.api}/auth/tokens`, { token, json: { name: uniqueName('tok'), scopes, ...(packages ? { packages } : {}) } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token as string;
}

/** Everything a deprecation call could change: the rows' lifecycle columns and the audit log. */
async function state() {
  const db = r.registry.deps.db.kysely;
  const columns = ['deprecation_reason', 'deprecation_message', 'deprecation_replacement', 'deprecated_at', 'deprecated_by'] as const;
  return {
    packages: await db
      .selectFrom('packages')
      .select(['id', 'updated_at', ...columns])
      .orderBy('id')
      .execute(),
    versions: await db
      .selectFrom('versions')
      .select(['id', ...columns])
      .orderBy('id')
      .execute(),
    audit: (
      await db
        .selectFrom('audit_log')
        .select(({ fn }) => fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  };
}

async function auditOf(name: string) {
  const rows = await r.registry.deps.db.kysely
    .selectFrom('audit_log')
    .select(['action', 'actor_username', 'version', 'details'])
    .where('package_name', '=', name)
    .where('action', 'in', ['deprecate', 'undeprecate'])
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as unknown }));
}

function assertProblem(res: Res, status: number, code: string, detail?: RegExp) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, code, JSON.stringify(res.body));
  assert.ok(typeof res.body.detail === 'string' && res.body.detail.length > 0);
  if (detail) assert.match(res.body.detail, detail);
}

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('deprecating a whole package', () => {
  test('the owner deprecates it: 200 with the package document, and every reader sees it; DELETE undoes it', async () => {
    const name = uniqueName('oldpkg');
    const next = uniqueName('newpkg');
    await publishVersions(name, ['1.0.0', '1.1.0']);
    await publishVersions(next, ['1.0.0']);
    const before = await call(`${r.api}/packages/${name}`);
    assert.equal(before.body.deprecation, null, 'fetched once so the document is cached');

    const res = await put(name, { reason: 'renamed', message: '  Moved to a new name  ', replacement: next.replace(/-/g, '_') });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.name, name);
    const { deprecated_at, ...rest } = res.body.deprecation;
    assert.deepEqual(rest, { reason: 'renamed', message: 'Moved to a new name', replacement: next, deprecated_by: owner.username });
    assert.match(deprecated_at, iso);
    assert.ok(
      res.body.versions.every((v: { deprecation: unknown }) => v.deprecation === null),
      'the versions keep their own state',
    );

    const shown = await call(`${r.api}/packages/${name}`);
    assert.deepEqual(shown.body.deprecation, res.body.deprecation, 'the cached package document was rebuilt');
    assert.deepEqual(shown.body, res.body);
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`)).body.deprecation, null);

    const again = await put(name, { reason: 'security' });
    assert.equal(again.status, 200);
    assert.equal(again.body.deprecation.reason, 'security', 'deprecating again replaces the deprecation');
    assert.equal(again.body.deprecation.message, null);
    assert.equal(again.body.deprecation.replacement, null);

    const undone = await del(name);
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    assert.equal(undone.body.deprecation, null);
    assert.equal((await call(`${r.api}/packages/${name}`)).body.deprecation, null);

    assert.deepEqual(await auditOf(name), [
      {
        action: 'deprecate',
        actor_username: owner.username,
        version: null,
        details: { reason: 'renamed', message: 'Moved to a new name', replacement: next },
      },
      {
        action: 'deprecate',
        actor_username: owner.username,
        version: null,
        details: { reason: 'security', message: null, replacement: null },
      },
      {
        action: 'undeprecate',
        actor_username: owner.username,
        version: null,
        details: { reason: 'security', message: null, replacement: null },
      },
    ]);
  });

  test('a message of 500 characters (an emoji counts as one) is kept whole; an empty one is none', async () => {
    const name = uniqueName('longmsg');
    await publishVersions(name, ['1.0.0']);
    const message = `${'\u{1F680}'.repeat(10)}${'m'.repeat(490)}`;
    const res = await put(name, { reason: 'other', message, replacement: null });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.deprecation.message, message);
    assert.equal((await put(name, { reason: 'other', message: '   ' })).body.deprecation.message, null);
  });
});

describe('deprecating one version', () => {
  test('the version document, its entry in the package document and nothing else carry it', async () => {
    const name = uniqueName('oldver');
    await publishVersions(name, ['1.0.0', '1.1.0']);
    await call(`${r.api}/packages/${name}`);
    const res = await put(name, { reason: 'security', message: 'CVE-2026-0001: upgrade to 1.1.0' }, owner.token, '1.0.0');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.name, name);
    assert.equal(res.body.version, '1.0.0');
    assert.equal(res.body.deprecation.reason, 'security');
    assert.equal(res.body.deprecation.message, 'CVE-2026-0001: upgrade to 1.1.0');
    assert.equal(res.body.deprecation.deprecated_by, owner.username);
    assert.deepEqual((await call(`${r.api}/packages/${name}/1.0.0`)).body, res.body);

    const pkg = await call(`${r.api}/packages/${name}`);
    assert.equal(pkg.body.deprecation, null);
    const byVersion = Object.fromEntries(
      pkg.body.versions.map((v: { version: string; deprecation: unknown }) => [v.version, v.deprecation]),
    );
    assert.deepEqual(byVersion, { '1.1.0': null, '1.0.0': res.body.deprecation });
    const list = await call(`${r.api}/packages/${name}/versions`);
    assert.deepEqual(list.body.versions.find((v: { version: string }) => v.version === '1.0.0').deprecation, res.body.deprecation);

    const undone = await del(name, owner.token, '1.0.0');
    assert.equal(undone.status, 200);
    assert.equal(undone.body.version, '1.0.0');
    assert.equal(undone.body.deprecation, null);
    const after = await call(`${r.api}/packages/${name}`);
    assert.ok(after.body.versions.every((v: { deprecation: unknown }) => v.deprecation === null));
    assert.deepEqual(
      (await auditOf(name)).map((a) => [a.action, a.version]),
      [
        ['deprecate', '1.0.0'],
        ['undeprecate', '1.0.0'],
      ],
    );
  });

  test('an API token with the yank scope may deprecate, also one held to this package', async () => {
    const name = uniqueName('tokdep');
    await publishVersions(name, ['1.0.0']);
    assert.equal((await put(name, { reason: 'deprecated' }, await apiToken(owner.token, ['yank']))).status, 200);
    const held = await apiToken(owner.token, ['yank'], [name]);
    assert.equal((await put(name, { reason: 'invalid' }, held, '1.0.0')).status, 200);
    assert.equal((await del(name, held, '1.0.0')).status, 200);
    assert.equal((await del(name, held)).status, 200);
  });
});

describe('refusals change nothing', () => {
  test('401 without a token or with a bad one', async () => {
    const name = uniqueName('anondep');
    await publishVersions(name, ['1.0.0']);
    const before = await state();
    for (const token of ['', 'syn_0000000000000000000000000000000000000000']) {
      assertProblem(await put(name, { reason: 'other' }, token), 401, 'unauthorized');
      assertProblem(await put(name, { reason: 'other' }, token, '1.0.0'), 401, 'unauthorized');
      assertProblem(await del(name, token), 401, 'unauthorized');
      assertProblem(await del(name, token, '1.0.0'), 401, 'unauthorized');
    }
    assert.deepEqual(await state(), before);
  });

  test('400 for each bad field, all listed at once', async () => {
    const name = uniqueName('baddep');
    await publishVersions(name, ['1.0.0']);
    const before = await state();
    const cases: [body: unknown, fields: string[], detail: RegExp][] = [
      [{}, ['reason'], /reason must be one of "deprecated", "renamed", "security", "invalid", "other"/],
      [{ reason: 'obsolete' }, ['reason'], /reason must be one of/],
      [{ reason: 'other', message: 'm'.repeat(501) }, ['message'], /at most 500 characters/],
      [{ reason: 'other', message: 'line one\nline two' }, ['message'], /printable/],
      [{ reason: 'other', message: 'bell\u0007' }, ['message'], /printable/],
      [{ reason: 'other', message: 42 }, ['message'], /must be a string/],
      [{ reason: 'other', replacement: 'Not A Name!' }, ['replacement'], /replacement must be the name of a package/],
      [{ reason: 'other', replace: 'x' }, ['replace'], /unknown field replace/],
      [{ reason: 7, message: 'm'.repeat(501), replacement: '' }, ['reason', 'message', 'replacement'], /reason must be one of/],
    ];
    for (const [body, fields, detail] of cases) {
      for (const version of [undefined, '1.0.0']) {
        const res = await put(name, body, owner.token, version);
        assertProblem(res, 400, 'validation_failed', detail);
        assert.deepEqual(
          res.body.errors.map((e: { field: string }) => e.field),
          fields,
          JSON.stringify(body),
        );
      }
    }
    for (const body of [[], 'renamed', null]) assertProblem(await put(name, body), 400, 'validation_failed');
    assert.deepEqual(await state(), before);
  });

  test('400 for a replacement that does not exist, or is the package itself', async () => {
    const name = uniqueName('replbad');
    await publishVersions(name, ['1.0.0']);
    const before = await state();
    for (const version of [undefined, '1.0.0']) {
      const ghost = uniqueName('ghost');
      assertProblem(
        await put(name, { reason: 'renamed', replacement: ghost }, owner.token, version),
        400,
        'replacement_not_found',
        new RegExp(`no package named ${ghost}`),
      );
      for (const self of [name, name.replace(/-/g, '.')]) {
        assertProblem(
          await put(name, { reason: 'renamed', replacement: self }, owner.token, version),
          400,
          'replacement_is_self',
          /cannot be replaced by itself/,
        );
      }
    }
    assert.deepEqual(await state(), before);
  });

  test('403 not_owner for another user, 403 token_scope for a token without yank or held to other packages', async () => {
    const name = uniqueName('theirsdep');
    await publishVersions(name, ['1.0.0']);
    assert.equal((await put(name, { reason: 'other' }, owner.token, '1.0.0')).status, 200, 'deprecated, so DELETE would have work to do');
    assert.equal((await put(name, { reason: 'other' })).status, 200);
    const strangerToken = await apiToken(stranger.token, ['yank']);
    const publishOnly = await apiToken(owner.token, ['publish', 'delete', 'owners', 'dist-tags']);
    const elsewhere = await apiToken(owner.token, ['yank'], [uniqueName('other')]);
    const before = await state();
    const attempts = (token: string) => [
      put(name, { reason: 'renamed' }, token),
      put(name, { reason: 'renamed' }, token, '1.0.0'),
      del(name, token),
      del(name, token, '1.0.0'),
    ];
    for (const token of [stranger.token, strangerToken]) {
      for (const res of await Promise.all(attempts(token))) assertProblem(res, 403, 'not_owner', /not an owner/);
    }
    for (const token of [publishOnly, elsewhere]) {
      for (const res of await Promise.all(attempts(token))) assertProblem(res, 403, 'token_scope', /"yank" scope/);
    }
    assert.deepEqual(await state(), before);
  });

  test('404 for an unknown package, an unknown, invalid or deleted version', async () => {
    const name = uniqueName('gone');
    await publishVersions(name, ['1.0.0', '1.1.0']);
    assert.equal((await call(`${r.api}/packages/${name}/1.1.0`, { method: 'DELETE', token: owner.token })).status, 204);
    const before = await state();
    const ghost = uniqueName('ghost');
    for (const [pkg, version, code] of [
      [ghost, undefined, 'package_not_found'],
      [ghost, '1.0.0', 'package_not_found'],
      [name, '9.9.9', 'version_not_found'],
      [name, 'nope', 'version_not_found'],
      [name, '1.1.0', 'version_not_found'],
    ] as const) {
      assertProblem(await put(pkg, { reason: 'other' }, owner.token, version), 404, code);
      assertProblem(await del(pkg, owner.token, version), 404, code);
    }
    assert.deepEqual(await state(), before);
  });

  test('409 not_deprecated when there is nothing to undo', async () => {
    const name = uniqueName('notdep');
    await publishVersions(name, ['1.0.0']);
    assert.equal((await put(name, { reason: 'other' }, owner.token, '1.0.0')).status, 200, 'the version, not the package');
    const before = await state();
    assertProblem(await del(name), 409, 'not_deprecated', new RegExp(`${name} is not deprecated`));
    assert.equal((await del(name, owner.token, '1.0.0')).status, 200);
    const after = await state();
    assertProblem(await del(name, owner.token, '1.0.0'), 409, 'not_deprecated', new RegExp(`${name}@1.0.0 is not deprecated`));
    assert.deepEqual(await state(), after);
    assert.notDeepEqual(after, before);
  });
});

describe('at once', () => {
  test('two undos of one deprecation: one succeeds, the other is told, one audit entry', async () => {
    const name = uniqueName('race');
    await publishVersions(name, ['1.0.0']);
    assert.equal((await put(name, { reason: 'other' })).status, 200);
    assert.equal((await put(name, { reason: 'other' }, owner.token, '1.0.0')).status, 200);
    const answers = await Promise.all([del(name), del(name), del(name, owner.token, '1.0.0'), del(name, owner.token, '1.0.0')]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 409, 409]);
    const actions = (await auditOf(name)).map((a) => `${a.action} ${a.version}`);
    assert.deepEqual(actions.filter((a) => a.startsWith('undeprecate')).sort(), ['undeprecate 1.0.0', 'undeprecate null']);
  });

  test('deprecating the package and a version at once: both land, and the document shows both', async () => {
    const name = uniqueName('both');
    await publishVersions(name, ['1.0.0', '1.1.0']);
    const answers = await Promise.all([
      put(name, { reason: 'deprecated' }),
      put(name, { reason: 'invalid' }, owner.token, '1.0.0'),
      put(name, { reason: 'security' }, owner.token, '1.1.0'),
    ]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200],
    );
    const pkg = (await call(`${r.api}/packages/${name}`)).body;
    assert.equal(pkg.deprecation.reason, 'deprecated');
    assert.deepEqual(
      pkg.versions.map((v: { deprecation: { reason: string } }) => v.deprecation.reason),
      ['security', 'invalid'],
    );
  });
});
