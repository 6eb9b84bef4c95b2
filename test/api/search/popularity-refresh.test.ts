/**
 * Download popularity (ranking, trending) is recomputed by a timer started with the server, at the
 * interval the config gives, never inside a request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../packages/registry/src/config/index.ts';
import { createRegistry } from '../../../packages/registry/src/server/start.ts';
import type { RepeatTimer } from '../../../packages/registry/src/db/popularity-refresher.ts';
import { call, publish, signUp } from '../../helpers/client.ts';

test('the refresher runs on its timer, at the configured interval, and only then does trending change', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-registry-test-'));
  const ticks: Array<{ run: () => void; intervalMs: number; stopped: boolean }> = [];
  const timer: RepeatTimer = (run, intervalMs) => {
    const entry = { run, intervalMs, stopped: false };
    ticks.push(entry);
    return () => {
      entry.stopped = true;
    };
  };
  const config = loadConfig({
    REGISTRY_ENV: 'test',
    REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`,
    REGISTRY_STORAGE_PATH: join(dir, 'packages'),
    REGISTRY_DATA_DIR: dir,
    REGISTRY_POPULARITY_REFRESH_MS: '1234',
  });
  const registry = await createRegistry(config, { timer });
  try {
    assert.equal(ticks.length, 1);
    assert.equal(ticks[0]!.intervalMs, 1234);
    await registry.app.listen({ host: '127.0.0.1', port: 0 });
    const address = registry.app.server.address();
    assert.ok(address && typeof address === 'object');
    const api = `http://127.0.0.1:${address.port}/api/v1`;
    const { token } = await signUp(api);
    assert.equal((await publish(api, token, { name: 'rising', version: '1.0.0' })).status, 201);
    assert.equal((await call(`${api}/packages/rising/1.0.0/tarball`)).status, 200);
    await registry.deps.downloads.flush();
    // Requests read what the last refresh left: nothing yet, however often they ask.
    for (let i = 0; i < 3; i++) assert.deepEqual((await call(`${api}/packages/trending`)).body.results, []);
    ticks[0]!.run();
    // stop() cancels the timer and waits for the run the tick started.
    await registry.popularity.stop();
    assert.equal(ticks[0]!.stopped, true);
    const trending = (await call(`${api}/packages/trending`)).body;
    assert.deepEqual(
      trending.results.map((t: { name: string }) => t.name),
      ['rising'],
    );
  } finally {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  }
});
