/**
 * In Chromium: the webhooks page. Add a webhook (its secret shown once, and it is the one deliveries
 * are signed with), see it listed with its last delivery, read its deliveries, switch it off and on,
 * delete it; a refused form keeps what was typed and says why.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, PASSWORD, publish, signUp } from '../helpers/client.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';
import { launch, openPage, skipWithoutChromium, step } from './browser.ts';

const skip = skipWithoutChromium();

describe('webhooks in a browser', { skip }, () => {
  let r: TestRegistry;
  let browser: Browser;
  let receiver: Receiver;
  let owner: { username: string; token: string };

  before(async () => {
    r = await startRegistry({ REGISTRY_WEBHOOK_ALLOW_PRIVATE: 'true', REGISTRY_WEBHOOK_ALLOW_HTTP: 'true' });
    owner = await signUp(r.api);
    assert.equal((await publish(r.api, owner.token, { name: 'hooked-pkg', version: '1.0.0' })).status, 201);
    receiver = await startReceiver();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await receiver?.close();
    await r?.close();
  });

  async function logIn(): Promise<Page> {
    const page = await openPage(browser);
    await page.goto(`${r.url}/login?next=%2Faccount%2Fwebhooks`);
    await page.fill('#login-user', owner.username);
    await page.fill('#login-pass', PASSWORD);
    await page.click('form.form button[type=submit]');
    await page.waitForURL(`${r.url}/account/webhooks`);
    return page;
  }

  test('add a webhook, its secret shown once; it is listed, delivers, is switched off and on, and deleted', async () => {
    const page = await logIn();
    const list = page.locator('section[aria-labelledby=hooks-h]');
    await step(page, 'webhooks-empty', async () => {
      assert.match(await list.innerText(), /Your webhooks \(0 of 25\)\s+You have no webhooks\./);
    });
    let secret = '';
    await step(page, 'webhooks-create', async () => {
      await page.fill('#hook-url', receiver.url);
      assert.equal(await page.isChecked('#event-package-published'), true, 'package.published is ticked by default');
      await page.check('#event-version-yanked');
      await page.fill('#hook-package', 'hooked-pkg');
      await page.click('form.form button[type=submit]');
      secret = (await page.locator('#new-secret').innerText()).trim();
      assert.match(secret, /^whsec_/);
      assert.match(await list.innerText(), /Your webhooks \(1 of 25\)/);
      const row = await list.locator('tbody tr').innerText();
      assert.match(row, new RegExp(`${receiver.url}\\s+package\\.published, version\\.yanked\\s+hooked-pkg\\s+Active\\s+None yet`));
      await page.goto(`${r.url}/account/webhooks`);
      assert.equal(await page.locator('#new-secret').count(), 0, 'the secret is not shown again');
      assert.ok(!(await page.content()).includes(secret));
    });
    await step(page, 'webhooks-delivery', async () => {
      receiver.setSecret(secret);
      assert.equal((await publish(r.api, owner.token, { name: 'hooked-pkg', version: '1.1.0' })).status, 201);
      await receiver.waitFor((arrivals) => arrivals.some((a) => a.type === 'package.published'));
      assert.equal(receiver.arrivals[0]!.verified, true, 'signed with the secret the page showed');
      // The delivery's outcome is recorded just after the receiver answers: reload until it shows.
      await pollUntil(page, () => list.locator('tbody tr').innerText(), /delivered \(HTTP 204\)/);
      await page.click(`a[aria-label="Deliveries of the webhook to ${receiver.url}"]`);
      await page.waitForURL(/\/account\/webhooks\/\d+$/);
      assert.match(await page.locator('h2#deliveries-h').innerText(), /Deliveries \(1\)/);
      assert.match(await page.locator('tbody tr').innerText(), /package\.published\s+hooked-pkg\s+.+\s+delivered\s+1\s+HTTP 204/);
      await page.click('text=Back to your webhooks');
    });
    await step(page, 'webhooks-switch', async () => {
      await page.click(`button[aria-label="Switch off the webhook to ${receiver.url}"]`);
      await page.waitForURL(`${r.url}/account/webhooks?done=off`);
      assert.match(await list.locator('tbody tr').innerText(), new RegExp(`Off: switched off by ${owner.username}`));
      await page.click(`button[aria-label="Switch on the webhook to ${receiver.url}"]`);
      await page.waitForURL(`${r.url}/account/webhooks?done=on`);
      assert.match(await list.locator('tbody tr').innerText(), /Active/);
    });
    await step(page, 'webhooks-delete', async () => {
      await page.click(`button[aria-label="Delete the webhook to ${receiver.url}"]`);
      await page.waitForURL(`${r.url}/account/webhooks?done=deleted`);
      assert.match(await page.locator('main').innerText(), /The webhook was deleted\.[\s\S]*You have no webhooks\./);
      assert.deepEqual((await call(`${r.api}/webhooks`, { token: owner.token })).body.results, []);
    });
    await page.context().close();
  });

  test('a refused webhook keeps the form and says why', async () => {
    const page = await logIn();
    await step(page, 'webhooks-refused', async () => {
      await page.fill('#hook-url', receiver.url);
      await page.fill('#hook-package', 'not-my-package');
      await page.click('form.form button[type=submit]');
      assert.match(await page.locator('[role=alert]').innerText(), /No package named not-my-package/);
      assert.equal(await page.inputValue('#hook-url'), receiver.url, 'what was typed is kept');
      await page.uncheck('#event-package-published');
      await page.fill('#hook-package', '');
      await page.click('form.form button[type=submit]');
      assert.match(await page.locator('[role=alert]').innerText(), /events must be a non-empty list/);
      assert.match(await page.locator('section[aria-labelledby=hooks-h]').innerText(), /You have no webhooks/);
    });
    await page.context().close();
  });
});

/** Reloads the page until `read` matches: for a change made in the background. */
async function pollUntil(page: Page, read: () => Promise<string>, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = await read();
    if (pattern.test(text)) return;
    if (Date.now() > until) assert.fail(`${pattern} never appeared; last: ${text}`);
    await page.waitForTimeout(100);
    await page.reload();
  }
}
