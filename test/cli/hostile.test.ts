/**
 * Hostile tarballs, served with matching integrity by a small fake registry (node:http), so
 * only the client's own extraction checks stand between them and the disk.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { lstat, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sriOf } from '../../packages/cli/src/integrity.ts';
import { buildTar, gzip, packageTarball, type TarEntry } from '../fixtures/tarballs.ts';
import { sandbox, type Sandbox } from './cli.ts';

const manifest = (name: string) => ({ path: 'package/synapse.json', content: JSON.stringify({ name, version: '1.0.0' }) });

const HOSTILE: Record<string, TarEntry[]> = {
  'dot-dot': [manifest('dot-dot'), { path: 'package/../../../escaped.txt', content: 'pwned' }],
  absolute: [manifest('absolute'), { path: '/tmp/synapse-absolute-escape.txt', content: 'pwned' }],
  symlink: [manifest('symlink'), { path: 'package/link', type: 'symlink', linkpath: '../../../../etc/passwd' }],
  hardlink: [manifest('hardlink'), { path: 'package/hard', type: 'hardlink', linkpath: '/etc/passwd' }],
  device: [manifest('device'), { path: 'package/null', type: 'chardev' }],
  fifo: [manifest('fifo'), { path: 'package/pipe', type: 'fifo' }],
  'outside-top': [manifest('outside-top'), { path: 'other/file.txt', content: 'x' }],
};

interface Served {
  tgz: Buffer;
  integrity: string;
}

let server: Server;
let url: string;
let box: Sandbox;
const served = new Map<string, Served>();

function serve(name: string, tgz: Buffer, integrity = sriOf(tgz)) {
  served.set(name, { tgz, integrity });
}

before(async () => {
  for (const [name, entries] of Object.entries(HOSTILE)) serve(name, gzip(buildTar(entries)));
  const modes = gzip(
    buildTar([
      manifest('modes'),
      { path: 'package/setuid.sh', content: '#!/bin/sh\n', mode: 0o4777 },
      { path: 'package/shared.txt', content: 'x', mode: 0o666 },
    ]),
  );
  serve('modes', modes);
  // Served bytes that do not match the integrity the metadata announces.
  serve(
    'swapped',
    packageTarball({ name: 'swapped', version: '1.0.0' }),
    sriOf(packageTarball({ name: 'swapped', version: '1.0.0', description: 'the real one' })),
  );

  server = createServer((req, res) => {
    const [, , , , name, version, tail] = (req.url ?? '').split('/');
    const pkg = served.get(decodeURIComponent(name ?? ''));
    if (!pkg) return void res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404}');
    if (tail === 'tarball' && version === '1.0.0') return void res.writeHead(200, { 'content-type': 'application/gzip' }).end(pkg.tgz);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        name,
        versions: [
          { version: '1.0.0', dependencies: {}, integrity: pkg.integrity, tarball_url: `${url}/api/v1/packages/${name}/1.0.0/tarball` },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = url;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(box.root, { recursive: true, force: true });
});

/** No symlink, device or FIFO anywhere under dir, and no file named like the escape payloads. */
async function assertClean(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    const info = await lstat(join(e.parentPath, e.name));
    assert.ok(info.isFile() || info.isDirectory(), `${join(e.parentPath, e.name)} is neither a file nor a folder`);
    assert.notEqual(e.name, 'escaped.txt');
  }
}

describe('hostile tarballs', () => {
  for (const name of Object.keys(HOSTILE)) {
    test(`${name}: refused, nothing written outside the store's staging folder`, async () => {
      const project = await box.project(`p-${name}`, { name: 'victim', version: '1.0.0', dependencies: { [name]: '1.0.0' } });
      const res = await box.run(['pkg', 'install', '--json'], { cwd: project });
      assert.equal(res.code, 2, res.stdout + res.stderr);
      const error = JSON.parse(res.stdout).error;
      assert.equal(error.code, 'tarball_refused');
      assert.match(error.message, new RegExp(`Refusing ${name}@1\\.0\\.0`));
      await assert.rejects(stat(join(project, 'synapse_modules')));
      await assert.rejects(stat(join(project, 'synapse.lock')));
      await assertClean(box.root);
      await assert.rejects(stat('/tmp/synapse-absolute-escape.txt'));
      // The store may keep the verified tarball, but no unpacked tree and no staging leftovers.
      assert.deepEqual(await readdir(join(box.cache, 'synapse', 'packages')).catch(() => []), []);
    });
  }

  test('setuid and world-writable modes are refused, as the registry refuses them', async () => {
    const project = await box.project('p-modes', { name: 'victim', version: '1.0.0', dependencies: { modes: '1.0.0' } });
    const res = await box.run(['pkg', 'install', '--json'], { cwd: project });
    assert.equal(res.code, 2, res.stdout + res.stderr);
    assert.equal(JSON.parse(res.stdout).error.data.reason, 'tarball_unsafe_mode');
    await assert.rejects(stat(join(project, 'synapse_modules')));
  });

  test('a tarball that does not match its announced integrity is refused', async () => {
    const project = await box.project('p-swapped', { name: 'victim', version: '1.0.0', dependencies: { swapped: '1.0.0' } });
    const res = await box.run(['pkg', 'install'], { cwd: project });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /Refusing swapped@1\.0\.0: the tarball from .* hashes to sha512-.*, but synapse\.lock expects sha512-/);
    await assert.rejects(stat(join(project, 'synapse_modules')));
  });
});
