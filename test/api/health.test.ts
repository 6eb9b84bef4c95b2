/** GET /health, /health/live, /health/ready: real checks of the database and the blob folder. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call } from '../helpers/client.ts';
import { testBackend } from '../helpers/backends.ts';

describe('a healthy registry', () => {
  let r: TestRegistry;
  before(async () => {
    r = await startRegistry();
  });
  after(() => r.close());

  test('/health is 200 ok with the database and storage checks', async () => {
    const res = await call(`${r.api}/health`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.body.status, 'ok');
    assert.deepEqual(res.body.checks, { database: 'ok', storage: 'ok' });
    const backend = testBackend();
    assert.equal(res.body.database, backend === 'sqlite' ? 'sqlite' : 'postgres');
    assert.equal(res.body.storage, backend === 'postgres-s3' ? 's3' : 'local');
  });

  test('/health/live and /health/ready are 200 ok', async () => {
    const live = await call(`${r.api}/health/live`);
    assert.equal(live.status, 200);
    assert.equal(live.body.status, 'ok');
    const ready = await call(`${r.api}/health/ready`);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ok');
    assert.deepEqual(ready.body.checks, { database: 'ok', storage: 'ok' });
  });

  test('the health probe leaves nothing in the staging folder', async () => {
    await call(`${r.api}/health`);
    assert.deepEqual(await readdir(join(r.dir, 'packages', '.staging')), []);
  });
});

describe('an unhealthy registry', () => {
  test('503 when the blob folder is replaced by a file; live still answers', async () => {
    // A local blob folder on every backend: this breaks the folder itself.
    const r = await startRegistry({ REGISTRY_STORAGE_TYPE: 'local' });
    try {
      const packages = join(r.dir, 'packages');
      await rename(packages, join(r.dir, 'packages-moved'));
      await writeFile(packages, 'not a folder');
      for (const path of ['/health', '/health/ready']) {
        const res = await call(`${r.api}${path}`);
        // A health report for monitors, not an error document: same shape as the 200.
        assert.equal(res.status, 503, path);
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        assert.equal(res.body.status, 'unavailable');
        assert.equal(res.body.checks.database, 'ok');
        assert.match(res.body.checks.storage, /^failing/);
      }
      assert.equal((await call(`${r.api}/health/live`)).status, 200);

      // Once the folder is back, so is the registry.
      await rm(packages);
      await rename(join(r.dir, 'packages-moved'), packages);
      assert.equal((await call(`${r.api}/health`)).status, 200);
    } finally {
      await r.close();
    }
  });

  test('503 when the blob folder is read-only (skipped as root, who can write anyway)', { skip: process.getuid?.() === 0 }, async () => {
    const r = await startRegistry({ REGISTRY_STORAGE_TYPE: 'local' });
    const blobs = join(r.dir, 'packages', 'blobs');
    try {
      await chmod(blobs, 0o555);
      assert.equal((await call(`${r.api}/health`)).status, 503);
    } finally {
      await chmod(blobs, 0o755);
      await r.close();
    }
  });

  test('503 when the database is closed', async () => {
    const r = await startRegistry();
    try {
      await r.registry.deps.db.close();
      const res = await call(`${r.api}/health`);
      assert.equal(res.status, 503);
      assert.equal(res.body.status, 'unavailable');
      assert.match(res.body.checks.database, /^failing/);
      assert.equal(res.body.checks.storage, 'ok');
      assert.equal((await call(`${r.api}/health/ready`)).status, 503);
      assert.equal((await call(`${r.api}/health/live`)).status, 200);
    } finally {
      await r.close();
    }
  });
});
