/**
 * `synapse pkg add` and `install` unchanged against a pull-through registry, through the real
 * executable: the lockfile points at the mirror, and a clean install with the upstream gone still works.
 * (A full mirror serves its copies as its own packages: the ordinary install path.)
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { publish, signUp, uniqueName } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let upstream: TestRegistry;
let upstreamStopped = false;
let pull: TestRegistry;
let box: Sandbox;
let lib: string;
let app: string;

before(async () => {
  upstream = await startRegistry();
  pull = await startRegistry({ REGISTRY_UPSTREAM_URL: upstream.url });
  const owner = await signUp(upstream.api);
  lib = uniqueName('lib');
  app = uniqueName('dep');
  for (const version of ['1.0.0', '1.1.0']) assert.equal((await publish(upstream.api, owner.token, { name: lib, version })).status, 201);
  assert.equal((await publish(upstream.api, owner.token, { name: app, version: '2.0.0', dependencies: { [lib]: '^1.0.0' } })).status, 201);
  box = await sandbox();
});

after(async () => {
  await pull?.close();
  if (!upstreamStopped) await upstream?.close();
  await rm(box.root, { recursive: true, force: true });
});

test('add and install through a pull-through registry, then again with the upstream stopped', async () => {
  const cwd = await box.project('through-pull', { name: 'consumer', version: '0.1.0' });
  const added = await box.run(['pkg', 'add', app, '--registry', pull.url], { cwd });
  assert.equal(added.code, 0, added.stderr);
  const lock = await readFile(join(cwd, 'synapse.lock'), 'utf8');
  assert.match(lock, new RegExp(`^package ${lib} 1\\.1\\.0$`, 'm'), 'the transitive dependency resolved through the mirror');
  assert.ok(lock.includes(pull.url) && !lock.includes(upstream.url), 'tarball links point at the mirror, not the upstream');

  // Upstream gone: what the mirror fetched is still served (stale), so a clean install still works.
  await upstream.close();
  upstreamStopped = true;
  await rm(join(cwd, 'synapse_modules'), { recursive: true, force: true });
  const again = await box.run(['pkg', 'install', '--registry', pull.url], { cwd, env: { XDG_CACHE_HOME: join(box.root, 'fresh-cache') } });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /2 downloaded/, again.stdout);
});
