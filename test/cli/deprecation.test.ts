/**
 * Deprecation and yanks as a user of the real `synapse` executable meets them: deprecate and
 * undeprecate, the warnings of install, add and info (naming the replacement), and a version kept
 * from synapse.lock after it was yanked.
 */
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { call, publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;
let token: string;
let username: string;

async function pub(name: string, version: string) {
  const res = await publish(registry.api, token, { name, version, description: `${name} package` });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** Yanks straight in the database (the yank route is not what this file tests), moving the cache key as a change must. */
async function yankInDb(name: string, version: string, reason: string) {
  const db = registry.registry.deps.db.kysely;
  const pkg = await db.selectFrom('packages').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  const at = new Date().toISOString();
  await db
    .updateTable('versions')
    .set({ yanked_at: at, yank_reason: reason, yanked_by: username })
    .where('package_id', '=', pkg.id)
    .where('version', '=', version)
    .execute();
  await db.updateTable('packages').set({ updated_at: at }).where('id', '=', pkg.id).execute();
}

const warningsOf = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('warning: '));

before(async () => {
  registry = await startRegistry();
  ({ token, username } = await signUp(registry.api));
  for (const [name, version] of [
    ['oldlib', '1.0.0'],
    ['oldlib', '1.1.0'],
    ['newlib', '1.0.0'],
    ['pinned', '1.0.0'],
    ['pinned', '1.1.0'],
    ['plain', '1.0.0'],
  ]) {
    await pub(name!, version!);
  }
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('synapse pkg deprecate / undeprecate', () => {
  test('deprecates a package and a version, and refuses a bad reason or an unknown replacement', async () => {
    const env = { SYNAPSE_TOKEN: token };
    const pkg = await box.run(
      ['pkg', 'deprecate', 'oldlib', '--reason', 'renamed', '--replacement', 'newlib', '--message', 'Moved to newlib'],
      { env },
    );
    assert.equal(pkg.code, 0, pkg.stderr);
    assert.equal(pkg.stdout.trim(), 'Deprecated: oldlib is deprecated (renamed): Moved to newlib; use newlib instead');
    const version = await box.run(['pkg', 'deprecate', 'oldlib@1.0.0', '--reason', 'security', '--json'], { env });
    assert.equal(version.code, 0, version.stderr);
    assert.equal(JSON.parse(version.stdout).deprecation.reason, 'security');
    const shown = await call(`${registry.api}/packages/oldlib`);
    assert.equal(shown.body.deprecation.replacement, 'newlib');
    assert.equal(shown.body.versions.find((v: { version: string }) => v.version === '1.0.0').deprecation.reason, 'security');

    const badReason = await box.run(['pkg', 'deprecate', 'plain', '--reason', 'obsolete'], { env });
    assert.equal(badReason.code, 1);
    assert.match(badReason.stderr, /--reason is required: one of deprecated, renamed, security, invalid, other/);
    const ghost = await box.run(['pkg', 'deprecate', 'plain', '--reason', 'renamed', '--replacement', 'no-such-lib'], { env });
    assert.equal(ghost.code, 1);
    assert.match(ghost.stderr, /no package named no-such-lib/);
    const anonymous = await box.run(['pkg', 'deprecate', 'plain', '--reason', 'other']);
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.stderr, /not logged in/);
    assert.equal((await call(`${registry.api}/packages/plain`)).body.deprecation, null);
  });

  test('install warns on stderr for the package and the version, and --json carries the warnings', async () => {
    const app = await box.project('app-install', { name: 'app', version: '1.0.0', dependencies: { oldlib: '1.0.0', plain: '^1.0.0' } });
    const res = await box.run(['pkg', 'install'], { cwd: app });
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(warningsOf(res.stderr), [
      'warning: oldlib is deprecated (renamed): Moved to newlib; use newlib instead',
      'warning: oldlib@1.0.0 is deprecated (security)',
    ]);
    assert.match(res.stdout, /\+ oldlib 1\.0\.0/);

    await rm(join(app, 'synapse_modules'), { recursive: true });
    const json = await box.run(['pkg', 'install', '--json'], { cwd: app });
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(warningsOf(json.stderr), [], '--json prints nothing but the JSON');
    const { warnings } = JSON.parse(json.stdout);
    assert.deepEqual(
      warnings.map((w: Record<string, unknown>) => [
        w.kind,
        w.name,
        w.version,
        w.scope,
        w.reason,
        w.message,
        w.replacement,
        w.from_lockfile,
      ]),
      [
        ['deprecated', 'oldlib', '1.0.0', 'package', 'renamed', 'Moved to newlib', 'newlib', false],
        ['deprecated', 'oldlib', '1.0.0', 'version', 'security', null, null, false],
      ],
    );
  });

  test('add warns, naming the replacement', async () => {
    const app = await box.project('app-add', { name: 'app', version: '1.0.0' });
    const res = await box.run(['pkg', 'add', 'oldlib'], { cwd: app });
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(warningsOf(res.stderr), ['warning: oldlib is deprecated (renamed): Moved to newlib; use newlib instead']);
    assert.match(await readFile(join(app, 'synapse.json'), 'utf8'), /"oldlib": "\^1\.1\.0"/);
  });

  test('info shows the deprecation of the package and of a version', async () => {
    const res = await box.run(['pkg', 'info', 'oldlib']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^warning: oldlib is deprecated \(renamed\): Moved to newlib; use newlib instead$/m);
    const version = await box.run(['pkg', 'info', 'oldlib@1.0.0', '--json']);
    assert.equal(version.code, 0, version.stderr);
    assert.deepEqual(JSON.parse(version.stdout).warnings, [
      'oldlib is deprecated (renamed): Moved to newlib; use newlib instead',
      'oldlib@1.0.0 is deprecated (security)',
    ]);
  });

  test('undeprecate removes it, and installs stop warning', async () => {
    const env = { SYNAPSE_TOKEN: token };
    for (const spec of ['oldlib', 'oldlib@1.0.0']) {
      const res = await box.run(['pkg', 'undeprecate', spec], { env });
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stdout.trim(), `${spec} is no longer deprecated`);
    }
    const again = await box.run(['pkg', 'undeprecate', 'oldlib'], { env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /oldlib is not deprecated, so there is nothing to undo/);
    const app = await box.project('app-clean', { name: 'app', version: '1.0.0', dependencies: { oldlib: '1.0.0' } });
    const res = await box.run(['pkg', 'install'], { cwd: app });
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(warningsOf(res.stderr), []);
  });

  test('registry text in a warning cannot drive the terminal or forge lines', async () => {
    const db = registry.registry.deps.db.kysely;
    // Written past the API's checks, as a hostile registry could send it.
    await db
      .updateTable('packages')
      .set({
        deprecation_reason: 'other\u001b[2J',
        deprecation_message: 'red \u001b[31malert\u001b[0m\nwarning: forged \u202eline',
        deprecated_at: new Date().toISOString(),
        deprecated_by: username,
        updated_at: new Date().toISOString(),
      })
      .where('name', '=', 'plain')
      .execute();
    const app = await box.project('app-hostile', { name: 'app', version: '1.0.0', dependencies: { plain: '^1.0.0' } });
    const res = await box.run(['pkg', 'install'], { cwd: app });
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(warningsOf(res.stderr), ['warning: plain is deprecated (other[2J): red [31malert[0m warning: forged line']);
    const info = await box.run(['pkg', 'info', 'plain']);
    assert.doesNotMatch(info.stdout, /[\u001b\u202e]/);
    assert.match(info.stdout, /^warning: plain is deprecated \(other\[2J\): red \[31malert\[0m warning: forged line$/m);
  });
});

describe('a version kept from synapse.lock after it was yanked', () => {
  test('installs with a warning that says how to move off it; a fresh resolution avoids it', async () => {
    const app = await box.project('app-locked', { name: 'app', version: '1.0.0', dependencies: { pinned: '^1.0.0' } });
    const first = await box.run(['pkg', 'install'], { cwd: app });
    assert.equal(first.code, 0, first.stderr);
    assert.match(await readFile(join(app, 'synapse.lock'), 'utf8'), /^package pinned 1\.1\.0$/m);

    await yankInDb('pinned', '1.1.0', 'broken build');
    const copy = await box.project('app-locked-copy', { name: 'app', version: '1.0.0', dependencies: { pinned: '^1.0.0' } });
    await writeFile(join(copy, 'synapse.lock'), await readFile(join(app, 'synapse.lock')));
    const res = await box.run(['pkg', 'install'], { cwd: copy });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /\+ pinned 1\.1\.0/);
    assert.deepEqual(warningsOf(res.stderr), [
      'warning: pinned@1.1.0 from synapse.lock is yanked: broken build; run synapse pkg update pinned to move off it',
    ]);
    const json = JSON.parse((await box.run(['pkg', 'install', '--json'], { cwd: await relocked(app) })).stdout);
    assert.deepEqual(
      json.warnings.map((w: { kind: string; from_lockfile: boolean; reason: string }) => [w.kind, w.from_lockfile, w.reason]),
      [['yanked', true, 'broken build']],
    );

    // Offline, the warning comes from the document the last install cached.
    const offline = await box.project('app-locked-offline', { name: 'app', version: '1.0.0', dependencies: { pinned: '^1.0.0' } });
    await writeFile(join(offline, 'synapse.lock'), await readFile(join(app, 'synapse.lock')));
    const cached = await box.run(['pkg', 'install', '--offline'], { cwd: offline });
    assert.equal(cached.code, 0, cached.stderr);
    assert.deepEqual(warningsOf(cached.stderr), warningsOf(res.stderr));

    const fresh = await box.project('app-fresh', { name: 'app', version: '1.0.0', dependencies: { pinned: '^1.0.0' } });
    const resolved = await box.run(['pkg', 'install'], { cwd: fresh });
    assert.equal(resolved.code, 0, resolved.stderr);
    assert.match(resolved.stdout, /\+ pinned 1\.0\.0/);
    assert.deepEqual(warningsOf(resolved.stderr), []);
  });
});

/** The project with its synapse_modules removed, so the next install places everything again. */
async function relocked(dir: string): Promise<string> {
  await rm(join(dir, 'synapse_modules'), { recursive: true, force: true });
  return dir;
}
