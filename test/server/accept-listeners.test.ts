/**
 * REGISTRY_ACCEPT_LISTENERS through the real executable: several sockets listen on the registry's
 * port (where Node and the platform can), every connection is served alike whichever socket took it,
 * a second registry on the port is refused, and SIGTERM waits for requests on every socket.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../packages/registry/src/config/index.ts';
import { DEFAULT_ACCEPT_LISTENERS, reusePortSupported } from '../../packages/registry/src/config/server.ts';
import { publish, signUp, uniqueName } from '../helpers/client.ts';
import { packageTarball } from '../fixtures/tarballs.ts';
import { slowPublish } from '../helpers/slow-upload.ts';
import { rawExchange } from '../helpers/raw-http.ts';
import { killAllSpawned, spawnRegistry } from '../helpers/spawn-registry.ts';

const supported = reusePortSupported();

function sqliteEnv(dir: string, listeners: number): Record<string, string> {
  return {
    REGISTRY_ACCEPT_LISTENERS: String(listeners),
    REGISTRY_DATA_DIR: dir,
    REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`,
    REGISTRY_STORAGE_PATH: join(dir, 'packages'),
    REGISTRY_RATE_LIMIT_ENABLED: 'false',
  };
}

/** Sockets listening on `port`, as `ss` lists them. */
function listenersOn(port: number): number {
  return execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean).length;
}

test('the setting: auto by platform, numbers checked, refused where it cannot hold', () => {
  const read = (env: Record<string, string>) => loadConfig({ REGISTRY_ENV: 'test', ...env }).server.acceptListeners;
  assert.equal(read({}), supported ? DEFAULT_ACCEPT_LISTENERS : 1);
  assert.equal(read({ REGISTRY_ACCEPT_LISTENERS: 'auto', REGISTRY_WORKERS: '2' }), 1, 'workers take connections from the primary');
  assert.equal(read({ REGISTRY_ACCEPT_LISTENERS: '1' }), 1);
  const refused = (env: Record<string, string>, message: RegExp) =>
    assert.throws(
      () => read(env),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
    );
  refused({ REGISTRY_ACCEPT_LISTENERS: '0' }, /REGISTRY_ACCEPT_LISTENERS="0" must be a whole number from 1 to 64, or auto/);
  refused({ REGISTRY_ACCEPT_LISTENERS: 'many' }, /must be a whole number/);
  refused(
    { REGISTRY_ACCEPT_LISTENERS: '8', REGISTRY_WORKERS: '2' },
    supported ? /cannot go with REGISTRY_WORKERS=2/ : /needs SO_REUSEPORT from Node 22\.12/,
  );
  if (supported) assert.equal(read({ REGISTRY_ACCEPT_LISTENERS: '8' }), 8);
  else refused({ REGISTRY_ACCEPT_LISTENERS: '8' }, /needs SO_REUSEPORT from Node 22\.12 on Linux or FreeBSD; this is Node /);
});

describe('REGISTRY_ACCEPT_LISTENERS=32', { skip: supported ? false : `Node ${process.versions.node} has no reusePort` }, () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synapse-listeners-'));
  });
  after(async () => {
    await killAllSpawned();
    await rm(dir, { recursive: true, force: true });
  });

  test('32 sockets on one port; a connection to any of them is served alike, errors included', async () => {
    const registry = await spawnRegistry({ env: sqliteEnv(dir, 32) });
    const port = Number(new URL(registry.url).port);
    assert.equal(listenersOn(port), 32);
    // Each on a new connection, so the kernel spreads them over the sockets.
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        rawExchange(port, i % 2 ? 'HELLO THERE\r\n\r\n' : 'GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      ),
    );
    for (const [i, text] of answers.entries()) {
      if (i % 2) {
        assert.match(text, /^HTTP\/1\.1 400 /, text);
        assert.match(text, /content-type: application\/problem\+json/i);
        assert.match(text, /"code":"malformed_request"/);
      } else assert.match(text, /^HTTP\/1\.1 200 [^]*\{"status":"ok"\}$/, text);
    }
    assert.deepEqual(await registry.stop(), { code: 0, signal: null }, registry.output());
    assert.equal(listenersOn(port), 0);
  });

  test('a second registry on its port exits 1, saying the port is in use', async () => {
    const registry = await spawnRegistry({ env: sqliteEnv(dir, 32) });
    const port = new URL(registry.url).port;
    await assert.rejects(
      spawnRegistry({ env: { ...sqliteEnv(join(dir, 'second'), 32), REGISTRY_PORT: port } }),
      new RegExp(`exited early \\(1\\)[^]*127\\.0\\.0\\.1:${port} is in use by another process`),
    );
    assert.equal((await fetch(`${registry.api}/health/live`)).status, 200, 'the first registry still answers');
    assert.equal(listenersOn(Number(port)), 32);
    await registry.stop();
  });

  test('SIGTERM waits for the uploads in flight on every socket, then exits 0', async () => {
    const registry = await spawnRegistry({ env: sqliteEnv(dir, 32) });
    const { token } = await signUp(registry.api);
    const name = uniqueName('sockets');
    assert.equal((await publish(registry.api, token, { name, version: '1.0.0' })).status, 201);
    // Staggered ends: the last to finish is on one of the extra sockets 31 times in 32.
    const uploads = Array.from({ length: 32 }, (_, i) =>
      slowPublish(
        registry.api,
        token,
        packageTarball({ name, version: `1.1.${i}` }, { files: { 'data.bin': 'x'.repeat(4096) } }),
        6 + i,
        40,
      ),
    );
    await Promise.all(uploads.map((u) => u.started));
    process.kill(registry.pid, 'SIGTERM');
    const answers = await Promise.all(uploads.map((u) => u.response.catch((error: Error) => ({ status: 0, body: error.message }))));
    for (const [i, answer] of answers.entries()) assert.equal(answer.status, 201, `upload ${i}: ${answer.body}\n${registry.output()}`);
    assert.deepEqual(await registry.exited, { code: 0, signal: null }, registry.output());
  });
});
