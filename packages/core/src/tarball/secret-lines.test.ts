import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buildTar, gzip, type TarEntry } from '../../../../test/fixtures/tarballs.ts';
import { inspectTarball } from './inspect.ts';
import { numberSecretLines } from './secret-lines.ts';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const random = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ALNUM[(i * 7919 + seed * 31 + 13) % ALNUM.length]).join('');

/** Files with secrets at known lines, some far enough in to span many of the reader's chunks. */
function archive(): { tgz: Buffer; expected: string[] } {
  const entries: TarEntry[] = [{ path: 'pkg/synapse.json', content: JSON.stringify({ name: 'lines', version: '1.0.0' }) }];
  const expected: string[] = [];
  for (let f = 0; f < 4; f++) {
    const lines = Array.from({ length: 2_000 + f * 9_000 }, (_, i) => `let v${i} = ${i * 7}; // filler`);
    for (const at of [3, 1_500 + f * 4_000, lines.length - 1]) {
      lines[at] = `${lines[at]} ghp_${random(36, at + f)}`;
      expected.push(`src/f${f}.syn:github_token:${at + 1}`);
    }
    lines.splice(10, 0, '-----BEGIN EC PRIVATE KEY-----', random(64, f), '-----END EC PRIVATE KEY-----');
    expected.push(`src/f${f}.syn:private_key:11`);
    // The lines pushed down by the key block.
    for (let k = 0; k < expected.length; k++) {
      const [path, kind, line] = expected[k]!.split(':');
      if (path === `src/f${f}.syn` && kind === 'github_token' && Number(line) > 10) expected[k] = `${path}:${kind}:${Number(line) + 3}`;
    }
    entries.push({ path: `pkg/src/f${f}.syn`, content: `${lines.join('\n')}\n` });
  }
  entries.push({ path: 'pkg/clean.txt', content: 'nothing here\n'.repeat(1000) });
  return { tgz: gzip(buildTar(entries)), expected };
}

describe('line numbers of secret findings', () => {
  test('each finding gets the line it is on, read again from the same archive', async () => {
    const { tgz, expected } = archive();
    const { secrets } = await inspectTarball(Readable.from([tgz]), undefined, { scanSecrets: true });
    const numbered = await numberSecretLines(() => Readable.from([tgz]), secrets);
    assert.deepEqual(numbered.map((f) => `${f.path}:${f.kind}:${f.line}`).sort(), [...expected].sort());
    assert.deepEqual(
      numbered.map(({ line: _, ...rest }) => rest),
      secrets,
      'nothing else about a finding changes',
    );
  });

  test('no findings: nothing is opened or read', async () => {
    let opened = 0;
    const open = () => {
      opened += 1;
      return Readable.from([Buffer.from('not even a tarball')]);
    };
    assert.deepEqual(await numberSecretLines(open, []), []);
    assert.equal(opened, 0);
  });
});
