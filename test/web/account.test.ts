/** In Chromium: register → log out → log in → create an API token (its secret shown once) → revoke it. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { PASSWORD, uniqueName } from '../helpers/client.ts';
import { launch, openPage, skipWithoutChromium, step } from './browser.ts';

const skip = skipWithoutChromium();

describe('an account in a browser', { skip }, () => {
  let r: TestRegistry;
  let browser: Browser;

  before(async () => {
    r = await startRegistry();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await r?.close();
  });

  test('register, log out, log in, create a token shown once, revoke it', async () => {
    const page = await openPage(browser);
    const username = uniqueName('web');
    await step(page, 'account-register', async () => {
      await page.goto(`${r.url}/register`);
      await page.fill('#reg-user', username);
      await page.fill('#reg-email', `${username}@example.com`);
      await page.fill('#reg-pass', PASSWORD);
      await page.click('form.form button[type=submit]');
      await page.waitForURL(`${r.url}/account`);
      assert.match(await page.locator('h1').innerText(), new RegExp(`Account: ${username}`));
      const session = (await page.context().cookies()).find((c) => c.name === 'synapse_session');
      assert.ok(session, 'a session cookie');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');
      assert.equal(await page.evaluate(() => document.cookie), '', 'no cookie is readable by script');
    });
    await step(page, 'account-logout', async () => {
      await page.locator('header button', { hasText: 'Log out' }).click();
      await page.waitForURL(`${r.url}/`);
      assert.ok(await page.locator('header a', { hasText: 'Log in' }).isVisible());
      await page.goto(`${r.url}/account`);
      await page.waitForURL(/\/login\?next=%2Faccount$/);
    });
    await step(page, 'account-login', async () => {
      await page.fill('#login-user', username);
      await page.fill('#login-pass', 'wrong-password-here');
      await page.click('form.form button[type=submit]');
      assert.equal(await page.locator('.error').innerText(), 'Wrong username or password.');
      await page.fill('#login-pass', PASSWORD);
      await page.click('form.form button[type=submit]');
      await page.waitForURL(`${r.url}/account`);
    });
    let secret = '';
    await step(page, 'account-create-token', async () => {
      await page.fill('#token-name', 'ci-publish');
      await page.check('#scope-yank');
      await page.click('form.form button[type=submit]');
      secret = (await page.locator('#new-token').innerText()).trim();
      assert.match(secret, /^syn_/);
      assert.match(await page.locator('table.rows tbody').innerText(), /ci-publish\s+publish, yank/);
      // The token works against the API.
      const res = await fetch(`${r.api}/auth/verify`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } });
      assert.equal(res.status, 200);
      // Shown once: the account page never shows it again.
      await page.goto(`${r.url}/account`);
      assert.equal(await page.locator('#new-token').count(), 0);
      assert.ok(!(await page.content()).includes(secret));
    });
    await step(page, 'account-revoke', async () => {
      await page.click('button[aria-label="Revoke token ci-publish"]');
      await page.waitForURL(`${r.url}/account?revoked=1`);
      assert.match(await page.locator('main').innerText(), /The token was revoked\.\s+API tokens\s+You have no API tokens\./);
      const res = await fetch(`${r.api}/auth/verify`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } });
      assert.equal(res.status, 401);
    });
    await page.context().close();
  });

  test('a form without its CSRF token is refused, and a GET changes nothing', async () => {
    const page = await openPage(browser);
    await step(page, 'csrf', async () => {
      await page.goto(`${r.url}/login`);
      // A cross-site form post carries the cookies but cannot know the token.
      const res = await page.request.post(`${r.url}/login`, { form: { username: 'x', password: 'y', _csrf: 'forged' } });
      assert.equal(res.status(), 403);
      assert.match(await res.text(), /This form expired or came from another site/);
      assert.equal((await page.request.get(`${r.url}/logout`)).status(), 404);
    });
    await page.context().close();
  });
});
