import { test } from 'node:test';
import assert from 'node:assert/strict';
import semver from 'semver';
import { parseVersion } from './names.ts';

test('parseVersion accepts SemVer 2.0.0 versions and drops build metadata', () => {
  for (const [input, value] of [
    ['1.2.3', '1.2.3'],
    ['0.0.0', '0.0.0'],
    ['10.20.30', '10.20.30'],
    ['1.0.0-beta.1', '1.0.0-beta.1'],
    ['1.0.0+build.7', '1.0.0'],
    ['999999999999999.0.1', '999999999999999.0.1'],
  ]) {
    assert.deepEqual(parseVersion(input), { ok: true, value }, input);
  }
});

test('parseVersion refuses what SemVer 2.0.0 does not allow', () => {
  for (const input of ['01.2.3', '1.02.3', 'v1.2.3', ' 1.2.3', '1.2', '1.2.3.4', '', '9007199254740992.0.0', '1.2.3-', 'x'.repeat(300)]) {
    assert.equal(parseVersion(input).ok, false, input);
  }
});

test('the plain x.y.z fast path agrees with the full parse', () => {
  const parts = ['0', '1', '7', '00', '01', '10', '123', '999999999999999', '9999999999999999', '9007199254740991', '9007199254740992'];
  for (const a of parts) {
    for (const b of parts) {
      for (const c of parts) {
        const input = `${a}.${b}.${c}`;
        const full = semver.parse(input);
        const expected = full !== null && full.version === input;
        assert.equal(parseVersion(input).ok, expected, input);
      }
    }
  }
});
