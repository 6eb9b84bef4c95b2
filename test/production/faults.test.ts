/**
 * Faults on the production path: S3 or PostgreSQL going away (simulated by pausing a TCP proxy in
 * front of the real server, which other tests keep using) and a registry killed mid-publish.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  deleteRedisPrefix,
  freshBucket,
  freshPostgres,
  REDIS_URL,
  S3_CREDENTIALS,
  sharedS3rver,
  stopSharedS3rver,
} from '../helpers/backends.ts';
import { call, publish, publishTarball, signUp, uniqueName, type Res } from '../helpers/client.ts';
import { packageTarball } from '../fixtures/tarballs.ts';
import { skipWithoutBackends } from '../helpers/require-backends.ts';
import { killAllSpawned, spawnRegistry, type SpawnedRegistry } from '../helpers/spawn-registry.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

const skip = await skipWithoutBackends();

const cleanups: (() => Promise<unknown>)[] = [];
const temp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-faults-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
};
const database = async () => {
  const db = await freshPostgres();
  cleanups.push(db.drop);
  return db.url;
};
const s3Env = async (endpoint?: string) => {
  const s3 = await sharedS3rver();
  const prefix = `synapse-test:${randomBytes(6).toString('hex')}:`;
  cleanups.push(() => deleteRedisPrefix(REDIS_URL, prefix));
  return {
    REGISTRY_STORAGE_TYPE: 's3',
    REGISTRY_S3_BUCKET: await freshBucket(s3.endpoint),
    REGISTRY_S3_ENDPOINT: endpoint ?? s3.endpoint,
    REGISTRY_S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    REGISTRY_REDIS_URL: REDIS_URL,
    REGISTRY_REDIS_PREFIX: prefix,
  };
};
const proxyTo = async (url: string) => {
  const target = new URL(url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  cleanups.push(() => proxy.close());
  return proxy;
};

async function sqlRows(url: string, text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

interface StoredBlob {
  key: string;
  read(): Promise<Buffer>;
}

async function localBlobs(dir: string): Promise<StoredBlob[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => ({ key: basename(e.name), read: () => readFile(join(e.parentPath, e.name)) }));
}

async function bucketBlobs(env: Record<string, string>): Promise<StoredBlob[]> {
  const client = new S3Client({
    endpoint: env.REGISTRY_S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3_CREDENTIALS,
  });
  cleanups.push(async () => client.destroy());
  const Bucket = env.REGISTRY_S3_BUCKET!;
  const listed = await client.send(new ListObjectsV2Command({ Bucket }));
  return (listed.Contents ?? []).map(({ Key }) => ({
    key: Key!,
    read: async () => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray()),
  }));
}

const assertProblem = (res: Res, status: number, code: string) => {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.code, code, JSON.stringify(res.body));
};

describe('production faults', { skip }, () => {
  after(async () => {
    await killAllSpawned();
    for (const cleanup of cleanups.reverse()) await cleanup();
    await stopSharedS3rver();
  });

  describe('S3 unreachable during a publish', () => {
    let s3Proxy: TcpProxy;
    let registry: SpawnedRegistry;
    let dbUrl: string;

    before(async () => {
      const s3 = await sharedS3rver();
      s3Proxy = await proxyTo(s3.endpoint);
      dbUrl = await database();
      registry = await spawnRegistry({ env: { REGISTRY_DB_URL: dbUrl, ...(await s3Env(`http://127.0.0.1:${s3Proxy.port}`)) } });
    });

    test('answers 503 storage_unavailable, leaves no row, and a retry after recovery succeeds', async () => {
      const { token } = await signUp(registry.api);
      const name = uniqueName('s3down');
      const tgz = packageTarball({ name, version: '1.0.0' });
      const earlier = uniqueName('s3earlier');
      assert.equal((await publish(registry.api, token, { name: earlier, version: '1.0.0' })).status, 201);

      await s3Proxy.pause();
      assertProblem(await call(`${registry.api}/packages/${earlier}/1.0.0/tarball`), 503, 'storage_unavailable');
      const failed = await publishTarball(registry.api, token, tgz);
      assertProblem(failed, 503, 'storage_unavailable');
      const ready = await call(`${registry.api}/health/ready`);
      assert.equal(ready.status, 503);
      assert.match(ready.body.checks.storage, /^failing/);
      assert.equal(ready.body.checks.database, 'ok');
      assert.equal((await call(`${registry.api}/health/live`)).status, 200);
      assert.deepEqual(await sqlRows(dbUrl, 'SELECT id FROM packages WHERE name = $1', [name]), []);
      assert.deepEqual(
        await sqlRows(dbUrl, 'SELECT id FROM versions WHERE package_id IN (SELECT id FROM packages WHERE name = $1)', [name]),
        [],
      );
      assert.equal((await call(`${registry.api}/packages/${name}`)).status, 404);

      await s3Proxy.resume();
      const retried = await publishTarball(registry.api, token, tgz);
      assert.equal(retried.status, 201, JSON.stringify(retried.body));
      const tarball = await fetch(`${registry.api}/packages/${name}/1.0.0/tarball`);
      assert.deepEqual(Buffer.from(await tarball.arrayBuffer()), tgz);
      assert.equal((await call(`${registry.api}/health/ready`)).status, 200);
    });

    test('a download that fails on storage is not counted', async () => {
      const { token } = await signUp(registry.api);
      const name = uniqueName('s3count');
      assert.equal((await publish(registry.api, token, { name, version: '1.0.0' })).status, 201);
      await s3Proxy.pause();
      try {
        assertProblem(await call(`${registry.api}/packages/${name}/1.0.0/tarball`), 503, 'storage_unavailable');
      } finally {
        await s3Proxy.resume();
      }
      // One download that succeeds, recorded after the failed one: once it shows (the counts are
      // flushed on a timer, which a GET does not trigger), the failed one would have shown too.
      const ok = await fetch(`${registry.api}/packages/${name}/1.0.0/tarball`);
      await ok.arrayBuffer();
      assert.equal(ok.status, 200);
      let downloads = 0;
      for (const deadline = Date.now() + 15_000; downloads === 0 && Date.now() < deadline; await sleep(200)) {
        downloads = (await call(`${registry.api}/packages/${name}/1.0.0`)).body.downloads;
      }
      assert.equal(downloads, 1);
    });
  });

  test('PostgreSQL restarted under load: 503 while it is down, success after, nothing acknowledged lost', async () => {
    const dbUrl = await database();
    const pgProxy = await proxyTo(dbUrl);
    const viaProxy = new URL(dbUrl);
    viaProxy.port = String(pgProxy.port);
    const registry = await spawnRegistry({
      env: {
        REGISTRY_DB_URL: viaProxy.toString(),
        REGISTRY_STORAGE_PATH: join(await temp(), 'blobs'),
        REGISTRY_DB_POOL_SIZE: '4',
        REGISTRY_RATE_LIMIT_ENABLED: 'false',
      },
    });
    const { token } = await signUp(registry.api);
    const name = uniqueName('pgdown');
    assert.equal((await publish(registry.api, token, { name, version: '0.0.1' })).status, 201);

    type Outcome = { phase: 'up' | 'down' | 'back'; status: number; code?: string; version?: string };
    const outcomes: Outcome[] = [];
    let phase: Outcome['phase'] = 'up';
    let running = true;
    let seq = 0;
    // Four clients: two publishing new versions, two reading; each waits a little between requests.
    const worker = async (kind: 'publish' | 'read') => {
      while (running) {
        const started = phase;
        const version = `1.0.${++seq}`;
        const request = kind === 'publish' ? publish(registry.api, token, { name, version }) : call(`${registry.api}/packages/${name}`);
        // A dropped connection (the registry crashed) is recorded as status 0 and fails below.
        const res = await request.catch((error: unknown) => ({ status: 0, body: { code: String(error) } }));
        // A request that straddles a phase change belongs to neither.
        if (started === phase)
          outcomes.push({ phase, status: res.status, code: res.body?.code, version: kind === 'publish' ? version : undefined });
        await sleep(15);
      }
    };
    const load = Promise.all([worker('publish'), worker('publish'), worker('read'), worker('read')]);
    await sleep(500);
    phase = 'down';
    await pgProxy.pause();
    await sleep(1_000);
    await pgProxy.resume();
    phase = 'back';
    // The pool reconnects on demand; give it one round trip before judging.
    await sleep(300);
    outcomes.splice(0, outcomes.length, ...outcomes.filter((o) => o.phase !== 'back'));
    await sleep(700);
    running = false;
    await load;

    const tally = new Map<string, number>();
    for (const o of outcomes)
      tally.set(`${o.phase}:${o.status}:${o.code ?? ''}`, (tally.get(`${o.phase}:${o.status}:${o.code ?? ''}`) ?? 0) + 1);
    const summary = JSON.stringify(Object.fromEntries(tally));
    const down = outcomes.filter((o) => o.phase === 'down');
    const up = outcomes.filter((o) => o.phase !== 'down');
    assert.ok(down.length >= 4, `too few requests while down: ${summary}`);
    for (const o of down) assert.deepEqual([o.status, o.code], [503, 'database_unavailable'], summary);
    const back = outcomes.filter((o) => o.phase === 'back');
    assert.ok(back.length >= 4, `too few requests after resume: ${summary}`);
    for (const o of up) assert.ok(o.status === 200 || o.status === 201, summary);

    const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.version!);
    const listed = await call(`${registry.api}/packages/${name}/versions`);
    const held = new Set(listed.body.versions.map((v: { version: string }) => v.version));
    for (const v of acknowledged) assert.ok(held.has(v), `acknowledged ${v} is missing`);
    assert.equal((await call(`${registry.api}/health/ready`)).status, 200);
    assert.equal((await registry.stop()).code, 0, registry.output());
  });

  for (const backend of ['SQLite + local folder', 'PostgreSQL + S3'] as const) {
    test(`a registry SIGKILLed during a publish storm (${backend}): every version row has its blob, nothing partial is served`, async () => {
      const dir = await temp();
      const env: Record<string, string> =
        backend === 'PostgreSQL + S3'
          ? { REGISTRY_DB_URL: await database(), ...(await s3Env()) }
          : { REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`, REGISTRY_STORAGE_PATH: join(dir, 'packages') };
      env.REGISTRY_RATE_LIMIT_ENABLED = 'false';
      const first = await spawnRegistry({ env });
      const { token } = await signUp(first.api);
      const name = uniqueName('storm');
      assert.equal((await publish(first.api, token, { name, version: '0.0.0' })).status, 201);

      const acknowledged: string[] = [];
      let dropped = 0;
      let seq = 0;
      let killed = false;
      const worker = async () => {
        while (!killed) {
          const version = `1.0.${++seq}`;
          // Incompressible bodies of a few hundred KB, so the kill lands mid-upload or mid-write.
          const tgz = packageTarball({ name, version }, { files: { 'data.bin': randomBytes(200_000 + (seq % 5) * 50_000) } });
          const res = await publishTarball(first.api, token, tgz).catch(() => null);
          if (res === null) dropped += 1;
          else if (res.status === 201) acknowledged.push(version);
        }
      };
      const storm = Promise.all(Array.from({ length: 6 }, worker));
      // Kill once the storm is well under way (a few acknowledged), however slow the machine.
      const deadline = Date.now() + 10_000;
      while (acknowledged.length < 4 && Date.now() < deadline) await sleep(20);
      await sleep(50);
      killed = true;
      assert.equal((await first.kill()).signal, 'SIGKILL');
      await storm;
      assert.ok(dropped > 0, 'the kill interrupted no publish');

      const second = await spawnRegistry({ env });
      const listed = await call(`${second.api}/packages/${name}/versions`);
      assert.equal(listed.status, 200);
      const versions: string[] = listed.body.versions.map((v: { version: string }) => v.version);
      for (const v of acknowledged) assert.ok(versions.includes(v), `acknowledged ${v} is missing after restart`);
      assert.ok(acknowledged.length >= 4, `the storm got too few publishes through: ${versions.join(',')}`);
      for (const v of versions) {
        const meta = await call(`${second.api}/packages/${name}/${v}`);
        const tarball = await fetch(`${second.api}/packages/${name}/${v}/tarball`);
        assert.equal(tarball.status, 200, `${v}: ${tarball.status}`);
        const bytes = Buffer.from(await tarball.arrayBuffer());
        assert.equal(bytes.length, meta.body.size, `${v}: size`);
        assert.equal(createHash('sha256').update(bytes).digest('hex'), meta.body.checksum, `${v}: sha256`);
      }
      // Content-addressed: every blob under its final name is whole, whatever the kill interrupted.
      // Locally that holds for every file (rename is atomic). s3rver, unlike S3, writes an object as
      // its bytes arrive, so a killed upload can leave a truncated object nothing refers to: there,
      // check the blobs the versions use (a later publish of the same bytes replaces such a leftover).
      const local = backend === 'SQLite + local folder';
      const stored = local ? await localBlobs(join(dir, 'packages', 'blobs')) : await bucketBlobs(env);
      const used = new Set<string>();
      for (const v of versions) used.add((await call(`${second.api}/packages/${name}/${v}`)).body.checksum);
      const blobs = local ? stored : stored.filter((blob) => used.has(blob.key));
      assert.ok(blobs.length >= versions.length, `${blobs.length} blobs for ${versions.length} versions`);
      for (const blob of blobs) {
        assert.equal(
          createHash('sha256')
            .update(await blob.read())
            .digest('hex'),
          blob.key,
          `blob ${blob.key} holds other bytes`,
        );
      }
      assert.equal((await second.stop()).code, 0, second.output());
    });
  }
});
