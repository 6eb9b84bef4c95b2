/**
 * Range matching against a brute-force oracle: OSV's evaluation loop written as the spec states it
 * (every event, in version order, on version text), over generated ranges with pre-releases,
 * last_affected, limits, several ranges and listed versions.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import semver from 'semver';
import { affects, compileAffected, fixedFor, type AffectedSpec, type OsvEvent, type OsvRange } from './affects.ts';

const versionArb = fc
  .tuple(
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 2 }),
    fc.constantFrom('', '-alpha', '-beta.1', '-beta.2', '-rc.1'),
  )
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre}`);

const eventArb: fc.Arbitrary<OsvEvent> = fc.oneof(
  fc.oneof(versionArb, fc.constant('0')).map((v) => ({ introduced: v })),
  versionArb.map((v) => ({ fixed: v })),
  versionArb.map((v) => ({ last_affected: v })),
  fc.nat({ max: 9 }).chain(() => versionArb.map((v) => ({ limit: v }))),
);

const rangeArb: fc.Arbitrary<OsvRange> = fc.record({
  type: fc.constantFrom('SEMVER', 'ECOSYSTEM', 'SEMVER', 'GIT'),
  events: fc.array(eventArb, { minLength: 1, maxLength: 7 }),
});

const specArb: fc.Arbitrary<AffectedSpec> = fc.record({
  ranges: fc.array(rangeArb, { maxLength: 3 }),
  versions: fc.array(versionArb, { maxLength: 3 }),
});

const KIND_ORDER: Record<string, number> = { introduced: 0, fixed: 1, last_affected: 2, limit: 3 };
const kindOf = (e: OsvEvent) => Object.keys(e)[0]!;
const valueOf = (e: OsvEvent) => Object.values(e)[0] as string;

/** The spec's loop, literally: sort by version ("0" lowest), then let every applying event set the state. */
function oracleRange(range: OsvRange, v: string): boolean {
  if (range.type === 'GIT') return false;
  const limits = range.events.filter((e) => kindOf(e) === 'limit').map(valueOf);
  if (limits.some((l) => semver.compare(v, l) >= 0)) return false;
  const sorted = range.events
    .filter((e) => kindOf(e) !== 'limit')
    .slice()
    .sort((a, b) => {
      const [x, y] = [valueOf(a), valueOf(b)];
      const byVersion = x === '0' ? (y === '0' ? 0 : -1) : y === '0' ? 1 : semver.compare(x, y);
      return byVersion !== 0 ? byVersion : KIND_ORDER[kindOf(a)]! - KIND_ORDER[kindOf(b)]!;
    });
  let vulnerable = false;
  for (const e of sorted) {
    const at = valueOf(e);
    if (kindOf(e) === 'introduced' && (at === '0' || semver.gte(v, at))) vulnerable = true;
    else if (kindOf(e) === 'fixed' && semver.gte(v, at)) vulnerable = false;
    else if (kindOf(e) === 'last_affected' && semver.gt(v, at)) vulnerable = false;
  }
  return vulnerable;
}

const oracle = (specs: AffectedSpec[], v: string) =>
  specs.some((s) => s.versions.some((listed) => semver.eq(listed, v)) || s.ranges.some((r) => oracleRange(r, v)));

/** Brute force: of every fixed event above v, the lowest the advisory no longer affects. */
function oracleFixed(specs: AffectedSpec[], v: string): string | null {
  const fixes = specs.flatMap((s) =>
    s.ranges.filter((r) => r.type !== 'GIT').flatMap((r) => r.events.filter((e) => kindOf(e) === 'fixed').map(valueOf)),
  );
  const candidates = fixes.filter((f) => semver.gt(f, v) && !oracle(specs, f)).sort(semver.compare);
  return candidates[0] ?? null;
}

describe('affects', () => {
  test('agrees with the spec loop on generated advisories and versions', () => {
    fc.assert(
      fc.property(
        fc.array(specArb, { minLength: 1, maxLength: 3 }),
        fc.array(versionArb, { minLength: 1, maxLength: 12 }),
        (specs, versions) => {
          const m = compileAffected(specs);
          for (const v of versions) {
            assert.equal(affects(m, v), oracle(specs, v), `${v} against ${JSON.stringify(specs)}`);
            assert.equal(fixedFor(m, v), oracleFixed(specs, v), `fix for ${v} against ${JSON.stringify(specs)}`);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  const semverRange = (...events: OsvEvent[]): AffectedSpec => ({ ranges: [{ type: 'SEMVER', events }], versions: [] });

  test('a fix in 1.0.0 covers its pre-releases; introduced at a pre-release starts there', () => {
    const m = compileAffected([semverRange({ introduced: '1.0.0-beta.2' }, { fixed: '1.0.0' })]);
    assert.equal(affects(m, '1.0.0-beta.1'), false);
    assert.equal(affects(m, '1.0.0-beta.2'), true);
    assert.equal(affects(m, '1.0.0-rc.1'), true);
    assert.equal(affects(m, '1.0.0'), false);
    assert.equal(fixedFor(m, '1.0.0-rc.1'), '1.0.0');
  });

  test('last_affected includes its own version and has no fix to offer', () => {
    const m = compileAffected([semverRange({ introduced: '0' }, { last_affected: '2.1.0' })]);
    assert.equal(affects(m, '0.0.1'), true);
    assert.equal(affects(m, '2.1.0'), true);
    assert.equal(affects(m, '2.1.1-alpha'), false);
    assert.equal(fixedFor(m, '2.0.0'), null);
  });

  test('two ranges: the fix offered is the first version out of both', () => {
    const m = compileAffected([
      {
        ranges: [
          { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.2.0' }] },
          { type: 'SEMVER', events: [{ introduced: '1.1.0' }, { fixed: '1.3.0' }] },
        ],
        versions: [],
      },
    ]);
    assert.equal(affects(m, '1.2.5'), true);
    assert.equal(fixedFor(m, '1.0.5'), '1.3.0', '1.2.0 is still affected by the second range');
  });

  test('listed versions match without build metadata; GIT ranges affect nothing', () => {
    const m = compileAffected([{ ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }], versions: ['3.0.0+build.7'] }]);
    assert.equal(affects(m, '3.0.0'), true);
    assert.equal(affects(m, '3.0.1'), false);
  });
});
