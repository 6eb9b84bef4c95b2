/**
 * list, tree, why, outdated and unpublish through the real executable against a real registry
 * whose clock the test moves (for the deletion window).
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { call, PASSWORD, publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;
let token: string;
let username: string;
let app: string;
let now = new Date('2026-06-01T12:00:00Z');

async function pub(name: string, version: string, dependencies: Record<string, string> = {}) {
  // Cached package documents are keyed by the time of the last change: the clock moves on.
  now = new Date(now.getTime() + 1000);
  const res = await publish(registry.api, token, { name, version, description: `${name} package`, dependencies });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

before(async () => {
  registry = await startRegistry({}, { now: () => now });
  ({ token, username } = await signUp(registry.api));
  await pub('log', '1.0.0');
  await pub('log', '2.0.0');
  await pub('util', '1.0.0', { log: '^1.0.0' });
  await pub('web', '1.0.0', { util: '^1.0.0', log: '^1.0.0' });
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
  app = await box.project('app', { name: 'app', version: '1.0.0', dependencies: { web: '^1.0.0', log: '~1.0.0' } });
  const res = await box.run(['pkg', 'install'], { cwd: app });
  assert.equal(res.code, 0, res.stderr);
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('list, tree and why', () => {
  test('list shows the direct dependencies; tree the whole graph, --depth limits it', async () => {
    const list = await box.run(['pkg', 'list'], { cwd: app });
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout, 'app 1.0.0\n├── log 1.0.0\n└── web 1.0.0\n');
    const tree = await box.run(['pkg', 'tree'], { cwd: app });
    assert.equal(tree.stdout, 'app 1.0.0\n├── log 1.0.0\n└── web 1.0.0\n    ├── log 1.0.0\n    └── util 1.0.0\n        └── log 1.0.0\n');
    const one = await box.run(['pkg', 'tree', '--depth', '1'], { cwd: app });
    assert.equal(one.stdout, 'app 1.0.0\n├── log 1.0.0\n└── web 1.0.0\n    ├── log 1.0.0\n    └── util 1.0.0\n');
    const json = JSON.parse((await box.run(['pkg', 'list', '--json'], { cwd: app })).stdout);
    assert.deepEqual(
      json.dependencies.map((d: { name: string; version: string; wanted: string }) => [d.name, d.version, d.wanted]),
      [
        ['log', '1.0.0', '~1.0.0'],
        ['web', '1.0.0', '^1.0.0'],
      ],
    );
    const bad = await box.run(['pkg', 'tree', '--depth', 'deep'], { cwd: app });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--depth takes a number/);
  });

  test('why NAME gives every path to it, shortest first; a package not installed says so', async () => {
    const why = await box.run(['pkg', 'why', 'log'], { cwd: app });
    assert.equal(why.code, 0, why.stderr);
    assert.equal(
      why.stdout,
      'log 1.0.0 is needed by:\n  app (synapse.json asks for log ~1.0.0)\n  app → web 1.0.0\n  app → web 1.0.0 → util 1.0.0\n',
    );
    const missing = await box.run(['pkg', 'why', 'nothing'], { cwd: app });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nothing is not in synapse\.lock/);
  });
});

describe('outdated', () => {
  test('a table of current, wanted and latest; --exit-code makes it fail CI', async () => {
    const fresh = await box.run(['pkg', 'outdated', '--exit-code'], { cwd: app });
    assert.equal(fresh.code, 1, 'log 2.0.0 is out of the range but newer');
    await pub('log', '1.0.1');
    const res = await box.run(['pkg', 'outdated'], { cwd: app });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'Package  Current  Wanted  Latest  Range\nlog      1.0.0    1.0.1   2.0.0   ~1.0.0\n');
    const ci = await box.run(['pkg', 'outdated', '--exit-code', '--json'], { cwd: app });
    assert.equal(ci.code, 1);
    assert.deepEqual(JSON.parse(ci.stdout).outdated, [
      { name: 'log', range: '~1.0.0', current: '1.0.0', wanted: '1.0.1', latest: '2.0.0' },
    ]);

    const current = await box.project('current', { name: 'current', version: '1.0.0', dependencies: { web: '^1.0.0' } });
    assert.equal((await box.run(['pkg', 'install'], { cwd: current })).code, 0);
    const none = await box.run(['pkg', 'outdated', '--exit-code'], { cwd: current });
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, 'The dependency is up to date\n');
  });
});

describe('unpublish', () => {
  test('deletes within the window; past it the registry refuses and the client says to yank instead', async () => {
    await pub('scratch', '1.0.0');
    const noLogin = await box.run(['pkg', 'unpublish', 'scratch@1.0.0', '--yes']);
    assert.equal(noLogin.code, 1);
    assert.match(noLogin.stderr, /not logged in/);
    assert.equal((await box.run(['pkg', 'login', '-u', username, '--password-stdin'], { input: `${PASSWORD}\n` })).code, 0);
    const unconfirmed = await box.run(['pkg', 'unpublish', 'scratch@1.0.0']);
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.stderr, /pass --yes/);
    const range = await box.run(['pkg', 'unpublish', 'scratch@^1.0.0', '--yes']);
    assert.match(range.stderr, /unpublish takes NAME@VERSION with an exact version/);

    const res = await box.run(['pkg', 'unpublish', 'scratch@1.0.0', '--yes']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'Deleted scratch@1.0.0; the version number 1.0.0 stays reserved\n');
    assert.equal((await call(`${registry.api}/packages/scratch/1.0.0`)).status, 404);

    now = new Date(now.getTime() + 100 * 3600_000);
    const late = await box.run(['pkg', 'unpublish', 'log@1.0.0', '--yes']);
    assert.equal(late.code, 1);
    assert.match(late.stderr, /^error: The registry refused to delete log@1\.0\.0: .+/m);
    assert.match(late.stderr, /Yank it instead: synapse pkg yank log@1\.0\.0/);
    assert.equal(late.stderr.match(/error:/g)?.length, 1, 'printed once');
  });
});
