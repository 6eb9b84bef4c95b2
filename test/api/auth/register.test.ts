import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, PASSWORD, uniqueName, type Res } from '../../helpers/client.ts';

let r: TestRegistry;
before(async () => {
  r = await startRegistry();
});
after(async () => {
  await r.close();
});

const userCount = async () => {
  const row = await r.registry.deps.db.kysely
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

const register = (json: unknown) => call(`${r.api}/auth/register`, { json });

const valid = (username = uniqueName('reg')) => ({ username, email: `${username}@example.com`, password: PASSWORD });

/** A problem+json body with the given status and code. */
function assertProblem(res: Res, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(typeof res.body.type, 'string');
  assert.ok(res.body.type.length > 0);
  assert.equal(typeof res.body.title, 'string');
  assert.equal(res.body.status, status);
  assert.equal(typeof res.body.detail, 'string');
  assert.ok(res.body.detail.length > 0);
  assert.equal(res.body.code, code);
}

/** A 400 validation problem naming exactly these fields, after which no user row exists. */
async function assertRejected(json: unknown, fields: string[]) {
  const before = await userCount();
  const res = await register(json);
  assertProblem(res, 400, 'validation_failed');
  assert.ok(Array.isArray(res.body.errors), 'per-field errors');
  assert.deepEqual(res.body.errors.map((e: { field: string }) => e.field).sort(), [...fields].sort(), JSON.stringify(res.body.errors));
  for (const e of res.body.errors) assert.ok(typeof e.message === 'string' && e.message.length > 0);
  assert.equal(await userCount(), before, 'no user row written');
  return res;
}

describe('POST /auth/register', () => {
  test('201 with {id, username, email, created_at} and never the password or its hash', async () => {
    const input = valid();
    const started = Date.now();
    const res = await register(input);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['created_at', 'email', 'id', 'username']);
    assert.equal(typeof res.body.id, 'number');
    assert.equal(res.body.username, input.username);
    assert.equal(res.body.email, input.email);
    const created = Date.parse(res.body.created_at);
    assert.ok(Math.abs(created - started) < 60_000, res.body.created_at);
    const text = JSON.stringify(res.body);
    assert.ok(!text.includes(PASSWORD) && !text.includes('argon2'), 'no password or hash in the response');

    const row = await r.registry.deps.db.kysely.selectFrom('users').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    assert.equal(row.username, input.username);
    assert.match(row.password_hash, /^\$argon2id\$/);
    assert.ok(!row.password_hash.includes(PASSWORD));
  });

  test('the new account can log in', async () => {
    const input = valid();
    assert.equal((await register(input)).status, 201);
    const login = await call(`${r.api}/auth/login`, { json: { username: input.username, password: input.password } });
    assert.equal(login.status, 200);
  });

  for (const field of ['username', 'email', 'password'] as const) {
    test(`missing ${field} → 400 naming it`, async () => {
      const body: Record<string, string> = valid();
      delete body[field];
      const res = await assertRejected(body, [field]);
      assert.match(res.body.errors[0].message, /required/);
    });
  }

  test('an empty object → 400 naming all three fields', async () => {
    await assertRejected({}, ['username', 'email', 'password']);
  });

  const badUsernames: [string, string][] = [
    ['uppercase', 'Alice-Smith'],
    ['one character', 'a'],
    ['40 characters', 'a'.repeat(40)],
    ['leading hyphen', '-alice'],
    ['trailing hyphen', 'alice-'],
    ['spaces', 'alice smith'],
    ['underscore', 'alice_smith'],
    ['empty', ''],
  ];
  for (const [label, username] of badUsernames) {
    test(`invalid username (${label}) → 400`, async () => {
      const res = await assertRejected({ ...valid(), username }, ['username']);
      assert.match(res.body.errors[0].message, /lowercase/);
    });
  }

  test('usernames of 2 and 39 characters are accepted', async () => {
    const two = `${String.fromCharCode(97 + (process.pid % 26))}${process.pid % 10}`;
    const res2 = await register({ ...valid(), username: two, email: `${two}-short@example.com` });
    assert.equal(res2.status, 201, JSON.stringify(res2.body));
    const long = `u${process.pid}`.padEnd(39, 'x');
    const res39 = await register({ ...valid(), username: long, email: `${long}@example.com` });
    assert.equal(res39.status, 201, JSON.stringify(res39.body));
  });

  const badEmails: [string, string][] = [
    ['no @', 'alice.example.com'],
    ['two @', 'alice@@example.com'],
    ['no domain', 'alice@'],
    ['no mailbox', '@example.com'],
    ['no dot in the domain', 'alice@localhost'],
    ['a space', 'alice smith@example.com'],
    ['a trailing dot', 'alice@example.com.'],
    ['empty', ''],
  ];
  for (const [label, email] of badEmails) {
    test(`invalid e-mail (${label}) → 400`, async () => {
      await assertRejected({ ...valid(), email }, ['email']);
    });
  }

  test('password too short → 400', async () => {
    const res = await assertRejected({ ...valid(), password: 'short-9x' }, ['password']);
    assert.match(res.body.errors[0].message, /at least 10/);
  });

  test('common password → 400', async () => {
    const res = await assertRejected({ ...valid(), password: 'password123' }, ['password']);
    assert.match(res.body.errors[0].message, /common/);
  });

  test('password equal to the username → 400', async () => {
    const username = uniqueName('samename');
    const res = await assertRejected({ ...valid(username), password: username }, ['password']);
    assert.match(res.body.errors[0].message, /username/);
  });

  test('every invalid field is reported at once', async () => {
    const res = await assertRejected({ username: 'Bad Name', email: 'not-an-email', password: 'short' }, ['username', 'email', 'password']);
    for (const field of ['username', 'email', 'password']) assert.ok(res.body.detail.length > 0, field);
  });

  test('409 when the username is taken, and no second row', async () => {
    const first = valid();
    assert.equal((await register(first)).status, 201);
    const before = await userCount();
    const res = await register({ ...first, email: `other-${first.email}` });
    assertProblem(res, 409, 'username_taken');
    assert.equal(await userCount(), before);
  });

  test('409 account_exists when the e-mail is in use (case-insensitively), naming neither the address nor its account', async () => {
    const first = valid();
    assert.equal((await register(first)).status, 201);
    const before = await userCount();
    const res = await register({ ...valid(), email: first.email.toUpperCase() });
    assertProblem(res, 409, 'account_exists');
    assert.equal(await userCount(), before);
    const text = JSON.stringify(res.body).toLowerCase();
    assert.ok(!text.includes(first.email.toLowerCase()), text);
    assert.ok(!text.includes(first.username), text);
    assert.ok(!text.includes('email_taken'), text);
  });

  test('both taken: the answer is username_taken (public anyway), saying nothing about the e-mail', async () => {
    const first = valid();
    const second = valid();
    assert.equal((await register(second)).status, 201);
    assert.equal((await register(first)).status, 201);
    // The name of one account and the address of another: the address must not show through.
    const res = await register({ ...first, email: second.email });
    assertProblem(res, 409, 'username_taken');
    assert.ok(!JSON.stringify(res.body).toLowerCase().includes(second.email.toLowerCase()));
  });

  test('an e-mail is stored lowercased', async () => {
    const input = valid();
    const res = await register({ ...input, email: `Mixed.${input.email.replace('example', 'EXAMPLE')}` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.email, `mixed.${input.email}`);
  });

  test('malformed JSON → 400 problem, no row', async () => {
    const before = await userCount();
    const res = await call(`${r.api}/auth/register`, {
      method: 'POST',
      body: '{"username": "broken", "email": ',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.body.status, 400);
    for (const key of ['type', 'title', 'detail', 'code']) assert.equal(typeof res.body[key], 'string', key);
    assert.equal(await userCount(), before);
  });

  test('a JSON body that is not an object → 400 problem, no row', async () => {
    const before = await userCount();
    const res = await register(['alice', 'alice@example.com', PASSWORD]);
    assertProblem(res, 400, 'validation_failed');
    assert.equal(await userCount(), before);
  });

  test('fields of the wrong type → 400 naming them', async () => {
    await assertRejected({ username: { name: 'x' }, email: ['a@example.com'], password: PASSWORD }, ['username', 'email']);
  });
});
