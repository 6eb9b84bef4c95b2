/** In Chromium: search → results → package page → README, chart, copy line; the version and user pages. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { launch, openPage, skipWithoutChromium, step } from './browser.ts';
import { seed, type Seeded } from './seed.ts';

const skip = skipWithoutChromium();

describe('browsing the registry in a browser', { skip }, () => {
  let r: TestRegistry;
  let browser: Browser;
  let seeded: Seeded;

  before(async () => {
    r = await startRegistry();
    seeded = await seed(r);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await r?.close();
  });

  test('search, open the package, read its README, see the chart, copy the install line', async () => {
    const page = await openPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: r.url });
    await step(page, 'browse-home', async () => {
      await page.goto(r.url);
      assert.equal(await page.locator('h1').innerText(), 'Find Synapse packages');
      await page.fill('#home-q', 'json parser');
      await page.press('#home-q', 'Enter');
      await page.waitForURL(/\/search\?q=json\+parser/);
    });
    await step(page, 'browse-results', async () => {
      const first = page.locator('ol.list li').first();
      assert.equal(await first.locator('a.name').innerText(), 'json-parser');
      assert.deepEqual(await first.locator('mark').allInnerTexts(), ['json', 'parser', 'JSON']);
      await first.locator('a.name').click();
      await page.waitForURL(/\/packages\/json-parser$/);
    });
    await step(page, 'browse-package', async () => {
      assert.match(await page.locator('h1').innerText(), /json-parser\s+1\.1\.0/);
      const readme = page.locator('section.readme');
      assert.ok(await readme.locator('h2', { hasText: 'json-parser' }).isVisible());
      assert.equal((await readme.locator('pre code').innerText()).trim(), 'let value = json.parse(text)');
      assert.equal(await readme.locator('img').getAttribute('src'), 'https://img.example/logo.png');
      const bars = page.locator('.chart svg rect');
      assert.equal(await bars.count(), 90);
      assert.match((await page.locator('.chart svg desc').textContent()) ?? '', /^3 downloads from /);
      assert.match((await bars.last().locator('title').textContent()) ?? '', /: 3$/);
      // The yanked version is marked, the latest tagged.
      assert.ok(await page.locator('tr', { hasText: '1.0.0' }).locator('.badge.yanked').isVisible());
      assert.ok(await page.locator('tr', { hasText: '1.1.0' }).locator('.badge.tag', { hasText: 'latest' }).isVisible());
      assert.equal(await page.locator('#dependents li a.name').innerText(), 'http-client');
      assert.ok(await page.locator('aside a', { hasText: seeded.owner.username }).isVisible());
      const copy = page.locator('button[data-copy="install-line"]');
      await copy.click();
      // The label changes when the clipboard's promise settles, after the click returns: wait for it.
      await page.locator('button[data-copy="install-line"]', { hasText: /^Copied$/ }).waitFor({ timeout: 10_000 });
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'synapse pkg add json-parser');
    });
    await step(page, 'browse-version', async () => {
      await page.click('a[href="/packages/json-parser/1.0.0"]');
      await page.waitForURL(/\/packages\/json-parser\/1\.0\.0$/);
      assert.match(await page.locator('.notice.bad').innerText(), /Version 1\.0\.0 was yanked: wrong output/);
      assert.equal(await page.locator('#install-line').innerText(), 'synapse pkg add json-parser@1.0.0');
    });
    await step(page, 'browse-user', async () => {
      await page.click(`aside a[href="/users/${seeded.owner.username}"]`);
      await page.waitForURL(new RegExp(`/users/${seeded.owner.username}$`));
      assert.deepEqual(await page.locator('ul.list a.name').allInnerTexts(), ['http-client', 'json-parser']);
    });
    await page.context().close();
  });

  test('a typo offers the right word; no match says how to search', async () => {
    const page = await openPage(browser);
    await step(page, 'search-typo', async () => {
      await page.goto(`${r.url}/search?q=pasrer`);
      assert.equal(await page.locator('a', { hasText: 'parser' }).first().getAttribute('href'), '/search?q=parser');
      assert.ok(await page.locator('mark', { hasText: 'parser' }).first().isVisible());
    });
    await step(page, 'search-empty', async () => {
      await page.goto(`${r.url}/search?q=zzzqqq`);
      assert.match(await page.locator('main').innerText(), /No package matches zzzqqq/);
      assert.ok(await page.locator('#tips-h').isVisible());
    });
    await page.context().close();
  });

  test('the copy button is the only thing JavaScript adds: with it off, the page still reads', async () => {
    const page = await openPage(browser, { javaScriptEnabled: false });
    await step(page, 'no-js', async () => {
      await page.goto(`${r.url}/packages/json-parser`);
      assert.equal(await page.locator('#install-line').innerText(), 'synapse pkg add json-parser');
      assert.equal(await page.locator('button[data-copy]').isVisible(), false);
      assert.equal(await page.locator('.chart svg rect').count(), 90);
    });
    await page.context().close();
  });
});
