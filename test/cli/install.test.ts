/**
 * `synapse pkg install` end to end: the real executable against a real registry (behind a TCP
 * proxy that counts connections, so "offline" can be checked), a small published graph.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { listTree, sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let proxy: TcpProxy;
let box: Sandbox;
let token: string;
let url: string;

async function pub(name: string, version: string, dependencies: Record<string, string> = {}) {
  const res = await publish(registry.api, token, { name, version, description: `${name} package`, dependencies });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

before(async () => {
  registry = await startRegistry();
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(registry.url).port) });
  url = `http://127.0.0.1:${proxy.port}`;
  ({ token } = await signUp(registry.api));
  await pub('log', '1.0.0');
  await pub('log', '1.1.0');
  await pub('log', '2.0.0');
  await pub('util', '1.0.0', { log: '^1.0.0' });
  await pub('web', '1.0.0', { util: '^1.0.0', log: '^1.0.0' });
  await pub('legacy', '1.0.0', { log: '^2.0.0' });
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = url;
});

after(async () => {
  await proxy.close();
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('install', () => {
  let app: string;

  test('installs the graph into synapse_modules and writes synapse.lock', async () => {
    app = await box.project('app', { name: 'app', version: '1.0.0', dependencies: { web: '^1.0.0' } });
    const res = await box.run(['pkg', 'install'], { cwd: app });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /\+ log 1\.1\.0/);
    assert.match(res.stdout, /\+ web 1\.0\.0/);
    assert.deepEqual((await readdir(join(app, 'synapse_modules'))).filter((n) => !n.startsWith('.')).sort(), ['log', 'util', 'web']);
    assert.deepEqual(await listTree(join(app, 'synapse_modules', 'web')), ['README.md', 'src/main.syn', 'synapse.json']);
    const manifest = JSON.parse(await readFile(join(app, 'synapse_modules', 'util', 'synapse.json'), 'utf8'));
    assert.deepEqual([manifest.name, manifest.version], ['util', '1.0.0']);
    const lock = await readFile(join(app, 'synapse.lock'), 'utf8');
    assert.match(lock, /^root web \^1\.0\.0$/m);
    assert.match(lock, /^package log 1\.1\.0$/m);
    assert.match(lock, /^  dependency util 1\.0\.0$/m);
    assert.match(lock, new RegExp(`tarball ${url}/api/v1/packages/web/1.0.0/tarball`));
    // Hard links: the project's file is the store's file.
    assert.ok((await stat(join(app, 'synapse_modules', 'web', 'synapse.json'))).nlink >= 2);
  });

  test('a re-run with nothing changed does nothing and says so, without the network', async () => {
    const seen = proxy.accepted;
    const res = await box.run(['pkg', 'install', '--json'], { cwd: app });
    assert.equal(res.code, 0, res.stderr);
    const summary = JSON.parse(res.stdout);
    assert.equal(summary.up_to_date, true);
    assert.equal(summary.packages, 3);
    assert.equal(proxy.accepted, seen);
    const text = await box.run(['pkg', 'install'], { cwd: app });
    assert.match(text.stdout, /Already up to date: 3 packages/);
  });

  test('--offline installs a fresh copy of the project from the cache alone', async () => {
    const copy = await box.project('app-offline', { name: 'app', version: '1.0.0', dependencies: { web: '^1.0.0' } });
    await writeFile(join(copy, 'synapse.lock'), await readFile(join(app, 'synapse.lock')));
    await proxy.pause();
    try {
      const res = await box.run(['pkg', 'install', '--offline'], { cwd: copy });
      assert.equal(res.code, 0, res.stderr);
      assert.deepEqual(await listTree(join(copy, 'synapse_modules', 'log')), ['README.md', 'src/main.syn', 'synapse.json']);
      // Without a lock, --offline resolves from the cached metadata.
      const fresh = await box.project('app-offline-nolock', { name: 'app', version: '1.0.0', dependencies: { util: '^1.0.0' } });
      const resolved = await box.run(['pkg', 'install', '--offline'], { cwd: fresh });
      assert.equal(resolved.code, 0, resolved.stderr);
      assert.match(await readFile(join(fresh, 'synapse.lock'), 'utf8'), /^package log 1\.1\.0$/m);
      // Something never fetched is named.
      const missing = await box.project('app-offline-missing', { name: 'app', version: '1.0.0', dependencies: { legacy: '^1.0.0' } });
      const failed = await box.run(['pkg', 'install', '--offline'], { cwd: missing });
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, /no cached metadata for legacy/);
    } finally {
      await proxy.resume();
    }
  });

  test('a tampered cached tarball is refused offline and fetched again online', async () => {
    const tarballs = (await readdir(join(box.cache, 'synapse', 'tarballs'), { recursive: true, withFileTypes: true })).filter((e) =>
      e.isFile(),
    );
    assert.equal(tarballs.length, 3);
    for (const t of tarballs) {
      const path = join(t.parentPath, t.name);
      const bytes = await readFile(path);
      bytes[bytes.length - 5] ^= 0xff;
      await writeFile(path, bytes);
    }
    await rm(join(app, 'synapse_modules'), { recursive: true });
    const offline = await box.run(['pkg', 'install', '--offline'], { cwd: app });
    assert.equal(offline.code, 1);
    assert.match(offline.stderr, /does not match sha512-/);
    assert.match(offline.stderr, /failed verification and were removed: .*web@1\.0\.0/);
    await assert.rejects(stat(join(app, 'synapse_modules', 'web')));

    const online = await box.run(['pkg', 'install'], { cwd: app });
    assert.equal(online.code, 0, online.stderr);
    assert.match(online.stdout, /3 downloaded/);
    assert.ok((await stat(join(app, 'synapse_modules', 'web', 'synapse.json'))).isFile());
  });

  test('a conflict prints the resolver explanation and changes nothing', async () => {
    const before = await readFile(join(app, 'synapse.json'), 'utf8');
    const lockBefore = await readFile(join(app, 'synapse.lock'), 'utf8');
    const res = await box.run(['pkg', 'add', 'legacy@^1.0.0'], { cwd: app });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /Because .*legacy.* depends on log \^2\.0\.0/);
    assert.match(res.stderr, /version solving failed/);
    assert.equal(await readFile(join(app, 'synapse.json'), 'utf8'), before);
    assert.equal(await readFile(join(app, 'synapse.lock'), 'utf8'), lockBefore);
  });

  test('--frozen-lockfile refuses a lockfile that no longer matches synapse.json', async () => {
    const frozen = await box.project('app-frozen', { name: 'app', version: '1.0.0', dependencies: { web: '^1.0.0', util: '^1.0.0' } });
    await writeFile(join(frozen, 'synapse.lock'), await readFile(join(app, 'synapse.lock')));
    const res = await box.run(['pkg', 'install', '--frozen-lockfile'], { cwd: frozen });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /synapse\.lock does not match synapse\.json \(util \^1\.0\.0 is not in it\)/);
    await assert.rejects(stat(join(frozen, 'synapse_modules')));
  });

  test('add, update and remove keep synapse.json, synapse.lock and synapse_modules in step', async () => {
    const project = await box.project('app-edit', { name: 'app', version: '1.0.0', dependencies: {} });
    const added = await box.run(['pkg', 'add', 'util'], { cwd: project });
    assert.equal(added.code, 0, added.stderr);
    assert.deepEqual(JSON.parse(await readFile(join(project, 'synapse.json'), 'utf8')).dependencies, { util: '^1.0.0' });

    await pub('log', '1.2.0');
    const updated = await box.run(['pkg', 'update', 'log', '--json'], { cwd: project });
    assert.equal(updated.code, 0, updated.stderr);
    assert.deepEqual(JSON.parse(updated.stdout).updated, [{ name: 'log', from: '1.1.0', to: '1.2.0' }]);
    assert.equal(JSON.parse(await readFile(join(project, 'synapse_modules', 'log', 'synapse.json'), 'utf8')).version, '1.2.0');

    const removed = await box.run(['pkg', 'remove', 'util'], { cwd: project });
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /- log 1\.2\.0/);
    assert.deepEqual(JSON.parse(await readFile(join(project, 'synapse.json'), 'utf8')).dependencies, {});
    assert.deepEqual(
      (await readdir(join(project, 'synapse_modules'))).filter((n) => !n.startsWith('.')),
      [],
    );
  });
});
