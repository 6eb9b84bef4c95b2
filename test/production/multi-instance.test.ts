/**
 * Three registry processes on one PostgreSQL database, one S3 bucket and one Redis behave as one
 * registry: read-after-write everywhere, shared rate limits, one winner among concurrent publishes,
 * every download counted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { backendEnv, deleteRedisPrefix, REDIS_URL, stopSharedS3rver, type BackendEnv } from '../helpers/backends.ts';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';
import { packageTarball } from '../fixtures/tarballs.ts';
import { skipWithoutBackends } from '../helpers/require-backends.ts';
import { killAllSpawned, spawnRegistry, type SpawnedRegistry } from '../helpers/spawn-registry.ts';

const skip = await skipWithoutBackends();

const spawnThree = (env: Record<string, string>) => Promise.all([0, 1, 2].map(() => spawnRegistry({ env })));

describe('three registry processes on one PostgreSQL + S3 + Redis', { skip }, () => {
  let backend: BackendEnv;
  let registries: SpawnedRegistry[] = [];
  let token: string;
  /** Tarball downloads made by any test in this file, for the registry-wide total. */
  let downloadsMade = 0;
  const api = (i: number) => registries[i % registries.length]!.api;

  before(async () => {
    backend = await backendEnv('postgres-s3');
    // Downloads stay buffered for the whole file, so only the shutdown flush can write them.
    registries = await spawnThree({ ...backend.env, REGISTRY_DOWNLOAD_FLUSH_MS: '600000', REGISTRY_RATE_LIMIT_ENABLED: 'false' });
    ({ token } = await signUp(api(0)));
  });

  after(async () => {
    await killAllSpawned();
    await deleteRedisPrefix(REDIS_URL, backend.env.REGISTRY_REDIS_PREFIX!);
    await backend.cleanup();
    await stopSharedS3rver();
  });

  test('a session from one instance is accepted by the others', async () => {
    for (const i of [1, 2]) {
      const res = await call(`${api(i)}/auth/verify`, { method: 'POST', token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  });

  test('a publish through one instance is visible through the other two at once', async () => {
    const name = uniqueName('shared');
    const keyword = `kw${randomBytes(4).toString('hex')}`;
    const manifest = { name, version: '1.2.3', description: 'visible everywhere', keywords: [keyword] };
    const tgz = packageTarball(manifest);
    const published = await call(`${api(0)}/packages`, {
      body: new Uint8Array(tgz),
      token,
      headers: { 'content-type': 'application/gzip' },
    });
    assert.equal(published.status, 201, JSON.stringify(published.body));

    for (const i of [1, 2]) {
      const meta = await call(`${api(i)}/packages/${name}`);
      assert.equal(meta.status, 200, `instance ${i}: ${JSON.stringify(meta.body)}`);
      assert.equal(meta.body.latest, '1.2.3');
      const search = await call(`${api(i)}/search?q=${keyword}`);
      assert.equal(search.status, 200);
      assert.deepEqual(
        search.body.results.map((r: { name: string }) => r.name),
        [name],
      );
      const tarball = await fetch(`${api(i)}/packages/${name}/1.2.3/tarball`);
      assert.equal(tarball.status, 200);
      downloadsMade += 1;
      assert.deepEqual(Buffer.from(await tarball.arrayBuffer()), tgz, `instance ${i} served other bytes`);
    }
  });

  test('twenty concurrent publishes of one version over three instances give exactly one 201', async () => {
    const name = uniqueName('race');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => publish(api(i), token, { name, version: '1.0.0', description: `attempt ${i}` })),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
    assert.deepEqual(new Set(statuses.filter((s) => s !== 201)), new Set([409]), `statuses: ${statuses.join(',')}`);
    const versions = await call(`${api(2)}/packages/${name}/versions`);
    assert.equal(versions.status, 200);
    assert.deepEqual(
      versions.body.versions.map((v: { version: string }) => v.version),
      ['1.0.0'],
    );
  });

  test('a read limit of N a minute lets exactly N requests through across all three', async () => {
    const limit = 12;
    const prefix = `synapse-test:${randomBytes(6).toString('hex')}:`;
    const limited = await spawnThree({
      ...backend.env,
      REGISTRY_REDIS_PREFIX: prefix,
      REGISTRY_RATE_LIMIT_ENABLED: 'true',
      REGISTRY_RATE_LIMIT_READ_PER_MINUTE: String(limit),
    });
    try {
      // Plain fetch, not call(): call() checks each answer against the registry's OpenAPI document, and
      // fetches that document (a read, counted) after the first answer, which could take a slot of the
      // budget while the other requests are still on their way (seen once in CI: 11 through).
      const responses = await Promise.all(
        Array.from({ length: limit * 3 }, async (_, i) => {
          const res = await fetch(`${limited[i % 3]!.api}/packages/${uniqueName('absent')}`);
          return { status: res.status, headers: res.headers, body: (await res.json()) as { code?: string } };
        }),
      );
      const through = responses.filter((r) => r.status !== 429);
      assert.equal(through.length, limit, `statuses: ${responses.map((r) => r.status).join(',')}`);
      assert.ok(through.every((r) => r.status === 404));
      const refused = responses.filter((r) => r.status === 429);
      assert.ok(refused.every((r) => r.body.code === 'rate_limited' && Number(r.headers.get('retry-after')) > 0));
      // Every instance refuses once the shared budget is spent, not only the one that spent it.
      for (const registry of limited) assert.equal((await call(`${registry.api}/stats`)).status, 429);
    } finally {
      await Promise.all(limited.map((r) => r.stop('SIGTERM')));
      await deleteRedisPrefix(REDIS_URL, prefix);
    }
  });

  // Last: it stops the three registries.
  test('downloads spread over the three are all counted once they shut down', async () => {
    const name = uniqueName('counted');
    assert.equal((await publish(api(0), token, { name, version: '2.0.0' })).status, 201);
    const downloads = 30;
    const results = await Promise.all(
      Array.from({ length: downloads }, async (_, i) => {
        const res = await fetch(`${api(i)}/packages/${name}/2.0.0/tarball`, { headers: { 'user-agent': `counter/${i % 3}` } });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    assert.deepEqual(new Set(results), new Set([200]));
    downloadsMade += downloads;

    const exits = await Promise.all(registries.map((r) => r.stop('SIGTERM')));
    assert.deepEqual(
      exits,
      [0, 1, 2].map(() => ({ code: 0, signal: null })),
      registries.map((r) => r.output()).join('\n'),
    );

    const client = new pg.Client({ connectionString: backend.env.REGISTRY_DB_URL });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT v.downloads AS version_downloads, p.downloads AS package_downloads,
                (SELECT coalesce(sum(count), 0) FROM download_counts c WHERE c.version_id = v.id) AS per_day,
                (SELECT count(*) FROM download_log l WHERE l.version_id = v.id) AS logged
           FROM versions v JOIN packages p ON p.id = v.package_id WHERE p.name = $1`,
        [name],
      );
      assert.deepEqual(
        rows.map((r) => Object.values(r).map(Number)),
        [[downloads, downloads, downloads, downloads]],
      );
    } finally {
      await client.end();
    }
    // And a fresh instance on the same database reports them.
    const fresh = await spawnRegistry({ env: { ...backend.env, REGISTRY_RATE_LIMIT_ENABLED: 'false' } });
    const stats = await call(`${fresh.api}/stats`);
    assert.equal(stats.body.downloads.total, downloadsMade);
    assert.equal((await call(`${fresh.api}/packages/${name}/2.0.0`)).body.downloads, downloads);
    await fresh.stop();
  });
});
