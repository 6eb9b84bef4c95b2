/**
 * Makes docs/package-page.png, the README's picture of a package page: a test registry with a few
 * real packages and 90 days of downloads (made with the registry's clock, one day at a time), shot
 * in Chromium at 1200 px.
 *
 *   node --import tsx scripts/package-page-screenshot.ts
 */
import { packageTarball } from '../test/fixtures/tarballs.ts';
import { publishTarball, signUp } from '../test/helpers/client.ts';
import { startRegistry } from '../test/helpers/registry.ts';
import { launch, openPage } from '../test/web/browser.ts';

const README = `# json-parser

A fast, strict JSON parser for Synapse: parses UTF-8 text into values, reports the line and column
of the first error, and never allocates more than the input needs.

## Use

\`\`\`
use json-parser

let value = json.parse(text)?
print(value["name"])
\`\`\`

## Options

| option | default | meaning |
| --- | --- | --- |
| \`max_depth\` | 128 | nesting allowed |
| \`allow_comments\` | false | accept \`//\` comments |

See [the documentation](https://docs.example/json-parser) for the streaming API.
`;

const day = 86_400_000;
const today = Date.parse('2026-12-03T12:00:00Z');
let clock = today;
const r = await startRegistry({}, { now: () => new Date(clock) });
try {
  clock = today - 100 * day;
  const { token } = await signUp(r.api, 'jane');
  const manifest = {
    description: 'A fast, strict JSON parser',
    keywords: ['json', 'parser'],
    license: 'MIT',
    homepage: 'https://json-parser.example',
    repository: 'https://git.example/jane/json-parser',
  };
  for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
    const res = await publishTarball(
      r.api,
      token,
      packageTarball({ name: 'json-parser', version, ...manifest }, { files: { 'README.md': README } }),
    );
    if (res.status !== 201) throw new Error(`publish answered ${res.status}`);
  }
  await publishTarball(
    r.api,
    token,
    packageTarball({
      name: 'http-client',
      version: '0.4.0',
      description: 'HTTP client with JSON bodies',
      dependencies: { 'json-parser': '^1.0.0' },
    }),
  );
  for (let d = 89; d >= 0; d--) {
    clock = today - d * day;
    const n = Math.round(6 + 4 * Math.sin(d / 6) + (89 - d) / 9 + (d % 7 === 0 ? -3 : 0));
    for (let i = 0; i < n; i++) await (await fetch(`${r.api}/packages/json-parser/1.2.0/tarball`)).arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 80));
  }
  const browser = await launch();
  const page = await openPage(browser, { viewport: { width: 1200, height: 860 } });
  await page.goto(`${r.url}/packages/json-parser`);
  await page.screenshot({ path: new URL('../docs/package-page.png', import.meta.url).pathname });
  await browser.close();
} finally {
  await r.close();
}
