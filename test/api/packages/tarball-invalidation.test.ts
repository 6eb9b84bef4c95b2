/**
 * PostgreSQL: each instance keeps its tarball lookups and asks the database nothing per download; a
 * version deleted through any instance stops being served by all of them within a second (NOTIFY).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { backendEnv, testBackend, type BackendEnv } from '../../helpers/backends.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { TEST_SECRET_KEY } from '../../helpers/spawn-registry.ts';
import { TARBALL_CHANNEL } from '../../../packages/registry/src/db/pg-invalidation.ts';

const skip =
  testBackend() === 'sqlite'
    ? 'PostgreSQL only: on SQLite one file carries every write (see packages/registry/src/db/sqlite.test.ts)'
    : false;

describe('tarball lookups cached per instance, dropped everywhere on delete', { skip }, () => {
  let backend: BackendEnv;
  let instances: TestRegistry[] = [];
  let owner: { username: string; token: string };
  let blobs = '';

  before(async () => {
    backend = await backendEnv();
    // One blob folder for the three (on S3 they share the bucket already), as instances of one registry do.
    blobs = await mkdtemp(join(tmpdir(), 'synapse-shared-blobs-'));
    const env = {
      REGISTRY_SECRET_KEY: TEST_SECRET_KEY,
      REGISTRY_RATE_LIMIT_ENABLED: 'false',
      REGISTRY_STORAGE_PATH: blobs,
      REGISTRY_S3_STAGING_DIR: join(blobs, '.staging'),
    };
    instances = await Promise.all([0, 1, 2].map(() => startRegistry(env, { sharedBackend: backend })));
    owner = await signUp(instances[0]!.api);
    // Each instance caches only while its listening connection is up.
    const deadline = Date.now() + 10_000;
    while (instances.some((r) => r.registry.deps.db.tarballGeneration() === undefined)) {
      assert.ok(Date.now() < deadline, 'every instance listens within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  after(async () => {
    await Promise.all(instances.map((r) => r.close()));
    await backend?.cleanup();
    await rm(blobs, { recursive: true, force: true });
  });

  const status = async (r: TestRegistry, name: string, version: string) => {
    const res = await fetch(`${r.api}/packages/${name}/${version}/tarball`);
    await res.arrayBuffer();
    return res.status;
  };

  test("a lookup once made is kept: a row changed behind the registries' backs is not seen until a notification", async () => {
    const name = uniqueName('cached');
    assert.equal((await publish(instances[0]!.api, owner.token, { name, version: '1.0.0' })).status, 201);
    for (const r of instances) assert.equal(await status(r, name, '1.0.0'), 200);
    const client = new pg.Client({ connectionString: backend.env.REGISTRY_DB_URL });
    await client.connect();
    try {
      // Deleted without telling anyone: every instance still answers from what it keeps.
      await client.query(
        `UPDATE versions SET deleted_at = '2026-01-01T00:00:00.000Z' WHERE version = '1.0.0' AND package_id = (SELECT id FROM packages WHERE name = $1)`,
        [name],
      );
      for (const r of instances) assert.equal(await status(r, name, '1.0.0'), 200, "served from the instance's own lookup, no query");
      await client.query(`NOTIFY ${TARBALL_CHANNEL}`);
      for (const r of instances) assert.equal(await until404(r, name, '1.0.0'), 404);
    } finally {
      await client.end();
    }
  });

  test('a version deleted through one instance is refused by all three within a second', async () => {
    const name = uniqueName('gone');
    assert.equal((await publish(instances[0]!.api, owner.token, { name, version: '1.0.0' })).status, 201);
    assert.equal((await publish(instances[0]!.api, owner.token, { name, version: '1.0.1' })).status, 201);
    for (const r of instances) assert.equal(await status(r, name, '1.0.0'), 200);
    const started = Date.now();
    const deleted = await call(`${instances[1]!.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: owner.token });
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    for (const r of instances) assert.equal(await until404(r, name, '1.0.0'), 404);
    const took = Date.now() - started;
    assert.ok(took < 1_000, `every instance refused it ${took} ms after the delete was sent`);
    for (const r of instances) assert.equal(await status(r, name, '1.0.1'), 200, 'the other version is still served');
  });

  /** Polls (a notification crosses processes; there is no clock to move) for at most 2 s. */
  async function until404(r: TestRegistry, name: string, version: string): Promise<number> {
    const deadline = Date.now() + 2_000;
    for (;;) {
      const code = await status(r, name, version);
      if (code === 404 || Date.now() > deadline) return code;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
});
