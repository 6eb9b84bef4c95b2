/**
 * REGISTRY_WORKERS=2 through the real executable: two worker processes behind one port, sessions valid
 * across them, a worker that dies replaced, and SIGTERM stopping them all before the primary exits.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';
import { killAllSpawned, spawnRegistry, type SpawnedRegistry } from '../helpers/spawn-registry.ts';

/** The primary's live worker processes. */
function workersOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

/** Waits (a process starting elsewhere; no clock to move) up to 20 s for `check`. */
async function eventually(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    assert.ok(Date.now() < deadline, what);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('REGISTRY_WORKERS=2', () => {
  let dir: string;
  let registry: SpawnedRegistry;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synapse-workers-'));
    registry = await spawnRegistry({
      env: {
        REGISTRY_WORKERS: '2',
        REGISTRY_DATA_DIR: dir,
        REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`,
        REGISTRY_STORAGE_PATH: join(dir, 'packages'),
        REGISTRY_RATE_LIMIT_ENABLED: 'false',
      },
      startTimeoutMs: 60_000,
    });
  });
  after(async () => {
    await killAllSpawned();
    await rm(dir, { recursive: true, force: true });
  });

  test('two workers answer on one port; what one writes the other serves', async () => {
    assert.equal(workersOf(registry.pid).length, 2, registry.output());
    const owner = await signUp(registry.api);
    const name = uniqueName('workers');
    assert.equal((await publish(registry.api, owner.token, { name, version: '1.0.0' })).status, 201);
    // New connections are handed to the workers in turn: each request below is its own connection.
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${registry.api}/packages/${name}`, { headers: { connection: 'close' } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      const verified = await call(`${registry.api}/auth/verify`, { method: 'POST', token: owner.token, headers: { connection: 'close' } });
      assert.equal(verified.status, 200, 'a session made by one worker is valid on the other');
    }
  });

  test('a worker that dies is replaced; the registry keeps answering', async () => {
    const [first] = workersOf(registry.pid);
    process.kill(first!, 'SIGKILL');
    await eventually(`a new worker replaces ${first}:\n${registry.output()}`, () => {
      const now = workersOf(registry.pid);
      return now.length === 2 && !now.includes(first!);
    });
    for (let i = 0; i < 6; i++)
      assert.equal((await fetch(`${registry.api}/health/live`, { headers: { connection: 'close' } })).status, 200);
    assert.match(registry.output(), /exited \(SIGKILL\); starting another/);
  });

  test('SIGTERM stops every worker, then the primary exits 0', async () => {
    const workers = workersOf(registry.pid);
    const result = await registry.stop('SIGTERM');
    assert.deepEqual(result, { code: 0, signal: null }, registry.output());
    for (const pid of workers) assert.throws(() => process.kill(pid, 0), 'the worker is gone');
  });
});
