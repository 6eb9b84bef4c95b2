import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memorySource } from '../../core/src/resolver/memory-source.ts';
import { deprecationText, lifecycleWarnings, warningsFor } from './lifecycle-warnings.ts';
import type { PackageSource } from '../../core/src/resolver/source.ts';

test('a deprecation reads as one line naming the reason, the message and the replacement', () => {
  assert.equal(
    deprecationText('foo@1.2.0', { reason: 'renamed', message: null, replacement: 'bar' }),
    'foo@1.2.0 is deprecated (renamed): use bar instead',
  );
  assert.equal(
    deprecationText('foo', { reason: 'security', message: 'CVE-1\n  upgrade', replacement: null }),
    'foo is deprecated (security): CVE-1 upgrade',
  );
  assert.equal(deprecationText('foo', { reason: 'other\u001b[2J', message: null, replacement: null }), 'foo is deprecated (other[2J)');
});

test('a yanked version warns differently when synapse.lock kept it', () => {
  const info = { name: 'foo', versions: [{ version: '1.1.0', dependencies: {}, yanked: true, yankReason: 'broken' }] };
  assert.equal(
    warningsFor(info, { name: 'foo', version: '1.1.0' }, true)[0]!.text,
    'foo@1.1.0 from synapse.lock is yanked: broken; run synapse pkg update foo to move off it',
  );
  assert.match(
    warningsFor(info, { name: 'foo', version: '1.1.0' }, false)[0]!.text,
    /^foo@1\.1\.0 is yanked: broken; it was chosen because synapse\.json asks for exactly this version$/,
  );
  assert.deepEqual(warningsFor(info, { name: 'foo', version: '9.9.9' }, true), []);
});

test('warnings never fail: a source that throws gives none, and a failing registry is asked only once or so', async () => {
  let calls = 0;
  const failing: PackageSource = {
    async getPackage() {
      calls += 1;
      throw Object.assign(new Error('down'), { code: 'registry_unreachable' });
    },
  };
  const packages = Array.from({ length: 50 }, (_, i) => ({ name: `p${i}`, version: '1.0.0' }));
  assert.deepEqual(await lifecycleWarnings(failing, packages, new Set()), []);
  assert.ok(calls <= 8, `${calls} calls`);
  const source = memorySource({ a: { '1.0.0': {} } }, { yanked: ['a@1.0.0'] });
  const found = await lifecycleWarnings(source, [{ name: 'a', version: '1.0.0' }], new Set(['a@1.0.0']));
  assert.deepEqual(
    found.map((w) => [w.kind, w.from_lockfile, w.reason]),
    [['yanked', true, null]],
  );
});
