/**
 * In Chromium: an owner invites bob from the package page, bob accepts on his account page and is an
 * owner; an invitation withdrawn, an owner removed, refusals shown on the page. Each browser context
 * is one person, logged in through the forms.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, PASSWORD, publish, signUp, uniqueName } from '../helpers/client.ts';
import { launch, openPage, skipWithoutChromium, step } from './browser.ts';

const skip = skipWithoutChromium();

type Person = { username: string; token: string };

/** A browser of its own for `who`, logged in through the login form. */
async function logIn(browser: Browser, r: TestRegistry, who: Person): Promise<Page> {
  const page = await openPage(browser);
  await page.goto(`${r.url}/login`);
  await page.fill('#login-user', who.username);
  await page.fill('#login-pass', PASSWORD);
  await page.click('form.form button[type=submit]');
  await page.waitForURL(`${r.url}/account`);
  return page;
}

const ownersOf = async (r: TestRegistry, name: string): Promise<string[]> =>
  (await call(`${r.api}/packages/${name}/owners`)).body.owners.map((o: { username: string }) => o.username);

describe('owners and invitations in a browser', { skip }, () => {
  let r: TestRegistry;
  let browser: Browser;
  let alice: Person;
  let bob: Person;
  let carol: Person;

  before(async () => {
    r = await startRegistry();
    // Owners are listed by name: these sort alice, bob, carol whatever the counter (user-…-99 sorts after user-…-100).
    [alice, bob, carol] = [
      await signUp(r.api, uniqueName('alice')),
      await signUp(r.api, uniqueName('bob')),
      await signUp(r.api, uniqueName('carol')),
    ];
    assert.equal((await publish(r.api, alice.token, { name: 'shared-pkg', version: '1.0.0' })).status, 201);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await r?.close();
  });

  test('alice invites bob; bob accepts on his account page and is listed as an owner', async () => {
    const a = await logIn(browser, r, alice);
    await step(a, 'owners-invite', async () => {
      await a.goto(`${r.url}/packages/shared-pkg`);
      const section = a.locator('section#owners');
      assert.equal(await section.locator('h2').innerText(), 'Manage owners');
      await a.fill('#invite-user', bob.username.toUpperCase());
      await section.locator('button', { hasText: 'Invite' }).click();
      await a.waitForURL(`${r.url}/packages/shared-pkg?owners=invited#owners`);
      assert.match(await section.locator('[role=status]').innerText(), /The invitation was sent/);
      assert.match(
        await section.locator('table').nth(1).innerText(),
        new RegExp(`${bob.username}\\s+${alice.username}`),
        'the open invitation is listed',
      );
    });
    const b = await logIn(browser, r, bob);
    await step(b, 'owners-accept', async () => {
      const invitations = b.locator('section#invitations');
      assert.match(await invitations.innerText(), new RegExp(`shared-pkg\\s+${alice.username}`));
      await b.click('button[aria-label="Accept the invitation to shared-pkg"]');
      await b.waitForURL(`${r.url}/packages/shared-pkg?owners=accepted#owners`);
      assert.match(await b.locator('section#owners [role=status]').innerText(), /You are now an owner of this package/);
      const aside = await b.locator('aside').innerText();
      assert.match(aside, new RegExp(`Owners\\s+${alice.username}\\s+${bob.username}`), 'bob is listed in the package facts');
      assert.match(await b.locator('section#owners table').first().innerText(), new RegExp(`${bob.username} \\(you\\)`));
      await b.goto(`${r.url}/account`);
      assert.equal(await b.locator('section#invitations').count(), 0, 'no open invitation is left');
    });
    assert.deepEqual(await ownersOf(r, 'shared-pkg'), [alice.username, bob.username]);
    const audit = await call(`${r.api}/packages/shared-pkg/audit`, { token: alice.token });
    assert.deepEqual(
      audit.body.results.slice(0, 2).map((e: { action: string }) => e.action),
      ['owner_accept', 'owner_invite'],
      'the same audit entries as the API',
    );
    await a.context().close();
    await b.context().close();
  });

  test('alice withdraws an invitation to carol and removes bob, carol declines another; refusals are shown on the page', async () => {
    const a = await logIn(browser, r, alice);
    const section = a.locator('section#owners');
    await step(a, 'owners-withdraw', async () => {
      await a.goto(`${r.url}/packages/shared-pkg`);
      await a.fill('#invite-user', carol.username);
      await section.locator('button', { hasText: 'Invite' }).click();
      await a.waitForURL(/owners=invited/);
      await a.click(`button[aria-label="Withdraw the invitation of ${carol.username}"]`);
      await a.waitForURL(`${r.url}/packages/shared-pkg?owners=withdrawn#owners`);
      assert.match(await section.innerText(), /The invitation was withdrawn\.[\s\S]*No open invitations\./);
    });
    await step(a, 'owners-refusals', async () => {
      await a.fill('#invite-user', 'no-such-user');
      await section.locator('button', { hasText: 'Invite' }).click();
      assert.match(await section.locator('[role=alert]').innerText(), /No user named no-such-user/);
      await a.fill('#invite-user', alice.username);
      await section.locator('button', { hasText: 'Invite' }).click();
      assert.match(await section.locator('[role=alert]').innerText(), /You are already an owner of shared-pkg/);
    });
    await step(a, 'owners-remove', async () => {
      await a.goto(`${r.url}/packages/shared-pkg`);
      await a.click(`button[aria-label="Remove owner ${bob.username}"]`);
      await a.waitForURL(`${r.url}/packages/shared-pkg?owners=removed#owners`);
      assert.match(await section.locator('[role=status]').innerText(), /The owner was removed/);
      assert.doesNotMatch(await a.locator('aside').innerText(), new RegExp(bob.username));
      assert.equal(await section.locator('button', { hasText: 'Remove' }).count(), 0, 'the last owner has no remove button');
      assert.match(await section.innerText(), /A package always keeps one owner/);
    });
    const c = await logIn(browser, r, carol);
    await step(c, 'owners-carol', async () => {
      assert.equal(await c.locator('section#invitations').count(), 0, 'the withdrawn invitation is gone');
      await c.goto(`${r.url}/packages/shared-pkg`);
      assert.equal(await c.locator('section#owners').count(), 0, 'no owner section for someone who owns nothing here');
    });
    await step(a, 'owners-invite-again', async () => {
      await a.goto(`${r.url}/packages/shared-pkg`);
      await a.fill('#invite-user', carol.username);
      await section.locator('button', { hasText: 'Invite' }).click();
      await a.waitForURL(/owners=invited/);
    });
    await step(c, 'owners-decline', async () => {
      await c.goto(`${r.url}/account`);
      await c.click('button[aria-label="Decline the invitation to shared-pkg"]');
      await c.waitForURL(`${r.url}/account?declined=1`);
      assert.match(await c.locator('main [role=status]').innerText(), /The invitation was declined/);
      assert.equal(await c.locator('section#invitations').count(), 0);
    });
    assert.deepEqual(await ownersOf(r, 'shared-pkg'), [alice.username], 'bob removed, carol declined');
    await a.context().close();
    await c.context().close();
  });
});
