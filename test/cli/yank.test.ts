/**
 * `synapse pkg yank/unyank` through the real executable, and what a yank means to installs: a fresh
 * resolution never picks a yanked version, an existing synapse.lock still installs it, and an
 * exact pin still picks it.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;
let owner: { username: string; token: string };
let stranger: { username: string; token: string };

const installed = async (project: string) =>
  JSON.parse(await readFile(join(project, 'synapse_modules', 'lib', 'synapse.json'), 'utf8')).version as string;
const locked = async (project: string) => /^package lib (\S+)$/m.exec(await readFile(join(project, 'synapse.lock'), 'utf8'))?.[1];

before(async () => {
  registry = await startRegistry();
  owner = await signUp(registry.api);
  stranger = await signUp(registry.api);
  for (const version of ['1.0.0', '1.1.0']) {
    const res = await publish(registry.api, owner.token, { name: 'lib', version, description: 'a library' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

const asOwner = { env: { SYNAPSE_TOKEN: '' } };

describe('synapse pkg yank / unyank', () => {
  before(() => {
    asOwner.env.SYNAPSE_TOKEN = owner.token;
  });

  test('--help explains both commands', async () => {
    const help = await box.run(['pkg', 'yank', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: synapse pkg yank \[options\] <spec>/);
    assert.match(help.stdout, /new installs skip it/);
    assert.match(help.stdout, /--reason <text>/);
    const unyank = await box.run(['pkg', 'unyank', '--help']);
    assert.match(unyank.stdout, /undo a yank of NAME@VERSION/);
    assert.match((await box.run(['pkg', '--help'])).stdout, /yank \[options\] <spec>[\s\S]*unyank <spec>/);
  });

  test('a yank keeps locked installs and exact pins, and steers fresh resolutions away', async () => {
    const existing = await box.project('existing', { name: 'existing', version: '1.0.0', dependencies: { lib: '^1.0.0' } });
    assert.equal((await box.run(['pkg', 'install'], { cwd: existing })).code, 0);
    assert.equal(await locked(existing), '1.1.0');

    const res = await box.run(['pkg', 'yank', 'lib@1.1.0', '--reason', 'corrupts \u001b[31mdata'], asOwner);
    assert.equal(res.code, 1, 'a control character in the reason is refused');
    assert.match(res.stderr, /printable/);
    const yanked = await box.run(['pkg', 'yank', 'lib@1.1.0', '--reason', 'corrupts data'], asOwner);
    assert.equal(yanked.code, 0, yanked.stderr);
    assert.match(yanked.stdout, /Yanked lib@1\.1\.0 \(corrupts data\): new installs skip it/);
    assert.match(yanked.stdout, /synapse pkg unyank lib@1\.1\.0/);

    // A fresh project resolves around it, whether by install or by add.
    const fresh = await box.project('fresh', { name: 'fresh', version: '1.0.0', dependencies: { lib: '^1.0.0' } });
    assert.equal((await box.run(['pkg', 'install'], { cwd: fresh })).code, 0);
    assert.equal(await installed(fresh), '1.0.0');
    const added = await box.project('added', { name: 'added', version: '1.0.0' });
    const add = await box.run(['pkg', 'add', 'lib'], { cwd: added });
    assert.equal(add.code, 0, add.stderr);
    assert.equal(await locked(added), '1.0.0');

    // The project whose lock holds it still installs it, from scratch too.
    await rm(join(existing, 'synapse_modules'), { recursive: true, force: true });
    const again = await box.run(['pkg', 'install', '--frozen-lockfile'], { cwd: existing });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await installed(existing), '1.1.0');
    assert.equal(await locked(existing), '1.1.0');

    // An exact pin names it, so it is picked.
    const pinned = await box.project('pinned', { name: 'pinned', version: '1.0.0' });
    const pin = await box.run(['pkg', 'add', 'lib@=1.1.0'], { cwd: pinned });
    assert.equal(pin.code, 0, pin.stderr);
    assert.equal(await installed(pinned), '1.1.0');

    const unyanked = await box.run(['pkg', 'unyank', 'lib@1.1.0', '--json'], asOwner);
    assert.equal(unyanked.code, 0, unyanked.stderr);
    assert.deepEqual((({ name, version, yanked, yank_reason }) => ({ name, version, yanked, yank_reason }))(JSON.parse(unyanked.stdout)), {
      name: 'lib',
      version: '1.1.0',
      yanked: false,
      yank_reason: null,
    });
    const later = await box.project('later', { name: 'later', version: '1.0.0', dependencies: { lib: '^1.0.0' } });
    assert.equal((await box.run(['pkg', 'install'], { cwd: later })).code, 0);
    assert.equal(await installed(later), '1.1.0');
  });

  test('refusals say what to do and change nothing', async () => {
    const check = async (args: string[], env: Record<string, string>, pattern: RegExp) => {
      const res = await box.run(args, { env });
      assert.equal(res.code, 1, `${args.join(' ')}: ${res.stdout}${res.stderr}`);
      assert.match(res.stderr, pattern, args.join(' '));
    };
    await check(['pkg', 'yank', 'lib'], asOwner.env, /yank takes NAME@VERSION with an exact version, such as lib@1\.2\.3/);
    await check(['pkg', 'unyank', 'lib@^1.0.0'], asOwner.env, /unyank takes NAME@VERSION/);
    await check(['pkg', 'yank', 'lib@1.0.0'], {}, /log in|not logged in/i);
    await check(['pkg', 'yank', 'lib@1.0.0'], { SYNAPSE_TOKEN: stranger.token }, /not an owner of lib/);
    await check(['pkg', 'yank', 'lib@9.9.9'], asOwner.env, /lib has no version 9\.9\.9/);
    await check(['pkg', 'yank', 'lib@1.0.0', '--reason', 'x'.repeat(501)], asOwner.env, /500/);
    const doc = await (await fetch(`${registry.api}/packages/lib`)).json();
    assert.deepEqual(
      doc.versions.map((v: { version: string; yanked: boolean }) => [v.version, v.yanked]),
      [
        ['1.1.0', false],
        ['1.0.0', false],
      ],
    );
  });
});
