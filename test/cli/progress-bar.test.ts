/**
 * Byte progress for a large download, in a pseudo-terminal (where the spinner runs) and piped
 * (where only plain step lines appear): the real executable against a registry that sends a
 * 1.5 MB tarball slowly, in chunks.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { packageTarball } from '../fixtures/tarballs.ts';
import { sriOf } from '../../packages/cli/src/integrity.ts';
import { sandbox, withoutCursorMoves, type Sandbox } from './cli.ts';
import { fakeRegistry, json, type FakeRegistry } from './fake-registry.ts';

let reg: FakeRegistry;
let box: Sandbox;

before(async () => {
  reg = await fakeRegistry();
  box = await sandbox();
  // Random bytes do not compress: the tarball stays about as large as the file.
  const tgz = packageTarball({ name: 'big', version: '1.0.0', description: 'large' }, { files: { 'data.bin': randomBytes(1_500_000) } });
  reg.routes.set('GET /api/v1/packages/big', (_req, res) =>
    json(res, 200, {
      name: 'big',
      latest: '1.0.0',
      dist_tags: { latest: '1.0.0' },
      versions: [
        {
          version: '1.0.0',
          dependencies: {},
          published_at: '2026-01-01T00:00:00Z',
          integrity: sriOf(tgz),
          tarball_url: `${reg.url}/api/v1/packages/big/1.0.0/tarball`,
        },
      ],
    }),
  );
  reg.routes.set('GET /api/v1/packages/big/1.0.0/tarball', async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(tgz.length) });
    // Ten chunks a tenth of a second apart: long enough for the spinner to draw the bar.
    for (let i = 0; i < 10; i++) {
      res.write(tgz.subarray(Math.floor((i * tgz.length) / 10), Math.floor(((i + 1) * tgz.length) / 10)));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    res.end();
  });
});

after(async () => {
  await reg.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('download progress', () => {
  test('a bar with sizes on a terminal; plain lines and a human size when piped', async () => {
    const tty = await box.runInTerminal(['pkg', 'install', '--registry', reg.url], {
      cwd: await box.project('tty', { name: 'tty', version: '1.0.0', dependencies: { big: '^1.0.0' } }),
    });
    assert.equal(tty.code, 0, tty.stdout);
    const seen = withoutCursorMoves(tty.stdout);
    assert.match(seen, /Fetching packages: 0\/1 \[#*-*\] \d+(\.\d)? (kB|MB) \/ 1\.5 MB/);
    assert.match(seen, /1 downloaded \(1\.5 MB\)/);

    const piped = await box.run(['pkg', 'install', '--registry', reg.url], {
      cwd: await box.project('piped', { name: 'piped', version: '1.0.0', dependencies: { big: '^1.0.0' } }),
      env: { XDG_CACHE_HOME: `${box.root}/fresh-cache` },
    });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stderr, 'Resolving dependencies\nFetching 1 package\nLinking 1 package\n');
    assert.doesNotMatch(piped.stderr + piped.stdout, /\[#|\x1b/);
    assert.match(piped.stdout, /1 downloaded \(1\.5 MB\)/);
  });
});
