import { assertFrozen } from './frozen.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { memorySource } from '../resolver/memory-source.ts';
import { ResolutionError } from '../resolver/resolve.ts';
import { readLockfile, writeLockfile } from './file.ts';
import { parseLockfile, serializeLockfile, type Lockfile } from './format.ts';
import { lockDependencies } from './lock.ts';

const spec = {
  web: { '1.0.0': { log: '^1.0.0', util: '^1.0.0' }, '1.1.0': { log: '^1.2.0', util: '^1.0.0' } },
  log: { '1.0.0': {}, '1.2.0': {}, '1.3.0': {} },
  util: { '1.0.0': {}, '1.1.0': {} },
  db: { '2.0.0': { pool: '^1.0.0' }, '2.5.0': { pool: '^1.0.0' } },
  pool: { '1.0.0': {} },
};
const source = memorySource(spec, { tarballBase: 'https://registry.synapse.dev' });

async function lockFor(dependencies: Record<string, string>, lockfile?: Lockfile, update?: string[]) {
  return lockDependencies({ root: { dependencies }, source, lockfile: lockfile ?? null, ...(update ? { update } : {}) });
}

test('the text format: version line, root ranges, one fact per line', async () => {
  const { lockfile } = await lockFor({ web: '^1.0.0' });
  const text = serializeLockfile(lockfile);
  const lines = text.split('\n');
  assert.equal(lines[1], 'lockfile 1');
  assert.ok(lines.includes('root web ^1.0.0'));
  assert.ok(lines.includes('package web 1.1.0'));
  assert.ok(lines.includes('  dependency log 1.3.0'));
  assert.ok(lines.includes('  tarball https://registry.synapse.dev/api/v1/packages/log/1.3.0/tarball'));
  assert.ok(lines.some((l) => /^ {2}integrity sha512-[A-Za-z0-9+/]{86}==$/.test(l)));
  assert.ok(text.endsWith('\n'));
});

test('same bytes whatever the order of the inputs', async () => {
  const { lockfile } = await lockFor({ web: '^1.0.0', db: '^2.0.0' });
  const expected = serializeLockfile(lockfile);
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      let s = seed;
      const shuffle = <T>(items: T[]): T[] =>
        items
          .map((item) => ({ item, key: (s = (s * 1103515245 + 12345) | 0) }))
          .sort((a, b) => a.key - b.key)
          .map(({ item }) => item);
      const shuffled: Lockfile = {
        root: Object.fromEntries(shuffle(Object.entries(lockfile.root))),
        packages: shuffle(lockfile.packages).map((p) => ({
          ...p,
          dependencies: Object.fromEntries(shuffle(Object.entries(p.dependencies))),
        })),
      };
      assert.equal(serializeLockfile(shuffled), expected);
    }),
    { numRuns: 200, seed: 7 },
  );
});

test('adding one dependency changes only its lines and its new transitive entries', async () => {
  const before = await lockFor({ web: '^1.0.0' });
  const after = await lockFor({ web: '^1.0.0', db: '^2.0.0' }, before.lockfile);
  const a = serializeLockfile(before.lockfile).split('\n');
  const b = serializeLockfile(after.lockfile).split('\n');
  const removed = a.filter((l) => !b.includes(l));
  const added = b.filter((l) => !a.includes(l));
  assert.deepEqual(removed, []);
  assert.deepEqual(
    added.filter((l) => !l.startsWith('  ')),
    ['root db ^2.0.0', 'package db 2.5.0', 'package pool 1.0.0'],
  );
  // Pure insertion: the old file is a subsequence of the new one.
  let i = 0;
  for (const line of b) if (line === a[i]) i++;
  assert.equal(i, a.length);
  assert.ok(added.includes('  dependency pool 1.0.0'));
  assert.equal(added.filter((l) => l.startsWith('  dependency ')).length, 1);
});

test('read → write is byte-identical, and a second write does not touch the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-lock-'));
  try {
    const path = join(dir, 'synapse.lock');
    const { lockfile } = await lockFor({ web: '^1.0.0', db: '^2.0.0' });
    assert.equal(await writeLockfile(path, lockfile), true);
    const text = await readFile(path, 'utf8');
    const again = await readLockfile(path);
    assert.equal(serializeLockfile(again!), text);
    assert.equal(await writeLockfile(path, again!), false);
    assert.deepEqual(await readdir(dir), ['synapse.lock']);
    assert.equal(await readLockfile(join(dir, 'absent.lock')), null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('re-resolution keeps locked versions; update NAME moves NAME and what it forces', async () => {
  const old: Lockfile = parseLockfile(
    serializeLockfile((await lockDependencies({ root: { dependencies: { web: '1.0.0', db: '2.0.0' } }, source })).lockfile),
  );
  const oldVersions = Object.fromEntries(old.packages.map((p) => [p.name, p.version]));
  assert.deepEqual(oldVersions, { db: '2.0.0', log: '1.3.0', pool: '1.0.0', util: '1.1.0', web: '1.0.0' });
  // Loosen the manifest: nothing moves, because nothing forces it.
  const loose = { web: '^1.0.0', db: '^2.0.0' };
  old.root = { ...loose };
  const kept = await lockFor(loose, old);
  assert.equal(kept.changed, false);
  // update web: web moves to 1.1.0; db, log, util and pool stay put.
  const updated = await lockFor(loose, old, ['web']);
  assert.deepEqual(Object.fromEntries(updated.lockfile.packages.map((p) => [p.name, p.version])), { ...oldVersions, web: '1.1.0' });
});

test('frozen mode checks the lockfile against the manifest without resolving, and lists every difference', async () => {
  const { lockfile } = await lockFor({ web: '^1.0.0' });
  assertFrozen(lockfile, { web: '^1.0.0' });
  assert.throws(
    () => assertFrozen(lockfile, { web: '^1.1.0', db: '^2.0.0' }),
    (error: { code: string; message: string }) => {
      assert.equal(error.code, 'lockfile_outdated');
      assert.match(error.message, /web is locked for \^1\.0\.0, synapse\.json asks \^1\.1\.0; db \^2\.0\.0 is not in it/);
      return true;
    },
  );
  assert.throws(() => assertFrozen(null, { web: '^1.0.0' }), { code: 'lockfile_outdated', message: /missing/ });
  await assert.rejects(lockFor({ web: '^9.0.0' }), ResolutionError);
});

test('malformed lockfiles are rejected with the line at fault', async () => {
  const { lockfile } = await lockFor({ web: '^1.0.0' });
  const good = serializeLockfile(lockfile);
  assert.throws(() => parseLockfile(good.replace('lockfile 1', 'lockfile 2')), /line 2: lockfile format 2 is not supported/);
  assert.throws(() => parseLockfile(good.replace(/integrity sha512-\S+/, 'integrity sha1-abc')), /integrity must be a sha512 SRI/);
  assert.throws(() => parseLockfile(good.replace(/\n {2}tarball .*/, '')), /has no tarball line/);
  assert.throws(
    () => parseLockfile(good.replace('package util 1.1.0', 'package util 1.0.9')),
    /depends on util@1\.1\.0, which is not locked/,
  );
  assert.throws(() => parseLockfile(`${good}frobnicate yes\n`), /unknown entry "frobnicate"/);
  const dir = await mkdtemp(join(tmpdir(), 'synapse-lock-'));
  try {
    await writeFile(join(dir, 'synapse.lock'), 'nonsense\n');
    await assert.rejects(readLockfile(join(dir, 'synapse.lock')), { code: 'lockfile_invalid' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
