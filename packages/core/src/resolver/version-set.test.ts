import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import semver from 'semver';
import { complement, contains, intersect, isEmpty, rangeSet, showSet, union } from './version-set.ts';
import { ver } from './version.ts';

function check(range: string, accepts: string[], rejects: string[]): void {
  const set = rangeSet(range);
  for (const v of accepts) assert.equal(contains(set, ver(v)), true, `${range} should accept ${v}`);
  for (const v of rejects) assert.equal(contains(set, ver(v)), false, `${range} should reject ${v}`);
}

test('zero-major carets stop at the first non-zero part', () => {
  check('^0.2.3', ['0.2.3', '0.2.9'], ['0.2.2', '0.3.0', '1.0.0']);
  check('^0.0.3', ['0.0.3'], ['0.0.4', '0.0.2', '0.1.0']);
  check('^1.2.3', ['1.2.3', '1.9.9'], ['1.2.2', '2.0.0', '2.0.0-alpha']);
  check('^0.x', ['0.0.1', '0.9.0'], ['1.0.0']);
  assert.equal(showSet(rangeSet('^0.2.3')), '^0.2.3');
  assert.equal(showSet(rangeSet('^0.0.3')), '0.0.3');
});

test('tilde allows patch changes, or minor ones when only the major is given', () => {
  check('~1.2.3', ['1.2.3', '1.2.9'], ['1.3.0', '1.2.2']);
  check('~1.2', ['1.2.0', '1.2.9'], ['1.3.0']);
  check('~1', ['1.0.0', '1.9.0'], ['2.0.0']);
  check('~0.2.3', ['0.2.5'], ['0.3.0']);
});

test('x-ranges and bare partial versions', () => {
  check('1.x', ['1.0.0', '1.99.0'], ['2.0.0', '0.9.0']);
  check('1.2.x', ['1.2.0', '1.2.7'], ['1.3.0']);
  check('*', ['0.0.0', '9.9.9'], ['1.0.0-beta']);
  check('', ['1.0.0'], []);
  check('1', ['1.0.0', '1.5.0'], ['2.0.0']);
});

test('hyphen ranges with partial versions', () => {
  check('1.2.3 - 2.3.4', ['1.2.3', '2.3.4'], ['1.2.2', '2.3.5']);
  check('1.2 - 2.3.4', ['1.2.0', '2.3.4'], ['1.1.9', '2.3.5']);
  check('1.2.3 - 2.3', ['2.3.9'], ['2.4.0']);
  check('1.2.3 - 2', ['2.9.9'], ['3.0.0']);
});

test('comparators, exact pins and unions', () => {
  check('>=1.2.7 <1.3.0', ['1.2.7', '1.2.99'], ['1.2.6', '1.3.0']);
  check('>1.2.3', ['1.2.4'], ['1.2.3']);
  check('<=1.2.3', ['1.2.3', '0.1.0'], ['1.2.4']);
  check('=1.2.3', ['1.2.3', '1.2.3+build.7'], ['1.2.4']);
  check('1.2.3', ['1.2.3'], ['1.2.2']);
  check('1.2.7 || >=1.2.9 <2.0.0', ['1.2.7', '1.2.9', '1.4.6'], ['1.2.8', '2.0.0']);
});

test('prerelease versions match only ranges naming a prerelease of the same major.minor.patch', () => {
  check('^1.2.3-beta.2', ['1.2.3-beta.4', '1.2.3', '1.3.0'], ['1.2.4-beta.2', '1.2.3-beta.1', '1.2.3-alpha.9', '2.0.0-0']);
  check('>1.2.3-alpha.3', ['1.2.3-alpha.7', '3.4.5'], ['3.4.5-alpha.9']);
  check('>=1.0.0', ['1.0.1'], ['1.0.1-rc.1']);
  check('=1.0.0-rc.1', ['1.0.0-rc.1'], ['1.0.0-rc.2', '1.0.0']);
  assert.equal(showSet(rangeSet('^1.2.3-beta.2')), '^1.2.3-beta.2');
});

test('ranges with holes stay holes through the algebra', () => {
  const holed = union(rangeSet('<1.2.0'), rangeSet('>=1.4.0 <2.0.0'));
  check('<1.2.0 || >=1.4.0 <2.0.0', ['1.1.0', '1.4.0'], ['1.2.0', '1.3.5', '2.0.0']);
  assert.equal(showSet(holed), '<1.2.0 || ^1.4.0');
  assert.equal(showSet(intersect(holed, rangeSet('>=1.1.0'))), '~1.1.0 || ^1.4.0');
  assert.equal(showSet(complement(holed)), '>=1.2.0 <1.4.0 || >=2.0.0');
  assert.ok(isEmpty(intersect(rangeSet('^1.0.0'), rangeSet('^2.0.0'))));
});

const versionArb = fc
  .tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.option(fc.constantFrom('alpha', 'beta.1', 'beta.2', 'rc.0', '0'), { nil: undefined }))
  .map(([a, b, c, p]) => `${a}.${b}.${c}${p ? `-${p}` : ''}`);
const rangeArb = fc.oneof(
  fc.tuple(fc.constantFrom('^', '~', '>=', '>', '<', '<=', '=', ''), versionArb).map(([op, v]) => `${op}${v}`),
  fc.tuple(versionArb, versionArb).map(([a, b]) => `${a} - ${b}`),
  fc.tuple(fc.nat(3), fc.nat(3)).map(([a, b]) => `${a}.${b}.x`),
  fc.tuple(versionArb, versionArb).map(([a, b]) => `>=${a} <${b}`),
);

test('membership agrees with semver.satisfies, and the set operations with boolean logic', () => {
  fc.assert(
    fc.property(rangeArb, rangeArb, versionArb, (r1, r2, v) => {
      const a = rangeSet(r1);
      const b = rangeSet(r2);
      const x = ver(v);
      const inA = semver.satisfies(v, r1);
      const inB = semver.satisfies(v, r2);
      assert.equal(contains(a, x), inA, `${v} in ${r1}`);
      assert.equal(contains(union(a, b), x), inA || inB);
      assert.equal(contains(intersect(a, b), x), inA && inB);
      assert.equal(contains(complement(a), x), !inA);
      // The message form names the same releases (prerelease detail may be summarised away).
      if (!isEmpty(a) && x.pre.length === 0)
        assert.equal(contains(rangeSet(showSet(a).replace(/^any$/, '*')), x), inA, `${showSet(a)} for ${r1}`);
    }),
    { numRuns: 3000, seed: 42 },
  );
});
