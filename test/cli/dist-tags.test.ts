/**
 * Dist-tags and pre-releases through the real `synapse` executable: publish --tag, dist-tag
 * ls/add/rm, add NAME@TAG and install NAME@TAG, and SemVer's pre-release rules for ranges.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;
let token: string;
const lib = uniqueName('lib');
const pre = uniqueName('pre');

async function pub(name: string, version: string) {
  const res = await publish(registry.api, token, { name, version, description: `${name} ${version}` });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** Publishes NAME@VERSION from a folder with the real client. */
async function cliPublish(name: string, version: string, args: string[] = []) {
  const dir = await box.project(`src-${name}-${version}`, { name, version, description: `${name} ${version}`, license: 'MIT' });
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'src', 'main.syn'), 'fn main() {}\n');
  return box.run(['pkg', 'publish', ...args], { cwd: dir });
}

const manifestOf = async (dir: string) => JSON.parse(await readFile(join(dir, 'synapse.json'), 'utf8'));
const lockOf = (dir: string) => readFile(join(dir, 'synapse.lock'), 'utf8');
let apps = 0;
const app = (dependencies: Record<string, string> = {}) =>
  box.project(`app-${++apps}`, { name: `app${apps}`, version: '1.0.0', dependencies });

before(async () => {
  registry = await startRegistry();
  ({ token } = await signUp(registry.api));
  await pub(lib, '1.0.0');
  await pub(lib, '1.1.0');
  await pub(pre, '0.1.0-alpha.1');
  await pub(pre, '0.1.0-alpha.2');
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
  box.env.SYNAPSE_TOKEN = token;
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('dist-tags through the client', () => {
  test('publish --tag beta tags the pre-release and leaves latest; dist-tag ls shows both', async () => {
    const res = await cliPublish(lib, '2.0.0-beta.1', ['--tag', 'beta']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /with the dist-tag beta/);
    const ls = await box.run(['pkg', 'dist-tag', 'ls', lib]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.equal(ls.stdout.trim(), 'latest: 1.1.0\nbeta: 2.0.0-beta.1');
    const json = JSON.parse((await box.run(['pkg', 'dist-tag', 'ls', lib, '--json'])).stdout);
    assert.deepEqual(json, { name: lib, dist_tags: { latest: '1.1.0', beta: '2.0.0-beta.1' } });
  });

  test('a pre-release published without --tag is not latest, and the client says so', async () => {
    const res = await cliPublish(lib, '2.0.0-beta.2');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /is a pre-release: it does not become latest/);
    assert.equal((await call(`${registry.api}/packages/${lib}`)).body.latest, '1.1.0');
  });

  test('add NAME@beta installs the tagged version exactly and records ^VERSION', async () => {
    const dir = await app();
    const res = await box.run(['pkg', 'add', `${lib}@beta`], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    assert.equal((await manifestOf(dir)).dependencies[lib], '^2.0.0-beta.1');
    // beta.2 exists and satisfies the range, but the tag names beta.1.
    assert.match(await lockOf(dir), new RegExp(`^package ${lib} 2\\.0\\.0-beta\\.1$`, 'm'));
    // The lockfile is in step with synapse.json: a plain install changes nothing.
    const again = await box.run(['pkg', 'install', '--frozen-lockfile'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
  });

  test('dist-tag add, then install NAME@next (install with specs is add)', async () => {
    const tagged = await box.run(['pkg', 'dist-tag', 'add', `${lib}@2.0.0-beta.2`, 'next']);
    assert.equal(tagged.code, 0, tagged.stderr);
    assert.match(tagged.stdout, /→ 2\.0\.0-beta\.2/);
    const dir = await app();
    const res = await box.run(['pkg', 'install', `${lib}@next`], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    assert.equal((await manifestOf(dir)).dependencies[lib], '^2.0.0-beta.2');
    assert.match(await lockOf(dir), new RegExp(`^package ${lib} 2\\.0\\.0-beta\\.2$`, 'm'));
    const info = await box.run(['pkg', 'info', `${lib}@next`]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, new RegExp(`^${lib}@2\\.0\\.0-beta\\.2`));
  });

  test('ranges follow SemVer for pre-releases: ^2.0.0-beta.1 admits beta.2, ^1.0.0 and a bare name admit none', async () => {
    const betaRange = await app({ [lib]: '^2.0.0-beta.1' });
    assert.equal((await box.run(['pkg', 'install'], { cwd: betaRange })).code, 0);
    assert.match(await lockOf(betaRange), new RegExp(`^package ${lib} 2\\.0\\.0-beta\\.2$`, 'm'));
    const stable = await app({ [lib]: '^1.0.0' });
    assert.equal((await box.run(['pkg', 'install'], { cwd: stable })).code, 0);
    assert.match(await lockOf(stable), new RegExp(`^package ${lib} 1\\.1\\.0$`, 'm'));
    const bare = await app();
    assert.equal((await box.run(['pkg', 'add', lib], { cwd: bare })).code, 0);
    assert.equal((await manifestOf(bare)).dependencies[lib], '^1.1.0');
  });

  test('a package with only pre-releases still installs with a bare name', async () => {
    const dir = await app();
    const res = await box.run(['pkg', 'add', pre], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    assert.equal((await manifestOf(dir)).dependencies[pre], '^0.1.0-alpha.2');
  });

  test('an explicit latest tag decides what a bare name installs', async () => {
    assert.equal((await box.run(['pkg', 'dist-tag', 'add', `${lib}@1.0.0`, 'latest'])).code, 0);
    const dir = await app();
    const res = await box.run(['pkg', 'add', lib], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    assert.equal((await manifestOf(dir)).dependencies[lib], '^1.0.0');
    assert.match(await lockOf(dir), new RegExp(`^package ${lib} 1\\.0\\.0$`, 'm'));
  });

  test('refusals say what to do and change nothing', async () => {
    const dir = await app();
    const before = await readFile(join(dir, 'synapse.json'), 'utf8');
    const missing = await box.run(['pkg', 'add', `${lib}@gamma`], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /has no dist-tag "gamma"/);
    assert.match(missing.stderr, /Its tags: latest, beta, next/);
    assert.equal(await readFile(join(dir, 'synapse.json'), 'utf8'), before);

    const latest = await box.run(['pkg', 'dist-tag', 'rm', lib, 'latest', '--json']);
    assert.equal(latest.code, 1);
    assert.equal(JSON.parse(latest.stdout).error.code, 'latest_tag_required');
    const badTag = await box.run(['pkg', 'dist-tag', 'add', `${lib}@1.0.0`, 'v2']);
    assert.equal(badTag.code, 1);
    assert.match(badTag.stderr, /reads as a version range/);
    const noVersion = await box.run(['pkg', 'dist-tag', 'add', lib, 'beta']);
    assert.equal(noVersion.code, 1);
    assert.match(noVersion.stderr, /NAME@VERSION/);
    const badPublish = await cliPublish(lib, '3.0.0', ['--tag', 'Beta']);
    assert.equal(badPublish.code, 1);
    assert.match(badPublish.stderr, /--tag: .*lowercase letters/);
    const stranger = await signUp(registry.api);
    const notOwner = await box.run(['pkg', 'dist-tag', 'add', `${lib}@1.1.0`, 'beta'], { env: { SYNAPSE_TOKEN: stranger.token } });
    assert.equal(notOwner.code, 1);
    assert.match(notOwner.stderr, /not an owner/);
    const tags = (await call(`${registry.api}/packages/${lib}/dist-tags`)).body;
    assert.deepEqual(tags, { latest: '1.0.0', beta: '2.0.0-beta.1', next: '2.0.0-beta.2' });
  });

  test('dist-tag rm removes a tag', async () => {
    const res = await box.run(['pkg', 'dist-tag', 'rm', lib, 'next']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Removed .*@next/);
    assert.deepEqual((await call(`${registry.api}/packages/${lib}/dist-tags`)).body, { latest: '1.0.0', beta: '2.0.0-beta.1' });
  });

  test('--help documents every dist-tag command', async () => {
    for (const args of [['dist-tag'], ['dist-tag', 'ls'], ['dist-tag', 'add'], ['dist-tag', 'rm'], ['publish'], ['install']]) {
      const res = await box.run(['pkg', ...args, '--help']);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /Usage: synapse pkg/);
    }
    assert.match((await box.run(['pkg', 'publish', '--help'])).stdout, /--tag <tag>/);
    assert.match(
      (await box.run(['pkg', 'dist-tag', '--help'])).stdout,
      /ls\|list <name>[\s\S]*add <spec> <tag>[\s\S]*rm\|remove <name> <tag>/,
    );
  });
});
