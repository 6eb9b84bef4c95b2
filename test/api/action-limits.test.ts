/**
 * Per-action limits through publish, on every backend (database buckets on SQLite and PostgreSQL,
 * Redis on the postgres-s3 pass): a burst, a 429 that says when to retry and stores nothing, a refill
 * on the registry's clock, parallel publishes that cannot overspend, and buckets shared by registries.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, publish, signUp, uniqueName, type Res } from '../helpers/client.ts';
import { Redis } from 'ioredis';
import { REDIS_URL, testBackend } from '../helpers/backends.ts';

/** A clock that stands still unless moved, so Retry-After and refills are exact. */
function testClock() {
  let at = Date.now();
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
}

const SECRET = 'action-limits-test-secret-0123456789abcdef';

async function withRegistry(env: Record<string, string>, body: (r: TestRegistry, clock: ReturnType<typeof testClock>) => Promise<void>) {
  const clock = testClock();
  const r = await startRegistry({ REGISTRY_SECRET_KEY: SECRET, ...env }, { now: clock.now });
  try {
    await body(r, clock);
  } finally {
    await r.close();
  }
}

const NEW_PACKAGES = (burst: number, everyMs = 60_000) => ({
  REGISTRY_LIMIT_NEW_PACKAGES_BURST: String(burst),
  REGISTRY_LIMIT_NEW_PACKAGES_EVERY_MS: String(everyMs),
});

function assertActionLimited(res: Res, action: string, retryAfter: number, detail: RegExp) {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, 'action_rate_limited');
  assert.equal(res.body.action, action);
  assert.equal(res.headers.get('retry-after'), String(retryAfter));
  assert.match(res.body.detail, detail);
  assert.match(res.body.detail, new RegExp(`retry in ${retryAfter} seconds?$`));
}

/** Nothing of `name` is stored: no package, no version row, no new blob. */
async function assertNothingStored(r: TestRegistry, name: string, blobsBefore: string[]) {
  assert.equal((await call(`${r.api}/packages/${name}`)).status, 404);
  const rows = await r.registry.deps.db.kysely.selectFrom('packages').select('id').where('name', '=', name).execute();
  assert.deepEqual(rows, []);
  assert.deepEqual((await r.blobFiles()).sort(), blobsBefore.sort());
}

/** An idle Redis bucket vanishes once it would be full again: burst (2) × interval (60 s). */
async function assertRedisBucketExpires(prefix: string, username: string, r: TestRegistry) {
  const { id } = await r.registry.deps.db.kysely
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const ttl = await redis.pttl(`${prefix}action:new_package:${id}`);
    assert.ok(ttl > 100_000 && ttl <= 120_000, `PTTL ${ttl}`);
  } finally {
    redis.disconnect();
  }
}

describe('per-action limits', () => {
  test('new packages: the burst goes through, the next is a 429 that stores nothing, and the clock refills it', async () => {
    await withRegistry(NEW_PACKAGES(2), async (r, clock) => {
      const alice = await signUp(r.api);
      for (let i = 0; i < 2; i++) {
        const res = await publish(r.api, alice.token, { name: uniqueName('np'), version: '1.0.0' });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      const blobs = await r.blobFiles();
      const third = uniqueName('np');
      const refused = await publish(r.api, alice.token, { name: third, version: '1.0.0' });
      assertActionLimited(
        refused,
        'new_package',
        60,
        /^Too many new packages for one account: the limit is 2 at once, then 1 every minute;/,
      );
      assert.equal(refused.body.limit, 2);
      await assertNothingStored(r, third, blobs);

      // Another account has a bucket of its own.
      const bob = await signUp(r.api);
      assert.equal((await publish(r.api, bob.token, { name: uniqueName('np'), version: '1.0.0' })).status, 201);

      clock.advance(59_000);
      assertActionLimited(await publish(r.api, alice.token, { name: third, version: '1.0.0' }), 'new_package', 1, /new packages/);
      clock.advance(1_000);
      const res = await publish(r.api, alice.token, { name: third, version: '1.0.0' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal((await call(`${r.api}/packages/${third}`)).body.latest, '1.0.0');
    });
  });

  test('new versions: counted per package; a publish refused by a cheap check spends no token', async () => {
    await withRegistry({ REGISTRY_LIMIT_NEW_VERSIONS_BURST: '1', REGISTRY_LIMIT_NEW_VERSIONS_EVERY_MS: '10000' }, async (r, clock) => {
      const owner = await signUp(r.api);
      const stranger = await signUp(r.api);
      const [name, other] = [uniqueName('nv'), uniqueName('nv')];
      // A new package takes from the new-package bucket (off here), not the new-version one.
      assert.equal((await publish(r.api, owner.token, { name, version: '1.0.0' })).status, 201);
      assert.equal((await publish(r.api, owner.token, { name: other, version: '1.0.0' })).status, 201);
      // Refused before the token: an existing version, and a stranger's publish.
      assert.equal((await publish(r.api, owner.token, { name, version: '1.0.0' })).status, 409);
      assert.equal((await publish(r.api, stranger.token, { name, version: '1.1.0' })).status, 403);
      assert.equal((await publish(r.api, owner.token, { name, version: '1.1.0' })).status, 201);
      const blobs = await r.blobFiles();
      const refused = await publish(r.api, owner.token, { name, version: '1.2.0' });
      assertActionLimited(
        refused,
        'new_version',
        10,
        /^Too many new versions of one package: the limit is 1 at once, then 1 every 10 seconds;/,
      );
      const versions = await call(`${r.api}/packages/${name}`);
      assert.deepEqual(versions.body.versions.map((v: { version: string }) => v.version).sort(), ['1.0.0', '1.1.0']);
      assert.equal(versions.body.latest, '1.1.0');
      assert.deepEqual((await r.blobFiles()).sort(), blobs.sort());
      // Another package of the same owner has its own bucket.
      assert.equal((await publish(r.api, owner.token, { name: other, version: '1.1.0' })).status, 201);
      clock.advance(10_000);
      assert.equal((await publish(r.api, owner.token, { name, version: '1.2.0' })).status, 201);
    });
  });

  test('0 turns a limit off, and tests run without limits unless they set one', async () => {
    for (const env of [{}, NEW_PACKAGES(0), { REGISTRY_LIMIT_NEW_PACKAGES_BURST: '1', REGISTRY_LIMIT_NEW_PACKAGES_EVERY_MS: '0' }]) {
      await withRegistry(env, async (r) => {
        const user = await signUp(r.api);
        for (let i = 0; i < 4; i++) {
          const res = await publish(r.api, user.token, { name: uniqueName('off'), version: '1.0.0' });
          assert.equal(res.status, 201, `${JSON.stringify(env)}: ${JSON.stringify(res.body)}`);
        }
      });
    }
  });

  test('parallel publishes of new packages: exactly the burst succeeds', async () => {
    await withRegistry(NEW_PACKAGES(3), async (r) => {
      const user = await signUp(r.api);
      const names = Array.from({ length: 10 }, () => uniqueName('par'));
      const results = await Promise.all(names.map((name) => publish(r.api, user.token, { name, version: '1.0.0' })));
      const statuses = results.map((res) => res.status);
      assert.equal(statuses.filter((s) => s === 201).length, 3, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 429).length, 7, statuses.join(','));
      for (const res of results.filter((x) => x.status === 429)) assert.equal(res.body.code, 'action_rate_limited');
      const stored = await r.registry.deps.db.kysely.selectFrom('packages').select('name').where('name', 'in', names).execute();
      assert.equal(stored.length, 3);
    });
  });

  const shared = testBackend() === 'postgres-s3' ? 'Redis' : 'the database';
  test(`two registries on one backend share the buckets (through ${shared})`, async () => {
    await withRegistry(NEW_PACKAGES(2), async (first, clock) => {
      const config = first.registry.deps.config;
      const env: Record<string, string> = {
        REGISTRY_SECRET_KEY: SECRET,
        ...NEW_PACKAGES(2),
        REGISTRY_DB_URL: config.database.kind === 'sqlite' ? `sqlite://${config.database.path}` : config.database.url,
        REGISTRY_STORAGE_PATH: join(first.dir, 'packages'),
        REGISTRY_REDIS_PREFIX: config.rateLimit.redisPrefix,
        ...(config.storage.type === 's3' ? { REGISTRY_S3_BUCKET: config.storage.bucket } : {}),
      };
      const second = await startRegistry(env, { now: clock.now });
      try {
        const user = await signUp(first.api);
        assert.equal((await publish(first.api, user.token, { name: uniqueName('sh'), version: '1.0.0' })).status, 201);
        assert.equal((await publish(second.api, user.token, { name: uniqueName('sh'), version: '1.0.0' })).status, 201);
        assertActionLimited(
          await publish(first.api, user.token, { name: uniqueName('sh'), version: '1.0.0' }),
          'new_package',
          60,
          /new packages/,
        );
        assertActionLimited(
          await publish(second.api, user.token, { name: uniqueName('sh'), version: '1.0.0' }),
          'new_package',
          60,
          /new packages/,
        );
        // With Redis the buckets live there alone; without, in the database both registries use.
        const rows = await first.registry.deps.db.kysely.selectFrom('action_buckets').select(['action', 'tokens']).execute();
        assert.deepEqual(rows, shared === 'Redis' ? [] : [{ action: 'new_package', tokens: 0 }]);
        if (shared === 'Redis') await assertRedisBucketExpires(config.rateLimit.redisPrefix, user.username, first);
      } finally {
        await second.close();
      }
    });
  });
});
