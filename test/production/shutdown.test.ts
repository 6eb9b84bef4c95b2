/**
 * Graceful shutdown and health probes of a registry process on PostgreSQL + S3 + Redis: SIGTERM
 * lets the request in flight finish, writes buffered download counts and exits 0 within the grace
 * period; readiness follows the database while liveness does not.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { backendEnv, deleteRedisPrefix, REDIS_URL, stopSharedS3rver, type BackendEnv } from '../helpers/backends.ts';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';
import { packageTarball } from '../fixtures/tarballs.ts';
import { skipWithoutBackends } from '../helpers/require-backends.ts';
import { killAllSpawned, spawnRegistry } from '../helpers/spawn-registry.ts';
import { slowPublish } from '../helpers/slow-upload.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';

const skip = await skipWithoutBackends();

describe('shutdown and health of a registry process', { skip }, () => {
  let backend: BackendEnv;

  before(async () => {
    backend = await backendEnv('postgres-s3');
  });

  after(async () => {
    await killAllSpawned();
    await deleteRedisPrefix(REDIS_URL, backend.env.REGISTRY_REDIS_PREFIX!);
    await backend.cleanup();
    await stopSharedS3rver();
  });

  test('SIGTERM finishes the upload in flight, writes buffered downloads, exits 0 within the grace period', async () => {
    const registry = await spawnRegistry({
      env: {
        ...backend.env,
        REGISTRY_DOWNLOAD_FLUSH_MS: '600000',
        REGISTRY_SHUTDOWN_GRACE_MS: '8000',
        REGISTRY_RATE_LIMIT_ENABLED: 'false',
      },
    });
    const { token } = await signUp(registry.api);
    const name = uniqueName('graceful');
    assert.equal((await publish(registry.api, token, { name, version: '1.0.0' })).status, 201);
    const downloads = 7;
    for (let i = 0; i < downloads; i++) {
      const res = await fetch(`${registry.api}/packages/${name}/1.0.0/tarball`);
      assert.equal(res.status, 200);
      await res.arrayBuffer();
    }

    // About 1.2 s of upload; the signal lands after the first chunk.
    const tgz = packageTarball({ name, version: '1.1.0' }, { files: { 'data.bin': randomBytes(600_000) } });
    const upload = slowPublish(registry.api, token, tgz, 12, 100);
    await upload.started;
    await sleep(150);
    const signalledAt = Date.now();
    process.kill(registry.pid, 'SIGTERM');

    await sleep(100);
    // No new connections once stopping: refused, or at most a 503.
    const late = await fetch(`${registry.api}/health/live`).then(
      (r) => r.status,
      () => 'refused',
    );
    assert.ok(late === 'refused' || late === 503, `a new request during shutdown got ${late}`);

    const published = await upload.response;
    assert.equal(published.status, 201, `${published.body}\n${registry.output()}`);
    const exit = await registry.exited;
    const took = Date.now() - signalledAt;
    assert.deepEqual(exit, { code: 0, signal: null }, registry.output());
    assert.ok(took < 8_000, `exit took ${took} ms`);

    const client = new pg.Client({ connectionString: backend.env.REGISTRY_DB_URL });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT v.version, v.downloads, v.size,
                (SELECT coalesce(sum(count), 0) FROM download_counts c WHERE c.version_id = v.id) AS per_day
           FROM versions v JOIN packages p ON p.id = v.package_id WHERE p.name = $1 ORDER BY v.version`,
        [name],
      );
      assert.deepEqual(
        rows.map((r) => [r.version, Number(r.downloads), Number(r.per_day)]),
        [
          ['1.0.0', downloads, downloads],
          ['1.1.0', 0, 0],
        ],
      );
      assert.equal(Number(rows[1].size), tgz.length);
    } finally {
      await client.end();
    }
  });

  test('a request that outlasts the grace period does not keep the process: it exits 1', async () => {
    const registry = await spawnRegistry({
      env: { ...backend.env, REGISTRY_SHUTDOWN_GRACE_MS: '500', REGISTRY_RATE_LIMIT_ENABLED: 'false' },
    });
    const { token } = await signUp(registry.api);
    const tgz = packageTarball({ name: uniqueName('stuck'), version: '1.0.0' }, { files: { 'data.bin': randomBytes(300_000) } });
    // Twenty seconds of upload: far beyond the grace period.
    const upload = slowPublish(registry.api, token, tgz, 100, 200);
    upload.response.catch(() => undefined);
    await upload.started;
    const signalledAt = Date.now();
    process.kill(registry.pid, 'SIGTERM');
    const exit = await registry.exited;
    const took = Date.now() - signalledAt;
    assert.deepEqual(exit, { code: 1, signal: null }, registry.output());
    assert.ok(took >= 450 && took < 3_000, `forced exit after ${took} ms`);
  });

  test('/health/ready is 503 while the database is unreachable and /health/live stays 200', async () => {
    const dbUrl = new URL(backend.env.REGISTRY_DB_URL!);
    const proxy = await startTcpProxy({ host: dbUrl.hostname, port: Number(dbUrl.port) });
    try {
      dbUrl.port = String(proxy.port);
      const registry = await spawnRegistry({ env: { ...backend.env, REGISTRY_DB_URL: dbUrl.toString() } });
      assert.equal((await call(`${registry.api}/health/ready`)).status, 200);

      await proxy.pause();
      const ready = await call(`${registry.api}/health/ready`);
      assert.equal(ready.status, 503);
      assert.equal(ready.body.status, 'unavailable');
      assert.match(ready.body.checks.database, /^failing/);
      assert.equal(ready.body.checks.storage, 'ok');
      assert.equal((await call(`${registry.api}/health`)).status, 503);
      const live = await call(`${registry.api}/health/live`);
      assert.deepEqual([live.status, live.body.status], [200, 'ok']);
      const read = await call(`${registry.api}/packages/${uniqueName('any')}`);
      assert.deepEqual([read.status, read.body.code], [503, 'database_unavailable']);

      await proxy.resume();
      assert.equal((await call(`${registry.api}/health/ready`)).status, 200);
      assert.equal((await registry.stop()).code, 0, registry.output());
    } finally {
      await proxy.close();
    }
  });
});
