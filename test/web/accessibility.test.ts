/**
 * In Chromium, every page type: axe-core finds no serious or critical violation (light and dark), and
 * a 360 px wide viewport never scrolls sideways.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, PASSWORD, publish, signUp, uniqueName } from '../helpers/client.ts';
import { axeViolations, launch, openPage, scrollsSideways, skipWithoutChromium, step } from './browser.ts';
import { seed, type Seeded } from './seed.ts';
import { signUpAdmin, type User } from '../api/admin/admin-helpers.ts';

const skip = skipWithoutChromium();

describe('every page type, accessible and narrow', { skip }, () => {
  let r: TestRegistry;
  let browser: Browser;
  let seeded: Seeded;
  let admin: User;
  let keeper: { username: string; token: string };
  let hookId: number;

  before(async () => {
    r = await startRegistry({ REGISTRY_WEBHOOK_ALLOW_PRIVATE: 'true', REGISTRY_WEBHOOK_ALLOW_HTTP: 'true' });
    seeded = await seed(r);
    admin = await signUpAdmin(r);
    // The dashboard then has routes, downloads and an instance to show.
    await r.registry.fleet.report();
    ({ keeper, hookId } = await seedOwnerPages(r, seeded));
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await r?.close();
  });

  const publicPages = () => [
    ['home', '/'],
    ['search', '/search?q=json'],
    ['search-none', '/search?q=zzzqqq'],
    ['package', '/packages/json-parser'],
    ['version', '/packages/json-parser/1.0.0'],
    ['user', `/users/${seeded.owner.username}`],
    ['login', '/login'],
    ['register', '/register'],
    ['not-found', '/no/such/page'],
  ];

  /** Logs a new user in through the forms and creates a token, leaving the page on the account page. */
  async function accountPage(page: Page): Promise<void> {
    const username = uniqueName('a11y');
    await page.goto(`${r.url}/register`);
    await page.fill('#reg-user', username);
    await page.fill('#reg-email', `${username}@example.com`);
    await page.fill('#reg-pass', PASSWORD);
    await page.click('form.form button[type=submit]');
    await page.waitForURL(`${r.url}/account`);
    await page.fill('#token-name', 'a-token-with-a-long-name-for-narrow-screens');
    await page.click('form.form button[type=submit]');
    await page.locator('#new-token').waitFor();
  }

  /** The admin dashboard, as an admin (the session cookie set directly). */
  async function dashboardPage(page: Page): Promise<void> {
    await page.context().addCookies([{ name: 'synapse_session', value: admin.token, url: r.url }]);
    await page.goto(`${r.url}/admin/dashboard?range=hour`);
    await page.locator('#routes').waitFor();
  }

  /** Pages of a logged-in owner: the package page's owner section, invitations, webhooks, deliveries. */
  const ownerPages = () => [
    ['owner-tools', '/packages/kept-pkg'],
    ['account-invitations', '/account'],
    ['webhooks', '/account/webhooks'],
    ['webhook-deliveries', `/account/webhooks/${hookId}`],
  ];

  async function logInKeeper(page: Page): Promise<void> {
    await page.goto(`${r.url}/login`);
    await page.fill('#login-user', keeper.username);
    await page.fill('#login-pass', PASSWORD);
    await page.click('form.form button[type=submit]');
    await page.waitForURL(`${r.url}/account`);
  }

  // The dark scheme changes colours only: its pass runs the rules colours can fail (contrast, and links
  // told apart from text by colour alone); the light pass runs every rule.
  const rulesFor = { light: undefined, dark: ['color-contrast', 'link-in-text-block'] };
  for (const scheme of ['light', 'dark'] as const) {
    test(`axe-core: no serious or critical violation on any page (${scheme})`, async () => {
      const page = await openPage(browser, { bypassCSP: true, colorScheme: scheme });
      const visit = async (name: string, load: () => Promise<unknown>) =>
        step(page, `axe-${scheme}-${name}`, async () => {
          await load();
          const violations = await axeViolations(page, rulesFor[scheme]);
          assert.deepEqual(
            violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
            [],
            name,
          );
        });
      for (const [name, path] of publicPages()) await visit(name!, () => page.goto(`${r.url}${path}`));
      await visit('account', () => accountPage(page));
      await visit('dashboard', () => dashboardPage(page));
      await page.context().close();
      const owner = await openPage(browser, { bypassCSP: true, colorScheme: scheme });
      await logInKeeper(owner);
      for (const [name, path] of ownerPages()) {
        await step(owner, `axe-${scheme}-${name}`, async () => {
          await owner.goto(`${r.url}${path}`);
          const violations = await axeViolations(owner, rulesFor[scheme]);
          assert.deepEqual(
            violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
            [],
            name,
          );
        });
      }
      await owner.context().close();
    });
  }

  test('360 px wide: no page scrolls sideways', async () => {
    const page = await openPage(browser, { viewport: { width: 360, height: 740 } });
    for (const [name, path] of publicPages()) {
      await step(page, `narrow-${name}`, async () => {
        await page.goto(`${r.url}${path}`);
        assert.equal(await scrollsSideways(page), false, `${name} scrolls sideways at 360 px`);
      });
    }
    await step(page, 'narrow-account', async () => {
      await accountPage(page);
      assert.equal(await scrollsSideways(page), false, 'account scrolls sideways at 360 px');
    });
    await step(page, 'narrow-dashboard', async () => {
      await dashboardPage(page);
      assert.equal(await scrollsSideways(page), false, 'the dashboard scrolls sideways at 360 px');
    });
    await page.context().close();
    const owner = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await logInKeeper(owner);
    for (const [name, path] of ownerPages()) {
      await step(owner, `narrow-${name}`, async () => {
        await owner.goto(`${r.url}${path}`);
        assert.equal(await scrollsSideways(owner), false, `${name} scrolls sideways at 360 px`);
      });
    }
    await owner.context().close();
  });
});

/**
 * An owner with something on every owner page: kept-pkg with an open invitation it sent, an invitation
 * it received (to json-parser), and a webhook with a delivery (to a closed port: a failed attempt).
 */
async function seedOwnerPages(r: TestRegistry, seeded: Seeded) {
  const keeper = await signUp(r.api, uniqueName('keeper-with-a-long-name'));
  const other = await signUp(r.api);
  assert.equal((await publish(r.api, keeper.token, { name: 'kept-pkg', version: '1.0.0' })).status, 201);
  const invite = (token: string, pkg: string, username: string) =>
    call(`${r.api}/packages/${pkg}/owners/invitations`, { token, json: { username } });
  assert.equal((await invite(keeper.token, 'kept-pkg', other.username)).status, 201);
  assert.equal((await invite(seeded.owner.token, 'json-parser', keeper.username)).status, 201);
  const hook = await call(`${r.api}/webhooks`, {
    token: keeper.token,
    json: {
      url: 'http://127.0.0.1:9/a-rather-long-path/for/a/narrow/screen',
      events: ['package.published', 'owner.added'],
      package: 'kept-pkg',
    },
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  assert.equal((await publish(r.api, keeper.token, { name: 'kept-pkg', version: '1.1.0' })).status, 201);
  return { keeper, hookId: hook.body.id as number };
}
