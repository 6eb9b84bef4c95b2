/** Package owners: the public list, invitations sent by owners, removal, and both under contention. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, uniqueName } from '../../helpers/client.ts';
import {
  addOwner,
  answer,
  apiToken,
  invite,
  newPackage,
  ownerNames,
  ownersState,
  refused,
  removeOwner,
  users,
  type User,
} from './owners-state.ts';

let r: TestRegistry;
let alice: User;
let bob: User;
let carol: User;
let stranger: User;

before(async () => {
  r = await startRegistry();
  [alice, bob, carol, stranger] = await users(r, 4);
});
after(() => r.close());

const auditRows = (name: string) =>
  r.registry.deps.db.kysely
    .selectFrom('audit_log')
    .select(['id', 'action', 'actor_username', 'subject_user_id', 'details'])
    .where('package_name', '=', name)
    .orderBy('id')
    .execute();
const userId = async (username: string) =>
  (await r.registry.deps.db.kysely.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

describe('GET /packages/{name}/owners', () => {
  test('lists the owners and since when, to anyone', async () => {
    const name = await newPackage(r, alice);
    const res = await call(`${r.api}/packages/${name}/owners`);
    assert.equal(res.status, 200);
    assert.equal(res.body.name, name);
    assert.equal(res.body.owners.length, 1);
    assert.equal(res.body.owners[0].username, alice.username);
    assert.ok(Date.parse(res.body.owners[0].since) > 0);
    // Any spelling of the name finds it.
    assert.equal((await call(`${r.api}/packages/${name.toUpperCase()}/owners`)).body.name, name);
  });

  test('404 package_not_found for an unknown package', async () => {
    refused(await call(`${r.api}/packages/${uniqueName('ghost')}/owners`), 404, 'package_not_found');
  });
});

describe('POST /packages/{name}/owners/invitations', () => {
  test('an owner invites; the invitee accepts and may publish; the audit log has both', async () => {
    const name = await newPackage(r, alice);
    const sent = await invite(r, name, bob.username, alice.token);
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal(sent.body.package, name);
    assert.equal(sent.body.invitee, bob.username);
    assert.equal(sent.body.invited_by, alice.username);
    const days = (Date.parse(sent.body.expires_at) - Date.parse(sent.body.created_at)) / 86_400_000;
    assert.equal(days, 30);
    assert.deepEqual(await ownerNames(r, name), [alice.username], 'an invitation alone makes nobody an owner');
    refused(await publish(r.api, bob.token, { name, version: '1.1.0' }), 403, 'not_owner');

    const pending = await call(`${r.api}/packages/${name}/owners/invitations`, { token: alice.token });
    assert.equal(pending.status, 200);
    assert.deepEqual(
      pending.body.invitations.map((i: { invitee: string }) => i.invitee),
      [bob.username],
    );

    const docBefore = await call(`${r.api}/packages/${name}`);
    assert.deepEqual(docBefore.body.owners, [alice.username]);
    const accepted = await answer(r, name, 'accept', bob.token);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.deepEqual(
      accepted.body.owners.map((o: { username: string }) => o.username),
      [alice.username, bob.username],
    );
    assert.deepEqual(await ownerNames(r, name), [alice.username, bob.username]);
    const doc = await call(`${r.api}/packages/${name}`);
    assert.deepEqual([...doc.body.owners].sort(), [alice.username, bob.username].sort(), 'the package document follows');
    assert.equal((await publish(r.api, bob.token, { name, version: '1.1.0' })).status, 201);
    assert.deepEqual((await call(`${r.api}/packages/${name}/owners/invitations`, { token: alice.token })).body.invitations, []);

    const audit = await auditRows(name);
    const invited = audit.find((a) => a.action === 'owner_invite')!;
    assert.equal(invited.actor_username, alice.username);
    assert.equal(Number(invited.subject_user_id), await userId(bob.username));
    const acceptRow = audit.find((a) => a.action === 'owner_accept')!;
    assert.equal(acceptRow.actor_username, bob.username);
    assert.ok(acceptRow.id > invited.id);
  });

  test('a token with the owners scope may invite; refusals change nothing', async () => {
    const name = await newPackage(r, alice);
    const other = await newPackage(r, alice);
    await addOwner(r, name, alice, carol);
    assert.equal((await invite(r, name, bob.username, alice.token)).status, 201);
    const before = await ownersState(r, name);
    const publishOnly = await apiToken(r, alice, ['publish']);
    const elsewhere = await apiToken(r, alice, ['owners'], [other]);
    const cases: [string, ReturnType<typeof invite>, number, string, RegExp?][] = [
      ['no auth', invite(r, name, stranger.username), 401, 'unauthorized'],
      ['bad token', invite(r, name, stranger.username, 'syn_0000000000000000000000000000000000000000'), 401, 'unauthorized'],
      ['stranger', invite(r, name, stranger.username, stranger.token), 403, 'not_owner', /not an owner/],
      ['token without scope', invite(r, name, stranger.username, publishOnly), 403, 'token_scope', /"owners" scope/],
      ['token for another package', invite(r, name, stranger.username, elsewhere), 403, 'token_scope', /"owners" scope/],
      ['unknown package', invite(r, uniqueName('ghost'), stranger.username, alice.token), 404, 'package_not_found'],
      ['unknown user', invite(r, name, uniqueName('nobody'), alice.token), 404, 'user_not_found', /No user named/],
      ['oneself', invite(r, name, alice.username, alice.token), 400, 'cannot_invite_self', /invite another user/],
      ['an owner', invite(r, name, carol.username, alice.token), 409, 'already_owner', /already an owner/],
      ['invited twice', invite(r, name, bob.username, alice.token), 409, 'invitation_exists', /synapse pkg invitations accept/],
      ['no username', invite(r, name, undefined, alice.token), 400, 'validation_failed'],
      ['an object', invite(r, name, { name: 'x' }, alice.token), 400, 'validation_failed'],
    ];
    for (const [label, pending, status, code, detail] of cases) {
      await test(label, async () => refused(await pending, status, code, detail));
    }
    assert.deepEqual(await ownersState(r, name), before);
    // The same token with the scope for this package may.
    const scoped = await apiToken(r, alice, ['owners'], [name]);
    assert.equal((await invite(r, name, stranger.username, scoped)).status, 201);
  });

  test('the invitation list of a package is for its owners', async () => {
    const name = await newPackage(r, alice);
    const list = (token?: string) => call(`${r.api}/packages/${name}/owners/invitations`, { token });
    refused(await list(), 401, 'unauthorized');
    refused(await list(stranger.token), 403, 'not_owner');
    refused(await list(await apiToken(r, alice, ['publish'])), 403, 'token_scope');
    refused(await call(`${r.api}/packages/${uniqueName('ghost')}/owners/invitations`, { token: alice.token }), 404, 'package_not_found');
  });
});

describe('DELETE /packages/{name}/owners/invitations/{username}', () => {
  const cancel = (name: string, username: string, token?: string) =>
    call(`${r.api}/packages/${name}/owners/invitations/${username}`, { method: 'DELETE', token });

  test('an owner withdraws an open invitation; it can no longer be accepted', async () => {
    const name = await newPackage(r, alice);
    assert.equal((await invite(r, name, bob.username, alice.token)).status, 201);
    const res = await cancel(name, bob.username, alice.token);
    assert.equal(res.status, 204, JSON.stringify(res.body));
    refused(await answer(r, name, 'accept', bob.token), 404, 'invitation_not_found');
    const audit = await auditRows(name);
    assert.deepEqual(audit.map((a) => a.action).slice(-2), ['owner_invite', 'owner_invite_cancel']);
    assert.equal(Number(audit.at(-1)!.subject_user_id), await userId(bob.username));
    assert.equal((await invite(r, name, bob.username, alice.token)).status, 201, 'and may be sent again');
  });

  test('refusals change nothing', async () => {
    const name = await newPackage(r, alice);
    assert.equal((await invite(r, name, bob.username, alice.token)).status, 201);
    const before = await ownersState(r, name);
    refused(await cancel(name, bob.username), 401, 'unauthorized');
    refused(await cancel(name, bob.username, stranger.token), 403, 'not_owner');
    refused(await cancel(name, bob.username, bob.token), 403, 'not_owner');
    refused(await cancel(name, bob.username, await apiToken(r, alice, ['publish'])), 403, 'token_scope');
    refused(await cancel(name, carol.username, alice.token), 404, 'invitation_not_found', /owner invitations/);
    refused(await cancel(uniqueName('ghost'), bob.username, alice.token), 404, 'package_not_found');
    assert.deepEqual(await ownersState(r, name), before);
  });
});

describe('DELETE /packages/{name}/owners/{username}', () => {
  test('an owner removes another; the removed one can no longer publish; their open invitations are withdrawn', async () => {
    const name = await newPackage(r, alice);
    await addOwner(r, name, alice, bob);
    assert.equal((await invite(r, name, carol.username, bob.token)).status, 201);
    const res = await removeOwner(r, name, bob.username, alice.token);
    assert.equal(res.status, 204, JSON.stringify(res.body));
    assert.deepEqual(await ownerNames(r, name), [alice.username]);
    assert.deepEqual((await call(`${r.api}/packages/${name}`)).body.owners, [alice.username]);
    refused(await publish(r.api, bob.token, { name, version: '2.0.0' }), 403, 'not_owner');
    refused(await answer(r, name, 'accept', carol.token), 404, 'invitation_not_found', /ask one of its owners/);
    const removed = (await auditRows(name)).filter((a) => a.action === 'owner_remove');
    assert.equal(removed.length, 1);
    assert.equal(removed[0]!.actor_username, alice.username);
    assert.equal(Number(removed[0]!.subject_user_id), await userId(bob.username));
  });

  test('an owner may remove themselves while another owner remains', async () => {
    const name = await newPackage(r, alice);
    await addOwner(r, name, alice, bob);
    assert.equal((await removeOwner(r, name, alice.username, alice.token)).status, 204);
    assert.deepEqual(await ownerNames(r, name), [bob.username]);
  });

  test('refusals, the last owner among them, change nothing', async () => {
    const name = await newPackage(r, alice);
    const solo = await newPackage(r, alice);
    const other = await newPackage(r, alice);
    await addOwner(r, name, alice, bob);
    const before = await ownersState(r, name);
    const soloBefore = await ownersState(r, solo);
    const publishOnly = await apiToken(r, alice, ['publish', 'delete']);
    const elsewhere = await apiToken(r, alice, ['owners'], [other]);
    const cases: [string, ReturnType<typeof removeOwner>, number, string, RegExp?][] = [
      ['no auth', removeOwner(r, name, bob.username), 401, 'unauthorized'],
      ['stranger', removeOwner(r, name, bob.username, stranger.token), 403, 'not_owner', /not an owner/],
      ['token without scope', removeOwner(r, name, bob.username, publishOnly), 403, 'token_scope', /"owners" scope/],
      ['token for another package', removeOwner(r, name, bob.username, elsewhere), 403, 'token_scope'],
      ['unknown package', removeOwner(r, uniqueName('ghost'), bob.username, alice.token), 404, 'package_not_found'],
      ['not an owner', removeOwner(r, name, carol.username, alice.token), 404, 'owner_not_found', /owner ls/],
      ['unknown user', removeOwner(r, name, uniqueName('nobody'), alice.token), 404, 'owner_not_found'],
      ['the last owner', removeOwner(r, solo, alice.username, alice.token), 409, 'last_owner', /add another owner first/],
    ];
    for (const [label, pending, status, code, detail] of cases) {
      await test(label, async () => refused(await pending, status, code, detail));
    }
    assert.deepEqual(await ownersState(r, name), before);
    assert.deepEqual(await ownersState(r, solo), soloBefore);
    const scoped = await apiToken(r, alice, ['owners'], [name]);
    assert.equal((await removeOwner(r, name, bob.username, scoped)).status, 204);
  });
});

describe('owners under contention', () => {
  test('two owners removing each other at once: one wins, the package keeps an owner', async () => {
    for (let round = 0; round < 8; round++) {
      const name = await newPackage(r, alice, 'dual');
      await addOwner(r, name, alice, bob);
      const [a, b] = await Promise.all([removeOwner(r, name, bob.username, alice.token), removeOwner(r, name, alice.username, bob.token)]);
      const statuses = [a.status, b.status].sort();
      assert.deepEqual(statuses, [204, 403], JSON.stringify([a.body, b.body]));
      const loser = a.status === 403 ? a : b;
      assert.equal(loser.body.code, 'not_owner');
      const owners = await ownerNames(r, name);
      assert.equal(owners.length, 1);
      assert.equal((await auditRows(name)).filter((e) => e.action === 'owner_remove').length, 1);
    }
  });

  test('three owners each removing the others at once never leave none', async () => {
    for (let round = 0; round < 5; round++) {
      const name = await newPackage(r, alice, 'tri');
      await addOwner(r, name, alice, bob);
      await addOwner(r, name, alice, carol);
      const everyone = [alice, bob, carol];
      const pairs = everyone.flatMap((actor) => everyone.filter((u) => u !== actor).map((target) => [actor, target] as const));
      const results = await Promise.all(pairs.map(([actor, target]) => removeOwner(r, name, target.username, actor.token)));
      for (const res of results) assert.ok([204, 403, 404, 409].includes(res.status), JSON.stringify(res.body));
      assert.ok((await ownerNames(r, name)).length >= 1);
    }
  });

  test('an owner removed while publishing: the version lands before the removal or is refused', async () => {
    for (let round = 0; round < 8; round++) {
      const name = await newPackage(r, alice, 'inflight');
      await addOwner(r, name, alice, bob);
      const [published, removed] = await Promise.all([
        publish(r.api, bob.token, { name, version: '2.0.0' }),
        removeOwner(r, name, bob.username, alice.token),
      ]);
      assert.equal(removed.status, 204, JSON.stringify(removed.body));
      const audit = await auditRows(name);
      const removal = audit.find((a) => a.action === 'owner_remove')!;
      const publishes = audit.filter((a) => a.action === 'publish' && a.actor_username === bob.username);
      if (published.status === 201) {
        assert.equal(publishes.length, 1);
        assert.ok(publishes[0]!.id < removal.id, 'the publish committed before the removal');
      } else {
        refused(published, 403, 'not_owner');
        assert.equal(publishes.length, 0);
        assert.equal((await call(`${r.api}/packages/${name}/2.0.0`)).status, 404);
      }
    }
  });
});
