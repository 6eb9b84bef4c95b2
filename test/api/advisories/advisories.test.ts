/** Advisories through the API: filing (admins, owners), reading, editing and withdrawing, and the bulk query. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { apiToken, assertProblem, auditRows, signUpAdmin, type User } from '../admin/admin-helpers.ts';
import { osv } from './osv-fixtures.ts';

let r: TestRegistry;
let admin: User;
let owner: User;
let stranger: User;

before(async () => {
  r = await startRegistry();
  admin = await signUpAdmin(r);
  owner = await signUp(r.api);
  stranger = await signUp(r.api);
});
after(() => r.close());

async function packageWith(versions: string[]): Promise<string> {
  const name = uniqueName('vuln');
  for (const version of versions) assert.equal((await publish(r.api, owner.token, { name, version })).status, 201);
  return name;
}

const file = (token: string, body: unknown) => call(`${r.api}/advisories`, { token, json: body });
const edit = (token: string, id: string, body: unknown) => call(`${r.api}/advisories/${id}`, { method: 'PUT', token, json: body });
const query = (body: unknown) => call(`${r.api}/advisories/query`, { json: body });

describe('filing and reading advisories', () => {
  test('an admin files an OSV advisory with its own id; GET shows it with the level the CVSS vector gives', async () => {
    const name = await packageWith(['1.0.0', '1.1.0']);
    const id = `GHSA-${uniqueName('a').replace(/[^a-z0-9]/g, '')}`;
    const res = await file(admin.token, osv({ id, name, events: [{ introduced: '0' }, { fixed: '1.1.0' }], aliases: ['CVE-2025-0001'] }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.id, id);
    assert.equal(res.body.database_specific.severity, 'CRITICAL', 'AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H scores 9.8');
    const shown = await call(`${r.api}/advisories/${id}`);
    assert.equal(shown.status, 200);
    assert.deepEqual(shown.body.aliases, ['CVE-2025-0001']);
    assert.equal(shown.body.affected[0].package.name, name);
    const audited = (await auditRows(r)).filter((e) => e.action === 'advisory_publish' && e.package_name === name);
    assert.equal(audited.length, 1, 'the filing is audited against the package');
  });

  test('an owner files one about their own package under an id the registry gives; others may not', async () => {
    const name = await packageWith(['2.0.0']);
    const body = osv({ name, events: [{ introduced: '2.0.0' }], level: 'LOW' });
    delete (body as { id?: string }).id;
    assertProblem(await file(stranger.token, body), 403, 'not_owner', /not an owner of/);
    const noScope = await apiToken(r, owner.token, ['yank'], [name]);
    assertProblem(await file(noScope, body), 403, 'token_scope', /"publish" scope/);
    assertProblem(await file(owner.token, { ...body, id: 'GHSA-mine' }), 400, 'validation_failed', /registry assigns the id/);
    const res = await file(owner.token, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.match(res.body.id, /^SYN-\d{4}-\d{4,}$/);
    assert.equal((await call(`${r.api}/advisories/${res.body.id}`)).body.database_specific.severity, 'LOW');
  });

  test('a document that is not valid OSV, or names another ecosystem or an unknown package, is refused with each reason', async () => {
    const name = await packageWith(['1.0.0']);
    const notOsv = await file(admin.token, { id: 'GHSA-x1', affected: 'everything' });
    assertProblem(notOsv, 400, 'validation_failed', /OSV schema/);
    assert.ok(
      notOsv.body.errors.some((e: { field: string }) => e.field === 'affected'),
      JSON.stringify(notOsv.body.errors),
    );
    const npm = osv({ id: 'GHSA-x2', name, events: [{ introduced: '0' }] });
    npm.affected[0]!.package.ecosystem = 'npm';
    assertProblem(await file(admin.token, npm), 400, 'validation_failed', /this registry holds "Synapse" packages/);
    assertProblem(
      await file(admin.token, osv({ id: 'GHSA-x3', name, events: [{ introduced: '1.0' }] })),
      400,
      'validation_failed',
      /SemVer/,
    );
    assertProblem(
      await file(admin.token, osv({ id: 'GHSA-x4', name: uniqueName('ghost'), events: [{ introduced: '0' }] })),
      404,
      'package_not_found',
    );
    assert.equal((await call(`${r.api}/advisories/GHSA-x4`)).status, 404, 'nothing of a refused advisory is stored');
  });

  test('an alias (any case) finds the advisory that names it; two naming one CVE are listed with 300; an edit can drop it', async () => {
    const name = await packageWith(['1.0.0']);
    const cve = `CVE-2031-${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const first = `GHSA-${uniqueName('b').replace(/[^a-z0-9]/g, '')}`;
    assert.equal(
      (await file(admin.token, osv({ id: first, name, events: [{ introduced: '0' }], aliases: [cve, 'GHSA-Mixed-Case'] }))).status,
      201,
    );
    const byAlias = await call(`${r.api}/advisories/${cve.toLowerCase()}`);
    assert.equal(byAlias.status, 200, JSON.stringify(byAlias.body));
    assert.equal(byAlias.body.id, first);
    assert.equal(byAlias.headers.get('content-location'), `${r.api}/advisories/${first}`);
    assert.equal((await call(`${r.api}/advisories/${first}`)).headers.get('content-location'), null, 'an id needs no pointer');

    const second = `GHSA-${uniqueName('c').replace(/[^a-z0-9]/g, '')}`;
    assert.equal((await file(admin.token, osv({ id: second, name, events: [{ introduced: '0' }], aliases: [cve] }))).status, 201);
    const both = await call(`${r.api}/advisories/${cve}`);
    assert.equal(both.status, 300);
    assert.deepEqual(
      both.body.advisories.map((a: { id: string }) => a.id),
      [first, second],
    );

    assert.equal((await edit(admin.token, second, osv({ id: second, name, events: [{ introduced: '0' }] }))).status, 200);
    assert.equal((await call(`${r.api}/advisories/${cve}`)).body.id, first, 'the edit took the alias off the second');
    assertProblem(await call(`${r.api}/advisories/CVE-1999-0000000`), 404, 'advisory_not_found', /id or alias/);
  });

  test('editing moves the document; withdrawing keeps it listed but it affects nothing', async () => {
    const name = await packageWith(['1.0.0', '1.5.0']);
    const id = `GHSA-${uniqueName('w').replace(/[^a-z0-9]/g, '')}`;
    assert.equal((await file(admin.token, osv({ id, name, events: [{ introduced: '0' }, { fixed: '1.5.0' }] }))).status, 201);
    assert.deepEqual(Object.keys((await query({ [name]: ['1.0.0'] })).body.results), [name]);
    assertProblem(await edit(owner.token, id, osv({ id, name, events: [{ introduced: '0' }] })), 403, 'not_advisory_author');
    const withdrawn = await edit(admin.token, id, {
      ...osv({ id, name, events: [{ introduced: '0' }, { fixed: '1.5.0' }] }),
      withdrawn: '2025-06-01T00:00:00Z',
    });
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.deepEqual((await query({ [name]: ['1.0.0'] })).body.results, {}, 'a withdrawn advisory matches nothing');
    const listed = await call(`${r.api}/packages/${name}/advisories`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.advisories[0].id, id);
    assert.equal(listed.body.advisories[0].withdrawn, '2025-06-01T00:00:00.000Z');
    assert.deepEqual(listed.body.advisories[0].affected_versions, []);
    assert.ok(
      (await auditRows(r)).some((e) => e.action === 'advisory_withdraw' && e.package_name === name),
      'the withdrawal is audited',
    );
  });
});

describe('the advisories summary in package and version documents', () => {
  test('a cached package document shows a new advisory at once, per version, and drops it when withdrawn', async () => {
    const name = await packageWith(['1.0.0', '1.1.0', '2.0.0']);
    const before = await call(`${r.api}/packages/${name}`);
    assert.deepEqual(before.body.versions[0].advisories, { count: 0, highest: null, ids: [] });
    const id = `GHSA-${uniqueName('s').replace(/[^a-z0-9]/g, '')}`;
    const low = `GHSA-${uniqueName('l').replace(/[^a-z0-9]/g, '')}`;
    assert.equal((await file(admin.token, osv({ id, name, events: [{ introduced: '1.0.0' }, { fixed: '2.0.0' }] }))).status, 201);
    assert.equal(
      (await file(admin.token, osv({ id: low, name, events: [{ introduced: '0' }, { last_affected: '1.0.0' }], level: 'LOW' }))).status,
      201,
    );
    const doc = await call(`${r.api}/packages/${name}`);
    const byVersion = Object.fromEntries(doc.body.versions.map((v: { version: string; advisories: unknown }) => [v.version, v.advisories]));
    assert.deepEqual(byVersion['1.0.0'], { count: 2, highest: 'critical', ids: [id, low].sort() });
    assert.deepEqual(byVersion['1.1.0'], { count: 1, highest: 'critical', ids: [id] });
    assert.deepEqual(byVersion['2.0.0'], { count: 0, highest: null, ids: [] });
    const version = await call(`${r.api}/packages/${name}/1.1.0`);
    assert.deepEqual(version.body.advisories, { count: 1, highest: 'critical', ids: [id] }, 'the version document carries it too');
    const list = await call(`${r.api}/packages/${name}/versions`);
    assert.equal(list.body.versions.find((v: { version: string }) => v.version === '1.0.0').advisories.count, 2);
    const page = await (await fetch(`${r.url}/packages/${name}/1.1.0`)).text();
    assert.ok(
      page.includes(
        `Version 1.1.0 is affected by a known advisory (highest severity: critical): <a href="/api/v1/advisories/${id}">${id}</a>`,
      ),
      'the web page says so, with a link to the advisory',
    );

    assert.equal(
      (
        await edit(admin.token, id, {
          ...osv({ id, name, events: [{ introduced: '1.0.0' }, { fixed: '2.0.0' }] }),
          withdrawn: '2025-06-02T00:00:00Z',
        })
      ).status,
      200,
    );
    const after = await call(`${r.api}/packages/${name}`);
    const v100 = after.body.versions.find((v: { version: string }) => v.version === '1.0.0');
    assert.deepEqual(v100.advisories, { count: 1, highest: 'low', ids: [low] }, 'the withdrawn one no longer counts');
  });
});

describe('POST /advisories/query', () => {
  test('a generated lockfile: each affected version gets its advisories and fixed version; the rest are left out', async () => {
    const a = await packageWith(['1.0.0', '1.2.0', '2.0.0-beta.1', '2.0.0']);
    const b = await packageWith(['0.1.0', '0.2.0']);
    const idA = `GHSA-${uniqueName('qa').replace(/[^a-z0-9]/g, '')}`;
    const idB = `GHSA-${uniqueName('qb').replace(/[^a-z0-9]/g, '')}`;
    assert.equal((await file(admin.token, osv({ id: idA, name: a, events: [{ introduced: '1.1.0' }, { fixed: '2.0.0' }] }))).status, 201);
    assert.equal(
      (await file(admin.token, osv({ id: idB, name: b, events: [{ introduced: '0' }, { last_affected: '0.1.0' }], level: 'MODERATE' })))
        .status,
      201,
    );
    const lockfile: Record<string, string[]> = { [a]: ['1.0.0', '1.2.0', '2.0.0-beta.1', '2.0.0'], [b]: ['0.1.0', '0.2.0'] };
    for (let i = 0; i < 1500; i++) lockfile[`unrelated-${i}`] = ['1.0.0'];
    const res = await query(lockfile);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.results, {
      [a]: { '1.2.0': [{ id: idA, fixed: '2.0.0' }], '2.0.0-beta.1': [{ id: idA, fixed: '2.0.0' }] },
      [b]: { '0.1.0': [{ id: idB, fixed: null }] },
    });
    assert.deepEqual(Object.keys(res.body.advisories).sort(), [idA, idB].sort());
    assert.equal(res.body.advisories[idB].level, 'moderate');
    assert.equal(res.body.advisories[idA].cvss.score, 9.8);
  });

  test('past the caps, or with versions that are not SemVer, the query is refused and says why', async () => {
    const tooMany = Object.fromEntries(Array.from({ length: 5001 }, (_, i) => [`p${i}`, ['1.0.0']]));
    assert.equal((await query(tooMany)).status, 400);
    assertProblem(await query({ web: ['1.0'] }), 400, 'validation_failed', /web\.1\.0/);
  });
});
