/**
 * `synapse pkg install` with nothing to do answers from a quick check (synapse.json, synapse.lock
 * and the installed folders against what the last install recorded) before the installer loads.
 * These tests run the real executable against a real registry behind TCP proxies that count
 * connections, and check both sides: the quick answer when nothing changed, and a real install
 * whenever something did.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { listTree, sandbox, type Sandbox } from './cli.ts';

const QUICK = /as the last install left them \(quick check\)/;

let registry: TestRegistry;
let proxy: TcpProxy;
/** The same registry under another origin: to the client, a different registry. */
let other: TcpProxy;
let box: Sandbox;
let token: string;

async function pub(name: string, version: string, dependencies: Record<string, string> = {}) {
  const res = await publish(registry.api, token, { name, version, description: `${name} package`, dependencies });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

before(async () => {
  registry = await startRegistry();
  const port = Number(new URL(registry.url).port);
  proxy = await startTcpProxy({ host: '127.0.0.1', port });
  other = await startTcpProxy({ host: '127.0.0.1', port });
  ({ token } = await signUp(registry.api));
  await pub('log', '1.0.0');
  await pub('util', '1.0.0', { log: '^1.0.0' });
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = `http://127.0.0.1:${proxy.port}`;
});

after(async () => {
  await proxy.close();
  await other.close();
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

/** A project with util (and so log) installed; each test gets its own. */
async function installedProject(name: string): Promise<string> {
  const dir = await box.project(name, { name, version: '1.0.0', dependencies: { util: '^1.0.0' } });
  const res = await box.run(['pkg', 'install'], { cwd: dir });
  assert.equal(res.code, 0, res.stderr);
  return dir;
}

/** `pkg install -v`; quick says whether the quick check answered. */
async function install(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  const res = await box.run(['pkg', 'install', '-v', ...args], { cwd: dir, env });
  return { ...res, quick: QUICK.test(res.stderr) };
}

describe('a no-op install', () => {
  test('answers from the quick check without contacting the registry, as the full check would', async () => {
    const dir = await installedProject('quiet');
    const seen = proxy.accepted;
    const text = await install(dir);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.quick, text.stderr);
    assert.match(text.stdout, /^Already up to date: 2 packages, nothing to do \(\d+\.\d\d s\)\n$/);
    const json = await install(dir, ['--json']);
    assert.ok(json.quick);
    const summary = JSON.parse(json.stdout);
    assert.equal(summary.up_to_date, true);
    assert.equal(summary.packages, 2);
    // `synapse pkg install` from a sub-folder finds the project the same way.
    await mkdir(join(dir, 'src'), { recursive: true });
    assert.ok((await install(join(dir, 'src'))).quick);
    assert.equal(proxy.accepted, seen, 'the registry was contacted');

    // The full check's answer, for comparison: an edit that leaves the dependencies alone sends the
    // next run through it once; it finds nothing to do and says so in the same words.
    const manifest = JSON.parse(await readFile(join(dir, 'synapse.json'), 'utf8'));
    await writeFile(join(dir, 'synapse.json'), JSON.stringify({ ...manifest, description: 'now described' }, null, 2));
    const full = await install(dir, ['--json']);
    assert.equal(full.code, 0, full.stderr);
    assert.equal(full.quick, false);
    assert.deepEqual({ ...JSON.parse(full.stdout), time_ms: 0 }, { ...summary, time_ms: 0 });
    assert.ok((await install(dir)).quick, 'the full check recorded the new synapse.json');
    assert.equal(proxy.accepted, seen, 'the registry was contacted');
  });

  test('a deleted package folder is installed again', async () => {
    const dir = await installedProject('deleted-folder');
    await rm(join(dir, 'synapse_modules', 'log'), { recursive: true });
    const res = await install(dir);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.quick, false);
    assert.deepEqual(await listTree(join(dir, 'synapse_modules', 'log')), ['README.md', 'src/main.syn', 'synapse.json']);
    assert.ok((await install(dir)).quick, 'the next run is quick again');
  });

  test('a file deleted, added or renamed inside a package folder is put right', async () => {
    const dir = await installedProject('changed-files');
    const log = join(dir, 'synapse_modules', 'log');
    const util = join(dir, 'synapse_modules', 'util');
    await rm(join(log, 'src', 'main.syn'));
    await writeFile(join(util, 'notes.txt'), 'mine\n');
    const res = await install(dir);
    assert.equal(res.quick, false);
    assert.deepEqual(await listTree(log), ['README.md', 'src/main.syn', 'synapse.json']);
    assert.deepEqual(await listTree(util), ['README.md', 'src/main.syn', 'synapse.json']);

    await cp(join(util, 'README.md'), join(util, 'src', 'README.md'));
    await rm(join(util, 'README.md'));
    assert.equal((await install(dir)).quick, false);
    assert.deepEqual(await listTree(util), ['README.md', 'src/main.syn', 'synapse.json']);
  });

  test('a package folder replaced by a copy is linked from the store again', async () => {
    const dir = await installedProject('replaced-folder');
    const log = join(dir, 'synapse_modules', 'log');
    await cp(log, `${log}.copy`, { recursive: true });
    await rm(log, { recursive: true });
    await cp(`${log}.copy`, log, { recursive: true });
    await rm(`${log}.copy`, { recursive: true });
    assert.equal((await stat(join(log, 'synapse.json'))).nlink, 1);
    const res = await install(dir);
    assert.equal(res.quick, false);
    assert.ok((await stat(join(log, 'synapse.json'))).nlink >= 2, 'not a hard link to the store');
  });

  test('a new synapse.lock (pulled from a teammate) is installed', async () => {
    const dir = await installedProject('new-lock');
    // The teammate's copy of the project moves util to 1.1.0 and commits the lockfile.
    await pub('util', '1.1.0', { log: '^1.0.0' });
    const mate = join(box.root, 'new-lock-mate');
    await cp(dir, mate, { recursive: true, filter: (path) => !path.includes('synapse_modules') });
    assert.equal((await box.run(['pkg', 'update'], { cwd: mate })).code, 0);
    await cp(join(mate, 'synapse.lock'), join(dir, 'synapse.lock'));
    const res = await install(dir);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.quick, false);
    assert.match(res.stdout, /~ util 1\.0\.0 → 1\.1\.0/);
    const installed = JSON.parse(await readFile(join(dir, 'synapse_modules', 'util', 'synapse.json'), 'utf8'));
    assert.equal(installed.version, '1.1.0');
  });

  test('a deleted synapse.lock is written again', async () => {
    const dir = await installedProject('deleted-lock');
    const lock = await readFile(join(dir, 'synapse.lock'), 'utf8');
    await rm(join(dir, 'synapse.lock'));
    const res = await install(dir);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.quick, false);
    assert.equal(await readFile(join(dir, 'synapse.lock'), 'utf8'), lock);
  });

  test('dependencies changed in synapse.json are installed', async () => {
    const dir = await installedProject('new-dependency');
    await pub('fmt', '1.0.0');
    const manifest = JSON.parse(await readFile(join(dir, 'synapse.json'), 'utf8'));
    await writeFile(
      join(dir, 'synapse.json'),
      JSON.stringify({ ...manifest, dependencies: { ...manifest.dependencies, fmt: '^1.0.0' } }, null, 2),
    );
    const res = await install(dir);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.quick, false);
    assert.match(res.stdout, /\+ fmt 1\.0\.0/);
    assert.match(await readFile(join(dir, 'synapse.lock'), 'utf8'), /^root fmt \^1\.0\.0$/m);
  });

  test('another registry (variable, flag or synapse.json) is asked, not skipped', async () => {
    const dir = await installedProject('other-registry');
    const otherUrl = `http://127.0.0.1:${other.port}`;
    const before = other.accepted;
    const viaEnv = await install(dir, [], { SYNAPSE_REGISTRY: otherUrl });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.equal(viaEnv.quick, false);
    assert.ok(other.accepted > before, 'the other registry was not contacted');
    // Now recorded for that registry: quick there, full again for the first one.
    assert.ok((await install(dir, ['--registry', otherUrl], { SYNAPSE_REGISTRY: '' })).quick);
    assert.equal((await install(dir)).quick, false);
    const manifest = JSON.parse(await readFile(join(dir, 'synapse.json'), 'utf8'));
    await writeFile(join(dir, 'synapse.json'), JSON.stringify({ ...manifest, registry: otherUrl }, null, 2));
    assert.equal((await install(dir, [], { SYNAPSE_REGISTRY: '' })).quick, false);
    assert.ok((await install(dir, [], { SYNAPSE_REGISTRY: '' })).quick);
  });

  test('what the full command refuses is still refused', async () => {
    const dir = await installedProject('refusals');
    const timeout = await install(dir, [], { SYNAPSE_TIMEOUT: 'soon' });
    assert.equal(timeout.code, 1);
    assert.match(timeout.stderr, /SYNAPSE_TIMEOUT takes a number of milliseconds/);
    const badFlag = await install(dir, ['--no-such-flag']);
    assert.equal(badFlag.code, 1);
    assert.match(badFlag.stderr, /unknown option '--no-such-flag'/);
    await mkdir(join(box.config, 'synapse'), { recursive: true });
    await writeFile(join(box.config, 'synapse', 'config.json'), '{ not json');
    const badConfig = await install(dir);
    await rm(join(box.config, 'synapse', 'config.json'));
    assert.equal(badConfig.code, 1);
    assert.match(badConfig.stderr, /config\.json is not valid JSON/);
    const manifest = JSON.parse(await readFile(join(dir, 'synapse.json'), 'utf8'));
    await writeFile(join(dir, 'synapse.json'), JSON.stringify({ ...manifest, version: 'one' }, null, 2));
    const badManifest = await install(dir);
    assert.equal(badManifest.code, 1);
    assert.match(badManifest.stderr, /synapse\.json is invalid/);
  });
});
