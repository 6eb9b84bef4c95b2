import { test } from 'node:test';
import assert from 'node:assert/strict';
import semver from 'semver';
import { parsePackageName, parseVersion } from './names.ts';
import { lookalikeOf, nameSkeleton } from './names/skeleton.ts';

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

test('reserved names are compared by canonical form: separator variants are reserved too', () => {
  for (const name of ['node_modules', 'node.modules', 'node-modules', 'synapse.modules', 'favicon-ico', 'api', 'std']) {
    assert.equal(parsePackageName(name).ok, false, name);
  }
  assert.equal(parsePackageName('node-modules-helper').ok, true);
});

test('Windows device names are refused, with or without an extension', () => {
  for (const name of ['con', 'nul', 'prn', 'aux', 'com1', 'com9', 'lpt1', 'lpt9', 'con.txt', 'nul.tar.gz', 'com1.js']) {
    const parsed = parsePackageName(name);
    assert.equal(parsed.ok, false, name);
    if (!parsed.ok) assert.match(parsed.message, /device/, name);
  }
  for (const name of ['console', 'null', 'com10', 'auxiliary', 'lpt-x', 'con-tools']) assert.equal(parsePackageName(name).ok, true, name);
});

test('look-alike names share a skeleton; different names do not', () => {
  for (const [a, b] of [
    ['a1pha', 'alpha'],
    ['alpha', 'aipha'],
    ['mypkg', 'my_pkg'],
    ['rnodule', 'module'],
    ['l0dash', 'lodash'],
    ['express', 'ex-press'],
  ]) {
    assert.equal(nameSkeleton(a), nameSkeleton(b), `${a} ~ ${b}`);
  }
  for (const [a, b] of [
    ['alpha', 'beta'],
    ['react', 'preact'],
    ['lodash', 'lodash-es'],
  ]) {
    assert.notEqual(nameSkeleton(a), nameSkeleton(b), `${a} vs ${b}`);
  }
});

test('lookalikeOf names the popular package, and skips the same package under another spelling', () => {
  const popular = [
    { name: 'alpha', canonical_name: 'alpha' },
    { name: 'my_pkg', canonical_name: 'my-pkg' },
  ];
  assert.equal(lookalikeOf('a1pha', 'a1pha', popular)?.name, 'alpha');
  assert.equal(lookalikeOf('mypkg', 'mypkg', popular)?.name, 'my_pkg');
  assert.equal(lookalikeOf('my-pkg', 'my-pkg', popular), undefined, 'same canonical name: the same package');
  assert.equal(lookalikeOf('gamma', 'gamma', popular), undefined);
});
