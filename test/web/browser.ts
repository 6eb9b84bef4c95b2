/**
 * Chromium for the page tests: Debian's `chromium` driven by playwright-core, headless. Without it the
 * suites skip with the reason, unless REGISTRY_REQUIRE_BACKENDS=1 (CI), where a skip would hide them.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.REGISTRY_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** The `skip` option for a browser suite: false when Chromium is there, else the reason. */
export function skipWithoutChromium(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set REGISTRY_TEST_CHROMIUM)`;
  if (process.env.REGISTRY_REQUIRE_BACKENDS === '1') throw new Error(`REGISTRY_REQUIRE_BACKENDS=1 but ${reason}`);
  return reason;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
  return context.newPage();
}

const RESULTS = new URL('../../test-results/', import.meta.url).pathname;

/** Runs a step; when it fails, the page is saved as test-results/<name>.png before the error goes on. */
export async function step<T>(page: Page, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await mkdir(RESULTS, { recursive: true });
    await page.screenshot({ path: `${RESULTS}${name.replace(/[^a-z0-9-]+/gi, '-')}.png`, fullPage: true }).catch(() => undefined);
    throw error;
  }
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's serious and critical violations on the page as it stands. The script is injected inline,
 * so the page's context must be opened with `bypassCSP: true` (the pages' CSP forbids inline script).
 */
/**
 * axe-core's serious and critical violations on the page: every rule, or with `rules` only those
 * (the dark scheme changes colours only, so its pass runs the rules colours can fail).
 */
export async function axeViolations(page: Page, rules?: string[]): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async (only) => {
    type Axe = { run(options?: object): Promise<{ violations: AxeViolation[] }> };
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    return (await axe.run(only ? { runOnly: { type: 'rule', values: only } } : {})).violations;
  }, rules);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Whether the page scrolls sideways at its current viewport. */
export const scrollsSideways = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
