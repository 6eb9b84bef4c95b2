import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanBytes, plural } from './format.ts';
import { formatTable } from './table.ts';

test('sizes in decimal units with one decimal', () => {
  assert.deepEqual([0, 999, 1000, 58_612_000, 999_960, 1_500_000_000].map(humanBytes), [
    '0 B',
    '999 B',
    '1.0 kB',
    '58.6 MB',
    '1.0 MB',
    '1.5 GB',
  ]);
});

test('plurals agree with their count', () => {
  assert.deepEqual(
    [plural(0, 'package'), plural(1, 'package'), plural(2, 'dependency', 'dependencies')],
    ['0 packages', '1 package', '2 dependencies'],
  );
  assert.equal(plural(1234, 'download'), '1,234 downloads');
});

test('tables align columns and end lines without spaces', () => {
  assert.equal(
    formatTable(
      ['A', 'Long header'],
      [
        ['wide cell', 'x'],
        ['b', ''],
      ],
    ),
    'A          Long header\nwide cell  x\nb',
  );
});
