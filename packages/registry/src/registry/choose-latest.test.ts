import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDistTag } from '../../../core/src/names.ts';
import { chooseLatest } from './choose-latest.ts';

const live = (version: string, yanked = false) => ({ version, yanked_at: yanked ? '2026-01-01T00:00:00.000Z' : null });

test('latest is the highest usable release; a pre-release only when there is no release', () => {
  assert.equal(chooseLatest([live('1.0.0'), live('1.10.0'), live('2.0.0-beta.1')], null), '1.10.0');
  assert.equal(chooseLatest([live('1.0.0-alpha.2'), live('1.0.0-alpha.10')], null), '1.0.0-alpha.10');
  assert.equal(chooseLatest([], null), null);
});

test('an explicit latest wins while its version is live and not yanked', () => {
  assert.equal(chooseLatest([live('1.0.0'), live('1.1.0')], '1.0.0'), '1.0.0');
  assert.equal(chooseLatest([live('1.0.0'), live('2.0.0-rc.1')], '2.0.0-rc.1'), '2.0.0-rc.1');
  assert.equal(chooseLatest([live('1.0.0'), live('1.1.0', true)], '1.1.0'), '1.0.0', 'yanked: ignored');
  assert.equal(chooseLatest([live('1.0.0'), live('1.1.0')], '3.0.0'), '1.1.0', 'not live: ignored');
});

test('yanked versions are skipped while another exists; all yanked, the highest live one', () => {
  assert.equal(chooseLatest([live('1.0.0'), live('1.1.0', true)], null), '1.0.0');
  assert.equal(chooseLatest([live('1.1.0', true), live('2.0.0-beta.1')], null), '2.0.0-beta.1');
  assert.equal(chooseLatest([live('1.0.0', true), live('1.1.0', true)], null), '1.1.0');
});

test('dist-tag names: a pattern, a length, and never a version range', () => {
  for (const ok of ['latest', 'beta', 'next', 'rc', 'lts', 'beta-2', 'alpha.1', 'a'.repeat(32)]) assert.ok(parseDistTag(ok).ok, ok);
  for (const bad of ['', 'Beta', '1beta', '-x', 'a'.repeat(33), 'be ta', 'x', 'X', 'v1', 'x.x', 'beta_2', '1.2.3'])
    assert.ok(!parseDistTag(bad).ok, bad);
});
