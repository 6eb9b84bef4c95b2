/**
 * One set of archive rules for publishing and installing: every entry type the registry accepts is
 * published to a real registry and installed by the real client; every archive it refuses, the
 * client refuses too when a registry serves it anyway (a small fake one, with matching integrity).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sriOf } from '../../packages/cli/src/integrity.ts';
import { publishTarball, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { buildTar, gzip, type TarEntry } from '../fixtures/tarballs.ts';
import { listTree, sandbox, type Sandbox } from './cli.ts';

const manifest = (name: string, version = '1.0.0') => ({
  path: 'package/synapse.json',
  content: JSON.stringify({ name, version }),
});
const tarball = (entries: TarEntry[]) => gzip(buildTar(entries));

/** Archives the registry refuses, by the code it answers with. */
const REFUSED: Record<string, { tgz: Buffer; code: string }> = {
  symlink: {
    tgz: tarball([manifest('symlink'), { path: 'package/l', type: 'symlink', linkpath: 'synapse.json' }]),
    code: 'tarball_link_entry',
  },
  hardlink: {
    tgz: tarball([manifest('hardlink'), { path: 'package/h', type: 'hardlink', linkpath: 'package/synapse.json' }]),
    code: 'tarball_link_entry',
  },
  chardev: { tgz: tarball([manifest('chardev'), { path: 'package/c', type: 'chardev' }]), code: 'tarball_special_entry' },
  blockdev: { tgz: tarball([manifest('blockdev'), { path: 'package/b', type: 'blockdev' }]), code: 'tarball_special_entry' },
  fifo: { tgz: tarball([manifest('fifo'), { path: 'package/f', type: 'fifo' }]), code: 'tarball_special_entry' },
  unknown: { tgz: tarball([manifest('unknown'), { path: 'package/u', type: 'unknown', content: 'x' }]), code: 'tarball_special_entry' },
  setuid: {
    tgz: tarball([manifest('setuid'), { path: 'package/run.sh', content: '#!/bin/sh\n', mode: 0o4755 }]),
    code: 'tarball_unsafe_mode',
  },
  'world-writable': {
    tgz: tarball([manifest('world-writable'), { path: 'package/w.txt', content: 'w', mode: 0o666 }]),
    code: 'tarball_unsafe_mode',
  },
  'hidden-after-end': {
    tgz: gzip(
      Buffer.concat([
        buildTar([manifest('hidden-after-end')]),
        buildTar([{ path: 'package/passwd', type: 'symlink', linkpath: '/etc/passwd' }]),
      ]),
    ),
    code: 'tarball_trailing_data',
  },
  'second-member': {
    tgz: Buffer.concat([
      tarball([manifest('second-member')]),
      tarball([{ path: 'package/passwd', type: 'symlink', linkpath: '/etc/passwd' }]),
    ]),
    code: 'tarball_multiple_gzip_members',
  },
  'duplicate-key': {
    tgz: tarball([{ path: 'package/synapse.json', content: '{"name":"duplicate-key","version":"1.0.0","name":"evil"}' }]),
    code: 'manifest_duplicate_key',
  },
  'two-manifests': {
    tgz: tarball([{ path: 'synapse.json', content: JSON.stringify({ name: 'two-manifests', version: '1.0.0' }) }, manifest('evil')]),
    code: 'manifest_duplicate',
  },
};

/** Tarballs whose integrity matches but whose manifest is another package than the one asked for. */
const IMPOSTORS: Record<string, Buffer> = {
  impostor: tarball([manifest('victim-lib')]),
  'wrong-version': tarball([manifest('wrong-version', '6.6.6')]),
};

let registry: TestRegistry;
let token: string;
let fake: Server;
let fakeUrl: string;
let box: Sandbox;
const served = new Map<string, Buffer>([...Object.entries(REFUSED).map(([n, r]) => [n, r.tgz] as const), ...Object.entries(IMPOSTORS)]);

before(async () => {
  registry = await startRegistry();
  ({ token } = await signUp(registry.api));
  fake = createServer((req, res) => {
    const [, , , , name, , tail] = (req.url ?? '').split('/');
    const tgz = served.get(decodeURIComponent(name ?? ''));
    if (!tgz) return void res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404}');
    if (tail === 'tarball') return void res.writeHead(200, { 'content-type': 'application/gzip' }).end(tgz);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        name,
        versions: [
          { version: '1.0.0', dependencies: {}, integrity: sriOf(tgz), tarball_url: `${fakeUrl}/api/v1/packages/${name}/1.0.0/tarball` },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const address = fake.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  fakeUrl = `http://127.0.0.1:${address.port}`;
  box = await sandbox();
});

after(async () => {
  await new Promise((resolve) => fake.close(resolve));
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('publishable and installable agree', () => {
  test('every entry type the registry accepts installs with the real client', async () => {
    const tgz = tarball([
      manifest('all-types'),
      { path: 'package/bin', type: 'dir' },
      { path: 'package/bin/run.sh', content: '#!/bin/sh\necho hi\n', mode: 0o750 },
      { path: 'package/regular.txt', content: 'regular' },
      { path: 'package/old.txt', type: 'oldfile', content: 'old' },
      { path: 'package/contiguous.txt', type: 'contiguous', content: 'contiguous' },
      { path: 'package/empty', type: 'dir' },
    ]);
    const published = await publishTarball(registry.api, token, tgz);
    assert.equal(published.status, 201, JSON.stringify(published.body));
    const project = await box.project('app', { name: 'app', version: '1.0.0', dependencies: { 'all-types': '1.0.0' } });
    const res = await box.run(['pkg', 'install'], { cwd: project, env: { SYNAPSE_REGISTRY: registry.url } });
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const dir = join(project, 'synapse_modules', 'all-types');
    assert.deepEqual(await listTree(dir), ['bin/run.sh', 'contiguous.txt', 'old.txt', 'regular.txt', 'synapse.json']);
    assert.equal(await readFile(join(dir, 'contiguous.txt'), 'utf8'), 'contiguous');
    assert.equal(await readFile(join(dir, 'old.txt'), 'utf8'), 'old');
    const umask = process.umask(0o022);
    process.umask(umask);
    assert.equal((await stat(join(dir, 'bin/run.sh'))).mode & 0o7777, 0o755 & ~umask);
    assert.equal((await stat(join(dir, 'regular.txt'))).mode & 0o7777, 0o644 & ~umask);
  });

  for (const [name, { tgz, code }] of Object.entries(REFUSED)) {
    test(`${name}: the registry refuses it with ${code}, and so does the client`, async () => {
      const published = await publishTarball(registry.api, token, tgz);
      assert.equal(published.status, 400, JSON.stringify(published.body));
      assert.equal(published.body.code, code);

      const project = await box.project(`p-${name}`, { name: 'victim', version: '1.0.0', dependencies: { [name]: '1.0.0' } });
      const res = await box.run(['pkg', 'install', '--json'], { cwd: project, env: { SYNAPSE_REGISTRY: fakeUrl } });
      assert.equal(res.code, 2, res.stdout + res.stderr);
      const error = JSON.parse(res.stdout).error;
      assert.equal(error.code, 'tarball_refused');
      assert.equal(error.data?.reason ?? error.reason, code, JSON.stringify(error));
      await assert.rejects(stat(join(project, 'synapse_modules')));
    });
  }
});

describe('the tarball is the package the lockfile names', () => {
  for (const [name, what] of [
    ['impostor', /synapse\.json says victim-lib@1\.0\.0, not impostor@1\.0\.0/],
    ['wrong-version', /synapse\.json says wrong-version@6\.6\.6, not wrong-version@1\.0\.0/],
  ] as const) {
    test(`${name}: integrity matches, but the manifest says otherwise, so it is refused`, async () => {
      const project = await box.project(`p-${name}`, { name: 'victim', version: '1.0.0', dependencies: { [name]: '1.0.0' } });
      const res = await box.run(['pkg', 'install', '--json'], { cwd: project, env: { SYNAPSE_REGISTRY: fakeUrl } });
      assert.equal(res.code, 2, res.stdout + res.stderr);
      const error = JSON.parse(res.stdout).error;
      assert.equal(error.code, 'tarball_refused');
      assert.match(error.message, what);
      await assert.rejects(stat(join(project, 'synapse_modules')));
    });
  }
});
