import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { terminalJson, terminalSafe } from './terminal-text.ts';

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

test('control, C1 and bidi characters are removed; newlines, tabs and ordinary text stay', () => {
  assert.equal(terminalSafe('a\u001b[2Jb\u001b]8;;https://x\u0007c\td\ne\u202ef\u009b31m\r'), 'a[2Jb]8;;https://xc\td\nef31m');
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => !UNSAFE.test(terminalSafe(s))));
});

test('JSON for the terminal is the same data with nothing live in it', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, s) => {
      const data = { value, s };
      const text = terminalJson(data);
      assert.doesNotMatch(text, UNSAFE);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(data)));
    }),
  );
});
