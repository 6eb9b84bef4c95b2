import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buildTar, gzip } from '../../../../test/fixtures/tarballs.ts';
import { inspectTarball } from './inspect.ts';

const manifest = JSON.stringify({ name: 'readme-pkg', version: '1.0.0' });
const inspect = (files: Record<string, string | Buffer>, readmeBytes = 64) =>
  inspectTarball(Readable.from([gzip(buildTar(Object.entries(files).map(([path, content]) => ({ path, content }))))]), undefined, {
    readmeBytes,
  });

test('the README beside the manifest is kept, README.md before other spellings', async () => {
  const contents = await inspect({ 'package/README': 'plain', 'package/synapse.json': manifest, 'package/README.md': '# md' });
  assert.deepEqual(contents.readme, { text: '# md', size: 4, truncated: false });
});

test('a README elsewhere is not the package README', async () => {
  const contents = await inspect({ 'synapse.json': manifest, 'docs/README.md': '# docs', 'src/main.syn': 'x' });
  assert.equal(contents.readme, null);
});

test('a long README is cut at the cap, on a line end when one is near, without NULs', async () => {
  const text = `${'line one\n'.repeat(5)}\u0000${'x'.repeat(100)}`;
  const contents = await inspect({ 'synapse.json': manifest, 'README.md': text });
  assert.equal(contents.readme?.truncated, true);
  assert.equal(contents.readme?.size, Buffer.byteLength(text));
  assert.equal(contents.readme?.text, 'line one\n'.repeat(5));
});

test('without readmeBytes nothing is kept', async () => {
  const tgz = gzip(
    buildTar([
      { path: 'synapse.json', content: manifest },
      { path: 'README.md', content: '# x' },
    ]),
  );
  assert.equal((await inspectTarball(Readable.from([tgz]))).readme, null);
});
