import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchQuery } from '../search/index.ts';
import { highlight, wordMatcher } from './highlight.ts';
import { pager } from './pager.ts';
import { downloadsChart, lastDays } from './chart.ts';

const marked = (text: string, query: string, corrections: string[] = []) =>
  highlight(text, wordMatcher(parseSearchQuery(query), corrections))
    .map((p) => (p.hit ? `[${p.text}]` : p.text))
    .join('');

test('query words are marked at word starts, case kept; excluded words are not', () => {
  assert.equal(marked('Fast JSON parser for json-rpc', 'json pars -fast'), 'Fast [JSON] [pars]er for [json]-rpc');
  assert.equal(marked('a parser', 'pasrer', ['parser']), 'a [parser]');
  assert.equal(marked('<b>json</b>', 'json'), '<b>[json]</b>', 'text stays text: the template escapes it');
  assert.deepEqual(highlight(null, null), []);
});

test('a word full of regex syntax is matched literally', () => {
  assert.equal(marked('c++ (and c)', '"c++"'), '[c]++ (and [c])');
});

test('pages: a window of seven around the current one, capped at the last reachable page', () => {
  const p = pager({ label: 'x', page: 10, perPage: 20, total: 1000, maxPage: 500, href: (n) => `?page=${n}` });
  assert.deepEqual(
    p.links.map((l) => l.page),
    [7, 8, 9, 10, 11, 12, 13],
  );
  assert.equal(p.prev, '?page=9');
  assert.equal(p.next, '?page=11');
  const last = pager({ label: 'x', page: 3, perPage: 20, total: 41, maxPage: 500, href: String });
  assert.deepEqual(
    last.links.map((l) => l.page),
    [1, 2, 3],
  );
  assert.equal(last.next, null);
});

test('the chart has one bar per day with its count as a tooltip, and a summary', () => {
  const days = lastDays(new Date('2026-12-03T10:00:00Z'), 3);
  assert.deepEqual(days, ['2026-12-01', '2026-12-02', '2026-12-03']);
  const svg = downloadsChart({ days, counts: new Map([['2026-12-02', 1500]]) });
  assert.equal(svg.match(/<rect /g)?.length, 3);
  assert.match(svg, /<title>2026-12-02: 1,500<\/title>/);
  assert.match(svg, /<desc id="chart-d">1,500 downloads from 2026-12-01 to 2026-12-03; the busiest day had 1,500\.<\/desc>/);
});
