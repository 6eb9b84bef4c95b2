import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memorySource, type RegistrySpec } from './memory-source.ts';
import { resolve, ResolutionError } from './resolve.ts';
import { EXPLAIN_MAX_LINE_CHARS, EXPLAIN_MAX_LINES } from './explain.ts';

async function failure(dependencies: Record<string, string>, spec: RegistrySpec): Promise<string> {
  try {
    await resolve({ root: { dependencies }, source: memorySource(spec) });
  } catch (error) {
    if (error instanceof ResolutionError) return error.explanation;
    throw error;
  }
  assert.fail('expected the resolution to fail');
}

test('linear chain: a requirement passed down two levels', async () => {
  const text = await failure(
    { foo: '^1.0.0', baz: '^1.0.0' },
    { foo: { '1.0.0': { bar: '^2.0.0' } }, bar: { '2.0.0': { baz: '^3.0.0' } }, baz: { '1.0.0': {}, '3.0.0': {} } },
  );
  assert.equal(
    text,
    [
      'Because every version of foo depends on bar ^2.0.0 which depends on baz ^3.0.0, every version of foo requires baz ^3.0.0.',
      'So, because root depends on both foo ^1.0.0 and baz ^1.0.0, version solving failed.',
    ].join('\n'),
  );
});

test('branching: both halves of foo fail, and the proof numbers the line it reuses', async () => {
  const text = await failure(
    { foo: '^1.0.0' },
    {
      foo: { '1.0.0': { a: '^1.0.0', b: '^1.0.0' }, '1.1.0': { x: '^1.0.0', y: '^1.0.0' } },
      a: { '1.0.0': { b: '^2.0.0' } },
      b: { '1.0.0': {}, '2.0.0': {} },
      x: { '1.0.0': { y: '^2.0.0' } },
      y: { '1.0.0': {}, '2.0.0': {} },
    },
  );
  assert.equal(
    text,
    [
      '    Because foo <1.1.0 depends on a ^1.0.0 which depends on b ^2.0.0, foo <1.1.0 requires b ^2.0.0.',
      '(1) So, because foo <1.1.0 depends on b ^1.0.0, foo <1.1.0 is forbidden.',
      '',
      '    Because foo >=1.1.0 depends on x ^1.0.0 which depends on y ^2.0.0, foo >=1.1.0 requires y ^2.0.0.',
      '    And because foo >=1.1.0 depends on y ^1.0.0, foo >=1.1.0 is forbidden.',
      '    And because foo <1.1.0 is forbidden (1), every version of foo is forbidden.',
      '    So, because root depends on foo ^1.0.0, version solving failed.',
    ].join('\n'),
  );
});

test('menu, dropdown, icons and intl: ranges, not version lists', async () => {
  const newerMenu = { dropdown: '>=2.0.0' };
  const newerDropdown = { icons: '2.0.0' };
  const text = await failure(
    { menu: '>=1.0.0', icons: '<2.0.0', intl: '>=5.0.0' },
    {
      menu: {
        '1.0.0': { dropdown: '>=1.0.0 <2.0.0' },
        '1.1.0': newerMenu,
        '1.2.0': newerMenu,
        '1.3.0': newerMenu,
        '1.4.0': newerMenu,
        '1.5.0': newerMenu,
      },
      dropdown: {
        '1.8.0': { intl: '3.0.0' },
        '2.0.0': newerDropdown,
        '2.1.0': newerDropdown,
        '2.2.0': newerDropdown,
        '2.3.0': newerDropdown,
      },
      icons: { '1.0.0': {}, '2.0.0': {} },
      intl: { '3.0.0': {}, '4.0.0': {}, '5.0.0': {} },
    },
  );
  assert.equal(
    text,
    [
      'Because menu <1.1.0 depends on dropdown ^1.0.0 which depends on intl 3.0.0, menu <1.1.0 requires intl 3.0.0.',
      'And because menu >=1.1.0 depends on dropdown >=2.0.0, if menu then intl 3.0.0 or dropdown >=2.0.0.',
      'And because dropdown >=2.0.0 depends on icons 2.0.0 and root depends on menu >=1.0.0, either intl 3.0.0 or icons 2.0.0.',
      'So, because root depends on both icons <2.0.0 and intl >=5.0.0, version solving failed.',
    ].join('\n'),
  );
});

test('a missing package is named as missing, with near names that exist', async () => {
  const text = await failure({ fooo: '^1.0.0' }, { foo: { '1.0.0': {} } });
  assert.equal(text, 'Because root depends on fooo ^1.0.0 and no package named fooo exists (did you mean foo?), version solving failed.');
});

test('a missing version lists the versions that exist', async () => {
  const text = await failure({ foo: '^3.0.0' }, { foo: { '1.0.0': {}, '1.1.0': {}, '2.0.0': {} } });
  assert.equal(
    text,
    'Because root depends on foo ^3.0.0 and no version of foo matches ^3.0.0 (foo has 2.0.0, 1.1.0, 1.0.0), version solving failed.',
  );
});

test('a missing version deep in the graph, with yanked versions mentioned', async () => {
  const source = memorySource({ app: { '1.0.0': { log: '^2.0.0' } }, log: { '1.0.0': {}, '2.0.0': {} } }, { yanked: ['log@2.0.0'] });
  await assert.rejects(resolve({ root: { dependencies: { app: '*' } }, source }), (error: ResolutionError) => {
    assert.equal(
      error.explanation,
      [
        'Because every version of app depends on log ^2.0.0 and no version of log matches ^2.0.0 (log has 1.0.0; yanked: 2.0.0), every version of app is forbidden.',
        'So, because root depends on any version of app, version solving failed.',
      ].join('\n'),
    );
    assert.equal(error.code, 'resolution_failed');
    return true;
  });
});

test('root conflict: the same package at two incompatible ranges', async () => {
  const text = await failure(
    { foo: '^1.0.0', bar: '^1.0.0' },
    { foo: { '1.0.0': { shared: '^1.0.0' } }, bar: { '1.0.0': { shared: '^2.0.0' } }, shared: { '1.0.0': {}, '2.0.0': {} } },
  );
  assert.equal(
    text,
    [
      'Because every version of bar depends on shared ^2.0.0 and every version of foo depends on shared ^1.0.0, bar is incompatible with foo.',
      'So, because root depends on both foo ^1.0.0 and bar ^1.0.0, version solving failed.',
    ].join('\n'),
  );
});

test('root asking for foo ^1 and foo ^2 at once', async () => {
  const source = memorySource({ foo: { '1.0.0': {}, '2.0.0': {} } });
  const lib = memorySource({ lib: { '1.0.0': { foo: '^2.0.0' } }, foo: { '1.0.0': {}, '2.0.0': {} } });
  // A manifest is a map, so the two requirements meet through a dependency.
  await assert.rejects(resolve({ root: { dependencies: { foo: '^1.0.0', lib: '^1.0.0' } }, source: lib }), (error: ResolutionError) => {
    assert.equal(
      error.explanation,
      [
        'Because every version of lib depends on foo ^2.0.0 and root depends on foo ^1.0.0, every version of lib is forbidden.',
        'So, because root depends on lib ^1.0.0, version solving failed.',
      ].join('\n'),
    );
    return true;
  });
  assert.equal((await resolve({ root: { dependencies: { foo: '^1.0.0' } }, source })).packages[0]!.version, '1.0.0');
});

test('a very long explanation keeps its causes and conclusion, and says how much it left out', async () => {
  // p0 → p1 → … → p399 → z ^2.0.0, while root wants z ^1.0.0: one step of the proof per package.
  const packages: Record<string, Record<string, Record<string, string>>> = { z: { '1.0.0': {}, '2.0.0': {} } };
  const length = 400;
  for (let i = 0; i < length; i++) packages[`p${i}`] = { '1.0.0': i + 1 < length ? { [`p${i + 1}`]: '^1.0.0' } : { z: '^2.0.0' } };
  const text = await failure({ p0: '^1.0.0', z: '^1.0.0' }, packages satisfies RegistrySpec);
  const lines = text.split('\n');
  assert.ok(lines.length <= EXPLAIN_MAX_LINES, `${lines.length} lines`);
  assert.ok(lines.every((line) => line.length <= EXPLAIN_MAX_LINE_CHARS + 40));
  assert.match(text, /… \d+ more lines|not shown/);
  assert.match(lines.at(-1)!, /version solving failed\.$/);
});
