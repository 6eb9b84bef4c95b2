import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colorEnabled, paintPrefix } from './style.ts';

test('colour on a terminal, never with NO_COLOR, always with FORCE_COLOR', () => {
  const tty = { isTTY: true };
  assert.equal(colorEnabled(tty, {}), true);
  assert.equal(colorEnabled({ isTTY: false }, {}), false);
  assert.equal(colorEnabled(tty, { NO_COLOR: '1' }), false);
  assert.equal(colorEnabled(tty, { NO_COLOR: '' }), true);
  assert.equal(colorEnabled(tty, { TERM: 'dumb' }), false);
  assert.equal(colorEnabled({}, { FORCE_COLOR: '1' }), true);
  assert.equal(colorEnabled({}, { FORCE_COLOR: '1', NO_COLOR: '1' }), true);
  assert.equal(colorEnabled(tty, { FORCE_COLOR: '0' }), false);
});

test('only the prefixes are painted', () => {
  assert.equal(paintPrefix('error: no\nhint', true), '\x1b[1;31merror:\x1b[0m no\nhint');
  assert.equal(paintPrefix('warning: x error: y', true), '\x1b[1;33mwarning:\x1b[0m x error: y');
  assert.equal(paintPrefix('error: no', false), 'error: no');
});
