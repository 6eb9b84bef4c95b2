/**
 * A full mirror through the primary's changes feed: stopped halfway (a page limit), resumed from its
 * stored cursor, it ends with the primary's versions, tarballs, yanks, deprecations, tags and
 * deletions; and as REGISTRY_MIRROR_OF it refuses writes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { syncFromFeed, type SyncProgress } from '../../../packages/registry/src/mirror/full/sync.ts';
import { formatProgress } from '../../../packages/registry/src/mirror/full/progress.ts';

let primary: TestRegistry;
let mirror: TestRegistry;
let alice: { username: string; token: string };
const names: string[] = [];

before(async () => {
  primary = await startRegistry();
  alice = await signUp(primary.api);
  mirror = await startRegistry({ REGISTRY_MIRROR_OF: primary.url });
});
after(async () => {
  await mirror?.close();
  await primary?.close();
});

const ok = async (p: Promise<{ status: number; body: unknown }>) => {
  const res = await p;
  assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${JSON.stringify(res.body)}`);
};

const sync = (options: { maxPages?: number; onProgress?: (p: SyncProgress) => void } = {}) =>
  syncFromFeed({
    db: mirror.registry.deps.db,
    store: mirror.registry.deps.store,
    from: primary.url,
    timeoutMs: 5000,
    maxDocumentBytes: 1_000_000,
    maxTarballBytes: 1_000_000,
    concurrency: 3,
    pageSize: 4,
    now: () => new Date(),
    ...options,
  });

/**
 * Waits (at most 5 s) until the primary's feed holds `count` changes of name@version. On PostgreSQL the
 * feed stops below the oldest transaction open on the whole server, and another test file's may be
 * open for a moment (changes.test.ts holds one on purpose): a sync would then end "caught up" early.
 */
async function feedHolds(name: string, version: string, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const res = await call(`${primary.api}/changes?limit=100`);
    const seen = (res.body.changes as { package: string; version: string | null }[]).filter(
      (c) => c.package === name && c.version === version,
    ).length;
    if (seen >= count) return;
    assert.ok(Date.now() < deadline, `the primary's feed showed ${seen} of ${count} changes of ${name}@${version} for 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What a client sees of a package, minus what a mirror cannot copy (downloads, owners, stamps). */
async function visible(api: string, name: string) {
  const res = await call(`${api}/packages/${name}`);
  if (res.status !== 200) return { status: res.status };
  const versions = res.body.versions.map((v: Record<string, unknown>) => {
    const { downloads: _d, tarball_url: _t, ...rest } = v;
    return rest;
  });
  return { status: 200, latest: res.body.latest, dist_tags: res.body.dist_tags, versions };
}

describe('full mirror', () => {
  test('interrupted halfway, resumed from its cursor, it ends identical to the primary', async () => {
    for (let i = 0; i < 6; i++) {
      const name = uniqueName('full');
      names.push(name);
      for (const version of ['1.0.0', '1.1.0']) await ok(publish(primary.api, alice.token, { name, version }));
    }
    await feedHolds(names[5]!, '1.1.0', 1);
    const lines: string[] = [];
    const first = await sync({ maxPages: 1, onProgress: (p) => lines.push(formatProgress(p)) });
    assert.equal(first.caughtUp, false, 'one page of four changes cannot be the whole feed');
    assert.match(lines[0]!, /packages, \d+ versions, .* MB · .* packages\/s, .* MB\/s · ETA \d+ s/);

    // Changes made while the mirror is stopped: a yank, a deprecation, a tag, a deletion.
    await ok(
      call(`${primary.api}/packages/${names[0]}/1.0.0/yank`, { method: 'PUT', token: alice.token, json: { reason: 'broken build' } }),
    );
    await ok(
      call(`${primary.api}/packages/${names[1]}/1.0.0/deprecation`, {
        method: 'PUT',
        token: alice.token,
        json: { reason: 'security', message: 'use 1.1' },
      }),
    );
    await ok(call(`${primary.api}/packages/${names[2]}/dist-tags/beta`, { method: 'PUT', token: alice.token, json: { version: '1.0.0' } }));
    await ok(call(`${primary.api}/packages/${names[3]}/1.1.0`, { method: 'DELETE', token: alice.token }));

    await feedHolds(names[3]!, '1.1.0', 2);
    const rest = await sync();
    assert.equal(rest.caughtUp, true);
    assert.ok(rest.cursor !== first.cursor, 'the cursor moved on');
    for (const name of names) {
      assert.deepEqual(await visible(mirror.api, name), await visible(primary.api, name), `${name} as on the primary`);
    }
    const tarball = async (base: string) => Buffer.from(await (await fetch(`${base}/packages/${names[5]}/1.1.0/tarball`)).arrayBuffer());
    assert.ok((await tarball(mirror.api)).equals(await tarball(primary.api)), 'the same tarball bytes');

    // Nothing new: a further run is a no-op that ends caught up.
    const again = await sync();
    assert.equal(again.versions, 0);
    assert.equal(again.caughtUp, true);
  });

  test('a mirror refuses writes with 405 naming its primary', async () => {
    const res = await fetch(`${mirror.api}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: uniqueName(), email: 'x@example.com', password: 'correct-horse-battery-9' }),
    });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const body = (await res.json()) as { code: string; detail: string };
    assert.equal(body.code, 'mirror_read_only');
    assert.ok(body.detail.includes(primary.url), body.detail);
  });
});
