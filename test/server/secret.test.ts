import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../packages/registry/src/config/index.ts';
import { createRegistry } from '../../packages/registry/src/server/start.ts';
import { call, signUp } from '../helpers/client.ts';

/** A development registry on a data folder, like `npm start` with REGISTRY_DATA_DIR. */
async function devRegistry(dataDir: string) {
  const registry = await createRegistry(
    loadConfig({ REGISTRY_ENV: 'development', REGISTRY_DATA_DIR: dataDir, REGISTRY_LOG_LEVEL: 'silent' }),
  );
  await registry.app.listen({ host: '127.0.0.1', port: 0 });
  const address = registry.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { registry, api: `http://127.0.0.1:${address.port}/api/v1` };
}

test('development mode generates a secret on first start, keeps it (0600) and sessions survive a restart', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'synapse-secret-'));
  try {
    const first = await devRegistry(dataDir);
    const { token } = await signUp(first.api);
    await first.registry.close();

    const secretFile = join(dataDir, 'secret.key');
    assert.match(await readFile(secretFile, 'utf8'), /^[0-9a-f]{64}$/);
    assert.equal((await stat(secretFile)).mode & 0o777, 0o600);
    // The embedded default lives in the data folder: the SQLite file and the blob folder.
    await stat(join(dataDir, 'registry.db'));
    await stat(join(dataDir, 'packages'));

    const second = await devRegistry(dataDir);
    try {
      const verified = await call(`${second.api}/auth/verify`, { method: 'POST', token });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(verified.body.valid, true);
    } finally {
      await second.registry.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('test mode uses a fresh secret each start: a token from one registry is refused by another', async () => {
  const config = loadConfig({ REGISTRY_ENV: 'test' });
  const a = await createRegistry(config);
  const b = await createRegistry(config);
  try {
    assert.notDeepEqual(Buffer.from(a.deps.secret), Buffer.from(b.deps.secret));
  } finally {
    await a.close();
    await b.close();
  }
});
