/** The bytes each page type sends: its HTML, plus the stylesheet and script it links (each fetched once, then cached). */
import { markdownTable } from './stats.ts';
import { packageName, TOPICS, versionName } from './corpus.ts';

const PAGES: [string, string][] = [
  ['home', '/'],
  ['search', `/search?q=${TOPICS[0]}`],
  ['package', `/packages/${packageName(0)}`],
  ['version', `/packages/${packageName(0)}/${versionName(0)}`],
  ['login', '/login'],
  ['register', '/register'],
  ['not found', '/no/such/page'],
];

const bytesOf = async (url: string) => Buffer.byteLength(await (await fetch(url)).text());

export async function pageSizes(origin: string): Promise<string> {
  const rows: (string | number)[][] = [];
  for (const [name, path] of PAGES) {
    const html = await (await fetch(origin + path)).text();
    const css = /href="(\/static\/[^"]+\.css)"/.exec(html)?.[1];
    const js = /src="(\/static\/[^"]+\.js)"/.exec(html)?.[1];
    const cssBytes = css ? await bytesOf(origin + css) : 0;
    const jsBytes = js ? await bytesOf(origin + js) : 0;
    const htmlBytes = Buffer.byteLength(html);
    rows.push([name, htmlBytes, cssBytes, jsBytes, `${((htmlBytes + cssBytes) / 1024).toFixed(1)} KB`]);
  }
  return `Page weight (uncompressed bytes; the target is under 50 KB of HTML + CSS):\n\n${markdownTable(['page', 'HTML', 'CSS', 'JS', 'HTML + CSS'], rows)}`;
}
