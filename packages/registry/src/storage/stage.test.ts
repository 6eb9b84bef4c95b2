/** Staging an upload into a temp file: what is left when the upload fails half-way. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { stageToFile } from './stage.ts';

test('an upload that fails while its file is still being opened leaves no file and no late error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-stage-'));
  const late: unknown[] = [];
  const onUncaught = (error: unknown) => late.push(error);
  process.on('uncaughtException', onUncaught);
  try {
    for (let i = 0; i < 20; i++) {
      // Fails on the next tick: before the thread pool has opened the staged file.
      const input = new Readable({ read() {} });
      process.nextTick(() => input.destroy(new Error('client went away')));
      await assert.rejects(stageToFile(input, { dir, maxBytes: 1024 }), /client went away/);
      assert.deepEqual(await readdir(dir), [], 'the staged file is gone once the call has failed');
    }
    assert.deepEqual(late, [], 'no error reached the process after the call had failed');
  } finally {
    process.off('uncaughtException', onUncaught);
    await rm(dir, { recursive: true, force: true });
  }
});
