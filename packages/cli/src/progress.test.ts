import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { guarded, progressFor, usableColumns, type Progress } from './progress.ts';

/** A stream that looks like a terminal of the given width and keeps what was written. */
function fakeTerminal(columns: number | undefined) {
  const written: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        done();
      },
    }),
    { isTTY: true, columns },
  );
  return { stream, written };
}

test('a terminal that reports 0 (or no) columns gets plain lines, never a spinner', async () => {
  for (const columns of [0, undefined, Number.NaN]) {
    const { stream, written } = fakeTerminal(columns);
    const progress = await progressFor(stream, { json: false, ci: false });
    progress.step('Resolving dependencies');
    progress.update('still resolving');
    progress.note('warning: \u001b[2Jsomething');
    progress.stop();
    assert.deepEqual(written, ['Resolving dependencies\n', 'warning: [2Jsomething\n'], `columns ${columns}`);
  }
  assert.equal(usableColumns({ columns: 80 }), 80);
  assert.equal(usableColumns({ columns: 0 }), null);
});

test('a progress display that throws never stops the work', () => {
  const { stream, written } = fakeTerminal(80);
  const broken: Progress = {
    step() {
      throw new Error('display broke');
    },
    update() {},
    note() {},
    stop() {},
  };
  const progress = guarded(broken, stream);
  assert.doesNotThrow(() => progress.step('Fetching'));
  progress.step('Linking');
  assert.deepEqual(written, ['Linking\n']);
});
