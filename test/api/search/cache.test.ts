/**
 * The broadest searches' pages are kept per registry instance for REGISTRY_SEARCH_CACHE_MS: a publish
 * through another instance of the same registry shows on this one once that much time has passed on
 * its clock, a publish through this instance shows at once, and narrow queries are never kept.
 * REGISTRY_SEARCH_RANK_ALL_LIMIT=1 makes every query with more than one match "broad".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { backendEnv, testBackend, type BackendEnv } from '../../helpers/backends.ts';
import { call, publish, signUp } from '../../helpers/client.ts';

const CACHE_MS = 5000;
let clock = Date.parse('2026-12-01T00:00:00Z');
let shared: BackendEnv;
let cached: TestRegistry;
let other: TestRegistry;
let token: string;

before(async () => {
  if (testBackend() === 'sqlite') {
    // Two instances of one registry on SQLite: one database file.
    const dir = await mkdtemp(join(tmpdir(), 'synapse-search-cache-'));
    shared = { env: { REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}` }, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } else {
    shared = await backendEnv();
  }
  const env = { REGISTRY_SECRET_KEY: 'search-cache-test-secret-key-0123456789abcdef', REGISTRY_RATE_LIMIT_ENABLED: 'false' };
  cached = await startRegistry(
    { ...env, REGISTRY_SEARCH_RANK_ALL_LIMIT: '1', REGISTRY_SEARCH_CACHE_MS: String(CACHE_MS) },
    { sharedBackend: shared, now: () => new Date(clock) },
  );
  other = await startRegistry(env, { sharedBackend: shared });
  ({ token } = await signUp(cached.api));
  for (const name of ['cog-a', 'cog-b', 'sprocket']) {
    assert.equal((await publish(cached.api, token, { name, version: '1.0.0', description: `The ${name} package` })).status, 201);
  }
});
after(async () => {
  await cached?.close();
  await other?.close();
  await shared?.cleanup();
});

const total = async (r: TestRegistry, q: string) => {
  const res = await call(`${r.api}/search?q=${encodeURIComponent(q)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.total as number;
};

describe('the search cache of broad queries', () => {
  test("another instance's publish shows once the cache time has passed", async () => {
    assert.equal(await total(cached, 'cog'), 2);
    assert.equal((await publish(other.api, token, { name: 'cog-c', version: '1.0.0' })).status, 201);
    assert.equal(await total(other, 'cog'), 3);
    assert.equal(await total(cached, 'cog'), 2);
    // The normalised query is the key: case does not make another entry.
    assert.equal(await total(cached, 'COG'), 2);
    clock += CACHE_MS - 1;
    assert.equal(await total(cached, 'cog'), 2);
    clock += 1;
    assert.equal(await total(cached, 'cog'), 3);
  });

  test('each page is its own entry', async () => {
    assert.equal((await publish(other.api, token, { name: 'cog-d', version: '1.0.0' })).status, 201);
    const page2 = await call(`${cached.api}/search?q=cog&per_page=1&page=2`);
    assert.equal(page2.body.total, 4);
    assert.equal(await total(cached, 'cog'), 3);
    clock += CACHE_MS;
  });

  test('a publish through this instance empties its cache', async () => {
    assert.equal(await total(cached, 'cog'), 4);
    assert.equal((await publish(cached.api, token, { name: 'cog-e', version: '1.0.0' })).status, 201);
    assert.equal(await total(cached, 'cog'), 5);
  });

  test('a narrow query is never kept', async () => {
    assert.equal(await total(cached, 'sprocket'), 1);
    assert.equal((await publish(other.api, token, { name: 'sprocket-two', version: '1.0.0' })).status, 201);
    assert.equal(await total(cached, 'sprocket'), 2);
  });
});
