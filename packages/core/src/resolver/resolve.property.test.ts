import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import semver from 'semver';
import { memorySource, type RegistrySpec } from './memory-source.ts';
import { resolve, ResolutionError } from './resolve.ts';

// Small registries: a brute-force search over every choice is cheap, and semver.satisfies is
// an oracle independent of our interval algebra.
const NAMES = ['a', 'b', 'c', 'd'];
const VERSIONS = ['1.0.0', '1.1.0', '2.0.0', '2.1.0-beta.1', '3.0.0'];
const RANGES = [
  '^1.0.0',
  '^2.0.0',
  '>=1.1.0',
  '<2.0.0',
  '1.0.0',
  '*',
  '>=2.0.0 <3.0.0',
  '~1.1.0',
  '^2.1.0-beta.1',
  '1.0.0 || >=3.0.0',
  '>1.0.0 <=2.0.0',
];
const TARGETS = [...NAMES, 'missing'];

const depsArb = fc.dictionary(fc.constantFrom(...TARGETS), fc.constantFrom(...RANGES), { maxKeys: 2 });
const registryArb = fc.record({
  root: depsArb,
  packages: fc.tuple(
    ...NAMES.map(() =>
      fc.option(fc.dictionary(fc.constantFrom(...VERSIONS), depsArb, { minKeys: 1, maxKeys: 4 }), { nil: undefined, freq: 6 }),
    ),
  ),
});

type Deps = Record<string, string>;

function bruteForce(root: Deps, spec: RegistrySpec): boolean {
  const names = Object.keys(spec);
  const choice = new Map<string, string | null>();
  const holds = (deps: Deps) =>
    Object.entries(deps).every(([dep, range]) => {
      const chosen = choice.get(dep);
      return chosen != null && semver.satisfies(chosen, range);
    });
  const search = (i: number): boolean => {
    if (i === names.length) {
      if (!holds(root)) return false;
      for (const [name, version] of choice) if (version !== null && !holds(spec[name]![version]!)) return false;
      return true;
    }
    const name = names[i]!;
    for (const option of [null, ...Object.keys(spec[name]!)]) {
      choice.set(name, option);
      if (search(i + 1)) return true;
    }
    choice.delete(name);
    return false;
  };
  return search(0);
}

test('on random small registries, solutions satisfy every constraint and failures are real', async () => {
  let solved = 0;
  let failed = 0;
  await fc.assert(
    fc.asyncProperty(registryArb, async ({ root, packages }) => {
      const spec: Record<string, Record<string, Deps>> = {};
      packages.forEach((versions, i) => {
        if (versions) spec[NAMES[i]!] = versions;
      });
      try {
        const { packages: chosen } = await resolve({ root: { dependencies: root }, source: memorySource(spec) });
        solved++;
        const picked = new Map(chosen.map((p) => [p.name, p.version]));
        const check = (from: string, deps: Deps) => {
          for (const [dep, range] of Object.entries(deps)) {
            const v = picked.get(dep);
            assert.ok(v !== undefined && semver.satisfies(v, range), `${from} needs ${dep} ${range}, got ${v}`);
          }
        };
        check('root', root);
        for (const p of chosen) check(`${p.name}@${p.version}`, spec[p.name]![p.version]!);
      } catch (error) {
        if (!(error instanceof ResolutionError)) throw error;
        failed++;
        assert.ok(error.explanation.endsWith('version solving failed.'), error.explanation);
        assert.equal(bruteForce(root, spec), false, `brute force found a solution; we said:\n${error.explanation}`);
      }
    }),
    { numRuns: 10_000, seed: 20240605 },
  );
  // Both outcomes must be well represented, or the property proves little.
  assert.ok(solved > 2000 && failed > 2000, `solved ${solved}, failed ${failed}`);
});
