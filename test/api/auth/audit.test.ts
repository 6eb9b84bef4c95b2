/** GET /auth/audit: one's own account's entries (what one did, and what was done about the account). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { setAdmin } from '../../../packages/registry/src/registry/admins.ts';
import { apiToken, assertProblem, auditRows, type User } from '../admin/admin-helpers.ts';

let r: TestRegistry;
let me: User;
let other: User;

before(async () => {
  r = await startRegistry();
  me = await signUp(r.api);
  other = await signUp(r.api);
});
after(() => r.close());

const mine = (token?: string, query = '') => call(`${r.api}/auth/audit${query}`, { token });

describe('GET /auth/audit', () => {
  test("lists my actions and what was done about my account, newest first; not other accounts' entries", async () => {
    const name = uniqueName('mine');
    assert.equal((await publish(r.api, me.token, { name, version: '1.0.0' })).status, 201);
    await apiToken(r, me.token, ['publish']);
    assert.equal((await publish(r.api, other.token, { name: uniqueName('theirs'), version: '1.0.0' })).status, 201);
    // A failed login to my account, from someone else's client.
    const failed = await call(`${r.api}/auth/login`, {
      json: { username: me.username, password: 'wrong-password-1' },
      headers: { 'user-agent': 'guesser/1' },
    });
    assert.equal(failed.status, 401);
    await setAdmin(r.registry.deps.db.kysely, { username: me.username, admin: true, now: new Date().toISOString() });

    const res = await mine(me.token);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((e: { action: string }) => e.action),
      ['admin_grant', 'login_failure', 'token_create', 'publish'],
    );
    assert.equal(res.body.total, 4);
    const [grant, failure, created] = res.body.results;
    assert.equal(grant.actor, null);
    assert.deepEqual(grant.details, { by: 'command line', username: me.username });
    assert.equal(failure.actor, null);
    assert.equal(failure.user_agent, 'guesser/1', 'a failed login to my account shows where it came from');
    assert.equal(created.actor, me.username);
    assert.deepEqual(Object.keys(created.details).sort(), ['name', 'packages', 'scopes', 'token_id']);

    const theirs = await mine(other.token);
    assert.deepEqual(
      theirs.body.results.map((e: { action: string }) => e.action),
      ['publish'],
    );
  });

  test('paged like every list', async () => {
    const res = await mine(me.token, '?per_page=2&page=2');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((e: { action: string }) => e.action),
      ['token_create', 'publish'],
    );
  });

  test('refusals: no login, an API token, bad paging; a GET writes nothing', async () => {
    const token = await apiToken(r, other.token, ['publish']);
    const entries = await auditRows(r);
    assertProblem(await mine(), 401, 'unauthorized');
    assertProblem(await mine(token), 403, 'session_required', /log in with your password/);
    assertProblem(await mine(me.token, '?page=abc'), 400, 'invalid_query_parameter', /page must be a whole number/);
    assert.deepEqual(await auditRows(r), entries);
  });
});
