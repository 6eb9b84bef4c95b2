/** The invitee's side of owner invitations: listing, accepting, declining, and expiry after 30 days. */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, uniqueName } from '../../helpers/client.ts';
import { answer, apiToken, invite, newPackage, ownerNames, ownersState, refused, users, type User } from '../packages/owners-state.ts';

const DAY = 86_400_000;
let r: TestRegistry;
let alice: User;
let bob: User;
let stranger: User;
/** The registry's clock runs this far ahead of the real one (sessions are checked against it too). */
let offset = 0;

before(async () => {
  r = await startRegistry();
  r.registry.deps.now = () => new Date(Date.now() + offset);
  [alice, bob, stranger] = await users(r, 3);
});
beforeEach(() => {
  offset = 0;
});
after(() => r.close());

const mine = (token?: string) => call(`${r.api}/auth/invitations`, { token });

describe('GET /auth/invitations', () => {
  test('lists the open invitations with package, inviter and dates', async () => {
    const first = await newPackage(r, alice, 'inv');
    const second = await newPackage(r, alice, 'inv');
    assert.equal((await invite(r, first, bob.username, alice.token)).status, 201);
    assert.equal((await invite(r, second, bob.username, alice.token)).status, 201);
    const res = await mine(bob.token);
    assert.equal(res.status, 200);
    const listed = res.body.invitations.filter((i: { package: string }) => [first, second].includes(i.package));
    assert.deepEqual(
      listed.map((i: { package: string }) => i.package),
      [first, second],
    );
    for (const i of listed) {
      assert.equal(i.invitee, bob.username);
      assert.equal(i.invited_by, alice.username);
      assert.equal(Date.parse(i.expires_at) - Date.parse(i.created_at), 30 * DAY);
    }
    assert.deepEqual((await mine(stranger.token)).body.invitations, [], 'nobody else sees them');
  });

  test('401 without auth; a token needs the owners scope and sees only its packages', async () => {
    refused(await mine(), 401, 'unauthorized');
    refused(await mine(await apiToken(r, bob, ['publish'])), 403, 'token_scope', /"owners" scope/);
    const name = await newPackage(r, alice, 'invscope');
    const other = await newPackage(r, alice, 'invscope');
    assert.equal((await invite(r, name, bob.username, alice.token)).status, 201);
    assert.equal((await invite(r, other, bob.username, alice.token)).status, 201);
    const held = await mine(await apiToken(r, bob, ['owners'], [name]));
    assert.deepEqual(
      held.body.invitations.map((i: { package: string }) => i.package),
      [name],
    );
  });
});

describe('POST /auth/invitations/{name}/accept and /decline', () => {
  test('declining removes the invitation and nothing else; it is audited', async () => {
    const name = await newPackage(r, alice, 'decl');
    assert.equal((await invite(r, name, bob.username, alice.token)).status, 201);
    const res = await answer(r, name, 'decline', bob.token);
    assert.equal(res.status, 204);
    assert.deepEqual(await ownerNames(r, name), [alice.username]);
    assert.equal(
      (await mine(bob.token)).body.invitations.some((i: { package: string }) => i.package === name),
      false,
    );
    const state = await ownersState(r, name);
    assert.deepEqual(state.invitations, []);
    assert.deepEqual(state.audit.map((a) => a.action).slice(-2), ['owner_invite', 'owner_decline']);
    refused(await answer(r, name, 'accept', bob.token), 404, 'invitation_not_found', /ask one of its owners to invite you/);
    // Declined, then invited again: a fresh invitation.
    assert.equal((await invite(r, name, bob.username, alice.token)).status, 201);
  });

  test('a token with the owners scope may accept; refusals change nothing', async () => {
    const name = await newPackage(r, alice, 'acc');
    const other = await newPackage(r, alice, 'acc');
    assert.equal((await invite(r, name, bob.username, alice.token)).status, 201);
    const before = await ownersState(r, name);
    const publishOnly = await apiToken(r, bob, ['publish']);
    const elsewhere = await apiToken(r, bob, ['owners'], [other]);
    for (const what of ['accept', 'decline'] as const) {
      refused(await answer(r, name, what), 401, 'unauthorized');
      refused(await answer(r, name, what, publishOnly), 403, 'token_scope', /"owners" scope/);
      refused(await answer(r, name, what, elsewhere), 403, 'token_scope');
      refused(await answer(r, name, what, stranger.token), 404, 'invitation_not_found');
      refused(await answer(r, uniqueName('ghost'), what, bob.token), 404, 'invitation_not_found');
    }
    assert.deepEqual(await ownersState(r, name), before);
    const res = await answer(r, name, 'accept', await apiToken(r, bob, ['owners'], [name]));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(await ownerNames(r, name), [alice.username, bob.username]);
  });

  test('invitations expire after 30 days: no longer listed, refused with 410, and can be sent again', async () => {
    const name = await newPackage(r, alice, 'exp');
    const late = await newPackage(r, alice, 'exp');
    assert.equal((await invite(r, name, bob.username, alice.token)).status, 201);
    assert.equal((await invite(r, late, bob.username, alice.token)).status, 201);
    // Tokens outlive the 30 days; a session would not.
    const bobToken = await apiToken(r, bob, ['owners']);
    const aliceToken = await apiToken(r, alice, ['owners']);

    offset = 30 * DAY - 60_000;
    assert.equal((await answer(r, late, 'accept', bobToken)).status, 200, 'a minute before expiry it still works');

    offset = 30 * DAY + 1000;
    const listed = await mine(bobToken);
    assert.equal(
      listed.body.invitations.some((i: { package: string }) => i.package === name),
      false,
    );
    assert.deepEqual((await call(`${r.api}/packages/${name}/owners/invitations`, { token: aliceToken })).body.invitations, []);
    const before = await ownersState(r, name);
    for (const what of ['accept', 'decline'] as const) {
      refused(await answer(r, name, what, bobToken), 410, 'invitation_expired', /ask an owner to invite you again/);
    }
    assert.deepEqual(await ownersState(r, name), before);

    const again = await invite(r, name, bob.username, aliceToken);
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(Date.parse(again.body.expires_at), Date.parse(again.body.created_at) + 30 * DAY);
    assert.ok(Date.parse(again.body.created_at) > Date.now() + 29 * DAY, 'renewed from the clock of now');
    assert.equal((await answer(r, name, 'accept', bobToken)).status, 200);
    assert.deepEqual(await ownerNames(r, name), [alice.username, bob.username]);
  });
});
