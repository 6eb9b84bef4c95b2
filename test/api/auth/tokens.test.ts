import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName, type Res } from '../../helpers/client.ts';

const DAY = 86_400_000;

let r: TestRegistry;
before(async () => {
  r = await startRegistry();
});
after(async () => {
  await r.close();
});

interface CreatedToken {
  id: number;
  name: string;
  scopes: string[];
  packages: string[] | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  token: string;
}

const db = () => r.registry.deps.db.kysely;
const createToken = (session: string | undefined, json: unknown) => call(`${r.api}/auth/tokens`, { token: session, json });
const listTokens = (token: string | undefined) => call(`${r.api}/auth/tokens`, { token });
const revoke = (token: string | undefined, id: number | string) => call(`${r.api}/auth/tokens/${id}`, { method: 'DELETE', token });

async function newToken(session: string, json: Record<string, unknown>): Promise<CreatedToken> {
  const res = await createToken(session, json);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as CreatedToken;
}

const tokenCount = async () =>
  Number(
    (
      await db()
        .selectFrom('api_tokens')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

function assertProblem(res: Res, status: number, code?: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.status, status);
  for (const key of ['type', 'title', 'detail', 'code']) assert.equal(typeof res.body[key], 'string', key);
  if (code) assert.equal(res.body.code, code);
}

/** What a failed publish must not change: the package, blobs, staging and version rows. */
async function snapshot() {
  const staging = await readdir(join(r.dir, 'packages', '.staging')).catch(() => []);
  const versions = Number(
    (
      await db()
        .selectFrom('versions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  return { blobs: (await r.blobFiles()).sort(), staging, versions };
}

async function assertNothingStored(name: string, before: Awaited<ReturnType<typeof snapshot>>) {
  assert.equal((await call(`${r.api}/packages/${name}`)).status, 404);
  assert.deepEqual(await snapshot(), { ...before, staging: [] });
}

describe('API tokens', () => {
  test('create → 201 with a syn_ secret shown once; the database keeps only its sha256', async () => {
    const user = await signUp(r.api);
    const before = Date.now();
    const res = await createToken(user.token, { name: 'laptop', scopes: ['publish', 'delete'], expires_in_days: 30 });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const body = res.body as CreatedToken;
    assert.match(body.token, /^syn_[0-9A-Za-z]{40}$/);
    assert.equal(typeof body.id, 'number');
    assert.equal(body.name, 'laptop');
    assert.deepEqual(body.scopes, ['publish', 'delete']);
    assert.equal(body.packages, null);
    assert.ok(Math.abs(Date.parse(body.created_at) - before) < 60_000);
    assert.equal(body.last_used_at, null);
    assert.ok(Math.abs(Date.parse(body.expires_at!) - (before + 30 * DAY)) < 60_000, body.expires_at!);

    const row = await db().selectFrom('api_tokens').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    assert.equal(row.token_hash, createHash('sha256').update(body.token).digest('hex'));
    for (const [column, value] of Object.entries(row)) {
      assert.ok(!String(value).includes(body.token.slice(4)), `column ${column} must not hold the secret`);
    }

    const list = await listTokens(user.token);
    assert.equal(list.status, 200);
    assert.ok(!JSON.stringify(list.body).includes(body.token), 'the list never shows the secret');
    assert.ok(!JSON.stringify(list.body).includes(row.token_hash), 'nor its hash');
  });

  test('list shows name, scopes, created_at, last_used_at (set after use) and expires_at, only for the owner', async () => {
    const user = await signUp(r.api);
    const stranger = await signUp(r.api);
    const a = await newToken(user.token, { name: 'ci', scopes: ['publish'] });
    const b = await newToken(user.token, { name: 'cleanup', scopes: ['delete'], packages: ['only-this'], expires_in_days: 365 });

    const list = await listTokens(user.token);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.deepEqual(
      list.body.tokens.map((t: CreatedToken) => ({ ...t })),
      [
        { id: a.id, name: 'ci', scopes: ['publish'], packages: null, created_at: a.created_at, last_used_at: null, expires_at: null },
        {
          id: b.id,
          name: 'cleanup',
          scopes: ['delete'],
          packages: ['only-this'],
          created_at: b.created_at,
          last_used_at: null,
          expires_at: b.expires_at,
        },
      ],
    );
    assert.deepEqual((await listTokens(stranger.token)).body.tokens, []);

    const used = Date.now();
    const name = uniqueName('used');
    assert.equal((await publish(r.api, a.token, { name, version: '1.0.0' })).status, 201);
    const after = (await listTokens(user.token)).body.tokens as CreatedToken[];
    const usedAt = after.find((t) => t.id === a.id)!.last_used_at;
    assert.ok(usedAt !== null && Math.abs(Date.parse(usedAt) - used) < 60_000, String(usedAt));
    assert.equal(after.find((t) => t.id === b.id)!.last_used_at, null);
  });

  test("a token's use is written by the buffer's flush, not by the request that used it", async () => {
    // Its own registry whose flush timer never fires within the test: only the explicit flush writes.
    const quiet = await startRegistry({ REGISTRY_DOWNLOAD_FLUSH_MS: '3600000' });
    try {
      const user = await signUp(quiet.api);
      const created = await call(`${quiet.api}/auth/tokens`, { token: user.token, json: { name: 'reader', scopes: ['publish'] } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const token = created.body as CreatedToken;
      const stored = async () =>
        (
          await quiet.registry.deps.db.kysely
            .selectFrom('api_tokens')
            .select('last_used_at')
            .where('id', '=', token.id)
            .executeTakeFirstOrThrow()
        ).last_used_at;
      assert.equal((await publish(quiet.api, token.token, { name: uniqueName('buffered'), version: '1.0.0' })).status, 201);
      assert.equal(await stored(), null, 'authenticating wrote the row');
      const listed = await call(`${quiet.api}/auth/tokens`, { token: user.token });
      const shown = (listed.body.tokens as CreatedToken[]).find((t) => t.id === token.id)!.last_used_at;
      assert.notEqual(shown, null, 'the list shows the use before the flush');
      await quiet.registry.deps.tokenUsage.flush();
      assert.equal(await stored(), shown);
    } finally {
      await quiet.close();
    }
  });

  test('revoke → 204 and the token stops working on the very next request', async () => {
    const user = await signUp(r.api);
    const t = await newToken(user.token, { name: 'short-lived', scopes: ['publish'] });
    const name = uniqueName('revoked');
    assert.equal((await publish(r.api, t.token, { name, version: '1.0.0' })).status, 201);

    const res = await revoke(user.token, t.id);
    assert.equal(res.status, 204);
    assert.equal(res.body, '');

    const before = await snapshot();
    assertProblem(await publish(r.api, t.token, { name, version: '1.0.1' }), 401, 'unauthorized');
    assert.deepEqual(await snapshot(), before);
    assertProblem(await call(`${r.api}/auth/verify`, { method: 'POST', token: t.token }), 401);
    assert.deepEqual((await listTokens(user.token)).body.tokens, []);
    assertProblem(await revoke(user.token, t.id), 404, 'token_not_found');
  });

  test("revoking someone else's token → 404, and it keeps working", async () => {
    const owner = await signUp(r.api);
    const other = await signUp(r.api);
    const t = await newToken(owner.token, { name: 'mine', scopes: ['publish'] });
    assertProblem(await revoke(other.token, t.id), 404, 'token_not_found');
    const row = await db().selectFrom('api_tokens').select('revoked_at').where('id', '=', t.id).executeTakeFirstOrThrow();
    assert.equal(row.revoked_at, null);
    assert.equal((await call(`${r.api}/auth/verify`, { method: 'POST', token: t.token })).status, 200);
  });

  test('revoking an id that does not exist → 404; a non-numeric id → 400', async () => {
    const user = await signUp(r.api);
    assertProblem(await revoke(user.token, 987654), 404, 'token_not_found');
    assertProblem(await revoke(user.token, 'abc'), 400);
    assertProblem(await revoke(user.token, 0), 400);
  });

  const invalidBodies: [string, Record<string, unknown>, string][] = [
    ['no name', { scopes: ['publish'] }, 'name'],
    ['blank name', { name: '   ', scopes: ['publish'] }, 'name'],
    ['no scopes', { name: 'ci' }, 'scopes'],
    ['unknown scope', { name: 'ci', scopes: ['publish', 'admin'] }, 'scopes'],
    ['empty scopes', { name: 'ci', scopes: [] }, 'scopes'],
    ['expires_in_days 0', { name: 'ci', scopes: ['publish'], expires_in_days: 0 }, 'expires_in_days'],
    ['expires_in_days 400', { name: 'ci', scopes: ['publish'], expires_in_days: 400 }, 'expires_in_days'],
    ['an invalid package name', { name: 'ci', scopes: ['publish'], packages: ['Not Valid'] }, 'packages'],
    ['a misspelt field', { name: 'ci', scopes: ['publish'], expiresInDays: 30 }, 'expiresInDays'],
  ];
  for (const [label, body, field] of invalidBodies) {
    test(`create with ${label} → 400 naming ${field}, no token written`, async () => {
      const user = await signUp(r.api);
      const before = await tokenCount();
      const res = await createToken(user.token, body);
      assertProblem(res, 400, 'validation_failed');
      assert.ok(Array.isArray(res.body.errors) && res.body.errors.length > 0);
      assert.ok(
        res.body.errors.some(
          (e: { field: string }) => e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`),
        ),
        JSON.stringify(res.body.errors),
      );
      assert.equal(await tokenCount(), before);
    });
  }

  test('create, list and revoke without authentication → 401', async () => {
    const before = await tokenCount();
    assertProblem(await createToken(undefined, { name: 'x', scopes: ['publish'] }), 401, 'unauthorized');
    assertProblem(await listTokens(undefined), 401, 'unauthorized');
    assertProblem(await revoke(undefined, 1), 401, 'unauthorized');
    assert.equal(await tokenCount(), before);
  });

  test('an API token cannot create, list or revoke tokens (403)', async () => {
    const user = await signUp(r.api);
    const t = await newToken(user.token, { name: 'all', scopes: ['publish', 'delete'] });
    const before = await tokenCount();
    assertProblem(await createToken(t.token, { name: 'child', scopes: ['publish'] }), 403, 'session_required');
    assertProblem(await listTokens(t.token), 403, 'session_required');
    assertProblem(await revoke(t.token, t.id), 403, 'session_required');
    assert.equal(await tokenCount(), before);
    assert.equal((await call(`${r.api}/auth/verify`, { method: 'POST', token: t.token })).status, 200);
  });

  test('a token with only the delete scope cannot publish (403, nothing stored)', async () => {
    const user = await signUp(r.api);
    const t = await newToken(user.token, { name: 'deleter', scopes: ['delete'] });
    const name = uniqueName('no-publish');
    const before = await snapshot();
    assertProblem(await publish(r.api, t.token, { name, version: '1.0.0' }), 403, 'token_scope');
    await assertNothingStored(name, before);
  });

  test('a token limited to package a cannot publish b (403, nothing stored) but can publish a (201)', async () => {
    const user = await signUp(r.api);
    const a = uniqueName('only-a');
    const b = uniqueName('not-b');
    const t = await newToken(user.token, { name: 'just-a', scopes: ['publish'], packages: [a] });
    const before = await snapshot();
    assertProblem(await publish(r.api, t.token, { name: b, version: '1.0.0' }), 403, 'token_scope');
    await assertNothingStored(b, before);
    const ok = await publish(r.api, t.token, { name: a, version: '1.0.0' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal((await call(`${r.api}/packages/${a}/1.0.0`)).status, 200);
  });

  test('a publish-only token cannot delete (403, the version stays); a delete token can (204)', async () => {
    const user = await signUp(r.api);
    const publisher = await newToken(user.token, { name: 'pub', scopes: ['publish'] });
    const deleter = await newToken(user.token, { name: 'del', scopes: ['delete'] });
    const name = uniqueName('keep');
    assert.equal((await publish(r.api, publisher.token, { name, version: '1.0.0' })).status, 201);
    const blobs = await r.blobFiles();

    assertProblem(await call(`${r.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: publisher.token }), 403, 'token_scope');
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`)).status, 200);
    assert.deepEqual(await r.blobFiles(), blobs);

    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: deleter.token })).status, 204);
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`)).status, 404);
  });

  test('a token limited to package a cannot delete versions of b (403)', async () => {
    const user = await signUp(r.api);
    const a = uniqueName('del-a');
    const b = uniqueName('del-b');
    for (const name of [a, b]) assert.equal((await publish(r.api, user.token, { name, version: '1.0.0' })).status, 201);
    const t = await newToken(user.token, { name: 'del-a', scopes: ['delete'], packages: [a] });
    assertProblem(await call(`${r.api}/packages/${b}/1.0.0`, { method: 'DELETE', token: t.token }), 403, 'token_scope');
    assert.equal((await call(`${r.api}/packages/${b}/1.0.0`)).status, 200);
    assert.equal((await call(`${r.api}/packages/${a}/1.0.0`, { method: 'DELETE', token: t.token })).status, 204);
  });

  test('an expired API token is refused at publish (401)', async () => {
    const user = await signUp(r.api);
    const t = await newToken(user.token, { name: 'old', scopes: ['publish'], expires_in_days: 1 });
    await db()
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', t.id)
      .execute();
    const name = uniqueName('expired');
    const before = await snapshot();
    assertProblem(await publish(r.api, t.token, { name, version: '1.0.0' }), 401, 'unauthorized');
    await assertNothingStored(name, before);
  });

  test('every authenticated endpoint accepts both a session JWT and an API token', async () => {
    const user = await signUp(r.api);
    const t = await newToken(user.token, { name: 'both', scopes: ['publish', 'delete'] });
    const name = uniqueName('both');
    // publish
    assert.equal((await publish(r.api, user.token, { name, version: '1.0.0' })).status, 201);
    assert.equal((await publish(r.api, t.token, { name, version: '1.0.1' })).status, 201);
    // delete
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: user.token })).status, 204);
    assert.equal((await call(`${r.api}/packages/${name}/1.0.1`, { method: 'DELETE', token: t.token })).status, 204);
    // verify
    for (const token of [user.token, t.token]) {
      const res = await call(`${r.api}/auth/verify`, { method: 'POST', token });
      assert.equal(res.status, 200);
      assert.equal(res.body.username, user.username);
    }
  });

  test("a token works only for its owner's packages", async () => {
    const owner = await signUp(r.api);
    const other = await signUp(r.api);
    const name = uniqueName('owned');
    assert.equal((await publish(r.api, owner.token, { name, version: '1.0.0' })).status, 201);
    const t = await newToken(other.token, { name: 'other', scopes: ['publish', 'delete'], packages: [name] });
    const before = await snapshot();
    assertProblem(await publish(r.api, t.token, { name, version: '2.0.0' }), 403, 'not_owner');
    assert.deepEqual(await snapshot(), before);
    assertProblem(await call(`${r.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: t.token }), 403, 'not_owner');
  });
});

describe('token names', () => {
  test('two live tokens of one account cannot share a name (409 token_name_taken); a revoked one frees it; another account may use it', async () => {
    const r = await startRegistry();
    try {
      const a = await signUp(r.api);
      const b = await signUp(r.api);
      const create = (token: string) => call(`${r.api}/auth/tokens`, { token, json: { name: 'deploy', scopes: ['publish'] } });
      const first = await create(a.token);
      assert.equal(first.status, 201);
      const again = await create(a.token);
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'token_name_taken');
      assert.match(again.body.detail, new RegExp(`id ${first.body.id}.*revoke`));
      assert.equal((await create(b.token)).status, 201, 'names are per account');
      assert.equal((await call(`${r.api}/auth/tokens/${first.body.id}`, { method: 'DELETE', token: a.token })).status, 204);
      assert.equal((await create(a.token)).status, 201, 'a revoked token frees its name');
      const racing = await Promise.all(
        [0, 1, 2].map(() => call(`${r.api}/auth/tokens`, { token: a.token, json: { name: 'race', scopes: ['publish'] } })),
      );
      assert.deepEqual(racing.map((res) => res.status).sort(), [201, 409, 409]);
    } finally {
      await r.close();
    }
  });
});
