/** `synapse pkg owner` and `synapse pkg invitations` through the real executable against a real registry. */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { publish, signUp, uniqueName } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;
let alice: { username: string; token: string };
let bob: { username: string; token: string };

before(async () => {
  registry = await startRegistry();
  alice = await signUp(registry.api);
  bob = await signUp(registry.api);
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

const as = (user: { token: string }, args: string[]) => box.run(['pkg', ...args], { env: { SYNAPSE_TOKEN: user.token } });

async function newPackage(): Promise<string> {
  const name = uniqueName('cliown');
  const res = await publish(registry.api, alice.token, { name, version: '1.0.0' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return name;
}

describe('synapse pkg owner / invitations', () => {
  test('add sends an invitation, the invitee lists and accepts it, rm removes an owner', async () => {
    const name = await newPackage();
    const ls = await box.run(['pkg', 'owner', 'ls', name]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, new RegExp(`Owners of ${name}:\\n${alice.username}\\s+since \\d{4}-`));

    const added = await as(alice, ['owner', 'add', name, bob.username]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, new RegExp(`Invited ${bob.username} to become an owner of ${name}`));
    assert.match(added.stdout, new RegExp(`synapse pkg invitations accept ${name}`));

    const listed = await as(bob, ['invitations']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${name}\\s+from ${alice.username}\\s+expires \\d{4}-`));
    const json = await as(bob, ['invitations', '--json']);
    assert.deepEqual(
      JSON.parse(json.stdout).invitations.map((i: { package: string }) => i.package),
      [name],
    );

    const accepted = await as(bob, ['invitations', 'accept', name]);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.match(accepted.stdout, new RegExp(`You are now an owner of ${name}`));
    assert.equal((await as(bob, ['invitations'])).stdout.trim(), 'No open invitations');

    const both = await box.run(['pkg', 'owner', 'ls', name, '--json']);
    assert.deepEqual(
      JSON.parse(both.stdout).owners.map((o: { username: string }) => o.username),
      [alice.username, bob.username],
    );

    const removed = await as(bob, ['owner', 'rm', name, alice.username]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, new RegExp(`Removed ${alice.username} from the owners of ${name}`));
    const last = await as(bob, ['owner', 'rm', name, bob.username]);
    assert.equal(last.code, 1);
    assert.match(last.stderr, /only owner .*add another owner first/);
    const still = await box.run(['pkg', 'owner', 'ls', name, '--json']);
    assert.deepEqual(
      JSON.parse(still.stdout).owners.map((o: { username: string }) => o.username),
      [bob.username],
    );
  });

  test('decline, and the refusals a user sees', async () => {
    const name = await newPackage();
    assert.equal((await as(alice, ['owner', 'add', name, bob.username])).code, 0);
    const declined = await as(bob, ['invitations', 'decline', name]);
    assert.equal(declined.code, 0, declined.stderr);
    assert.match(declined.stdout, new RegExp(`Declined the invitation to ${name}`));

    assert.equal((await as(alice, ['owner', 'add', name, bob.username])).code, 0);
    const pending = await as(alice, ['owner', 'invitations', name]);
    assert.equal(pending.code, 0, pending.stderr);
    assert.match(pending.stdout, new RegExp(`${bob.username}\\s+invited by ${alice.username}`));
    const cancelled = await as(alice, ['owner', 'cancel', name, bob.username]);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, new RegExp(`Withdrew the invitation of ${bob.username} to ${name}`));
    assert.equal((await as(alice, ['owner', 'invitations', name])).stdout.trim(), `No open invitations to ${name}`);

    const none = await as(bob, ['invitations', 'accept', name]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /You have no invitation to .*ask one of its owners/);
    const notOwner = await as(bob, ['owner', 'add', name, alice.username]);
    assert.equal(notOwner.code, 1);
    assert.match(notOwner.stderr, /not an owner/);
    const unknown = await as(alice, ['owner', 'add', name, uniqueName('nobody')]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No user named/);
    const anonymous = await box.run(['pkg', 'owner', 'add', name, bob.username]);
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.stderr, /not logged in/);
    const missing = await box.run(['pkg', 'owner', 'ls', uniqueName('ghost')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No package named/);
  });

  test('every command has --help', async () => {
    for (const [args, words] of [
      [['owner'], /ls\|list <name>[\s\S]*add <name> <username>[\s\S]*rm\|remove <name> <username>/],
      [['owner', 'ls'], /list the owners of a package/],
      [['owner', 'add'], /invite a user to become an owner/],
      [['owner', 'rm'], /a package keeps at least one/],
      [['owner', 'invitations'], /open owner invitations/],
      [['owner', 'cancel'], /withdraw an open invitation/],
      [['invitations'], /accept <name>[\s\S]*decline <name>/],
      [['invitations', 'accept'], /you become an owner of NAME/],
      [['invitations', 'decline'], /decline an invitation/],
    ] as const) {
      const res = await box.run(['pkg', ...args, '--help']);
      assert.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stdout, words, args.join(' '));
    }
  });
});
