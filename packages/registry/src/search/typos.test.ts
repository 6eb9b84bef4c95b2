import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchQuery } from './query.ts';
import { toFts5Match } from './sqlite-fts5.ts';
import { exactNameCandidates } from './ranking.ts';
import {
  TYPO_MAX_CANDIDATES,
  TYPO_MAX_LENGTH,
  TYPO_MAX_NEIGHBOURS,
  TYPO_MAX_WORDS,
  typoNeighbours,
  typoWords,
  withTypos,
} from './typos.ts';

test('typoNeighbours holds every single insertion, deletion, substitution and swap, and not the word', () => {
  const n = new Set(typoNeighbours('parse'));
  for (const v of ['prase', 'aprse', 'pars', 'arse', 'parsed', 'xparse', 'parze', 'pa2se']) assert.ok(n.has(v), v);
  for (const v of ['parse', 'prsae', 'pa', 'parsers']) assert.ok(!n.has(v), v);
});

test('only words of five or more characters outside negations are typo-tolerant', () => {
  assert.deepEqual(typoWords(parseSearchQuery('http parser -legacy "json schema" name:yamls ')), ['parser', 'yamls']);
});

test('withTypos ORs in the known corrections and leaves the rest alone', () => {
  const query = parseSearchQuery('parsr -legac ');
  const widened = withTypos(query, new Set(['parser', 'parse', 'legacy']));
  assert.equal(toFts5Match(widened)?.match, '("parsr" OR "parse" OR "parser") NOT "legac"');
  assert.equal(withTypos(query, new Set(['unrelated'])), query);
});

test('exactNameCandidates reads plain words as a name, exclusions aside', () => {
  assert.deepEqual(exactNameCandidates('HTTP_Client', parseSearchQuery('HTTP_Client')), ['http-client']);
  assert.deepEqual(exactNameCandidates('http client -legacy', parseSearchQuery('http client -legacy')), ['http-client']);
  assert.deepEqual(exactNameCandidates('json OR yaml', parseSearchQuery('json OR yaml')), []);
  assert.deepEqual(exactNameCandidates('author:jane', parseSearchQuery('author:jane')), []);
});

test('typo work is bounded by construction: word length and count, so the lookups per query', () => {
  const cjk = (n: number, from = 0x4e00) => Array.from({ length: n }, (_, i) => String.fromCodePoint(from + i)).join('');
  // Too long to be a likely typo (and past 64 characters never indexed): no corrections at all.
  assert.deepEqual(typoWords(parseSearchQuery(`${cjk(TYPO_MAX_LENGTH + 1)} ${'a'.repeat(200)} `)), []);
  assert.deepEqual(typoWords(parseSearchQuery(`${cjk(TYPO_MAX_LENGTH)} `)), [cjk(TYPO_MAX_LENGTH)]);
  // Only the first TYPO_MAX_WORDS words.
  const words = Array.from({ length: 12 }, (_, i) => cjk(TYPO_MAX_LENGTH, 0x4e00 + i * 100));
  assert.deepEqual(typoWords(parseSearchQuery(`${words.join(' ')} `)), words.slice(0, TYPO_MAX_WORDS));
  // What a query sends to the vocabulary: every neighbour of every word that gets corrections.
  const candidates = typoWords(parseSearchQuery(`${words.join(' ')} `)).flatMap(typoNeighbours);
  assert.ok(candidates.length > 1000 && candidates.length <= TYPO_MAX_CANDIDATES, String(candidates.length));
  assert.ok(TYPO_MAX_CANDIDATES <= 8_000, String(TYPO_MAX_CANDIDATES));
});

test('typoNeighbours itself never exceeds TYPO_MAX_NEIGHBOURS', () => {
  const longest = Array.from({ length: TYPO_MAX_LENGTH }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  const count = typoNeighbours(longest).length;
  assert.ok(count > 1000 && count <= TYPO_MAX_NEIGHBOURS, String(count));
  assert.deepEqual(typoNeighbours(`${longest}x`), []);
  assert.deepEqual(typoNeighbours('a'.repeat(256)), []);
});
