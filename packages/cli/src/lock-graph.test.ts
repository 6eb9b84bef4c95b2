import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lockfile } from '../../core/src/lockfile/format.ts';
import { dependencyTree, drawTree, whyPaths } from './lock-graph.ts';

const pkg = (name: string, version: string, dependencies: Record<string, string> = {}) => ({
  name,
  version,
  tarball: '',
  integrity: '',
  dependencies,
});
const lock: Lockfile = {
  root: { web: '^1.0.0', log: '^1.0.0' },
  packages: [pkg('log', '1.1.0'), pkg('util', '1.0.0', { log: '1.1.0' }), pkg('web', '1.0.0', { util: '1.0.0', log: '1.1.0' })],
};

test('the tree expands each package once and stops at the depth', () => {
  assert.deepEqual(drawTree(dependencyTree(lock, Infinity)), [
    '├── log 1.1.0',
    '└── web 1.0.0',
    '    ├── log 1.1.0',
    '    └── util 1.0.0',
    '        └── log 1.1.0',
  ]);
  assert.deepEqual(drawTree(dependencyTree(lock, 0)), ['├── log 1.1.0', '└── web 1.0.0']);
  const cyclic: Lockfile = { root: { a: '*' }, packages: [pkg('a', '1.0.0', { b: '1.0.0' }), pkg('b', '1.0.0', { a: '1.0.0' })] };
  assert.deepEqual(drawTree(dependencyTree(cyclic, Infinity)), ['└── a 1.0.0', '    └── b 1.0.0', '        └── a 1.0.0 (*)']);
});

test('why lists the shortest paths first and caps them', () => {
  const { paths, truncated } = whyPaths(lock, 'log');
  assert.deepEqual(
    paths.map((p) => p.path.map((s) => s.name).join('>')),
    ['log', 'web>log', 'web>util>log'],
  );
  assert.equal(truncated, false);
  assert.equal(whyPaths(lock, 'log', 1).truncated, true);
  assert.deepEqual(whyPaths(lock, 'nothing').paths, []);
});
