/** The data folder holds password hashes, emails and IPs: only the registry's account may read it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../packages/registry/src/config/index.ts';
import { createRegistry } from '../../packages/registry/src/server/start.ts';
import { publish, signUp } from '../helpers/client.ts';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

async function devRegistry(dataDir: string) {
  const registry = await createRegistry(
    loadConfig({ REGISTRY_ENV: 'development', REGISTRY_DATA_DIR: dataDir, REGISTRY_LOG_LEVEL: 'silent' }),
  );
  await registry.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = registry.app.server.address() as { port: number };
  return { registry, api: `http://127.0.0.1:${port}/api/v1` };
}

test('the data folder is created 0700, the database and its WAL and SHM 0600, the blob folder 0700', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'synapse-modes-'));
  const dataDir = join(parent, 'data');
  try {
    const { registry, api } = await devRegistry(dataDir);
    try {
      const { token } = await signUp(api);
      assert.equal((await publish(api, token, { name: `modes-${process.pid}`, version: '1.0.0' })).status, 201);
      assert.equal(await modeOf(dataDir), 0o700, 'data folder');
      for (const file of ['registry.db', 'registry.db-wal', 'registry.db-shm']) {
        assert.equal(await modeOf(join(dataDir, file)), 0o600, file);
      }
      assert.equal(await modeOf(join(dataDir, 'packages', 'blobs')), 0o700, 'blob folder');
    } finally {
      await registry.close();
    }
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

test('a database file left readable by others is tightened to 0600 at start', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'synapse-modes-'));
  try {
    const first = await devRegistry(dataDir);
    await first.registry.close();
    await chmod(join(dataDir, 'registry.db'), 0o644);
    await writeFile(join(dataDir, 'registry.db-wal'), '', { mode: 0o644 });
    await chmod(join(dataDir, 'registry.db-wal'), 0o644);
    const second = await devRegistry(dataDir);
    try {
      assert.equal(await modeOf(join(dataDir, 'registry.db')), 0o600);
      assert.equal(await modeOf(join(dataDir, 'registry.db-wal')), 0o600);
    } finally {
      await second.registry.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
