import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { CLIENT_VERSION } from './version.ts';

test('the client version is the package version, at the root and in its workspace package', async () => {
  for (const file of ['../../../package.json', '../package.json']) {
    const pkg = JSON.parse(await readFile(new URL(file, import.meta.url), 'utf8'));
    assert.equal(CLIENT_VERSION, pkg.version, file);
  }
});
