/**
 * A package's whole life through the real `synapse` executable, two maintainers and one consumer:
 * publish 1.0.0, 1.1.0 and 2.0.0-beta.1 (tagged beta); a fresh install picks 1.1.0; yanking 1.1.0
 * makes a fresh install pick 1.0.0 while the old lockfile still installs 1.1.0 with a warning;
 * deprecating with a replacement makes installs warn; a co-owner joins by invitation and publishes
 * 1.2.0; the audit log lists all of it in order.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { call, PASSWORD, signUp, uniqueName } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let alice: Sandbox;
let bob: Sandbox;
let consumer: Sandbox;
let aliceName: string;
let bobName: string;

async function loggedIn(username: string): Promise<Sandbox> {
  const box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
  const res = await box.run(['pkg', 'login', '--username', username, '--password-stdin'], { input: `${PASSWORD}\n` });
  assert.equal(res.code, 0, res.stderr);
  return box;
}

before(async () => {
  registry = await startRegistry();
  ({ username: aliceName } = await signUp(registry.api, uniqueName('alice')));
  ({ username: bobName } = await signUp(registry.api, uniqueName('bob')));
  alice = await loggedIn(aliceName);
  bob = await loggedIn(bobName);
  consumer = await sandbox();
  consumer.env.SYNAPSE_REGISTRY = registry.url;
});

after(async () => {
  await registry.close();
  for (const box of [alice, bob, consumer]) await rm(box.root, { recursive: true, force: true });
});

/** Writes the package folder at this version and publishes it with the given extra arguments. */
async function publishAs(box: Sandbox, name: string, version: string, args: string[] = []) {
  const dir = join(box.root, `src-${name}`);
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'synapse.json'), JSON.stringify({ name, version, description: `${name} library`, license: 'MIT' }));
  await writeFile(join(dir, 'src', 'lib.syn'), `fn version() -> str { "${version}" }\n`);
  const res = await box.run(['pkg', 'publish', ...args], { cwd: dir });
  assert.equal(res.code, 0, `publish ${name}@${version}: ${res.stderr}`);
}

const lockedVersion = async (dir: string, name: string) => {
  const lock = await readFile(join(dir, 'synapse.lock'), 'utf8');
  return new RegExp(`^package ${name} (\\S+)$`, 'm').exec(lock)?.[1];
};

const installedVersion = async (dir: string, name: string) =>
  JSON.parse(await readFile(join(dir, 'synapse_modules', name, 'synapse.json'), 'utf8')).version as string;

test('publish, tag, yank, deprecate, share and audit a package, as its users see it', async () => {
  const lib = uniqueName('journey-lib');
  const successor = uniqueName('journey-next');
  await publishAs(alice, lib, '1.0.0');
  await publishAs(alice, lib, '1.1.0');
  await publishAs(alice, lib, '2.0.0-beta.1', ['--tag', 'beta']);
  const tags = await call(`${registry.api}/packages/${lib}/dist-tags`);
  assert.deepEqual(tags.body, { latest: '1.1.0', beta: '2.0.0-beta.1' });

  // A consumer adds the library: the newest release, not the beta.
  const app = await consumer.project('app', { name: 'app', version: '1.0.0' });
  const added = await consumer.run(['pkg', 'add', lib], { cwd: app });
  assert.equal(added.code, 0, added.stderr);
  assert.equal(await lockedVersion(app, lib), '1.1.0');
  assert.equal(await installedVersion(app, lib), '1.1.0');

  // 1.1.0 turns out broken: yanked. A fresh project gets 1.0.0; the existing lockfile keeps 1.1.0, with a warning.
  const yank = await alice.run(['pkg', 'yank', `${lib}@1.1.0`, '--reason', 'corrupts output on empty input']);
  assert.equal(yank.code, 0, yank.stderr);
  const fresh = await consumer.project('fresh', { name: 'fresh', version: '1.0.0' });
  const freshAdd = await consumer.run(['pkg', 'add', lib], { cwd: fresh });
  assert.equal(freshAdd.code, 0, freshAdd.stderr);
  assert.equal(await lockedVersion(fresh, lib), '1.0.0');
  const reinstall = await consumer.project('reinstall', JSON.parse(await readFile(join(app, 'synapse.json'), 'utf8')));
  await copyFile(join(app, 'synapse.lock'), join(reinstall, 'synapse.lock'));
  const locked = await consumer.run(['pkg', 'install'], { cwd: reinstall });
  assert.equal(locked.code, 0, locked.stderr);
  assert.equal(await installedVersion(reinstall, lib), '1.1.0');
  assert.match(locked.stderr + locked.stdout, new RegExp(`${lib}@1\\.1\\.0.*yanked.*corrupts output on empty input`));

  // The library is renamed: deprecated with a replacement, and installs say where to go.
  await publishAs(alice, successor, '1.0.0');
  const deprecate = await alice.run([
    'pkg',
    'deprecate',
    lib,
    '--reason',
    'renamed',
    '--message',
    'now maintained as its successor',
    '--replacement',
    successor,
  ]);
  assert.equal(deprecate.code, 0, deprecate.stderr);
  const later = await consumer.project('later', { name: 'later', version: '1.0.0' });
  const warned = await consumer.run(['pkg', 'add', lib], { cwd: later });
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr + warned.stdout, new RegExp(`${lib}.*deprecated.*${successor}`));
  const info = await consumer.run(['pkg', 'info', lib]);
  assert.match(info.stderr + info.stdout, new RegExp(`deprecated.*${successor}`));

  // Bob is invited, accepts, and publishes 1.2.0 as a co-owner.
  const invite = await alice.run(['pkg', 'owner', 'add', lib, bobName]);
  assert.equal(invite.code, 0, invite.stderr);
  const early = await bob.run(['pkg', 'publish'], { cwd: await bob.project('early', { name: lib, version: '1.2.0' }) });
  assert.notEqual(early.code, 0, 'an invitee is not an owner until they accept');
  assert.match(early.stderr, /not an owner/);
  const pending = await bob.run(['pkg', 'invitations']);
  assert.match(pending.stdout, new RegExp(lib));
  const accept = await bob.run(['pkg', 'invitations', 'accept', lib]);
  assert.equal(accept.code, 0, accept.stderr);
  await publishAs(bob, lib, '1.2.0');
  const owners = await alice.run(['pkg', 'owner', 'ls', lib]);
  assert.match(owners.stdout, new RegExp(aliceName));
  assert.match(owners.stdout, new RegExp(bobName));

  // The audit log tells the story, oldest first.
  const audit = await alice.run(['pkg', 'audit-log', lib, '--json']);
  assert.equal(audit.code, 0, audit.stderr);
  const entries = (JSON.parse(audit.stdout).results as { action: string; actor: string; version: string | null }[])
    .slice()
    .reverse()
    .map((e) => `${e.action} ${e.actor}${e.version ? ` ${e.version}` : ''}`);
  assert.deepEqual(
    entries.filter((e) => !e.startsWith('tag ')),
    [
      `publish ${aliceName} 1.0.0`,
      `publish ${aliceName} 1.1.0`,
      `publish ${aliceName} 2.0.0-beta.1`,
      `yank ${aliceName} 1.1.0`,
      `deprecate ${aliceName}`,
      `owner_invite ${aliceName}`,
      `owner_accept ${bobName}`,
      `publish ${bobName} 1.2.0`,
    ],
  );
});
