/**
 * Project discovery through the real executable: every project command finds synapse.json in the
 * nearest folder at or above where it runs; outside a project the message says so and suggests
 * init only in an empty folder; a broken synapse.json is located by line and column.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;

before(async () => {
  registry = await startRegistry();
  const { token } = await signUp(registry.api);
  const res = await publish(registry.api, token, { name: 'log', version: '1.0.0', description: 'log package' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('project discovery', () => {
  test('add, install and pack run from a folder deep inside the project', async () => {
    const app = await box.project('app', { name: 'app', version: '1.0.0', dependencies: {} });
    const deep = join(app, 'src', 'deep');
    await mkdir(deep, { recursive: true });
    const added = await box.run(['pkg', 'add', 'log'], { cwd: deep });
    assert.equal(added.code, 0, added.stderr);
    assert.ok(await exists(join(app, 'synapse.lock')));
    assert.ok(await exists(join(app, 'synapse_modules', 'log', 'synapse.json')));
    assert.deepEqual(await readdir(deep), []);
    const again = await box.run(['pkg', 'install'], { cwd: deep });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Already up to date/);
    const packed = await box.run(['pkg', 'pack'], { cwd: deep });
    assert.equal(packed.code, 0, packed.stderr);
    assert.match(packed.stdout, /Wrote \.\.\/\.\.\/app-1\.0\.0\.tgz/);
    assert.ok(await exists(join(app, 'app-1.0.0.tgz')));
  });

  test('outside any project: says so, and suggests init only in an empty folder', async () => {
    const empty = await box.project('empty');
    const inEmpty = await box.run(['pkg', 'install'], { cwd: empty });
    assert.equal(inEmpty.code, 1);
    assert.match(inEmpty.stderr, /^error: Not in a Synapse project: no synapse\.json in .*empty or any folder above it$/m);
    assert.match(inEmpty.stderr, /synapse pkg init/);

    const busy = await box.project('busy');
    await writeFile(join(busy, 'notes.txt'), 'hello');
    const inBusy = await box.run(['pkg', 'add', 'log'], { cwd: busy });
    assert.equal(inBusy.code, 1);
    assert.match(inBusy.stderr, /Not in a Synapse project/);
    assert.doesNotMatch(inBusy.stderr, /init/);
    const json = await box.run(['pkg', 'install', '--json'], { cwd: busy });
    assert.equal(JSON.parse(json.stdout).error.code, 'manifest_missing');
  });

  test('a broken synapse.json is named with its line and column, from a subfolder too', async () => {
    const broken = await box.project('broken');
    await writeFile(join(broken, 'synapse.json'), '{\n  "name": "broken",\n  "version": "1.0.0",,\n}\n');
    await mkdir(join(broken, 'sub'));
    const res = await box.run(['pkg', 'install'], { cwd: join(broken, 'sub') });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /broken\/synapse\.json:3:22 is not valid JSON/);
    const json = await box.run(['pkg', 'install', '--json'], { cwd: broken });
    assert.deepEqual(JSON.parse(json.stdout).error.data, { line: 3, column: 22 });
  });
});
