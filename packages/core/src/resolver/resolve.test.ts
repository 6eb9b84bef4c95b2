import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memorySource, type MemorySourceOptions, type RegistrySpec } from './memory-source.ts';
import { resolve, ResolutionError } from './resolve.ts';

async function picked(
  dependencies: Record<string, string>,
  spec: RegistrySpec,
  extra: { locked?: Record<string, string>; update?: string[]; source?: MemorySourceOptions } = {},
): Promise<string> {
  const { packages } = await resolve({
    root: { dependencies },
    source: memorySource(spec, extra.source),
    ...(extra.locked ? { locked: extra.locked } : {}),
    ...(extra.update ? { update: extra.update } : {}),
  });
  return packages.map((p) => `${p.name}@${p.version}`).join(' ');
}

test('the highest compatible version wins', async () => {
  assert.equal(await picked({ foo: '^1.0.0' }, { foo: { '1.0.0': {}, '1.4.2': {}, '2.0.0': {}, '1.5.0-beta.1': {} } }), 'foo@1.4.2');
});

test('cycles: A and B depend on each other, and a package may depend on itself', async () => {
  const cycle = { a: { '1.0.0': { b: '^1.0.0' } }, b: { '1.0.0': { a: '^1.0.0' }, '1.1.0': { a: '^2.0.0' } } };
  assert.equal(await picked({ a: '*' }, cycle), 'a@1.0.0 b@1.0.0');
  const self = { a: { '1.0.0': { a: '^1.0.0' }, '1.1.0': { a: '^2.0.0' } } };
  assert.equal(await picked({ a: '*' }, self), 'a@1.0.0');
  await assert.rejects(resolve({ root: { dependencies: { a: '1.1.0' } }, source: memorySource(self) }), ResolutionError);
});

test('diamonds: a shared dependency meets both ranges, or the solver backs off one side', async () => {
  const compatible = {
    left: { '1.0.0': { base: '>=1.1.0' } },
    right: { '1.0.0': { base: '<1.3.0' } },
    base: { '1.0.0': {}, '1.1.0': {}, '1.2.0': {}, '1.3.0': {} },
  };
  assert.equal(await picked({ left: '*', right: '*' }, compatible), 'base@1.2.0 left@1.0.0 right@1.0.0');
  const incompatible = {
    left: { '1.0.0': { base: '^1.0.0' }, '2.0.0': { base: '^2.0.0' } },
    right: { '1.0.0': { base: '^1.0.0' } },
    base: { '1.0.0': {}, '2.0.0': {} },
  };
  assert.equal(await picked({ left: '*', right: '*' }, incompatible), 'base@1.0.0 left@1.0.0 right@1.0.0');
  await assert.rejects(
    resolve({ root: { dependencies: { left: '^2.0.0', right: '*' } }, source: memorySource(incompatible) }),
    /version solving failed/,
  );
});

test('ranges with holes skip the excluded versions', async () => {
  assert.equal(
    await picked(
      { foo: '<1.2.0 || >=1.4.0 <2.0.0', bar: '*' },
      { foo: { '1.1.0': {}, '1.3.0': {}, '1.4.1': {} }, bar: { '1.0.0': { foo: '<1.4.0' } } },
    ),
    'bar@1.0.0 foo@1.1.0',
  );
});

test('prereleases are chosen only when a range names one', async () => {
  const spec = { foo: { '1.0.0': {}, '1.1.0-beta.1': {} } };
  assert.equal(await picked({ foo: '^1.0.0' }, spec), 'foo@1.0.0');
  assert.equal(await picked({ foo: '^1.1.0-beta.0' }, spec), 'foo@1.1.0-beta.1');
});

test('yanked versions: skipped by new resolutions, kept when locked, chosen by an exact pin', async () => {
  const spec = { foo: { '1.0.0': {}, '1.1.0': {} }, app: { '1.0.0': { foo: '^1.0.0' } } };
  const source = { yanked: ['foo@1.1.0'] };
  assert.equal(await picked({ foo: '^1.0.0' }, spec, { source }), 'foo@1.0.0');
  assert.equal(await picked({ app: '*' }, spec, { source }), 'app@1.0.0 foo@1.0.0');
  assert.equal(await picked({ foo: '^1.0.0' }, spec, { source, locked: { foo: '1.1.0' } }), 'foo@1.1.0');
  assert.equal(await picked({ foo: '=1.1.0' }, spec, { source }), 'foo@1.1.0');
  const { packages } = await resolve({ root: { dependencies: { foo: '1.1.0' } }, source: memorySource(spec, source) });
  assert.equal(packages[0]!.yanked, true);
  // Updating the package lets it leave the yanked version.
  assert.equal(await picked({ foo: '^1.0.0' }, spec, { source, locked: { foo: '1.1.0' }, update: ['foo'] }), 'foo@1.0.0');
});

test('locked versions stay unless a constraint moves them; update moves only what it forces', async () => {
  const spec = {
    web: { '1.0.0': { log: '^1.0.0' }, '1.1.0': { log: '^1.2.0' } },
    log: { '1.0.0': {}, '1.2.0': {}, '1.3.0': {} },
    db: { '2.0.0': {}, '2.5.0': {} },
  };
  const locked = { web: '1.0.0', log: '1.0.0', db: '2.0.0' };
  const deps = { web: '^1.0.0', db: '^2.0.0' };
  assert.equal(await picked(deps, spec, { locked }), 'db@2.0.0 log@1.0.0 web@1.0.0');
  // web moves to 1.1.0, which forces log up to ^1.2.0; db stays although 2.5.0 exists.
  assert.equal(await picked(deps, spec, { locked, update: ['web'] }), 'db@2.0.0 log@1.3.0 web@1.1.0');
  // A manifest change forces log off its locked version; nothing else moves.
  assert.equal(await picked({ ...deps, log: '>=1.2.0' }, spec, { locked }), 'db@2.0.0 log@1.3.0 web@1.0.0');
});

test('resolved entries carry tarball, integrity and the chosen versions of their dependencies', async () => {
  const { packages } = await resolve({
    root: { dependencies: { web: '^1.0.0' } },
    source: memorySource({ web: { '1.0.0': { log: '^1.0.0' } }, log: { '1.0.0': {} } }),
  });
  const web = packages.find((p) => p.name === 'web')!;
  assert.deepEqual(web.dependencies, { log: '1.0.0' });
  assert.match(web.integrity ?? '', /^sha512-[A-Za-z0-9+/]+=*$/);
  assert.match(web.tarball ?? '', /\/web\/1\.0\.0\/tarball$/);
});

test('a root range the resolver cannot represent is refused at once, never looped on', async () => {
  for (const range of ['banana', '1.x.x.x', '^^1.x.banana']) {
    await assert.rejects(
      resolve({ root: { dependencies: { foo: range } }, source: memorySource({ foo: { '1.0.0': {} } }) }),
      (error: Error & { code?: string }) => error.code === 'invalid_range' && error.message.includes(range),
    );
  }
});

test('a registry version whose dependency range cannot be parsed is skipped, not used', async () => {
  const spec = { foo: { '1.0.0': {}, '1.1.0': { bar: 'banana' } }, bar: { '1.0.0': {} } };
  assert.equal(await picked({ foo: '^1.0.0' }, spec), 'foo@1.0.0');
});

test('the work budget turns a runaway resolution into a clear error', async () => {
  const spec: Record<string, Record<string, Record<string, string>>> = {};
  for (let i = 0; i < 30; i++) spec[`p${i}`] = { '1.0.0': i < 29 ? { [`p${i + 1}`]: '^1.0.0' } : {} };
  await assert.rejects(
    resolve({ root: { dependencies: { p0: '^1.0.0' } }, source: memorySource(spec), maxSteps: 10 }),
    (error: Error & { code?: string }) => error.code === 'resolution_too_complex' && /gave up after 10 steps/.test(error.message),
  );
  const { packages } = await resolve({ root: { dependencies: { p0: '^1.0.0' } }, source: memorySource(spec) });
  assert.equal(packages.length, 30);
});
