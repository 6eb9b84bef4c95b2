/**
 * The most expensive search, suggest and list requests we can construct answer promptly, and never
 * stall the server: /health/live, polled all along, keeps answering fast. A 256-letter word once
 * took seconds of blocking work (its typo neighbourhood), and four at once froze every route.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { publish, signUp } from '../../helpers/client.ts';

let r: TestRegistry;

before(async () => {
  r = await startRegistry();
  const { token } = await signUp(r.api);
  // A vocabulary to probe typo corrections against, in several scripts.
  const packages = [
    { name: 'http-client', description: 'A small HTTP client', keywords: ['http', 'client'] },
    { name: 'parser-kit', description: 'Parse things: Разбор строк, 解析器', keywords: ['parser', 'разбор'] },
    { name: 'emoji-tools', description: 'Emoji 😀 and naïve café text', keywords: ['emoji', 'unicode'] },
  ];
  for (const pkg of packages) assert.equal((await publish(r.api, token, { ...pkg, version: '1.0.0' })).status, 201);
});
after(() => r.close());

const distinct = (from: number, n: number, step = 1) => Array.from({ length: n }, (_, i) => String.fromCodePoint(from + i * step)).join('');
const words = (n: number, length: number, from: number) =>
  Array.from({ length: n }, (_, i) => distinct(from + i * length, length)).join(' ');
const latin = (n: number, separator = ' ') => Array.from({ length: n }, (_, i) => `word${i}`).join(separator);

const WORST_QUERIES: string[] = [
  distinct(0x4e00, 256), // one word of 256 distinct CJK letters
  'a'.repeat(256),
  distinct(0x410, 64).repeat(4), // Cyrillic
  distinct(0x400, 256), // Cyrillic block, letters and marks
  distinct(0x1f600, 64).repeat(4), // emoji: no word at all
  `x${distinct(0x1f600, 100)}y${'😀'.repeat(100)}z`,
  'e\u0301'.repeat(128), // combining marks
  `${'a'}${'\u0301'.repeat(255)}`,
  distinct(0x100, 256), // Latin Extended: 256 distinct letters
  `${distinct(0x391, 20)}${distinct(0x430, 30)}${distinct(0x5d0, 27)}${distinct(0xac00, 100)}`, // Greek, Cyrillic, Hebrew, Hangul
  words(16, 15, 0x4e00), // 16 long distinct words
  words(12, 20, 0x4e00),
  latin(17), // too many terms
  Array.from({ length: 128 }, (_, i) => String.fromCharCode(0x61 + (i % 26))).join('-'), // a-b-c… 128 parts
  `${'('.repeat(32)}parser${')'.repeat(32)}`,
  `${'('.repeat(128)}parser`,
  `${'"('.repeat(100)}x`,
  '"'.repeat(256),
  `"${latin(32)}`,
  `"${latin(33)}"`,
  latin(32, '-'),
  '-'.repeat(256),
  '* '.repeat(128),
  'ab* OR cd* OR ef* OR gh* OR ij* OR kl* OR mn* OR op* OR qr* OR st* OR uv* OR wx* OR yz* OR ht* OR pa* OR cl*',
  'a* OR b* OR c* OR d* OR e* OR f* OR g* OR h*',
  ':'.repeat(256),
  'name:'.repeat(51),
  'name:(author:(keyword:(a OR b) -c) OR d)-e:"f',
  'NOT '.repeat(64),
  '-parser -http -client -emoji -tools -kit -a -b -c -d -e -f -g -h -i -j',
  'parsr clinet emojj unicdoe tolos htpp parsee',
  'x'.repeat(257), // too long
  '\u0000'.repeat(256),
];

interface Poller {
  stop(): Promise<number[]>;
}

/** Polls /health/live back to back until stopped; returns each answer's time in ms. */
function pollHealth(): Poller {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(`${r.api}/health/live`);
      await res.arrayBuffer();
      times.push(performance.now() - started);
      assert.equal(res.status, 200);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return times;
    },
  };
}

async function expectPrompt(path: string): Promise<void> {
  const started = performance.now();
  const res = await fetch(`${r.api}${path}`);
  const body = (await res.json()) as { code?: string };
  const ms = performance.now() - started;
  assert.ok(res.status === 200 || res.status === 400, `${path}: ${res.status} ${JSON.stringify(body)}`);
  if (res.status === 400) {
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8', path);
    assert.match(body.code ?? '', /^[a-z_]+$/, path);
  }
  // Generous: the point is seconds before, and no stall; real figures are measured on 100,000 packages.
  assert.ok(ms < 2_000, `${path.slice(0, 80)}… took ${ms.toFixed(0)} ms`);
}

const search = (q: string, extra = '') => `/search?q=${encodeURIComponent(q)}${extra}`;

test('the worst search texts answer 200 or 400 promptly, and /health/live stays fast all along', async () => {
  const poller = pollHealth();
  let times: number[] = [];
  try {
    for (const q of WORST_QUERIES) {
      await expectPrompt(search(q));
      await expectPrompt(search(q, '&explain=true&per_page=100&page=100'));
      await expectPrompt(`/search/suggest?q=${encodeURIComponent(q.slice(0, 214))}`);
    }
    // Four of the worst at once used to freeze every route for ~40 s.
    await Promise.all([0, 1, 2, 3].map((i) => expectPrompt(search(distinct(0x4e00 + i * 256, 256)))));
    for (const list of ['/packages/trending', '/packages/recent']) {
      await expectPrompt(`${list}?per_page=100&page=100`);
    }
  } finally {
    times = (await poller.stop()).sort((a, b) => a - b);
  }
  assert.ok(times.length > 20, `only ${times.length} health checks`);
  const p90 = times[Math.floor(times.length * 0.9)]!;
  const worst = times[times.length - 1]!;
  const summary = `p90 ${p90.toFixed(1)} ms, max ${worst.toFixed(1)} ms over ${times.length} checks`;
  // The goal is every check under 50 ms, as on a quiet machine. A busy shared test machine delays a
  // few checks whatever the server does, so the bounds are on the bulk and, generously, on the worst:
  // one blocking request (seconds before the fix) fails either.
  // (p90 < 50 failed once at 55 ms with the machine's load at 11 from parallel work: 100 ms leaves room.)
  assert.ok(p90 < 100, summary);
  assert.ok(worst < 1_000, summary);
});

test('refusals say what to change', async () => {
  const tooLong = await (await fetch(`${r.api}${search('x'.repeat(257))}`)).json();
  assert.equal(tooLong.code, 'search_query_too_long');
  assert.match(tooLong.detail, /at most 256 characters/);
  const tooMany = await (await fetch(`${r.api}${search(latin(17))}`)).json();
  assert.equal(tooMany.code, 'search_query_too_complex');
  assert.match(tooMany.detail, /at most 16 terms and 32 words/);
  const parts = await (await fetch(`${r.api}${search(latin(33, '-'))}`)).json();
  assert.equal(parts.code, 'search_query_too_complex');
});
