import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryError } from '../../../core/src/errors.ts';
import { parseSearchQuery, queryTerms, searchTokens, type SearchField, type SearchNode, type SearchQuery, type TermNode } from './query.ts';

interface TermOptions {
  raw?: string;
  field?: SearchField;
  prefix?: boolean;
  /** Defaults to "more than one token"; an unquoted `a-b` is no phrase. */
  phrase?: boolean;
}

/** A term node; `text` is the expected token text, `raw` defaults to it. */
function t(text: string, options: TermOptions = {}): TermNode {
  return {
    kind: 'term',
    text,
    raw: options.raw ?? text,
    ...(options.field ? { field: options.field } : {}),
    phrase: options.phrase ?? text.includes(' '),
    prefix: options.prefix ?? false,
  };
}
const and = (...children: SearchNode[]): SearchNode => ({ kind: 'and', children });
const or = (...children: SearchNode[]): SearchNode => ({ kind: 'or', children });
const not = (child: SearchNode): SearchNode => ({ kind: 'not', child });

const cases: Array<[input: string, expected: SearchQuery]> = [
  // AND by default; the last word typed without a trailing space is a prefix.
  ['http', t('http', { prefix: true })],
  ['http ', t('http')],
  ['http client', and(t('http'), t('client', { prefix: true }))],
  ['http client ', and(t('http'), t('client'))],
  ['HTTP Client ', and(t('http', { raw: 'HTTP' }), t('client', { raw: 'Client' }))],
  ['http AND client ', and(t('http'), t('client'))],
  // OR binds looser than AND; lowercase `or` is a word.
  ['json OR yaml ', or(t('json'), t('yaml'))],
  ['a b OR c d ', or(and(t('a'), t('b')), and(t('c'), t('d')))],
  ['json or yaml ', and(t('json'), t('or'), t('yaml'))],
  // Negation, both spellings; prefix never applies to an excluded word.
  ['http -legacy', and(t('http'), not(t('legacy')))],
  ['http NOT legacy', and(t('http'), not(t('legacy')))],
  ['-legacy', not(t('legacy'))],
  ['-a -b ', and(not(t('a')), not(t('b')))],
  ['NOT NOT x ', t('x')],
  ['--flag ', not(t('flag'))],
  ['a - b ', and(t('a'), t('b'))],
  ['-"left pad" x ', and(not(t('left pad')), t('x'))],
  // Phrases; a quoted word is never a prefix, an unclosed one at the end still being typed is.
  ['"http client" ', t('http client')],
  ['"http client"', t('http client')],
  ['"http cl', t('http cl', { prefix: true })],
  ['"http cl ', t('http cl')],
  ['"react"', t('react')],
  ['x "" y ', and(t('x'), t('y'))],
  // Punctuation splits words into tokens the way the tokenizer does; an unquoted word of several
  // parts is no phrase: its parts match anywhere (ranked higher next to each other).
  ['http-client ', t('http client', { raw: 'http-client', phrase: false })],
  ['http-cl', t('http cl', { raw: 'http-cl', prefix: true, phrase: false })],
  ['foo.bar_baz ', t('foo bar baz', { raw: 'foo.bar_baz', phrase: false })],
  ['x2.0 ', t('x2 0', { raw: 'x2.0', phrase: false })],
  // Field filters, on words, phrases and groups.
  ['name:http ', t('http', { field: 'name' })],
  ['keyword:json ', t('json', { field: 'keyword' })],
  ['keywords:json ', t('json', { field: 'keyword' })],
  ['Author:jane ', t('jane', { field: 'author' })],
  ['author:"jane doe" ', t('jane doe', { field: 'author' })],
  ['author:"jane doe', t('jane doe', { field: 'author', prefix: true })],
  ['name: foo ', t('foo', { field: 'name' })],
  ['name:ht', t('ht', { field: 'name', prefix: true })],
  ['-name:legacy x ', and(not(t('legacy', { field: 'name' })), t('x'))],
  ['name:(a OR b) c ', and(or(t('a', { field: 'name' }), t('b', { field: 'name' })), t('c'))],
  ['name:(a author:b) ', and(t('a', { field: 'name' }), t('b', { field: 'author' }))],
  ['title:foo ', t('title foo', { raw: 'title:foo', phrase: false })],
  ['constructor:foo ', t('constructor foo', { raw: 'constructor:foo', phrase: false })],
  ['__proto__:x toString: ', and(t('proto x', { raw: '__proto__:x', phrase: false }), t('tostring', { raw: 'toString:' }))],
  ['name: ', null],
  ['name:', null],
  // Grouping, balanced or not.
  ['(json OR yaml) -xml ', and(or(t('json'), t('yaml')), not(t('xml')))],
  ['-(a OR b) c ', and(not(or(t('a'), t('b'))), t('c'))],
  ['(a (b (c ', and(t('a'), t('b'), t('c'))],
  ['a ) ) b ( ', and(t('a'), t('b'))],
  ['((())) ', null],
  ['a OR (b c) ', or(t('a'), and(t('b'), t('c')))],
  // Explicit `*` marks a prefix; other FTS5 and SQL syntax is just punctuation.
  ['htt* ', t('htt', { raw: 'htt*', prefix: true })],
  // One letter is never a prefix: it would match most of the index.
  ['h* ', t('h', { raw: 'h*' })],
  ['http c', and(t('http'), t('c'))],
  ['ht', t('ht', { prefix: true })],
  ['-old* x ', and(not(t('old', { raw: 'old*', prefix: true })), t('x'))],
  ['*', null],
  ['^foo ', t('foo', { raw: '^foo' })],
  ['name:*', null],
  ['a:b:c ', t('a b c', { raw: 'a:b:c', phrase: false })],
  ['NEAR(a b) ', and(t('near', { raw: 'NEAR' }), t('a'), t('b'))],
  ['NEAR("a" "b", 3) ', and(t('near', { raw: 'NEAR' }), t('a'), t('b'), t('3'))],
  ["'; DROP TABLE packages; -- ", and(t('drop', { raw: 'DROP' }), t('table', { raw: 'TABLE' }), t('packages', { raw: 'packages;' }))],
  ['{name author}: x ', and(t('name', { raw: '{name' }), t('author', { raw: 'author}:' }), t('x'))],
  // Only operators, or nothing searchable, is no query.
  ['', null],
  ['   ', null],
  ['OR NOT -', null],
  ['AND OR NOT - -- ( ) " "', null],
  ['OR a OR ', t('a')],
  ['a OR OR b ', or(t('a'), t('b'))],
  ['a NOT ', t('a')],
  ['😀 🎉 ✨', null],
  ["%_\\'`~!@#$%^&*", null],
  // Unicode: NFC, case folding, marks stay inside words, emoji and symbols separate them.
  ['café ', t('café')],
  ['cafe\u0301 ', t('café', { raw: 'café' })],
  ['ÜBER straße ', and(t('über', { raw: 'ÜBER' }), t('straße'))],
  ['日本語 ', t('日本語')],
  ['rocket🚀ship ', t('rocket ship', { raw: 'rocket🚀ship', phrase: false })],
  ['a\u0000b ', t('a b', { raw: 'a\u0000b', phrase: false })],
  ['\u0301 ', null],
];

describe('parseSearchQuery', () => {
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => {
      assert.deepEqual(parseSearchQuery(input), expected);
    });
  }
});

function assertRegistryError(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.status, 400);
    assert.equal(error.code, code);
    return true;
  });
}

describe('parseSearchQuery limits', () => {
  test('refuses input past 256 characters, counting code points and ignoring surrounding space', () => {
    assertRegistryError(() => parseSearchQuery('a'.repeat(257)), 'search_query_too_long');
    assertRegistryError(() => parseSearchQuery('x '.repeat(1000)), 'search_query_too_long');
    assert.deepEqual(parseSearchQuery(`  ${'a'.repeat(256)}  `), t('a'.repeat(256)));
    // 256 emoji are 512 UTF-16 units but 256 characters.
    assert.equal(parseSearchQuery('😀'.repeat(256)), null);
    assertRegistryError(() => parseSearchQuery('😀'.repeat(257)), 'search_query_too_long');
  });

  test('honours a custom maxLength', () => {
    assertRegistryError(() => parseSearchQuery('abcdef', { maxLength: 5 }), 'search_query_too_long');
    assert.deepEqual(parseSearchQuery('abcde', { maxLength: 5 }), t('abcde', { prefix: true }));
  });

  test('refuses more than 16 terms, negated ones included, but counts a phrase once', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    assert.equal(queryTerms(parseSearchQuery(words(16))).length, 16);
    assertRegistryError(() => parseSearchQuery(words(17)), 'search_query_too_complex');
    assertRegistryError(() => parseSearchQuery(`${words(16)} -x`), 'search_query_too_complex');
    assert.deepEqual(parseSearchQuery(`"${words(16)}" `), t(words(16)));
    // Operators and dropped punctuation are not terms.
    assert.ok(parseSearchQuery(`${words(16)} OR NOT - * ( ) `));
    assertRegistryError(() => parseSearchQuery('a b c', { maxTerms: 2 }), 'search_query_too_complex');
  });

  test('refuses more than 32 words over all terms: a phrase or a-b-c counts each of its words', () => {
    const words = (n: number, sep: string) => Array.from({ length: n }, (_, i) => `w${i}`).join(sep);
    assert.ok(parseSearchQuery(`"${words(32, ' ')}" `));
    assertRegistryError(() => parseSearchQuery(`"${words(33, ' ')}" `), 'search_query_too_complex');
    assert.ok(parseSearchQuery(words(32, '-')));
    assertRegistryError(() => parseSearchQuery(words(33, '-')), 'search_query_too_complex');
    assertRegistryError(() => parseSearchQuery(`${words(16, '-')} ${words(17, '.')}`), 'search_query_too_complex');
  });

  test('refuses deeply nested parentheses whatever maxLength allows', () => {
    assert.deepEqual(parseSearchQuery(`${'('.repeat(32)}x `), t('x'));
    assertRegistryError(() => parseSearchQuery(`${'('.repeat(33)}x`), 'search_query_too_complex');
    assertRegistryError(() => parseSearchQuery('('.repeat(100_000), { maxLength: 1_000_000 }), 'search_query_too_complex');
  });
});

describe('queryTerms', () => {
  test('lists the terms outside negations, in order', () => {
    const terms = queryTerms(parseSearchQuery('http-client OR name:fetch -legacy NOT (a -b) c'));
    assert.deepEqual(
      terms.map((term) => term.raw),
      ['http-client', 'fetch', 'b', 'c'],
    );
  });

  test('is empty for no query and for a query of only negations', () => {
    assert.deepEqual(queryTerms(null), []);
    assert.deepEqual(queryTerms(parseSearchQuery('-a NOT b')), []);
  });
});

describe('searchTokens', () => {
  test('splits on anything but letters, digits and marks, lowercased', () => {
    assert.deepEqual(searchTokens('My-HTTP_client v2.0 😀 naïve'), ['my', 'http', 'client', 'v2', '0', 'naïve']);
  });
});
