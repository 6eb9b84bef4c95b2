import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, PASSWORD, signUp, type Res } from '../../helpers/client.ts';

let r: TestRegistry;
before(async () => {
  r = await startRegistry();
});
after(async () => {
  await r.close();
});

const db = () => r.registry.deps.db.kysely;
const logout = (token?: string) => call(`${r.api}/auth/logout`, { method: 'POST', token });
const logoutAll = (token?: string) => call(`${r.api}/auth/logout-all`, { method: 'POST', token });
const verify = (token: string) => call(`${r.api}/auth/verify`, { method: 'POST', token });
const listTokens = (token: string) => call(`${r.api}/auth/tokens`, { token });

async function loginAgain(username: string): Promise<string> {
  const res = await call(`${r.api}/auth/login`, { json: { username, password: PASSWORD } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.token;
}

async function apiToken(session: string): Promise<string> {
  const res = await call(`${r.api}/auth/tokens`, { token: session, json: { name: 'ci', scopes: ['publish'] } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.token;
}

function assertProblem(res: Res, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, code);
}

describe('POST /auth/logout', () => {
  test("204, then that session token is refused everywhere; the user's other sessions still work", async () => {
    const { username, token } = await signUp(r.api);
    const other = await loginAgain(username);
    assert.equal((await listTokens(token)).status, 200);

    const res = await logout(token);
    assert.equal(res.status, 204);
    assert.equal(res.body, '');
    assertProblem(await verify(token), 401, 'unauthorized');
    assertProblem(await listTokens(token), 401, 'unauthorized');
    assertProblem(await logout(token), 401, 'unauthorized');

    assert.equal((await verify(other)).status, 200);
    assert.equal((await listTokens(other)).status, 200);
  });

  test('without a token → 401; with an API token → 403 session_required, and the API token keeps working', async () => {
    assertProblem(await logout(), 401, 'unauthorized');
    const { token } = await signUp(r.api);
    const api = await apiToken(token);
    assertProblem(await logout(api), 403, 'session_required');
    assert.equal((await verify(api)).status, 200);
  });

  test('deny-list rows of expired sessions are cleared by later logouts', async () => {
    const { token } = await signUp(r.api);
    const user = await db().selectFrom('users').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await db()
      .insertInto('revoked_sessions')
      .values({ jti: 'long-expired', user_id: user.id, expires_at: '2000-01-01T00:00:00.000Z' })
      .execute();
    assert.equal((await logout(token)).status, 204);
    const left = await db().selectFrom('revoked_sessions').select('jti').where('jti', '=', 'long-expired').execute();
    assert.deepEqual(left, []);
  });
});

describe('POST /auth/logout-all', () => {
  test('204, then every session of the account is refused, API tokens are not; a new login works', async () => {
    const { username, token } = await signUp(r.api);
    const second = await loginAgain(username);
    const api = await apiToken(token);
    const bystander = await signUp(r.api);

    const res = await logoutAll(second);
    assert.equal(res.status, 204);
    for (const session of [token, second]) {
      assertProblem(await verify(session), 401, 'unauthorized');
      assertProblem(await listTokens(session), 401, 'unauthorized');
    }
    // API tokens have their own revoke; logging out of the browser does not break CI.
    const apiCheck = await verify(api);
    assert.equal(apiCheck.status, 200, JSON.stringify(apiCheck.body));
    assert.equal(apiCheck.body.kind, 'api_token');
    // Other accounts are untouched.
    assert.equal((await verify(bystander.token)).status, 200);

    const fresh = await loginAgain(username);
    assert.equal((await verify(fresh)).status, 200);
    assert.equal((await listTokens(fresh)).status, 200);
  });

  test('with an API token → 403 session_required and nothing is revoked', async () => {
    const { token } = await signUp(r.api);
    const api = await apiToken(token);
    assertProblem(await logoutAll(api), 403, 'session_required');
    assert.equal((await verify(token)).status, 200);
  });
});
