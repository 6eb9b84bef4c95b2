/** GET /packages/{name}/audit: a package's audit log for its owners and admins, newest first, paged. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { apiToken, assertProblem, auditRows, signUpAdmin, type User } from '../admin/admin-helpers.ts';

let r: TestRegistry;
let owner: User;
let coOwner: User;
let stranger: User;
let admin: User;
let name: string;
let publishToken: string;
let tokenId: number;

before(async () => {
  r = await startRegistry();
  [owner, coOwner, stranger, admin] = [await signUp(r.api), await signUp(r.api), await signUp(r.api), await signUpAdmin(r)];
  name = uniqueName('audited');
  assert.equal((await publish(r.api, owner.token, { name, version: '1.0.0' })).status, 201);
  publishToken = await apiToken(r, owner.token, ['publish', 'delete'], [name]);
  tokenId = (await call(`${r.api}/auth/tokens`, { token: owner.token })).body.tokens[0].id;
  assert.equal((await publish(r.api, publishToken, { name, version: '1.1.0' })).status, 201);
  assert.equal((await call(`${r.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: owner.token })).status, 204);
  // A co-owner, added in the database (owner invitations are their own routes).
  const db = r.registry.deps.db.kysely;
  const pkg = await db.selectFrom('packages').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  const co = await db.selectFrom('users').select('id').where('username', '=', coOwner.username).executeTakeFirstOrThrow();
  await db.insertInto('package_owners').values({ package_id: pkg.id, user_id: co.id, created_at: new Date().toISOString() }).execute();
});
after(() => r.close());

const audit = (token?: string, query = '') => call(`${r.api}/packages/${name}/audit${query}`, { token });

describe('GET /packages/{name}/audit', () => {
  test('an owner sees every entry of the package, newest first, with who, which token, what and where from', async () => {
    const res = await audit(owner.token);
    assert.equal(res.status, 200);
    assert.equal(res.body.total, 3);
    assert.deepEqual(
      res.body.results.map((e: { action: string; version: string }) => `${e.action} ${e.version}`),
      ['delete 1.0.0', 'publish 1.1.0', 'publish 1.0.0'],
    );
    const [del, viaToken, first] = res.body.results;
    assert.ok(del.id > viaToken.id && viaToken.id > first.id);
    assert.deepEqual(Object.keys(del).sort(), [
      'action',
      'actor',
      'at',
      'details',
      'id',
      'ip',
      'package',
      'token_id',
      'user_agent',
      'version',
    ]);
    assert.equal(del.actor, owner.username);
    assert.equal(del.package, name);
    assert.equal(del.token_id, null, 'a session');
    assert.equal(viaToken.token_id, tokenId, 'the API token used');
    assert.deepEqual(del.details, {});
    assert.equal(del.ip, '127.0.0.1');
    assert.equal(del.user_agent, 'node');
    assert.ok(!Number.isNaN(Date.parse(del.at)));
  });

  test("a co-owner sees the entries but not another account's address or user agent; an admin sees them", async () => {
    const co = await audit(coOwner.token);
    assert.equal(co.status, 200);
    assert.equal(co.body.total, 3);
    for (const entry of co.body.results) {
      assert.equal(entry.actor, owner.username);
      assert.equal(entry.ip, null);
      assert.equal(entry.user_agent, null);
    }
    const asAdmin = await audit(admin.token);
    assert.equal(asAdmin.status, 200);
    assert.ok(asAdmin.body.results.every((e: { ip: string | null }) => e.ip === '127.0.0.1'));
  });

  test('a token limited to the package may read it; paging is page and per_page, newest first', async () => {
    const page2 = await audit(publishToken, '?per_page=1&page=2');
    assert.equal(page2.status, 200);
    assert.deepEqual([page2.body.total, page2.body.page, page2.body.per_page], [3, 2, 1]);
    assert.deepEqual(
      page2.body.results.map((e: { version: string }) => e.version),
      ['1.1.0'],
    );
    const past = await audit(owner.token, '?page=9');
    assert.equal(past.status, 200);
    assert.deepEqual(past.body.results, []);
    assert.equal(past.body.total, 3);
  });

  test('refusals: no login, not an owner, a token for other packages, an unknown package, bad paging; a GET writes nothing', async () => {
    const other = uniqueName('other');
    assert.equal((await publish(r.api, owner.token, { name: other, version: '1.0.0' })).status, 201);
    const elsewhere = await apiToken(r, owner.token, ['publish'], [other]);
    const adminToken = await apiToken(r, admin.token, ['publish']);
    const entries = await auditRows(r);
    assertProblem(await audit(), 401, 'unauthorized');
    assertProblem(await audit(stranger.token), 403, 'not_owner', /not an owner of .*cannot read its audit log/);
    assertProblem(await audit(adminToken), 403, 'not_owner', undefined);
    assertProblem(await audit(elsewhere), 403, 'token_scope', /limited to other packages/);
    assertProblem(await call(`${r.api}/packages/${uniqueName('ghost')}/audit`, { token: owner.token }), 404, 'package_not_found');
    assertProblem(await audit(owner.token, '?per_page=0'), 400, 'invalid_query_parameter', /per_page must be a whole number from 1 to 100/);
    assertProblem(await audit(owner.token, '?page=10000&per_page=100'), 400, 'invalid_query_parameter', /the last page is 100/);
    assert.deepEqual(await auditRows(r), entries);
  });
});
