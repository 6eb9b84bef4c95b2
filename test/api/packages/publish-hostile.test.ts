/** POST /packages with hostile archives: each is a 400 with its own code, and nothing is stored. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { publishTarball, signUp, uniqueName } from '../../helpers/client.ts';
import { buildTar, gzip, gzipBomb, type TarEntry } from '../../fixtures/tarballs.ts';
import { assertNothingLeft, assertProblem, storeState } from './publish-state.ts';

const SMALL_ENTRIES = 50;
const SMALL_UNPACKED = 256 * 1024;

let r: TestRegistry;
let small: TestRegistry;
let token: string;
let smallToken: string;

before(async () => {
  [r, small] = await Promise.all([
    startRegistry(),
    startRegistry({ REGISTRY_MAX_TARBALL_ENTRIES: String(SMALL_ENTRIES), REGISTRY_MAX_UNPACKED_BYTES: String(SMALL_UNPACKED) }),
  ]);
  token = (await signUp(r.api)).token;
  smallToken = (await signUp(small.api)).token;
});
after(async () => {
  await r.close();
  await small.close();
});

/** A valid manifest entry first, so the archive fails on the hostile entry and nothing else. */
function manifestEntry(name: string, prefix = 'package/'): TarEntry {
  return { path: `${prefix}synapse.json`, content: JSON.stringify({ name, version: '1.0.0' }) };
}

/** Publishes the archive, expects 400 with `code`, and checks nothing was left behind. */
async function refused(tgz: Buffer, code: string, name: string, on: TestRegistry = r) {
  const before = await storeState(on);
  const res = await publishTarball(on.api, on === r ? token : smallToken, tgz);
  const problem = assertProblem(res, 400, code);
  await assertNothingLeft(on, before, { name });
  return problem;
}

describe('POST /packages: hostile entries', () => {
  const cases: Array<[string, string, (name: string) => TarEntry[]]> = [
    ['a ".." path', 'tarball_path_traversal', () => [{ path: 'package/../../evil.sh', content: 'rm -rf /' }]],
    ['a leading ".." path', 'tarball_path_traversal', () => [{ path: '../evil.sh', content: 'x' }]],
    ['an absolute path', 'tarball_absolute_path', () => [{ path: '/etc/cron.d/evil', content: 'x' }]],
    ['a drive-letter path', 'tarball_absolute_path', () => [{ path: 'C:/Windows/evil.dll', content: 'x' }]],
    ['a symlink', 'tarball_link_entry', () => [{ path: 'package/passwd', type: 'symlink', linkpath: '/etc/passwd' }]],
    ['a hardlink', 'tarball_link_entry', () => [{ path: 'package/copy', type: 'hardlink', linkpath: 'package/synapse.json' }]],
    ['a character device', 'tarball_special_entry', () => [{ path: 'package/tty', type: 'chardev' }]],
    ['a block device', 'tarball_special_entry', () => [{ path: 'package/sda', type: 'blockdev' }]],
    ['a FIFO', 'tarball_special_entry', () => [{ path: 'package/pipe', type: 'fifo' }]],
    ['an unknown entry type', 'tarball_special_entry', () => [{ path: 'package/odd', type: 'unknown', content: 'x' }]],
    ['a file outside the single top folder', 'tarball_outside_root', () => [{ path: 'other/file.txt', content: 'x' }]],
    ['a root-level file beside the top folder', 'tarball_outside_root', () => [{ path: 'stray.txt', content: 'x' }]],
    [
      'a duplicate path',
      'tarball_duplicate_path',
      () => [
        { path: 'package/README.md', content: 'one' },
        { path: 'package/README.md', content: 'two' },
      ],
    ],
    [
      'names that collide by case',
      'tarball_case_collision',
      () => [
        { path: 'package/README.md', content: 'one' },
        { path: 'package/readme.md', content: 'two' },
      ],
    ],
    [
      'folders that collide by case',
      'tarball_case_collision',
      () => [
        { path: 'package/src/a.syn', content: 'one' },
        { path: 'package/SRC/b.syn', content: 'two' },
      ],
    ],
    ['an escape sequence in a name', 'tarball_control_chars', () => [{ path: 'package/\u001b[31mred.txt', content: 'x' }]],
    ['a newline in a name', 'tarball_control_chars', () => [{ path: 'package/a\nb.txt', content: 'x' }]],
  ];
  for (const [why, code, entries] of cases) {
    test(`${why} → ${code}`, async () => {
      const name = uniqueName('hostile');
      const tgz = gzip(buildTar([manifestEntry(name), ...entries(name)]));
      await refused(tgz, code, name);
    });
  }

  test('a hostile entry before the manifest is refused all the same', async () => {
    const name = uniqueName('early');
    const tgz = gzip(buildTar([{ path: 'package/passwd', type: 'symlink', linkpath: '/etc/passwd' }, manifestEntry(name)]));
    await refused(tgz, 'tarball_link_entry', name);
  });

  test('the problem names the offending entry', async () => {
    const name = uniqueName('named');
    const tgz = gzip(buildTar([manifestEntry(name), { path: 'package/lib/hook', type: 'symlink', linkpath: '../../.bashrc' }]));
    const problem = await refused(tgz, 'tarball_link_entry', name);
    assert.equal(problem.path, 'package/lib/hook');
    assert.ok(problem.detail.includes('package/lib/hook'), problem.detail);
  });

  test('a body that is not gzip is refused as it streams in, not after the whole upload', async () => {
    const total = 64 * 1024 * 1024;
    const junk = Buffer.alloc(256 * 1024, 'junk');
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) return controller.close();
        controller.enqueue(new Uint8Array(junk));
        pulled += junk.length;
      },
    });
    const before = await storeState(r);
    const res = await fetch(`${r.api}/packages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/gzip' },
      body,
      duplex: 'half',
    } as RequestInit);
    assertProblem({ status: res.status, headers: res.headers, body: await res.json() }, 400, 'tarball_not_gzip');
    assert.ok(pulled < total / 2, `the server read ${pulled} of ${total} bytes before answering`);
    await assertNothingLeft(r, before);
  });

  test('a tar compressed twice is refused, not inflated again', async () => {
    const name = uniqueName('twice');
    await refused(gzip(gzip(buildTar([manifestEntry(name)]))), 'tarball_not_tar', name);
  });
});

describe('POST /packages: entry count and unpacked size limits', () => {
  const files = (name: string, count: number): TarEntry[] => [
    manifestEntry(name),
    ...Array.from({ length: count - 1 }, (_, i) => ({ path: `package/f${i}.txt`, content: 'x' })),
  ];

  test(`exactly the entry limit (${SMALL_ENTRIES}) is accepted`, async () => {
    const name = uniqueName('entries-ok');
    const res = await publishTarball(small.api, smallToken, gzip(buildTar(files(name, SMALL_ENTRIES))));
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  test('one entry over the limit → tarball_too_many_entries', async () => {
    const name = uniqueName('entries');
    await refused(gzip(buildTar(files(name, SMALL_ENTRIES + 1))), 'tarball_too_many_entries', name, small);
  });

  test('more than 10,000 entries at the default limit → tarball_too_many_entries', async () => {
    const name = uniqueName('entries-default');
    const started = performance.now();
    await refused(gzip(buildTar(files(name, 10_001))), 'tarball_too_many_entries', name);
    assert.ok(performance.now() - started < 10_000);
  });

  test('a gzip bomb over the unpacked limit → tarball_too_large_unpacked', async () => {
    const name = uniqueName('bomb');
    await refused(gzipBomb(4 * 1024 * 1024), 'tarball_too_large_unpacked', name, small);
  });

  test('files that add up past the unpacked limit → tarball_too_large_unpacked', async () => {
    const name = uniqueName('sum');
    const chunk = Buffer.alloc(SMALL_UNPACKED / 4, 'a');
    const entries = [manifestEntry(name), ...[0, 1, 2, 3, 4].map((i) => ({ path: `package/part${i}.txt`, content: chunk }))];
    await refused(gzip(buildTar(entries)), 'tarball_too_large_unpacked', name, small);
  });

  test('zeros hidden after the end of the archive still count → tarball_too_large_unpacked', async () => {
    const name = uniqueName('trailing');
    const tgz = gzip(Buffer.concat([buildTar([manifestEntry(name)]), Buffer.alloc(SMALL_UNPACKED * 2)]));
    await refused(tgz, 'tarball_too_large_unpacked', name, small);
  });

  test('a 600 MB gzip bomb at the default 512 MB limit is stopped without inflating it whole', async () => {
    const name = uniqueName('bigbomb');
    const bomb = gzipBomb(600 * 1024 * 1024);
    const started = performance.now();
    await refused(bomb, 'tarball_too_large_unpacked', name);
    // Inflating 600 MB takes seconds on this kind of machine; stopping early takes milliseconds.
    assert.ok(performance.now() - started < 2_000, `took ${Math.round(performance.now() - started)} ms`);
  });
});
