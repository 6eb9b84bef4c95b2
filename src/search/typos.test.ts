import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchQuery } from './query.ts';
import { toFts5Match } from './sqlite-fts5.ts';
import { exactNameCandidates } from './ranking.ts';
import { typoNeighbours, typoWords, withTypos } from './typos.ts';

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
