/**
 * Byte progress for a large publish, in a pseudo-terminal (where the spinner draws the bar) and piped
 * (where only the plain step line appears): the real executable against a registry that reads the
 * 3 MB upload slowly, so the bar has time to move.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { sandbox, withoutCursorMoves, type Sandbox } from './cli.ts';
import { fakeRegistry, json, type FakeRegistry } from './fake-registry.ts';
import { createServer, type Server } from 'node:http';

let reg: FakeRegistry;
let box: Sandbox;
let slow: Server;
let slowUrl = '';
const received: { bytes: number; length: string | undefined }[] = [];

before(async () => {
  reg = await fakeRegistry();
  box = await sandbox();
  // A registry of its own for the upload: it reads the body a slice at a time (backpressure holds
  // the client back), then answers as a registry does.
  slow = createServer((req, res) => {
    void (async () => {
      let bytes = 0;
      for await (const chunk of req) {
        bytes += (chunk as Buffer).length;
        await delay(15);
      }
      received.push({ bytes, length: req.headers['content-length'] });
      // Long enough for the spinner to draw the full bar once.
      await delay(300);
      json(res, 201, { name: 'big', version: '1.0.0', integrity: 'sha512-x', size: bytes, published_at: '2026-12-03T00:00:00Z' });
    })();
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  const address = slow.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  slowUrl = `http://127.0.0.1:${address.port}`;
});

after(async () => {
  slow.closeAllConnections();
  await new Promise<void>((resolve) => slow.close(() => resolve()));
  await reg.close();
  await rm(box.root, { recursive: true, force: true });
});

async function bigProject(name: string): Promise<string> {
  const dir = await box.project(name, { name: 'big', version: '1.0.0', description: 'large' });
  // Random bytes do not compress: the tarball stays about as large as the file.
  await writeFile(join(dir, 'data.bin'), randomBytes(3_000_000));
  return dir;
}

describe('upload progress', () => {
  test('a bar with sizes on a terminal; the plain step line when piped; the whole body sent, its length declared', async () => {
    const env = { SYNAPSE_TOKEN: 'syn_test_token_for_the_fake_registry' };
    const tty = await box.runInTerminal(['pkg', 'publish', '--registry', slowUrl], { cwd: await bigProject('tty'), env });
    assert.equal(tty.code, 0, tty.stdout);
    const seen = withoutCursorMoves(tty.stdout);
    assert.match(seen, /Publishing big@1\.0\.0 \(3\.0 MB\) to .* \[#*-*\] \d+(\.\d)? (kB|MB) \/ 3\.0 MB/, seen);
    assert.match(seen, /Published big@1\.0\.0/);

    const piped = await box.run(['pkg', 'publish', '--registry', slowUrl], { cwd: await bigProject('piped'), env });
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stderr, /^Packing\nPublishing big@1\.0\.0 \(3\.0 MB\) to .*\n$/);
    assert.doesNotMatch(piped.stderr + piped.stdout, /\[#|\x1b/);

    assert.equal(received.length, 2);
    for (const r of received) {
      assert.ok(r.bytes > 3_000_000, `the registry got ${r.bytes} bytes`);
      assert.equal(r.length, String(r.bytes), 'the upload declares its length (no chunked body)');
    }
  });
});
