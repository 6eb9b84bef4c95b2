/**
 * Starts a real registry for a test: a SQLite file and a blob folder in a fresh temp folder,
 * listening on a free loopback port. Requests go over real HTTP.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.ts';
import { createRegistry, type Registry } from '../../src/server/start.ts';

export interface TestRegistry {
  url: string;
  api: string;
  dir: string;
  registry: Registry;
  /** Files under the blob folder (committed blobs only, not staging). */
  blobFiles(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startRegistry(env: Record<string, string> = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-registry-test-'));
  const config = loadConfig({
    REGISTRY_ENV: 'test',
    REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`,
    REGISTRY_STORAGE_PATH: join(dir, 'packages'),
    REGISTRY_DATA_DIR: dir,
    REGISTRY_DOWNLOAD_FLUSH_MS: '50',
    ...env,
  });
  const registry = await createRegistry(config);
  await registry.app.listen({ host: '127.0.0.1', port: 0 });
  const address = registry.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    api: `${url}/api/v1`,
    dir,
    registry,
    blobFiles: async () => listFiles(join(dir, 'packages', 'blobs')),
    close: async () => {
      await registry.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
