import { test } from 'node:test';
import assert from 'node:assert/strict';
import { laterStamp } from './package-stamp.ts';

test('a change moves the stamp forward even within one millisecond or behind a faster clock', () => {
  const t = '2026-12-03T10:00:00.000Z';
  assert.equal(laterStamp(undefined, t), t);
  assert.equal(laterStamp('2026-12-03T09:59:59.999Z', t), t);
  assert.equal(laterStamp(t, t), '2026-12-03T10:00:00.001Z');
  assert.equal(laterStamp('2026-12-03T10:00:05.000Z', t), '2026-12-03T10:00:05.001Z');
});
