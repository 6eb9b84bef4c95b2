import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { generateApiToken } from '../auth/api-tokens.ts';
import { buildTar, gzip, type TarEntry } from '../../../../test/fixtures/tarballs.ts';
import { inspectTarball } from '../../../core/src/tarball/inspect.ts';
import { batchBuffers, createBatchSession, type ToScanThread } from './secret-scan-batch.ts';
import type { SecretScanSessions } from '../../../core/src/tarball/secret-scan-session.ts';
import { createSecretScanThread } from './secret-scan-thread.ts';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const random = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ALNUM[(i * 7919 + seed * 31 + 13) % ALNUM.length]).join('');
const filler = (lines: number, seed: number) =>
  Array.from({ length: lines }, (_, i) => `let v${i} = ${(i * seed) % 9973}; // ${random(30, i + seed)}`).join('\n');

/** Secrets in every corner the scanner has: long lines, key blocks, binary files, empty files, 60 files with findings (past the cap). */
function archive(): Buffer {
  const entries: TarEntry[] = [{ path: 'package/synapse.json', content: JSON.stringify({ name: 'scan-both-ways', version: '1.0.0' }) }];
  for (let i = 0; i < 60; i++) {
    const secret = [`token = "${generateApiToken().secret}"`, `ghp_${random(36, i)}`, `-----BEGIN RSA PRIVATE KEY-----\n${random(64, i)}`][
      i % 3
    ];
    entries.push({ path: `package/src/f${i}.syn`, content: `${filler(200 + i * 37, i)}\n${secret}\n${filler(50, i + 1)}` });
  }
  entries.push({ path: 'package/long.txt', content: `${'x'.repeat(300_000)} npm_${random(36, 5)} ${'y'.repeat(100_000)}` });
  entries.push({ path: 'package/bin.dat', content: Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`ghp_${random(36, 9)}`)]) });
  entries.push({ path: 'package/empty.txt', content: '' });
  return gzip(buildTar(entries));
}

const faulty = fileURLToPath(new URL('../../../../test/fixtures/faulty-scan-worker.ts', import.meta.url));
const scanWith = (tgz: Buffer, scanThread?: SecretScanSessions) =>
  inspectTarball(Readable.from([tgz]), undefined, { scanSecrets: true, ...(scanThread ? { scanThread } : {}) });

describe('secret scanning on a worker thread', () => {
  const errors: unknown[] = [];
  const thread = createSecretScanThread({ onError: (e) => errors.push(e) });
  after(() => thread.close());

  test('finds exactly what the inline scan finds, in the same order', async () => {
    const tgz = archive();
    const inline = await scanWith(tgz);
    assert.equal(inline.secrets.length, 50, 'the archive has more findings than are kept');
    const threaded = await scanWith(tgz, thread);
    assert.deepEqual(threaded.secrets, inline.secrets);
    // Several archives at once share the thread without mixing their findings.
    const both = await Promise.all([scanWith(tgz, thread), scanWith(tgz, thread)]);
    for (const each of both) assert.deepEqual(each.secrets, inline.secrets);
    assert.deepEqual(errors, []);
  });

  test('a thread far behind pauses the reading and the findings are still the same', async () => {
    const slow = createSecretScanThread({ onError: (e) => errors.push(e), maxPendingBytes: 64 * 1024 });
    let paused = 0;
    const counted: SecretScanSessions = {
      session(onError) {
        const session = slow.session(onError);
        return { ...session, full: (resume) => session.full(resume) && ++paused > 0 };
      },
    };
    try {
      const tgz = gzip(
        buildTar([
          { path: 'package/synapse.json', content: '{"name":"big","version":"1.0.0"}' },
          { path: 'package/a.txt', content: `${filler(150_000, 3)}\nghp_${random(36, 4)}\n` },
        ]),
      );
      const inline = await scanWith(tgz);
      assert.equal(inline.secrets.length, 1);
      assert.deepEqual((await scanWith(tgz, counted)).secrets, inline.secrets);
      assert.ok(paused > 0, 'the reader waited for the thread');
    } finally {
      await slow.close();
    }
  });

  for (const cue of ['exit', 'throw']) {
    test(`a thread that dies (${cue}) fails the scan with secret_scan_failed, and the next scan gets a new thread`, async () => {
      const seen: unknown[] = [];
      const dying = createSecretScanThread({ onError: (e) => seen.push(e), workerFile: faulty });
      try {
        const doomed = gzip(
          buildTar([
            { path: 'package/synapse.json', content: '{"name":"x","version":"1.0.0"}' },
            { path: `package/${cue}`, content: 'hello\n' },
          ]),
        );
        await assert.rejects(scanWith(doomed, dying), { code: 'secret_scan_failed', status: 503 });
        assert.equal(seen.length, 1);
        const fine = await scanWith(archive(), dying);
        assert.equal(fine.secrets.length, 50);
      } finally {
        await dying.close();
      }
    });
  }

  test('an archive refused half way through drops its scan, and the thread goes on with the next', async () => {
    const big = `${filler(60_000, 2)}\n`;
    const hostile = gzip(
      buildTar([
        { path: 'package/synapse.json', content: '{"name":"x","version":"1.0.0"}' },
        { path: 'package/a.txt', content: big },
        { path: 'package/../escape.syn', content: 'x' },
      ]),
    );
    await assert.rejects(scanWith(hostile, thread), { code: 'tarball_path_traversal' });
    const bomb = gzip(
      buildTar([
        { path: 'package/synapse.json', content: '{"name":"x","version":"1.0.0"}' },
        { path: 'package/a.txt', content: big.repeat(4) },
      ]),
    );
    await assert.rejects(
      inspectTarball(
        Readable.from([bomb]),
        { maxEntries: 10, maxUnpackedBytes: 2 * 1024 * 1024 },
        { scanSecrets: true, scanThread: thread },
      ),
      { code: 'tarball_too_large_unpacked' },
    );
    assert.equal((await scanWith(archive(), thread)).secrets.length, 50);
    assert.deepEqual(errors, []);
  });

  test('a closed thread refuses new scans', async () => {
    const closed = createSecretScanThread({ onError: () => {} });
    await closed.close();
    await assert.rejects(scanWith(archive(), closed), { code: 'secret_scan_failed' });
  });
});

describe('batches for the scan thread', () => {
  test('chunks keep their boundaries, batch memory is transferred, and a session is full past its budget until scanned', () => {
    const posted: Array<{ message: ToScanThread; transfer: ArrayBuffer[] }> = [];
    const session = createBatchSession({
      id: 1,
      post: (message, transfer) => posted.push({ message, transfer }),
      maxPendingBytes: 2 * 1024 * 1024,
      buffers: batchBuffers(4),
      onError: () => {},
      onSettled: () => {},
    });
    const file = session.open('package/a.txt')!;
    let resumed = 0;
    let full = false;
    for (let i = 0; i < 400 && !full; i++) {
      file.write(Buffer.alloc(30_000, 97));
      full = session.full(() => resumed++);
    }
    assert.ok(full, 'past the budget the session is full');
    const batches = posted.map((p) => p.message).filter((m) => m.kind === 'batch');
    assert.ok(batches.length >= 2);
    for (const [i, { message, transfer }] of posted.entries()) {
      assert.ok(message.kind === 'batch' && message.buffer !== null && transfer[0] === message.buffer, `batch ${i} transfers its memory`);
      assert.ok(
        message.ops.filter((op) => op[0] === 1).every((op) => op[3] - op[2] === 30_000),
        'one op a chunk',
      );
    }
    for (const { message } of posted) {
      if (message.kind === 'batch')
        session.acked(
          null,
          message.ops.reduce((n, op) => n + (op[0] === 1 ? op[3] - op[2] : 0), 0),
        );
    }
    assert.equal(resumed, 1, 'resumed once scanned');
  });
});
