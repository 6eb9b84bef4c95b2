/**
 * A client that closes the connection mid-publish, seen from the operator's side: the registry's
 * log says the client went away, not that the database is unavailable. A real child process, so
 * its real log output can be read.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signUp, uniqueName } from '../../helpers/client.ts';
import { spawnRegistry, type SpawnedRegistry } from '../../helpers/spawn-registry.ts';
import { packageTarball } from '../../fixtures/tarballs.ts';

let dir: string;
let registry: SpawnedRegistry;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'synapse-abort-log-'));
  registry = await spawnRegistry({
    env: {
      REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`,
      REGISTRY_STORAGE_PATH: join(dir, 'blobs'),
      // debug: the start of a request is a debug line (a request's info line is written when it ends).
      REGISTRY_LOG_LEVEL: 'debug',
      REGISTRY_RATE_LIMIT_ENABLED: 'false',
    },
  });
});
after(async () => {
  await registry.stop();
  await rm(dir, { recursive: true, force: true });
});

test('an upload cut off by the client is logged as the client closing the connection', { timeout: 30_000 }, async () => {
  const { token } = await signUp(registry.api);
  const url = new URL(`${registry.api}/packages`);
  const req = httpRequest({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/gzip', 'content-length': '100000' },
  });
  req.on('error', () => {});
  await new Promise<void>((resolve) =>
    req.write(packageTarball({ name: uniqueName('gone'), version: '1.0.0' }).subarray(0, 40), () => resolve()),
  );
  // Wait on the log, not the clock: the request is in the handler once its start is logged.
  const logged = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => (pattern.test(registry.output()) ? resolve() : setImmediate(check));
      check();
    });
  await logged(/"url":"\/api\/v1\/packages"/);
  req.destroy();
  await logged(/closed the connection before the upload was complete/);
  assert.doesNotMatch(registry.output(), /database is unavailable/i);
});
