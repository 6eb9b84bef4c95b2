import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { buildTar, gzip, gzipBomb, packageTarball, type TarEntry } from '../../../../test/fixtures/tarballs.ts';
import { DEFAULT_TARBALL_LIMITS, inspectTarball, TarballError, type TarballErrorCode, type TarballLimits } from './index.ts';

const MANIFEST = { name: 'hello', version: '1.0.0' };
const MANIFEST_JSON = JSON.stringify(MANIFEST);
const MiB = 1024 * 1024;

/** Feeds the body in upload-sized chunks, one per read, and records how much of it was pulled. */
function upload(body: Buffer, chunkSize = 16 * 1024) {
  const progress = { pulled: 0 };
  const stream = new Readable({
    highWaterMark: chunkSize,
    read() {
      const chunk = body.subarray(progress.pulled, progress.pulled + chunkSize);
      progress.pulled += chunk.length;
      this.push(chunk.length > 0 ? chunk : null);
    },
  });
  return { stream, progress };
}

const inspect = (body: Buffer, limits: TarballLimits = DEFAULT_TARBALL_LIMITS) => inspectTarball(upload(body).stream, limits);

async function refusal(body: Buffer, code: TarballErrorCode, limits?: TarballLimits): Promise<TarballError> {
  const error: unknown = await inspect(body, limits).then(
    () => assert.fail(`expected ${code}, but the tarball was accepted`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TarballError, `expected a TarballError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.equal(error.status, 400);
  return error;
}

/** A package/ archive whose manifest comes first, followed by the given entries. */
const withEntries = (...entries: TarEntry[]) => gzip(buildTar([{ path: 'package/synapse.json', content: MANIFEST_JSON }, ...entries]));

describe('inspectTarball: valid archives', () => {
  test('reads a package/ archive: manifest, files relative to the package root, unpacked size', async () => {
    const body = packageTarball(
      { name: 'hello', version: '1.2.3', description: 'Says hello', dependencies: { 'std-io': '^2.0.0' } },
      { files: { 'README.md': '# hello\n', 'src/main.syn': 'fn main() {}\n' } },
    );
    const contents = await inspect(body);
    assert.equal(contents.manifest.name, 'hello');
    assert.equal(contents.manifest.version, '1.2.3');
    assert.equal(contents.manifest.description, 'Says hello');
    assert.deepEqual(contents.manifest.dependencies, { 'std-io': '^2.0.0' });
    const manifestSize = contents.files.find((f) => f.path === 'synapse.json')?.size ?? -1;
    assert.deepEqual(contents.files, [
      { path: 'README.md', size: 8 },
      { path: 'src/main.syn', size: 13 },
      { path: 'synapse.json', size: manifestSize },
    ]);
    assert.equal(contents.unpackedSize, 8 + 13 + manifestSize);
  });

  test('reads an archive with everything at the root', async () => {
    const contents = await inspect(packageTarball(MANIFEST, { prefix: '' }));
    assert.equal(contents.manifest.name, 'hello');
    assert.deepEqual(
      contents.files.map((f) => f.path),
      ['README.md', 'src/main.syn', 'synapse.json'],
    );
  });

  test('accepts any top folder name, folder entries, a "./" prefix and pax long names', async () => {
    const longPath = `hello-1.0.0/${'deep/'.repeat(30)}file.syn`;
    const body = gzip(
      buildTar([
        { path: './hello-1.0.0/', type: 'dir' },
        { path: './hello-1.0.0/src', type: 'dir' },
        { path: 'hello-1.0.0/src/lib.syn', content: 'lib' },
        { path: longPath, content: 'long' },
        { path: './hello-1.0.0/synapse.json', content: MANIFEST_JSON },
      ]),
    );
    const contents = await inspect(body);
    assert.ok(Buffer.byteLength(longPath) > 100);
    assert.deepEqual(
      contents.files.map((f) => f.path),
      [longPath.slice('hello-1.0.0/'.length), 'src/lib.syn', 'synapse.json'],
    );
  });

  test('a synapse.json two folders down in a root-layout archive is an ordinary file', async () => {
    const body = gzip(
      buildTar([
        { path: 'synapse.json', content: MANIFEST_JSON },
        { path: 'examples/demo/synapse.json', content: '{"not": "the manifest"' },
      ]),
    );
    const contents = await inspect(body);
    assert.equal(contents.manifest.name, 'hello');
    assert.equal(contents.files.length, 2);
  });

  test(`accepts exactly ${DEFAULT_TARBALL_LIMITS.maxEntries} entries`, async () => {
    const entries = Array.from({ length: DEFAULT_TARBALL_LIMITS.maxEntries - 1 }, (_, i) => ({ path: `package/f${i}` }));
    const contents = await inspect(withEntries(...entries));
    assert.equal(contents.files.length, DEFAULT_TARBALL_LIMITS.maxEntries);
  });
});

describe('inspectTarball: bodies that are not a gzip tar', () => {
  test('an uncompressed tar is tarball_not_gzip', async () => {
    await refusal(buildTar([{ path: 'synapse.json', content: MANIFEST_JSON }]), 'tarball_not_gzip');
  });

  test('an empty body is tarball_not_gzip', async () => {
    await refusal(Buffer.alloc(0), 'tarball_not_gzip');
  });

  test('gzip of something that is not a tar is tarball_not_tar', async () => {
    await refusal(gzip(Buffer.from('just some text, not an archive\n'.repeat(50))), 'tarball_not_tar');
  });

  test('a tar compressed twice is tarball_not_tar, not inflated a second time', async () => {
    await refusal(gzip(packageTarball(MANIFEST)), 'tarball_not_tar');
  });

  test('a truncated gzip stream is tarball_gzip_corrupt', async () => {
    const body = packageTarball(MANIFEST);
    await refusal(body.subarray(0, body.length - 20), 'tarball_gzip_corrupt');
  });

  test('a header with a bad checksum is tarball_not_tar', async () => {
    const tar = buildTar([
      { path: 'package/synapse.json', content: MANIFEST_JSON },
      { path: 'package/README.md', content: 'hi' },
    ]);
    tar[1024 + 148] ^= 1; // second header's checksum field
    await refusal(gzip(tar), 'tarball_not_tar');
  });
});

describe('inspectTarball: hostile entries', () => {
  const cases: { name: string; entries: TarEntry[]; code: TarballErrorCode; names: string }[] = [
    { name: '".." segment', entries: [{ path: 'package/../escape.syn' }], code: 'tarball_path_traversal', names: 'package/../escape.syn' },
    { name: 'absolute path', entries: [{ path: '/etc/cron.d/evil' }], code: 'tarball_absolute_path', names: '/etc/cron.d/evil' },
    {
      name: 'Windows drive letter',
      entries: [{ path: 'C:/Windows/evil.dll' }],
      code: 'tarball_absolute_path',
      names: 'C:/Windows/evil.dll',
    },
    { name: 'backslash', entries: [{ path: 'package\\..\\evil.syn' }], code: 'tarball_backslash_path', names: 'package\\\\..\\\\evil.syn' },
    {
      name: 'symlink',
      entries: [{ path: 'package/passwd', type: 'symlink', linkpath: '/etc/passwd' }],
      code: 'tarball_link_entry',
      names: 'package/passwd',
    },
    {
      name: 'hardlink',
      entries: [{ path: 'package/copy', type: 'hardlink', linkpath: 'package/synapse.json' }],
      code: 'tarball_link_entry',
      names: 'package/copy',
    },
    { name: 'character device', entries: [{ path: 'package/tty', type: 'chardev' }], code: 'tarball_special_entry', names: 'package/tty' },
    { name: 'block device', entries: [{ path: 'package/sda', type: 'blockdev' }], code: 'tarball_special_entry', names: 'package/sda' },
    { name: 'FIFO', entries: [{ path: 'package/pipe', type: 'fifo' }], code: 'tarball_special_entry', names: 'package/pipe' },
    {
      name: 'unknown entry type',
      entries: [{ path: 'package/odd', type: 'unknown', content: 'x' }],
      code: 'tarball_special_entry',
      names: 'package/odd',
    },
    {
      name: 'entry outside the top folder',
      entries: [{ path: 'package/a.syn' }, { path: 'stray.syn' }],
      code: 'tarball_outside_root',
      names: 'stray.syn',
    },
    { name: 'second top folder', entries: [{ path: 'other/a.syn' }], code: 'tarball_outside_root', names: 'other/a.syn' },
    {
      name: 'duplicate path',
      entries: [{ path: 'package/a.syn' }, { path: 'package/./a.syn' }],
      code: 'tarball_invalid_path',
      names: 'package/./a.syn',
    },
    {
      name: 'same path twice',
      entries: [
        { path: 'package/a.syn', content: 'one' },
        { path: 'package/a.syn', content: 'two' },
      ],
      code: 'tarball_duplicate_path',
      names: 'package/a.syn',
    },
    {
      name: 'case collision',
      entries: [{ path: 'package/README.md' }, { path: 'package/readme.md' }],
      code: 'tarball_case_collision',
      names: 'package/readme.md',
    },
    {
      name: 'folder case collision',
      entries: [{ path: 'package/Src/a.syn' }, { path: 'package/src/b.syn' }],
      code: 'tarball_case_collision',
      names: 'package/src/b.syn',
    },
    {
      name: 'control characters',
      entries: [{ path: 'package/evil\u001b[2J.syn' }],
      code: 'tarball_control_chars',
      names: 'package/evil\\u001b[2J.syn',
    },
    {
      name: 'file used as a folder',
      entries: [{ path: 'package/src' }, { path: 'package/src/a.syn' }],
      code: 'tarball_path_conflict',
      names: 'package/src/a.syn',
    },
    { name: 'empty path segment', entries: [{ path: 'package//a.syn' }], code: 'tarball_invalid_path', names: 'package//a.syn' },
    {
      name: 'second synapse.json',
      entries: [{ path: 'package/synapse.json', content: MANIFEST_JSON }],
      code: 'manifest_duplicate',
      names: 'package/synapse.json',
    },
  ];
  for (const c of cases) {
    test(`${c.name} is ${c.code}, naming the entry`, async () => {
      const error = await refusal(withEntries(...c.entries), c.code);
      assert.ok(error.message.includes(c.names), `message should name ${c.names}: ${error.message}`);
    });
  }

  test('a manifest under a folder, after an entry outside it, is tarball_outside_root', async () => {
    const body = gzip(buildTar([{ path: 'notes.txt' }, { path: 'package/synapse.json', content: MANIFEST_JSON }]));
    const error = await refusal(body, 'tarball_outside_root');
    assert.match(error.message, /"notes\.txt"/);
  });

  test('stops at the first bad entry and destroys the upload stream', async () => {
    const body = withEntries(
      { path: 'package/link', type: 'symlink', linkpath: '../../etc/passwd' },
      { path: '../after.syn' },
      // Hashes, so the filler does not compress away and dwarfs what gunzip buffers on its own.
      ...Array.from({ length: 2000 }, (_, i) => ({
        path: `package/filler-${i}`,
        content: createHash('sha512').update(String(i)).digest(),
      })),
    );
    const { stream, progress } = upload(body, 1024);
    await assert.rejects(inspectTarball(stream, DEFAULT_TARBALL_LIMITS), { code: 'tarball_link_entry' });
    assert.equal(stream.destroyed, true);
    assert.ok(progress.pulled < body.length / 4, `pulled ${progress.pulled} of ${body.length} bytes`);
  });
});

describe('inspectTarball: nothing after the end', () => {
  const tar = buildTar([{ path: 'package/synapse.json', content: MANIFEST_JSON }]);
  const hidden = buildTar([{ path: 'package/passwd', type: 'symlink', linkpath: '/etc/passwd' }]);

  test('a symlink hidden after the end-of-archive marker is tarball_trailing_data', async () => {
    await refusal(gzip(Buffer.concat([tar, hidden])), 'tarball_trailing_data');
  });

  test('an entry after a single zero block is tarball_trailing_data (GNU tar and Python stop there)', async () => {
    const loneZero = Buffer.concat([tar.subarray(0, tar.length - 1024), Buffer.alloc(512), hidden]);
    await refusal(gzip(loneZero), 'tarball_trailing_data');
  });

  test('one non-zero byte deep in the padding after the marker is tarball_trailing_data', async () => {
    const padding = Buffer.alloc(20 * 1024);
    padding[15_000] = 1;
    await refusal(gzip(Buffer.concat([tar, padding])), 'tarball_trailing_data');
  });

  test('zero padding after the marker, as tar pads to its record size, is accepted', async () => {
    const contents = await inspect(gzip(Buffer.concat([tar, Buffer.alloc(10 * 1024 - (tar.length % (10 * 1024)))])));
    assert.equal(contents.manifest.name, 'hello');
  });

  test('zero blocks inside a file are data, not the end', async () => {
    const body = withEntries({ path: 'package/zeros.bin', content: Buffer.alloc(4096) }, { path: 'package/after.txt', content: 'x' });
    assert.deepEqual(
      (await inspect(body)).files.map((f) => f.path),
      ['after.txt', 'synapse.json', 'zeros.bin'],
    );
  });

  test('a second gzip member holding a hidden symlink is tarball_multiple_gzip_members', async () => {
    await refusal(Buffer.concat([gzip(tar), gzip(hidden)]), 'tarball_multiple_gzip_members');
  });

  for (const [what, extra] of [
    ['garbage', Buffer.from('not gzip')],
    ['zero bytes', Buffer.alloc(16)],
  ] as const) {
    test(`${what} after the gzip trailer is tarball_trailing_data`, async () => {
      await refusal(Buffer.concat([gzip(tar), extra]), 'tarball_trailing_data');
    });
  }

  test('a gzip header with a file name (as gzip(1) writes) is accepted', async () => {
    const plain = gzip(tar);
    const named = Buffer.concat([plain.subarray(0, 10), Buffer.from('hello.tar\0'), plain.subarray(10)]);
    named[3] = 0x08;
    assert.equal((await inspect(named)).manifest.name, 'hello');
  });

  test('every gzip header field (extra, name, comment, header CRC) is read past', async () => {
    const plain = gzip(tar);
    const extra = Buffer.from([4, 0, 0x41, 0x42, 2, 0]);
    const body = Buffer.concat([
      plain.subarray(0, 10),
      extra,
      Buffer.from('hello.tar\0a comment\0'),
      Buffer.from([0, 0]),
      plain.subarray(10),
    ]);
    body[3] = 0x04 | 0x08 | 0x10 | 0x02;
    assert.equal((await inspect(body)).manifest.name, 'hello');
  });

  for (const [what, patch] of [
    ['a compression method other than deflate', (b: Buffer) => (b[2] = 7)],
    ['reserved header flags', (b: Buffer) => (b[3] = 0x20)],
  ] as const) {
    test(`${what} is tarball_gzip_corrupt`, async () => {
      const body = gzip(tar);
      patch(body);
      await refusal(body, 'tarball_gzip_corrupt');
    });
  }

  test('a gzip file name longer than any packer writes is tarball_gzip_corrupt', async () => {
    const plain = gzip(tar);
    const body = Buffer.concat([plain.subarray(0, 10), Buffer.from(`${'n'.repeat(5000)}\0`), plain.subarray(10)]);
    body[3] = 0x08;
    await refusal(body, 'tarball_gzip_corrupt');
  });

  test('one byte at a time: the header, the end of the deflate data and the trailer may fall anywhere', async () => {
    const body = packageTarball(MANIFEST);
    const contents = await inspectTarball(upload(body, 1).stream);
    assert.equal(contents.manifest.name, 'hello');
    const twoMembers = Buffer.concat([gzip(tar), gzip(hidden)]);
    await assert.rejects(inspectTarball(upload(twoMembers, 1).stream), { code: 'tarball_multiple_gzip_members' });
    await assert.rejects(inspectTarball(upload(gzip(Buffer.concat([tar, hidden])), 7).stream), { code: 'tarball_trailing_data' });
  });

  test('a gzip trailer whose CRC does not match is tarball_gzip_corrupt', async () => {
    const body = gzip(tar);
    body[body.length - 8] ^= 1;
    await refusal(body, 'tarball_gzip_corrupt');
  });

  test('a tar that stops inside a block is tarball_not_tar', async () => {
    await refusal(gzip(tar.subarray(0, 1024 + 100)), 'tarball_not_tar');
  });
});

describe('inspectTarball: entry types and modes', () => {
  test('old-style and contiguous regular files are files', async () => {
    const body = withEntries(
      { path: 'package/old.txt', type: 'oldfile', content: 'o' },
      { path: 'package/contig.txt', type: 'contiguous', content: 'c' },
    );
    assert.deepEqual(
      (await inspect(body)).files.map((f) => f.path),
      ['contig.txt', 'old.txt', 'synapse.json'],
    );
  });

  for (const [what, entry] of [
    ['a setuid file', { path: 'package/run.sh', mode: 0o4755 }],
    ['a setgid file', { path: 'package/run.sh', mode: 0o2755 }],
    ['a sticky folder', { path: 'package/tmp', type: 'dir', mode: 0o1777 }],
    ['a world-writable file', { path: 'package/shared.txt', mode: 0o666 }],
    ['a world-writable folder', { path: 'package/drop', type: 'dir', mode: 0o777 }],
  ] as [string, TarEntry][]) {
    test(`${what} is tarball_unsafe_mode`, async () => {
      const error = await refusal(withEntries(entry), 'tarball_unsafe_mode');
      assert.ok(error.message.includes(entry.path), error.message);
    });
  }

  test('owner and group write and any execute bits are fine', async () => {
    const body = withEntries(
      { path: 'package/a.sh', mode: 0o775 },
      { path: 'package/b.txt', mode: 0o600 },
      { path: 'package/c', type: 'dir', mode: 0o700 },
    );
    assert.equal((await inspect(body)).files.length, 3);
  });
});

describe('inspectTarball: the manifest', () => {
  test('a duplicate key in synapse.json is manifest_duplicate_key', async () => {
    const error = await refusal(
      gzip(buildTar([{ path: 'package/synapse.json', content: '{"name":"hello","version":"1.0.0","name":"evil"}' }])),
      'manifest_duplicate_key',
    );
    assert.match(error.message, /duplicate key "name"/);
  });

  test('a duplicate key deep inside synapse.json is manifest_duplicate_key', async () => {
    const content = '{"name":"hello","version":"1.0.0","dependencies":{"a":"1","b":"2","a":"3"}}';
    await refusal(gzip(buildTar([{ path: 'synapse.json', content }])), 'manifest_duplicate_key');
  });

  test('keys that differ only once unescaped count as the same key', async () => {
    const content = '{"name":"hello","version":"1.0.0","n\\u0061me":"evil"}';
    await refusal(gzip(buildTar([{ path: 'synapse.json', content }])), 'manifest_duplicate_key');
  });

  test('nesting past the depth limit is manifest_invalid_json', async () => {
    const content = `{"name":"hello","version":"1.0.0","x":${'['.repeat(100)}${']'.repeat(100)}}`;
    await refusal(gzip(buildTar([{ path: 'synapse.json', content }])), 'manifest_invalid_json');
  });

  for (const [what, paths] of [
    ['root synapse.json, then package/synapse.json', ['synapse.json', 'package/synapse.json']],
    ['a folder synapse.json after a root file, then a root synapse.json', ['notes.txt', 'package/synapse.json', 'synapse.json']],
  ] as const) {
    test(`two manifests (${what}) are manifest_duplicate`, async () => {
      const entries = paths.map((path) => ({ path, content: path.endsWith('.json') ? MANIFEST_JSON : 'x' }));
      await refusal(gzip(buildTar(entries)), 'manifest_duplicate');
    });
  }

  test('package/synapse.json, then a root synapse.json, is tarball_outside_root', async () => {
    const entries = ['package/synapse.json', 'synapse.json'].map((path) => ({ path, content: MANIFEST_JSON }));
    await refusal(gzip(buildTar(entries)), 'tarball_outside_root');
  });

  test('a missing synapse.json is manifest_missing', async () => {
    await refusal(gzip(buildTar([{ path: 'package/README.md', content: 'hi' }])), 'manifest_missing');
  });

  test('synapse.json nested deeper than the top folder does not count', async () => {
    await refusal(gzip(buildTar([{ path: 'package/sub/synapse.json', content: MANIFEST_JSON }])), 'manifest_missing');
  });

  test('a synapse.json over 1 MiB is manifest_too_large', async () => {
    const huge = JSON.stringify({ ...MANIFEST, description: 'x'.repeat(MiB) });
    await refusal(gzip(buildTar([{ path: 'package/synapse.json', content: huge }])), 'manifest_too_large');
  });

  for (const [what, content] of [
    ['broken JSON', '{"name": "hello",'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
  ] as const) {
    test(`${what} is manifest_invalid_json`, async () => {
      await refusal(gzip(buildTar([{ path: 'package/synapse.json', content }])), 'manifest_invalid_json');
    });
  }

  test('a UTF-8 byte order mark before the JSON is accepted', async () => {
    const body = gzip(buildTar([{ path: 'synapse.json', content: `\ufeff${MANIFEST_JSON}` }]));
    assert.equal((await inspect(body)).manifest.name, 'hello');
  });

  test('invalid manifest fields are a validation_failed listing every field', async () => {
    const body = packageTarball({ name: 'Hello World', version: 'one', keywords: 'nope' });
    const error: unknown = await inspect(body).catch((e: unknown) => e);
    assert.ok(!(error instanceof TarballError));
    assert.ok(error instanceof Error && 'code' in error && 'errors' in error);
    assert.equal(error.code, 'validation_failed');
    assert.deepEqual(
      (error.errors as { field: string }[]).map((e) => e.field),
      ['name', 'version', 'keywords'],
    );
  });
});

describe('inspectTarball: limits', () => {
  test(`more than ${DEFAULT_TARBALL_LIMITS.maxEntries} entries is tarball_too_many_entries`, async () => {
    const entries = Array.from({ length: DEFAULT_TARBALL_LIMITS.maxEntries }, (_, i) => ({ path: `package/f${i}` }));
    const error = await refusal(withEntries(...entries), 'tarball_too_many_entries');
    assert.match(error.message, /package\/f9999/);
  });

  test('a 600 MiB gzip bomb is refused at the default limit after reading a sliver of it', async (t) => {
    const bomb = gzipBomb(600 * MiB);
    assert.ok(bomb.length < 1 * MiB, `bomb is ${bomb.length} bytes compressed`);
    const { stream, progress } = upload(bomb);
    const started = performance.now();
    const error: unknown = await inspectTarball(stream, DEFAULT_TARBALL_LIMITS).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    assert.ok(error instanceof TarballError);
    assert.equal(error.code, 'tarball_too_large_unpacked');
    // Each 16 KiB of this input inflates to about 16 MiB; reading it all would mean inflating 600 MiB.
    assert.ok(progress.pulled <= 4 * 16 * 1024, `pulled ${progress.pulled} of ${bomb.length} compressed bytes`);
    assert.equal(stream.destroyed, true);
    t.diagnostic(`gzip bomb: pulled ${progress.pulled} of ${bomb.length} bytes, refused in ${elapsed.toFixed(0)} ms`);
  });

  test('a second gzip member is refused at its first bytes, never inflated', async () => {
    // A clean package, then a second member that would inflate to 600 MiB of zeros after the tar ends.
    const body = Buffer.concat([packageTarball(MANIFEST), gzipBomb(600 * MiB)]);
    const { stream, progress } = upload(body);
    const error: unknown = await inspectTarball(stream, DEFAULT_TARBALL_LIMITS).catch((e: unknown) => e);
    assert.ok(error instanceof TarballError);
    assert.equal(error.code, 'tarball_multiple_gzip_members');
    assert.ok(progress.pulled <= 2 * 16 * 1024, `pulled ${progress.pulled} of ${body.length} bytes`);
  });

  test('zeros after the end marker still count toward the unpacked limit', async () => {
    const tar = Buffer.concat([buildTar([{ path: 'package/synapse.json', content: MANIFEST_JSON }]), Buffer.alloc(200_000)]);
    await refusal(gzip(tar), 'tarball_too_large_unpacked', { maxEntries: 100, maxUnpackedBytes: 100_000 });
  });

  test('tar headers count toward the unpacked limit, not only file bodies', async () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({ path: `package/empty-${i}` }));
    await refusal(withEntries(...entries), 'tarball_too_large_unpacked', { maxEntries: 10_000, maxUnpackedBytes: 100_000 });
  });

  test('declared file sizes over the limit are refused at the header', async () => {
    const big = { path: 'package/big.bin', content: Buffer.alloc(MiB) };
    const error = await refusal(withEntries(big), 'tarball_too_large_unpacked', { maxEntries: 100, maxUnpackedBytes: 64 * 1024 });
    assert.match(error.message, /package\/big\.bin/);
  });
});
