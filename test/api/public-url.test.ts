/** tarball_url never follows a Host header that a client made up, in production. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../packages/registry/src/config/index.ts';
import { createRegistry } from '../../packages/registry/src/server/start.ts';
import { publish, signUp, type Json } from '../helpers/client.ts';
import { TEST_SECRET_KEY } from '../helpers/spawn-registry.ts';

function getWithHost(url: string, host: string): Promise<Json> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (d) => (text += d))
        .on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject).end();
  });
}

test('in production, tarball links use REGISTRY_PUBLIC_URL whatever Host the client sends', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-public-url-'));
  const registry = await createRegistry(
    loadConfig({
      REGISTRY_ENV: 'production',
      REGISTRY_SECRET_KEY: TEST_SECRET_KEY,
      REGISTRY_PUBLIC_URL: 'https://registry.example.com',
      REGISTRY_DATA_DIR: dir,
      REGISTRY_LOG_LEVEL: 'silent',
    }),
  );
  try {
    await registry.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = registry.app.server.address() as { port: number };
    const api = `http://127.0.0.1:${port}/api/v1`;
    const { token } = await signUp(api);
    const name = `public-url-${process.pid}`;
    assert.equal((await publish(api, token, { name, version: '1.0.0' })).status, 201);
    const shown = await getWithHost(`${api}/packages/${name}/1.0.0`, 'evil.example');
    assert.equal(shown.tarball_url, `https://registry.example.com/api/v1/packages/${name}/1.0.0/tarball`);
  } finally {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  }
});
