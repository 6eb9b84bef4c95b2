/**
 * GET /changes, the feed followers and mirrors sync from: every change in one order, pages that
 * join up exactly, cursors that resume, refusals for bad input, and (PostgreSQL) no change ever
 * slipping in behind a cursor while an older transaction is still committing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { testBackend } from '../helpers/backends.ts';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';

let r: TestRegistry;
let alice: { username: string; token: string };

before(async () => {
  r = await startRegistry();
  alice = await signUp(r.api);
});
after(() => r.close());

interface Change {
  cursor: string;
  kind: string;
  package: string;
  version: string | null;
  details: Record<string, unknown>;
}

const ok = async (p: Promise<{ status: number; body: unknown }>, status?: number) => {
  const res = await p;
  if (status) assert.equal(res.status, status, JSON.stringify(res.body));
  else assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${JSON.stringify(res.body)}`);
};

/** Every change after `since`, following `next` page by page. */
async function follow(since: string | undefined, limit: number): Promise<{ changes: Change[]; next: string; pages: number }> {
  const changes: Change[] = [];
  let cursor = since;
  for (let pages = 1; ; pages++) {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor === undefined ? {} : { since: cursor }) });
    const res = await call(`${r.api}/changes?${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    changes.push(...res.body.changes);
    cursor = res.body.next;
    if (!res.body.more) return { changes, next: res.body.next, pages };
  }
}

/**
 * Follows from `since` until `done` holds (at most 10 s). On PostgreSQL a change shows once every
 * transaction that began before it has ended, in any database of the cluster: a moment after its
 * commit while other tests run beside this one.
 */
async function followUntil(since: string | undefined, done: (changes: Change[]) => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const page = await follow(since, 1000);
    if (done(page.changes)) return page;
    assert.ok(Date.now() < deadline, `${what}: ${JSON.stringify(page.changes.map((c) => `${c.kind} ${c.package} ${c.version}`))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('GET /changes', () => {
  test('publish, yank, unyank, deprecate, tag, untag, delete: in the order made, with what a follower needs', async () => {
    const start = (await follow(undefined, 1000)).next;
    const name = uniqueName('feed');
    await ok(publish(r.api, alice.token, { name, version: '1.0.0' }), 201);
    await ok(publish(r.api, alice.token, { name, version: '1.1.0' }), 201);
    // Refused: a change that never happened is never in the feed.
    await ok(publish(r.api, alice.token, { name, version: '1.1.0' }), 409);
    await ok(call(`${r.api}/packages/${name}/1.0.0/yank`, { method: 'PUT', token: alice.token, json: { reason: 'broken build' } }));
    await ok(call(`${r.api}/packages/${name}/1.0.0/yank`, { method: 'DELETE', token: alice.token }));
    await ok(
      call(`${r.api}/packages/${name}/1.0.0/deprecation`, {
        method: 'PUT',
        token: alice.token,
        json: { reason: 'security', message: 'upgrade to 1.1' },
      }),
    );
    await ok(call(`${r.api}/packages/${name}/dist-tags/beta`, { method: 'PUT', token: alice.token, json: { version: '1.1.0' } }));
    await ok(call(`${r.api}/packages/${name}/dist-tags/beta`, { method: 'DELETE', token: alice.token }));
    await ok(call(`${r.api}/packages/${name}/1.1.0`, { method: 'DELETE', token: alice.token }), 204);

    const { changes, next } = await followUntil(start, (all) => all.filter((c) => c.package === name).length >= 8, 'all eight changes');
    const mine = changes.filter((c) => c.package === name);
    assert.deepEqual(
      mine.map((c) => `${c.kind} ${c.version}`),
      ['publish 1.0.0', 'publish 1.1.0', 'yank 1.0.0', 'unyank 1.0.0', 'deprecate 1.0.0', 'tag 1.1.0', 'untag 1.1.0', 'delete 1.1.0'],
    );
    assert.deepEqual(mine[2]!.details, { reason: 'broken build' });
    assert.deepEqual(mine[4]!.details, { message: 'upgrade to 1.1' });
    assert.deepEqual(mine[5]!.details, { tag: 'beta' });
    assert.equal(next, mine.at(-1)!.cursor, 'next is the last change seen');
    // Nothing after the end: an empty page that keeps the cursor.
    const after = await call(`${r.api}/changes?since=${next}`);
    assert.deepEqual(after.body, { changes: [], next, more: false });
  });

  test('small pages join up to exactly the one big page: no change twice, none missed', async () => {
    const name = uniqueName('pages');
    for (let i = 0; i < 7; i++) await ok(publish(r.api, alice.token, { name, version: `1.0.${i}` }), 201);
    // Once these are in, nothing else is held back: every change this registry made is older.
    const whole = await followUntil(undefined, (all) => all.filter((c) => c.package === name).length === 7, 'the seven publishes');
    const paged = await follow(undefined, 3);
    assert.deepEqual(
      paged.changes.map((c) => c.cursor),
      whole.changes.map((c) => c.cursor),
    );
    assert.ok(paged.pages >= Math.ceil(whole.changes.length / 3), `${paged.pages} pages for ${whole.changes.length} changes`);
    // Resuming from any cursor answers exactly what came after it.
    const middle = whole.changes[Math.floor(whole.changes.length / 2)]!;
    const resumed = await follow(middle.cursor, 1000);
    assert.deepEqual(
      resumed.changes.map((c) => c.cursor),
      whole.changes.slice(whole.changes.indexOf(middle) + 1).map((c) => c.cursor),
    );
  });

  test('a bad cursor or limit is a 400 naming the parameter', async () => {
    for (const [query, parameter] of [
      ['since=abc', 'since'],
      ['since=1-2-3', 'since'],
      ['since=-1-2', 'since'],
      ['since=99999999999999999999-1', 'since'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=1e3', 'limit'],
    ]) {
      const res = await call(`${r.api}/changes?${query}`);
      assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, 'invalid_query_parameter', query);
      assert.equal(res.body.parameter ?? res.body.data?.parameter, parameter, `${query}: ${JSON.stringify(res.body)}`);
    }
  });

  test('a change committed while an older transaction is still open waits behind it: a cursor is never passed', {
    skip: testBackend() === 'sqlite' ? 'SQLite has one writer at a time: nothing commits behind an open write' : false,
  }, async () => {
    const name = uniqueName('inflight');
    const before = (await follow(undefined, 1000)).next;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    // An older transaction writes its change first and commits last.
    const slow = r.registry.deps.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('changes')
        .values({ at: new Date().toISOString(), kind: 'publish', package: `${name}-slow`, version: '1.0.0', data: '{}' })
        .execute();
      await sql`SELECT 1`.execute(trx);
      inserted();
      await held;
    });
    let meanwhile: Awaited<ReturnType<typeof follow>>;
    try {
      await insertedYet;
      await ok(publish(r.api, alice.token, { name, version: '1.0.0' }), 201);
      meanwhile = await follow(before, 1000);
    } finally {
      // Released whatever happened above: an open transaction would hold the registry's close.
      release();
      await slow;
    }
    assert.ok(!meanwhile.changes.some((c) => c.package === name), 'the newer change is held back while the older one is open');
    const later = await followUntil(meanwhile.next, (all) => all.filter((c) => c.package.startsWith(name)).length >= 2, 'both changes');
    assert.deepEqual(
      later.changes.filter((c) => c.package.startsWith(name)).map((c) => c.package),
      [`${name}-slow`, name],
      'both arrive, the older transaction first',
    );
  });
});
